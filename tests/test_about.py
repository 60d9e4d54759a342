"""/om/ for citizens, and the writing guide on a page of its own."""

from __future__ import annotations

import shutil
from dataclasses import replace
from pathlib import Path

import pytest
import yaml

from protokollarkiv.build.builder import GUIDE, Project, build
from protokollarkiv.urls import URLS, about_url, guide_url

from .conftest import ROOT, Element, MiniProject, parse_html


def built(project: Project, drafts: bool = False) -> Path:
    result = build(project, include_drafts=drafts, search=False)
    assert result.ok, result.diagnostics.format()
    return project.output


def main_of(path: Path) -> Element:
    (main,) = parse_html(path).find_all("main")
    return main


def hrefs(element: Element) -> list[str]:
    return [a.attrs["href"] for a in element.find_all("a")]


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
