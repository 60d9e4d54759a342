"""Explicit page dependencies: a change re-parses and re-renders only what shows it."""

from __future__ import annotations

import shutil
from datetime import date
from pathlib import Path

from protokollarkiv.build.builder import Builder, BuildResult, Project
from protokollarkiv.pages import site_pages
from protokollarkiv.speed.memo import IdentityMemo

from .conftest import MEETING_PATH, ROOT, MiniProject, meeting_text

OTHER = "networks/skolchefer/2024/2024-10-24.md"
OREBRO = "networks/chefsgrupp/2023/2023-05-01.md"
EVERY_MEETING = {
    "/",
    "/natverk/",
    "/kommun/",
    "/ar/",
    "/beslut/",
    "/sok/",
    "/sitemap.xml",
    "/feed.xml",
    "/data/meetings.json",
    "/data/decisions.csv",
    "/data/attendance.csv",
    "/data/votes.csv",
    "/_redirects",
    "/person/",  # every person with their count of meetings
}


def project_with_templates(mini: MiniProject, tmp_path: Path) -> Project:
    project = mini({OTHER: meeting_text(date="2024-10-24"), OREBRO: meeting_text(date="2023-05-01")})
    shutil.copytree(ROOT / "templates", tmp_path / "templates")
    return Project(project.content, tmp_path / "templates", project.output)


def rebuilt(builder: Builder) -> BuildResult:
    result = builder.build()
    assert result.ok, result.diagnostics.format()
    return result


def test_a_second_build_parses_and_renders_nothing(mini: MiniProject, tmp_path: Path) -> None:
    builder = Builder(project_with_templates(mini, tmp_path), search=False)
    first = rebuilt(builder)
    assert first.parsed == 3 and len(first.rendered) == first.pages
    again = rebuilt(builder)
    assert (again.parsed, again.rendered) == (0, [])
    assert again.stats is not None and again.stats.written == 0


def test_one_meeting_edit_rerenders_only_the_pages_that_show_it(mini: MiniProject, tmp_path: Path) -> None:
    project = project_with_templates(mini, tmp_path)
    builder = Builder(project, search=False)
    rebuilt(builder)
    (project.content / MEETING_PATH).write_text(
        meeting_text(body="## § 1 Öppnande\n\nÄndrad text.\n"), encoding="utf-8"
    )
    result = rebuilt(builder)
    assert result.parsed == 1
    assert set(result.rendered) == EVERY_MEETING | {
        "/natverk/skolchefer/2024-09-20/",
        "/natverk/skolchefer/2024-10-24/",  # its neighbour links to it
        "/natverk/skolchefer/",
        "/kommun/falkoping/",
        "/kommun/skovde/",
        "/kommun/essunga/",
        "/ar/2024/",
        "/natverk/skolchefer/2024-09-20/mote.json",
        "/natverk/skolchefer/feed.xml",
        "/natverk/skolchefer/kalender.ics",
        "/kommun/falkoping/feed.xml",
        "/kommun/skovde/feed.xml",
        "/kommun/essunga/feed.xml",
        "/person/anna-alm/",  # the chair and the adjuster of the edited meeting
        "/person/bo-ek/",
    }
    # Only the edited page's bytes, and the open data that carries its text's seal (digest).
    assert result.stats is not None and result.stats.written == 3


def test_the_editor_configuration_follows_each_networks_latest_meeting(
    mini: MiniProject, tmp_path: Path
) -> None:
    """/admin/config.yml starts a new meeting from its network's latest one: an edit of an older
    meeting leaves it alone, an edit of the latest or a newer meeting renders it again."""
    project = project_with_templates(mini, tmp_path)
    builder = Builder(project, search=False)
    rebuilt(builder)
    (project.content / MEETING_PATH).write_text(meeting_text(body="## § 1 Ny\n"), encoding="utf-8")
    assert "/admin/config.yml" not in rebuilt(builder).rendered
    (project.content / OTHER).write_text(
        meeting_text("place: Stadshuset\n", date="2024-10-24"), encoding="utf-8"
    )
    assert "/admin/config.yml" in rebuilt(builder).rendered
    config = (project.output / "admin/config.yml").read_text(encoding="utf-8")
    assert "Stadshuset" in config
    newer = "networks/skolchefer/2024/2024-11-30.md"
    (project.content / newer).write_text(
        meeting_text("place: Kulturhuset\n", date="2024-11-30"), encoding="utf-8"
    )
    assert "/admin/config.yml" in rebuilt(builder).rendered
    assert "Kulturhuset" in (project.output / "admin/config.yml").read_text(encoding="utf-8")
    (project.content / newer).unlink()
    assert "/admin/config.yml" in rebuilt(builder).rendered
    assert "Stadshuset" in (project.output / "admin/config.yml").read_text(encoding="utf-8")


def test_moving_a_meeting_rerenders_the_pages_that_listed_it(mini: MiniProject, tmp_path: Path) -> None:
    project = project_with_templates(mini, tmp_path)
    builder = Builder(project, search=False)
    rebuilt(builder)
    (project.content / OREBRO).write_text(meeting_text(date="2022-05-01"), encoding="utf-8")
    result = rebuilt(builder)
    assert {"/ar/2022/", "/natverk/chefsgrupp/", "/kommun/orebro/"} <= set(result.rendered)
    assert not (project.output / "ar/2023").exists()
    assert (project.output / "natverk/chefsgrupp/2022-05-01/index.html").is_file()
    assert not (project.output / "natverk/chefsgrupp/2023-05-01").exists()

    (project.content / OREBRO).unlink()
    result = rebuilt(builder)
    assert "/natverk/chefsgrupp/" in result.rendered
    assert not (project.output / "natverk/chefsgrupp/2022-05-01").exists()


def test_template_changes_rerender_the_pages_that_use_them(mini: MiniProject, tmp_path: Path) -> None:
    project = project_with_templates(mini, tmp_path)
    builder = Builder(project, search=False)
    first = rebuilt(builder)

    meeting = project.templates / "meeting.html"
    meeting.write_text(meeting.read_text(encoding="utf-8") + "{# edited #}\n", encoding="utf-8")
    result = rebuilt(builder)
    assert sorted(result.rendered) == [
        "/natverk/chefsgrupp/2023-05-01/",
        "/natverk/skolchefer/2024-09-20/",
        "/natverk/skolchefer/2024-10-24/",
    ]

    macros = project.templates / "_macros.html"
    macros.write_text(macros.read_text(encoding="utf-8") + "{# edited #}\n", encoding="utf-8")
    result = rebuilt(builder)
    assert "/kommun/skovde/" in result.rendered and "/404.html" not in result.rendered

    base = project.templates / "base.html"
    base.write_text(base.read_text(encoding="utf-8") + "{# edited #}\n", encoding="utf-8")
    result = rebuilt(builder)
    assert first.site is not None
    html = {page.url for page in site_pages(first.site) if page.template.endswith(".html")}
    # not sitemap.xml, robots.txt, feeds or data; nor /admin/, whose page is the editor's own
    assert set(result.rendered) == html - {"/admin/"}


def test_site_files_rebuild_everything(mini: MiniProject, tmp_path: Path) -> None:
    project = project_with_templates(mini, tmp_path)
    builder = Builder(project, search=False)
    first = rebuilt(builder)
    site = project.content / "site.yml"
    site.write_text(site.read_text(encoding="utf-8").replace("Testarkiv", "Arkivet"), encoding="utf-8")
    result = rebuilt(builder)
    assert result.parsed == 3 and len(result.rendered) == first.pages


def test_stylesheet_changes(mini: MiniProject, tmp_path: Path) -> None:
    project = project_with_templates(mini, tmp_path)
    css = project.templates / "static/style.css"

    preview = Builder(project, search=False, fingerprint=False)
    rebuilt(preview)
    css.write_text(css.read_text(encoding="utf-8") + "\n/* preview */\n", encoding="utf-8")
    result = rebuilt(preview)
    assert result.static_only and result.rendered == []
    assert (project.output / "static/style.css").read_text(encoding="utf-8").endswith("/* preview */\n")

    production = Builder(project, search=False)  # fingerprinted URLs: every page links the new name
    first = rebuilt(production)
    css.write_text(css.read_text(encoding="utf-8") + "\n/* again */\n", encoding="utf-8")
    assert len(rebuilt(production).rendered) == first.pages


def test_listings_show_the_edit_and_equal_a_fresh_build(mini: MiniProject, tmp_path: Path) -> None:
    """Listings reuse the rows of unchanged meetings (FragmentMemo, per-meeting export rows); the
    edited meeting's rows are new, and every byte equals a build from scratch."""
    project = project_with_templates(mini, tmp_path)
    builder = Builder(project, search=False)

    def write(decision: str, place: str) -> None:
        (project.content / MEETING_PATH).write_text(
            meeting_text(
                front=f"place: {place}\nmunicipalities: {{skovde: true}}\n",
                body=f"## § 1 Budget\n\n::: beslut\n{decision}\n:::\n",
            ),
            encoding="utf-8",
        )

    write("Nätverket godkänner budgeten.", "Stadshuset")
    rebuilt(builder)
    write("Nätverket avslår budgeten.", "Kulturhuset")
    rebuilt(builder)
    fresh = Project(project.content, project.templates, tmp_path / "fresh")
    rebuilt(Builder(fresh, search=False))
    for page in ("beslut/index.html", "data/decisions.csv", "data/meetings.json", "kommun/skovde/index.html"):
        edited = (project.output / page).read_text(encoding="utf-8")
        assert edited == (fresh.output / page).read_text(encoding="utf-8"), page
    assert "avslår" in (project.output / "beslut/index.html").read_text(encoding="utf-8")
    assert "godkänner" not in (project.output / "data/decisions.csv").read_text(encoding="utf-8")
    assert "Kulturhuset" in (project.output / "data/meetings.json").read_text(encoding="utf-8")


def test_builds_with_other_options_into_one_folder_never_reuse_each_others_pages(
    mini: MiniProject, tmp_path: Path
) -> None:
    """The saved state describes the last build into the folder: with drafts, without, with again."""
    base = project_with_templates(mini, tmp_path)
    (base.content / "networks/skolchefer/2024/2024-11-15.md").write_text(
        meeting_text(date="2024-11-15", status="utkast"), encoding="utf-8"
    )
    project = Project(base.content, base.templates, base.output, cache=tmp_path / ".cache")
    rebuilt(Builder(project, search=False, include_drafts=True))
    without = rebuilt(Builder(project, search=False))
    assert without.stats is not None and without.stats.removed >= 1  # the draft's page is gone
    rebuilt(Builder(project, search=False, include_drafts=True))
    fresh = Project(base.content, base.templates, tmp_path / "fresh")
    rebuilt(Builder(fresh, search=False, include_drafts=True))
    built_files = sorted(p.relative_to(project.output) for p in project.output.rglob("*") if p.is_file())
    assert built_files == sorted(p.relative_to(fresh.output) for p in fresh.output.rglob("*") if p.is_file())
    for relative in built_files:
        assert (project.output / relative).read_bytes() == (fresh.output / relative).read_bytes(), relative


def test_review_findings_are_kept_until_the_meeting_or_the_day_changes(
    mini: MiniProject, tmp_path: Path
) -> None:
    """The builder replays a meeting's review findings instead of reviewing it again after every
    save; a new day or an edited meeting is reviewed afresh."""
    project = project_with_templates(mini, tmp_path)
    unsigned = meeting_text(front="adjusters: [Bo Ek]\n", date="2024-10-24")
    (project.content / OTHER).write_text(unsigned, encoding="utf-8")
    builder = Builder(project, search=False, today=date(2024, 12, 1))

    def findings(result: BuildResult) -> list[str]:
        return [d.message for d in result.diagnostics.items]

    first = rebuilt(builder)
    assert any("name no chair" in message for message in findings(first))
    assert findings(rebuilt(builder)) == findings(first)  # replayed, not lost

    builder.today = date(2024, 10, 1)  # the adjusted minutes now lie in the future: an error
    assert any("dated in the future" in message for message in findings(builder.build()))

    builder.today = date(2024, 12, 1)
    (project.content / OTHER).write_text(meeting_text(date="2024-10-24"), encoding="utf-8")
    assert not any("name no chair" in message for message in findings(rebuilt(builder)))


def test_a_one_shot_build_keeps_no_export_pieces_and_writes_the_same_bytes(
    mini: MiniProject, tmp_path: Path
) -> None:
    """`build()` is its process's only build: the exports' per-meeting pieces are made, kept on
    disk for the next process and let go in memory. A Builder that builds again keeps them in
    memory too; the files are the same."""
    base = project_with_templates(mini, tmp_path)
    once = Project(base.content, base.templates, tmp_path / "once")
    one_shot = Builder(once, search=False, keep_pieces=False)
    rebuilt(one_shot)
    assert one_shot.last is not None and isinstance(one_shot.last.reuse, IdentityMemo)
    assert len(one_shot.last.reuse) == 0
    again = Project(base.content, base.templates, tmp_path / "again")
    keeping = Builder(again, search=False)
    rebuilt(keeping)
    assert keeping.last is not None and isinstance(keeping.last.reuse, IdentityMemo)
    assert len(keeping.last.reuse) == 3 * 5  # three meetings: a record, three CSV rows and an event each
    files = sorted(p.relative_to(once.output) for p in once.output.rglob("*") if p.is_file())
    assert files == sorted(p.relative_to(again.output) for p in again.output.rglob("*") if p.is_file())
    for relative in files:
        assert (once.output / relative).read_bytes() == (again.output / relative).read_bytes(), relative


def test_the_plan_is_a_pure_function_of_the_previous_state_and_the_inputs() -> None:
    """`plan` renders every page without a previous build or after a settings change, and else
    the pages that show a changed meeting (now or before), use a changed template, or are missing."""
    from protokollarkiv.build.plan import Inputs, plan
    from protokollarkiv.build.state import BuildState
    from protokollarkiv.pages import Page

    pages = [
        Page("/", "home.html", sources=frozenset({"a.md", "b.md"})),
        Page("/a/", "meeting.html", sources=frozenset({"a.md"})),
        Page("/b/", "meeting.html", sources=frozenset({"b.md"})),
        Page("/data/x.csv", "", sources=frozenset({"a.md", "b.md"}), export="decisions.csv"),
        Page("/om/", "about.html"),
    ]
    live = frozenset(page.path for page in pages)
    keys, templates = {"a.md": "1", "b.md": "2"}, {"home.html": "h", "meeting.html": "m", "base.html": "b"}
    before = BuildState(keys=dict(keys), globals_digest="g", templates=dict(templates))
    before.page_sources = {page.url: page.sources for page in pages}
    uses = {"home.html": frozenset({"home.html", "base.html"}), "meeting.html": frozenset({"meeting.html"})}
    asked: list[bool] = []

    def closure() -> dict[str, frozenset[str]]:
        asked.append(True)
        return uses

    def render(**changes: object) -> list[str]:
        inputs = Inputs(
            **{
                "keys": keys,
                "globals_digest": "g",
                "templates": templates,
                "static": {},
                "live": live,
                "fingerprint": True,
                **changes,
            }
        )  # type: ignore[arg-type]
        return [pages[i].url for i in plan(before, inputs, pages, closure).render]

    assert render() == [] and not asked  # nothing changed: no template dependencies needed
    assert len(plan(None, Inputs(keys, "g", templates, {}, live, True), pages, closure).render) == 5
    assert len(render(globals_digest="other")) == 5
    assert render(keys={"a.md": "changed", "b.md": "2"}) == ["/", "/a/", "/data/x.csv"]
    assert render(keys={"a.md": "1"}) == ["/", "/b/", "/data/x.csv"]  # b.md deleted: who showed it
    assert render(templates={**templates, "base.html": "new"}) == ["/"] and asked
    assert render(live=live - {"om/index.html"}) == ["/om/"]
