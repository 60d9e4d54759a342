"""Author mistakes as diagnostics: position, severity, message, hint; collected and printed once."""

from __future__ import annotations

import contextlib
import difflib
import enum
import os
import re
import traceback
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

# Characters that would break a diagnostic's one line (or hide in it): line and paragraph breaks
# of any kind, and every other control character. Shown as `\n`, `\x0b`, … instead.
_UNPRINTABLE = re.compile(r"[\x00-\x1f\x7f-\x9f\u2028\u2029\ud800-\udfff\ufffe\uffff]")


def one_line(text: str) -> str:
    """`text` on one printable line: breaks and control characters written as escapes."""
    if not _UNPRINTABLE.search(text):
        return text
    return _UNPRINTABLE.sub(lambda m: repr(m[0])[1:-1], text)


class Severity(enum.Enum):
    ERROR = "error"
    WARNING = "warning"


@dataclass(frozen=True, order=True)
class SourcePos:
    """A 1-based line and column in a source file."""

    line: int = 1
    column: int = 1


@dataclass(frozen=True)
class Diagnostic:
    path: Path
    line: int
    column: int
    severity: Severity
    message: str
    hint: str = ""

    def format(self, root: Path | None = None) -> str:
        """`path:line:col: error: message (hint)`, the path relative to `root` when inside it."""
        shown = display_path(self.path, root)
        text = f"{shown}:{self.line}:{self.column}: {self.severity.value}: {self.message}"
        if self.hint:
            text += f" ({self.hint})"
        return text

    def as_dict(self, root: Path | None = None) -> dict[str, object]:
        return {
            "path": display_path(self.path, root),
            "line": self.line,
            "column": self.column,
            "severity": self.severity.value,
            "message": self.message,
            "hint": self.hint,
        }

    def github_annotation(self, root: Path | None = None) -> str:
        """A GitHub Actions workflow command, shown on the file's line in a pull request."""

        def escape(text: str, property_value: bool = False) -> str:
            text = text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")
            return text.replace(":", "%3A").replace(",", "%2C") if property_value else text

        message = self.message + (f" ({self.hint})" if self.hint else "")
        file = escape(display_path(self.path, root), property_value=True)
        return f"::{self.severity.value} file={file},line={self.line},col={self.column}::{escape(message)}"

    def sort_key(self) -> tuple[str, int, int, str]:
        return (str(self.path), self.line, self.column, self.message)


def display_path(path: Path, root: Path | None) -> str:
    if root is not None:
        try:
            return str(path.resolve().relative_to(root.resolve()))
        except ValueError:
            pass
    return str(path)


class Diagnostics:
    """Collects every problem of a run; nothing is raised for an author's mistake."""

    def __init__(self) -> None:
        self._items: list[Diagnostic] = []

    def add(
        self,
        path: Path,
        pos: SourcePos,
        severity: Severity,
        message: str,
        hint: str = "",
    ) -> None:
        message, hint = one_line(message), one_line(hint)
        self._items.append(Diagnostic(path, pos.line, pos.column, severity, message, hint))

    def error(self, path: Path, pos: SourcePos, message: str, hint: str = "") -> None:
        self.add(path, pos, Severity.ERROR, message, hint)

    def warning(self, path: Path, pos: SourcePos, message: str, hint: str = "") -> None:
        self.add(path, pos, Severity.WARNING, message, hint)

    def extend(self, items: Iterable[Diagnostic]) -> None:
        self._items.extend(items)

    @property
    def items(self) -> list[Diagnostic]:
        return sorted(set(self._items), key=Diagnostic.sort_key)

    @property
    def errors(self) -> list[Diagnostic]:
        return [d for d in self.items if d.severity is Severity.ERROR]

    @property
    def warnings(self) -> list[Diagnostic]:
        return [d for d in self.items if d.severity is Severity.WARNING]

    def has_errors(self) -> bool:
        return any(d.severity is Severity.ERROR for d in self._items)

    def format(self, root: Path | None = None) -> list[str]:
        return [d.format(root) for d in self.items]

    def summary(self) -> str:
        e, w = len(self.errors), len(self.warnings)
        return f"{e} error{'s' if e != 1 else ''}, {w} warning{'s' if w != 1 else ''}"


def did_you_mean(word: str, known: Iterable[str]) -> str:
    """A hint naming the closest known word, or '' when nothing is close."""
    matches = difflib.get_close_matches(word, list(known), n=1, cutoff=0.6)
    return f"did you mean '{matches[0]}'?" if matches else ""


DEBUG_VARIABLE = "PROTOKOLLARKIV_DEBUG"  # set to 1: an internal error prints its traceback


class InternalError(Exception):
    """A bug, not an author's mistake: what was being processed when it happened, and the
    traceback as text (so that it survives the way back from a worker process)."""

    def __init__(self, subject: str, summary: str, details: str) -> None:
        super().__init__(subject, summary, details)
        self.subject, self.summary, self.details = subject, summary, details

    def __str__(self) -> str:
        return f"internal error while processing {self.subject}: {self.summary}"


@contextlib.contextmanager
def processing(subject: str, expected: tuple[type[Exception], ...] = ()) -> Iterator[None]:
    """An unexpected exception in the block (not one of `expected`, which are reported in their
    own way) becomes an `InternalError` naming `subject`."""
    passing: tuple[type[Exception], ...] = (InternalError, *expected)
    try:
        yield
    except passing:
        raise
    except Exception as exc:
        raise as_internal(exc, subject) from exc


def as_internal(exc: BaseException, subject: str = "") -> InternalError:
    """`exc` as an InternalError (itself when it is one)."""
    if isinstance(exc, InternalError):
        return exc
    summary = one_line(f"{type(exc).__name__}: {exc}")
    details = "".join(traceback.format_exception(exc))
    return InternalError(subject or "the archive", summary, details)


def debugging(environ: os._Environ[str] | dict[str, str] | None = None) -> bool:
    """Whether internal errors should show their traceback (PROTOKOLLARKIV_DEBUG=1)."""
    value = (os.environ if environ is None else environ).get(DEBUG_VARIABLE, "")
    return value.strip().lower() not in ("", "0", "false", "no", "off")


def internal_error_report(exc: BaseException, debug: bool, subject: str = "") -> str:
    """What a user sees of a bug: one line, and the traceback only with `debug`."""
    error = as_internal(exc, subject)
    line = (
        f"protokollarkiv: {error} (this is a bug in Protokollarkiv, not in your files; please report it "
        f"with this line and the file named; run again with --debug or {DEBUG_VARIABLE}=1 for the details)"
    )
    return f"{error.details.rstrip()}\n{line}" if debug else line
