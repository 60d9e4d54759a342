"""An unexpected exception in the preview server (a bug, not an author's mistake): what the console
and the browser overlay say about it, and which file was being processed."""

from __future__ import annotations

import traceback
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from ..diagnostics import DEBUG_VARIABLE, InternalError, display_path


@dataclass(frozen=True)
class Fault:
    """An exception that escaped a rebuild: its one-line summary, the file it was processing (if
    known; else `subject`, such as a page, when the build named it) and its traceback."""

    summary: str  # "ValueError: …"
    file: Path | None
    details: str
    subject: str = ""

    def where(self, root: Path) -> str:
        """What was being processed, for people: a file relative to `root`, or the subject."""
        return display_path(self.file, root) if self.file else self.subject

    def line(self, root: Path, debug: bool, doing: str = "while rebuilding") -> str:
        """The console's one line about it; `doing`: what the server was doing."""
        where = f" (processing {self.where(root)})" if self.file or self.subject else ""
        hint = "" if debug else f"; set {DEBUG_VARIABLE}=1 (or use --debug) to see the traceback"
        return (
            f"error: internal error {doing}{where}: {self.summary} (a bug in Protokollarkiv, please "
            f"report it with the traceback{hint}); still serving the last good site"
        )


def internal_error(exc: BaseException, folders: Iterable[Path]) -> Fault:
    """`exc` as a Fault. The build names what it was processing in a `diagnostics.InternalError`
    (also when it happened in a worker process); otherwise its file is the innermost one under
    `folders` (the archive, the templates) that the failing code was handling: the exception's
    own file name, or a path in a local variable of a frame of its traceback."""
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

    if isinstance(exc, InternalError):
        return Fault(exc.summary, inside(exc.subject), exc.details, exc.subject)
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
    return Fault(summary, found, details)
