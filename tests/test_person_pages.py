"""Person pages (issue 21, part 2): /person/ and /person/<slug>/, built from the sample archive and
from small archives: meetings and attendance, one page per person, stable slugs, `public: false`."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from protokollarkiv.build.builder import Builder, BuildResult, Project, build
from protokollarkiv.persons import NOT_RECORDED, PRESENT, person_index

from .conftest import MEETING_PATH, ROOT, Element, MiniProject, meeting_text, parse_html

SEED_000 = "/natverk/skolchefer-skaraborg/2024-09-20/"
SEED_001 = "/natverk/samverkansrad-skola-orebro/2020-09-16/"
SEED_004 = "/natverk/chefsgrupp-valfard-orebro/2024-03-15/"


def built(project: Project) -> BuildResult:
    result = build(project, search=False)
    assert result.ok, result.diagnostics.format()
    return result


def page(project: Project, url: str) -> Element:
    return parse_html(project.output / url.strip("/") / "index.html")


def rows(root: Element, table_class: str) -> list[list[str]]:
    """The body rows of the tables of a class, each as its cells' text (headers included)."""
    found = []
    for table in root.find_all("table", table_class):
        for tbody in table.find_all("tbody"):
            for tr in tbody.find_all("tr"):
                cells = [c for c in tr.children if c.tag in ("th", "td")]
                found.append([" ".join(c.full_text().split()) for c in cells])
    return found


def meeting_rows(root: Element) -> dict[str, list[str]]:
    """Meeting URL -> the cells of its row in the person page's meeting tables."""
    result = {}
    for table in root.find_all("table", "person-meetings"):
        for tr in table.find_all("tr"):
            links = [a.attrs["href"] for a in tr.find_all("a")]
            if links:
                cells = [c for c in tr.children if c.tag in ("th", "td")]
                result[links[0]] = [" ".join(c.full_text().split()) for c in cells]
    return result


def attendance(root: Element) -> list[list[str]]:
    section = next(s for s in root.find_all("section") if s.attrs.get("aria-labelledby") == "narvaro")
    return rows(section, "meeting-table")


@pytest.fixture(scope="module")
def sample_build(tmp_path_factory: pytest.TempPathFactory) -> Project:
    import shutil

    root = tmp_path_factory.mktemp("persons")
    shutil.copytree(ROOT / "content", root / "content")
    project = Project(root / "content", ROOT / "templates", root / "site")
    built(project)
    return project


def test_a_person_in_two_networks_lists_both_meetings_and_the_duty(sample_build: Project) -> None:
    root = page(sample_build, "/person/daniel-berglund/")
    assert " ".join(root.find_all("h1")[0].full_text().split()) == "Daniel Berglund"
    meetings = meeting_rows(root)
    assert list(meetings) == [SEED_004, SEED_001]  # newest first
    assert meetings[SEED_001][1:] == ["Närvarande", "tjänsteperson sekreterare"]
    assert meetings[SEED_004][1] == "Närvarande"
    # seed 004 is a joint meeting: he came with the school directors' group
    assert "Chefsgrupp skola Örebro" in meetings[SEED_004][0]
    duties = next(s for s in root.find_all("section") if s.attrs.get("aria-labelledby") == "uppdrag")
    assert [a.attrs["href"] for a in duties.find_all("a")] == [SEED_001]


def test_not_recorded_is_counted_apart_from_absent(sample_build: Project) -> None:
    """Seed 001 records attendance per municipality only: `present: null` is neither."""
    nordquist = page(sample_build, "/person/anna-nordquist/")
    assert meeting_rows(nordquist)[SEED_001][1] == "Ej antecknat"
    assert attendance(nordquist) == [["Samverkansråd skola Örebro", "2020", "0", "0", "1", "–"]]

    hededal = page(sample_build, "/person/tina-hededal/")  # absent in seed 000
    assert meeting_rows(hededal)[SEED_000][1] == "Frånvarande"
    assert attendance(hededal) == [["Skolchefer Skaraborg", "2024", "0", "1", "0", "0 %"]]

    martin = page(sample_build, "/person/johanna-martin/")  # present in seed 001, and its adjuster
    assert attendance(martin) == [["Samverkansråd skola Örebro", "2020", "1", "0", "0", "100 %"]]


def test_present_for_some_items_only_says_which(sample_build: Project) -> None:
    root = page(sample_build, "/person/alda-danial/")
    assert meeting_rows(root)[SEED_000][1] == "Närvarande endast § 103"


def test_the_two_spellings_people_yml_joins_are_one_person_with_one_page(sample_build: Project) -> None:
    people = sorted(p.name for p in (sample_build.output / "person").iterdir())
    assert "par-arvidsson-faldt" in people and "par-arvidsson-faltdt" not in people
    root = page(sample_build, "/person/par-arvidsson-faldt/")
    assert meeting_rows(root)[SEED_000][1:] == ["Närvarande", "beslutande ordförande"]
    # the meeting page links both spellings (the chair's and the list's) to that page
    meeting = page(sample_build, SEED_000)
    linked = {
        " ".join(a.full_text().split())
        for a in meeting.find_all("a")
        if a.attrs.get("href") == "/person/par-arvidsson-faldt/"
    }
    assert linked == {"Pär Arvidsson Fältdt", "Pär Arvidsson Fäldt"}


def test_every_name_of_a_participant_list_links_to_its_person(sample_build: Project) -> None:
    for url in (SEED_000, SEED_001, SEED_004):
        root = page(sample_build, url)
        for table in root.find_all("table", "participant-table"):
            for tbody in table.find_all("tbody"):
                for tr in tbody.find_all("tr"):
                    head = next(c for c in tr.children if c.tag == "th")
                    link = head.find_all("a")[0]
                    assert (sample_build.output / link.attrs["href"].strip("/") / "index.html").is_file()


def test_the_index_lists_every_person_by_municipality_or_organisation(sample_build: Project) -> None:
    root = page(sample_build, "/person/")
    headings = [" ".join(h.full_text().split()) for h in root.find_all("h2")]
    assert headings[:3] == ["Askersund", "Degerfors", "Essunga"]  # municipalities by name
    assert headings[-1] == "Utan kommun eller organisation"  # seed 001's members
    assert headings.index("Region Örebro län") > headings.index("Örebro")  # then organisations
    links = {a.attrs["href"] for a in root.find_all("a") if a.attrs.get("href", "").startswith("/person/")}
    pages = {f"/person/{p.name}/" for p in (sample_build.output / "person").iterdir() if p.is_dir()}
    assert links - {"/person/"} == pages
    skovde = next(s for s in root.find_all("section") if s.attrs.get("aria-labelledby") == "kommun-skovde")
    names = [" ".join(a.full_text().split()) for a in skovde.find_all("a")]
    assert names == ["Johan Strömberg", "Katarina Lindberg", "Marianne Gustafsson"]


def test_person_pages_are_search_results_with_the_meetings_filters(sample_build: Project) -> None:
    text = (sample_build.output / "person/anneli-alm/index.html").read_text(encoding="utf-8")
    assert text.count("data-pagefind-body") == 1
    assert '<h1 data-pagefind-meta="title">Anneli Alm</h1>' in text
    assert 'data-pagefind-filter="kommun:Falköping"' in text  # as the meeting page's filter
    assert 'data-pagefind-filter="typ:Person"' in text
    assert 'data-pagefind-sort="datum:2024-09-20"' in text
    assert 'data-pagefind-meta="network:' not in text  # a search for a network lists its meetings
    meeting = (sample_build.output / SEED_000.strip("/") / "index.html").read_text(encoding="utf-8")
    assert 'data-pagefind-filter="kommun:Falköping"' in meeting
    # found by the spelling of the signature block too
    faldt = (sample_build.output / "person/par-arvidsson-faldt/index.html").read_text(encoding="utf-8")
    assert '<span data-pagefind-meta="spellings:Pär Arvidsson Fältdt"></span>' in faldt
    sitemap = (sample_build.output / "sitemap.xml").read_text(encoding="utf-8")
    assert "/person/anneli-alm/</loc>" in sitemap and "/person/</loc>" in sitemap


def test_the_index_of_participations_is_one_pass_and_counts_attendance(sample_build: Project) -> None:
    result = build(sample_build, search=False)
    assert result.site is not None
    index = person_index(result.site)
    berglund = index.people["daniel berglund"]
    assert [p.attendance for p in berglund.participations] == [PRESENT, PRESENT]
    assert index.people["anna nordquist"].participations[0].attendance == NOT_RECORDED
    assert index.url_of("Pär Arvidsson Fältdt") == "/person/par-arvidsson-faldt/"
    assert index.rivals == {}  # no two names of the sample give one slug


# --- Slugs -----------------------------------------------------------------------------------


def participants(*names: str) -> str:
    return "participants:\n" + "".join(f"  - {{name: {name}, municipality: skovde}}\n" for name in names)


def slugs(project: Project) -> dict[str, str]:
    """Name shown -> URL of every person page of a build."""
    found = {}
    for folder in (project.output / "person").iterdir():
        if folder.is_dir():
            h1 = parse_html(folder / "index.html").find_all("h1")[0]
            found[" ".join(h1.full_text().split())] = f"/person/{folder.name}/"
    return found


def test_a_slug_collision_is_decided_by_first_appearance(mini: MiniProject) -> None:
    project = mini(
        {
            MEETING_PATH: meeting_text(participants("Anna Öberg"), date="2024-09-20"),
            "networks/skolchefer/2024/2024-05-02.md": meeting_text(
                participants("Anna Oberg"), date="2024-05-02"
            ),
            "networks/chefsgrupp/2024/2024-05-02.md": meeting_text(
                participants("Anna Obérg"), date="2024-05-02"
            ),
        }
    )
    built(project)
    found = slugs(project)
    # the same day: the file path decides (networks/chefsgrupp/… before networks/skolchefer/…)
    assert found["Anna Obérg"] == "/person/anna-oberg/"
    assert found["Anna Oberg"] == "/person/anna-oberg-2/"
    assert found["Anna Öberg"] == "/person/anna-oberg-3/"


def test_adding_a_later_meeting_never_changes_an_existing_persons_url(
    mini: MiniProject, tmp_path: Path
) -> None:
    first = {
        MEETING_PATH: meeting_text(participants("Anna Öberg", "Per Ek"), date="2024-09-20"),
        "networks/skolchefer/2024/2024-05-02.md": meeting_text(participants("Anna Oberg"), date="2024-05-02"),
    }
    project = mini(first)
    builder = Builder(project, search=False)

    def urls(result: BuildResult) -> dict[str, str]:
        """Person (key) -> URL, each page checked to be there."""
        assert result.ok and result.site is not None, result.diagnostics.format()
        found = {key: record.url for key, record in person_index(result.site).people.items()}
        for url in found.values():
            assert (project.output / url.strip("/") / "index.html").is_file()
        return found

    before = urls(builder.build())
    assert before["anna oberg"] == "/person/anna-oberg/" and before["anna öberg"] == "/person/anna-oberg-2/"
    # later meetings, in files that sort before the others, bringing names that give the same slugs
    later = {
        "networks/chefsgrupp/2024/2024-10-01.md": meeting_text(
            participants("Anna ÖBERG", "Anna Obérg", "Per Ék", "Anna Öberg"), date="2024-10-01"
        ),
        "networks/chefsgrupp/2025/2025-01-15.md": meeting_text(
            participants("Ánna Oberg", "Per Ek"), date="2025-01-15"
        ),
    }
    for name, text in later.items():
        path = project.content / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
        now = urls(builder.build())
        assert {key: url for key, url in now.items() if key in before} == before
    assert now["anna obérg"] == "/person/anna-oberg-3/" and now["ánna oberg"] == "/person/anna-oberg-4/"
    assert now["per ék"] == "/person/per-ek-2/"
    # what the incremental builds made equals a cold build of the same archive
    fresh = Project(project.content, project.templates, tmp_path / "fresh")
    built(fresh)
    assert_same_files(project.output, fresh.output)


def assert_same_files(one: Path, other: Path) -> None:
    files = sorted(p.relative_to(one) for p in one.rglob("*") if p.is_file())
    assert files == sorted(p.relative_to(other) for p in other.rglob("*") if p.is_file())
    for relative in files:
        assert (one / relative).read_bytes() == (other / relative).read_bytes(), relative


def test_a_meeting_page_follows_a_rivals_change_of_slug(mini: MiniProject, tmp_path: Path) -> None:
    """Moving a meeting earlier hands its person the plain slug: another meeting's page, which
    links the rival, is rendered again (its sources hold the rival's meetings)."""
    project = mini(
        {
            MEETING_PATH: meeting_text(participants("Anna Öberg"), date="2024-09-20"),
            "networks/skolchefer/2024/2024-10-02.md": meeting_text(
                participants("Anna Oberg"), date="2024-10-02"
            ),
        }
    )
    builder = Builder(project, search=False)
    assert builder.build().ok
    assert slugs(project)["Anna Öberg"] == "/person/anna-oberg/"
    (project.content / "networks/skolchefer/2024/2024-10-02.md").write_text(
        meeting_text(participants("Anna Oberg"), date="2024-05-02"), encoding="utf-8"
    )
    result = builder.build()
    assert result.ok, result.diagnostics.format()
    assert "/natverk/skolchefer/2024-09-20/" in result.rendered
    fresh = Project(project.content, project.templates, tmp_path / "fresh")
    built(fresh)
    assert_same_files(project.output, fresh.output)


# --- public: false ---------------------------------------------------------------------------


def test_public_false_leaves_no_page_link_or_search_record(mini: MiniProject) -> None:
    project = mini(
        {
            "people.yml": "- {name: Bo Ek, public: false}\n",
            MEETING_PATH: meeting_text(participants("Bo Ek", "Cecilia Berg")),
        }
    )
    built(project)
    assert not (project.output / "person/bo-ek").exists()
    assert (project.output / "person/cecilia-berg/index.html").is_file()
    for path in project.output.rglob("*"):
        if path.is_file() and path.suffix in (".html", ".xml", ".json", ".csv", ".txt", ".yml", ""):
            text = path.read_text(encoding="utf-8", errors="replace")
            assert "/person/bo-ek" not in text, path
            if "data-pagefind-body" in text:
                titles = re.findall(r'data-pagefind-meta="title"[^>]*>([^<]*)<', text)
                assert "Bo Ek" not in titles, path
    # the minutes still name him (the adjuster and the participant), as plain text
    meeting = (project.output / "natverk/skolchefer/2024-09-20/index.html").read_text(encoding="utf-8")
    assert meeting.count("Bo Ek") >= 2
    assert "/person/cecilia-berg/" in meeting
    listing = (project.output / "person/index.html").read_text(encoding="utf-8")
    assert "Bo Ek" not in listing and "Cecilia Berg" in listing


# --- Incremental builds ----------------------------------------------------------------------


def test_an_edit_rerenders_the_person_pages_of_its_people_as_a_cold_build(
    mini: MiniProject, tmp_path: Path
) -> None:
    other = "networks/skolchefer/2024/2024-10-24.md"
    project = mini(
        {
            MEETING_PATH: meeting_text(participants("Cecilia Berg", "Dan Lund")),
            other: meeting_text(participants("Dan Lund"), date="2024-10-24"),
        }
    )
    builder = Builder(project, search=False)
    assert builder.build().ok
    edited = meeting_text(
        participants("Cecilia Berg") + "  - {name: Dan Lund, municipality: skovde, present: false}\n"
    )
    (project.content / MEETING_PATH).write_text(edited, encoding="utf-8")
    result = builder.build()
    assert result.ok, result.diagnostics.format()
    assert {"/person/", "/person/dan-lund/", "/person/cecilia-berg/", "/person/anna-alm/"} <= set(
        result.rendered
    )
    dan = page(project, "/person/dan-lund/")
    assert meeting_rows(dan)["/natverk/skolchefer/2024-09-20/"][1] == "Frånvarande"
    assert attendance(dan) == [["Skolchefer", "2024", "1", "1", "0", "50 %"]]
    fresh = Project(project.content, project.templates, tmp_path / "fresh")
    built(fresh)
    assert_same_files(project.output, fresh.output)
    # and a second build renders nothing
    again = builder.build()
    assert again.ok and again.rendered == []


def test_an_english_site_says_it_in_english(mini: MiniProject) -> None:
    from .conftest import MINI_SITE

    project = mini({"site.yml": MINI_SITE.replace("language: sv", "language: en")})
    built(project)
    text = (project.output / "person/anna-alm/index.html").read_text(encoding="utf-8")
    assert "Attendance by network and year" in text and 'data-pagefind-filter="typ:Person"' in text
    assert "100%" in text
