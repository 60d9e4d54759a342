"""Whole builds: the seed minutes rendered faithfully, indexes, escaping, safe output, drafts."""

from __future__ import annotations

import json
import re
from dataclasses import replace
from datetime import date
from pathlib import Path

import pytest
import yaml

from protokollarkiv.build.builder import Project, build, check
from protokollarkiv.model import DaySpan
from protokollarkiv.render import day_span, long_date

from .conftest import MEETING_PATH, ROOT, Element, MiniProject, meeting_text, page_ids, parse_html

SEED_000 = "natverk/skolchefer-skaraborg/2024-09-20/index.html"
SEED_001 = "natverk/samverkansrad-skola-orebro/2020-09-16/index.html"
SEED_004 = "natverk/chefsgrupp-valfard-orebro/2024-03-15/index.html"
SEED_SOURCES = {
    SEED_000: "networks/skolchefer-skaraborg/2024/2024-09-20.md",
    SEED_001: "networks/samverkansrad-skola-orebro/2020/2020-09-16.md",
    SEED_004: "networks/chefsgrupp-valfard-orebro/2024/2024-03-15.md",
}
SEED_ANCHORS = {
    SEED_000: [f"p{n}" for n in range(100, 111)],
    SEED_001: ["p0900", "p0910", "p0940", "p1000", "p1020", "p1040", "p1100", "p1130", "p1150", "p1200"],
    SEED_004: ["inledning", "dagens-agenda", "p11", "p12", "p13", "p14"],
}


ROLE_SECTIONS = {
    "beslutande": "Beslutande",
    "ledamot": "Ledamöter",
    "ersättare": "Ersättare",
    "adjungerad": "Adjungerade",
    "tjänsteperson": "Tjänstepersoner",
}


def own_text(element: Element) -> str:
    """The text of an element without that of the elements inside it (a name without its tags)."""
    text = element.text
    for child in element.children:
        if child.tag != "a":  # a name linked to its person page is still the name
            text = text.replace(child.text, "", 1)
    return " ".join(text.split())


def built(project: Project, drafts: bool = False) -> Path:
    result = build(project, include_drafts=drafts)
    assert result.ok, result.diagnostics.format()
    return project.output


def front_matter(path: Path) -> dict[str, object]:
    text = path.read_text(encoding="utf-8")
    return yaml.safe_load(text.split("---\n")[1])  # type: ignore[no-any-return]


def snapshot(folder: Path) -> dict[str, tuple[bytes, int]]:
    return {
        p.relative_to(folder).as_posix(): (p.read_bytes(), p.stat().st_mtime_ns)
        for p in sorted(folder.rglob("*"))
        if p.is_file()
    }


def links(root: Element) -> list[str]:
    return [a.attrs["href"] for a in root.find_all("a") if "href" in a.attrs]


# --- the sample archive ------------------------------------------------------------------------


def test_seed_pages_keep_every_item_participant_and_decision(sample: Project) -> None:
    site = built(sample)
    for page, source in SEED_SOURCES.items():
        html = parse_html(site / page)
        ids = page_ids(html)
        for anchor in SEED_ANCHORS[page]:
            assert anchor in ids, (page, anchor)
            assert f"#{anchor}" in links(html), f"table of contents lacks {anchor}"
        headings = [
            h.attrs["id"]
            for h in html.find_all("h2")
            if h.parent and h.parent.tag == "section" and "item" in h.parent.classes()
        ]
        assert headings == SEED_ANCHORS[page], "items out of order"

        front = front_matter(sample.content / source)
        participants = front["participants"]
        assert isinstance(participants, list)
        listed = {}  # name -> (the section's caption, the row's header, its cells)
        for table in html.find_all("table", "participant-table"):
            caption = table.find_all("caption")[0].full_text()
            for row in table.find_all("tr")[1:]:
                header = row.find_all("th")[0]
                listed[own_text(header)] = (caption, header, [c.full_text() for c in row.find_all("td")])
        assert sorted(listed) == sorted(p["name"] for p in participants)
        for p in participants:
            caption, header, cells = listed[p["name"]]
            section = (
                "Frånvarande"
                if p.get("present", True) is False
                else p.get("group") or ROLE_SECTIONS.get(p.get("role", ""), "Övriga deltagande")
            )
            assert caption.startswith(section), p
            if p.get("present", True) is None:
                assert "närvaro ej antecknad" in header.full_text(), p
            if p.get("party"):
                [abbr] = header.parent.find_all("abbr")  # type: ignore[union-attr]
                assert abbr.full_text() == p["party"] and abbr.attrs["title"], p
            if p.get("role", "") not in ROLE_SECTIONS and p.get("role") != "övrig":
                assert p["role"] in cells, p  # a role in the minutes' own words is kept

        body = (sample.content / source).read_text(encoding="utf-8")
        decisions = html.find_all("div", "beslut")
        assert len(decisions) == body.count("::: beslut") > 0
        for block in re.findall(r"::: beslut\n(.*?)\n:::", body, re.S):
            first_words = " ".join(block.splitlines()[0].lstrip("-* ").split()[:3])
            assert any(first_words in d.full_text() for d in decisions), first_words


def test_seed_000_metadata_and_political_chairs(sample: Project) -> None:
    html = parse_html(built(sample) / SEED_000)
    meta = {
        dt.full_text(): dd.full_text()
        for dt, dd in zip(html.find_all("dt"), html.find_all("dd"), strict=True)
    }
    assert meta["Datum"] == "20 september 2024"
    assert meta["Plats"] == "Regionens Hus"
    # as the seed's signature block spells it ("Fältdt"; its participant list says "Fäldt")
    assert meta["Ordförande"] == "Katarina Lindberg, Pär Arvidsson Fältdt"
    assert meta["Sekreterare"] == "Daniel Ekman"
    assert meta["Justerare"] == "Catarina Higgins"
    assert meta["Nästa möte"] == "24–25 oktober 2024"
    # The participant list as the minutes have it: their sections in their order, the absent last,
    # roles in words only where the heading does not say them, the chairs and adjusters marked.
    captions = [c.full_text() for c in html.find_all("caption")]
    assert captions == [
        "Beslutande (13)",
        "Övriga deltagande (6)",
        "Politiska ordförande nätverket (Utbildningsgruppen) (11) Närvarande endast § 103",
        "Frånvarande (5)",
    ]
    tables = html.find_all("table", "participant-table")
    headers = [[th.full_text() for th in table.find_all("thead")[0].find_all("th")] for table in tables]
    assert headers == [
        ["Namn", "Kommun eller organisation"],  # no empty role or party column
        ["Namn", "Kommun eller organisation", "Roll"],  # one role in the minutes' own words
        ["Namn", "Kommun eller organisation"],
        ["Namn", "Kommun eller organisation"],
    ]
    marked = {
        own_text(th): [tag.full_text() for tag in th.find_all("span", "tag")]
        for table in tables
        for th in table.find_all("th")
        if th.find_all("span", "tag")
    }
    assert marked == {
        "Catarina Higgins": ["justerare"],
        "Pär Arvidsson Fäldt": ["ordförande"],
        "Katarina Lindberg": ["ordförande"],
        "Daniel Ekman": ["sekreterare"],
    }
    assert "Sektorchef, sektor social välfärd" in tables[1].full_text()


def test_seed_001_attendance_by_municipality_as_the_minutes_say(sample: Project) -> None:
    html = parse_html(built(sample) / SEED_001)
    (listing,) = html.find_all("ul", "attendance-list")
    states = {li.find_all("a")[0].full_text(): li.classes()[0] for li in listing.find_all("li")}
    present = {"Askersund", "Hallsberg", "Hällefors", "Karlskoga", "Lindesberg", "Ljusnarsberg"}
    absent = {"Degerfors", "Kumla", "Laxå", "Lekeberg", "Nora", "Örebro"}
    assert states == {**{n: "is-present" for n in present}, **{n: "is-absent" for n in absent}}
    assert "6 av 12 medlemskommuner representerade." in html.full_text()
    meta = {
        dt.full_text(): dd.full_text()
        for dt, dd in zip(html.find_all("dt"), html.find_all("dd"), strict=True)
    }
    assert meta["Justerat den"] == "21 september 2020"
    assert meta["Tid"] == "09:00-12:00"


def test_seed_000_a_municipality_present_for_some_items_only_is_partly_represented(sample: Project) -> None:
    """Hjo, Grästorp, Tibro and Töreboda were there only through political chairs at § 103: not
    represented when § 105 was decided, so "Delvis (§ 103)", not "Närvarande"."""
    site = built(sample)
    html = parse_html(site / SEED_000)
    (listing,) = html.find_all("ul", "attendance-list")
    states = {
        li.find_all("a")[0].full_text(): li.full_text().split(": ", 1)[1] for li in listing.find_all("li")
    }
    partly = {"Grästorp", "Hjo", "Tibro", "Töreboda"}
    assert {name for name, state in states.items() if state == "Delvis (§ 103)"} == partly
    assert all(states[name] == "Närvarande" for name in states.keys() - partly)
    assert (
        "11 av 15 medlemskommuner representerade. 4 delvis, genom deltagare som bara var med på vissa"
        " paragrafer." in html.full_text()
    )
    hjo = parse_html(site / "kommun/hjo/index.html")
    (cell,) = [td for td in hjo.find_all("td") if "is-partly" in td.classes()]
    assert cell.full_text() == "Delvis representerad (§ 103)"


def test_the_announced_next_meeting_is_on_the_home_and_network_pages_in_words(sample: Project) -> None:
    """Seed 000 announces 2024-10-24--25: the home page and the network's page say when, in
    words, and in which minutes it was announced; a network whose latest minutes announce nothing
    says nothing."""
    site = built(sample)
    home = parse_html(site / "index.html")
    (section,) = [s for s in home.find_all("section") if s.attrs.get("aria-labelledby") == "announced"]
    assert (
        section.full_text().split()
        == (
            "Aviserade möten 24–25 oktober 2024 · Skol- och utbildningschefer aviserat i protokollet"
            " från 20 september 2024 Dagen har passerat; protokollet publiceras när det är justerat."
        ).split()
    )
    # the note is hidden until the reader's browser finds the day past (tests/test_phone.py)
    [note] = [span for span in section.find_all("span") if "past-note" in span.classes()]
    assert "hidden" in note.attrs and note.attrs["data-past-after"] == "2024-10-25"
    network = parse_html(site / "natverk/skolchefer-skaraborg/index.html")
    meta = {
        dt.full_text(): dd.full_text()
        for dt, dd in zip(network.find_all("dt"), network.find_all("dd"), strict=True)
    }
    assert meta["Nästa möte"] == (
        "24–25 oktober 2024 (aviserat i protokollet från 20 september 2024) "
        "Dagen har passerat; protokollet publiceras när det är justerat."
    )
    other = parse_html(site / "natverk/samverkansrad-skola-orebro/index.html")
    assert "Nästa möte" not in other.full_text()


@pytest.mark.parametrize(
    ("first", "last", "rest", "shown"),
    [
        (date(2024, 10, 24), date(2024, 10, 24), "", "24 oktober 2024"),
        (date(2024, 10, 24), date(2024, 10, 25), "", "24–25 oktober 2024"),
        (date(2024, 10, 30), date(2024, 11, 2), "kl. 13", "30 oktober–2 november 2024 kl. 13"),
        (date(2024, 12, 30), date(2025, 1, 2), "", "30 december 2024 – 2 januari 2025"),
    ],
)
def test_days_in_words(first: date, last: date, rest: str, shown: str) -> None:
    assert day_span(DaySpan(first, last, rest), "sv", lambda day: long_date(day, "sv")) == shown


def test_the_search_pages_network_filter_is_in_alphabetical_order(sample: Project) -> None:
    """The filter shows the networks' short names, so it is sorted by them (issue 19, item 12)."""
    html = parse_html(built(sample) / "sok/index.html")
    shown = [i.attrs["value"] for i in html.find_all("input") if i.attrs.get("name") == "natverk"]
    assert shown == [
        "Chefsgrupp skola Örebro",
        "Chefsgrupp välfärd Örebro",
        "Samverkansråd skola Örebro",
        "Skolchefer Skaraborg",
    ]


def test_joint_meeting_is_listed_under_both_networks(sample: Project) -> None:
    site = built(sample)
    meeting = "/natverk/chefsgrupp-valfard-orebro/2024-03-15/"
    for network in ("chefsgrupp-valfard-orebro", "chefsgrupp-skola-orebro"):
        assert meeting in links(parse_html(site / "natverk" / network / "index.html")), network
    assert not (site / "natverk/chefsgrupp-skola-orebro/2024-03-15").exists()
    html = parse_html(site / SEED_004)
    assert "Gemensamt möte" in html.full_text()
    captions = [c.full_text() for c in html.find_all("caption")]
    assert captions == [
        "Chefsgrupp för samverkan social välfärd samt vård och omsorg (15)",
        "Chefsgrupp för samverkan skolchefer (17)",
        "Övriga deltagande (1) Närvarande endast 11.",  # the guest of item 11
    ]


def test_municipality_and_year_pages_list_the_right_meetings(sample: Project) -> None:
    site = built(sample)

    def meeting_rows(slug: str) -> dict[str, str]:
        html = parse_html(site / "kommun" / slug / "index.html")
        rows = [r for t in html.find_all("table", "meeting-table") for r in t.find_all("tr")[1:]]
        return {r.find_all("a")[0].attrs["href"]: r.find_all("td")[-1].full_text() for r in rows}

    assert meeting_rows("skovde") == {"/natverk/skolchefer-skaraborg/2024-09-20/": "Representerad"}
    # Essunga's director was absent, but a present official from Essunga represents it.
    assert meeting_rows("essunga") == {"/natverk/skolchefer-skaraborg/2024-09-20/": "Representerad"}
    assert meeting_rows("kumla") == {
        "/natverk/chefsgrupp-valfard-orebro/2024-03-15/": "Representerad",
        "/natverk/samverkansrad-skola-orebro/2020-09-16/": "Inte representerad",
    }
    assert meeting_rows("hallefors") == {
        "/natverk/chefsgrupp-valfard-orebro/2024-03-15/": "Representerad",
        "/natverk/samverkansrad-skola-orebro/2020-09-16/": "Representerad",
    }
    kumla = parse_html(site / "kommun/kumla/index.html")
    assert [h.full_text() for h in kumla.find_all("h3")] == ["2024", "2020"]

    year = parse_html(site / "ar/2024/index.html")
    sections = {
        s.find_all("h2")[0].full_text(): [a for a in links(s) if re.search(r"\d{4}-\d\d-\d\d/$", a)]
        for s in year.find_all("section")
    }
    joint = ["/natverk/chefsgrupp-valfard-orebro/2024-03-15/"]
    assert sections == {
        "Chefsgrupp för samverkan skolchefer": joint,
        "Chefsgrupp för samverkan social välfärd samt vård och omsorg": joint,
        "Skol- och utbildningschefer": ["/natverk/skolchefer-skaraborg/2024-09-20/"],
    }
    assert "/natverk/samverkansrad-skola-orebro/2020-09-16/" in links(parse_html(site / "ar/2020/index.html"))
    assert "/natverk/samverkansrad-skola-orebro/2020-09-16/" not in links(year)


def test_every_internal_link_and_anchor_resolves(sample: Project) -> None:
    site = built(sample)
    pages = sorted(site.rglob("*.html"))
    # 19 page kinds (with /admin/): 4 networks, 3 meetings, 27 municipalities, 2 years, 2 registers,
    # /person/ and 86 people
    assert len(pages) == 50 + 87
    ids = {p: page_ids(parse_html(p)) for p in pages}
    for page in pages:
        for href in links(parse_html(page)):
            if href.startswith(("mailto:", "https://")):
                continue
            path, _, fragment = href.partition("#")
            target = page if not path else site / path.lstrip("/")
            if target.is_dir():
                target = target / "index.html"
            assert target.is_file(), f"{page}: broken link {href}"
            if fragment:
                assert fragment in ids[target], f"{page}: missing anchor {href}"


def test_search_index_holds_the_meetings_and_decisions_only(sample: Project) -> None:
    site = built(sample)
    entry = json.loads((site / "pagefind/pagefind-entry.json").read_text(encoding="utf-8"))
    assert list(entry["languages"]) == ["sv"]
    assert entry["languages"]["sv"]["page_count"] == 3  # the three meetings; no other page kind
    assert (site / "pagefind/pagefind.js").is_file()


def test_sitemap_robots_and_404(sample: Project) -> None:
    site = built(sample)
    sitemap = (site / "sitemap.xml").read_text(encoding="utf-8")
    assert (
        "<loc>https://protokollarkiv.netlify.app/natverk/skolchefer-skaraborg/2024-09-20/</loc>"
        "<lastmod>2024-09-20</lastmod>" in sitemap
    )
    assert "<lastmod>2020-09-21</lastmod>" in sitemap  # the adjustment date when known
    assert "404" not in sitemap
    assert sitemap.count("<url>") == 48 + 87  # every HTML page but 404.html; 87: /person/ and 86 people
    robots = (site / "robots.txt").read_text(encoding="utf-8")
    assert "Sitemap: https://protokollarkiv.netlify.app/sitemap.xml" in robots
    not_found = parse_html(site / "404.html")
    assert not_found.find_all("h1")[0].full_text() == "Sidan finns inte"


def test_every_html_page_has_landmarks_one_h1_and_language(sample: Project) -> None:
    site = built(sample)
    for page in site.rglob("*.html"):
        html = parse_html(page)
        (root,) = html.find_all("html")
        assert root.attrs["lang"] == "sv"
        if page.parent.name == "admin":
            continue  # the web editor is a third-party app, not a public page (tests/test_admin.py)
        assert len(html.find_all("h1")) == 1, page
        assert len(html.find_all("main")) == 1, page
        ids = [e.attrs["id"] for e in html.find_all() if "id" in e.attrs]
        assert len(ids) == len(set(ids)), f"{page}: duplicate ids"
        first_link = html.find_all("a")[0]
        assert first_link.attrs["href"] == "#main" and "skip-link" in first_link.classes()
        assert html.find_all("header") and html.find_all("footer") and html.find_all("nav")


# --- small archives ----------------------------------------------------------------------------


def test_html_in_body_and_front_matter_comes_out_escaped(mini: MiniProject) -> None:
    evil = "<script>alert(1)</script>"
    project = mini(
        {
            "site.yml": f"title: 'Arkiv {evil}'\nlanguage: sv\n",
            "networks/skolchefer/network.yml": f"name: 'Nät {evil}'\nmembers: [skovde]\n",
        },
        meeting=meeting_text(
            f"title: 'Möte {evil}'\nplace: '<b>Rum</b>'\nchair: ['{evil}']\n"
            f"participants:\n  - {{name: '{evil}', municipality: skovde, role: '<i>x</i>'}}\n"
            f"next_meeting: '<img src=x onerror=alert(1)>'\n",
            body=f"## § 1 Rubrik {evil}\n\n{evil}\n\n<iframe src=x></iframe>\n\n::: beslut\n{evil}\n:::\n",
        ),
    )
    site = built(project)
    for page in site.rglob("*.html"):
        text = page.read_text(encoding="utf-8")
        for tag in ("<script>", "<b>", "<i>", "<img", "<iframe"):
            assert tag not in text, (page, tag)
    meeting = (site / "natverk/skolchefer/2024-09-20/index.html").read_text(encoding="utf-8")
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in meeting
    assert "&lt;iframe src=x&gt;&lt;/iframe&gt;" in meeting


def test_failed_build_leaves_the_site_byte_for_byte_unchanged(mini: MiniProject) -> None:
    site = built(mini())
    before = snapshot(site)
    broken = mini(meeting=meeting_text("title: Nytt\n", date="2024-02-30"))
    result = build(broken)
    assert not result.ok and result.stats is None
    assert snapshot(site) == before
    assert not list(site.parent.glob(".site.staging*"))


def test_the_spare_site_becomes_the_next_site_without_writing_the_live_one(
    mini: MiniProject, tmp_path: Path
) -> None:
    """The site a build swaps out is kept beside the new one (`.site.spare`) and brought up to
    date by the next build: the files that did not change are links to the live site's there, so
    a page written anew must replace its link, never write through it; files and folders of
    meetings that are gone are removed. The result is a cold build's tree."""
    later = "networks/skolchefer/2024/2024-10-24.md"
    project = mini({later: meeting_text("place: Stadshuset\n", date="2024-10-24")})
    built(project)
    (project.content / MEETING_PATH).write_text(meeting_text(body="## § 1 Första\n"), encoding="utf-8")
    built(project)
    spare = project.output.with_name(".site.spare")
    assert spare.is_dir()
    swapped_out = {p.relative_to(spare).as_posix(): p.read_bytes() for p in spare.rglob("*") if p.is_file()}
    live = {
        p.relative_to(project.output).as_posix(): p.read_bytes()
        for p in project.output.rglob("*")
        if p.is_file()
    }

    (project.content / MEETING_PATH).write_text(meeting_text(body="## § 1 Andra\n"), encoding="utf-8")
    (project.content / later).unlink()
    built(project)
    # The site swapped out now is the one that was live: every byte as it was then.
    assert {p.relative_to(spare).as_posix(): p.read_bytes() for p in spare.rglob("*") if p.is_file()} == live
    assert swapped_out != live
    cold = replace(project, output=tmp_path / "cold")
    built(cold)

    def shape(site: Path) -> dict[str, bool]:  # Pagefind names some files by a hash that varies
        return {
            p.relative_to(site).as_posix(): p.is_dir() for p in site.rglob("*") if "pagefind" not in p.parts
        }

    tree = shape(project.output)
    assert tree == shape(cold.output)
    assert not (project.output / "natverk/skolchefer/2024-10-24").exists()
    for relative, is_dir in tree.items():
        if not is_dir:
            assert (project.output / relative).read_bytes() == (cold.output / relative).read_bytes(), relative


def test_a_first_build_into_an_empty_folder_moves_the_whole_site_in(mini: MiniProject) -> None:
    project = mini()
    project.output.mkdir()
    result = build(project)
    assert result.ok and result.stats is not None
    written = [p for p in project.output.rglob("*") if p.is_file() and "pagefind" not in p.parts]
    assert result.stats.written == len(written) > 10 and result.stats.removed == 0
    assert not list(project.output.parent.glob(".site.staging*"))
    again = build(project)  # and the next build compares with it as usual
    assert again.stats is not None and (again.stats.written, again.stats.removed) == (0, 0)


def test_second_build_writes_nothing_and_an_edit_writes_only_what_changed(
    mini: MiniProject, tmp_path: Path
) -> None:
    # With its cache: the saved state says the index was made from these pages (without one a
    # build cannot know, and indexes again; see test_atomic).
    project = replace(mini(), cache=tmp_path / ".cache")
    site = built(project)
    before = snapshot(site)
    again = build(project)
    assert again.stats is not None
    assert (again.stats.written, again.stats.removed) == (0, 0)
    assert again.search is None  # nothing changed, so the index is not rebuilt either
    assert again.stats.unchanged == len([k for k in before if not k.startswith("pagefind/")])
    assert snapshot(site) == before

    (project.content / MEETING_PATH).write_text(
        meeting_text(body="## § 1 Öppnande\n\nNy text.\n"), encoding="utf-8"
    )
    edited = build(project)
    assert edited.stats is not None
    after = snapshot(site)
    changed = sorted(k for k in after if not k.startswith("pagefind/") and after[k] != before[k])
    # The page, and the open data that carries the text's seal (digest) and, in mote.json, the text.
    assert changed == [
        "data/meetings.json",
        "natverk/skolchefer/2024-09-20/index.html",
        "natverk/skolchefer/2024-09-20/mote.json",
    ]
    assert edited.stats.written == 3
    assert edited.search is not None  # the index follows the edit


def test_drafts_are_left_out_unless_asked_for_and_then_marked(mini: MiniProject) -> None:
    draft_path = "networks/skolchefer/2024/2024-10-01.md"
    project = mini({draft_path: meeting_text("title: Hemligt utkast\n", date="2024-10-01", status="utkast")})
    draft_page = "natverk/skolchefer/2024-10-01/index.html"

    site = built(project)
    assert not (site / draft_page).exists()
    for page in [*site.rglob("*.html"), site / "sitemap.xml"]:
        assert "Hemligt utkast" not in page.read_text(encoding="utf-8"), page
        assert "2024-10-01" not in page.read_text(encoding="utf-8"), page

    built(project, drafts=True)
    html = parse_html(site / draft_page)
    assert any(
        m.attrs.get("name") == "robots" and "noindex" in m.attrs["content"] for m in html.find_all("meta")
    )
    assert "UTKAST" in html.find_all("div", "draft-banner")[0].full_text()
    assert "/natverk/skolchefer/2024-10-01/" in links(parse_html(site / "natverk/skolchefer/index.html"))
    assert "2024-10-01" not in (site / "sitemap.xml").read_text(encoding="utf-8")

    result = build(project)  # a production build after a preview removes the draft again
    assert result.stats is not None and result.stats.removed >= 1
    assert not (site / draft_page).exists()


def test_english_site(mini: MiniProject) -> None:
    site = built(mini({"site.yml": "title: Archive\nlanguage: en\n"}))
    html = parse_html(site / "natverk/skolchefer/2024-09-20/index.html")
    assert html.find_all("html")[0].attrs["lang"] == "en"
    text = html.full_text()
    assert "Friday 20 September 2024" in text
    assert "Skip to content" in text and "Hoppa" not in text
    assert "Participants" in text and "Deltagare" not in text
    assert "Minutes" in text and "Protokoll" not in text
    # justerat is "approved" (in English "adjusted" means changed), justerare "verified by"
    meta = {
        dt.full_text(): dd.full_text()
        for dt, dd in zip(html.find_all("dt"), html.find_all("dd"), strict=True)
    }
    assert meta["Status"] == "Approved" and meta["Verified by"] == "Bo Ek"
    assert "Adjust" not in text
    # the minutes themselves are Swedish: marked so, for screen readers and translation tools
    (title,) = html.find_all("h1")
    assert title.attrs.get("lang") == "sv"
    (body,) = [d for d in html.find_all("div") if "meeting-body" in d.classes()]
    assert body.attrs.get("lang") == "sv" and "Öppnande" in body.full_text()
    network = parse_html(site / "natverk/skolchefer/index.html")
    assert [s.attrs.get("lang") for s in network.find_all("span") if s.full_text() == "Skolchefer"] == ["sv"]
    swedish = parse_html(built(mini()) / "natverk/skolchefer/2024-09-20/index.html")
    assert all("lang" not in element.attrs for element in swedish.find_all("h1"))  # sv site: no need


def test_an_english_participant_list(mini: MiniProject) -> None:
    front = (
        "participants:\n"
        "  - {name: Bo Ek, municipality: skovde, role: beslutande, party: S}\n"
        "  - {name: Cia Berg, municipality: falkoping, role: beslutande, present: false}\n"
        "  - {name: Dan Ås, organisation: Förbundet, role: tjänsteperson, group: Ledningsgruppen}\n"
        "  - {name: Eva Ny, organisation: Förbundet, role: ersättare, group: Ledningsgruppen,"
        " present: null}\n"
    )
    site = built(mini({"site.yml": "title: Archive\nlanguage: en\n"}, meeting=meeting_text(front)))
    html = parse_html(site / "natverk/skolchefer/2024-09-20/index.html")
    captions = html.find_all("caption")
    assert [c.full_text() for c in captions] == ["Voting members (1)", "Ledningsgruppen (2)", "Absent (1)"]
    assert captions[1].find_all("span")[0].attrs.get("lang") == "sv"  # the minutes' own name
    [abbr] = html.find_all("abbr")
    assert (abbr.full_text(), abbr.attrs["title"]) == ("S", "Social Democrats")
    text = html.full_text()
    assert "verifies the minutes" in text and "attendance not recorded" in text
    # roles in words where the heading does not say them: the group holds an official and a substitute
    cells = [td.full_text() for td in captions[1].parent.find_all("td")]  # type: ignore[union-attr]
    assert "official" in cells and "substitute" in cells


def test_the_signed_original_is_linked_and_a_printout_names_its_source(mini: MiniProject) -> None:
    """`original:` names the signed PDF beside the meeting: copied, linked first thing as
    "Justerat original (PDF)", and in the open data; a printout shows the site and the page's URL."""
    project = mini(
        {"networks/skolchefer/2024/2024-09-20/signerat.pdf": b"%PDF-1.4 underskrivet\n"},
        meeting=meeting_text("original: signerat.pdf\n"),
    )
    site = built(project)
    page = "natverk/skolchefer/2024-09-20/"
    assert (site / page / "signerat.pdf").read_bytes() == b"%PDF-1.4 underskrivet\n"
    html = parse_html(site / page / "index.html")
    (link,) = [a for a in html.find_all("a") if a.attrs.get("href") == f"/{page}signerat.pdf"]
    assert link.full_text() == "Justerat original (PDF)"
    (source,) = [p for p in html.find_all("p") if "print-source" in p.classes()]
    assert source.full_text() == f"Utskrift från Testarkiv: https://arkiv.example.se/{page}"
    record = json.loads((site / page / "mote.json").read_text(encoding="utf-8"))
    assert record["original"] == f"https://arkiv.example.se/{page}signerat.pdf"
    missing = check(mini(meeting=meeting_text("original: saknas.pdf\n")))
    assert [d.format(project.content.parent) for d in missing.diagnostics.items] == [
        f"content/{MEETING_PATH}:4:11: error: original 'saknas.pdf' does not exist"
        " (did you mean 'signerat.pdf'?)"
    ]
    word = mini(
        {"networks/skolchefer/2024/2024-09-20/signerat.docx": b"PK"},
        meeting=meeting_text("original: signerat.docx\n"),
    )
    assert [d.message for d in check(word).diagnostics.items] == [
        "the signed original 'signerat.docx' is not a PDF"
    ]


def test_attachments_are_copied_and_linked(mini: MiniProject) -> None:
    project = mini(
        {"networks/skolchefer/2024/2024-09-20/underlag.pdf": b"%PDF-1.4 bilaga\n"},
        meeting=meeting_text("attachments:\n  - {file: underlag.pdf, title: Underlag}\n"),
    )
    site = built(project)
    assert (site / "natverk/skolchefer/2024-09-20/underlag.pdf").read_bytes() == b"%PDF-1.4 bilaga\n"
    html = parse_html(site / "natverk/skolchefer/2024-09-20/index.html")
    assert "/natverk/skolchefer/2024-09-20/underlag.pdf" in links(html)


def test_previous_and_next_meeting_of_the_network(mini: MiniProject) -> None:
    project = mini(
        {
            "networks/skolchefer/2024/2024-10-24.md": meeting_text(date="2024-10-24"),
            "networks/skolchefer/2023/2023-05-01.md": meeting_text(date="2023-05-01"),
        }
    )
    site = built(project)
    html = parse_html(site / "natverk/skolchefer/2024-09-20/index.html")
    top, bottom = html.find_all("nav", "pager")  # at the top as well: a phone's page end is far
    assert [(a.attrs["rel"], a.attrs["href"]) for a in bottom.find_all("a")] == [
        ("prev", "/natverk/skolchefer/2023-05-01/"),
        ("next", "/natverk/skolchefer/2024-10-24/"),
    ]
    assert [a.attrs["href"] for a in top.find_all("a")] == [a.attrs["href"] for a in bottom.find_all("a")]
    labels = [a.full_text() for a in top.find_all("a")]
    assert labels == [a.full_text() for a in bottom.find_all("a")]
    assert labels == ["Föregående protokoll 1 maj 2023", "Nästa protokoll 24 oktober 2024"]
    assert top.attrs["aria-label"] != bottom.attrs["aria-label"]  # two navigation landmarks, told apart


def test_output_folder_that_is_not_a_site_is_refused(mini: MiniProject, tmp_path: Path) -> None:
    project = mini()
    project.output.mkdir()
    (project.output / "important.txt").write_text("keep me")
    try:
        build(project)
    except Exception as exc:
        assert "refusing" in str(exc)
    else:
        raise AssertionError("build wrote into a foreign folder")
    assert (project.output / "important.txt").read_text() == "keep me"


def test_sample_archive_is_clean() -> None:
    from protokollarkiv.build.builder import check

    result = check(Project.at(ROOT))
    # Seed 004 names no chair and no adjusters; the reviewer check says so, as it should.
    assert result.diagnostics.format(ROOT) == [
        "content/networks/chefsgrupp-valfard-orebro/2024/2024-03-15.md:7:1: warning: the minutes are marked"
        " justerat but name no chair and no adjusters (add 'chair:' and 'adjusters:' as the signed minutes"
        " say, or keep 'status: utkast')"
    ]


def test_a_role_in_the_minutes_own_words_is_never_left_out(mini: MiniProject) -> None:
    front = "participants:\n  - {name: Cia Berg, organisation: Förbundet, role: Förbundsdirektör}\n"
    html = parse_html(built(mini(meeting=meeting_text(front))) / "natverk/skolchefer/2024-09-20/index.html")
    [table] = html.find_all("table", "participant-table")
    assert "Förbundsdirektör" in [td.full_text() for td in table.find_all("td")]
