"""Rendering what a plan says into the staging folder, with what one build keeps for the next:
the Jinja environment (and its fragments) and the exports' pieces of each meeting."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from ..model import Reuse
from ..output import StagedOutput
from ..speed.switch import Speedups
from ..urls import attachment_url, output_path
from .inputs import TemplateFiles
from .plan import Plan
from .state import KeptPieces

if TYPE_CHECKING:  # the render machinery is imported when a build renders
    import jinja2

    from ..model import Site
    from .parallel import Rendered
    from .read import Loaded

PARALLEL_RENDER_MIN = 200  # below this much work, rendering stays in this process
LISTED_PER_PAGE = 100  # with no fragments kept, a listing costs about one page per this many meetings


def _nothing() -> None:
    pass


class Stager:
    """Renders pages into a staging folder, build after build."""

    def __init__(self, templates: Path, speedups: Speedups, jobs: int, keep_pieces: bool) -> None:
        self.templates, self.speedups, self.jobs, self.keep_pieces = templates, speedups, jobs, keep_pieces
        self.parallel_min = PARALLEL_RENDER_MIN
        self.pieces = self._new_pieces()  # the exports' share of each meeting
        self._env: tuple[object, jinja2.Environment] | None = None  # reused while templates stay

    def _new_pieces(self) -> Reuse:
        """A place for the meetings' shares of the exports: in memory only when there is a next
        build in this process, on disk (`keep`) for the next process."""
        return self.speedups.memo(remember=self.keep_pieces)

    def forget_pieces(self) -> None:
        """Every meeting is new (the settings changed): none of the kept pieces will be asked for."""
        self.pieces = self._new_pieces()

    @property
    def environment_key(self) -> object:
        """What the current environment was made from (templates, asset URLs, language)."""
        return self._env[0] if self._env is not None else None

    def environment(self, site: Site, seen: TemplateFiles) -> jinja2.Environment:
        """The Jinja environment, kept while the templates, asset URLs and language stay."""
        urls = {name: url for name, (url, _, _) in seen.assets.items()}
        language = site.config.language
        key = (tuple(sorted(seen.templates.items())), tuple(sorted(urls.items())), language)
        if self._env is None or self._env[0] != key:
            self._env = (key, self.speedups.environment(self.templates, language, urls))
        return self._env[1]

    def stage(
        self,
        loaded: Loaded,
        the_plan: Plan,
        env: jinja2.Environment,
        out: StagedOutput,
        report: Callable[[int], None],
        kept: KeptPieces | None = None,
    ) -> Rendered:
        """Render what the plan says into the staging folder; every other page is kept as it is;
        the attachments beside their meetings. `kept`: the meetings' listing rows and export lines
        on disk, found there by the meetings' content and added to by this render."""
        from .parallel import RenderJob, Workload, render_pages

        fragments = getattr(env, "fragments", None)
        cold = fragments is not None and not len(fragments)  # a new process or new templates
        if kept is not None and the_plan.render:
            keys = loaded.read.keys
            named = [(meeting, keys[meeting.source_name]) for meeting in loaded.site.meetings]
            if self.speedups.keep(self.pieces, named, kept) and self.speedups.keep(env, named, kept):
                # Read before the workers are forked: they share it. With rows on disk, the
                # listings cost what a warm process's do.
                cold = cold and not kept.load()
        load = Workload(self.jobs, self.parallel_min, LISTED_PER_PAGE, cold, self.speedups.forking())
        flush = kept.flush if kept is not None else _nothing
        job = RenderJob(loaded.site, loaded.pages, env, self.pieces, out.site_dir, out.staging, flush)
        rendered = render_pages(job, the_plan.render, load, report)
        for relative in rendered.staged:
            out.record(relative, staged=True)
        for relative in rendered.unchanged:
            out.record(relative, staged=False)
        chosen = set(the_plan.render)
        for index, page in enumerate(loaded.pages):
            if index not in chosen:
                out.keep(page.path)
        for meeting in loaded.site.meetings:
            for attachment in (*meeting.attachments, *((meeting.original,) if meeting.original else ())):
                url = attachment_url(meeting, attachment.file)
                out.put(output_path(url), attachment.source.read_bytes())
        return rendered
