"""Search in real Chromium over the sample archive: Swedish stemming, filters, URL state, privacy."""

from __future__ import annotations

import re
from urllib.parse import quote

import pytest
from playwright.sync_api import Browser, Page, expect

from .conftest import ROOT

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
    assert subs.inner_text() == "Beslut: § 105 Statsbidrag regionalt yrkesvux 2025"
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
