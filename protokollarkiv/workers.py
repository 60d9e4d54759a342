"""Work that runs in forked worker processes (or in this one): parse a meeting, render pages.

A pool is forked after the model is built, so workers inherit it through `WORK` instead of
receiving it pickled; only small results (parsed meetings, lists of paths) travel back.
"""

from __future__ import annotations

import contextlib
import gc
import multiprocessing
import pickle
import queue
import threading
from collections.abc import Generator, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import jinja2

from .cache import Parsed
from .diagnostics import Diagnostics
from .load import load_meeting
from .model import Site
from .output import stage_file
from .pages import Page
from .render import render_page
from .validate import Globals, validate_meeting

# Worker processes are forked with what they need in these globals: nothing is pickled to them.
WORK: dict[str, Any] = {}


def parse_one(path: Path, network_dir: str, raw: bytes, key: str, globals_: Globals) -> Parsed:
    own = Diagnostics()
    source = load_meeting(path, network_dir, own, raw)
    meeting = validate_meeting(source, globals_, own) if source else None
    return Parsed(key, meeting, own.items)


def parse_in_worker(task: tuple[Path, str, bytes, str]) -> bytes:
    """`parse_one`, pickled here: the parent keeps these bytes in the cache as they are."""
    return pickle.dumps(parse_one(*task, WORK["globals"]), pickle.HIGHEST_PROTOCOL)


@dataclass
class Rendered:
    staged: list[str] = field(default_factory=list)  # written to the staging folder
    unchanged: list[str] = field(default_factory=list)
    urls: list[str] = field(default_factory=list)
    error: tuple[str, str | None, int | None, str] | None = None  # (url, file, line, message)


def page_bytes(page: Page, site: Site, env: jinja2.Environment) -> bytes:
    """A page's bytes: the feeds and data files from `feeds`, every other page from its template."""
    from .feeds import RENDERERS  # here, not at the top: a build with nothing to do never needs it

    if page.template in RENDERERS:
        return RENDERERS[page.template](site, page)
    return render_page(env, page, site)


def render_pages(indices: list[int]) -> Rendered:
    """Render pages (by index into WORK["pages"]) and stage the ones whose bytes changed."""
    pages: list[Page] = WORK["pages"]
    site: Site = WORK["site"]
    env: jinja2.Environment = WORK["env"]
    out: Rendered = Rendered()
    for index in indices:
        page = pages[index]
        try:
            data = page_bytes(page, site, env)
        except jinja2.TemplateSyntaxError as exc:
            out.error = (page.url, exc.filename, exc.lineno, f"template error: {exc.message}")
            break
        except jinja2.TemplateError as exc:
            out.error = (page.url, None, None, f"template error while rendering {page.url}: {exc}")
            break
        staged = stage_file(WORK["site_dir"], WORK["staging"], page.path, data)
        (out.staged if staged else out.unchanged).append(page.path)
        out.urls.append(page.url)
    return out


def render_alongside(pool: Any, workers: int, batches: list[list[int]]) -> Generator[Rendered, None, None]:
    """Render `batches` in the pool's `workers` and in this process at once, in any order; close
    the generator before leaving the pool.

    This process renders instead of waiting, so a build needs one worker fewer for the same
    speed, and one copy fewer of the pages of the model that a worker touches (reference counts
    write to them): about 200 MiB at 10,000 meetings. A worker gets its next batch the moment it
    sends one back (in the pool's result thread), not when this process gets round to it.
    """
    todo = iter(batches)
    lock = threading.Lock()
    back: queue.SimpleQueue[Rendered | BaseException] = queue.SimpleQueue()
    handed = [0]  # batches given to the pool and not yet taken back here
    stopping = [False]

    def give() -> None:
        with lock:
            batch = None if stopping[0] else next(todo, None)
            if batch is None:
                return
            handed[0] += 1
        with contextlib.suppress(ValueError):  # the pool is closing: the build has stopped
            pool.apply_async(render_pages, (batch,), callback=returned, error_callback=back.put)

    def returned(part: Rendered) -> None:
        back.put(part)
        give()

    def take_back(item: Rendered | BaseException) -> Rendered:
        with lock:
            handed[0] -= 1
        if isinstance(item, BaseException):
            raise item
        return item

    for _ in range(2 * workers):  # one batch in hand and one waiting, per worker
        give()
    try:
        while True:
            while not back.empty():
                yield take_back(back.get())
            with lock:
                batch = next(todo, None)
            if batch is None:
                break
            yield render_pages(batch)
        while True:
            with lock:
                if handed[0] == 0:
                    break
            yield take_back(back.get())
    finally:
        with lock:
            stopping[0] = True


def chunks(items: list[int], size: int) -> Iterator[list[int]]:
    for start in range(0, len(items), size):
        yield items[start : start + size]


def plan_batches(pages: list[Page], indices: list[int], jobs: int, listing: int | None) -> list[list[int]]:
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


@contextlib.contextmanager
def gc_paused() -> Iterator[None]:
    """No cyclic garbage collection inside the block.

    Loading an archive creates millions of objects that all stay alive; the collector would scan
    them again and again as they pile up (2.3 of the parent's 8.8 s CPU at 10,000 meetings).
    Garbage with cycles made meanwhile is collected after the block.
    """
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


def settle_memory(full: bool = True) -> None:
    """Collect garbage now, and freeze what is left out of the collector's way.

    The preview server calls this after a build, while nobody waits: the next rebuild then does
    not pause to scan the whole archive model (about 1 s at 10,000 meetings). `full=False`
    scans only what was made since the last freeze (a rebuild's new objects: 65–100 ms instead of
    ~0.7 s at 10,000 meetings); garbage cycles among frozen objects then wait for a full one.
    """
    if full:
        gc.unfreeze()
    gc.collect()
    gc.freeze()


@contextlib.contextmanager
def fork_pool(jobs: int, work: dict[str, Any]) -> Iterator[Any]:
    """A pool of `jobs` forked workers that see `work` in WORK; terminated when the block ends.

    Before the fork every object is frozen out of the garbage collector's reach: a collection in a
    worker would otherwise write to the header of every object inherited from this process and so
    copy all of its memory, once per worker.
    """
    WORK.clear()
    WORK.update(work)
    gc.freeze()
    try:
        with multiprocessing.get_context("fork").Pool(jobs) as pool:
            yield pool
    finally:
        gc.unfreeze()
