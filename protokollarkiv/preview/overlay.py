"""The preview's panel of the last build's errors and warnings, in the site's language, each with
the lines of its file around the mistake (a code frame).

What the panel shows is made once per build (`problems`), not per request: the frames are read
from the files then. The page's own script (livereload.js) lets the editor close the panel.
"""

from __future__ import annotations

import hashlib
import html
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from importlib.resources import files
from pathlib import Path

from ..diagnostics import Diagnostic, Diagnostics, display_path
from ..load import SITE_FILE, load_yaml_file
from ..messages import render_hint, render_message
from ..strings import translate
from ..validate import validate_site_config

OVERLAY_CSS = files(__package__).joinpath("overlay.css").read_text(encoding="utf-8")
MOST = 50  # diagnostics of each severity the panel shows; the terminal shows them all
AROUND = 2  # lines shown before and after the mistake's line
WIDEST = 240  # characters of a line shown in a frame


@dataclass(frozen=True)
class FrameLine:
    number: int
    text: str


Frame = tuple[FrameLine, ...]


@dataclass(frozen=True)
class Problems:
    """What the last build found, as the panel shows it: its errors and warnings, the site's
    language, and the code frame of each diagnostic shown (by file and line)."""

    errors: tuple[Diagnostic, ...] = ()
    warnings: tuple[Diagnostic, ...] = ()
    language: str = "sv"
    frames: Mapping[tuple[Path, int], Frame] = field(default_factory=dict)


def site_language(content: Path) -> str:
    """The language site.yml names (`sv` when it names none or cannot be read)."""
    diagnostics = Diagnostics()
    return validate_site_config(load_yaml_file(content / SITE_FILE, diagnostics), diagnostics).language


def code_frame(path: Path, line: int, around: int = AROUND) -> Frame:
    """The lines of `path` from `around` before `line` to `around` after it; none when the file
    cannot be read or has no such line (a folder, a file deleted since)."""
    try:
        lines = path.read_bytes().decode("utf-8", "replace").removeprefix("\ufeff").split("\n")
    except OSError:
        return ()
    if not 1 <= line <= len(lines):
        return ()
    first, last = max(1, line - around), min(len(lines), line + around)
    return tuple(
        FrameLine(number, lines[number - 1].rstrip("\r")[:WIDEST]) for number in range(first, last + 1)
    )


def problems(diagnostics: Diagnostics, language: str) -> Problems:
    """The panel's view of a build's diagnostics: the first MOST of each severity get a frame."""
    errors, warnings = tuple(diagnostics.errors), tuple(diagnostics.warnings)
    frames: dict[tuple[Path, int], Frame] = {}
    for shown in (errors[:MOST], warnings[:MOST]):
        for diagnostic in shown:
            key = (diagnostic.path, diagnostic.line)
            if key not in frames:
                frames[key] = code_frame(diagnostic.path, diagnostic.line)
    return Problems(errors, warnings, language, frames)


def _frame_html(frame: Frame, diagnostic: Diagnostic, file: str, language: str) -> str:
    """The frame as preformatted lines: numbers in a gutter, the mistake's line marked with '>'
    and, below it, a '^' under its column."""
    width = len(str(frame[-1].number))
    rows: list[str] = []
    for row in frame:
        here = row.number == diagnostic.line
        gutter = f"{'>' if here else ' '} {row.number:>{width}} | "
        rows.append(
            f'<span class="pa-line{" pa-here" if here else ""}">{html.escape(gutter + row.text)}</span>'
        )
        if here:
            # The caret under the column: the line's own tabs kept, so that it lines up.
            before = "".join(c if c == "\t" else " " for c in row.text[: max(0, diagnostic.column - 1)])
            caret = f"  {' ' * width} | {before}^"
            rows.append(f'<span class="pa-caret" aria-hidden="true">{html.escape(caret)}</span>')
    label = html.escape(translate("overlay_excerpt", language, file=file))
    lines = "".join(rows)  # each row a block of its own
    return f'<pre class="pa-frame" aria-label="{label}"><code>{lines}</code></pre>'


def _item_html(diagnostic: Diagnostic, found: Problems, root: Path) -> str:
    language = found.language
    error = diagnostic.severity.value == "error"
    file = display_path(diagnostic.path, root)
    where = f"{file}:{diagnostic.line}:{diagnostic.column}"
    position = translate("overlay_position", language, line=diagnostic.line, column=diagnostic.column)
    text = (
        f'<p class="pa-where"><span class="pa-severity">'
        f"{translate('overlay_error' if error else 'overlay_warning', language)}</span> "
        f'<code>{html.escape(where)}</code> <span class="pa-position">({html.escape(position)})</span></p>'
        f'<p class="pa-message">{html.escape(render_message(diagnostic.message, language))}</p>'
    )
    if diagnostic.hint:
        hint = html.escape(render_hint(diagnostic.hint, language))
        text += f'<p class="pa-hint"><strong>{translate("overlay_hint", language)}</strong> {hint}</p>'
    frame = found.frames.get((diagnostic.path, diagnostic.line), ())
    if frame:
        text += _frame_html(frame, diagnostic, file, language)
    return f'<li class="pa-item {"pa-error" if error else "pa-warning"}">{text}</li>'


def _count(key: str, n: int, language: str) -> str:
    return translate(f"{key}_one", language) if n == 1 else translate(key, language, n=n)


def _items(shown: Iterable[Diagnostic], found: Problems, root: Path) -> str:
    return "".join(_item_html(diagnostic, found, root) for diagnostic in shown)


def overlay_html(found: Problems, root: Path) -> str:
    """The panel, or '' when the build found nothing. With errors, it is open at the foot of the
    page; with warnings only, it is a bar to open. Neither covers more than part of the page."""
    if not found.errors and not found.warnings:
        return ""
    language = found.language
    failed = bool(found.errors)
    counts = [
        _count(key, len(items), language)
        for key, items in (("overlay_errors", found.errors), ("overlay_warnings", found.warnings))
        if items
    ]
    more = max(0, len(found.errors) - MOST) + max(0, len(found.warnings) - MOST)
    rest = (
        f'<p class="pa-more">{html.escape(translate("overlay_more", language, n=more))}</p>' if more else ""
    )
    digest = hashlib.sha256(
        "\n".join(d.format(root) for d in (*found.errors, *found.warnings)).encode()
    ).hexdigest()[:16]
    title = translate("overlay_failed" if failed else "overlay_warned", language)
    panel = "protokollarkiv-errors" if failed else "protokollarkiv-warnings"
    items = _items(found.errors[:MOST], found, root) + _items(found.warnings[:MOST], found, root)
    return (
        f'<section id="{panel}" class="protokollarkiv-overlay" lang="{language}" '
        f'aria-label="{html.escape(translate("overlay_label", language))}" data-digest="{digest}">'
        f"<style>{OVERLAY_CSS}</style>"
        f"<details{' open' if failed else ''}><summary>"
        f'<strong class="pa-title">{html.escape(title)}</strong> '
        f'<span class="pa-counts">{html.escape(", ".join(counts))}</span></summary>'
        f'<ol class="pa-list">{items}</ol>{rest}</details>'
        f'<button type="button" class="pa-close" data-protokollarkiv-close '
        f'aria-label="{html.escape(translate("overlay_close_label", language))}">'
        f"{html.escape(translate('overlay_close', language))}</button></section>"
    )
