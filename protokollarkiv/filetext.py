"""The text of a Word, PDF, plain-text or Markdown file as lines, without page headers and page numbers.

What the importer (`tools.extract`) and the build's attachment search (`attachment`) both read."""

from __future__ import annotations

import logging
import re
from collections import Counter
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

SUFFIXES = (".docx", ".pdf", ".txt", ".md")
_OLE_MAGIC = b"\xd0\xcf\x11\xe0"  # an old .doc, or a .docx Word has encrypted with a password
_PAGE_NUMBER = re.compile(
    r"^(?:sida\s+)?\d{1,4}\s*(?:\(\s*\d{1,4}\s*\)|av\s+\d{1,4}|/\s*\d{1,4})?$|^-\s*\d{1,4}\s*-$",
    re.IGNORECASE,
)
# Lines Swedish protocols print on every page: furniture, not minutes.
_FURNITURE = re.compile(
    r"^(?:justerandes sign(?:atur|\.)?|utdragsbestyrkande|ordförandes sign(?:atur)?)$", re.I
)
_SENTENCE_END = (".", ":", "!", "?", ";")
_BULLET = re.compile(r"^(?:[-•*–]\s|\d{1,3}[.)]\s)")
_GAP = re.compile(r" {3,}")


class Unreadable(Exception):
    """A file cannot be read; the message is one line saying why and what to do."""


class NoText(Unreadable):
    """The file was read but holds no text (a scanned PDF: there is no OCR)."""


class TooManyPages(Unreadable):
    """A PDF has more pages than the caller takes."""

    def __init__(self, count: int) -> None:
        super().__init__(f"the PDF has {count} pages")
        self.count = count


@dataclass(frozen=True)
class Extracted:
    lines: tuple[str, ...]  # logical lines (paragraphs), blank lines dropped; a tab separates columns
    kind: str  # "Word", "PDF", "text", "Markdown"
    note: str = ""  # how it was read, when that is worth saying (an encoding, removed page headers)


def extract(path: Path, max_pages: int | None = None, enough: int | None = None) -> Extracted:
    """The file's text; Unreadable when it cannot be read, NoText when it holds none.

    `max_pages`: a longer PDF is TooManyPages. `enough`: a PDF's pages are read only until they
    hold this many characters (the caller keeps no more)."""
    suffix = path.suffix.lower()
    if suffix not in SUFFIXES:
        raise Unreadable(f"cannot read '{suffix or path.name}' files (only {', '.join(SUFFIXES)})")
    try:
        raw = path.read_bytes()
    except OSError as exc:
        raise Unreadable(f"cannot read the file: {exc.strerror}") from None
    if not raw.strip():
        raise NoText("the file is empty")
    if suffix == ".docx":
        pages, kind, note = [_docx_lines(path, raw)], "Word", ""
    elif suffix == ".pdf":
        pages, kind, note = _pdf_pages(path, max_pages, enough), "PDF", ""
    else:
        text, note = decode(raw)
        kind = "Markdown" if suffix == ".md" else "text"
        pages = [_plain_lines(text, markdown=suffix == ".md")]
    lines, removed = clean(pages)
    if not lines:
        raise NoText(
            "the file holds no text" + (" (a scanned PDF? there is no OCR)" if kind == "PDF" else "")
        )
    if removed:
        note = "; ".join(filter(None, [note, f"{removed} page header/footer lines removed"]))
    return Extracted(tuple(lines), kind, note)


def decode(raw: bytes) -> tuple[str, str]:
    """Text from bytes: UTF-8 (with or without BOM), UTF-16 with BOM, else Windows-1252 (common from Word)."""
    if raw.startswith((b"\xff\xfe", b"\xfe\xff")):
        try:
            return raw.decode("utf-16"), "read as UTF-16"
        except UnicodeDecodeError:
            raise Unreadable("the file claims UTF-16 but is not; save it as UTF-8") from None
    try:
        return raw.decode("utf-8").removeprefix("\ufeff"), ""
    except UnicodeDecodeError:
        pass
    try:
        return raw.decode("cp1252"), "read as Windows-1252"
    except UnicodeDecodeError:
        return raw.decode("latin-1"), "read as Latin-1"


def _plain_lines(text: str, markdown: bool) -> list[str]:
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    lines: list[str] = []
    for line in text.split("\n"):
        if markdown:
            line = re.sub(r"^#{1,6}\s+", "", line)  # a heading's level is markup; its words stay
        lines.append(line)
    return _join_wrapped(lines)


def _join_wrapped(lines: Sequence[str]) -> list[str]:
    """Lines of one paragraph that a hard wrap split (the next starts in lower case) joined again."""
    out: list[str] = []
    previous_blank = True
    for raw in lines:
        line = _tidy(raw)
        if not line:
            out.append("")
            previous_blank = True
            continue
        last = out[-1] if out else ""
        if (
            not previous_blank
            and last
            and line[0].islower()
            and not last.endswith(_SENTENCE_END)
            and not _BULLET.match(line)
        ):
            out[-1] = f"{last} {line}"
        else:
            out.append(line)
        previous_blank = False
    return out


def _tidy(line: str) -> str:
    return line.replace("\u00a0", " ").replace("\f", "").rstrip()


# --- Word ------------------------------------------------------------------------------------


def _docx_lines(path: Path, raw: bytes) -> list[str]:
    if raw.startswith(_OLE_MAGIC):
        raise Unreadable(
            "this is a password-protected Word file or an old .doc: open it in Word and save it as "
            ".docx without a password"
        )
    try:
        import docx
        from docx.table import Table
        from docx.text.paragraph import Paragraph

        document = docx.Document(str(path))
        lines: list[str] = []
        for element in document.element.body.iterchildren():
            tag = element.tag.rsplit("}", 1)[-1]
            if tag == "p":
                lines.extend([_paragraph(Paragraph(element, document)), ""])
            elif tag == "tbl":
                lines.extend([*_table(Table(element, document)), ""])
    except Exception as exc:  # a damaged package can fail anywhere inside the library
        raise Unreadable(f"cannot read the Word file: {_reason(exc)}") from None
    return lines


def _paragraph(paragraph: Any) -> str:
    text = str(paragraph.text)
    style = str(paragraph.style.name if paragraph.style is not None else "")
    numbered = paragraph._p.pPr is not None and paragraph._p.pPr.numPr is not None
    if text.strip() and (style.startswith("List") or numbered) and not _BULLET.match(text):
        return f"- {text}"
    return text


def _table(table: Any) -> Iterator[str]:
    for row in table.rows:
        cells: list[str] = []
        seen: set[int] = set()
        for cell in row.cells:
            if id(cell._tc) in seen:  # a merged cell is returned once per grid column
                continue
            seen.add(id(cell._tc))
            cells.append(" ".join(p.text.strip() for p in cell.paragraphs if p.text.strip()))
        yield "\t".join(cells).rstrip("\t")


# --- PDF -------------------------------------------------------------------------------------


def _pdf_pages(path: Path, max_pages: int | None, enough: int | None) -> list[list[str]]:
    logging.getLogger("pypdf").setLevel(logging.ERROR)  # damaged files warn on every object
    try:
        import pypdf

        reader = pypdf.PdfReader(path)
        if reader.is_encrypted and not reader.decrypt(""):
            raise Unreadable("the PDF is password-protected: save a copy without a password")
        count = len(reader.pages)
        if max_pages is not None and count > max_pages:
            raise TooManyPages(count)
        pages: list[list[str]] = []
        held = 0
        for page in reader.pages:
            pages.append(_pdf_page(page.extract_text(extraction_mode="layout")))
            held += sum(len(line) for line in pages[-1])
            if enough is not None and held >= enough:
                break
    except Unreadable:
        raise
    except Exception as exc:  # a damaged file can fail anywhere inside the library
        raise Unreadable(f"cannot read the PDF: {_reason(exc)}") from None
    return pages


def _reason(exc: Exception) -> str:
    text = " ".join(str(exc).split())[:120]
    return f"{type(exc).__name__}: {text}" if text else type(exc).__name__


def _pdf_page(text: str) -> list[str]:
    """Layout text of one page as logical lines: wrapped lines joined, columns split by a tab."""
    rows = [_tidy(line) for line in text.split("\n")]
    margin = min((len(r) - len(r.lstrip(" ")) for r in rows if r.strip()), default=0)
    rows = [r[margin:] for r in rows]
    widest = max((len(r) for r in rows), default=0)
    out: list[str] = []
    column = 0  # where the value column of a "label    value" line starts
    blank = True
    for row in rows:
        if not row.strip():
            out.append("")
            blank, column = True, 0
            continue
        indent = len(row) - len(row.lstrip(" "))
        body = row.strip()
        last = out[-1] if out and not blank else ""
        if last and column and indent >= column - 2 and indent > 0:
            out[-1] = f"{last} {_GAP.sub(' ', body)}"  # the value column wrapped
        elif last and not column and len(last) >= 0.75 * widest and not _BULLET.match(body) and not indent:
            out[-1] = f"{last} {_GAP.sub(' ', body)}"  # the paragraph wrapped
        else:
            gap = _GAP.search(body)
            if gap and gap.start() <= 30 and not _BULLET.match(body):
                column = indent + gap.end()
                body = f"{body[: gap.start()]}\t{_GAP.sub(chr(9), body[gap.end() :])}"  # a table's cells too
            else:
                column = 0
                body = _GAP.sub(" ", body)
            out.append(body)
        blank = False
    return out


# --- what every format shares ----------------------------------------------------------------


def clean(pages: Sequence[Sequence[str]]) -> tuple[list[str], int]:
    """Logical lines of all pages: page numbers, lines repeated at the top or foot of every page and
    blocks repeated through the text (a page header exported inline) removed, the paragraph a page
    break split joined again. Returns the lines and how many were removed."""
    removed = 0
    kept_pages: list[list[str]] = []
    edges = _page_edges(pages)
    for page in pages:
        written = [line for line in page if line.strip()]
        kept = [ln for ln in written if not _furniture(ln) and _shape(ln) not in edges]
        removed += len(written) - len(kept)
        kept_pages.append(kept)
    lines: list[str] = []
    breaks: set[int] = set()  # indexes where a page (or a removed block) ended
    for page in kept_pages:
        if lines:
            breaks.add(len(lines))
        lines.extend(page)
    lines, dropped = _drop_repeated_blocks(lines, breaks)
    return _join_breaks(lines, breaks), removed + dropped


def _furniture(line: str) -> bool:
    text = line.strip()
    return bool(_PAGE_NUMBER.match(text) or _FURNITURE.match(text))


def _shape(line: str) -> str:
    return re.sub(r"\d+", "#", line.strip().casefold())


def _page_edges(pages: Sequence[Sequence[str]]) -> set[str]:
    """Lines (digits ignored) among the first or last two of at least half of the pages: headers, footers."""
    if len(pages) < 2:
        return set()
    counts: Counter[str] = Counter()
    for page in pages:
        lines = [line for line in page if line.strip()]
        counts.update({_shape(line) for line in lines[:2] + lines[-2:]})
    return {shape for shape, n in counts.items() if n >= max(2, (len(pages) + 1) // 2)}


def _drop_repeated_blocks(lines: list[str], breaks: set[int]) -> tuple[list[str], int]:
    """Runs of three or more lines that recur unchanged: every occurrence after the first is a page header."""
    positions: dict[tuple[str, ...], list[int]] = {}
    for i in range(len(lines) - 2):
        positions.setdefault(tuple(lines[i : i + 3]), []).append(i)
    drop: set[int] = set()
    for starts in positions.values():
        if len(starts) < 2:
            continue
        for start in starts[1:]:
            length = 3
            while start + length < len(lines) and lines[starts[0] + length] == lines[start + length]:
                length += 1
            drop.update(range(start, start + length))
    if not drop:
        return lines, 0
    kept: list[str] = []
    new_breaks: set[int] = set()
    for i, line in enumerate(lines):
        if i in drop:
            new_breaks.add(len(kept))
            continue
        if i in breaks:
            new_breaks.add(len(kept))
        kept.append(line)
    breaks.clear()
    breaks.update(new_breaks)
    return kept, len(drop)


def _join_breaks(lines: list[str], breaks: set[int]) -> list[str]:
    """A sentence a page break cut: the line before has no final stop and the next starts in lower case."""
    out: list[str] = []
    for i, line in enumerate(lines):
        if i in breaks and out and line[:1].islower() and not out[-1].endswith(_SENTENCE_END):
            out[-1] = f"{out[-1]} {line}"
        else:
            out.append(line)
    return out
