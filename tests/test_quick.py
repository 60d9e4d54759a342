"""The preview server's shortcut: an edited meeting's own pages are written before the full rebuild."""

from __future__ import annotations

from pathlib import Path

import pytest

from protokollarkiv import search
from protokollarkiv.build.builder import Builder, Project
from protokollarkiv.preview.session import Preview, show_edit

from .conftest import MEETING_PATH, MiniProject, meeting_text
from .test_incremental import OTHER, project_with_templates, rebuilt
from .test_scale import tree

PAGE = "/natverk/skolchefer/2024-09-20/"
OWN = {PAGE, PAGE + "mote.json"}


def test_an_edit_is_shown_at_once_and_the_rebuild_then_equals_a_fresh_build(
    mini: MiniProject, tmp_path: Path
) -> None:
    project = project_with_templates(mini, tmp_path)
    builder = Builder(project, search=False)
    path = project.content / MEETING_PATH
    assert show_edit(builder, {str(path)}) is None  # nothing built yet: nothing to start from
    rebuilt(builder)
    before = tree(project.output)

    path.write_text(
        meeting_text(front="title: Höstmöte om budgeten\n", body="## § 1 Budget\n\nBudgeten diskuteras.\n"),
        encoding="utf-8",
    )
    gone = path.with_name("2024-09-20.md.jb_tmp")  # an editor's temporary file, already renamed
    shown = show_edit(builder, {str(path), str(gone)})
    assert shown is not None and PAGE in shown and set(shown) <= OWN
    now = tree(project.output)
    changed = {name for name in now if now[name] != before.get(name)}
    assert changed == {url.lstrip("/") + ("index.html" if url.endswith("/") else "") for url in shown}
    assert "Budgeten diskuteras" in now["natverk/skolchefer/2024-09-20/index.html"].decode()
    assert "Höstmöte om budgeten" not in now["natverk/skolchefer/index.html"].decode()  # the rebuild's
    assert builder.search_stale  # the search index no longer matches the site

    result = rebuilt(builder)
    assert result.changed_urls is not None and "/natverk/skolchefer/" in result.changed_urls
    assert PAGE not in result.changed_urls  # written already, with the same bytes
    fresh = Project(project.content, project.templates, tmp_path / "fresh")
    rebuilt(Builder(fresh, search=False))
    assert tree(project.output) == tree(fresh.output)


def test_anything_but_an_edit_in_place_is_left_to_the_rebuild(mini: MiniProject, tmp_path: Path) -> None:
    project = project_with_templates(mini, tmp_path)
    builder = Builder(project, search=False)
    rebuilt(builder)
    before = tree(project.output)
    path = project.content / MEETING_PATH
    text = path.read_text(encoding="utf-8")
    other = project.content / OTHER

    def declined(*paths: Path) -> None:
        assert show_edit(builder, {str(p) for p in paths}) is None
        assert tree(project.output) == before

    path.write_text(meeting_text(date="2024-09-21"), encoding="utf-8")
    declined(path)  # the meeting moves to another URL
    path.write_text(text.replace("date: 2024-09-20", "date: [2024"), encoding="utf-8")
    declined(path)  # a mistake: the rebuild reports it
    path.write_text(meeting_text(status="utkast"), encoding="utf-8")
    declined(path)  # a draft, and drafts are not shown
    path.write_text(meeting_text(front="networks: [skolchefer, chefsgrupp]\n"), encoding="utf-8")
    declined(path)  # a joint meeting now: it joins another network's listings
    path.write_text(text + "\nTillägg.\n", encoding="utf-8")
    new = project.content / "networks/skolchefer/2024/2024-12-01.md"
    new.write_text(meeting_text(date="2024-12-01"), encoding="utf-8")
    declined(path, new)  # a new meeting comes with the edit
    new.unlink()
    declined(path, project.templates / "meeting.html")  # a template
    declined(path, project.content / "site.yml")  # the settings
    other.unlink()
    declined(path, other)  # a meeting is gone
    assert show_edit(builder, {str(path)}) == [PAGE, PAGE + "mote.json"]  # the edit alone is shown


def test_after_a_shortcut_the_search_index_is_refreshed_though_the_rebuild_wrote_nothing(
    mini: MiniProject, tmp_path: Path
) -> None:
    project = project_with_templates(mini, tmp_path)
    builder = Builder(project)
    first = rebuilt(builder)
    assert builder.refresh_search(first) is not None
    path = project.content / MEETING_PATH
    path.write_text(meeting_text(body="## § 1 Öppnande\n\nMötet öppnas av Fyrklövern.\n"), encoding="utf-8")
    assert show_edit(builder, {str(path)}) == [PAGE, PAGE + "mote.json"]
    result = rebuilt(builder)
    # Only the archive's open data is left to the rebuild (it carries the meeting's digest).
    assert result.stats is not None and result.stats.written == 1
    assert result.changed_urls == ["/data/meetings.json"]
    searched = builder.refresh_search(result)
    assert searched is not None and searched.pages > 0
    assert not builder.search_stale
    assert builder.refresh_search(rebuilt(builder)) is None  # nothing changed since


def test_a_rebuild_names_the_pages_that_changed_or_none_when_other_files_did(
    mini: MiniProject, tmp_path: Path
) -> None:
    project = project_with_templates(mini, tmp_path)
    builder = Builder(project, search=False)
    rebuilt(builder)
    path = project.content / MEETING_PATH
    path.write_text(meeting_text(body="## § 1 Öppnande\n\nÄndrad text.\n"), encoding="utf-8")
    assert rebuilt(builder).changed_urls == [PAGE, "/data/meetings.json", PAGE + "mote.json"]
    assert rebuilt(builder).changed_urls == []
    (project.content / OTHER).unlink()
    assert rebuilt(builder).changed_urls is None  # its files were removed: every open page reloads


def test_a_failed_search_refresh_is_tried_again_after_the_next_rebuild(
    mini: MiniProject, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Pagefind failing (in the preview server's background) leaves the index stale: the next
    rebuild re-indexes even when it writes nothing."""
    project = project_with_templates(mini, tmp_path)
    preview = Preview(project, include_drafts=True, root=tmp_path)
    first = preview.rebuild()
    assert first is not None and first.ok
    wait_for_search(preview)
    assert not preview.builder.search_stale

    def fail(site_dir: Path, site: object, service: object) -> None:
        raise RuntimeError("pagefind crashed")

    monkeypatch.setattr(search, "index_site", fail)
    path = project.content / MEETING_PATH
    path.write_text(meeting_text(body="## § 1 Öppnande\n\nMötet öppnas av Fyrklövern.\n"), encoding="utf-8")
    preview.rebuild({str(path)})
    wait_for_search(preview)
    assert preview.builder.search_stale
    monkeypatch.undo()
    again = preview.rebuild()
    assert again is not None and again.stats is not None and again.stats.written == 0
    wait_for_search(preview)
    assert not preview.builder.search_stale


def wait_for_search(preview: Preview) -> None:
    preview.wait_idle(timeout=60)
