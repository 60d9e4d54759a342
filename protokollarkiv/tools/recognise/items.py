"""Items (ärenden) and their decisions: the numbering style, headings, and `::: beslut` blocks."""

from __future__ import annotations

import re
from dataclasses import dataclass

from .found import Item

_TITLE_MAX = 160
_DNR = re.compile(r"^(?P<dnr>Dnr\.?:?\s+(?:[A-ZÅÄÖ]{1,6}[\s-]*)?\d{2,4}[/.:-]\d{1,5}(?:[/.:-]\d{1,5})?)\s*")
# Each style: its name, the pattern of a heading line, and whether numbers must rise by exactly one.
STYLES: tuple[tuple[str, re.Pattern[str], bool], ...] = (
    ("§ N", re.compile(r"^§\s*(?P<n>\d{1,4})[a-z]?\.?(?:\s+|\t|$)(?P<rest>.*)$"), False),
    ("N §", re.compile(r"^(?P<n>\d{1,4})\s*§(?:\s+|\t|$)(?P<rest>.*)$"), False),
    (
        "Ks N",
        re.compile(r"^(?P<prefix>[A-ZÅÄÖ][A-Za-zåäö]{1,3})\s+§?\s*(?P<n>\d{1,4})(?:\s+|\t|$)(?P<rest>.*)$"),
        False,
    ),
    ("HH:MM", re.compile(r"^(?:[-•–]\s*)?(?P<h>\d{1,2})[:.](?P<m>[0-5]\d)(?:\s+|\t|$)(?P<rest>.*)$"), False),
    ("N.", re.compile(r"^(?P<n>\d{1,3})\.(?:\s+|\t)(?P<rest>[A-ZÅÄÖ§\"“].*)$"), True),
)
_DECISION = re.compile(
    r"^(?:\**beslut\b(?!s)|beslöts\b|\S+s beslut\s*:?\**$"
    r"|[^.]{0,80}\bbeslut(?:ar|ade|ades)\b[^.]{0,60}\batt\s*:?\**$)",
    re.IGNORECASE,
)
_BULLET = re.compile(r"^(?:[-•*–]\s)")


@dataclass(frozen=True)
class Heading:
    index: int  # line where the heading starts
    end: int  # first line after it (the title may stand on the next line)
    number: str
    heading: str
    title: str
    first: tuple[str, ...]  # text the heading line held after its title (a diary number, a sentence)


def find_headings(lines: list[str]) -> tuple[str, list[Heading]]:
    """The numbering style the minutes use and their item headings; ("", []) when none is seen."""
    best: tuple[str, list[Heading]] = ("", [])
    for style, pattern, consecutive in STYLES:
        found = _candidates(lines, style, pattern, consecutive)
        if len(found) > len(best[1]) and (len(found) >= 2 or style in ("§ N", "N §")):
            best = (style, found)
    return best


def _candidates(lines: list[str], style: str, pattern: re.Pattern[str], consecutive: bool) -> list[Heading]:
    found: list[Heading] = []
    prefixes: set[str] = set()
    last = -1
    for i, line in enumerate(lines):
        m = pattern.match(line.strip())
        if not m:
            continue
        if style == "HH:MM":
            number = int(m["h"]) * 60 + int(m["m"])
            if int(m["h"]) > 23:
                continue
        else:
            number = int(m["n"])
        if number <= last or (consecutive and last >= 0 and number != last + 1):
            continue
        if style == "Ks N":
            if not (_DNR.match(m["rest"]) or (i + 1 < len(lines) and _DNR.match(lines[i + 1]))):
                continue
            prefixes.add(m["prefix"].casefold())
        heading = _heading(lines, i, style, m)
        if heading is None:
            continue
        found.append(heading)
        last = number
    if style == "Ks N" and len(prefixes) > 1:
        return []
    return found


def _heading(lines: list[str], i: int, style: str, m: re.Match[str]) -> Heading | None:
    rest = m["rest"].replace("\t", " ").strip()
    first: list[str] = []
    end = i + 1
    if dnr := _DNR.match(rest):
        first.append(dnr["dnr"])
        rest = rest[dnr.end() :]
    if not rest and end < len(lines) and (dnr := _DNR.match(lines[end])):
        first.append(dnr["dnr"])
        rest, end = lines[end][dnr.end() :].strip(), end + 1
    if not rest:  # "09:40" alone, the title on the next line
        if (
            end >= len(lines)
            or len(lines[end]) > _TITLE_MAX
            or any(p.match(lines[end]) for _, p, _ in STYLES)
        ):
            return None
        rest, end = lines[end].strip(), end + 1
    title, more = _first_sentence(rest)
    if more:
        first.append(more)
    if not title or len(title) > _TITLE_MAX:
        return None
    if style == "HH:MM":
        label = f"{int(m['h']):02d}:{m['m']}"
        number = label.replace(":", "")
    else:
        number = m["n"]
        label = f"{number}." if style == "N." else f"§ {number}"
    return Heading(i, end, number, f"{label} {title}", title, tuple(first))


def _first_sentence(text: str) -> tuple[str, str]:
    """A heading line that goes on into the minutes' text: its first sentence is the title."""
    m = re.search(r"[.?!]\s+(?=[A-ZÅÄÖ])", text)
    if m and m.start() > 3:
        return text[: m.start() + (1 if text[m.start()] != "." else 0)].strip(), text[m.end() :].strip()
    return text.rstrip(":").rstrip(".").strip() if text.endswith((":", ".")) else text, ""


def item(heading: Heading | None, title: str, lines: list[str]) -> Item:
    """An item from its heading and the lines up to the next; decisions as blocks of their own."""
    blocks: list[tuple[str, list[str]]] = []
    for line in [*(heading.first if heading else ()), *lines]:
        if is_decision_start(line):
            blocks.append(("decision", [line]))
        elif blocks:
            blocks[-1][1].append(line)
        else:
            blocks.append(("text", [line]))
    return Item(
        heading.number if heading else None,
        heading.heading if heading else title,
        heading.title if heading else title,
        tuple((kind, tuple(text)) for kind, text in blocks),
    )


def is_decision_start(line: str) -> bool:
    return len(line) <= 140 and bool(_DECISION.match(line.strip()))
