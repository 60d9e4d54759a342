"""The build, in named stages: load, plan, render, write, remember.

A `Builder` keeps the state of the last build (what each page was rendered from), so a rebuild
re-parses only changed meetings and re-renders only the pages that show them or use a changed
template. Errors stop the build before anything is written. What a change makes dirty is decided
by `plan`, the parsing by `read`, the parallel work by `parallel`, the persistent state by `state`.
"""

from __future__ import annotations

import os
import time
from dataclasses import dataclass, field, replace
from datetime import date
from pathlib import Path

import jinja2

from ..assets import Asset, static_assets
from ..diagnostics import Diagnostics, SourcePos
from ..load import ContentFiles, attachment_listing, discover
from ..markdown import render_document
from ..model import Reuse, Site
from ..output import INDEX_DIR, StagedOutput, WriteStats
from ..pages import Page, check_unique_urls, site_pages
from ..parse import load_globals
from ..render import template_closure
from ..review import review_site
from ..search import SearchStats, index_site
from ..speed.switch import Speedups
from ..urls import attachment_url, output_path
from ..validate import Globals, assemble_site
from .parallel import ParseJob, Rendered, RenderJob, plan_batches, render_alongside
from .plan import Inputs, Plan, plan
from .read import MeetingReader, Progress, digest
from .state import BuildState, StateStore, code_version, file_signature

GUIDE = "docs/skriva-protokoll.md"
CACHE = ".cache"
PARALLEL_RENDER_MIN = 200  # below this much work, rendering stays in this process
LISTED_PER_PAGE = 100  # with empty row memos, a listing costs about one page per this many meetings


@dataclass(frozen=True)
class Project:
    """Where the archive, the templates and the built site live."""

    content: Path
    templates: Path
    output: Path
    guide: Path | None = None  # the writing guide, shown on /om/
    cache: Path | None = None  # the persistent build cache; None: keep state in memory only

    @classmethod
    def at(cls, root: Path) -> Project:
        return cls(root / "content", root / "templates", root / "site", root / GUIDE, root / CACHE)

    def absolute(self) -> Project:
        """The same folders as absolute paths (symbolic links kept).

        The build state and the cache name files by path: `--root .` and `--root /abs/path` must
        name them alike, or the second build would find nothing it knows and start over.
        """

        def full(path: Path) -> Path:
            return Path(os.path.abspath(path))

        return Project(
            full(self.content),
            full(self.templates),
            full(self.output),
            self.guide and full(self.guide),
            self.cache and full(self.cache),
        )


@dataclass
class BuildResult:
    diagnostics: Diagnostics
    site: Site | None = None
    pages: int = 0
    stats: WriteStats | None = None
    search: SearchStats | None = None
    rendered: list[str] = field(default_factory=list)  # URLs rendered this time
    parsed: int = 0  # meeting files parsed this time (the rest came from the build state or cache)
    static_only: bool = False  # only files under templates/static/ changed
    timings: dict[str, float] = field(default_factory=dict)
    parallel: set[str] = field(default_factory=set)  # stages that ran in worker processes
    changed_urls: list[str] | None = None  # pages whose bytes changed; None: other files too

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
class Loaded:
    """What the load stage found: the site, its pages and the digests the state records."""

    site: Site
    pages: list[Page]
    files: ContentFiles
    globals_: Globals
    keys: dict[str, str]  # meeting file -> content key
    globals_digest: str


@dataclass(frozen=True)
class Options:
    """How a Builder builds (fixed for its life)."""

    include_drafts: bool = False
    search: bool = True
    fingerprint: bool = True
    base_url: str | None = None  # e.g. Netlify's URL, over site.yml's base_url
    jobs: int = 1
    autosave: bool = True  # False: the owner calls save_state() (the preview server, at exit)
    keep_pieces: bool = True  # False: this process's only build; nothing is kept for the next
    speedups: Speedups = field(default_factory=Speedups)


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
        today: date | None = None,
        progress: Progress | None = None,
        **options: object,
    ) -> None:
        self.project = project.absolute()
        self.options = Options(**options)  # type: ignore[arg-type]
        self.options = replace(self.options, jobs=max(1, self.options.jobs))
        if self.options.base_url:
            self.options = replace(self.options, base_url=self.options.base_url.rstrip("/"))
        self.today = today  # for reviews of dates; None: the real today
        self.progress = progress
        self.parallel_render_min = PARALLEL_RENDER_MIN
        self._warnings: list[tuple[Path, str]] = []
        version = code_version() if self.project.cache else ""
        speed = self.options.speedups
        self.reader = MeetingReader(self.project.cache, f"{version}|{speed.enabled}", self._warn_cache)
        self._review = speed.memo()  # each meeting's review findings, for the reader's settings
        self._pieces = speed.memo() if self.options.keep_pieces else Speedups(False).memo()
        self._env: tuple[object, jinja2.Environment] | None = None  # reused while templates stay
        self.last: LastBuild | None = None  # what the last good build was made of
        self.search_stale = False  # pages were written outside a build (see `wrote_pages`)
        opts = self.options
        key = (version, opts.include_drafts, opts.fingerprint, opts.base_url, speed.enabled)
        self._store = StateStore(self.project.cache, self.project.output, key)
        saved = self._store.load(self._warn_cache)
        self._state: BuildState | None = saved if saved is not None and self.project.output.is_dir() else None

    def _warn_cache(self, path: Path, message: str) -> None:
        self._warnings.append((path, message))

    def _report(self, stage: str, done: int, total: int) -> None:
        if self.progress is not None:
            self.progress(stage, done, total)

    @property
    def include_drafts(self) -> bool:
        return self.options.include_drafts

    # --- load ---------------------------------------------------------------------------------

    def _globals_digest(self, files: ContentFiles) -> str:
        """One digest of the archive-wide files (and the guide): a change to them re-validates all."""
        paths = [files.site, files.municipalities, *(path for _, path in files.networks)]
        if self.project.guide is not None:
            paths.append(self.project.guide)
        return digest(
            b"".join(str(p).encode() + b"\0" + (p.read_bytes() if p.is_file() else b"") for p in paths)
        )

    def _load(self, result: BuildResult) -> Loaded:
        """Find, parse and validate everything; review it; list the pages."""
        diagnostics, speed = result.diagnostics, self.options.speedups
        files = discover(self.project.content, diagnostics)
        globals_digest = self._globals_digest(files)
        globals_ = load_globals(files, diagnostics, speed.engines)
        today = self.today or date.today()
        if globals_digest != self.reader.memo_globals:
            self._review = speed.memo()
        known = self._state.signatures if self._state else {}
        read = self.reader.read(
            files,
            known,
            ParseJob(globals_, speed.engines),
            globals_digest,
            diagnostics,
            (self.options.jobs, speed.forking(), self._report),
        )
        result.parsed = read.parsed
        if read.parallel:
            result.parallel.add("parse")
        for path, message in self._warnings:
            diagnostics.warning(path, SourcePos(1, 1), message)
        self._warnings.clear()
        site = assemble_site(globals_, read.meetings, include_drafts=self.options.include_drafts)
        base_url = self.options.base_url
        if base_url and base_url != site.config.base_url:
            site = replace(site, config=replace(site.config, base_url=base_url))
        review_site(site, diagnostics, today, self._review)
        guide = self.project.guide
        guide_html = render_document(guide.read_text(encoding="utf-8")) if guide and guide.is_file() else ""
        pages = site_pages(site, guide_html)
        check_unique_urls(pages, site, diagnostics)
        result.site, result.pages = site, len(pages)
        self._signatures = read.signatures
        return Loaded(site, pages, files, globals_, read.keys, globals_digest)

    def check(self) -> BuildResult:
        """Load and validate everything; write nothing."""
        result = BuildResult(Diagnostics())
        start = time.perf_counter()
        with self.options.speedups.loading():
            self._load(result)
        result.timings["validate"] = time.perf_counter() - start
        return result

    # --- render and write ---------------------------------------------------------------------

    def _templates_and_assets(self) -> tuple[dict[str, str], dict[str, Asset], dict[str, str]]:
        """Digests of the templates, the static assets (URL, source, bytes) and their digests."""
        templates = {p.name: digest(p.read_bytes()) for p in self.project.templates.glob("*") if p.is_file()}
        assets = static_assets(self.project.templates, self.options.fingerprint)
        static = {name: digest(data) for name, (_, _, data) in assets.items()}
        return templates, assets, static

    def _environment(self, site: Site, inputs: Inputs, assets: dict[str, Asset]) -> jinja2.Environment:
        """The Jinja environment, kept while the templates, asset URLs and language stay."""
        urls = {name: url for name, (url, _, _) in assets.items()}
        language = site.config.language
        key = (tuple(sorted(inputs.templates.items())), tuple(sorted(urls.items())), language)
        if self._env is None or self._env[0] != key:
            self._env = (key, self.options.speedups.environment(self.project.templates, language, urls))
        return self._env[1]

    def _render(self, job: RenderJob, indices: tuple[int, ...], result: BuildResult, cold: bool) -> Rendered:
        """Render the pages at `indices`, in worker processes when there are many (or, with `cold`
        fragments, when they list many meetings: the municipality pages of a one-meeting edit)."""
        jobs, pages = self.options.jobs, job.pages
        work = len(indices) + (sum(len(pages[i].sources) for i in indices) // LISTED_PER_PAGE if cold else 0)
        parallel = jobs > 1 and work >= self.parallel_render_min
        batches = plan_batches(pages, list(indices), jobs, LISTED_PER_PAGE if parallel else None)
        if parallel:
            result.parallel.add("render")
            # This process renders too: `jobs` processes render, `jobs` - 1 of them forked.
            parts = render_alongside(job, batches, jobs - 1, self.options.speedups.forking())
        else:
            parts = (job.render(batch) for batch in batches)
        done = Rendered()
        try:
            for part in parts:
                done.staged += part.staged
                done.unchanged += part.unchanged
                done.urls += part.urls
                self._report("render", len(done.urls), len(indices))
                if part.error:
                    done.error = part.error
                    break  # leaving the workers stops them
        finally:
            close = getattr(parts, "close", None)
            if close is not None:
                close()
        return done

    def _stage(
        self, loaded: Loaded, the_plan: Plan, env: jinja2.Environment, out: StagedOutput, result: BuildResult
    ) -> Rendered:
        """Render what the plan says into the staging folder."""
        fragments = getattr(env, "fragments", None)
        cold = fragments is not None and not len(fragments)  # a new process or new templates
        job = RenderJob(loaded.site, loaded.pages, env, self._pieces, out.site_dir, out.staging)
        rendered = self._render(job, the_plan.render, result, cold)
        for relative in rendered.staged:
            out.record(relative, staged=True)
        for relative in rendered.unchanged:
            out.record(relative, staged=False)
        chosen = set(the_plan.render)
        for index, page in enumerate(loaded.pages):
            if index not in chosen:
                out.keep(page.path)
        result.rendered = rendered.urls
        if rendered.error is not None:
            url, filename, line, message = rendered.error
            template = next(p.template for p in loaded.pages if p.url == url)
            path = Path(filename) if filename else self.project.templates / template
            result.diagnostics.error(path, SourcePos(line or 1, 1), message)
        return rendered

    def build(self) -> BuildResult:
        """Build into the output folder; on any error the existing site stays as it was."""
        if (unchanged := self._nothing_changed()) is not None:
            return unchanged
        result = BuildResult(Diagnostics())
        start = time.perf_counter()
        with self.options.speedups.loading():
            loaded = self._load(result)
        result.timings["load"] = time.perf_counter() - start
        if not result.ok:
            return result
        start = time.perf_counter()
        templates, assets, static = self._templates_and_assets()
        out = StagedOutput(self.project.output)
        live = out.live_files()
        fingerprint = self.options.fingerprint
        inputs = Inputs(loaded.keys, loaded.globals_digest, templates, static, frozenset(live), fingerprint)
        the_plan = plan(self._state, inputs, loaded.pages, lambda: template_closure(self.project.templates))
        env = self._environment(loaded.site, inputs, assets)
        try:
            rendered = self._stage(loaded, the_plan, env, out, result)
            for meeting in loaded.site.meetings:
                for attachment in meeting.attachments:
                    url = attachment_url(meeting, attachment.file)
                    out.put(output_path(url), attachment.source.read_bytes())
            for url, _, data in assets.values():
                out.put(output_path(url), data)
            result.timings["render"] = time.perf_counter() - start
            if not result.ok:
                out.abort()
                return result
            start = time.perf_counter()
            self._store.forget()  # the site is about to change
            result.stats = out.commit()
            result.timings["write"] = time.perf_counter() - start
        except BaseException:
            out.abort()
            raise
        staged = set(rendered.staged)
        result.changed_urls = [loaded.pages[i].url for i in the_plan.render if loaded.pages[i].path in staged]
        if result.stats.removed or result.stats.written != len(result.changed_urls):
            result.changed_urls = None  # attachments, assets or removed files changed too
        result.static_only = bool(the_plan.static_changed and not the_plan.render and not the_plan.changed)
        self._remember(loaded, inputs, the_plan, out, result)
        return result

    def _remember(
        self, loaded: Loaded, inputs: Inputs, the_plan: Plan, out: StagedOutput, result: BuildResult
    ) -> None:
        """Record what this build made, for the next one."""
        state = self._state or BuildState()
        pages = loaded.pages
        for index in the_plan.render:
            state.page_sources[pages[index].url] = pages[index].sources  # shared, not copied, per page
        for url in set(state.page_sources) - {page.url for page in pages}:
            del state.page_sources[url]
        state.keys, state.signatures, state.globals_digest = (
            dict(inputs.keys),
            self._signatures,
            inputs.globals_digest,
        )
        state.templates, state.static = dict(inputs.templates), dict(inputs.static)
        state.produced, state.pages, state.today = (
            frozenset(out.produced),
            len(pages),
            self.today or date.today(),
        )
        cache = self.project.cache
        state.diagnostics = [
            d for d in result.diagnostics.items if cache is None or not d.path.is_relative_to(cache)
        ]
        self._state = state
        env = self._env[1] if self._env else None
        assert env is not None
        self.last = LastBuild(loaded.site, pages, loaded.files, loaded.globals_, env, self._pieces)
        if self.options.autosave:
            self.save_state(result)

    def _nothing_changed(self) -> BuildResult | None:
        """A new process whose saved state matches every input and the site: nothing to do.

        Checked from file metadata alone, without loading a meeting; None when anything differs.
        """
        state = self._state
        if state is None or self.reader.memo or state.today != (self.today or date.today()):
            return None
        start = time.perf_counter()
        found = Diagnostics()
        files = discover(self.project.content, found)
        if found.items or len(files.meetings) != len(state.signatures):
            return None
        if self._globals_digest(files) != state.globals_digest:
            return None
        for path, _ in files.meetings:
            known = state.signatures.get(str(path))
            signature = file_signature(path)
            if known is None or signature is None:
                return None
            if known[:2] != (signature, attachment_listing(path, files.folders)):
                return None
        templates, _, static = self._templates_and_assets()
        if templates != state.templates or static != state.static:
            return None
        if self.options.search and not (self.project.output / INDEX_DIR).is_dir():
            return None
        live = StagedOutput(self.project.output).live_files()
        if live != state.produced:
            return None
        result = BuildResult(Diagnostics(), pages=state.pages, stats=WriteStats(unchanged=len(live)))
        result.diagnostics.extend(state.diagnostics)
        result.timings["load"] = time.perf_counter() - start
        return result

    # --- state and search ---------------------------------------------------------------------

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
            self.options.speedups.tidy([self._review, self._pieces], self.last.env, self.last.site.meetings)

    def refresh_search(self, result: BuildResult) -> SearchStats | None:
        """Rebuild the search index when the written site changed (or has none yet)."""
        if not self.options.search or result.site is None or result.stats is None:
            return None
        stale = result.stats.written or result.stats.removed or self.search_stale
        if stale or not (self.project.output / INDEX_DIR).is_dir():
            self.search_stale = False
            return index_site(self.project.output, result.site, self.options.speedups.pagefind)
        return None


def check(
    project: Project, *, include_drafts: bool = True, jobs: int = 1, speedups: Speedups | None = None
) -> BuildResult:
    """Load and validate everything; write nothing."""
    return Builder(project, include_drafts=include_drafts, jobs=jobs, speedups=speedups or Speedups()).check()


def build(
    project: Project,
    *,
    include_drafts: bool = False,
    search: bool = True,
    base_url: str | None = None,
    jobs: int = 1,
    progress: Progress | None = None,
    speedups: Speedups | None = None,
) -> BuildResult:
    """One complete build, then its search index (when anything changed)."""
    builder = Builder(
        project,
        include_drafts=include_drafts,
        search=search,
        base_url=base_url,
        jobs=jobs,
        progress=progress,
        keep_pieces=False,
        speedups=speedups or Speedups(),
    )
    result = builder.build()
    if result.ok:
        result.search = builder.refresh_search(result)
        if result.search is not None:
            result.timings["search"] = result.search.seconds
    return result
