"""The text of a meeting's attachments, searchable as part of its meeting: read, limited, attached.

The build reads each Word, PDF and plain-text attachment once per content (its cache keeps the
`AttachmentText` by the file's SHA-256, see build.state.TextCache); the meeting page shows the text in a
closed "Text ur bilagan" disclosure, which Pagefind indexes as a sub-result of the meeting.
A file that holds no text (a scanned PDF: there is no OCR) is counted in the build summary; one
that cannot be read is a warning at its `attachments:` entry, and the build goes on.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Sequence
from dataclasses import replace
from importlib import metadata
from pathlib import Path

from . import filetext
from .diagnostics import Diagnostics, SourcePos
from .model import Attachment, AttachmentText, Meeting

# Characters of text kept per attachment (about 200 KB of UTF-8): some 60 pages of prose. A longer
# file is searchable in its first TEXT_LIMIT characters; the page says the text is shortened. The
# text is on the meeting page, and every search result fetches its meeting's whole text (Pagefind's
# fragment); both compress to about 38 % (measured on the seeds' minutes), so a full attachment adds
# some 75 KB to its page and to each result list it appears in: the limit keeps that bounded.
TEXT_LIMIT = 200_000


def searchable(attachment: Attachment) -> bool:
    """Whether the attachment is a kind of file whose text is read (Word, PDF, plain text)."""
    return attachment.source.suffix.lower() in filetext.SUFFIXES


def reader_version() -> str:
    """What readings depend on besides the file: this code and the libraries that read the files.
    A cache made by another version is never read."""
    digest = hashlib.sha256(f"{TEXT_LIMIT}".encode())
    for module in (filetext.__file__, __file__):
        digest.update(Path(module).read_bytes())
    for package in ("pypdf", "python-docx"):
        digest.update(f"{package}={metadata.version(package)}".encode())
    return digest.hexdigest()[:16]


def file_digest(path: Path) -> str:
    """The SHA-256 of the file's bytes: the key of its reading."""
    digest = hashlib.sha256()
    with path.open("rb") as stream:
        while chunk := stream.read(1 << 20):
            digest.update(chunk)
    return digest.hexdigest()


def read_file(path: Path, digest: str) -> AttachmentText:
    """The text of the file (whose SHA-256 is `digest`) for search, at most TEXT_LIMIT
    characters; never raises for a bad file."""
    try:
        extracted = filetext.extract(path, enough=TEXT_LIMIT + 1)
    except filetext.NoText:
        return AttachmentText(digest, no_text=True)
    except filetext.Unreadable as exc:
        return AttachmentText(digest, problem=str(exc))
    except Exception as exc:  # a library's own bug on a strange file: the build still goes on
        return AttachmentText(digest, problem=f"cannot read the file: {type(exc).__name__}")
    paragraphs, shortened = limited(extracted.lines, TEXT_LIMIT)
    return AttachmentText(digest, paragraphs, shortened)


def limited(lines: Sequence[str], limit: int) -> tuple[tuple[str, ...], bool]:
    """The paragraphs (tabs between table cells made spaces) up to `limit` characters in all, the
    last one cut at a word; and whether anything was left out."""
    kept: list[str] = []
    left = limit
    for line in lines:
        line = " ".join(line.split())
        if not line:
            continue
        if len(line) > left:
            cut = line[:left].rsplit(" ", 1)[0] if " " in line[:left] else line[:left]
            if cut:
                kept.append(f"{cut} …")
            return tuple(kept), True
        kept.append(line)
        left -= len(line)
    return tuple(kept), False


def with_text(
    meeting: Meeting, read: Callable[[Path], AttachmentText | None], diagnostics: Diagnostics
) -> Meeting:
    """The meeting with the text of its attachments (`read` gives a file's text, None when the
    file is gone); a warning at its entry for each attachment that cannot be read."""
    if not any(searchable(a) for a in meeting.attachments):
        return meeting
    attachments: list[Attachment] = []
    for index, attachment in enumerate(meeting.attachments):
        text = read(attachment.source) if searchable(attachment) else None
        if text is not None and text.problem:
            line, column = meeting.positions.get(f"attachments.{index}", (1, 1))
            diagnostics.warning(
                meeting.source,
                SourcePos(line, column),
                f"the text of attachment '{attachment.file}' cannot be searched: {text.problem}",
                "it is published as it is; saved again as PDF or .docx it may become searchable",
            )
        attachments.append(replace(attachment, text=text))
    return replace(meeting, attachments=tuple(attachments))


def without_text(meetings: Sequence[Meeting]) -> list[Path]:
    """The attachments read without finding text (scanned PDFs), for the build summary."""
    return [a.source for m in meetings for a in m.attachments if a.text is not None and a.text.no_text]


def digests(meetings: Sequence[Meeting]) -> set[str]:
    """The digests of every attachment file read: the readings the build cache keeps."""
    return {a.text.digest for m in meetings for a in m.attachments if a.text is not None}


def text_as_before(meeting: Meeting, before: Meeting) -> Meeting:
    """The meeting with the texts `before` (the same meeting, parsed earlier) has for the same
    files: the preview's quick path, which shows an edit at once and reads no attachment."""
    known = {a.source: a.text for a in before.attachments if a.text is not None}
    if not known:
        return meeting
    attachments = tuple(replace(a, text=known.get(a.source, a.text)) for a in meeting.attachments)
    return replace(meeting, attachments=attachments)
