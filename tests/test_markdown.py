"""Markdown rules: text fixtures for the rendered HTML, and what the parser finds in a body."""

from __future__ import annotations

from pathlib import Path

import pytest

from protokollarkiv.diagnostics import Severity
from protokollarkiv.markdown import parse_body, parse_item_heading, slugify

FIXTURES = Path(__file__).parent / "fixtures" / "markdown.txt"


def read_fixtures(path: Path) -> list[tuple[str, str, str]]:
    """(title, markdown, expected html) triples in markdown-it's `.`-separated fixture format."""
    cases: list[tuple[str, str, str]] = []
    lines = path.read_text(encoding="utf-8").splitlines(keepends=True)
    index = 0
    while index < len(lines):
        if not lines[index].strip():
            index += 1
            continue
        title = lines[index].strip()
        parts: list[str] = []
        index += 2  # the title line and the first "."
        for _ in range(2):
            start = index
            while lines[index].rstrip("\n") != ".":
                index += 1
            parts.append("".join(lines[start:index]))
            index += 1
        cases.append((title, parts[0], parts[1]))
    return cases


@pytest.mark.parametrize(
    ("title", "source", "expected"), read_fixtures(FIXTURES), ids=[c[0] for c in read_fixtures(FIXTURES)]
)
def test_markdown_fixture(title: str, source: str, expected: str) -> None:
    assert parse_body(source).html == expected


@pytest.mark.parametrize(
    ("heading", "expected"),
    [
        ("§ 103 Dimensionering", ("103", "§ 103", "Dimensionering")),
        ("§103 Utan mellanslag", ("103", "§ 103", "Utan mellanslag")),
        ("11. VFU avtal för socionomer", ("11", "11.", "VFU avtal för socionomer")),
        ("09:40 Yrkesvux och statsbidrag", ("0940", "09:40", "Yrkesvux och statsbidrag")),
        ("9.40 Kaffe", ("940", "9:40", "Kaffe")),
        ("Inledning", (None, None, "Inledning")),
        ("2025 års budget", (None, None, "2025 års budget")),
    ],
)
def test_item_heading_forms(heading: str, expected: tuple[str | None, str | None, str]) -> None:
    assert parse_item_heading(heading) == expected


def test_slugify_follows_the_design_rule() -> None:
    assert slugify("Falköping") == "falkoping"
    assert slugify("Örebro län") == "orebro-lan"
    assert slugify("Grästorp") == "grastorp"
    assert slugify("Ljusnarsberg ") == "ljusnarsberg"


def test_items_and_decisions_are_collected_with_file_lines() -> None:
    body = "\n## § 105 Yrkesvux\n\nText.\n\n::: beslut\nBalanskontot minskas.\n:::\n\n## § 106 Annat\n"
    parsed = parse_body(body, first_line=10, decision_label="Decision")
    assert [(i.number, i.label, i.title, i.anchor, i.line) for i in parsed.items] == [
        ("105", "§ 105", "Yrkesvux", "p105", 11),
        ("106", "§ 106", "Annat", "p106", 19),
    ]
    (decision,) = parsed.items[0].decisions
    assert decision.text == "Balanskontot minskas."
    assert decision.line == 15
    assert '<h3 class="beslut-label" id="p105-beslut">Decision</h3>' in parsed.html
    assert parsed.items[1].decisions == ()
    assert parsed.messages == ()


def test_unclosed_decision_is_an_error_at_its_line() -> None:
    parsed = parse_body("## § 1 A\n\n::: beslut\nText\n\n## § 2 B\n", first_line=5)
    assert [(m.line, m.severity, m.message) for m in parsed.messages] == [
        (7, Severity.ERROR, "'::: beslut' block is not closed"),
    ]


def test_body_warnings() -> None:
    parsed = parse_body("::: beslut\nFöre punkt\n:::\n\n# Rubrik\n\n::: notis\nx\n:::\n\n## § 4\n")
    assert [(m.line, m.message) for m in parsed.messages] == [
        (7, "unknown block '::: notis'; it is shown as plain text"),
        (1, "decision is not inside an item"),
        (5, "a level-1 heading in the body is shown as an item heading"),
        (11, "item heading '§ 4' has no title"),
    ]
    assert [d.text for d in parsed.loose_decisions] == ["Före punkt"]
    assert "<h1" not in parsed.html
