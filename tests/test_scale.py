"""Archive scale: parallel builds equal serial ones, the persistent cache re-parses only what changed."""

from __future__ import annotations

import importlib.util
import os
import shutil
import threading
from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import Page

from protokollarkiv.build import builder as builder_module
from protokollarkiv.build import stage as stage_module
from protokollarkiv.build.builder import Builder, BuildResult, Project, build
from protokollarkiv.build.parallel import plan_batches
from protokollarkiv.pages import Page as SitePage
from protokollarkiv.preview import quick
from protokollarkiv.speed import markdown as compiled
from protokollarkiv.speed.memo import IdentityMemo
from protokollarkiv.speed.switch import Speedups

from .conftest import ROOT, run_cli, serve_folder

pytestmark = pytest.mark.slow  # builds a generated archive of 80 meetings many times

MEETINGS = 80  # enough for every stage to run in workers once the thresholds are lowered


def _generate(folder: Path, meetings: int) -> None:
    spec = importlib.util.spec_from_file_location("bench_generate", ROOT / "bench" / "generate.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    module.generate(folder, meetings, 7)


@pytest.fixture(scope="module")
def archive(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A synthetic archive (bench/generate.py), generated once; tests copy it before changing it."""
    folder = tmp_path_factory.mktemp("archive") / "content"
    _generate(folder, MEETINGS)
    return folder


@pytest.fixture
def project(archive: Path, tmp_path: Path) -> Project:
    shutil.copytree(archive, tmp_path / "content")
    return Project(tmp_path / "content", ROOT / "templates", tmp_path / "site", cache=tmp_path / ".cache")


def tree(folder: Path) -> dict[str, bytes]:
    """Every file of a built site (the search index excluded) and its bytes."""
    return {
        p.relative_to(folder).as_posix(): p.read_bytes()
        for p in sorted(folder.rglob("*"))
        if p.is_file() and not p.relative_to(folder).as_posix().startswith("pagefind/")
    }


def stamps(folder: Path) -> dict[str, tuple[int, int]]:
    return {
        p.relative_to(folder).as_posix(): (p.stat().st_mtime_ns, p.stat().st_ino) for p in folder.rglob("*")
    }


def built(builder: Builder) -> BuildResult:
    result = builder.build()
    assert result.ok, result.diagnostics.format()
    assert result.stats is not None
    return result


def meeting_files(project: Project) -> list[Path]:
    return sorted(project.content.rglob("20*.md"))


def edit(path: Path, sentence: str = "Ett tillägg i protokollet.") -> None:
    path.write_text(path.read_text(encoding="utf-8") + f"\n{sentence}\n", encoding="utf-8")


def test_parallel_and_serial_builds_are_byte_identical(
    project: Project, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(stage_module, "LISTED_PER_PAGE", 5)  # listings render first, one a batch
    serial = Builder(replace(project, cache=None, output=tmp_path / "serial"), search=False, jobs=1)
    parallel = Builder(replace(project, cache=None, output=tmp_path / "parallel"), search=False, jobs=2)
    parallel.archive.meetings.parallel_min = parallel.stager.parallel_min = 2
    one, two = built(serial), built(parallel)
    assert one.parallel == set() and two.parallel == {"parse", "render"}
    assert one.parsed == two.parsed == MEETINGS
    assert sorted(one.rendered) == sorted(two.rendered) and len(one.rendered) == one.pages > 2 * MEETINGS
    serial_tree, parallel_tree = tree(tmp_path / "serial"), tree(tmp_path / "parallel")
    assert len(serial_tree) > 2 * MEETINGS
    assert serial_tree == parallel_tree
    assert one.diagnostics.items == two.diagnostics.items


def test_listings_are_rendered_first_longest_first_each_alone() -> None:
    """So that no long page is left for the end of a parallel render, where it would keep one
    process busy while the others wait; every page is in exactly one batch."""
    sizes = [1, 300, 3, 120, 3, 3, 5000, 3, 1, 1] + [3] * 90
    pages = [SitePage(f"/{i}/", "x.html", sources=frozenset(map(str, range(n)))) for i, n in enumerate(sizes)]
    indices = list(range(len(pages)))
    batches = plan_batches(pages, indices, 2, 100)
    assert batches[:3] == [[6], [1], [3]]
    assert [i for batch in batches[3:] for i in batch] == [i for i in indices if i not in (1, 3, 6)]
    assert max(len(batch) for batch in batches[3:]) == 12  # 100 pages: at least 4 batches a process
    assert plan_batches(pages, indices, 2, None)[0] == list(range(12))  # serial: in order, 4 a process


def test_a_template_error_while_rendering_alongside_a_worker_is_reported(
    project: Project, tmp_path: Path
) -> None:
    """The build process renders next to its workers; an error in either stops the render, the
    pool is left without hanging, and nothing is written."""
    templates = tmp_path / "templates"
    shutil.copytree(ROOT / "templates", templates)
    page = templates / "meeting.html"
    broken = page.read_text(encoding="utf-8").replace("{{ meeting.title }}", "{{ meeting.title.no.such }}", 1)
    page.write_text(broken, encoding="utf-8")
    builder = Builder(replace(project, templates=templates, cache=None), search=False, jobs=2)
    builder.archive.meetings.parallel_min = builder.stager.parallel_min = 2
    results: list[BuildResult] = []
    thread = threading.Thread(target=lambda: results.append(builder.build()), daemon=True)
    thread.start()
    thread.join(timeout=120)
    assert not thread.is_alive(), "the build hung after a render error"
    (result,) = results
    assert not result.ok and "render" in result.parallel
    (error,) = result.diagnostics.errors
    assert error.path == templates / "meeting.html" and "template error" in error.message
    assert not project.output.exists()


def test_the_compiled_markdown_engine_builds_the_reference_site(
    project: Project, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """markdown-it-pyrs renders the generated archive; markdown-it-py, the reference, gives the same site."""
    taken: list[bool] = []
    engine = compiled.parse_body_compiled

    def counted(*args: Any) -> compiled.ParsedBody | None:
        parsed = engine(*args)
        taken.append(parsed is not None)
        return parsed

    monkeypatch.setattr(compiled, "parse_body_compiled", counted)
    fast = built(Builder(replace(project, cache=None, output=tmp_path / "fast"), search=False, jobs=1))
    # Bodies with a vote or a reservation go to the reference engine (speed/markdown.py): rare.
    voting = sum(
        "::: votering" in text or "::: reservation" in text
        for text in (path.read_text(encoding="utf-8") for path in meeting_files(project))
    )
    assert len(taken) == MEETINGS and taken.count(False) == voting < MEETINGS // 2
    reference = built(
        Builder(
            replace(project, cache=None, output=tmp_path / "reference"),
            search=False,
            jobs=1,
            speedups=Speedups(enabled=False),
        )
    )
    assert len(taken) == MEETINGS  # the reference build never asked the compiled engine
    assert tree(tmp_path / "fast") == tree(tmp_path / "reference")
    assert fast.diagnostics.items == reference.diagnostics.items


def test_warming_after_a_parallel_build_fills_the_memos_for_the_next_edit(project: Project) -> None:
    """Listings rendered in the worker leave this process's row memos partly empty (it renders the
    other pages itself); quick.warm() fills them, and a rebuild after an edit then takes every unchanged
    row from them, and still equals a fresh build."""
    builder = Builder(project, search=False, jobs=2)
    builder.archive.meetings.parallel_min = builder.stager.parallel_min = 2
    first = built(builder)
    assert first.parallel == {"parse", "render"}
    assert builder.last is not None
    memo = getattr(builder.last.env, "fragments", None)
    assert isinstance(memo, IdentityMemo)
    before = len(memo)
    assert (
        quick.warm(builder.last, stop=lambda: True) == 0
    )  # the preview server stops it when a rebuild waits
    assert quick.warm(builder.last) > 10
    filled = dict(memo._store)
    assert len(filled) > MEETINGS and len(filled) >= before  # rows of every meeting, whole years of them

    edit(meeting_files(project)[5])
    # the edit renders here, with the memo
    builder.archive.meetings.parallel_min = builder.stager.parallel_min = 1000
    result = built(builder)
    assert result.parsed == 1 and result.parallel == set()
    kept = [key for key in filled if memo._store.get(key) is filled[key]]
    assert len(kept) > len(filled) / 2  # most pieces were reused, not made again
    stale = len(memo)
    builder.tidy()  # the preview server does this between builds: the edited meeting's old pieces go
    assert len(kept) <= len(memo) < stale
    reference = Builder(replace(project, cache=None, output=project.output.with_name("fresh")), search=False)
    built(reference)
    assert tree(project.output) == tree(project.output.with_name("fresh"))


def test_an_edit_in_a_new_process_renders_its_listings_in_workers(
    project: Project, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A new process without the rows of the cache (`.cache/pieces-*`) has empty row memos, so the
    few pages an edit touches are slow when they list many meetings: they go to workers. Once the
    memos hold rows, or the cache does, an edit renders here."""
    built(Builder(project, search=False, jobs=1))
    assert project.cache is not None
    for kept in project.cache.glob("pieces-*"):
        shutil.rmtree(kept)
    monkeypatch.setattr(stage_module, "LISTED_PER_PAGE", 1)  # 80 meetings weigh like 8,000
    edit(meeting_files(project)[5])
    fresh = Builder(project, search=False, jobs=2)
    first = built(fresh)
    assert first.parsed == 1 and len(first.rendered) < stage_module.PARALLEL_RENDER_MIN
    assert first.parallel == {"render"} and first.kept == 0
    edit(meeting_files(project)[6])
    second = built(fresh)
    assert second.parsed == 1 and second.parallel == set()  # the memos are warm now
    edit(meeting_files(project)[7])
    third = built(Builder(project, search=False, jobs=2))  # a new process, the rows in the cache
    assert third.parsed == 1 and third.parallel == set() and third.kept > 0


def test_the_cli_builds_with_workers_like_one_process(archive: Path, tmp_path: Path) -> None:
    shutil.copytree(archive, tmp_path / "content")
    outputs = {}
    for jobs in ("1", "2"):
        done = run_cli(
            "build", "--root", str(tmp_path), "--templates", str(ROOT / "templates"), "--no-search",
            "--output", str(tmp_path / f"site-{jobs}"), "--no-cache", "--jobs", jobs,
        )  # fmt: skip
        assert done.returncode == 0, done.stderr
        assert f"{MEETINGS} meetings parsed" in done.stderr
        assert "\r" not in done.stderr  # no progress lines outside a terminal
        outputs[jobs] = tree(tmp_path / f"site-{jobs}")
    assert outputs["1"] == outputs["2"]
    assert not (tmp_path / ".cache").exists()  # --no-cache writes none


def test_relative_and_absolute_paths_share_the_cache(archive: Path, tmp_path: Path) -> None:
    """`--root .` and `--root /the/same/folder` name the same files: the second build has nothing to do."""
    shutil.copytree(archive, tmp_path / "content")
    shutil.copytree(ROOT / "templates", tmp_path / "templates")
    first = run_cli("build", "--root", ".", "--no-search", "--jobs", "1", cwd=tmp_path)
    assert first.returncode == 0, first.stderr
    assert f"{MEETINGS} meetings parsed" in first.stderr
    again = run_cli("build", "--root", str(tmp_path), "--no-search", "--jobs", "1", cwd=ROOT)
    assert again.returncode == 0, again.stderr
    assert "0 written" in again.stderr and "0 meetings parsed, 0 pages rendered" in again.stderr


def test_a_warm_build_reparses_exactly_the_changed_meeting(project: Project) -> None:
    first = built(Builder(project, search=False))
    assert first.parsed == MEETINGS
    changed = meeting_files(project)[5]
    edit(changed)
    warm = Builder(project, search=False)  # a new process: the state comes from .cache/
    result = built(warm)
    assert result.parsed == 1
    assert result.stats is not None and result.stats.written >= 1
    assert len(result.rendered) < first.pages / 2  # only the pages that show the meeting
    reference = Builder(replace(project, cache=None, output=project.output.with_name("fresh")), search=False)
    built(reference)
    assert tree(project.output) == tree(project.output.with_name("fresh"))


def test_a_no_change_build_writes_no_file(project: Project) -> None:
    built(Builder(project, search=False))
    before = stamps(project.output)
    again = built(Builder(project, search=False))
    assert (again.parsed, again.rendered) == (0, [])
    assert again.stats is not None and (again.stats.written, again.stats.removed) == (0, 0)
    assert again.pages > 2 * MEETINGS and again.stats.unchanged == len(tree(project.output))
    assert stamps(project.output) == before

    # Touched but not changed: the files are read again, compared, and still nothing is written.
    for path in meeting_files(project)[:3]:
        os.utime(path, None)
    touched = built(Builder(project, search=False))
    assert touched.parsed == 0 and touched.stats is not None and touched.stats.written == 0
    assert stamps(project.output) == before


def test_an_attachment_change_is_seen_by_a_new_process(project: Project) -> None:
    """A file added to or changed in a meeting's attachment folder re-validates that meeting."""
    built(Builder(project, search=False))
    folder = meeting_files(project)[3].with_suffix("")
    folder.mkdir()
    (folder / "bilaga.txt").write_text("Kallelse", encoding="utf-8")
    added = built(Builder(project, search=False))
    assert added.parsed == 1
    (folder / "bilaga.txt").write_text("Kallelse och dagordning", encoding="utf-8")
    changed = built(Builder(project, search=False))
    assert changed.parsed == 1
    (folder / "bilaga.txt").unlink()
    removed = built(Builder(project, search=False))
    assert removed.parsed == 0 and removed.rendered  # as first built: from the cache, shown again
    again = built(Builder(project, search=False))
    assert (again.parsed, again.rendered) == (0, [])


def test_a_page_deleted_from_the_site_is_built_again(project: Project) -> None:
    built(Builder(project, search=False))
    page = project.output / "kommun" / "index.html"
    expected = page.read_bytes()
    page.unlink()
    result = built(Builder(project, search=False))
    assert result.rendered == ["/kommun/"] and page.read_bytes() == expected


def test_a_cache_from_another_version_or_setting_is_not_used(
    project: Project, monkeypatch: pytest.MonkeyPatch
) -> None:
    built(Builder(project, search=False))
    monkeypatch.setattr(builder_module, "code_version", lambda: "another-version")
    other_version = built(Builder(project, search=False))
    assert other_version.parsed == MEETINGS and len(other_version.rendered) == other_version.pages
    assert len(list((project.cache or Path()).glob("meetings-*"))) == 1  # the old entries are gone

    site_yml = project.content / "site.yml"
    site_yml.write_text(site_yml.read_text(encoding="utf-8").replace("Syntetiskt", "Annat"), encoding="utf-8")
    other_setting = built(Builder(project, search=False))
    assert other_setting.parsed == MEETINGS and len(other_setting.rendered) == other_setting.pages
    assert "Annat arkiv" in (project.output / "index.html").read_text(encoding="utf-8")


def test_a_corrupted_cache_is_ignored_with_a_warning(project: Project, tmp_path: Path) -> None:
    built(Builder(project, search=False))
    cache = project.cache
    assert cache is not None
    shards = sorted(cache.glob("meetings-*/*.pickle"))
    assert shards
    damaged = shards[0]
    data = bytearray(damaged.read_bytes())
    data[-10] ^= 0xFF  # one flipped byte in the pickled meetings
    damaged.write_bytes(bytes(data))
    (state,) = cache.glob("state-*.pickle")
    state.write_bytes(b"not a cache file at all")

    result = built(Builder(project, search=False))
    warnings = [d for d in result.diagnostics.items if "damaged cache" in d.message]
    assert {d.path for d in warnings} == {damaged, state}
    assert 1 <= result.parsed < MEETINGS  # the damaged shard's meetings are parsed again
    assert len(result.rendered) == result.pages  # without a state every page is rendered

    reference = replace(project, cache=None, output=tmp_path / "reference")
    built(Builder(reference, search=False))
    assert tree(project.output) == tree(tmp_path / "reference")  # never a wrong page

    healed = built(Builder(project, search=False))
    assert not [d for d in healed.diagnostics.items if "damaged cache" in d.message]
    assert healed.parsed == 0


def test_search_shows_ten_results_at_a_time_and_fetches_only_their_fragments(
    archive: Path, tmp_path: Path, page: Page
) -> None:
    """A common word on a larger archive: ten results, then ten more on request, each fetched then."""
    shutil.copytree(archive, tmp_path / "content")
    project = Project(tmp_path / "content", ROOT / "templates", tmp_path / "site")
    result = build(project)
    assert result.ok and result.search is not None and result.search.pages == MEETINGS
    fragments: list[str] = []
    page.on("request", lambda request: fragments.append(request.url) if "/fragment/" in request.url else None)
    with serve_folder(project.output) as base:
        page.goto(f"{base}/sok/?q=budget")
        status = page.locator("#search-status", has_text="träffar")
        status.wait_for()
        hits = int(status.inner_text().split()[0])
        assert hits > 20
        assert page.locator(".search-result").count() == 10
        assert "Visar de 10 första." in status.inner_text()
        assert len(fragments) == 10
        more = page.get_by_role("button", name="Visa fler träffar")
        more.click()
        page.locator(".search-result").nth(19).wait_for()
        assert page.locator(".search-result").count() == 20 and len(fragments) == 20
        assert "Visar de 20 första." in status.inner_text()
        assert page.evaluate("document.activeElement.closest('.search-result') !== null")
        focused = page.evaluate(
            "[...document.querySelectorAll('.search-result')].indexOf("
            "document.activeElement.closest('.search-result'))"
        )
        assert focused == 10  # keyboard users continue at the first new result
        while more.is_visible():
            before = page.locator(".search-result").count()
            more.click()
            page.wait_for_function(f"document.querySelectorAll('.search-result').length > {before}")
        assert page.locator(".search-result").count() == hits
        assert "första" not in status.inner_text()
