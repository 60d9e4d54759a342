"""Search in real Chromium over the sample archive: Swedish stemming, filters, URL state, privacy."""

from __future__ import annotations

import re
from pathlib import Path
from urllib.parse import quote

import pytest
from playwright.sync_api import Browser, Page, expect

from protokollarkiv.strings import UI

from .conftest import ROOT, parse_html

pytestmark = pytest.mark.slow

SKARABORG = "/natverk/skolchefer-skaraborg/2024-09-20/"
OREBRO_2020 = "/natverk/samverkansrad-skola-orebro/2020-09-16/"
JOINT = "/natverk/chefsgrupp-valfard-orebro/2024-03-15/"


def wait_for_results(page: Page) -> str:
    page.wait_for_function(
        "() => { const e = document.getElementById('search-status');"
        " const s = e && e.textContent; return s && !s.startsWith('Söker'); }"
    )
    return page.inner_text("#search-status")


def result_pages(page: Page) -> list[str]:
    """The meeting page of every result (decision records link to their item)."""
    hrefs = page.eval_on_selector_all(".search-result h2 a", "els => els.map(a => a.pathname)")
    return sorted(set(hrefs))


def result_links(page: Page) -> list[str]:
    return page.eval_on_selector_all(".search-result a", "els => els.map(a => a.pathname + a.hash)")


def search(page: Page, base: str, query: str) -> str:
    page.goto(f"{base}/sok/?{query}")
    return wait_for_results(page)


def test_yrkesvux_finds_both_meetings_and_links_to_the_item(page: Page, sample_site: str) -> None:
    status = search(page, sample_site, "q=yrkesvux")
    assert status.startswith("2 träffar för ”yrkesvux”")
    assert result_pages(page) == [OREBRO_2020, SKARABORG]
    links = result_links(page)
    assert f"{SKARABORG}#p105" in links
    assert f"{OREBRO_2020}#p0940" in links
    # once the filters are open, every value shows how many of the hits it would keep
    page.click(".search-filters summary")
    expect(page.locator("li:has(input[value='Skolchefer Skaraborg']) label")).to_have_text(
        re.compile(r"\(1\)$")
    )
    assert page.inner_text("li:has(input[value='Kumla']) label").strip().endswith("(0)")


def test_the_filter_index_is_fetched_only_when_the_filters_open(page: Page, sample_site: str) -> None:
    fetched: list[str] = []
    page.on("request", lambda request: fetched.append(request.url))
    search(page, sample_site, "q=yrkesvux")
    page.wait_for_load_state("networkidle")
    links = result_links(page)
    assert links and any("/pagefind/fragment/" in url for url in fetched)
    assert not [url for url in fetched if "/pagefind/filter/" in url]
    assert not [url for url in fetched if "pagefind-worker" in url]  # searches on the page's thread
    assert not page.is_visible("input[name=kommun][value='Kumla']")
    label = page.locator("li:has(input[value='Skolchefer Skaraborg']) label")
    assert (label.text_content() or "").strip() == "Skolchefer Skaraborg"  # no count yet

    page.click(".search-filters summary")
    expect(label).to_have_text(re.compile(r"\(1\)$"))
    assert [url for url in fetched if "/pagefind/filter/" in url]
    assert result_links(page) == links  # the results stay as they were
    assert page.is_visible("input[name=kommun][value='Kumla']")


def test_an_inflected_form_finds_the_base_form(page: Page, sample_site: str) -> None:
    sources = " ".join(p.read_text(encoding="utf-8").lower() for p in (ROOT / "content").rglob("*.md"))
    assert "dimensioneringen" not in sources and "dimensionering" in sources
    status = search(page, sample_site, "q=dimensioneringen")
    assert status.startswith("1 träff")
    assert f"{SKARABORG}#p103" in result_links(page)


def test_municipality_filter_keeps_only_meetings_where_it_was_represented(
    page: Page, sample_site: str
) -> None:
    search(page, sample_site, "q=yrkesvux&kommun=Sk%C3%B6vde")
    assert result_pages(page) == [SKARABORG]
    assert page.is_checked("input[name=kommun][value='Skövde']")
    assert page.is_visible("input[name=kommun][value='Skövde']")  # a filter set opens the filters
    search(page, sample_site, "q=yrkesvux&kommun=Hallsberg")
    assert result_pages(page) == [OREBRO_2020]
    # Kumla was marked absent in 2020 and is no member of Skaraborg's network.
    status = search(page, sample_site, "q=yrkesvux&kommun=Kumla")
    assert result_pages(page) == []
    assert "Inga träffar" in status


def test_year_and_type_filters(page: Page, sample_site: str) -> None:
    search(page, sample_site, "q=yrkesvux&ar=2020")
    assert result_pages(page) == [OREBRO_2020]
    search(page, sample_site, "q=yrkesvux&ar=2024")
    assert result_pages(page) == [SKARABORG]
    # Decisions are findable as such: a type filter, and each decision is its own sub-result.
    search(page, sample_site, "q=medfinansiering&typ=Beslut")
    assert result_pages(page) == [SKARABORG]
    subs = page.locator(".sub-result.is-decision a")
    assert subs.count() == 1
    assert subs.inner_text() == "§ 105 Statsbidrag regionalt yrkesvux 2025 – beslut"
    assert subs.get_attribute("href") == f"{SKARABORG}#p105-beslut"
    search(page, sample_site, "typ=Beslut")
    assert result_pages(page) == [JOINT, OREBRO_2020, SKARABORG]  # every meeting with decisions


def test_the_form_puts_the_query_in_the_url_and_back_works(page: Page, sample_site: str) -> None:
    page.goto(f"{sample_site}/sok/")
    page.fill("#q", "yrkesvux")
    page.press("#q", "Enter")
    wait_for_results(page)
    first = result_links(page)
    assert page.url == f"{sample_site}/sok/?q=yrkesvux"

    page.click(".search-filters summary")
    page.check("input[name=ar][value='2020']")
    page.wait_for_url(f"{sample_site}/sok/?q=yrkesvux&ar=2020")
    wait_for_results(page)
    assert result_pages(page) == [OREBRO_2020]

    page.go_back()
    page.wait_for_url(f"{sample_site}/sok/?q=yrkesvux")
    wait_for_results(page)
    assert result_links(page) == first
    assert not page.is_checked("input[name=ar][value='2020']")

    shared = page.context.new_page()  # the shared URL shows the same results
    shared.goto(f"{sample_site}/sok/?q=yrkesvux")
    wait_for_results(shared)
    assert result_links(shared) == first
    assert shared.input_value("#q") == "yrkesvux"


def test_no_hits_says_so_in_swedish(page: Page, sample_site: str) -> None:
    status = search(page, sample_site, "q=" + quote("kvantdatorer"))
    assert status == (
        "0 träffar för ”kvantdatorer”. Inga träffar. Kontrollera stavningen, prova ett annat ord"
        " eller ta bort filter."
    )
    assert page.locator(".search-result").count() == 0


def test_header_form_reaches_the_search_page_without_javascript(browser: Browser, sample_site: str) -> None:
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    page.goto(f"{sample_site}{SKARABORG}")
    page.fill("#header-q", "yrkesvux")
    page.press("#header-q", "Enter")
    page.wait_for_url(f"{sample_site}/sok/?q=yrkesvux")
    assert page.locator("h1").inner_text() == "Sök i protokollen"
    context.close()


def test_no_request_leaves_the_site_during_a_search(page: Page, sample_site: str) -> None:
    requests: list[str] = []
    page.on("request", lambda request: requests.append(request.url))
    errors: list[str] = []
    page.on("console", lambda message: errors.append(message.text) if message.type == "error" else None)
    page.goto(f"{sample_site}/")
    page.fill("#header-q", "statsbidrag")
    page.press("#header-q", "Enter")
    page.wait_for_url("**/sok/?q=statsbidrag")  # the header form navigates; wait for the new page
    wait_for_results(page)
    page.click(".search-filters summary")
    page.check("input[name=natverk][value='Skolchefer Skaraborg']")
    page.wait_for_url("**/sok/?q=statsbidrag&natverk=*")
    page.locator("#search-status", has_text="1 träff").wait_for()
    page.click(".search-result h2 a >> nth=0")
    page.wait_for_load_state()
    assert len(requests) > 5
    assert [url for url in requests if not url.startswith(sample_site)] == []
    assert errors == []


def test_only_meeting_content_is_indexed(page: Page, sample_site: str) -> None:
    """Navigation, footers and the other page kinds never come up: every hit is a meeting."""
    for word in ("skolchefer", "kommun", "nätverk"):
        search(page, sample_site, f"q={quote(word)}")
        pages = result_pages(page)
        assert pages, word
        assert set(pages) <= {SKARABORG, OREBRO_2020, JOINT}, word


SEED_QUERIES = (
    "yrkesvux", "dimensioneringen", "medfinansiering", "statsbidrag", "skolchefer", "kommun", "nätverk",
)  # fmt: skip
# The meeting page's labels: in an excerpt, one run into its value reads "PlatsRegionens Hus".
LABELS = [
    UI[key]["sv"]
    for key in (
        "date", "time", "place", "networks", "status", "adjusted_on", "chair", "secretary", "adjusters",
        "next_meeting", "name", "municipality_or_organisation", "role", "party", "attendance",
    )
]  # fmt: skip
RUN_ON = re.compile(f"(?:{'|'.join(map(re.escape, LABELS))})[A-ZÅÄÖ0-9]")
# Words only the participant table and the attendance list say.
RECORD = re.compile(f"{UI['present']['sv']}|{UI['absent']['sv']}|{UI['not_recorded']['sv']}", re.IGNORECASE)
RECORD_SECTIONS = {UI[key]["sv"] for key in ("meeting_details", "participants", "attendance_by_municipality")}


def shown_texts(page: Page, selector: str) -> list[str]:
    return page.eval_on_selector_all(selector, "els => els.map(e => e.textContent)")


def test_excerpts_come_from_the_running_text(page: Page, sample_site: str) -> None:
    """No label run into its value, no participant rows, no printed URLs: the minutes' own words."""
    for query in SEED_QUERIES:
        search(page, sample_site, f"q={quote(query)}")
        excerpts = shown_texts(page, ".search-result .excerpt")
        assert excerpts, query
        for text in excerpts:
            assert not RUN_ON.search(text), (query, text)
            assert not RECORD.search(text), (query, text)
            assert "://" not in text, (query, text)
        titles = set(shown_texts(page, ".sub-result h3"))
        assert not titles & RECORD_SECTIONS, query


def test_a_sub_result_excerpt_does_not_repeat_its_title(page: Page, sample_site: str) -> None:
    search(page, sample_site, "q=yrkesvux")
    item = page.locator(f".sub-result:has(a[href='{SKARABORG}#p105'])")
    assert item.locator("h3").inner_text() == "§ 105 Statsbidrag regionalt yrkesvux 2025"
    assert item.locator(".excerpt").inner_text().startswith("Ärendet är ett beslutsärende.")
    search(page, sample_site, "q=medfinansiering")
    decision = page.locator(f".sub-result:has(a[href='{SKARABORG}#p105-beslut']) .excerpt")
    assert decision.inner_text().startswith("Skolchefsgruppen beslutar om medfinansiering")


def test_a_decision_sub_result_is_titled_with_its_item(page: Page, sample_site: str) -> None:
    """Only decisions say "utses"; § 101's own text has no hit, so its item is no sub-result to
    borrow a title from, yet its decision is titled with the item, not with "Beslut" alone."""
    search(page, sample_site, "q=utses")
    titles = dict(
        page.eval_on_selector_all(
            ".sub-result.is-decision a", "els => els.map(a => [a.textContent, a.pathname + a.hash])"
        )
    )
    assert titles == {
        "§ 101 Val av justerare – beslut": f"{SKARABORG}#p101-beslut",
        "11. VFU-avtal för socionomer – beslut": f"{JOINT}#p11-beslut",
    }
    assert page.locator(f".sub-result a[href='{SKARABORG}#p101']").count() == 0


@pytest.mark.parametrize(
    ("query", "line"),
    [
        ("Anneli Alm", "Deltagare: Anneli Alm, Falköping"),  # a participant
        ("Mariestad", "Deltagare: Maria Appelgren, Mariestad"),  # only a participant comes from there
        ("Regionens Hus", "Plats: Regionens Hus"),
    ],
)
def test_people_places_and_municipalities_stay_findable(
    page: Page, sample_site: str, query: str, line: str
) -> None:
    """Names, places and municipalities are searched as the meeting's metadata, not as prose: the
    result says where the words matched instead of showing the participant table as an excerpt."""
    search(page, sample_site, f"q={quote(query)}")
    assert result_pages(page) == [SKARABORG]
    result = page.locator(".search-result")
    assert result.locator(".meta-match").all_inner_texts() == [line]
    for text in result.locator(".excerpt").all_inner_texts():
        assert not RECORD.search(text) and not RUN_ON.search(text), text


def test_the_record_is_metadata_on_the_meeting_page(sample_output: Path) -> None:
    """The details and the participants are kept out of the indexed text; their names and the
    place are metadata: each person once (Daniel Ekman is secretary and participant), with where
    they come from; a chair the participant list does not name (2020) by name alone."""
    root = parse_html(sample_output / SKARABORG.strip("/") / "index.html")
    for cls in ("meeting-details", "participants"):
        (section,) = root.find_all("section", cls)
        assert "data-pagefind-ignore" in section.attrs, cls
    (place,) = [e for e in root.find_all("dd") if e.attrs.get("data-pagefind-meta") == "place"]
    assert place.text == "Regionens Hus"
    metas = [e.attrs["data-pagefind-meta"] for e in root.find_all("span") if "data-pagefind-meta" in e.attrs]
    (people,) = [m.removeprefix("people:").split("; ") for m in metas if m.startswith("people:")]
    assert people[0] == "Anneli Alm, Falköping"
    assert [p for p in people if p.startswith("Daniel Ekman")] == ["Daniel Ekman, Skaraborgs Kommunalförbund"]
    orebro = (sample_output / OREBRO_2020.strip("/") / "index.html").read_text(encoding="utf-8")
    assert "; Irén Lejgren;" in orebro
