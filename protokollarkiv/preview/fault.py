"""An unexpected exception in the preview server (a bug, not an author's mistake): what the console
and the browser overlay say about it, and which file was being processed."""

from __future__ import annotations

import os
import traceback
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from ..diagnostics import display_path

DEBUG_VARIABLE = "PROTOKOLLARKIV_DEBUG"  # "1": show tracebacks (as the --debug option does)


def debug_wanted(environ: dict[str, str] | None = None) -> bool:
    value = (os.environ if environ is None else environ).get(DEBUG_VARIABLE, "")
    return value.strip().lower() not in ("", "0", "no", "false", "off")


@dataclass(frozen=True)
class InternalError:
    """An exception that escaped a rebuild: its one-line summary, the file it was processing (if
    known) and its traceback."""

    summary: str  # "ValueError: …"
    file: Path | None
    details: str

    def line(self, root: Path, debug: bool, doing: str = "while rebuilding") -> str:
        """The console's one line about it; `doing`: what the server was doing."""
        where = f" (processing {display_path(self.file, root)})" if self.file else ""
        hint = "" if debug else f"; set {DEBUG_VARIABLE}=1 (or use --debug) to see the traceback"
        return (
            f"error: internal error {doing}{where}: {self.summary} (a bug in Protokollarkiv, please "
            f"report it with the traceback{hint}); still serving the last good site"
        )


def internal_error(exc: BaseException, folders: Iterable[Path]) -> InternalError:
    """`exc` as an InternalError; its file is the innermost one under `folders` (the archive, the
    templates) that the failing code was handling: the exception's own file name, or a path in a
    local variable of a frame of its traceback."""
    roots = [folder.resolve() for folder in folders]

    def inside(value: object) -> Path | None:
        if not isinstance(value, (str, Path)) or not value or len(str(value)) > 4096:
            return None
        try:
            path = Path(value)
            if not path.is_absolute():  # the build's paths are: a relative one is some text
                return None
            path = path.resolve()
        except (OSError, RuntimeError, ValueError):
            return None
        return path if any(path.is_relative_to(root) and path != root for root in roots) else None

    found = inside(getattr(exc, "filename", None))
    frames = [frame for frame, _ in traceback.walk_tb(exc.__traceback__)]
    for frame in reversed(frames):
        if found is not None:
            break
        for value in frame.f_locals.values():
            if (found := inside(value)) is not None:
                break
    message = str(exc).splitlines()[0] if str(exc).strip() else ""
    summary = f"{type(exc).__name__}: {message}" if message else type(exc).__name__
    details = "".join(traceback.format_exception(exc))
    return InternalError(summary, found, details)
