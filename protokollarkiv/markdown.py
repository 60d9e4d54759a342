"""The reference Markdown engine (markdown-it-py): items with stable anchors, `::: beslut` decisions."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache
from typing import Any

from markdown_it import MarkdownIt
from markdown_it.common.utils import escapeHtml
from markdown_it.renderer import RendererHTML
from markdown_it.token import Token
from markdown_it.utils import EnvType, OptionsDict
from mdit_py_plugins.container import container_plugin

from .diagnostics import Severity

DECISION = "beslut"
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


@dataclass(frozen=True)
class BodyMessage:
    line: int
    severity: Severity
    message: str
    hint: str = ""


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


@cache
def markdown_engine() -> MarkdownIt:
    """CommonMark + tables + `::: beslut`; raw HTML is escaped, never passed through."""
    md = MarkdownIt("commonmark", {"html": False, "maxNesting": MAX_NESTING}).enable("table")
    # Raw HTML is off, so these rules can never match; not running them saves time on every block.
    md.disable(["html_block", "html_inline"])
    md.use(container_plugin, DECISION, render=_render_decision_open)
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
        if match and match["name"] and match["name"] != DECISION:
            messages.append(
                BodyMessage(
                    offset + first_line,
                    Severity.WARNING,
                    f"unknown block '::: {match['name']}'; it is shown as plain text",
                    f"the only block is '::: {DECISION}'",
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

    def unclosed(self, line: int) -> None:
        self.messages.append(
            BodyMessage(
                line,
                Severity.ERROR,
                f"'::: {DECISION}' block is not closed",
                "end the decision with a line ':::'",
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

    def nested(self, line: int) -> None:
        self.messages.append(
            BodyMessage(
                line,
                Severity.ERROR,
                f"a '::: {DECISION}' block inside another one",
                "close the first decision with ':::' before the next one begins",
            )
        )

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
                )
                for i in self.items
            ),
            loose_decisions=tuple(self.loose),
            messages=tuple(self.messages),
        )


def parse_body(text: str, first_line: int = 1, decision_label: str = "Beslut") -> ParsedBody:
    """Render a meeting body and find its items and decisions (lines are file lines): the reference."""
    md = markdown_engine()
    env: dict[str, Any] = {"decision_label": decision_label}
    tokens = md.parse(text, env)
    outline = Outline(_container_messages(text, first_line))
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


def render_document(text: str, decision_label: str = "Beslut") -> str:
    """Plain Markdown to HTML (a guide, not minutes): no item sections or anchors."""
    return str(markdown_engine().render(text, {"decision_label": decision_label}))
