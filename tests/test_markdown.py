"""Markdown rules: text fixtures for the rendered HTML, and what the parser finds in a body."""

from __future__ import annotations

import random
from pathlib import Path

import pytest

from protokollarkiv.diagnostics import Severity
from protokollarkiv.markdown import parse_body as parse_body_reference
from protokollarkiv.markdown import parse_item_heading, slugify
from protokollarkiv.speed.markdown import compiled_engine, parse_body_compiled
from protokollarkiv.speed.markdown import fast_parse_body as parse_body

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
    assert parse_body_reference(source).html == expected
    compiled = parse_body_compiled(compiled_engine(), source)
    assert compiled is not None, "every fixture is plain enough for the compiled engine"
    assert compiled == parse_body_reference(source)
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


# --- the compiled engine against the reference ----------------------------------------------------

_WORDS = (
    "Text", "Örebro", "§ 5", "12 000 kr", "*betoning*", "**fet**", "_under_", "__dubbel__", "*a **b** c*",
    "`kod`", "[länk](https://exempel.se)", "![bild](a.png)", "<https://exempel.se>", "https://bar.se",
    "&amp;", "&nbsp;", "3 < 4", "<b>html</b>", "\\*inte\\*", "a*b", "a_b_c", "1.", "#", "-", "+", "=",
    "(parentes)", "[klammer]", "**", "*", "x`y", "~", "–", '"citat"', "\\",
)  # fmt: skip


def _random_body(rng: random.Random) -> str:
    """A body made of the blocks minutes are written in, glued in random, often unusual, ways."""

    def words() -> str:
        return " ".join(rng.choice(_WORDS) for _ in range(rng.randint(1, 8)))

    def block(depth: int = 0) -> str:
        kind = rng.randint(0, 9)
        if kind <= 2:
            return "\n".join(words() + rng.choice(["", "", "  ", "\\"]) for _ in range(rng.randint(1, 3)))
        if kind == 3:
            marker = rng.choice(["-", "*", "+", "1.", "2)"])
            tails = ["", "\n", "\n  " + words(), "\n   - " + words(), "\n    - " + words()]
            return "\n".join(f"{marker} {words()}{rng.choice(tails)}" for _ in range(rng.randint(1, 4)))
        if kind == 4:
            columns = rng.randint(1, 3)
            rows = ["| " + " | ".join(words() for _ in range(columns)) + " |"]
            rows.append(
                "|" + "|".join(rng.choice(["---", ":--", "--:", ":-:"]) for _ in range(columns)) + "|"
            )
            for _ in range(rng.randint(0, 3)):
                rows.append("| " + " | ".join(words() for _ in range(rng.randint(1, columns + 1))) + " |")
            return "\n".join(rows)
        if kind == 5:
            marks = rng.choice(["#", "##", "###", " ##", "   ##"])
            number = rng.choice(["§ 12 ", "3. ", "09:40 ", "", "§ 12"])
            return f"{marks} {number}{words()}{rng.choice(['', ' ##', ' #', '#'])}"
        if kind == 6:
            return words() + "\n" + rng.choice(["===", "---", "  ---"])
        if kind == 7:
            return rng.choice(["---", "***", "* * *", "    kod\n    mer kod", "\tflik", "1986\\. år"])
        if kind == 8 and depth == 0:
            inner = "\n\n".join(block(1) for _ in range(rng.randint(0, 2)))
            return f"::: beslut\n{inner}\n:::"
        return f"## § {rng.randint(1, 400)} {words()}"

    glue = ["\n\n", "\n\n", "\n\n", "\n", "\n\n\n"]
    return "".join(block() + rng.choice(glue) for _ in range(rng.randint(2, 12)))


def test_the_compiled_engine_equals_the_reference_on_random_bodies() -> None:
    """Where the compiled engine takes a body, items, anchors, decisions, messages and every byte
    of HTML are the reference's. (Found this way: quotes, tables next to lists, code spans over
    hard breaks and emphasis next to symbols differ, so those bodies go to the reference.)"""
    rng = random.Random(8)
    compiled = 0
    for _ in range(1500):
        body = _random_body(rng)
        fast = parse_body_compiled(compiled_engine(), body, first_line=7, decision_label="Beslut")
        if fast is not None:
            compiled += 1
            assert fast == parse_body_reference(body, first_line=7, decision_label="Beslut"), body
    assert compiled > 400  # the test must exercise the compiled engine, not only decline it


@pytest.mark.parametrize(
    "body",
    [
        "> citat\n123456789. ok\n",  # an ordered list ends a quote's lazy lines in one engine only
        "| a |\n|---|\n| 1 |\n2. punkt\n",  # a list ends a table in one engine only
        "- punkt\n-   a|b\n---|---\nc|d\n",  # a table interrupts a list item in one engine only
        "| a \\| b |\n|---|\n",  # escaped pipes split cells differently
        "`kod`  \n`kod`\n",  # a code span over a hard break
        "*£*belopp\n",  # emphasis next to a currency sign (CommonMark 0.31)
        ">\n",  # an empty quote
        "```\n::: beslut\n```\n",  # a decision line inside a fence is code
        "[a]\n\n::: beslut\n[a]: /x\n:::\n",  # a reference defined inside a decision
        "  ::: beslut\nx\n:::\n",  # indented: may belong to a list item
        "::: beslut\nx\n",  # unclosed: the reference reports it
        "::: notis\nx\n:::\n",  # unknown block
        "::: beslut\n::: beslut\nx\n:::\n:::\n",  # nested
        "rad\r\nrad\n",
    ],
)
def test_bodies_the_engines_disagree_on_go_to_the_reference(body: str) -> None:
    assert parse_body_compiled(compiled_engine(), body) is None
    assert parse_body(body) == parse_body_reference(body)


def test_deep_nesting_is_kept_or_refused_never_lost() -> None:
    """CommonMark's preset drops what a list nests below its tenth level; here both engines keep
    every level an author means, and a body nested 49 levels or more is an error at its line."""
    for depth in (9, 10, 20, 45):
        body = "".join(" " * (2 * level) + f"- punkt {level}\n" for level in range(depth))
        parsed = parse_body_reference(body, 5)
        assert parsed.html.count("<li>") == depth and f"punkt {depth - 1}" in parsed.html
        assert parsed.messages == () and parse_body(body, 5) == parsed
    body = "Inledning\n\n" + "- " * 60 + "djupt\n"
    parsed = parse_body_reference(body, 5)
    assert [(m.line, m.severity.value) for m in parsed.messages] == [(7, "error")]
    assert parse_body(body, 5) == parsed
