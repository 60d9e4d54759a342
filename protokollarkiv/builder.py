"""Runs the stages and keeps the build state: what each page depends on, what a change makes dirty.

Load, validate, pages, render, output; errors stop the build before anything is written.
A `Builder` remembers the digest of every source, the parsed meetings and the sources each page
was rendered from, so a rebuild re-parses only changed meetings and re-renders only the pages
that show them (or use a changed template).
"""

from __future__ import annotations

import hashlib
import time
from collections.abc import Iterable
from dataclasses import dataclass, field, replace
from datetime import date
from pathlib import Path

import jinja2
from jinja2 import meta

from .diagnostics import Diagnostic, Diagnostics, SourcePos
from .feeds import RENDERERS
from .load import discover, load_meeting
from .markdown import render_document
from .model import Meeting, Site
from .output import StagedOutput, WriteStats
from .pages import Page, attachment_url, check_unique_urls, output_path, site_pages
from .render import STATIC_DIR, make_environment, render_page
from .review import review_site
from .search import INDEX_DIR, SearchStats, index_site
from .validate import Globals, assemble_site, validate_globals, validate_meeting

GUIDE = "docs/skriva-protokoll.md"


@dataclass(frozen=True)
class Project:
    """Where the archive, the templates and the built site live."""

    content: Path
    templates: Path
    output: Path
    guide: Path | None = None  # the writing guide, shown on /om/

    @classmethod
    def at(cls, root: Path) -> Project:
        return cls(root / "content", root / "templates", root / "site", root / GUIDE)


@dataclass
class BuildResult:
    diagnostics: Diagnostics
    site: Site | None = None
    pages: int = 0
    stats: WriteStats | None = None
    search: SearchStats | None = None
    rendered: list[str] = field(default_factory=list)  # URLs rendered this time
    parsed: int = 0  # meeting files parsed this time (the rest came from the build state)
    static_only: bool = False  # only files under templates/static/ changed
    timings: dict[str, float] = field(default_factory=dict)

    @property
    def ok(self) -> bool:
        return not self.diagnostics.has_errors()


def _digest(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def static_assets(templates: Path, fingerprint: bool = True) -> dict[str, tuple[str, Path, bytes]]:
    """name -> (URL, source, bytes) for every file in templates/static/; URLs carry a content hash."""
    folder = templates / STATIC_DIR
    assets: dict[str, tuple[str, Path, bytes]] = {}
    if not folder.is_dir():
        return assets
    for path in sorted(p for p in folder.rglob("*") if p.is_file()):
        name = path.relative_to(folder).as_posix()
        data = path.read_bytes()
        stem, dot, suffix = name.rpartition(".")
        if fingerprint:
            digest = _digest(data)[:10]
            name_out = f"{stem}.{digest}.{suffix}" if dot else f"{name}.{digest}"
        else:
            name_out = name
        assets[name] = (f"/{STATIC_DIR}/{name_out}", path, data)
    return assets


def template_closure(templates: Path) -> dict[str, frozenset[str]]:
    """template name -> itself and every template it extends, imports or includes."""
    direct: dict[str, set[str]] = {}
    env = jinja2.Environment()
    for path in templates.glob("*"):
        if path.is_file() and path.suffix in (".html", ".xml", ".txt"):
            try:
                ast = env.parse(path.read_text(encoding="utf-8"))
                direct[path.name] = {t for t in meta.find_referenced_templates(ast) if t}
            except jinja2.TemplateSyntaxError:
                direct[path.name] = set()  # reported when the page renders
    closure: dict[str, frozenset[str]] = {}
    for name in direct:
        seen, todo = {name}, [name]
        while todo:
            for used in direct.get(todo.pop(), ()):
                if used not in seen:
                    seen.add(used)
                    todo.append(used)
        closure[name] = frozenset(seen)
    return closure


@dataclass
class _Parsed:
    digest: str
    meeting: Meeting | None
    diagnostics: list[Diagnostic]


class Builder:
    """Builds a project again and again, doing only the work a change requires."""

    def __init__(
        self,
        project: Project,
        *,
        include_drafts: bool = False,
        search: bool = True,
        fingerprint: bool = True,
        base_url: str | None = None,
        today: date | None = None,
    ) -> None:
        self.today = today  # for reviews of dates; None: the real today
        self.project = project
        self.base_url = base_url.rstrip("/") if base_url else None  # e.g. Netlify's URL
        self.include_drafts = include_drafts
        self.search = search
        self.fingerprint = fingerprint
        self._globals_digest = ""
        self._parsed: dict[Path, _Parsed] = {}
        self._templates: dict[str, str] = {}  # template name -> digest
        self._static: dict[str, str] = {}  # asset name -> digest
        self._page_sources: dict[str, frozenset[Path]] = {}  # URL -> sources when last written
        self._built = False
        self._env: tuple[object, jinja2.Environment] | None = None  # reused while templates stay

    # --- load and validate ----------------------------------------------------------------

    def _check(self, result: BuildResult) -> tuple[Site, list[Page], set[Path], bool]:
        diagnostics = result.diagnostics
        files = discover(self.project.content, diagnostics)
        global_paths = [files.site, files.municipalities, *(path for _, path in files.networks)]
        if self.project.guide is not None:
            global_paths.append(self.project.guide)
        global_bytes = b"".join(
            str(p).encode() + b"\0" + (p.read_bytes() if p.is_file() else b"") for p in global_paths
        )
        globals_digest = _digest(global_bytes)
        globals_changed = globals_digest != self._globals_digest
        globals_: Globals = validate_globals(files, diagnostics)
        if globals_changed:
            self._parsed.clear()

        changed: set[Path] = set()
        meetings: list[Meeting] = []
        seen: set[Path] = set()
        for path, network_dir in files.meetings:
            seen.add(path)
            try:
                raw = path.read_bytes()
            except OSError as exc:
                diagnostics.error(path, SourcePos(1, 1), f"cannot read file: {exc.strerror}")
                continue
            digest = _digest(raw + self._attachment_listing(path))
            cached = self._parsed.get(path)
            if cached is None or cached.digest != digest:
                own = Diagnostics()
                source = load_meeting(path, network_dir, own, raw)
                meeting = validate_meeting(source, globals_, own) if source else None
                cached = _Parsed(digest, meeting, own.items)
                self._parsed[path] = cached
                changed.add(path)
                result.parsed += 1
            diagnostics.extend(cached.diagnostics)
            if cached.meeting is not None:
                meetings.append(cached.meeting)
        for gone in set(self._parsed) - seen:
            del self._parsed[gone]
            changed.add(gone)

        site = assemble_site(globals_, meetings, include_drafts=self.include_drafts)
        if self.base_url and self.base_url != site.config.base_url:
            site = replace(site, config=replace(site.config, base_url=self.base_url))
        review_site(site, diagnostics, self.today or date.today())
        guide = self.project.guide
        guide_html = render_document(guide.read_text(encoding="utf-8")) if guide and guide.is_file() else ""
        pages = site_pages(site, guide_html)
        check_unique_urls(pages, site, diagnostics)
        result.site, result.pages = site, len(pages)
        if not diagnostics.has_errors():
            self._globals_digest = globals_digest
        return site, pages, changed, globals_changed

    @staticmethod
    def _attachment_listing(meeting_path: Path) -> bytes:
        """Names and sizes in the meeting's attachment folder: adding a file there re-validates it."""
        folder = meeting_path.with_suffix("")
        if not folder.is_dir():
            return b""
        return "\n".join(
            f"{p.relative_to(folder)}:{p.stat().st_size}" for p in sorted(folder.rglob("*")) if p.is_file()
        ).encode()

    def check(self) -> BuildResult:
        """Load and validate everything; write nothing."""
        result = BuildResult(Diagnostics())
        start = time.perf_counter()
        self._check(result)
        result.timings["validate"] = time.perf_counter() - start
        return result

    # --- render and write -----------------------------------------------------------------

    def _dirty(
        self, pages: Iterable[Page], changed: set[Path], everything: bool, templates: set[str]
    ) -> list[Page]:
        if everything:
            return list(pages)
        closure = template_closure(self.project.templates) if templates else {}
        dirty = []
        for page in pages:
            before = self._page_sources.get(page.url)
            if (
                before is None
                or changed.intersection(page.sources)
                or changed.intersection(before)
                or closure.get(page.template, frozenset({page.template})) & templates
            ):
                dirty.append(page)
        return dirty

    def build(self) -> BuildResult:
        """Build into the output folder; on any error the existing site stays as it was."""
        result = BuildResult(Diagnostics())
        start = time.perf_counter()
        checked = self._check(result)
        result.timings["validate"] = time.perf_counter() - start
        if not result.ok:
            return result
        site, pages, changed, globals_changed = checked

        start = time.perf_counter()
        templates = {p.name: _digest(p.read_bytes()) for p in self.project.templates.glob("*") if p.is_file()}
        changed_templates = {n for n, d in templates.items() if self._templates.get(n) != d}
        changed_templates |= set(self._templates) - set(templates)
        assets = static_assets(self.project.templates, self.fingerprint)
        static = {name: _digest(data) for name, (_, _, data) in assets.items()}
        static_changed = static != self._static
        # Fingerprinted asset URLs appear on every page, so a changed asset dirties them all.
        everything = not self._built or globals_changed or (static_changed and self.fingerprint)
        dirty = self._dirty(pages, changed, everything, changed_templates)

        urls = {name: url for name, (url, _, _) in assets.items()}
        env_key = (tuple(sorted(templates.items())), tuple(sorted(urls.items())), site.config.language)
        if self._env is None or self._env[0] != env_key:
            self._env = (env_key, make_environment(self.project.templates, site.config.language, urls))
        env = self._env[1]
        out = StagedOutput(self.project.output)
        try:
            dirty_urls = {page.url for page in dirty}
            for page in pages:
                if page.url not in dirty_urls:
                    out.keep(page.path)
                    continue
                try:
                    if page.template in RENDERERS:
                        out.put(page.path, RENDERERS[page.template](site, page))
                    else:
                        out.put(page.path, render_page(env, page, site))
                except jinja2.TemplateSyntaxError as exc:
                    path = Path(exc.filename) if exc.filename else self.project.templates / page.template
                    result.diagnostics.error(
                        path, SourcePos(exc.lineno or 1, 1), f"template error: {exc.message}"
                    )
                    break
                except jinja2.TemplateError as exc:
                    result.diagnostics.error(
                        self.project.templates / page.template,
                        SourcePos(1, 1),
                        f"template error while rendering {page.url}: {exc}",
                    )
                    break
                result.rendered.append(page.url)
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
            result.stats = out.commit()
            result.timings["write"] = time.perf_counter() - start
        except BaseException:
            out.abort()
            raise

        for page in dirty:
            self._page_sources[page.url] = frozenset(page.sources)
        for url in set(self._page_sources) - {page.url for page in pages}:
            del self._page_sources[url]
        self._templates, self._static, self._built = templates, static, True
        result.static_only = bool(static_changed and not dirty and not changed)
        return result

    def refresh_search(self, result: BuildResult) -> SearchStats | None:
        """Rebuild the search index when the written site changed (or has none yet)."""
        if not self.search or result.site is None or result.stats is None:
            return None
        stale = result.stats.written or result.stats.removed
        if stale or not (self.project.output / INDEX_DIR).is_dir():
            return index_site(self.project.output, result.site)
        return None


def check(project: Project, *, include_drafts: bool = True) -> BuildResult:
    """Load and validate everything; write nothing."""
    return Builder(project, include_drafts=include_drafts).check()


def build(
    project: Project, *, include_drafts: bool = False, search: bool = True, base_url: str | None = None
) -> BuildResult:
    """One complete build, then its search index (when anything changed)."""
    builder = Builder(project, include_drafts=include_drafts, search=search, base_url=base_url)
    result = builder.build()
    if result.ok:
        result.search = builder.refresh_search(result)
        if result.search is not None:
            result.timings["search"] = result.search.seconds
    return result
