"""The compiled Markdown engine, markdown-it-pyrs, held to the bytes of the reference (`markdown`).

Replaces: `markdown.parse_body` (markdown-it-py) for a body in the plain Markdown that minutes
are written in; anything else still goes to the reference.
Gain: a body of the generated archive in about 1.1 ms instead of 3.3 ms, with our item and
decision handling (markdown-it-pyrs alone is about ten times faster than markdown-it-py).
Proof of equal bytes: tests/test_markdown.py compares the two engines on random bodies and every
fixture; tests/test_speed.py builds whole sites both ways.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from functools import cache
from typing import Any

from markdown_it.common.utils import mdTrim

from ..markdown import (
    DECISION,
    Outline,
    ParsedBody,
    ParsedDecision,
    decision_open,
    item_open,
    markdown_engine,
    parse_body,
    plain_text,
)


def fast_parse_body(text: str, first_line: int = 1, decision_label: str = "Beslut") -> ParsedBody:
    """`markdown.parse_body`, through the compiled engine where it gives the same result."""
    engine = compiled_engine()
    if engine is not None and (parsed := parse_body_compiled(engine, text, first_line, decision_label)):
        return parsed
    return parse_body(text, first_line, decision_label)


# markdown-it-pyrs's rules for CommonMark + tables, without raw HTML (its `commonmark` preset
# passes HTML through, and it has no `disable`, so it starts from `zero`).
_COMPILED_RULES: list[Any] = [
    "blockquote", "code", "fence", "heading", "hr", "lheading", "list", "paragraph", "reference",
    "autolink", "backticks", "emphasis", "entity", "escape", "image", "link", "newline", "table",
]  # fmt: skip

# What sends a body to the reference instead. Found by comparing the two engines on the
# CommonMark spec, markdown-it's fixtures and random bodies (tests/test_markdown.py), and by what
# rendering the body in parts around its decision blocks needs:
# - CR and NUL (markdown-it-py normalizes them first);
# - code fences (a `:::` line inside one is code) and link reference definitions (a definition
#   applies to the whole body, but the parts are rendered apart);
# - block quotes, and emphasis next to non-ASCII punctuation or symbols: the engines differ on
#   what interrupts a quote's lazy lines, and follow different CommonMark versions on emphasis;
# - a line with a pipe that is not in a run of such lines with blank lines around it, or that
#   starts a list item, or an escaped pipe: the engines differ on what ends a table or
#   interrupts one, and on how `\|` splits its cells;
# - a backtick and a line that ends in a space: a code span over a hard line break differs.
# Votes and reservations (`::: votering`, `::: reservation`) are read from their YAML lines by the
# reference (`markdown.vote_tokens`): `_split_decisions` sends a body with one there, as it does
# any block but `::: beslut`, so both engines give the same records and bytes.
_NEEDS_REFERENCE = ("\r", "\0", "```", "~~~", "]:", "\\|")
_QUOTE = re.compile(r"^[ \t]*(?:(?:[-+*]|\d{1,9}[.)])[ \t]+)*>", re.MULTILINE)
_EMPHASIS = re.compile(r"[*_]+")
_TRAILING_SPACE = re.compile(r"[ \t]$", re.MULTILINE)
_LIST_ITEM = re.compile(r"[ \t]*(?:[-+*]|\d{1,9}[.)])(?:[ \t]|$)")
# Deep nesting (a line indented by 32 or more, or opening four list items at once): the
# reference reports nesting beyond its limit (`markdown.MAX_NESTING`), which the compiled one has not.
_DEEP = re.compile(r"^(?:[ \t]{32}|(?:[ \t]*(?:[-+*]|\d{1,9}[.)])[ \t]+){4})", re.MULTILINE)


def _next_to_symbol(text: str) -> bool:
    """Whether an emphasis mark touches a non-ASCII character that is neither a letter nor a space."""
    for mark in _EMPHASIS.finditer(text):
        for near in text[mark.start() - 1 : mark.start()], text[mark.end() : mark.end() + 1]:
            if near > "\x7f" and not (near.isalnum() or near.isspace()):
                return True
    return False


def _plain_enough(text: str, lines: list[str]) -> bool:
    """Whether the compiled engine renders this body exactly as the reference does."""
    if any(marker in text for marker in _NEEDS_REFERENCE):
        return False
    if ">" in text and _QUOTE.search(text):
        return False
    if _DEEP.search(text):
        return False
    if ("*" in text or "_" in text) and _next_to_symbol(text):
        return False
    if "`" in text and _TRAILING_SPACE.search(text):
        return False
    return "|" not in text or _tables_apart(lines)


def _tables_apart(lines: list[str]) -> bool:
    for number, line in enumerate(lines):
        if "|" not in line:
            continue
        if _LIST_ITEM.match(line):
            return False
        before = lines[number - 1] if number else ""
        after = lines[number + 1] if number + 1 < len(lines) else ""
        for near in before, after:
            if "|" not in near and near.strip(" \t") and not near.startswith(":::"):
                return False
    return True


_COMPILED_OPEN = re.compile(rf":::[ \t]*{DECISION}[ \t]*")
_COMPILED_CLOSE = re.compile(r":::[ \t]*")
_HEADING_TAG = re.compile(r"<h([1-6])>")
_ITEM_HEADING_LINE = re.compile(r"^(#{1,2})(?:[ \t].*)?$", re.MULTILINE)
_MAYBE_NESTED_HEADING = re.compile(r"^[ \t]+#|^ {0,3}(?:=+|-+)[ \t]*$", re.MULTILINE)
_HEADING_HOLDERS = frozenset({"blockquote", "bullet_list", "ordered_list", "list_item"})


@cache
def compiled_engine() -> Any:
    """markdown-it-pyrs set up like `markdown_engine`, or None where it is not installed."""
    try:
        import markdown_it_pyrs
    except ImportError:  # no wheel for this Python or platform: the reference does all the work
        return None
    md = markdown_it_pyrs.MarkdownIt("zero")
    md.enable_many(_COMPILED_RULES)
    return md


def _split_decisions(text: str) -> list[tuple[bool, int, str]] | None:
    """The body as (is a decision, first line, text) parts, or None if it is not plain enough.

    Decision blocks are cut out at `::: beslut` and `:::` lines in column 0: outside a code fence
    such a line always starts or ends a decision (it interrupts a paragraph, list or quote).
    """
    lines = text.split("\n")
    if not _plain_enough(text, lines):
        return None
    parts: list[tuple[bool, int, str]] = []
    start, inside = 0, False
    for number, line in enumerate(lines):
        if ":::" not in line or not line.lstrip(" \t").startswith(":::"):
            continue
        if not line.startswith(":::"):
            return None  # indented: it may belong to a list item
        if _COMPILED_OPEN.fullmatch(line) and not inside:
            parts.append((False, start, "\n".join(lines[start:number]) + "\n"))
            start, inside = number + 1, True
        elif _COMPILED_CLOSE.fullmatch(line) and inside:
            parts.append((True, start - 1, "\n".join(lines[start:number]) + "\n"))
            start, inside = number + 1, False
        else:
            return None  # nested, unclosed or unknown blocks: the reference reports them
    if inside:
        return None
    parts.append((False, start, "\n".join(lines[start:])))
    return parts


def _heading_text(source: str, name: str) -> str:
    """The inline text of a heading as markdown-it-py's heading and lheading rules cut it."""
    if name == "lheading":
        return mdTrim("\n".join(source.split("\n")[:-1]))
    pos = len(source) - len(source.lstrip(" \t"))
    while pos < len(source) and source[pos] == "#":
        pos += 1
    end = len(source)
    while end > pos and source[end - 1] in " \t":
        end -= 1
    tail = end
    while tail > pos and source[tail - 1] == "#":
        tail -= 1
    if tail > pos and source[tail - 1] in " \t":
        end = tail
    return mdTrim(source[pos:end])


def _headings(node: Any, top: bool) -> Iterator[tuple[Any, bool]]:
    """Every heading node in document order, and whether it is at the top level of the body."""
    for child in node.children:
        if child.name in ("heading", "lheading"):
            yield child, top
        elif child.name in _HEADING_HOLDERS:
            yield from _headings(child, False)


# Node kinds of the compiled engine's tree that `_tree_text` reads like `plain_text` reads tokens.
_TREE_INLINE_BLOCKS = frozenset({"paragraph", "heading", "lheading", "tcell"})
_TREE_BLOCKS = frozenset({"bullet_list", "ordered_list", "list_item", "table", "thead", "tbody", "trow"})
_TREE_SILENT = frozenset({"hr", "code_block"})
_TREE_WRAPPERS = frozenset({"em", "strong", "link", "code_inline"})


def _tree_text(root: Any) -> str | None:
    """`plain_text` of a decision, from the compiled engine's tree; None for what it cannot tell
    apart (images keep their label's source, autolinks a normalized URL: the reference does those).

    The reference has one inline token per paragraph, heading and table cell, also in a tight
    list item, where the tree puts the item's text straight under the item.
    """
    parts: list[str] = []

    def inline(nodes: Iterable[Any], out: list[str]) -> bool:
        for child in nodes:
            name = child.name
            if name in ("text", "text_special"):
                out.append(child.meta["content"])
            elif name in ("softbreak", "hardbreak"):
                out.append(" ")
            elif name not in _TREE_WRAPPERS or not inline(child.children, out):
                return False
        return True

    def block(node: Any) -> bool:
        run: list[str] = []  # a tight list item's text
        for child in node.children:
            name = child.name
            if name in _TREE_INLINE_BLOCKS or name in _TREE_BLOCKS or name in _TREE_SILENT:
                if run:
                    parts.append("".join(run))
                    run = []
                if name in _TREE_INLINE_BLOCKS:
                    words: list[str] = []
                    if not inline(child.children, words):
                        return False
                    parts.append("".join(words))
                elif name in _TREE_BLOCKS and not block(child):
                    return False
            elif node.name != "list_item" or not inline((child,), run):
                return False
        if run:
            parts.append("".join(run))
        return True

    return "\n".join(p for p in parts if p) if block(root) else None


def _item_headings(engine: Any, part: str, html: str) -> list[tuple[re.Match[str], int, str, int]] | None:
    """The item headings of a part (its top-level `#` and `##` headings) as (the tag in `html`,
    line in `part`, text, level), or None if the HTML's headings do not match the source's.

    ATX headings in column 0 are read from the lines: outside quotes, fences and tables (which
    send a body to the reference) such a line is always a top-level heading. Anything else that
    could be a heading (an indented `#`, a setext underline, a list item's) needs the engine's tree.
    """
    tags = list(_HEADING_TAG.finditer(html))
    if not _MAYBE_NESTED_HEADING.search(part):
        lines = list(_ITEM_HEADING_LINE.finditer(part))
        items = [tag for tag in tags if tag[1] in "12"]
        if len(lines) == len(items):  # else a list item starts with a heading: ask the tree
            return [
                (tag, part.count("\n", 0, match.start()), _heading_text(match[0], "heading"), len(match[1]))
                for tag, match in zip(items, lines, strict=True)
            ]
    nodes = list(_headings(engine.tree(part), True))
    if len(tags) != len(nodes):
        return None
    raw = part.encode()
    found: list[tuple[re.Match[str], int, str, int]] = []
    for (node, top), tag in zip(nodes, tags, strict=True):
        level = node.meta["level"]
        if not top or level > 2:
            continue
        start, end = node.srcmap
        begin = raw.rfind(b"\n", 0, start) + 1
        if node.name == "heading":  # one line; an lheading's srcmap ends with its underline
            end = raw.find(b"\n", start)
            end = len(raw) if end < 0 else end
        text = _heading_text(raw[begin:end].decode(), node.name)
        found.append((tag, raw.count(b"\n", 0, start), text, level))
    return found


def parse_body_compiled(
    engine: Any, text: str, first_line: int = 1, decision_label: str = "Beslut"
) -> ParsedBody | None:
    """`parse_body` through markdown-it-pyrs, or None when the body needs the reference."""
    parts = _split_decisions(text)
    if parts is None:
        return None
    outline = Outline([])  # an unknown `:::` block would have sent the body to the reference
    md = markdown_engine()
    out: list[str] = []
    for is_decision, line, part in parts:
        if is_decision:
            anchor = outline.decision_anchor()
            html = engine.render(part)
            plain = _tree_text(engine.tree(part))
            if plain is None:
                env: dict[str, Any] = {"decision_label": decision_label}
                tokens = md.parse(part, env)
                html, plain = md.renderer.render(tokens, md.options, env), plain_text(tokens)
            outline.decision(ParsedDecision(html=html, text=plain, line=line + first_line))
            out.extend((decision_open(decision_label, anchor), html, "</div>\n"))
            continue
        html = engine.render(part)
        if "<h" not in html:
            out.append(html)
            continue
        headings = _item_headings(engine, part, html)
        if headings is None:
            return None  # cannot happen with raw HTML escaped; if it does, the reference decides
        cursor = 0
        for tag, offset, heading, level in headings:
            out.append(html[cursor : tag.start()] + ("</section>\n" if outline.items else ""))
            anchor = outline.item(heading, line + offset + first_line, level == 1)
            out.append(f'{item_open(anchor)}<h2 id="{anchor}">')
            cursor = tag.end()
            if level == 1:
                close = html.index("</h1>", cursor)
                out.append(html[cursor:close] + "</h2>")
                cursor = close + len("</h1>")
        out.append(html[cursor:])
    if outline.items:
        out.append("</section>\n")
    return outline.body("".join(out))
