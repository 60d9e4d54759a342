"""Runs the stages and keeps the build state: what each page depends on, what a change makes dirty.

Load, validate, pages, render, output; errors stop the build before anything is written.
A `Builder` remembers the digest of every source, the parsed meetings and the sources each page
was rendered from, so a rebuild re-parses only changed meetings and re-renders only the pages
that show them (or use a changed template).

The stages that parse and render (validate, markdown, render, workers, Jinja) are imported where
they are first used: a build that finds nothing changed never loads them, and starts faster.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import pickle
import shutil
import sys
import time
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field, replace
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING

from .cache import (
    BuildState,
    ParseCache,
    Parsed,
    Signature,
    code_version,
    drop_state,
    file_signature,
    load_state,
    save_state,
)
from .diagnostics import Diagnostics, SourcePos
from .load import ContentFiles, attachment_listing, discover
from .model import Meeting, Site
from .output import INDEX_DIR, StagedOutput, WriteStats
from .pages import Asset, Page, attachment_url, check_unique_urls, output_path, site_pages, static_assets
from .review import ReviewMemo, review_site

if TYPE_CHECKING:
    import jinja2

    from .search import SearchStats
    from .validate import Globals
    from .workers import Rendered

GUIDE = "docs/skriva-protokoll.md"
CACHE = ".cache"
# Below these counts the work stays in this process: starting workers would cost more than it saves.
PARALLEL_PARSE_MIN = 48
PARALLEL_RENDER_MIN = 200
LISTED_PER_PAGE = 100  # with empty row memos, a listing costs about one page per this many meetings

Progress = Callable[[str, int, int], None]  # (stage, done, total)


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


def _digest(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


# State files written before BuildState moved to `cache` name the class here: they unpickle, then
# fail the version check quietly instead of reading as damaged.
_State = BuildState


class Builder:
    """Builds a project again and again, doing only the work a change requires.

    The state lives in memory (the preview server keeps one Builder) and, when the project has a
    cache folder, on disk: a new process then re-parses only changed meetings and re-renders only
    the pages they show. With `jobs` > 1 large batches are parsed and rendered in forked worker
    processes; the output is byte for byte the same as with one job.
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
    ) -> None:
        self.today = today  # for reviews of dates; None: the real today
        project = project.absolute()
        self.project = project
        self.base_url = base_url.rstrip("/") if base_url else None  # e.g. Netlify's URL
        self.include_drafts = include_drafts
        self.search = search
        self.fingerprint = fingerprint
        self.jobs = max(1, jobs)
        self.progress = progress
        self.parallel_min = {"parse": PARALLEL_PARSE_MIN, "render": PARALLEL_RENDER_MIN}
        self.autosave = autosave  # False: the owner calls save_state() (the preview server, at exit)
        self.keep_pieces = keep_pieces  # False: this process's only build (see feeds.keep_pieces)
        self._memo: dict[Path, Parsed] = {}  # meetings parsed in this process, by file
        self._memo_globals = ""  # the archive-wide settings the memo was validated against
        self._review = ReviewMemo()  # each meeting's review findings, valid for _memo_globals and today
        self._review_today: date | None = None
        self._state = BuildState()
        self._pending: tuple[dict[str, str], dict[str, Signature], str, ContentFiles, Globals] | None = None
        self._built = False
        self._env: tuple[object, jinja2.Environment] | None = None  # reused while templates stay
        self.last: LastBuild | None = None  # what the last good build was made of
        self.search_stale = False  # pages were written outside a build (see `wrote_pages`)
        self._cache_warnings: list[tuple[Path, str]] = []
        self._version = code_version() if project.cache else ""
        self._state_file: Path | None = None
        self._state_on_disk = False
        # One state per output folder, describing the last build that wrote into it; a build with
        # other options (drafts, fingerprints, base URL) into the same folder renders every page.
        self._options = (self._version, include_drafts, fingerprint, self.base_url)
        if project.cache is not None:
            folder = str(project.output.resolve()).encode()
            self._state_file = project.cache / f"state-{_digest(folder)[:16]}.pickle"
            saved = load_state(self._state_file, self._warn_cache)
            self._state_on_disk = saved is not None
            current = isinstance(saved, tuple) and len(saved) == 2 and saved[0] == self._options
            if current and isinstance(saved[1], BuildState) and project.output.is_dir():
                self._state, self._built = saved[1], True

    def _warn_cache(self, path: Path, message: str) -> None:
        self._cache_warnings.append((path, message))

    def _report(self, stage: str, done: int, total: int) -> None:
        if self.progress is not None:
            self.progress(stage, done, total)

    # --- load and validate ----------------------------------------------------------------

    def _parse_cache(self, globals_digest: str) -> ParseCache | None:
        if self.project.cache is None:
            return None
        namespace = _digest(f"{self._version}|{globals_digest}".encode())[:16]
        for old in self.project.cache.glob("meetings-*"):  # other versions or settings: never read
            if old.name != f"meetings-{namespace}" and old.is_dir():
                shutil.rmtree(old, ignore_errors=True)
        return ParseCache(self.project.cache / f"meetings-{namespace}", self._warn_cache)

    def _parse_all(
        self, todo: list[tuple[Path, str, bytes, str]], globals_: Globals, result: BuildResult
    ) -> Iterator[tuple[Parsed, bytes | None]]:
        """Each meeting of `todo` parsed, in order, with its pickled bytes when a worker sent them."""
        from .workers import fork_pool, parse_in_worker, parse_one

        if self.jobs > 1 and len(todo) >= self.parallel_min["parse"]:
            result.parallel.add("parse")
            with fork_pool(self.jobs, {"globals": globals_}) as pool:
                for done, blob in enumerate(pool.imap(parse_in_worker, todo, chunksize=8), 1):
                    yield pickle.loads(blob), blob
                    self._report("parse", done, len(todo))
            return
        for done, task in enumerate(todo, 1):
            yield parse_one(*task, globals_), None
            self._report("parse", done, len(todo))

    def _globals_digest(self, files: ContentFiles) -> str:
        """One digest of the archive-wide files (and the guide): a change to them re-validates all."""
        global_paths = [files.site, files.municipalities, *(path for _, path in files.networks)]
        if self.project.guide is not None:
            global_paths.append(self.project.guide)
        return _digest(
            b"".join(str(p).encode() + b"\0" + (p.read_bytes() if p.is_file() else b"") for p in global_paths)
        )

    def _check(self, result: BuildResult) -> tuple[Site, list[Page], set[Path], bool]:
        from .markdown import render_document
        from .validate import assemble_site, validate_globals

        diagnostics = result.diagnostics
        files = discover(self.project.content, diagnostics)
        globals_digest = self._globals_digest(files)
        globals_changed = globals_digest != self._state.globals_digest
        globals_: Globals = validate_globals(files, diagnostics)
        today = self.today or date.today()
        if globals_digest != self._memo_globals:
            self._memo.clear()
            self._review.clear()
            self._memo_globals = globals_digest
        if today != self._review_today:
            self._review.clear()
            self._review_today = today
        cache = self._parse_cache(globals_digest)
        keys: dict[str, str] = {}
        signatures: dict[str, Signature] = {}
        found: dict[Path, Parsed] = {}
        todo: list[tuple[Path, str, bytes, str]] = []
        for path, network_dir in files.meetings:
            name = sys.intern(str(path))
            listing = attachment_listing(path, files.folders)
            signature = file_signature(path)
            known = self._state.signatures.get(name)
            raw: bytes | None = None
            if signature is not None and known is not None and known[:2] == (signature, listing):
                key = known[2]  # the file system says the file is as last built: not read again
            else:
                try:
                    raw = path.read_bytes()
                except OSError as exc:
                    diagnostics.error(path, SourcePos(1, 1), f"cannot read file: {exc.strerror}")
                    continue
                key = _digest(name.encode() + b"\0" + raw + b"\0" + listing)
            keys[name] = key
            if signature is not None:
                signatures[name] = (signature, listing, key)
            memo = self._memo.get(path)
            hit = memo if memo is not None and memo.key == key else cache.get(key) if cache else None
            if hit is not None:
                found[path] = hit
            else:
                todo.append((path, network_dir, raw if raw is not None else path.read_bytes(), key))
        for (path, _, _, _), (parsed, blob) in zip(
            todo, self._parse_all(todo, globals_, result), strict=True
        ):
            found[path] = parsed
            if cache is not None:
                cache.put(parsed, blob)
        result.parsed = len(todo)
        changed = {Path(name) for name, key in keys.items() if self._state.keys.get(name) != key}
        changed |= {Path(name) for name in set(self._state.keys) - set(keys)}

        meetings: list[Meeting] = []
        for path, _ in files.meetings:
            if (entry := found.get(path)) is not None:
                diagnostics.extend(entry.diagnostics)
                if entry.meeting is not None:
                    meetings.append(entry.meeting)
        self._memo = found
        for path, message in self._cache_warnings:
            diagnostics.warning(path, SourcePos(1, 1), message)
        self._cache_warnings.clear()
        if cache is not None:
            try:
                cache.save(set(keys.values()))
            except OSError as exc:
                diagnostics.warning(cache.folder, SourcePos(1, 1), f"cannot write the cache: {exc}")
        self._pending = (keys, signatures, globals_digest, files, globals_)

        site = assemble_site(globals_, meetings, include_drafts=self.include_drafts)
        if self.base_url and self.base_url != site.config.base_url:
            site = replace(site, config=replace(site.config, base_url=self.base_url))
        review_site(site, diagnostics, today, self._review)
        guide = self.project.guide
        guide_html = render_document(guide.read_text(encoding="utf-8")) if guide and guide.is_file() else ""
        pages = site_pages(site, guide_html)
        check_unique_urls(pages, site, diagnostics)
        result.site, result.pages = site, len(pages)
        return site, pages, changed, globals_changed

    def check(self) -> BuildResult:
        """Load and validate everything; write nothing."""
        from .workers import gc_paused

        result = BuildResult(Diagnostics())
        start = time.perf_counter()
        with gc_paused():
            self._check(result)
        result.timings["validate"] = time.perf_counter() - start
        return result

    # --- render and write -----------------------------------------------------------------

    def _dirty(
        self, pages: Iterable[Page], changed: set[Path], everything: bool, templates: set[str]
    ) -> list[Page]:
        if everything:
            return list(pages)
        from .render import template_closure

        closure = template_closure(self.project.templates) if templates else {}
        changed_names = {str(path) for path in changed}
        dirty = []
        for page in pages:
            before = self._state.page_sources.get(page.url)
            if (
                before is None
                or not changed_names.isdisjoint(page.sources)
                or not changed_names.isdisjoint(before)
                or closure.get(page.template, frozenset({page.template})) & templates
            ):
                dirty.append(page)
        return dirty

    def _render(
        self, pages: list[Page], indices: list[int], out: StagedOutput, result: BuildResult, cold: bool
    ) -> Rendered:
        """Render the pages at `indices`, in worker processes when there are many (or, with `cold`
        row memos, when they list many meetings: the municipality pages of a one-meeting edit)."""
        from .workers import WORK, Rendered, fork_pool, plan_batches, render_alongside, render_pages

        done = Rendered()
        WORK.update(pages=pages, site_dir=out.site_dir, staging=out.staging)
        work = len(indices) + (sum(len(pages[i].sources) for i in indices) // LISTED_PER_PAGE if cold else 0)
        parallel = self.jobs > 1 and work >= self.parallel_min["render"]
        if parallel:
            result.parallel.add("render")
        batches = plan_batches(pages, indices, self.jobs, LISTED_PER_PAGE if parallel else None)
        # This process renders too: `jobs` processes render, `jobs` - 1 of them forked.
        with fork_pool(self.jobs - 1, dict(WORK)) if parallel else contextlib.nullcontext() as pool:
            parts = (
                render_alongside(pool, self.jobs - 1, batches)
                if pool is not None
                else (render_pages(batch) for batch in batches)
            )
            with contextlib.closing(parts):
                for part in parts:
                    done.staged += part.staged
                    done.unchanged += part.unchanged
                    done.urls += part.urls
                    self._report("render", len(done.urls), len(indices))
                    if part.error:
                        done.error = part.error
                        break  # leaving the pool terminates the workers
        return done

    def _templates_and_assets(self) -> tuple[dict[str, str], dict[str, Asset], dict[str, str]]:
        """Digests of the templates, the static assets (URL, source, bytes) and their digests."""
        templates = {p.name: _digest(p.read_bytes()) for p in self.project.templates.glob("*") if p.is_file()}
        assets = static_assets(self.project.templates, self.fingerprint)
        static = {name: _digest(data) for name, (_, _, data) in assets.items()}
        return templates, assets, static

    def _nothing_changed(self) -> BuildResult | None:
        """A new process whose saved state matches every input and the site: the build has nothing to do.

        Checked from file metadata alone, without loading a meeting; None when anything differs.
        """
        state = self._state
        if not self._built or self._memo or state.today != (self.today or date.today()):
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
        if self.search and not (self.project.output / INDEX_DIR).is_dir():
            return None
        live = StagedOutput(self.project.output).live_files()
        if live != state.produced:
            return None
        result = BuildResult(Diagnostics(), pages=state.pages, stats=WriteStats(unchanged=len(live)))
        result.diagnostics.extend(state.diagnostics)
        result.timings["load"] = time.perf_counter() - start
        return result

    def build(self) -> BuildResult:
        """Build into the output folder; on any error the existing site stays as it was."""
        if (unchanged := self._nothing_changed()) is not None:
            return unchanged
        from .feeds import keep_pieces
        from .render import FragmentMemo, make_environment
        from .workers import WORK, gc_paused

        result = BuildResult(Diagnostics())
        start = time.perf_counter()
        with gc_paused():
            checked = self._check(result)
        result.timings["load"] = time.perf_counter() - start
        if not result.ok or self._pending is None:
            return result
        site, pages, changed, globals_changed = checked
        keys, signatures, globals_digest, files, globals_ = self._pending

        start = time.perf_counter()
        templates, assets, static = self._templates_and_assets()
        changed_templates = {n for n, d in templates.items() if self._state.templates.get(n) != d}
        changed_templates |= set(self._state.templates) - set(templates)
        static_changed = static != self._state.static
        # Fingerprinted asset URLs appear on every page, so a changed asset dirties them all.
        everything = not self._built or globals_changed or (static_changed and self.fingerprint)
        out = StagedOutput(self.project.output)
        live = out.live_files()
        dirty = {page.url for page in self._dirty(pages, changed, everything, changed_templates)}
        # A page that is missing from the site (deleted by hand) is rendered again.
        indices = [i for i, page in enumerate(pages) if page.url in dirty or page.path not in live]

        urls = {name: url for name, (url, _, _) in assets.items()}
        env_key = (tuple(sorted(templates.items())), tuple(sorted(urls.items())), site.config.language)
        if self._env is None or self._env[0] != env_key:
            self._env = (env_key, make_environment(self.project.templates, site.config.language, urls))
        memo = self._env[1].globals.get("memo")  # pieces of replaced meetings are never hit: see tidy()
        cold = isinstance(memo, FragmentMemo) and not memo.store  # a new process or new templates
        WORK.clear()
        WORK.update(site=site, env=self._env[1])
        keep_pieces(self.keep_pieces)
        try:
            rendered = self._render(pages, indices, out, result, cold)
            for relative in rendered.staged:
                out.record(relative, staged=True)
            for relative in rendered.unchanged:
                out.record(relative, staged=False)
            chosen = set(indices)
            for index, page in enumerate(pages):
                if index not in chosen:
                    out.keep(page.path)
            result.rendered = rendered.urls
            if rendered.error is not None:
                url, filename, line, message = rendered.error
                template = next(p.template for p in pages if p.url == url)
                path = Path(filename) if filename else self.project.templates / template
                result.diagnostics.error(path, SourcePos(line or 1, 1), message)
            for meeting in site.meetings:
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
            self._forget_saved_state()  # the site is about to change
            result.stats = out.commit()
            result.timings["write"] = time.perf_counter() - start
            staged = set(rendered.staged)
            result.changed_urls = [pages[i].url for i in indices if pages[i].path in staged]
            if result.stats.removed or result.stats.written != len(result.changed_urls):
                result.changed_urls = None  # attachments, assets or removed files changed too
        except BaseException:
            out.abort()
            raise
        finally:
            WORK.clear()

        state = self._state
        for index in indices:
            state.page_sources[pages[index].url] = pages[index].sources  # shared, not copied, per page
        current = {page.url for page in pages}
        for url in set(state.page_sources) - current:
            del state.page_sources[url]
        state.keys, state.signatures, state.globals_digest = keys, signatures, globals_digest
        state.templates, state.static = templates, static
        state.produced, state.pages, state.today = (
            frozenset(out.produced),
            len(pages),
            self.today or date.today(),
        )
        cache = self.project.cache
        state.diagnostics = [
            d for d in result.diagnostics.items if cache is None or not d.path.is_relative_to(cache)
        ]
        self._built = True
        self.last = LastBuild(site, pages, files, globals_, self._env[1])
        result.static_only = bool(static_changed and not dirty and not changed)
        if self.autosave:
            self.save_state(result)
        return result

    def _forget_saved_state(self) -> None:
        if self._state_file is not None and self._state_on_disk:
            drop_state(self._state_file)
            self._state_on_disk = False

    def wrote_pages(self) -> None:
        """Pages were rewritten outside a build (`quick`): the saved state and the search index are stale."""
        self._forget_saved_state()
        self.search_stale = True

    def save_state(self, result: BuildResult | None = None) -> None:
        """Write the build state to the cache, so the next process renders only what changes."""
        if self._state_file is None or not self._built or self._state_on_disk:
            return
        try:
            save_state(self._state_file, (self._options, self._state))
            self._state_on_disk = True
        except OSError as exc:
            if result is not None:
                message = f"cannot write the cache: {exc}"
                result.diagnostics.warning(self._state_file, SourcePos(1, 1), message)

    def refresh_search(self, result: BuildResult) -> SearchStats | None:
        """Rebuild the search index when the written site changed (or has none yet)."""
        if not self.search or result.site is None or result.stats is None:
            return None
        stale = result.stats.written or result.stats.removed or self.search_stale
        if stale or not (self.project.output / INDEX_DIR).is_dir():
            self.search_stale = False
            from .search import index_site  # starts Pagefind; imported only when an index is made

            return index_site(self.project.output, result.site)
        return None


def check(project: Project, *, include_drafts: bool = True, jobs: int = 1) -> BuildResult:
    """Load and validate everything; write nothing."""
    return Builder(project, include_drafts=include_drafts, jobs=jobs).check()


def build(
    project: Project,
    *,
    include_drafts: bool = False,
    search: bool = True,
    base_url: str | None = None,
    jobs: int = 1,
    progress: Progress | None = None,
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
    )
    result = builder.build()
    if result.ok:
        result.search = builder.refresh_search(result)
        if result.search is not None:
            result.timings["search"] = result.search.seconds
    return result
