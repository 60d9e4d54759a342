"""The decision register: one page a year, formalities left out by a documented rule, filters."""

from __future__ import annotations

from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from protokollarkiv.build.builder import Project, build, check
from protokollarkiv.procedural import is_procedural

from .conftest import MEETING_PATH, MiniProject, meeting_text, parse_html


def built(project: Project) -> Path:
    result = build(project)
    assert result.ok, result.diagnostics.format()
    return project.output


def entries(path: Path) -> list[tuple[str, bool]]:
    """(link, procedural) of every decision a register page lists, in order."""
    return [
        (entry.find_all("a")[0].attrs["href"], "is-procedural" in entry.attrs["class"].split())
        for entry in parse_html(path).find_all("li", "decision-entry")
    ]


@pytest.mark.parametrize(
    ("title", "procedural"),
    [
        ("Mötets öppnande", True),
        ("Mötet öppnas", True),
        ("Val av justerare", True),
        ("Förra mötets protokoll", True),
        ("Mötets öppnande och val av justerare.", True),
        ("Godkännande av dagordningen", True),
        ("Avslutning", True),
        ("MÖTET AVSLUTAS", True),
        ("Statsbidrag regionalt yrkesvux 2025", False),
        ("Dagordning för nästa års möten", False),
        ("Kort utvärdering av mötet och avslutning", False),
        ("Övriga frågor", False),
        ("", False),
    ],
)
def test_the_rule_for_formalities(title: str, procedural: bool) -> None:
    assert is_procedural(title) is procedural


def test_one_register_page_a_year_with_an_index_and_formalities_marked(sample: Project) -> None:
    site = built(sample)
    start = parse_html(site / "beslut/index.html")
    index = [a.attrs["href"] for a in start.find_all("nav")[-1].find_all("a")]
    assert "/beslut/2024/" in index and "/beslut/2020/" in index
    assert index.index("/beslut/2024/") < index.index("/beslut/2020/")  # the current year first
    year_2024 = entries(site / "beslut/2024/index.html")
    assert entries(site / "beslut/index.html") == year_2024  # the start page shows the newest year
    assert len(year_2024) == 6 and len(entries(site / "beslut/2020/index.html")) == 2
    procedural = {href.rsplit("#", 1)[1] for href, formal in year_2024 if formal}
    assert procedural == {"p101", "p102"}  # Val av justerare, Förra mötets protokoll
    assert ("/natverk/skolchefer-skaraborg/2024-09-20/#p105", False) in year_2024
    [(opening, formal), (_, other)] = entries(site / "beslut/2020/index.html")
    assert opening.endswith("#p0900") and formal and not other  # 09:00 Mötet öppnas
    sitemap = (site / "sitemap.xml").read_text(encoding="utf-8")
    assert "/beslut/2020/</loc>" in sitemap


def test_the_front_matter_overrides_the_rule_per_item(mini: MiniProject) -> None:
    body = (
        "## § 1 Val av justerare\n\n::: beslut\nAtt välja Bo Ek.\n:::\n\n"
        "## § 2 Lokaler\n\n::: beslut\nAtt hyra.\n:::\n"
    )
    project = mini(meeting=meeting_text('procedural:\n  "§ 1": false\n  2: true\n', body))
    [(first, first_formal), (second, second_formal)] = entries(built(project) / "beslut/2024/index.html")
    assert first.endswith("#p1") and not first_formal
    assert second.endswith("#p2") and second_formal


def test_a_municipality_present_for_an_item_only_is_filtered_with_that_items_decision(
    mini: MiniProject,
) -> None:
    front = (
        "participants:\n"
        "  - {name: Anna Alm, municipality: falkoping}\n"
        "  - {name: Cia Berg, municipality: skovde, items: [2]}\n"
    )
    body = (
        "## § 1 Skolskjuts\n\n::: beslut\nAtt utreda.\n:::\n\n## § 2 Lokaler\n\n::: beslut\nAtt hyra.\n:::\n"
    )
    page = parse_html(built(mini(meeting=meeting_text(front, body))) / "beslut/2024/index.html")
    [meeting] = page.find_all("li", "register-meeting")  # the meeting's municipalities once
    assert meeting.attrs["data-kommun"] == "falkoping"
    kommun = [entry.attrs.get("data-kommun-item") for entry in page.find_all("li", "decision-entry")]
    assert kommun == [None, "skovde"]  # and those there for an item only, with its decision


def test_a_wrong_override_is_an_error_at_its_line(mini: MiniProject) -> None:
    project = mini(meeting=meeting_text("procedural:\n  7: true\n  '1': ja\n"))
    result = check(project)
    found = {(d.line, d.message) for d in result.diagnostics.errors}
    assert (5, "'procedural' names item 7, which the minutes do not have") in found
    assert (6, "'procedural' of item 1 must be true or false, not text") in found
    text = "\n".join(result.diagnostics.format())
    assert f"{MEETING_PATH}:5:3: error" in text and "§ 1" in text  # the hint names the items there are


def test_a_register_without_decisions_says_so_and_leads_on(mini: MiniProject) -> None:
    site = built(mini(meeting=meeting_text(body="## § 1 Lägesrapport\n\nInget beslut.\n")))
    page = parse_html(site / "beslut/index.html")
    empty = page.find_all("div", "empty-state")
    assert empty and "inga beslut" in empty[0].full_text().lower()
    assert empty[0].find_all("a")
    assert not (site / "beslut/2024").exists()


@pytest.mark.slow
def test_filters_by_words_network_and_municipality_in_the_browser(page: Page, sample_site: str) -> None:
    page.goto(f"{sample_site}/beslut/?ar=2020")  # the old link to a year's decisions still leads there
    page.wait_for_url("**/beslut/2020/")
    count = page.locator("#decision-count")
    expect(count).to_have_text("Visar 1 av 1 beslut.")  # the opening is a formality, not shown
    page.check("#show-procedural")
    expect(count).to_have_text("Visar 2 av 2 beslut.")
    assert page.url.endswith("/beslut/2020/?formalia=1")

    page.goto(f"{sample_site}/beslut/2024/")
    expect(count).to_have_text("Visar 4 av 4 beslut.")
    page.fill("#f-q", "statsbidrag")
    expect(count).to_have_text("Visar 1 av 4 beslut.")
    assert page.locator(".decision-entry:visible h3").inner_text().startswith("§ 105")
    link = page.locator("#decision-search")
    expect(link).to_have_text("Sök ”statsbidrag” i alla år")
    assert link.get_attribute("href") == "/sok/?q=statsbidrag&typ=Beslut"
    page.fill("#f-q", "")
    page.select_option("#f-kommun", "hjo")  # only there for § 103 (Dimensionering), which decided nothing
    expect(count).to_have_text("Visar 0 av 4 beslut.")
    expect(page.locator("#decision-none")).to_be_visible()
    assert page.url.endswith("/beslut/2024/?kommun=hjo")
    page.select_option("#f-kommun", "skovde")
    expect(page.locator("#decision-none")).to_be_hidden()
    shown = page.locator(".decision-entry:visible").count()
    assert shown > 0 and count.inner_text() == f"Visar {shown} av 4 beslut."


@pytest.mark.slow
def test_without_javascript_the_year_pages_and_the_formalities_switch_work(
    browser: object, sample_site: str
) -> None:
    context = browser.new_context(java_script_enabled=False)  # type: ignore[attr-defined]
    page = context.new_page()
    page.goto(f"{sample_site}/beslut/")
    expect(page.locator("#decision-filters")).to_be_hidden()  # a form that could not filter is not shown
    expect(page.locator(".decision-entry.is-procedural").first).to_be_hidden()
    assert page.locator(".decision-entry:visible").count() == 4
    page.check("#show-procedural")  # plain CSS shows them
    assert page.locator(".decision-entry:visible").count() == 6
    page.click("nav.year-index a[href='/beslut/2020/']")
    page.wait_for_url("**/beslut/2020/")
    assert page.locator(".decision-entry:visible").count() == 1
    context.close()
