"""The text of a file to import (`filetext`), refused when it is not one meeting's minutes."""

from __future__ import annotations

from pathlib import Path

from .. import filetext
from ..filetext import SUFFIXES, Extracted

__all__ = ["MAX_PAGES", "SUFFIXES", "Extracted", "ImportFailure", "extract"]

MAX_PAGES = 200  # longer files are bundles (minutes with years of attachments), not one meeting


class ImportFailure(Exception):
    """A file cannot be imported; the message is one line saying why and what to do."""


def extract(path: Path) -> Extracted:
    """The file's text; ImportFailure when it cannot be read, holds no text or is too long."""
    try:
        return filetext.extract(path, max_pages=MAX_PAGES)
    except filetext.TooManyPages as exc:
        raise ImportFailure(
            f"the PDF has {exc.count} pages, more than one meeting's minutes (at most {MAX_PAGES}): "
            "split off the minutes and import those pages"
        ) from None
    except filetext.Unreadable as exc:
        raise ImportFailure(str(exc)) from None
