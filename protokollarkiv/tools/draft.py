"""Recognised minutes as a draft meeting file: front matter with `# kontrollera:` comments, then the items."""

from __future__ import annotations

import re
from typing import Any

import yaml

from .recognise.found import Guess, Item, Person, Recognised

PLACEHOLDER_DATE = "ÅÅÅÅ-MM-DD"  # no date found: `check` flags it until the secretary writes one
_MARKDOWN_START = re.compile(r"^(?:#|:::|>|\+\s|={3,}$|-{3,}$|\*{3,}$)")


def flow(value: Any) -> str:
    """One YAML value on one line, quoted where YAML needs it."""
    text = yaml.safe_dump(value, default_flow_style=True, allow_unicode=True, width=10_000, sort_keys=False)
    return str(text).strip().removesuffix("...").strip()


_DATES = ("date", "adjusted_on", "posted_on")


def _field(key: str, guess: Guess[Any] | None) -> list[str]:
    if guess is None:
        return []
    iso = isinstance(guess.value, str) and re.fullmatch(r"\d{4}-\d{2}-\d{2}", guess.value)
    line = f"{key}: {guess.value if key in _DATES or iso else flow(guess.value)}"
    if guess.confidence != "sure":
        line += f"  # kontrollera: {_comment(guess.why or 'gissat')}"
    return [line]


def _comment(text: str) -> str:
    return " ".join(text.split())


def _person(p: Person) -> dict[str, Any]:
    entry: dict[str, Any] = {"name": p.name}
    for key in ("municipality", "organisation", "role", "party"):
        value = getattr(p, key)
        if value:
            entry[key] = value
    if p.present is not True:
        entry["present"] = p.present
    if p.group:
        entry["group"] = p.group
    return entry


def front_matter(found: Recognised, source_name: str) -> list[str]:
    lines = [
        "---",
        f"# Importerat ur {_comment(source_name)} med `build.py import`. Kontrollera varje rad märkt",
        '# "kontrollera", jämför med originalet och ta sedan bort kommentarerna.',
    ]
    if found.date is None:
        lines.append(f"date: {PLACEHOLDER_DATE}  # kontrollera: inget datum hittades; skriv mötets datum")
    lines += _field("title", found.title)
    lines += _field("date", found.date)
    lines += _field("time", found.time)
    lines += _field("place", found.place)
    lines.append("status: utkast")
    lines += _field("chair", found.chair)
    lines += _field("secretary", found.secretary)
    lines += _field("adjusters", found.adjusters)
    lines += _field("adjusted_on", found.adjusted_on)
    lines += _field("posted_on", found.posted_on)
    lines += _participants(found.participants)
    if found.municipalities:
        lines.append("municipalities:")
        lines += [f"  {slug}: {state}" for slug, state in found.municipalities.items()]
    lines += _field("next_meeting", found.next_meeting)
    if found.numbering:
        lines.append(f'# Ärendena numrerades "{found.numbering}" i originalet.')
    lines += [f"# kontrollera: {_comment(note)}" for note in found.notes]
    if found.unused:
        lines.append("# Rader ur protokollhuvudet som inte lästes in (flytta det som behövs):")
        lines += [f"#   {_comment(line)}" for line in found.unused]
    lines.append("---")
    return lines


def _participants(people: list[Person]) -> list[str]:
    if not people:
        return []
    lines = ["participants:"]
    heading = None
    for p in people:
        label = p.group or (p.role or "") + ("" if p.present is not False else " (frånvarande)")
        if label != heading:
            lines.append(f"  # {_comment(label.strip() or 'deltagare')}")
            heading = label
        line = f"  - {flow(_person(p))}"
        if p.present is None:
            line += "  # kontrollera: protokollet säger inte om personen var närvarande"
        elif p.note:
            line += f'  # kontrollera: i originalet "{_comment(p.note)}"'
        lines.append(line)
    return lines


def body(items: list[Item]) -> list[str]:
    out: list[str] = []
    for item in items:
        out += ["", f"## {item.heading}"]
        for kind, text in item.blocks:
            if kind == "decision":
                out += ["", "::: beslut", *_paragraphs(text, tight=True), ":::"]
            else:
                out += ["", *_paragraphs(text, tight=False)]
    return out


def _paragraphs(lines: tuple[str, ...], tight: bool) -> list[str]:
    """Each line a paragraph of its own (a list's lines stay together), as written."""
    out: list[str] = []
    previous_bullet = False
    for line in lines:
        text = line.replace("\t", " ").strip()
        bullet = text.startswith(("- ", "• ", "* ", "– "))
        if bullet:
            text = "- " + text[2:].strip()
        elif _MARKDOWN_START.match(text):
            text = "\\" + text  # the words as written, not Markdown markup
        if out and not (bullet and previous_bullet):
            out.append("")
        out.append(text)
        previous_bullet = bullet
    if tight:
        return out
    return out


def draft(found: Recognised, source_name: str) -> str:
    return "\n".join([*front_matter(found, source_name), *body(found.items)]) + "\n"
