"""The build, in named stages: load, plan, render, write, remember.

A `Builder` keeps the state of the last build (what each page was rendered from), so a rebuild
re-parses only changed meetings and re-renders only the pages that show them or use a changed
template. Errors stop the build before anything is written. What a change makes dirty is decided
by `plan`, the parsing by `read`, the parallel work by `parallel`, the persistent state by `state`.
The new site is made beside the live one and swapped in at once (`output`); a one-shot build
writes the search index into it first (`build(index=True)`), so pages and index change together.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING

from ..attachment import without_text
from ..diagnostics import Diagnostics, SourcePos
from ..load import ContentFiles
from ..model import Reuse, Site
from ..output import INDEX_DIR, StagedOutput, WriteStats, recover_site
from ..pages import Page
from ..record.dates import publication_cutoff
from ..speed.switch import Speedups
from ..urls import output_path
from .inputs import CACHE, GUIDE, Project, TemplateFiles, unchanged
from .plan import Inputs, Plan, plan
from .stage import Stager
from .state import BuildState, StateStore, code_version

# The stages that parse, render and index (and Jinja, markdown-it, Pagefind) are imported where
# they are first used: a build that finds nothing changed never loads them, and starts faster.
if TYPE_CHECKING:
    import jinja2

    from ..search import SearchStats
    from ..validate import Globals
    from .parallel import Rendered
    from .read import ArchiveReader, Loaded
    from .state import KeptPieces

Progress = Callable[[str, int, int], None]  # (stage, done, total)

__all__ = ["CACHE", "GUIDE", "BuildResult", "Builder", "LastBuild", "Project", "build", "check"]


@dataclass
class BuildResult:
    diagnostics: Diagnostics
    site: Site | None = None
    pages: int = 0
    stats: WriteStats | None = None
    search: SearchStats | None = None
    rendered: list[str] = field(default_factory=list)  # URLs rendered this time
    parsed: int = 0  # meeting files parsed this time (the rest came from the build state or cache)
    read_attachments: int = 0  # attachment files whose text was read this time (the rest: cache)
    without_text: list[Path] = field(default_factory=list)  # attachments without text: scanned PDFs
    static_only: bool = False  # only files under templates/static/ changed
    timings: dict[str, float] = field(default_factory=dict)
    parallel: set[str] = field(default_factory=set)  # stages that ran in worker processes
    changed_urls: list[str] | None = None  # pages whose bytes changed; None: other files too
    kept: int = 0  # listing rows and export lines found in the cache (made by earlier builds)

    @property
    def ok(self) -> bool:
        return not self.diagnostics.has_errors()


@dataclass(frozen=True)
class LastBuild:
    """What the last good build was made of; the preview server's shortcuts (`quick`) start here."""

    site: Site
    pages: list[Page]
    files: ContentFiles
    globals_: Globals
    env: jinja2.Environment
    reuse: Reuse  # the exports' kept pieces


@dataclass(frozen=True)
class Options:
    """How a Builder builds (fixed for its life)."""

    include_drafts: bool
    search: bool
    fingerprint: bool
    base_url: str | None  # e.g. Netlify's URL, over site.yml's base_url
    jobs: int
    autosave: bool  # False: the owner calls save_state() (the preview server, at exit)
    keep_pieces: bool  # False: this process's only build; nothing is kept for the next
    speedups: Speedups


class Builder:
    """Builds a project again and again, doing only the work a change requires.

    The state lives in memory (the preview server keeps one Builder) and, when the project has a
    cache folder, on disk. With `jobs` > 1 large batches are parsed and rendered in forked worker
    processes; the output is byte for byte the same as with one job, and with speed-ups off.
    """

    def __init__(
        self,
        project: Project,
        *,
        include_drafts: bool = False,
        search: bool = True,
        fingerprint: bool = True,
        base_url: str | None = None,
        today: date | None = None,
        jobs: int = 1,
        progress: Progress | None = None,
        autosave: bool = True,
        keep_pieces: bool = True,
        speedups: Speedups | None = None,
    ) -> None:
        self.project = project.absolute()
        speed = speedups or Speedups()
        base_url = base_url.rstrip("/") if base_url else None
        self.options = Options(
            include_drafts, search, fingerprint, base_url, max(1, jobs), autosave, keep_pieces, speed
        )
        self.today = today  # for reviews of dates; None: the real today
        self.progress = progress
        self._warnings: list[tuple[Path, str]] = []  # about the cache, reported with the next build
        self._version = code_version() if self.project.cache else ""  # names the cache's entries
        self._archive: ArchiveReader | None = None  # made when the archive is first read
        self.stager = Stager(self.project.templates, speed, self.options.jobs, keep_pieces)
        self._settings = ""  # the archive-wide settings the kept pieces were made with
        self.last: LastBuild | None = None  # what the last good build was made of
        self.search_stale = False  # pages were written outside a build (see `wrote_pages`)
        self._site_version = 0  # counts the commits that changed pages (read by `refresh_search`)
        self._recovered = False  # what killed builds left was cleaned up (by the first build)
        key = (self._version, include_drafts, fingerprint, base_url, speed.enabled)
        self._store = StateStore(self.project.cache, self.project.output, key)
        saved = self._store.load(self._warn)
        self._state: BuildState | None = saved if saved is not None and self.project.output.is_dir() else None

    @property
    def include_drafts(self) -> bool:
        return self.options.include_drafts

    def _warn(self, path: Path, message: str) -> None:
        self._warnings.append((path, message))

    def _report(self, stage: str, done: int, total: int) -> None:
        if self.progress is not None:
            self.progress(stage, done, total)

    @property
    def archive(self) -> ArchiveReader:
        """What reads the archive, keeping the meetings and review findings of this process."""
        if self._archive is None:
            from .read import ArchiveReader, MeetingReader

            opts, project = self.options, self.project
            enabled = opts.speedups.enabled
            meetings = MeetingReader(project.cache, f"{self._version}|{enabled}", self._warn)
            self._archive = ArchiveReader(
                project.content, project.guide, meetings, opts.speedups, opts.include_drafts, opts.base_url
            )
        return self._archive

    def _load(self, result: BuildResult) -> Loaded:
        """The load stage: the archive read, with what it says in `result`."""
        known = self._state.signatures if self._state else {}
        today = self.today or date.today()
        loaded = self.archive.load(result.diagnostics, known, today, self.options.jobs, self._report)
        if loaded.settings != self._settings:  # every meeting is new: keep none of the old pieces
            self.stager.forget_pieces()
            self._settings = loaded.settings
        result.parsed, result.site, result.pages = loaded.read.parsed, loaded.site, len(loaded.pages)
        result.read_attachments = loaded.read.read_attachments
        result.without_text = without_text(loaded.site.meetings)
        if loaded.read.parallel:
            result.parallel.add("parse")
        for path, message in self._warnings:
            result.diagnostics.warning(path, SourcePos(1, 1), message)
        self._warnings.clear()
        return loaded

    def _published_from(self, loaded: Loaded) -> int | None:
        return publication_cutoff(loaded.site.config.publish_years, self.today or date.today())

    def check(self) -> BuildResult:
        """Load and validate everything; write nothing."""
        result = BuildResult(Diagnostics())
        start = time.perf_counter()
        with self.options.speedups.loading():
            self._load(result)
        result.timings["validate"] = time.perf_counter() - start
        return result

    def _take(self, rendered: Rendered, loaded: Loaded, result: BuildResult) -> None:
        """The render's outcome in the result: the URLs, the workers used, a template error."""
        result.rendered = rendered.urls
        if rendered.parallel:
            result.parallel.add("render")
        if rendered.error is not None:
            url, filename, line, message = rendered.error
            template = next(p.template for p in loaded.pages if p.url == url)
            path = Path(filename) if filename else self.project.templates / template
            result.diagnostics.error(path, SourcePos(line or 1, 1), message)

    def _recover(self) -> None:
        """Remove what killed builds left beside the site and in the cache (the first build of
        this Builder also removes what carries this process's id: a dead process's id comes back)."""
        mine = not self._recovered  # later, the search refresh of this process may be using its folders
        self._recovered = True
        recover_site(self.project.output, mine)
        self._store.remove_temporary(mine)

    @property
    def indexed(self) -> bool:
        """Whether the site's search index was made from the pages now in it (as far as known)."""
        return self._state is not None and self._state.indexed and not self.search_stale

    def build(self, *, index: bool = False) -> BuildResult:
        """Build into the output folder; on any error the existing site stays as it was.

        `index`: write the search index into the new site before it is swapped in (a one-shot
        build), so the site never shows an index older than its pages; without it the live index
        is kept and `refresh_search` makes a new one (the preview server, which shows pages first).
        """
        self._recover()
        if (done := self._nothing_changed()) is not None:
            return done
        result = BuildResult(Diagnostics())
        start = time.perf_counter()
        with self.options.speedups.loading():
            loaded = self._load(result)
        result.timings["load"] = time.perf_counter() - start
        if not result.ok:
            return result
        start = time.perf_counter()
        seen = TemplateFiles.read(self.project.templates, self.options.fingerprint)
        out = StagedOutput(self.project.output)
        live = frozenset(out.live_files())
        inputs = Inputs(
            loaded.read.keys,
            loaded.settings,
            seen.templates,
            seen.static,
            live,
            self.options.fingerprint,
            self.today or date.today(),
            self._published_from(loaded),
        )
        from ..render import template_closure

        the_plan = plan(self._state, inputs, loaded.pages, lambda: template_closure(self.project.templates))
        env = self.stager.environment(loaded.site, seen)
        kept = self.archive.meetings.kept("pieces", loaded.settings, self.stager.environment_key)
        total = len(the_plan.render)
        indexed = self.indexed and (self.project.output / INDEX_DIR).is_dir()
        try:
            rendered = self.stager.stage(
                loaded, the_plan, env, out, lambda n: self._report("render", n, total), kept
            )
            for url, _, data in seen.assets.values():
                out.put(output_path(url), data)
            self._take(rendered, loaded, result)
            result.timings["render"] = time.perf_counter() - start
            if not result.ok:
                out.abort()
                return result
            start = time.perf_counter()
            changes = out.changes()
            reindex = index and self.options.search and (changes or not indexed)
            result.stats = out.commit(
                index=(lambda folder: self._index_into(folder, loaded.site, result)) if reindex else None,
                before_swap=self._store.forget,  # the site is about to change
            )
            if changes:
                self._site_version += 1
            result.timings["write"] = time.perf_counter() - start - result.timings.get("search", 0.0)
        except BaseException:
            out.abort()
            raise
        if reindex:
            indexed, self.search_stale = True, False
        elif changes:
            indexed = False
        staged = set(rendered.staged)
        result.changed_urls = [loaded.pages[i].url for i in the_plan.render if loaded.pages[i].path in staged]
        if result.stats.removed or result.stats.written != len(result.changed_urls):
            result.changed_urls = None  # attachments, assets or removed files changed too
        result.static_only = bool(the_plan.static_changed and not the_plan.render and not the_plan.changed)
        self._remember(loaded, inputs, the_plan, out.produced, result, env, indexed)
        start = time.perf_counter()
        if kept is not None:
            result.kept = kept.found
            self._keep(kept, loaded, result)
        out.abort()  # the old site, swapped out
        result.timings["write"] += time.perf_counter() - start
        return result

    def _keep(self, kept: KeptPieces, loaded: Loaded, result: BuildResult) -> None:
        """The pieces this build made kept on disk (see `state.KeptPieces`)."""
        try:
            kept.merge(set(loaded.read.keys.values()))
        except OSError as exc:
            where = kept.folder or Path()
            result.diagnostics.warning(where, SourcePos(1, 1), f"cannot write the cache: {exc}")

    def _index_into(self, folder: Path, site: Site, result: BuildResult) -> None:
        """The search index of the complete new site in `folder`, before it is swapped in."""
        from ..search import write_index  # starts Pagefind

        result.search = write_index(folder, site, self.options.speedups.pagefind)
        result.timings["search"] = result.search.seconds

    def _remember(
        self,
        loaded: Loaded,
        inputs: Inputs,
        the_plan: Plan,
        produced: set[str],
        result: BuildResult,
        env: jinja2.Environment,
        indexed: bool,
    ) -> None:
        """Record what this build made, for the next one."""
        state = self._state or BuildState()
        self._store.outdated()  # even when the site did not change: the inputs' signatures did
        state.indexed = indexed
        state.record(loaded.pages, the_plan.render, produced)
        state.keys, state.signatures, state.globals_digest = (
            loaded.read.keys,
            loaded.read.signatures,
            loaded.settings,
        )
        state.seals = loaded.seals
        state.templates, state.static = dict(inputs.templates), dict(inputs.static)
        state.today = self.today or date.today()
        state.published_from = self._published_from(loaded)
        cache = self.project.cache
        state.diagnostics = [
            d for d in result.diagnostics.items if cache is None or not d.path.is_relative_to(cache)
        ]
        self._state = state
        self.last = LastBuild(
            loaded.site, loaded.pages, loaded.files, loaded.globals_, env, self.stager.pieces
        )
        if self.options.autosave:
            self.save_state(result)

    def _nothing_changed(self) -> BuildResult | None:
        """A new process whose saved state matches every input and the site: nothing to do."""
        state, opts = self._state, self.options
        if state is None or (self._archive is not None and self._archive.meetings.memo):
            return None
        start = time.perf_counter()
        files = unchanged(state, self.project, opts.fingerprint, opts.search, self.today or date.today())
        if files is None:
            return None
        result = BuildResult(Diagnostics(), pages=state.pages, stats=WriteStats(unchanged=files))
        result.diagnostics.extend(state.diagnostics)
        result.timings["load"] = time.perf_counter() - start
        return result

    def wrote_pages(self) -> None:
        """Pages were rewritten outside a build (`quick`): the saved state and the search index are stale."""
        self._store.forget()
        self.search_stale = True

    def save_state(self, result: BuildResult | None = None) -> None:
        """Write the build state to the cache, so the next process renders only what changes."""
        if self._state is None:
            return
        try:
            self._store.save(self._state)
        except OSError as exc:
            if result is not None and self._store.file is not None:
                message = f"cannot write the cache: {exc}"
                result.diagnostics.warning(self._store.file, SourcePos(1, 1), message)

    def tidy(self) -> None:
        """Let go of the kept pieces of meetings the last build no longer has (edited or gone)."""
        if self.last is not None:
            self.options.speedups.tidy(
                [self.archive.review, self.stager.pieces], self.last.env, self.last.site.meetings
            )

    def refresh_search(self, result: BuildResult) -> SearchStats | None:
        """Rebuild the search index of the live site when it is not known to match its pages (the
        pages changed, were written outside a build, or the index is missing). May run on a thread
        of its own while the next build runs: the index is recorded as current only when no
        build changed the pages meanwhile."""
        if not self.options.search or result.site is None or result.stats is None:
            return None
        if result.search is not None or (self.indexed and (self.project.output / INDEX_DIR).is_dir()):
            return None
        version, self.search_stale = self._site_version, False
        from ..search import index_site  # starts Pagefind

        stats = index_site(self.project.output, result.site, self.options.speedups.pagefind)
        state = self._state
        if state is not None and version == self._site_version and not self.search_stale:
            state.indexed = True
            self._store.outdated()
        return stats


def check(
    project: Project,
    *,
    include_drafts: bool = True,
    jobs: int = 1,
    speedups: Speedups | None = None,
    today: date | None = None,
) -> BuildResult:
    """Load and validate everything; write nothing. `today`: the day dates are reviewed against."""
    speed = speedups or Speedups()
    return Builder(project, include_drafts=include_drafts, jobs=jobs, speedups=speed, today=today).check()


def build(
    project: Project,
    *,
    include_drafts: bool = False,
    search: bool = True,
    base_url: str | None = None,
    jobs: int = 1,
    progress: Progress | None = None,
    speedups: Speedups | None = None,
    today: date | None = None,
) -> BuildResult:
    """One complete build, its search index (when anything changed) written into the new site
    before it is swapped in. `today`: the day the build is as of (the anslagstavla, publication,
    reviews of dates); None: the real today."""
    builder = Builder(
        project,
        include_drafts=include_drafts,
        search=search,
        base_url=base_url,
        jobs=jobs,
        progress=progress,
        keep_pieces=False,
        speedups=speedups or Speedups(),
        today=today,
    )
    return builder.build(index=True)
