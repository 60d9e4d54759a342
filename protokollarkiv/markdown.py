"""The one Markdown engine: item headings with stable anchors, `::: beslut` decision blocks, the TOC."""

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

# `§ 103 Title`, `11. Title`, `09:40 Title` (also `9.40`); the number makes the anchor.
_ITEM_NUMBER = re.compile(
    r"^(?:(?P<para>§\s*(?P<pnum>\d+[a-z]?))|(?P<num>\d+[a-z]?)\.|(?P<time>\d{1,2}[:.]\d{2}))"
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


def _render_item_open(
    self: RendererHTML, tokens: Sequence[Token], idx: int, options: OptionsDict, env: EnvType
) -> str:
    return f'<section class="item" aria-labelledby="{tokens[idx].meta["anchor"]}">\n'


def _render_item_close(
    self: RendererHTML, tokens: Sequence[Token], idx: int, options: OptionsDict, env: EnvType
) -> str:
    return "</section>\n"


def _render_decision_open(
    self: RendererHTML, tokens: Sequence[Token], idx: int, options: OptionsDict, env: EnvType
) -> str:
    if tokens[idx].nesting == -1:
        return "</div>\n"
    label = escapeHtml(env.get("decision_label", "Beslut"))
    anchor = tokens[idx].meta.get("anchor", "beslut")
    # A heading with an id makes each decision its own sub-result in the search index.
    return f'<div class="beslut">\n<h3 class="beslut-label" id="{anchor}">{label}</h3>\n'


@cache
def markdown_engine() -> MarkdownIt:
    """CommonMark + tables + `::: beslut`; raw HTML is escaped, never passed through."""
    md = MarkdownIt("commonmark", {"html": False}).enable("table")
    # Raw HTML is off, so these rules can never match; not running them saves time on every block.
    md.disable(["html_block", "html_inline"])
    md.use(container_plugin, DECISION, render=_render_decision_open)
    md.add_render_rule("item_open", _render_item_open)
    md.add_render_rule("item_close", _render_item_close)
    return md


def _plain_text(tokens: Sequence[Token]) -> str:
    parts: list[str] = []
    for token in tokens:
        if token.type == "inline":
            words = [
                " " if child.type in ("softbreak", "hardbreak") else child.content
                for child in token.children or []
            ]
            parts.append("".join(words))
    return "\n".join(p for p in parts if p)


def parse_body(text: str, first_line: int = 1, decision_label: str = "Beslut") -> ParsedBody:
    """Render a meeting body and find its items and decisions; lines are file lines."""
    md = markdown_engine()
    env: dict[str, Any] = {"decision_label": decision_label}
    tokens = md.parse(text, env)
    messages: list[BodyMessage] = []
    lines = text.splitlines()

    def file_line(token: Token) -> int:
        return (token.map[0] if token.map else 0) + first_line

    for offset, line in enumerate(lines):
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

    out: list[Token] = []
    items: list[dict[str, Any]] = []
    loose: list[ParsedDecision] = []
    anchors: set[str] = set()
    index = 0
    while index < len(tokens):
        token = tokens[index]
        if token.type == "heading_open" and token.level == 0 and token.tag in ("h1", "h2"):
            if token.tag == "h1":
                messages.append(
                    BodyMessage(
                        file_line(token),
                        Severity.WARNING,
                        "a level-1 heading in the body is shown as an item heading",
                        "the meeting title is the page's only level-1 heading; use '## ' for items",
                    )
                )
                token.tag = tokens[index + 2].tag = "h2"
            heading_text = tokens[index + 1].content
            number, label, title = parse_item_heading(heading_text)
            base = f"p{number}" if number else (slugify(title) or "punkt")
            anchor, suffix = base, 2
            while anchor in anchors:
                anchor, suffix = f"{base}-{suffix}", suffix + 1
            anchors.add(anchor)
            token.attrSet("id", anchor)
            if items:
                out.append(Token("item_close", "section", -1))
            opener = Token("item_open", "section", 1)
            opener.meta = {"anchor": anchor}
            out.append(opener)
            items.append(
                {
                    "number": number,
                    "label": label,
                    "title": title,
                    "anchor": anchor,
                    "line": file_line(token),
                    "decisions": [],
                }
            )
            if not title:
                messages.append(
                    BodyMessage(
                        file_line(token),
                        Severity.WARNING,
                        f"item heading '{heading_text.strip()}' has no title",
                        "write the item's title after its number",
                    )
                )
        elif token.type == f"container_{DECISION}_open":
            base = f"{items[-1]['anchor']}-{DECISION}" if items else DECISION
            decision_anchor, suffix = base, 2
            while decision_anchor in anchors:
                decision_anchor, suffix = f"{base}-{suffix}", suffix + 1
            anchors.add(decision_anchor)
            token.meta = {**(token.meta or {}), "anchor": decision_anchor}
            close = index + 1
            depth = 1
            while close < len(tokens):
                kind = tokens[close].type
                depth += kind == token.type
                depth -= kind == f"container_{DECISION}_close"
                if depth == 0:
                    break
                close += 1
            inner = tokens[index + 1 : close]
            if close >= len(tokens) or tokens[close].markup == "":
                messages.append(
                    BodyMessage(
                        file_line(token),
                        Severity.ERROR,
                        f"'::: {DECISION}' block is not closed",
                        "end the decision with a line ':::'",
                    )
                )
            decision = ParsedDecision(
                html=md.renderer.render(inner, md.options, env),
                text=_plain_text(inner),
                line=file_line(token),
            )
            if items:
                items[-1]["decisions"].append(decision)
            else:
                loose.append(decision)
                messages.append(
                    BodyMessage(
                        file_line(token),
                        Severity.WARNING,
                        "decision is not inside an item",
                        "put the '::: beslut' block below the item heading it belongs to",
                    )
                )
        out.append(token)
        index += 1
    if items:
        out.append(Token("item_close", "section", -1))

    return ParsedBody(
        html=md.renderer.render(out, md.options, env),
        items=tuple(
            ParsedItem(
                number=i["number"],
                label=i["label"],
                title=i["title"],
                anchor=i["anchor"],
                line=i["line"],
                decisions=tuple(i["decisions"]),
            )
            for i in items
        ),
        loose_decisions=tuple(loose),
        messages=tuple(messages),
    )


def render_document(text: str, decision_label: str = "Beslut") -> str:
    """Plain Markdown to HTML (a guide, not minutes): no item sections or anchors."""
    return str(markdown_engine().render(text, {"decision_label": decision_label}))
