"""The one switch for every speed-up, and what a build plugs in with it.

`Speedups(enabled=False)` (`--reference`, or `PROTOKOLLARKIV_SPEEDUPS=0` in the environment)
gives the reference engines only: markdown-it-py, PyYAML's own resolver and constructor, stock
Jinja calls and escaping, Pagefind's own client, no memos and no garbage-collector or exit
tricks. The output is the same byte for byte either way (tests/test_speed.py).
"""

from __future__ import annotations

import contextlib
import gc
import sys
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, NoReturn

from ..model import Reuse, made_anew
from . import memory
from .memo import ContentMemo, IdentityMemo, Kept

# The engines are imported when asked for: a build that finds nothing changed needs none of them.
if TYPE_CHECKING:
    from jinja2 import Environment
    from pagefind.service import PagefindService

    from ..parse import Engines

ENVIRONMENT_VARIABLE = "PROTOKOLLARKIV_SPEEDUPS"
_OFF = ("0", "false", "no", "off")


def wanted(environ: Mapping[str, str]) -> bool:
    """Whether the environment leaves the speed-ups on (they are, unless set to 0, no or off)."""
    return environ.get(ENVIRONMENT_VARIABLE, "1").strip().lower() not in _OFF


@dataclass(frozen=True)
class Speedups:
    """The speed-ups, all on or all off."""

    enabled: bool = True

    @property
    def engines(self) -> Engines:
        """The YAML loader and Markdown body parser of `parse`."""
        from ..parse import REFERENCE, Engines

        if not self.enabled:
            return REFERENCE
        from .markdown import fast_parse_body
        from .yaml import FastLoader

        return Engines(loader=FastLoader, parse_body=fast_parse_body)

    @property
    def pagefind(self) -> type[PagefindService]:
        if self.enabled:
            from .pagefind import PromptService

            return PromptService
        from pagefind.service import PagefindService

        return PagefindService

    def environment(self, templates: Path, language: str, assets: Mapping[str, str]) -> Environment:
        """The one Jinja environment of a build."""
        if self.enabled:
            from .jinja import fast_environment

            return fast_environment(templates, language, assets)
        from ..render import make_environment

        return make_environment(templates, language, assets)

    def memo(self, remember: bool = True) -> Reuse:
        """A place to keep pieces of unchanged meetings (nothing is kept when off); `remember`:
        False keeps none in memory, only in the store `keep` gives it."""
        return ContentMemo(remember) if self.enabled else made_anew

    @staticmethod
    def keep(memo: object, records: Iterable[tuple[object, str]], kept: Kept | None) -> bool:
        """Let `memo` (one of `memo`'s, or an environment's fragments) find the pieces of `records`
        (each with its content key) in `kept`; False when it keeps nothing (speed-ups off)."""
        memo = getattr(memo, "fragments", memo)
        if not isinstance(memo, ContentMemo):
            return False
        memo.use(records, kept)
        return True

    def loading(self) -> contextlib.AbstractContextManager[None]:
        """Around loading an archive: no garbage collection."""
        return memory.collector_paused() if self.enabled else contextlib.nullcontext()

    def forking(self) -> contextlib.AbstractContextManager[None]:
        """Around forked workers: the objects they inherit frozen."""
        return memory.frozen_for_fork() if self.enabled else contextlib.nullcontext()

    def settle(self, full: bool) -> None:
        """Between the preview server's rebuilds: collect, and freeze what is left."""
        if self.enabled:
            memory.settle(full)
        else:
            gc.collect()

    def tidy(self, memos: Iterable[object], env: Environment | None, records: Sequence[object]) -> None:
        """Let go of the kept pieces of records that are gone (edited or deleted), in `memos` and
        in the fragments of `env`."""
        for memo in [*memos, getattr(env, "fragments", None)]:
            if isinstance(memo, IdentityMemo):
                memo.keep_only(records)

    def leave(self, status: int) -> NoReturn:
        """End the program with `status`."""
        if self.enabled:
            memory.leave(status)
        sys.exit(status)
