"""The one identity memo: pieces made from unchanged record objects, found again by identity.

Replaces: `model.made_anew` (make every piece when asked for). The preview server keeps its
meeting objects between rebuilds, and an edit replaces only the edited one, so a listing of many
meetings, an export or the review needs to make again only the pieces of the changed meeting.
Gain (10,000 meetings, preview server): a one-meeting edit rebuilds in about 3 s instead of
re-rendering every listing row, export line and review from scratch (tens of seconds); in one
build it also makes a meeting's row once for every page that lists it.
Proof of equal bytes: tests/test_speed.py builds with and without every speed-up.
"""

from __future__ import annotations

from collections.abc import Callable, Hashable, Iterable
from typing import Any, Protocol, TypeVar

T = TypeVar("T")


def _identity(subject: object) -> Hashable:
    if isinstance(subject, tuple | list):
        return tuple(map(id, subject))
    return id(subject)


class IdentityMemo:
    """Pieces by (subject identity, kind, variant); a `model.Reuse`.

    An entry holds its subject, so the ids in a key are not reused while the entry lives: an
    equal key means the very same objects. A tuple (or list) of records is a subject too: the
    piece is found again while it holds the same objects in the same order.
    """

    def __init__(self) -> None:
        self._store: dict[tuple[Hashable, str, Hashable], tuple[object, Any]] = {}

    def __call__(self, subject: object, kind: str, make: Callable[[], T], variant: Hashable = "") -> T:
        if isinstance(subject, list):
            subject = tuple(subject)
        key = (_identity(subject), kind, variant)
        hit = self._store.get(key)
        if hit is not None:
            value: T = hit[1]
            return value
        made = make()
        self._store[key] = (subject, made)
        return made

    def __len__(self) -> int:
        return len(self._store)

    def clear(self) -> None:
        self._store.clear()

    def keep_only(self, records: Iterable[object]) -> None:
        """Let go of the pieces of records that are gone (replaced by an edit, or deleted)."""
        live = {id(record): record for record in records}

        def alive(held: object) -> bool:
            if isinstance(held, tuple):
                return all(live.get(id(one)) is one for one in held)
            return live.get(id(held)) is held

        self._store = {key: hit for key, hit in self._store.items() if alive(hit[0])}


class Kept(Protocol):
    """Pieces kept by content across processes (`build.state.KeptPieces`)."""

    def get(self, key: Hashable) -> Any: ...

    def __setitem__(self, key: Hashable, value: Any) -> None: ...


class ContentMemo(IdentityMemo):
    """An `IdentityMemo` that also finds the pieces of single records by the records' content keys
    in a store kept on disk, so a new process makes only the pieces of what changed.

    Replaces, for a build in a new process: making every listing row, export line and review of
    every meeting again (`IdentityMemo` starts empty). The key of a meeting is the build cache's
    key of its file (path, bytes, attachments), and the store's folder is named by everything else
    a piece may depend on (the generator's code, the archive-wide settings, the templates, the
    options), so a piece is found again only for exactly the input it was made from. Pieces of
    several records (a year's list) are not kept on disk: they are made again from their
    records' kept pieces, which costs little.
    Gain (10,000 meetings, one-meeting edit in a new process): see docs/architecture.md.
    Proof of equal bytes: tests/test_warm.py builds six kinds of change with a warm cache and cold.
    `remember`: False keeps nothing in memory (a piece used once, as the exports of a one-shot build).
    """

    def __init__(self, remember: bool = True) -> None:
        super().__init__()
        self._remember = remember
        self._keys: dict[int, tuple[object, str]] = {}
        self._kept: Kept | None = None

    def use(self, records: Iterable[tuple[object, str]], kept: Kept | None) -> None:
        """The content key of each record of this build, and the store they are kept in."""
        self._keys = {id(record): (record, key) for record, key in records}
        self._kept = kept

    def __call__(self, subject: object, kind: str, make: Callable[[], T], variant: Hashable = "") -> T:
        named = self._keys.get(id(subject))
        kept = self._kept
        if named is None or named[0] is not subject or kept is None:
            return super().__call__(subject, kind, make, variant) if self._remember else make()
        key = (id(subject), kind, variant)
        hit = self._store.get(key)
        if hit is not None:
            value: T = hit[1]
            return value
        content = (named[1], kind, variant)
        found = kept.get(content)
        if found is None:
            found = make()
            kept[content] = found
        if self._remember:
            self._store[key] = (subject, found)
        return found  # type: ignore[no-any-return]

    def keep_only(self, records: Iterable[object]) -> None:
        records = list(records)
        super().keep_only(records)
        live = {id(record) for record in records}
        self._keys = {ident: named for ident, named in self._keys.items() if ident in live}
