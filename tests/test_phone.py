"""Phones first: at 360 px every column of the participant and meeting tables is on screen, and
a listing says what each meeting was about."""

from __future__ import annotations

from pathlib import Path

import pytest
from playwright.sync_api import Page

from protokollarkiv.build.builder import Project, build

from .conftest import MiniProject, meeting_text, page_ids, parse_html, serve_folder

PHONE = {"width": 360, "height": 740}
TABLE_PAGES = (
    "/natverk/skolchefer-skaraborg/2024-09-20/",
    "/natverk/samverkansrad-skola-orebro/2020-09-16/",
    "/natverk/chefsgrupp-valfard-orebro/2024-03-15/",
    "/kommun/hjo/",
    "/kommun/kumla/",
)

# Every table cell, the attendance list's entries, and whether any box scrolls sideways.
_MEASURE = """() => {
  const width = document.documentElement.clientWidth;
  const cut = [];
  const cells = '.participant-table :is(th, td), .meeting-table :is(th, td), .attendance-list li';
  for (const cell of document.querySelectorAll(cells)) {
    const box = cell.getBoundingClientRect();
    const outside = box.left < 0 || box.right > width + 0.5;
    if (box.width > 0 && outside) cut.push(cell.textContent.trim().slice(0, 40));
  }
  const scrolling = [...document.querySelectorAll('.table-scroll')]
    .filter((box) => box.scrollWidth > box.clientWidth + 1).length;
  return {page: document.documentElement.scrollWidth, width, cut, scrolling};
}"""


@pytest.mark.slow
@pytest.mark.parametrize("path", TABLE_PAGES)
def test_every_column_and_status_is_on_screen_at_360_px(browser: object, sample_site: str, path: str) -> None:
    page: Page = browser.new_page(viewport=PHONE)  # type: ignore[attr-defined]
    page.goto(sample_site + path)
    measured = page.evaluate(_MEASURE)
    assert measured["page"] <= measured["width"], measured
    assert measured["cut"] == [], measured  # no cell, no status beyond the screen's edge
    assert measured["scrolling"] == 0, measured  # and no table that must be scrolled to be read
    if path.startswith("/kommun/hjo/"):
        status = page.locator(".meeting-table td.is-partly")
        assert status.inner_text() == "Delvis representerad (§ 103)"
        assert status.is_visible()
    page.close()


def built(project: Project) -> Path:
    result = build(project)
    assert result.ok, result.diagnostics.format()
    return project.output


def test_a_listing_row_says_what_the_meeting_was_about(mini: MiniProject) -> None:
    body = (
        "## § 1 Mötets öppnande\n\nÖppnat.\n\n## § 2 Val av justerare\n\n::: beslut\nAtt välja Bo.\n:::\n\n"
        "## § 3 Lägesrapport\n\nInformation.\n\n## § 4 Skolskjuts\n\n::: beslut\nAtt utreda.\n:::\n\n"
        "## § 5 Lokaler\n\nInformation.\n\n## § 6 Budget\n\nInformation.\n\n## § 7 Avslutning\n\nSlut.\n"
    )
    site = built(mini(meeting=meeting_text(body=body)))
    for listing in (
        "natverk/skolchefer/index.html",
        "ar/2024/index.html",
        "index.html",
        "kommun/skovde/index.html",
    ):
        [summary] = parse_html(site / listing).find_all("p", "row-summary")
        # the decision count, then the items that decided something, then the others; no formalities
        assert summary.full_text() == "2 beslut · Skolskjuts; Lägesrapport; Lokaler och 1 punkt till", listing


def test_long_listings_have_a_year_index(mini: MiniProject) -> None:
    def year_index(site: Path, listing: str) -> list[str]:
        navs = [nav for nav in parse_html(site / listing).find_all("nav") if "year-index" in nav.classes()]
        return [a.attrs["href"] for nav in navs for a in nav.find_all("a")]

    project = mini()
    assert year_index(built(project), "natverk/skolchefer/index.html") == []  # one year: no index
    (project.content / "networks/skolchefer/2023").mkdir()
    (project.content / "networks/skolchefer/2023/2023-05-04.md").write_text(
        meeting_text(date="2023-05-04"), encoding="utf-8"
    )
    site = built(project)
    for listing in ("natverk/skolchefer/index.html", "kommun/skovde/index.html"):
        assert year_index(site, listing) == ["#ar-2024", "#ar-2023"], listing
        assert {"ar-2024", "ar-2023"} <= page_ids(parse_html(site / listing))


@pytest.mark.slow
def test_a_wide_table_in_the_minutes_scrolls_in_a_labelled_region(browser: object, mini: MiniProject) -> None:
    header = "| " + " | ".join(f"Kolumn {n}" for n in range(1, 13)) + " |"
    rule = "|" + "---|" * 12
    row = "| " + " | ".join(f"värde{n}" for n in range(1, 13)) + " |"
    body = f"## § 1 Budget\n\n{header}\n{rule}\n{row}\n\n## § 2 Lokaler\n\n| A | B |\n|---|---|\n| 1 | 2 |\n"
    site = built(mini(meeting=meeting_text(body=body)))
    html = parse_html(site / "natverk/skolchefer/2024-09-20/index.html")
    regions = [div for div in html.find_all("div", "table-scroll") if div.find_all("table")]
    assert [(r.attrs["role"], r.attrs["tabindex"], r.attrs["aria-label"]) for r in regions] == [
        ("region", "0", "Tabell 1"),
        ("region", "0", "Tabell 2"),
    ]
    with serve_folder(site) as base:
        page: Page = browser.new_page(viewport=PHONE)  # type: ignore[attr-defined]
        page.goto(base + "/natverk/skolchefer/2024-09-20/")
        assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
        wide = page.locator(".meeting-body .table-scroll").first
        assert wide.evaluate("box => box.scrollWidth > box.clientWidth")  # it scrolls, inside its box
        page.close()


@pytest.mark.slow
def test_an_announced_day_that_has_passed_says_so(
    browser: object, sample_site: str, mini: MiniProject
) -> None:
    """The sample's announced 24–25 October 2024 is past on any day these tests run; a day of 2999
    is not. The note is the browser's to show: the pages do not depend on the day they are built."""
    page: Page = browser.new_page()  # type: ignore[attr-defined]
    for path in ("/", "/natverk/skolchefer-skaraborg/"):
        page.goto(sample_site + path)
        note = page.locator(".past-note")
        note.wait_for()
        assert note.inner_text() == "Dagen har passerat; protokollet publiceras när det är justerat."
    site = built(mini(meeting=meeting_text("next_meeting: 2999-01-07\n")))
    with serve_folder(site) as base:
        for path in ("/", "/natverk/skolchefer/"):
            page.goto(base + path)
            page.wait_for_load_state("load")  # deferred scripts have run
            assert page.locator("[data-past-after='2999-01-07']").count() == 1
            assert page.locator(".past-note").is_hidden()
    page.close()
