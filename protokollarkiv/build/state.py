"""The persistent build cache in `.cache/`: parsed meetings by content, and the state of the last build.

Parsed meetings are stored by a key made of the file's path and bytes (plus its attachment
listing), the generator's code and the archive-wide settings that validation reads, so an entry
can only ever be used for exactly the input it was made from. Entries live in 256 shard files;
an edit rewrites one shard. Every file carries a checksum: a file that does not match it (or does
not unpickle) is ignored with a warning and rebuilt, never used. The text of attachment files is
kept apart, by the SHA-256 of each file's bytes (`TextCache`): editing the minutes re-parses
them, but does not read their attachments again.

The build state (what each page of one output folder was rendered from) lets a new process render
only the pages a change touches. It is deleted just before a build swaps a new site in and
written again after, so a stale state can never claim a page is current; it says whether the
search index in the site was made from the pages beside it (`indexed`), so an index step that
did not finish is done again. Every file here is written to a temporary file and renamed over
the old one; the temporary files of a killed build are removed by the next (`remove_temporary`).
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import pickle
import shutil
import sys
import time
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Any

from .. import __version__
from ..diagnostics import Diagnostic
from ..output import process_alive

if TYPE_CHECKING:  # parsing is imported only when a build parses (see build.builder)
    from ..model import AttachmentText
    from ..pages import Page
    from ..parse import Parsed

FORMAT = 2  # 2: cache entries are pickled one by one
_MAGIC = b"protokollarkiv-cache\n"
_SHARDS = 256


def code_version() -> str:
    """The generator's version and a digest of its code: a changed generator never reads old entries."""
    digest = hashlib.sha256(f"{__version__}:{FORMAT}:{sys.version_info[:2]}".encode())
    package = Path(__file__).parents[1]
    for path in sorted(package.rglob("*.py")):
        digest.update(path.relative_to(package).as_posix().encode() + b"\0" + path.read_bytes())
    return digest.hexdigest()[:16]


def file_signature(path: Path) -> tuple[int, int, int] | None:
    """What the file system says about a file: if it is unchanged, so are the file's bytes."""
    try:
        info = path.stat()
    except OSError:
        return None
    if time.time() - info.st_mtime < 2:  # written just now: a same-size edit could follow unseen
        return None
    return (info.st_mtime_ns, info.st_size, info.st_ino)


Signature = tuple[tuple[int, int, int], bytes, str]  # (stat, attachment listing, content key)


@dataclass
class BuildState:
    """What the last build wrote into one output folder, and from what."""

    # Files are named by strings, not Paths: the state of a large archive unpickles several times faster.
    keys: dict[str, str] = field(default_factory=dict)  # meeting file -> content key
    signatures: dict[str, Signature] = field(default_factory=dict)
    page_sources: dict[str, frozenset[str]] = field(default_factory=dict)  # URL -> sources
    templates: dict[str, str] = field(default_factory=dict)  # template name -> digest
    static: dict[str, str] = field(default_factory=dict)  # asset name -> digest
    globals_digest: str = ""
    seals: str = ""  # the seal ledger's digest (build.inputs.seal_digest)
    produced: frozenset[str] = frozenset()  # every file the build put in the site
    pages: int = 0
    diagnostics: list[Diagnostic] = field(default_factory=list)  # warnings, replayed when nothing changed
    today: date | None = None
    published_from: int | None = None  # the first year published under `publish_years`
    indexed: bool = False  # the site's search index was made from exactly the pages in it

    def record(self, pages: Sequence[Page], rendered: Iterable[int], produced: Iterable[str]) -> None:
        """What the pages at `rendered` were made from now; pages that are gone are forgotten.
        (The inputs' digests are set by the caller.)"""
        for index in rendered:
            self.page_sources[pages[index].url] = pages[index].sources  # shared, not copied, per page
        for url in set(self.page_sources) - {page.url for page in pages}:
            del self.page_sources[url]
        self.produced, self.pages = frozenset(produced), len(pages)


def _pack(payload: object) -> bytes:
    body = pickle.dumps(payload, protocol=pickle.HIGHEST_PROTOCOL)
    return _MAGIC + hashlib.sha256(body).hexdigest().encode() + b"\n" + body


class Outdated(ValueError):
    """A cache file written by another version of the generator (its classes have moved)."""


def _unpack(data: bytes) -> Any:
    """The payload; ValueError when the file is not one of ours or is damaged, Outdated when it
    names classes this version does not have."""
    if not data.startswith(_MAGIC):
        raise ValueError("not a cache file")
    checksum, _, body = data[len(_MAGIC) :].partition(b"\n")
    if hashlib.sha256(body).hexdigest().encode() != checksum:
        raise ValueError("checksum mismatch")
    try:
        return pickle.loads(body)
    except (ModuleNotFoundError, AttributeError) as exc:
        raise Outdated(str(exc)) from exc
    except Exception as exc:  # a damaged pickle can raise almost anything
        raise ValueError(f"cannot unpickle: {exc}") from exc


def _write_atomic(path: Path, data: bytes) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    temporary = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    temporary.write_bytes(data)
    os.replace(temporary, path)


def remove_temporary(folder: Path, mine: bool = False) -> int:
    """Remove the temporary files (`_write_atomic`'s) of processes that are gone (and, with
    `mine`, of this one, which writes none yet) from `folder`; how many."""
    removed = 0
    with contextlib.suppress(FileNotFoundError), os.scandir(folder) as entries:
        for entry in entries:
            name = entry.name
            if not (name.startswith(".") and name.endswith(".tmp")):
                continue
            pid = name[: -len(".tmp")].rpartition(".")[2]
            if pid.isdigit() and ((mine and int(pid) == os.getpid()) or not process_alive(int(pid))):
                with contextlib.suppress(FileNotFoundError):
                    os.unlink(entry.path)
                    removed += 1
    return removed


Warn = Callable[[Path, str], None]


@dataclass
class ParseCache:
    """Parsed meetings by key, loaded shard by shard on first use, saved for the shards that changed.

    Entries are kept pickled: a meeting parsed in a worker arrives pickled and is stored as it
    came, and a shard loads without unpickling the meetings nobody asks for.
    """

    folder: Path
    warn: Warn
    _shards: dict[str, dict[str, bytes]] = field(default_factory=dict)
    _dirty: set[str] = field(default_factory=set)

    @staticmethod
    def shard_of(key: str) -> str:
        return key[:2]

    def _shard(self, name: str) -> dict[str, bytes]:
        shard = self._shards.get(name)
        if shard is None:
            shard = {}
            path = self.folder / f"{name}.pickle"
            try:
                data = path.read_bytes()
            except OSError:
                data = None
            if data is not None:
                try:
                    loaded = _unpack(data)
                    if not isinstance(loaded, dict):
                        raise ValueError("unexpected content")
                    shard = loaded
                except ValueError as exc:
                    self.warn(path, f"ignoring a damaged cache file ({exc}); it will be rebuilt")
                    self._dirty.add(name)
            self._shards[name] = shard
        return shard

    def get(self, key: str) -> Parsed | None:
        from ..parse import Parsed

        name = self.shard_of(key)
        blob = self._shard(name).get(key)
        if blob is None:
            return None
        try:
            parsed = pickle.loads(blob)
            if not isinstance(parsed, Parsed) or parsed.key != key:
                raise ValueError("unexpected content")
        except Exception as exc:  # the shard's checksum matched, so this is not expected; still never used
            self.warn(
                self.folder / f"{name}.pickle", f"ignoring a damaged cache entry ({exc}); it will be rebuilt"
            )
            return None
        return parsed

    def put(self, parsed: Parsed, blob: bytes | None = None) -> None:
        """Store a parsed meeting; `blob`: the same, already pickled (as a worker sends it)."""
        name = self.shard_of(parsed.key)
        self._shard(name)[parsed.key] = (
            blob if blob is not None else pickle.dumps(parsed, pickle.HIGHEST_PROTOCOL)
        )
        self._dirty.add(name)

    def save(self, live: set[str]) -> None:
        """Write the changed shards, keeping only entries whose key is in `live` (the current files)."""
        for name in sorted(self._dirty):
            shard = {key: value for key, value in self._shard(name).items() if key in live}
            self._shards[name] = shard
            _write_atomic(self.folder / f"{name}.pickle", _pack(shard))
        self._dirty.clear()


def load_state(path: Path, warn: Warn) -> Any:
    """The saved build state, or None when there is none or it is damaged (with a warning)."""
    try:
        data = path.read_bytes()
    except OSError:
        return None
    try:
        return _unpack(data)
    except Outdated:
        return None  # another version's state: not ours to read, and nothing to warn about
    except ValueError as exc:
        warn(path, f"ignoring a damaged cache file ({exc}); the build renders every page")
        return None


def save_state(path: Path, state: object) -> None:
    _write_atomic(path, _pack(state))


def drop_state(path: Path) -> None:
    path.unlink(missing_ok=True)


class StateStore:
    """The saved state of one output folder's last build, in the cache folder.

    It names the options the build ran with (version, drafts, fingerprints, base URL): a build
    with other options into the same folder finds no state and renders every page.
    """

    def __init__(self, cache: Path | None, output: Path, options: tuple[object, ...]) -> None:
        self.options = options
        self.file: Path | None = None
        if cache is not None:
            folder = str(output.resolve()).encode()
            self.file = cache / f"state-{hashlib.sha256(folder).hexdigest()[:16]}.pickle"
        self.on_disk = False

    def load(self, warn: Warn) -> BuildState | None:
        if self.file is None:
            return None
        saved = load_state(self.file, warn)
        self.on_disk = saved is not None
        current = isinstance(saved, tuple) and len(saved) == 2 and saved[0] == self.options
        return saved[1] if current and isinstance(saved[1], BuildState) else None

    def forget(self) -> None:
        """The site is about to change: a state on disk would no longer describe it."""
        if self.file is not None and self.on_disk:
            drop_state(self.file)
            self.on_disk = False

    def outdated(self) -> None:
        """The state in memory knows more than the one on disk (which stays true): save it again."""
        self.on_disk = False

    def remove_temporary(self, mine: bool) -> None:
        """What killed builds left in the cache folder: temporary files of the state, of the
        parsed meetings' shards and of the attachments' texts."""
        if self.file is None:
            return
        remove_temporary(self.file.parent, mine)
        for folder in (*self.file.parent.glob("meetings-*"), *self.file.parent.glob("texts-*")):
            remove_temporary(folder, mine)

    def save(self, state: BuildState) -> None:
        """Write the state (OSError when the cache folder cannot be written)."""
        if self.file is not None and not self.on_disk:
            save_state(self.file, (self.options, state))
            self.on_disk = True


@dataclass
class TextCache:
    """The text of attachment files by the SHA-256 of their bytes (`attachment.read_file`), one
    file each in `folder` (None: in memory only), so an unchanged file is read once, however often
    its meeting changes. `read` counts the files read (not found here) in this process."""

    folder: Path | None
    warn: Warn
    _known: dict[str, AttachmentText] = field(default_factory=dict)
    _new: set[str] = field(default_factory=set)
    read: int = 0

    def text(self, path: Path) -> AttachmentText | None:
        """The text of the file at `path`; None when the file cannot be opened (validation saw it)."""
        from ..attachment import file_digest, read_file

        try:
            digest = file_digest(path)
        except OSError:
            return None
        found = self._known.get(digest) or self._load(digest)
        if found is None:
            found = read_file(path, digest)
            self.read += 1
            self._new.add(digest)
        self._known[digest] = found
        return found

    def _load(self, digest: str) -> AttachmentText | None:
        from ..model import AttachmentText

        if self.folder is None:
            return None
        path = self.folder / f"{digest}.pickle"
        try:
            data = path.read_bytes()
        except OSError:
            return None
        try:
            loaded = _unpack(data)
            if not isinstance(loaded, AttachmentText) or loaded.digest != digest:
                raise ValueError("unexpected content")
        except ValueError as exc:
            self.warn(path, f"ignoring a damaged cache file ({exc}); it will be rebuilt")
            return None
        return loaded

    def save(self, live: set[str]) -> None:
        """Write the texts read in this process; forget (in memory and on disk) those of files no
        meeting has any more (`live`: the digests of every attachment of the build)."""
        self._known = {digest: text for digest, text in self._known.items() if digest in live}
        if self.folder is None:
            return
        for digest in sorted(self._new & live):
            _write_atomic(self.folder / f"{digest}.pickle", _pack(self._known[digest]))
        self._new.clear()
        for path in self.folder.glob("*.pickle"):
            if path.stem not in live:
                path.unlink(missing_ok=True)


KEPT_FOLDERS = 3  # namespaces of kept pieces left on disk (the preview's and the build's options differ)
KEPT_PARTS = 8  # part files that make the next save merge everything into one base file
_FRAME = 8 + 32  # a part file's frame header: the length of the pickle and its SHA-256


class KeptPieces:
    """Pieces of meetings (listing rows, export lines, review findings) by (content key, kind,
    variant), on disk, for `speed.memo.ContentMemo`.

    `folder` is named by everything a piece may depend on besides its meeting (see `kept_folder`).
    It holds `base.pickle` (packed as every cache file) and one append-only `part-<pid>.bin` per
    process that made pieces (the build and its render workers): frames of a length, a SHA-256
    and a pickle of new pieces. A damaged base is ignored with a warning; a part is read up to its
    first damaged frame (a killed process's last write). `merge` folds the parts into the base,
    keeping only the pieces of meetings that still exist."""

    def __init__(self, folder: Path | None, warn: Warn) -> None:
        self.folder, self.warn = folder, warn
        self._known: dict[Any, Any] | None = None
        self._parts: list[Path] = []  # the part files read
        self.new: dict[Any, Any] = {}
        self.found = 0  # pieces found on disk (in this process)

    def load(self) -> dict[Any, Any]:
        """Every piece on disk (read once)."""
        if self._known is None:
            self._known = {}
            if self.folder is not None and self.folder.is_dir():
                os.utime(self.folder)  # in use: see `kept_folder`
                self._read_base(self.folder / "base.pickle")
                self._parts = sorted(self.folder.glob("part-*.bin"))
                for part in self._parts:
                    self._read_part(part)
        return self._known

    def _read_base(self, path: Path) -> None:
        assert self._known is not None
        try:
            data = path.read_bytes()
        except OSError:
            return
        try:
            loaded = _unpack(data)
            if not isinstance(loaded, dict):
                raise ValueError("unexpected content")
        except Outdated:
            return
        except ValueError as exc:
            self.warn(path, f"ignoring a damaged cache file ({exc}); it will be rebuilt")
            return
        self._known.update(loaded)

    def _read_part(self, path: Path) -> None:
        assert self._known is not None
        try:
            data = path.read_bytes()
        except OSError:
            return
        at = 0
        while at + _FRAME <= len(data):
            size = int.from_bytes(data[at : at + 8], "little")
            body = data[at + _FRAME : at + _FRAME + size]
            if len(body) != size or hashlib.sha256(body).digest() != data[at + 8 : at + _FRAME]:
                return  # cut short by a killed process: what follows was never written
            try:
                frame = pickle.loads(body)
            except Exception:  # a checksummed frame that does not unpickle: another version's
                return
            if isinstance(frame, dict):
                self._known.update(frame)
            at += _FRAME + size

    def get(self, key: Any) -> Any:
        found = self.new.get(key)
        if found is None and (found := self.load().get(key)) is not None:
            self.found += 1
        return found

    def __setitem__(self, key: Any, value: Any) -> None:
        self.new[key] = value

    def flush(self) -> None:
        """Append the pieces made since the last flush to this process's part file (render workers
        call it after each batch; nothing else of theirs reaches the disk)."""
        if self.folder is None or not self.new:
            self.new.clear()
            return
        body = pickle.dumps(self.new, pickle.HIGHEST_PROTOCOL)
        self.new = {}  # on disk now; found again in this process through the memo, if at all
        frame = len(body).to_bytes(8, "little") + hashlib.sha256(body).digest() + body
        try:
            self.folder.mkdir(parents=True, exist_ok=True)
            with open(self.folder / f"part-{os.getpid()}.bin", "ab") as part:
                part.write(frame)
        except OSError:
            pass  # a cache that cannot be written: the pieces are made again next time

    def merge(self, live: set[str]) -> None:
        """With many part files, write one base of the pieces of meetings whose key is in `live`
        and remove the parts (those of processes still running, such as another build, stay)."""
        self.flush()
        if self.folder is None:
            return
        parts = sorted(self.folder.glob("part-*.bin"))
        if len(parts) < KEPT_PARTS:
            return
        self._known = None
        known = self.load()
        kept = {key: value for key, value in known.items() if key[0] in live}
        _write_atomic(self.folder / "base.pickle", _pack(kept))
        self._known = kept
        for part in self._parts:
            pid = part.stem.partition("-")[2]
            if not pid.isdigit() or int(pid) == os.getpid() or not process_alive(int(pid)):
                part.unlink(missing_ok=True)


def kept_folder(cache: Path, kind: str, *namespace: object) -> Path:
    """The folder of `kind`'s kept pieces for `namespace` (what they depend on besides their
    meetings); of the other namespaces' folders only the `KEPT_FOLDERS` - 1 used last stay."""
    name = hashlib.sha256(repr(namespace).encode()).hexdigest()[:16]
    folder = cache / f"{kind}-{name}"
    others = sorted(
        (p for p in cache.glob(f"{kind}-*") if p.is_dir() and p != folder),
        key=lambda p: p.stat().st_mtime,
        reverse=True,
    )
    for old in others[KEPT_FOLDERS - 1 :]:
        shutil.rmtree(old, ignore_errors=True)
    return folder
