"""Runs the stages: load, validate, pages, render, output; errors stop the build before any write."""

from __future__ import annotations

import hashlib
import time
from dataclasses import dataclass, field
from pathlib import Path

import jinja2

from .diagnostics import Diagnostics, SourcePos
from .load import load_content
from .model import Site
from .output import StagedOutput, WriteStats
from .pages import attachment_url, check_unique_urls, output_path, site_pages
from .render import STATIC_DIR, make_environment, render_page
from .search import INDEX_DIR, SearchStats, index_site
from .validate import validate_content


@dataclass(frozen=True)
class Project:
    """Where the archive, the templates and the built site live."""

    content: Path
    templates: Path
    output: Path

    @classmethod
    def at(cls, root: Path) -> Project:
        return cls(root / "content", root / "templates", root / "site")


@dataclass
class BuildResult:
    diagnostics: Diagnostics
    site: Site | None = None
    pages: int = 0
    stats: WriteStats | None = None
    search: SearchStats | None = None
    timings: dict[str, float] = field(default_factory=dict)

    @property
    def ok(self) -> bool:
        return not self.diagnostics.has_errors()


def static_assets(templates: Path) -> dict[str, tuple[str, Path]]:
    """name -> (fingerprinted URL, source) for every file in templates/static/."""
    folder = templates / STATIC_DIR
    assets: dict[str, tuple[str, Path]] = {}
    if not folder.is_dir():
        return assets
    for path in sorted(p for p in folder.rglob("*") if p.is_file()):
        name = path.relative_to(folder).as_posix()
        digest = hashlib.sha256(path.read_bytes()).hexdigest()[:10]
        stem, dot, suffix = name.rpartition(".")
        fingerprinted = f"{stem}.{digest}.{suffix}" if dot else f"{name}.{digest}"
        assets[name] = (f"/{STATIC_DIR}/{fingerprinted}", path)
    return assets


def check(project: Project, *, include_drafts: bool = True) -> BuildResult:
    """Load and validate everything; write nothing."""
    result = BuildResult(Diagnostics())
    start = time.perf_counter()
    sources = load_content(project.content, result.diagnostics)
    site = validate_content(sources, result.diagnostics, include_drafts=include_drafts)
    pages = site_pages(site)
    check_unique_urls(pages, site, result.diagnostics)
    result.site, result.pages = site, len(pages)
    result.timings["validate"] = time.perf_counter() - start
    return result


def build(project: Project, *, include_drafts: bool = False, search: bool = True) -> BuildResult:
    """Build the site into `project.output`; on any error the existing site stays as it was.

    The search index is rebuilt when any output changed (or is missing)."""
    result = check(project, include_drafts=include_drafts)
    if not result.ok or result.site is None:
        return result
    site = result.site
    start = time.perf_counter()
    assets = static_assets(project.templates)
    env = make_environment(project.templates, site, {k: url for k, (url, _) in assets.items()})
    out = StagedOutput(project.output)
    try:
        for page in site_pages(site):
            try:
                out.put(page.path, render_page(env, page))
            except jinja2.TemplateSyntaxError as exc:
                path = Path(exc.filename) if exc.filename else project.templates / page.template
                result.diagnostics.error(
                    path, SourcePos(exc.lineno or 1, 1), f"template error: {exc.message}"
                )
                break
            except jinja2.TemplateError as exc:
                result.diagnostics.error(
                    project.templates / page.template,
                    SourcePos(1, 1),
                    f"template error while rendering {page.url}: {exc}",
                )
                break
        for meeting in site.meetings:
            for attachment in meeting.attachments:
                url = attachment_url(meeting, attachment.file)
                out.put(output_path(url), attachment.source.read_bytes())
        for url, source in assets.values():
            out.put(output_path(url), source.read_bytes())
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
    stale = result.stats.written or result.stats.removed
    if search and (stale or not (project.output / INDEX_DIR).is_dir()):
        result.search = index_site(project.output, site)
        result.timings["search"] = result.search.seconds
    return result
