"""The reference Markdown engine (markdown-it-py): items with stable anchors, `::: beslut` decisions,
`::: votering` votes and `::: reservation` reservations."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

from markdown_it import MarkdownIt
from markdown_it.common.utils import escapeHtml
from markdown_it.renderer import RendererHTML
from markdown_it.token import Token
from markdown_it.utils import EnvType, OptionsDict
from mdit_py_plugins.container import container_plugin

from .diagnostics import Diagnostics, Severity, SourcePos
from .model import ANSWERS, Reservation, Vote
from .strings import translate
from .vote import RESERVATION, VOTE, read_block, read_reservation, read_vote

DECISION = "beslut"
BLOCKS = (DECISION, VOTE, RESERVATION)
# How deep blocks may nest (a list item in a list is two levels). CommonMark's preset stops at 20,
# and silently drops what lies deeper: from the tenth level of a nested list on. At 100 every
# list or quote an author means is kept; a body that reaches the limit is an error, never a loss.
MAX_NESTING = 100

# `§ 103 Title`, `11. Title`, `09:40 Title` (also `9.40`); the number (of at most six digits,
# so that it stays a number anything can count with) makes the anchor.
_ITEM_NUMBER = re.compile(
    r"^(?:(?P<para>§\s*(?P<pnum>\d{1,6}[a-z]?))|(?P<num>\d{1,6}[a-z]?)\.|(?P<time>\d{1,2}[:.]\d{2}))"
    r"(?:\s+|$)(?P<title>.*)$"
)
_CONTAINER_LINE = re.compile(r"^ {0,3}:{3,}\s*(?P<name>\S*)")


@dataclass(frozen=True)
class ParsedDecision:
    html: str
    text: str
    line: int


@dataclass(frozen=True)
class ParsedItem:
    number: str | None
    label: str | None  # as written: "§ 103", "11.", "09:40"
    title: str
    anchor: str
    line: int
    decisions: tuple[ParsedDecision, ...]
    votes: tuple[Vote, ...] = ()
    reservations: tuple[Reservation, ...] = ()


@dataclass(frozen=True)
class BodyMessage:
    line: int
    severity: Severity
    message: str
    hint: str = ""
    column: int = 1


@dataclass(frozen=True)
class ParsedBody:
    html: str
    items: tuple[ParsedItem, ...]
    loose_decisions: tuple[ParsedDecision, ...]
    messages: tuple[BodyMessage, ...]


def slugify(text: str) -> str:
    """Lowercase ASCII slug: å, ä → a, ö → o, other accents dropped, spaces → '-'."""
    decomposed = unicodedata.normalize("NFKD", text.lower())
    ascii_text = decomposed.encode("ascii", "ignore").decode("ascii")
    return re.sub(r"[^a-z0-9]+", "-", ascii_text).strip("-")


def parse_item_heading(text: str) -> tuple[str | None, str | None, str]:
    """(number, label as written, title) of an item heading; number is None when it has none."""
    match = _ITEM_NUMBER.match(text.strip())
    if not match:
        return None, None, text.strip()
    title = match["title"].strip()
    if match["para"]:
        return match["pnum"], f"§ {match['pnum']}", title
    if match["num"]:
        return match["num"], f"{match['num']}.", title
    time = match["time"].replace(".", ":")
    return time.replace(":", ""), time, title


def item_open(anchor: str) -> str:
    return f'<section class="item" aria-labelledby="{anchor}">\n'


def _render_item_open(
    self: RendererHTML, tokens: Sequence[Token], idx: int, options: OptionsDict, env: EnvType
) -> str:
    return item_open(tokens[idx].meta["anchor"])


def _render_item_close(
    self: RendererHTML, tokens: Sequence[Token], idx: int, options: OptionsDict, env: EnvType
) -> str:
    return "</section>\n"


def decision_open(label: str, anchor: str) -> str:
    # A heading with an id makes each decision its own sub-result in the search index.
    return f'<div class="beslut">\n<h3 class="beslut-label" id="{anchor}">{escapeHtml(label)}</h3>\n'


def _render_decision_open(
    self: RendererHTML, tokens: Sequence[Token], idx: int, options: OptionsDict, env: EnvType
) -> str:
    if tokens[idx].nesting == -1:
        return "</div>\n"
    return decision_open(env.get("decision_label", "Beslut"), tokens[idx].meta.get("anchor", "beslut"))


def _render_block(
    self: RendererHTML, tokens: Sequence[Token], idx: int, options: OptionsDict, env: EnvType
) -> str:
    return str(tokens[idx].content)  # made by `vote_html` or `reservation_html` (escaped there)


@cache
def markdown_engine() -> MarkdownIt:
    """CommonMark + tables + `::: beslut`, `::: votering`, `::: reservation`; raw HTML is escaped,
    never passed through."""
    md = MarkdownIt("commonmark", {"html": False, "maxNesting": MAX_NESTING}).enable("table")
    # Raw HTML is off, so these rules can never match; not running them saves time on every block.
    md.disable(["html_block", "html_inline"])
    md.use(container_plugin, DECISION, render=_render_decision_open)
    for name in (VOTE, RESERVATION):  # replaced by one `vote_block` token before rendering
        md.use(container_plugin, name)
    md.add_render_rule("vote_block", _render_block)
    md.add_render_rule("item_open", _render_item_open)
    md.add_render_rule("item_close", _render_item_close)
    return md


def plain_text(tokens: Sequence[Token]) -> str:
    parts: list[str] = []
    for token in tokens:
        if token.type == "inline":
            words = [
                " " if child.type in ("softbreak", "hardbreak") else child.content
                for child in token.children or []
            ]
            parts.append("".join(words))
    return "\n".join(p for p in parts if p)


def _container_messages(text: str, first_line: int) -> list[BodyMessage]:
    messages: list[BodyMessage] = []
    for offset, line in enumerate(text.splitlines()):
        match = _CONTAINER_LINE.match(line)
        if match and match["name"] and match["name"] not in BLOCKS:
            messages.append(
                BodyMessage(
                    offset + first_line,
                    Severity.WARNING,
                    f"unknown block '::: {match['name']}'; it is shown as plain text",
                    f"the blocks are '::: {DECISION}', '::: {VOTE}' and '::: {RESERVATION}'",
                )
            )
    return messages


class Outline:
    """A body's items, decisions, anchors and messages, collected in document order.

    Both Markdown paths (the reference and the compiled one) report through this, so they
    name anchors and word messages alike.
    """

    def __init__(self, messages: list[BodyMessage]) -> None:
        self.messages = messages
        self.anchors: set[str] = set()
        self.items: list[dict[str, Any]] = []
        self.loose: list[ParsedDecision] = []

    def _unique(self, base: str) -> str:
        anchor, suffix = base, 2
        while anchor in self.anchors:
            anchor, suffix = f"{base}-{suffix}", suffix + 1
        self.anchors.add(anchor)
        return anchor

    def item(self, heading_text: str, line: int, level_one: bool) -> str:
        """Record an item heading; its anchor."""
        if level_one:
            self.messages.append(
                BodyMessage(
                    line,
                    Severity.WARNING,
                    "a level-1 heading in the body is shown as an item heading",
                    "the meeting title is the page's only level-1 heading; use '## ' for items",
                )
            )
        number, label, title = parse_item_heading(heading_text)
        anchor = self._unique(f"p{number}" if number else (slugify(title) or "punkt"))
        self.items.append(
            {
                "number": number,
                "label": label,
                "title": title,
                "anchor": anchor,
                "line": line,
                "decisions": [],
                "votes": [],
                "reservations": [],
            }
        )
        if not title:
            self.messages.append(
                BodyMessage(
                    line,
                    Severity.WARNING,
                    f"item heading '{heading_text.strip()}' has no title",
                    "write the item's title after its number",
                )
            )
        return anchor

    def decision_anchor(self) -> str:
        return self._unique(f"{self.items[-1]['anchor']}-{DECISION}" if self.items else DECISION)

    def unclosed(self, line: int, name: str = DECISION) -> None:
        self.messages.append(
            BodyMessage(
                line,
                Severity.ERROR,
                f"'::: {name}' block is not closed",
                "end the decision with a line ':::'"
                if name == DECISION
                else "end the block with a line ':::'",
            )
        )

    def too_deep(self, line: int) -> None:
        self.messages.append(
            BodyMessage(
                line,
                Severity.ERROR,
                f"lists or quotes are nested {MAX_NESTING // 2 - 1} or more levels deep here;"
                " what lies deeper would be lost",
                "nest them less deeply",
            )
        )

    def nested(self, line: int, name: str = DECISION) -> None:
        self.messages.append(
            BodyMessage(
                line,
                Severity.ERROR,
                f"a '::: {name}' block inside another one",
                "close the first decision with ':::' before the next one begins"
                if name == DECISION
                else "close the first block with ':::' before the next one begins",
            )
        )

    def block(self, token: Token) -> None:
        """A vote or reservation read by `vote_tokens`: into the current item, or a warning."""
        name, line, found = token.meta["name"], token.meta["line"], token.meta["record"]
        if not self.items:
            self.messages.append(
                BodyMessage(
                    line,
                    Severity.WARNING,
                    f"'::: {name}' is not inside an item",
                    f"put the '::: {name}' block below the item heading it belongs to",
                )
            )
        elif found is not None:
            self.items[-1]["votes" if name == VOTE else "reservations"].append(found)

    def decision(self, decision: ParsedDecision) -> None:
        if self.items:
            self.items[-1]["decisions"].append(decision)
            return
        self.loose.append(decision)
        self.messages.append(
            BodyMessage(
                decision.line,
                Severity.WARNING,
                "decision is not inside an item",
                "put the '::: beslut' block below the item heading it belongs to",
            )
        )

    def body(self, html: str) -> ParsedBody:
        return ParsedBody(
            html=html,
            items=tuple(
                ParsedItem(
                    number=i["number"],
                    label=i["label"],
                    title=i["title"],
                    anchor=i["anchor"],
                    line=i["line"],
                    decisions=tuple(i["decisions"]),
                    votes=tuple(i["votes"]),
                    reservations=tuple(i["reservations"]),
                )
                for i in self.items
            ),
            loose_decisions=tuple(self.loose),
            messages=tuple(self.messages),
        )


def body_language(decision_label: str) -> str:
    """The site's language, as the label a body parser is given for decisions names it: the
    parsers' signature (`parse.BodyParser`) carries the label, not the language."""
    return "en" if decision_label == translate("decision", "en") else "sv"


def vote_html(vote: Vote, language: str) -> str:
    """A vote as a table with a caption: one row per answer, its proposition, count and names."""
    ja, nej, avstar = vote.counts
    named = bool(vote.ballots)
    caption = translate("vote_caption", language, ja=ja, nej=nej, avstar=avstar)
    heads = ["vote_answer", "vote_proposition", "vote_count", *(["vote_names"] if named else [])]
    rows = []
    for answer, count in zip(ANSWERS, vote.counts, strict=True):
        cells = [escapeHtml(vote.proposition(answer)), str(count)]
        if named:
            cells.append(escapeHtml(", ".join(vote.names(answer))))
        label = translate(f"answer_{answer}", language)
        rows.append(f'<tr><th scope="row">{label}</th>' + "".join(f"<td>{c}</td>" for c in cells) + "</tr>\n")
    won = vote.proposition(vote.result)
    result = translate(f"answer_{vote.result}", language) + (f" – {escapeHtml(won)}" if won else "")
    return (
        '<div class="votering">\n<table>\n'
        f"<caption>{caption}</caption>\n<thead>\n<tr>"
        + "".join(f'<th scope="col">{translate(head, language)}</th>' for head in heads)
        + "</tr>\n</thead>\n<tbody>\n"
        + "".join(rows)
        + "</tbody>\n</table>\n"
        + f'<p class="vote-result">{translate("vote_result", language, result=result)}</p>\n</div>\n'
    )


def reservation_html(reservation: Reservation, language: str) -> str:
    """A reservation: who reserved themselves, and their grounds when written."""
    names = escapeHtml(", ".join(reservation.names))
    grounds = f"<p>{escapeHtml(reservation.grounds)}</p>\n" if reservation.grounds else ""
    label = translate("reservation", language)
    return f'<div class="reservation">\n<p><strong>{label}:</strong> {names}</p>\n{grounds}</div>\n'


def _read_block(
    name: str, content: str, content_line: int, line: int, outline: Outline
) -> Vote | Reservation | None:
    """A vote or reservation from its block's lines; its diagnostics become body messages."""
    diagnostics = Diagnostics()
    path = Path()
    doc = read_block(content, content_line, path, diagnostics)
    block = SourcePos(line, 1)
    found: Vote | Reservation | None = (
        read_vote(doc, block, path, diagnostics)
        if name == VOTE
        else read_reservation(doc, block, path, diagnostics)
    )
    outline.messages.extend(
        BodyMessage(d.line, d.severity, d.message, d.hint, d.column) for d in diagnostics.items
    )
    return found


def vote_tokens(
    tokens: list[Token], text: str, first_line: int, language: str, outline: Outline
) -> list[Token]:
    """The tokens with each `::: votering` and `::: reservation` block (and all it holds) replaced
    by one `vote_block` token: its record (read from the block's own lines) and its HTML."""
    lines: list[str] | None = None
    out: list[Token] = []
    index = 0
    while index < len(tokens):
        token = tokens[index]
        name = token.type[len("container_") : -len("_open")] if token.type.endswith("_open") else ""
        if not token.type.startswith("container_") or name not in (VOTE, RESERVATION):
            out.append(token)
            index += 1
            continue
        line = (token.map[0] if token.map else 0) + first_line
        close, depth, nested = index + 1, 1, False
        while close < len(tokens):
            kind = tokens[close].type
            if kind == token.type:
                outline.nested((tokens[close].map or [0])[0] + first_line, name)
                nested = True
            depth += kind == token.type
            depth -= kind == f"container_{name}_close"
            if depth == 0:
                break
            close += 1
        record: Vote | Reservation | None = None
        if close >= len(tokens) or tokens[close].markup == "":
            outline.unclosed(line, name)
        elif not nested and token.map:
            if lines is None:
                lines = text.replace("\r\n", "\n").replace("\r", "\n").split("\n")
            start, end = token.map
            record = _read_block(
                name, "\n".join(lines[start + 1 : end]), start + 1 + first_line, line, outline
            )
        block = Token("vote_block", "", 0)
        block.block, block.map, block.level = True, token.map, token.level
        block.meta = {"name": name, "line": line, "record": record}
        if isinstance(record, Vote):
            block.content = vote_html(record, language)
        elif isinstance(record, Reservation):
            block.content = reservation_html(record, language)
        out.append(block)
        index = close + 1
    return out


def parse_body(text: str, first_line: int = 1, decision_label: str = "Beslut") -> ParsedBody:
    """Render a meeting body and find its items and decisions (lines are file lines): the reference."""
    md = markdown_engine()
    env: dict[str, Any] = {"decision_label": decision_label}
    tokens = md.parse(text, env)
    outline = Outline(_container_messages(text, first_line))
    if any(token.type.startswith(("container_votering", "container_reservation")) for token in tokens):
        tokens = vote_tokens(tokens, text, first_line, body_language(decision_label), outline)
    deepest = max(tokens, key=lambda token: token.level, default=None)
    if deepest is not None and deepest.level >= MAX_NESTING - 2:
        outline.too_deep((deepest.map[0] if deepest.map else 0) + first_line)

    def file_line(token: Token) -> int:
        return (token.map[0] if token.map else 0) + first_line

    out: list[Token] = []
    index = 0
    while index < len(tokens):
        token = tokens[index]
        if token.type == "heading_open" and token.level == 0 and token.tag in ("h1", "h2"):
            level_one = token.tag == "h1"
            if level_one:
                token.tag = tokens[index + 2].tag = "h2"
            if outline.items:
                out.append(Token("item_close", "section", -1))
            anchor = outline.item(tokens[index + 1].content, file_line(token), level_one)
            token.attrSet("id", anchor)
            opener = Token("item_open", "section", 1)
            opener.meta = {"anchor": anchor}
            out.append(opener)
        elif token.type == "vote_block":
            outline.block(token)
        elif token.type == f"container_{DECISION}_open":
            token.meta = {**(token.meta or {}), "anchor": outline.decision_anchor()}
            close = index + 1
            depth = 1
            while close < len(tokens):
                kind = tokens[close].type
                if kind == token.type:
                    outline.nested(file_line(tokens[close]))
                depth += kind == token.type
                depth -= kind == f"container_{DECISION}_close"
                if depth == 0:
                    break
                close += 1
            inner = tokens[index + 1 : close]
            if close >= len(tokens) or tokens[close].markup == "":
                outline.unclosed(file_line(token))
            outline.decision(
                ParsedDecision(
                    html=md.renderer.render(inner, md.options, env),
                    text=plain_text(inner),
                    line=file_line(token),
                )
            )
        out.append(token)
        index += 1
    if outline.items:
        out.append(Token("item_close", "section", -1))
    return outline.body(md.renderer.render(out, md.options, env))


def with_item_notes(html: str, notes: dict[str, str]) -> str:
    """A body's HTML with a note (HTML) after the heading of each item, by the item's anchor: what
    the front matter says of an item (jäv) is shown, and searched, with it."""
    for anchor, note in notes.items():
        start = html.find(f'<h2 id="{anchor}">')
        end = html.find("</h2>\n", start) if start >= 0 else -1
        if end >= 0:
            end += len("</h2>\n")
            html = html[:end] + note + html[end:]
    return html


def render_document(text: str, decision_label: str = "Beslut") -> str:
    """Plain Markdown to HTML (a guide, not minutes): no item sections or anchors."""
    return str(markdown_engine().render(text, {"decision_label": decision_label}))
