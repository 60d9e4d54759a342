"""Votes (`::: votering`), reservations (`::: reservation`) and jäv: read, checked, shown, exported."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import jsonschema
import pytest
from playwright.sync_api import Browser

from protokollarkiv.build.builder import Project, build, check
from protokollarkiv.markdown import parse_body
from protokollarkiv.speed.markdown import fast_parse_body

from .conftest import MEETING_PATH, MiniProject, meeting_text, parse_html, serve_folder

M = f"content/{MEETING_PATH}"
# Made-up people; the participant list starts on line 4.
FRONT = """\
participants:
  - {name: Anna Andersson, municipality: falkoping, role: ledamot}
  - {name: Per Persson, municipality: skovde, role: ledamot}
  - {name: Karin Karlsson, municipality: skovde, role: ledamot, recused: ["2"]}
  - {name: Olle Olsson, municipality: falkoping, role: ledamot}
  - {name: Eva Ek, municipality: essunga, role: ersättare, present: false}
  - {name: Lars Lund, municipality: essunga, role: ledamot, items: ["3"]}
"""
NAMED = """\
## § 1 Budget 2025

Två förslag fanns.

::: beslut
Nämnden antar arbetsutskottets förslag.
:::

::: votering
ja-förslag: Bifall till arbetsutskottets förslag
nej-förslag: Bifall till Karin Karlssons yrkande
ja-röster: [Anna Andersson, Per Persson]
nej-röster: [Karin Karlsson]
avstår: [Olle Olsson]
resultat: ja
:::

::: reservation
namn: [Karin Karlsson]
motivering: Förslaget saknar finansiering.
:::
"""
COUNTED = """\
## § 2 Lokaler

::: beslut
Ärendet återremitteras.
:::

::: votering
ja-förslag: Ärendet avgörs i dag
nej-förslag: Ärendet återremitteras
antal: 1 ja, 3 nej
resultat: nej
:::
"""
BODY_LINE = 15  # the body's first file line: ---, date, status, 7 front lines, chair, adjusters, ---, blank


def body_line(body: str, text: str) -> int:
    """The file line of the first line of `body` that starts with `text`."""
    return BODY_LINE + next(n for n, line in enumerate(body.split("\n")) if line.startswith(text))


def diagnostics_of(project: Project) -> list[str]:
    return check(project).diagnostics.format(project.content.parent)


def vote_meeting(body: str, front: str = FRONT) -> str:
    """The meeting with `body`, and at its end the items FRONT names (§ 2, § 3) if it has none."""
    for number, title in (("2", "Lokaler"), ("3", "Övrigt")):
        if f"## § {number} " not in body:
            body += f"\n## § {number} {title}\n"
    return meeting_text(front, body=body)


def test_the_fixture_lines_are_where_the_tests_say() -> None:
    text = vote_meeting(NAMED)
    assert text.split("\n")[BODY_LINE - 1] == "## § 1 Budget 2025"


def test_a_named_vote_and_a_counted_vote_are_clean(mini: MiniProject) -> None:
    assert diagnostics_of(mini(meeting=vote_meeting(NAMED + "\n" + COUNTED))) == []


def test_the_records(mini: MiniProject) -> None:
    result = check(mini(meeting=vote_meeting(NAMED + "\n" + COUNTED)))
    assert result.site is not None
    (meeting,) = result.site.meetings
    first, second, _ = meeting.items
    (vote,) = first.votes
    assert vote.counts == (2, 1, 1) and vote.score == "2–1–1" and vote.result == "ja"
    assert vote.names("ja") == ("Anna Andersson", "Per Persson")
    assert vote.proposition("nej") == "Bifall till Karin Karlssons yrkande"
    assert first.reservations[0].names == ("Karin Karlsson",)
    assert first.decisions[0].votes == first.votes and first.decisions[0].reservants == ("Karin Karlsson",)
    (counted,) = second.votes
    assert counted.ballots == () and counted.counts == (1, 3, 0) and counted.score == "1–3"
    # Jäv: on the item (names) and on the participant (item numbers), for the person pages.
    assert second.recused == ("Karin Karlsson",) and first.recused == ()
    assert meeting.participants[2].recused == ("2",)
    assert [v for _, v in meeting.votes] == [vote, counted]


def test_the_meeting_page_shows_votes_reservations_and_jav(mini: MiniProject) -> None:
    project = mini(meeting=vote_meeting(NAMED + "\n" + COUNTED))
    result = build(project)
    assert result.ok, result.diagnostics.format()
    page = parse_html(project.output / "natverk/skolchefer/2024-09-20/index.html")
    sections = page.find_all("section", "item")
    tables = [s.find_all("table") for s in sections]
    assert [len(t) for t in tables] == [1, 1, 0]
    named, counted = tables[0][0], tables[1][0]
    assert named.find_all("caption")[0].full_text() == "Votering: 2 ja, 1 nej, 1 avstår"
    heads = [th.full_text() for th in named.find_all("th")]
    assert heads[:4] == ["Röst", "Förslag", "Antal", "Namn"]
    assert [th.attrs["scope"] for th in named.find_all("th")] == ["col"] * 4 + ["row"] * 3
    rows = [[c.full_text() for c in tr.find_all() if c.tag in ("th", "td")] for tr in named.find_all("tr")]
    assert rows[1] == ["Ja", "Bifall till arbetsutskottets förslag", "2", "Anna Andersson, Per Persson"]
    assert rows[3] == ["Avstår", "", "1", "Olle Olsson"]
    assert counted.find_all("caption")[0].full_text() == "Votering: 1 ja, 3 nej, 0 avstår"
    assert len(counted.find_all("tr")[0].find_all("th")) == 3  # no names column
    # The item's section (its search sub-result) holds the vote, the reservation and the jäv.
    assert "Resultat: Ja – Bifall till arbetsutskottets förslag" in sections[0].full_text()
    assert "Reservation: Karin Karlsson Förslaget saknar finansiering." in sections[0].full_text()
    assert sections[1].find_all("p", "recused")[0].full_text() == "Jäv: Karin Karlsson"
    assert not sections[0].find_all("p", "recused")
    # The register marks the votes and reservations of a decision.
    register = parse_html(project.output / "beslut/index.html")
    marks = [p.full_text() for p in register.find_all("p", "vote-mark")]
    assert marks == ["Votering: 2–1–1 · Reservation: Karin Karlsson", "Votering: 1–3"]


def test_the_exports(mini: MiniProject) -> None:
    project = mini(meeting=vote_meeting(NAMED + "\n" + COUNTED))
    result = build(project)
    assert result.ok, result.diagnostics.format()
    data = project.output / "data"
    decisions = list(csv.DictReader(io.StringIO((data / "decisions.csv").read_text(encoding="utf-8"))))
    assert [(d["item_number"], d["votes"], d["reservations"]) for d in decisions] == [
        ("1", "2 ja, 1 nej, 1 avstår", "Karin Karlsson"),
        ("2", "1 ja, 3 nej, 0 avstår", ""),
    ]
    votes = list(csv.DictReader(io.StringIO((data / "votes.csv").read_text(encoding="utf-8"))))
    columns = ("item_number", "vote", "answer", "name", "count", "result")
    assert [tuple(v[c] for c in columns) for v in votes] == [
        ("1", "1", "ja", "Anna Andersson", "", "ja"),
        ("1", "1", "ja", "Per Persson", "", "ja"),
        ("1", "1", "nej", "Karin Karlsson", "", "ja"),
        ("1", "1", "avstår", "Olle Olsson", "", "ja"),
        ("2", "1", "ja", "", "1", "nej"),
        ("2", "1", "nej", "", "3", "nej"),
        ("2", "1", "avstår", "", "0", "nej"),
    ]
    assert votes[0]["proposition"] == "Bifall till arbetsutskottets förslag"
    assert votes[0]["item_url"] == "https://arkiv.example.se/natverk/skolchefer/2024-09-20/#p1"
    schema = json.loads((data / "meetings.schema.json").read_text(encoding="utf-8"))
    everything = json.loads((data / "meetings.json").read_text(encoding="utf-8"))
    jsonschema.validate(everything, schema, format_checker=jsonschema.FormatChecker())
    one = json.loads((project.output / "natverk/skolchefer/2024-09-20/mote.json").read_text(encoding="utf-8"))
    jsonschema.validate({**everything, "meetings": [one]}, schema)
    first, second, _ = one["items"]
    assert first["votes"] == [
        {
            "propositions": {
                "ja": "Bifall till arbetsutskottets förslag",
                "nej": "Bifall till Karin Karlssons yrkande",
            },
            "counts": {"ja": 2, "nej": 1, "avstår": 1},
            "ballots": [
                {"name": "Anna Andersson", "vote": "ja"},
                {"name": "Per Persson", "vote": "ja"},
                {"name": "Karin Karlsson", "vote": "nej"},
                {"name": "Olle Olsson", "vote": "avstår"},
            ],
            "result": "ja",
        }
    ]
    grounds = "Förslaget saknar finansiering."
    assert first["reservations"] == [{"names": ["Karin Karlsson"], "grounds": grounds}]
    assert second["recused"] == ["Karin Karlsson"] and second["votes"][0]["ballots"] == []
    assert one["participants"][2]["recused"] == ["2"]
    open_data = (project.output / "om/oppna-data/index.html").read_text(encoding="utf-8")
    assert "/data/votes.csv" in open_data and "items[].votes" in open_data


def test_the_english_site_labels_the_table_in_english(mini: MiniProject) -> None:
    parsed = parse_body(NAMED, 1, "Decision")
    assert "<caption>Vote: 2 yes, 1 no, 1 abstained</caption>" in parsed.html
    assert '<th scope="row">Abstained</th>' in parsed.html


def test_both_engines_give_the_same_result() -> None:
    """The compiled engine leaves bodies with votes to the reference: the same records and bytes."""
    for body in (NAMED, COUNTED, NAMED + "\n" + COUNTED, "::: votering\nresultat: ja\n:::\n"):
        assert fast_parse_body(body, 5, "Beslut") == parse_body(body, 5, "Beslut")


# --- the reviewer's checks: each with its exact position, and a fixture that does not trigger it ---


def named_vote(ja: str, nej: str = "[Per Persson]", extra: str = "", result: str = "ja") -> str:
    return (
        "## § 1 Budget\n\n::: votering\nja-förslag: A\nnej-förslag: B\n"
        f"ja-röster: {ja}\nnej-röster: {nej}\n{extra}resultat: {result}\n:::\n\n"
        "## § 2 Lokaler\n\n## § 3 Övrigt\n"
    )


VOTE_LINE = BODY_LINE + 2  # `::: votering`
JA_LINE = BODY_LINE + 5  # `ja-röster:`


@pytest.mark.parametrize(
    ("body", "expected"),
    [
        (  # not on the participant list at all
            named_vote("[Anna Andersson, Nils Nilsson]"),
            f"{M}:{JA_LINE}:29: warning: Nils Nilsson votes in § 1 but is not on the participant list"
            " (add them to 'participants:', or check the spelling)",
        ),
        (  # listed as absent
            named_vote("[Anna Andersson, Eva Ek]"),
            f"{M}:{JA_LINE}:29: warning: Eva Ek votes in § 1 but is listed as absent"
            " (check 'present:' in the participant list)",
        ),
        (  # present for another item only
            named_vote("[Lars Lund]"),
            f"{M}:{JA_LINE}:13: warning: Lars Lund votes in § 1 but took part only in items 3"
            " (check 'items:' in the participant list)",
        ),
        (  # recused from this item
            named_vote("[Anna Andersson]", "[Karin Karlsson]")
            .replace("§ 1 Budget", "§ 2 Budget")
            .replace("## § 2 Lokaler", "## § 1 Lokaler"),
            f"{M}:{JA_LINE + 1}:14: error: Karin Karlsson votes in § 2 but is recused (jäv) from § 2"
            " (a member with a conflict of interest takes no part)",
        ),
        (  # the names disagree with the stated count
            named_vote("[Anna Andersson, Olle Olsson]", extra="antal: 3 ja, 1 nej\n"),
            f"{M}:{JA_LINE + 2}:8: error: 'antal' gives 3 ja, but the names under 'ja-röster' are 2"
            " (correct the count or the names: they must agree)",
        ),
        (  # the result contradicts the counts
            named_vote("[Anna Andersson]", "[Per Persson, Olle Olsson]"),
            f"{M}:{JA_LINE + 2}:11: error: the result is ja, but nej has more votes (1 ja, 2 nej)"
            " (check 'resultat:' and the votes; on equal votes the chair's casting vote decides)",
        ),
        (  # a reservation by someone who did not take part
            "## § 1 Budget\n\n::: reservation\nnamn: [Olle Olsson, Eva Ek]\n:::\n",
            f"{M}:{BODY_LINE + 3}:21: warning: Eva Ek reserves themselves in § 1 but is listed as absent"
            " (check 'present:' in the participant list)",
        ),
        (  # a vote outside any item
            "Inledning.\n\n::: votering\nantal: 3 ja, 1 nej\nja-förslag: A\nnej-förslag: B\n"
            "resultat: ja\n:::\n\n## § 1 Budget\n",
            f"{M}:{BODY_LINE + 2}:1: warning: '::: votering' is not inside an item"
            " (put the '::: votering' block below the item heading it belongs to)",
        ),
    ],
)
def test_each_check_at_its_position(mini: MiniProject, body: str, expected: str) -> None:
    assert diagnostics_of(mini(meeting=vote_meeting(body))) == [expected]


@pytest.mark.parametrize(
    "body",
    [
        named_vote("[Anna Andersson, Olle Olsson]", extra="antal: 2 ja, 1 nej\n"),  # counts agree
        named_vote("[Anna Andersson]"),  # a tie: the chair's casting vote decides
        named_vote("[Lars Lund]").replace("§ 3 Övrigt", "§ 4 Övrigt").replace("§ 1 Budget", "§ 3 Budget"),
        named_vote("[anna  andersson]"),  # the same person, as person_key reads a name
        "## § 1 Budget\n\n::: reservation\nnamn: [Olle Olsson]\n:::\n",
    ],
)
def test_what_the_checks_let_pass(mini: MiniProject, body: str) -> None:
    assert diagnostics_of(mini(meeting=vote_meeting(body))) == []


def test_an_alias_in_people_yml_is_the_same_voter(mini: MiniProject) -> None:
    people = "- {name: Anna Andersson, aliases: [Anna Anderson]}\n"
    project = mini({"people.yml": people}, meeting=vote_meeting(named_vote("[Anna Anderson]")))
    assert diagnostics_of(project) == []


def test_without_a_participant_list_nothing_is_checked_against_it(mini: MiniProject) -> None:
    assert diagnostics_of(mini(meeting=meeting_text(body=named_vote("[Nils Nilsson]")))) == []


def test_an_unknown_item_in_recused(mini: MiniProject) -> None:
    front = FRONT.replace('recused: ["2"]', 'recused: ["9"]')
    assert diagnostics_of(mini(meeting=vote_meeting(COUNTED, front))) == [
        f"{M}:7:75: error: 'recused' names 9, which is not an item of these minutes"
        " (the items are numbered 2, 3)"
    ]


# --- malformed blocks: diagnostics at the block's lines, never a traceback ---

COUNTS = "write the counts as 'antal: 5 ja, 3 nej, 1 avstår'"
MALFORMED = [
    (
        "ja-förslag: A\nnej-förslag: B\nja-röster: [Anna Andersson]\nröster: 4\nresultat: ja\n",
        ["{l3}:1: error: unknown key 'röster' in a '::: votering' block (did you mean 'ja-röster'?)"],
    ),
    (
        "ja-förslag: A\nnej-förslag: B\nja-röster: Anna Andersson, Per Persson\nresultat: ja\n",
        [
            "{l2}:12: error: 'ja-röster' must be a list of names"
            " (write the names as a list in brackets, e.g. [Anna Andersson, Per Persson])"
        ],
    ),
    (
        "ja-förslag: A\nnej-förslag: B\nantal: 3 ja, -1 nej\nresultat: ja\n",
        ["{l2}:8: error: 'antal' gives a negative count of nej (" + COUNTS + ")"],
    ),
    (
        "ja-förslag: A\nnej-förslag: B\nja-röster: [Anna Andersson]\n",
        [
            "{b}:1: error: the vote gives no result"
            " (add 'resultat: ja' or 'resultat: nej': the proposition that won)"
        ],
    ),
    (
        "ja-förslag: A\nnej-förslag: B\nresultat: ja\n",
        [
            "{b}:1: error: the vote names no voters and gives no counts"
            " (list the names under 'ja-röster:', 'nej-röster:' and 'avstår:', or give 'antal:')"
        ],
    ),
    (
        "ja-förslag: A\nnej-förslag: B\nantal: många\nresultat: kanske\n",
        [
            "{l2}:8: error: 'antal' cannot be read: 'många' (" + COUNTS + ")",
        ],
    ),
    (
        "ja-förslag: A\nnej-förslag: B\nantal: 2 ja\nresultat: kanske\n",
        [
            "{l3}:11: error: 'resultat' must be ja or nej, not 'kanske'"
            " (name the proposition that won: ja or nej)",
        ],
    ),
    (
        "antal: 3 ja, 1 nej\nresultat: ja\n",
        [
            "{b}:1: warning: the vote has no 'ja-förslag': it does not say what ja stands for"
            " (add 'ja-förslag:' and 'nej-förslag:' as the chair put the proposition)",
            "{b}:1: warning: the vote has no 'nej-förslag': it does not say what nej stands for"
            " (add 'ja-förslag:' and 'nej-förslag:' as the chair put the proposition)",
        ],
    ),
    (
        "Anna Andersson röstade ja.\n",
        [
            "{b}:1: error: a '::: votering' block must hold 'key: value' lines"
            " (write one key a line, e.g. 'ja-röster: [Anna Andersson]' and 'resultat: ja')"
        ],
    ),
    (
        "ja-röster: [Anna Andersson\nresultat: ja\n",
        None,  # a YAML syntax error: one error in the block, whatever its words
    ),
]


@pytest.mark.parametrize(("inner", "expected"), MALFORMED)
def test_a_malformed_vote_is_a_diagnostic(mini: MiniProject, inner: str, expected: list[str] | None) -> None:
    body = f"## § 1 Budget\n\n::: votering\n{inner}:::\n"
    found = diagnostics_of(mini(meeting=vote_meeting(body)))
    lines = {"b": f"{M}:{BODY_LINE + 2}", **{f"l{n}": f"{M}:{BODY_LINE + 3 + n}" for n in range(5)}}
    if expected is None:
        assert len(found) == 1 and found[0].startswith(f"{M}:") and ": error: " in found[0]
        line = int(found[0].split(":")[1])
        assert BODY_LINE + 2 <= line <= BODY_LINE + 5
    else:
        assert found == [text.format(**lines) for text in expected]


@pytest.mark.parametrize(
    ("body", "expected"),
    [
        (
            "## § 1 A\n\n::: votering\nantal: 1 ja\nresultat: ja\n",
            "error: '::: votering' block is not closed (end the block with a line ':::')",
        ),
        (
            "## § 1 A\n\n::: reservation\nnamn: Olle Olsson\n:::\n",
            "error: 'namn' must be a list of names"
            " (write the names as a list in brackets, e.g. [Anna Andersson, Per Persson])",
        ),
        (
            "## § 1 A\n\n::: reservation\nmotivering: Ingen finansiering.\n:::\n",
            "error: the reservation names no one"
            " (add 'namn: [...]' with who reserved themselves against the decision)",
        ),
    ],
)
def test_malformed_blocks_of_both_kinds(mini: MiniProject, body: str, expected: str) -> None:
    (found,) = diagnostics_of(mini(meeting=meeting_text(body=body)))
    assert found.split(": ", 1)[1] == expected, found


def test_odd_bodies_never_raise() -> None:
    """Blocks nested, in lists, empty or unclosed give messages, never an exception."""
    for body in (
        "::: votering\n:::\n",
        "## § 1\n\n::: votering\n::: votering\nresultat: ja\n:::\n:::\n",
        "## § 1\n\n- punkt\n\n  ::: votering\n  antal: 1 ja\n  resultat: ja\n  :::\n",
        "## § 1\n\n::: beslut\nText\n\n::: votering\nantal: 2 ja, 1 nej\nresultat: ja\n:::\n:::\n",
        "## § 1\n\n::: reservation\nnamn: [a, 1, null]\n",
        "## § 1\n\n> ::: votering\n> resultat: ja\n> :::\n",
        "## § 1\n\n::: votering\n- a\n- b\n:::\n",
        "## § 1\n\n::: votering\nja-röster: {a: 1}\nantal: 1 ja och 2 nej; 0 avstår\nresultat: JA\n:::\n",
    ):
        parsed = parse_body(body, 3)
        assert fast_parse_body(body, 3) == parsed
        assert all(message.line >= 3 for message in parsed.messages)


def test_a_vote_inside_a_decision_is_reported() -> None:
    """The first ':::' line closes the decision (the container rule does not count), so the vote
    in it is not closed: the guide says to write the vote after the decision."""
    body = "## § 1 A\n\n::: beslut\nText\n\n::: votering\nantal: 2 ja, 1 nej\nresultat: ja\n:::\n:::\n"
    parsed = parse_body(body, 1)
    assert [m.message for m in parsed.messages if m.severity.value == "error"] == [
        "'::: votering' block is not closed"
    ]


def test_the_guide_documents_the_blocks() -> None:
    guide = (Path(__file__).resolve().parents[1] / "docs/skriva-protokoll.md").read_text(encoding="utf-8")
    for word in ("::: votering", "::: reservation", "ja-röster:", "antal:", "resultat:", "recused:"):
        assert word in guide


# --- accessibility of a meeting with a vote (real Chromium and the Nu HTML Checker: slow) ---


@pytest.fixture
def vote_site(mini: MiniProject) -> Path:
    project = mini(meeting=vote_meeting(NAMED + "\n" + COUNTED))
    result = build(project, search=False)
    assert result.ok, result.diagnostics.format()
    return project.output


@pytest.mark.slow
def test_a_meeting_with_a_vote_is_valid_html_and_passes_axe_light_and_dark(
    vote_site: Path, browser: Browser
) -> None:
    from axe_playwright_python.sync_playwright import Axe

    from .test_accessibility import _validate, violations

    _validate(vote_site)
    axe = Axe()
    found: list[str] = []
    for scheme in ("light", "dark"):
        context = browser.new_context(color_scheme=scheme)
        page = context.new_page()
        with serve_folder(vote_site) as base:
            for path in ("/natverk/skolchefer/2024-09-20/", "/beslut/"):
                page.goto(base + path)
                found += violations(axe, page, f"{scheme} {path}")
        context.close()
    assert found == []


def test_person_pages_list_their_votes_reservations_and_jav(mini: MiniProject) -> None:
    """Each voter's page lists how they voted in which item; a reservation with its grounds; an
    item they were recused from (jäv) in their meeting's row; someone who did not vote has none."""
    project = mini(meeting=vote_meeting(NAMED + "\n" + COUNTED))
    result = build(project)
    assert result.ok, result.diagnostics.format()

    def votes_of(slug: str) -> list[str]:
        page = parse_html(project.output / f"person/{slug}/index.html")
        section = next(s for s in page.find_all("section") if s.attrs.get("aria-labelledby") == "voteringar")
        return [li.full_text() for ul in section.find_all("ul", "plain-list") for li in ul.find_all("li")]

    karin = votes_of("karin-karlsson")
    assert len(karin) == 2
    assert "§ 1 Budget 2025: Votering, röstade nej (2–1–1, Resultat: Ja)" in karin[0]
    assert "§ 1 Budget 2025: Reservation: Förslaget saknar finansiering." in karin[1]
    assert "avstod från att rösta (2–1–1" in votes_of("olle-olsson")[0]
    assert votes_of("lars-lund") == []
    karin_page = (project.output / "person/karin-karlsson/index.html").read_text(encoding="utf-8")
    assert "#p1" in karin_page  # the vote's item linked
    assert ">Jäv</th>" in karin_page and ">Jäv</th>" not in (
        project.output / "person/olle-olsson/index.html"
    ).read_text(encoding="utf-8")
