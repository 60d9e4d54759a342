"""/om/ for citizens, the writing guide on a page of its own, and empty listings with a way onward."""

from __future__ import annotations

import shutil
from collections import defaultdict
from dataclasses import replace
from pathlib import Path

import pytest
import yaml
from playwright.sync_api import Page

from protokollarkiv.build.builder import GUIDE, Project, build
from protokollarkiv.model import Site, SiteConfig, build_site
from protokollarkiv.pages import Page as SitePage
from protokollarkiv.render import make_environment, render_page
from protokollarkiv.urls import URLS, about_url, guide_url

from .conftest import MINI_MUNICIPALITIES, ROOT, Element, MiniProject, meeting_text, parse_html


def built(project: Project, drafts: bool = False) -> Path:
    result = build(project, include_drafts=drafts, search=False)
    assert result.ok, result.diagnostics.format()
    return project.output


def main_of(path: Path) -> Element:
    (main,) = parse_html(path).find_all("main")
    return main


def hrefs(element: Element) -> list[str]:
    return [a.attrs["href"] for a in element.find_all("a") if "href" in a.attrs]


def section(main: Element, heading_id: str) -> Element:
    (found,) = [s for s in main.find_all("section") if s.attrs.get("aria-labelledby") == heading_id]
    return found


def headings(main: Element) -> list[tuple[str, str]]:
    return [(e.tag, e.full_text()) for e in main.find_all() if e.tag in ("h1", "h2", "h3", "h4")]


# --- /om/ and /om/skriva-protokoll/ ---------------------------------------------------------------


def test_the_urls_of_the_about_pages() -> None:
    assert about_url() == "/om/"
    assert guide_url() == "/om/skriva-protokoll/"
    assert URLS["guide"] is guide_url


@pytest.fixture(scope="module")
def about_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The sample archive built once (without its search index), with the writing guide."""
    root = tmp_path_factory.mktemp("about")
    shutil.copytree(ROOT / "content", root / "content")
    return built(Project(root / "content", ROOT / "templates", root / "site", ROOT / GUIDE))


def test_about_tells_a_citizen_what_the_archive_is_in_order(about_site: Path) -> None:
    main = main_of(about_site / "om/index.html")
    assert headings(main) == [
        ("h1", "Om arkivet"),
        ("h2", "På den här sidan"),
        ("h2", "Hitta protokoll"),
        ("h2", "Vem står bakom arkivet?"),
        ("h2", "Nätverken"),
        ("h2", "Så läser du ett protokoll"),
        ("h2", "Begära ut allmänna handlingar"),
        ("h2", "Mer om webbplatsen"),
    ]
    (toc,) = main.find_all("nav", "toc")
    ids = [h.attrs["id"] for h in main.find_all("h2")[1:]]
    assert hrefs(toc) == [f"#{id}" for id in ids]  # the contents name every section, in order
    for heading_id in ids:  # each section is a region named by its heading
        assert section(main, heading_id).find_all("h2")[0].attrs["id"] == heading_id
    finding = section(main, "hitta")
    assert hrefs(finding) == ["/natverk/", "/kommun/", "/ar/", "/beslut/", "/sok/"]


def test_about_names_the_publisher_from_site_yml(about_site: Path) -> None:
    site_yml = yaml.safe_load((ROOT / "content/site.yml").read_text(encoding="utf-8"))
    publisher = section(main_of(about_site / "om/index.html"), "utgivare")
    text = publisher.full_text()
    assert f"Arkivet ges ut av {site_yml['organisation']}." in text
    assert f"mailto:{site_yml['contact']['email']}" in hrefs(publisher)
    assert f"Licens: {site_yml['licence']}" in text
    assert "/om/oppna-data/" in hrefs(publisher)


def test_about_lists_every_network_of_the_archive_with_a_link(about_site: Path) -> None:
    networks = {
        path.parent.name: yaml.safe_load(path.read_text(encoding="utf-8"))
        for path in (ROOT / "content/networks").glob("*/network.yml")
    }
    listed = section(main_of(about_site / "om/index.html"), "natverken")
    items = listed.find_all("li")
    by_name = sorted(networks, key=lambda slug: networks[slug]["name"])  # the site orders them by name
    assert [hrefs(item) for item in items] == [[f"/natverk/{slug}/"] for slug in by_name]
    for item, slug in zip(items, by_name, strict=True):
        network = networks[slug]
        text = item.full_text()
        assert text.startswith(network["name"])
        assert (
            f"{network['organiser']} · {network['region']} · {len(network['members'])} medlemskommuner"
            in text
        )
        assert " ".join(network["description"].split()) in text


def test_about_explains_the_words_of_the_minutes(about_site: Path) -> None:
    reading = section(main_of(about_site / "om/index.html"), "protokollen")
    terms = zip(reading.find_all("dt"), reading.find_all("dd"), strict=True)
    explained = {dt.full_text(): dd.full_text() for dt, dd in terms}
    assert list(explained) == ["Utkast", "Justerat", "§ och ärendenummer", "Beslut"]
    assert "inte är justerat" in explained["Utkast"] and "publiceras utkast inte" in explained["Utkast"]
    assert "justerare" in explained["Justerat"] and "underskrifter" in explained["Justerat"]
    numbers = explained["§ och ärendenummer"]
    assert "paragraf" in numbers and "börjar om på 1" in numbers
    assert "/beslut/" in hrefs(reading)


def test_about_says_how_to_request_a_public_document(about_site: Path) -> None:
    request = section(main_of(about_site / "om/index.html"), "allmanna-handlingar")
    text = request.full_text()
    for fact in (
        "alla rätt att ta del av allmänna handlingar",  # anyone may ask
        "sekretess",
        "Vänd dig till den myndighet som har handlingen",  # the body that holds it
        "Du behöver inte tala om vem du är eller varför",  # anonymously
        "på plats hos myndigheten kostar ingenting",  # free to read on the spot
        "kopia",
        "avgift",  # copies may cost
        "skyndsamt",  # promptly
        "kammarrätten",  # a refusal can be appealed
    ):
        assert fact in text, fact
    assert "mailto:arkiv@example.se" in hrefs(request)  # who to ask when unsure


def test_the_writing_guide_has_a_page_of_its_own_linked_from_about(about_site: Path) -> None:
    about = main_of(about_site / "om/index.html")
    assert "/om/skriva-protokoll/" in hrefs(section(about, "mer"))
    assert "python build.py new" not in about.full_text()  # the guide is no longer on /om/
    guide = main_of(about_site / "om/skriva-protokoll/index.html")
    (h1,) = guide.find_all("h1")
    assert h1.full_text() == "Skriva protokoll i Protokollarkiv"
    assert "python build.py new" in guide.full_text()
    (crumbs,) = [nav for nav in guide.find_all("nav") if "breadcrumbs" in nav.classes()]
    assert hrefs(crumbs) == ["/", "/om/", "/om/skriva-protokoll/"]
    assert "Skriva protokoll i Protokollarkiv" not in about.full_text()
    title = parse_html(about_site / "om/skriva-protokoll/index.html").find_all("title")[0].full_text()
    assert title == "Skriva protokoll – Protokollarkiv"


def test_both_about_pages_are_in_the_sitemap_and_the_footer_links_about(about_site: Path) -> None:
    sitemap = (about_site / "sitemap.xml").read_text(encoding="utf-8")
    assert "<loc>https://protokollarkiv.netlify.app/om/</loc>" in sitemap
    assert "<loc>https://protokollarkiv.netlify.app/om/skriva-protokoll/</loc>" in sitemap
    (footer,) = parse_html(about_site / "index.html").find_all("footer")
    assert "/om/" in hrefs(footer)


def test_without_a_guide_about_links_no_guide_page(mini: MiniProject) -> None:
    site = built(mini())  # the mini project has no writing guide
    assert not (site / "om/skriva-protokoll").exists()
    assert "/om/skriva-protokoll/" not in hrefs(main_of(site / "om/index.html"))
    text = main_of(site / "om/index.html").full_text()
    assert "Arkivet ges ut av Testkommunförbundet." in text
    assert "Licens" not in text  # no licence in site.yml: nothing said about one


def test_about_pages_in_english(mini: MiniProject) -> None:
    project = replace(
        mini({"site.yml": "title: Archive\nlanguage: en\norganisation: The Federation\n"}),
        guide=ROOT / GUIDE,
    )
    site = built(project)
    main = main_of(site / "om/index.html")
    assert [text for tag, text in headings(main) if tag == "h2"] == [
        "On this page",
        "Finding minutes",
        "Who publishes the archive?",
        "The networks",
        "How to read the minutes",
        "Requesting public documents",
        "More about this site",
    ]
    text = main.full_text()
    assert "The archive is published by The Federation." in text
    assert "Draft" in text and "Approved" in text and "administrative court of appeal" in text
    assert "Begära" not in text and "Hitta" not in text and "Adjust" not in text
    guide_page = parse_html(site / "om/skriva-protokoll/index.html")
    (guide,) = guide_page.find_all("div", "guide")
    assert guide.attrs.get("lang") == "sv"  # the guide is Swedish on an English site
    assert guide_page.find_all("title")[0].full_text() == "Writing minutes – Archive"


# --- empty listings -----------------------------------------------------------------------------


def empty_states(path: Path) -> list[Element]:
    return main_of(path).find_all("div", "empty-state")


def onward(path: Path) -> tuple[str, list[str]]:
    """The one shown empty state of a page: its sentence and the links onward."""
    shown = [e for e in empty_states(path) if "hidden" not in e.attrs]
    assert len(shown) == 1, path
    (sentence,) = shown[0].find_all("p")
    return sentence.full_text(), hrefs(shown[0])


def test_a_network_and_a_municipality_without_meetings_say_so_and_lead_on(mini: MiniProject) -> None:
    # chefsgrupp (members: orebro) has no meetings; tibro belongs to no network
    municipalities = 'tibro: {name: Tibro, code: "1472", county: Västra Götalands län}\n'
    site = built(mini({"municipalities.yml": MINI_MUNICIPALITIES + municipalities}))
    assert onward(site / "natverk/chefsgrupp/index.html") == (
        "Chefsgrupp Örebro har inga publicerade protokoll ännu. Protokoll publiceras här när de har "
        "justerats; nätverkets nyhetsflöde och kalender visar när de första kommer.",
        ["/natverk/", "/ar/", "/sok/"],
    )
    assert onward(site / "kommun/orebro/index.html") == (
        "Det finns inga publicerade protokoll från möten som rör Örebro ännu.",
        ["/kommun/", "/natverk/", "/ar/"],
    )
    tibro = empty_states(site / "kommun/tibro/index.html")
    assert [(e.find_all("p")[0].full_text(), hrefs(e)) for e in tibro] == [
        ("Kommunen är inte medlem i något nätverk.", ["/natverk/"]),
        (
            "Det finns inga publicerade protokoll från möten som rör Tibro ännu.",
            ["/kommun/", "/natverk/", "/ar/"],
        ),
    ]
    # a network with meetings shows them and no empty state
    assert empty_states(site / "natverk/skolchefer/index.html") == []
    assert empty_states(site / "kommun/skovde/index.html") == []


def test_an_archive_with_nothing_published_leads_on_from_every_listing(mini: MiniProject) -> None:
    project = mini(meeting=meeting_text(status="utkast"))  # the one meeting is a draft
    site = built(project)
    home_text, home_links = onward(site / "index.html")
    assert home_text.startswith("Inga protokoll är publicerade ännu.")
    assert home_links == ["/om/", "/natverk/"]
    years = main_of(site / "index.html").find_all("ul", "year-list")[0]
    assert years.full_text() == "Åren visas här när det första protokollet är publicerat."
    assert onward(site / "ar/index.html")[1] == ["/natverk/", "/om/"]
    assert not (site / "ar/2024").exists()
    decisions_text, decisions_links = onward(site / "beslut/index.html")
    assert decisions_text.startswith("Det finns inga beslut i arkivet ännu.")
    assert decisions_links == ["/natverk/", "/ar/", "/sok/"]
    # nothing to filter: no message for a filter that matches nothing
    assert [e.attrs.get("id") for e in empty_states(site / "beslut/index.html")] == [None]
    for path in site.rglob("*.html"):  # no listing is left as a bare sentence
        assert "Inga protokoll ännu." not in path.read_text(encoding="utf-8"), path
    # with the draft shown (the preview), the listings are not empty
    site = built(project, drafts=True)
    assert empty_states(site / "index.html") == []
    assert empty_states(site / "ar/index.html") == []


def test_the_decision_register_has_a_hidden_message_for_a_filter_that_matches_nothing(
    about_site: Path,
) -> None:
    states = empty_states(about_site / "beslut/index.html")
    assert [(e.attrs.get("id"), "hidden" in e.attrs) for e in states] == [("decision-none", True)]
    assert hrefs(states[0]) == ["/beslut/2024/", "/sok/"]  # the search in all years gets a link when used
    assert states[0].find_all("p")[0].full_text().startswith("Inga beslut matchar de valda filtren.")


def test_an_empty_year_page_leads_on(tmp_path: Path) -> None:
    """A year page is made only for a year with meetings; its template still says why it is empty."""
    site: Site = build_site(SiteConfig(title="Arkiv"), {}, {}, [])
    env = make_environment(ROOT / "templates", "sv", defaultdict(lambda: "/static/x"))
    html = render_page(env, SitePage("/ar/2023/", "year.html", {"year": 2023, "by_network": {}}), site)
    (tmp_path / "year.html").write_bytes(html)
    (main,) = parse_html(tmp_path / "year.html").find_all("main")
    (state,) = main.find_all("div", "empty-state")
    assert state.find_all("p")[0].full_text() == "Det finns inga publicerade protokoll från 2023."
    assert hrefs(state) == ["/ar/", "/natverk/"]


# --- in the browser: the messages a script shows ----------------------------------------------------


@pytest.mark.slow
def test_search_without_results_offers_ways_to_browse(page: Page, sample_site: str) -> None:
    browse = page.locator("#search-empty")
    page.goto(sample_site + "/sok/?q=kvantdatorer")
    page.locator("#search-status", has_text="Inga träffar").wait_for()
    assert browse.is_visible()
    assert browse.locator("a").evaluate_all("links => links.map(a => a.getAttribute('href'))") == [
        "/natverk/",
        "/kommun/",
        "/ar/",
        "/beslut/",
    ]
    page.fill("#q", "yrkesvux")
    page.press("#q", "Enter")
    page.locator("#search-status", has_text="träff").filter(has_not_text="Inga").wait_for()
    assert not browse.is_visible()


@pytest.mark.slow
def test_a_decision_filter_that_matches_nothing_says_so(page: Page, sample_site: str) -> None:
    none = page.locator("#decision-none")
    page.goto(sample_site + "/beslut/2024/")
    page.locator("#decision-count", has_text="Visar 4 av 4").wait_for()
    assert not none.is_visible()
    page.goto(sample_site + "/beslut/2020/?natverk=chefsgrupp-skola-orebro")
    page.locator("#decision-count", has_text="Visar 0 av").wait_for()
    assert none.is_visible()
    page.select_option("#f-natverk", "")
    page.locator("#decision-count", has_text="Visar 1 av 1").wait_for()
    assert not none.is_visible()
    page.goto(sample_site + "/beslut/2020/?kommun=tibro")  # no JavaScript needed to reach it again
    none.locator("a", has_text="Visa alla beslut 2020").click()
    page.locator("#decision-count", has_text="Visar 1 av 1").wait_for()
    assert not none.is_visible()
