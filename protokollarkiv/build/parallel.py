"""Parallel work: frozen jobs (parse meetings, render pages) done by forked worker processes.

A render job holds everything its work needs, the archive model included, and is handed to the
workers when they are forked, so they inherit it instead of receiving it pickled; only lists of
page indices go to them and small results come back. A parse job is small (the archive-wide
settings) and travels with each batch of meeting files.
"""

from __future__ import annotations

import contextlib
import multiprocessing
import pickle
import queue
from collections.abc import Callable, Generator, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import jinja2

from ..diagnostics import InternalError, processing
from ..feeds import RENDERERS
from ..model import Reuse, Site
from ..output import parent_death_guard, stage_file
from ..pages import Page
from ..parse import Engines, Parsed, parse_meeting
from ..render import render_page
from ..validate import Globals

ParseTask = tuple[Path, str, bytes, str]  # (meeting file, its network folder, its bytes, content key)
POLL_SECONDS = 0.5  # how often a wait for results checks that the workers are alive


def page_bytes(page: Page, site: Site, env: jinja2.Environment, reuse: Reuse) -> bytes:
    """A page's bytes: an export from `feeds`, every other page from its template."""
    subject = f"the page {page.url}" + (f" of {page.meeting.source}" if page.meeting else "")
    with processing(subject, expected=(jinja2.TemplateError,)):
        if page.export:
            return RENDERERS[page.export](site, page, reuse)
        return render_page(env, page, site)


@dataclass
class Rendered:
    staged: list[str] = field(default_factory=list)  # written to the staging folder
    unchanged: list[str] = field(default_factory=list)
    urls: list[str] = field(default_factory=list)
    error: tuple[str, str | None, int | None, str] | None = None  # (url, file, line, message)
    parallel: bool = False  # rendered in worker processes too


@dataclass(frozen=True)
class RenderJob:
    """Render pages of one build and stage those whose bytes changed."""

    site: Site
    pages: Sequence[Page]
    env: jinja2.Environment
    reuse: Reuse  # where exports keep each meeting's share
    site_dir: Path
    staging: Path
    flush: Callable[[], None]  # after each batch: the pieces it made, kept on disk for later builds

    def render(self, indices: list[int]) -> Rendered:
        """Render the pages at `indices`; stop at the first template error."""
        out = Rendered()
        for index in indices:
            page = self.pages[index]
            try:
                data = page_bytes(page, self.site, self.env, self.reuse)
            except jinja2.TemplateSyntaxError as exc:
                out.error = (page.url, exc.filename, exc.lineno, f"template error: {exc.message}")
                break
            except jinja2.TemplateError as exc:
                out.error = (page.url, None, None, f"template error while rendering {page.url}: {exc}")
                break
            staged = stage_file(self.site_dir, self.staging, page.path, data)
            (out.staged if staged else out.unchanged).append(page.path)
            out.urls.append(page.url)
        self.flush()
        return out


@dataclass(frozen=True)
class ParseJob:
    """Parse meeting files against one set of archive-wide settings."""

    globals_: Globals
    engines: Engines

    def parse(self, task: ParseTask) -> Parsed:
        return parse_meeting(*task, self.globals_, self.engines)

    def parse_pickled(self, tasks: list[ParseTask]) -> list[bytes]:
        """`parse`, pickled here: the build process keeps these bytes in the cache as they are."""
        return [pickle.dumps(self.parse(task), pickle.HIGHEST_PROTOCOL) for task in tasks]


class WorkerError(RuntimeError):
    """A worker process failed or died."""


def _serve(work: Callable[[Any], Any], tasks: Any, results: Any, guard: Callable[[], None]) -> None:
    """A worker's life: take a task, do it, send the result back, until told to stop (None).
    `guard` first: the worker dies with the build process, even when that is killed."""
    guard()
    while True:
        task = tasks.get()
        if task is None:
            return
        number, payload = task
        try:
            results.put((number, work(payload), None))
        except BaseException as exc:  # sent back to the build, which raises it
            sent = exc if isinstance(exc, InternalError) else f"{type(exc).__name__}: {exc}"
            results.put((number, None, sent))


class Workers:
    """`count` processes forked to run `work` (a job's method) on tasks; the build process may
    take tasks from the same queue (`take`). Leaving the block stops them."""

    def __init__(
        self, count: int, work: Callable[[Any], Any], forking: contextlib.AbstractContextManager[None]
    ):
        context = multiprocessing.get_context("fork")
        self._tasks: Any = context.Queue()
        self._results: Any = context.Queue()
        self._count = count
        self._forking = forking
        guard = parent_death_guard()
        self._processes = [
            context.Process(target=_serve, args=(work, self._tasks, self._results, guard), daemon=True)
            for _ in range(count)
        ]
        self._sent = 0

    def __enter__(self) -> Workers:
        self._forking.__enter__()
        for process in self._processes:
            process.start()
        return self

    def __exit__(self, *exc: object) -> None:
        try:
            for process in self._processes:
                if process.is_alive():
                    process.terminate()
            for process in self._processes:
                process.join()
            for channel in (self._tasks, self._results):
                channel.cancel_join_thread()
                channel.close()
        finally:
            self._forking.__exit__(None, None, None)

    def send(self, payload: Any) -> int:
        """Queue a task; its number."""
        number = self._sent
        self._tasks.put((number, payload))
        self._sent += 1
        return number

    def close(self) -> None:
        """No more tasks: each worker stops after the ones queued, and so does `take`."""
        for _ in range(self._count + 1):  # one stop signal a worker, and one for this process
            self._tasks.put(None)

    def take(self) -> tuple[int, Any] | None:
        """A queued task for this process to do itself, or None when none are left (after `close`)."""
        return self._tasks.get()  # type: ignore[no-any-return]

    def result(self, wait: bool = True) -> tuple[int, Any] | None:
        """The next result (task number, value); without `wait`, None when none is ready."""
        while True:
            try:
                number, value, error = (
                    self._results.get(timeout=POLL_SECONDS) if wait else self._results.get_nowait()
                )
            except queue.Empty:
                if not wait:
                    return None
                dead = [p for p in self._processes if not p.is_alive() and p.exitcode]
                if dead:
                    raise WorkerError(f"a worker process stopped (exit code {dead[0].exitcode})") from None
                continue
            if isinstance(error, InternalError):
                raise error
            if error is not None:
                raise WorkerError(f"a worker process failed: {error}")
            return number, value


def parse_in_workers(job: ParseJob, todo: list[ParseTask], jobs: int, forking: Any) -> Iterator[bytes]:
    """Each meeting of `todo` parsed in `jobs` workers, pickled, in order.

    Parsing needs only the archive-wide settings, so the (small) job travels with each batch of
    eight meetings through `multiprocessing.Pool`. The pool takes its results back on a thread of
    its own; the same results read on the build thread (as `Workers` does) left the pickled
    meetings among the objects the build then makes, and a parallel render after it copied
    about 220 MiB more of the model into its worker (10,000 meetings; measured, not asserted).
    The workers die with the build process, even when that is killed.
    """
    chunk = 8
    pool_context = multiprocessing.get_context("fork")
    with forking, pool_context.Pool(jobs, initializer=parent_death_guard()) as pool:
        batches = (todo[start : start + chunk] for start in range(0, len(todo), chunk))
        for blobs in pool.imap(job.parse_pickled, batches):
            yield from blobs


def render_alongside(
    job: RenderJob, batches: list[list[int]], workers: int, forking: Any
) -> Generator[Rendered, None, None]:
    """Render `batches` in `workers` forked processes and in this one at once, in any order.

    This process renders instead of waiting, so a build needs one worker fewer for the same
    speed, and one copy fewer of the pages of the model that a worker touches (reference counts
    write to them): about 200 MiB at 10,000 meetings. All batches wait in one queue; whoever is
    free takes the next.
    """
    with Workers(workers, job.render, forking) as pool:
        for batch in batches:
            pool.send(batch)
        pool.close()
        left = len(batches)
        while left:
            while (ready := pool.result(wait=False)) is not None:
                left -= 1
                yield ready[1]
            task = pool.take()
            if task is None:
                break
            left -= 1
            yield job.render(task[1])
        while left:
            got = pool.result()
            assert got is not None
            left -= 1
            yield got[1]


@dataclass(frozen=True)
class Workload:
    """How much parallel work a render may use."""

    jobs: int  # processes that render, this one included
    minimum: int  # below this much work, everything stays in this process
    listed_per_page: int  # with `cold` fragments, a listing costs a page per this many meetings
    cold: bool  # no fragments kept yet (a new process, new templates): listings cost more
    forking: Any  # speed.switch.Speedups.forking(): around the workers' life


def render_pages(
    job: RenderJob, indices: Sequence[int], load: Workload, report: Callable[[int], None]
) -> Rendered:
    """Render the pages at `indices`, in worker processes when there is much work (or, with cold
    fragments, when they list many meetings: the municipality pages of a one-meeting edit).
    Stops at the first template error."""
    pages = job.pages
    weight = sum(len(pages[i].sources) for i in indices) // load.listed_per_page if load.cold else 0
    parallel = load.jobs > 1 and len(indices) + weight >= load.minimum
    batches = plan_batches(pages, list(indices), load.jobs, load.listed_per_page if parallel else None)
    # This process renders too: `jobs` processes render, `jobs` - 1 of them forked.
    parts: Generator[Rendered, None, None] = (
        render_alongside(job, batches, load.jobs - 1, load.forking)
        if parallel
        else (job.render(batch) for batch in batches)
    )
    done = Rendered(parallel=parallel)
    with contextlib.closing(parts):  # closing it stops the workers
        for part in parts:
            done.staged += part.staged
            done.unchanged += part.unchanged
            done.urls += part.urls
            report(len(done.urls))
            if part.error:
                done.error = part.error
                break
    return done


def chunks(items: list[int], size: int) -> Iterator[list[int]]:
    for start in range(0, len(items), size):
        yield items[start : start + size]


def plan_batches(
    pages: Sequence[Page], indices: list[int], jobs: int, listing: int | None
) -> list[list[int]]:
    """The pages at `indices` in batches, at least four a process.

    With `listing` (a parallel render), pages that show more meetings than that go first, the
    longest list first, each its own batch: one of them (a second or more) at the end would keep
    one process busy while the others wait.
    """
    size = max(1, min(64, len(indices) // (4 * jobs)))
    if listing is None:
        return list(chunks(indices, size))
    listings = sorted(
        (i for i in indices if len(pages[i].sources) > listing), key=lambda i: -len(pages[i].sources)
    )
    others = [i for i in indices if len(pages[i].sources) <= listing]
    return [[i] for i in listings] + list(chunks(others, size))
