"""The search index: Pagefind, fed the meeting pages from memory plus one record per decision."""

from __future__ import annotations

import asyncio
import os
import shutil
import sys
import time
from collections.abc import Callable, Coroutine
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TypeVar

from pagefind.index import IndexConfig
from pagefind.service import PagefindService

from .model import Site
from .output import INDEX_DIR, swap_in

MEETING_GLOB = "natverk/*/*/index.html"  # pages.meeting_url's shape
T = TypeVar("T")


@dataclass(frozen=True)
class SearchStats:
    pages: int
    decisions: int
    seconds: float
    index_bytes: int


# Sets the parent-death signal (`output.parent_death_guard`), then becomes Pagefind: the signal
# survives `execv`. A small Python of its own rather than a `preexec_fn`, which would make the
# fork run this process's at-fork handlers (the preview server's) in the child before the exec.
_GUARDED_EXEC = (
    "import ctypes, os, signal, sys\n"
    "ctypes.CDLL(None, use_errno=True).prctl(1, signal.SIGKILL, 0, 0, 0)\n"
    "if os.getppid() != int(sys.argv[1]):\n"
    "    os._exit(1)\n"
    "os.execv(sys.argv[2], sys.argv[2:])\n"
)


def _command(binary: Path) -> list[str]:
    """Pagefind's service command; on Linux through `_GUARDED_EXEC`, so it dies with this process."""
    if sys.platform != "linux":
        return [str(binary), "--service"]
    return [sys.executable, "-I", "-S", "-c", _GUARDED_EXEC, str(os.getpid()), str(binary), "--service"]


async def _launch(service: PagefindService) -> None:
    """`PagefindService.launch`, with a binary that dies with this process (even by `kill -9`)."""
    program, *arguments = _command(service._bin)
    service._backend = await asyncio.create_subprocess_exec(
        program,
        *arguments,
        cwd=os.getcwd(),
        stdin=asyncio.subprocess.PIPE,
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.STDOUT,
        limit=2**21,  # as the package's own launch: a smaller buffer can deadlock on large answers
    )
    service._poll_task = service._loop.create_task(service._wait_for_responses())


def _writing(pid: int, folder: Path) -> bool:
    """Whether process `pid` has a file under `folder` open (Linux: /proc; elsewhere False)."""
    prefix = str(folder) + os.sep
    try:
        descriptors = os.listdir(f"/proc/{pid}/fd")
    except OSError:
        return False
    for descriptor in descriptors:
        try:
            if os.readlink(f"/proc/{pid}/fd/{descriptor}").startswith(prefix):
                return True
        except OSError:
            continue
    return False


async def _written(service: PagefindService, target: Path, deadline: float = 600) -> None:
    """Wait until Pagefind has finished writing the index.

    Pagefind answers `write_files` when every write is under way, not done: its last writes run
    on background threads, and stopping the binary then (the client's `close` does) left a file
    of the index empty or cut short about once in 40 runs (measured: 4 of 150; 0 of 150 with this
    wait). Each write holds its file open until it is done, so the index is complete once the
    binary holds no file under `target` open."""
    end = time.monotonic() + deadline
    while _writing(service._backend.pid, target):
        if time.monotonic() > end:
            raise RuntimeError(f"pagefind: still writing {target} after {deadline:.0f} s")
        await asyncio.sleep(0.005)


async def _write_index(site: Site, site_dir: Path, target: Path, service_class: type[PagefindService]) -> int:
    service = service_class()
    await _launch(service)
    try:
        index = await service.create_index(IndexConfig(force_language=site.config.language))
        # Pagefind reads the written meeting pages itself, in parallel; only they carry
        # data-pagefind-body, so navigation and the other page kinds stay out of the index.
        # Items and decisions are headings with ids there, so each is its own sub-result. The
        # record (details, participant table) is data-pagefind-ignore: labels and cells would run
        # together in excerpts ("PlatsRegionens Hus"). Its place and people are metadata instead,
        # which Pagefind (1.5 on) searches but never makes an excerpt of.
        indexed = await index.add_directory(str(site_dir), glob=MEETING_GLOB)
        await index.write_files(output_path=str(target))
        await _written(service, Path(os.path.abspath(target)))
    finally:
        await service.close()
    return int(indexed["page_count"])


def _run_apart(make: Callable[[], Coroutine[Any, Any, T]]) -> T:
    """Run a coroutine to completion, in its own thread when this one already runs a loop."""
    try:
        asyncio.get_running_loop()
    except RuntimeError:
        return asyncio.run(make())
    with ThreadPoolExecutor(max_workers=1) as worker:
        return worker.submit(lambda: asyncio.run(make())).result()


def _stats(site: Site, pages: int, index: Path, start: float) -> SearchStats:
    size = sum(p.stat().st_size for p in index.rglob("*") if p.is_file())
    decisions = sum(len(meeting.decisions) for meeting in site.meetings)
    return SearchStats(pages, decisions, time.perf_counter() - start, size)


def write_index(
    site_dir: Path, site: Site, service_class: type[PagefindService] = PagefindService
) -> SearchStats:
    """Index the meeting pages of `site_dir` (a complete new site, not yet live) into its `pagefind/`.

    `service_class`: Pagefind's client, or `speed.pagefind`'s, which does not sleep between answers."""
    start = time.perf_counter()
    target = site_dir / INDEX_DIR
    shutil.rmtree(target, ignore_errors=True)
    pages = _run_apart(lambda: _write_index(site, site_dir, target, service_class))
    return _stats(site, pages, target, start)


def index_site(
    site_dir: Path, site: Site, service_class: type[PagefindService] = PagefindService
) -> SearchStats:
    """Index the live site: write a fresh index beside it, then swap it in as `site/pagefind/`
    in one step (the preview server's refresh, after its pages were committed)."""
    start = time.perf_counter()
    real = Path(os.path.realpath(site_dir))
    fresh = real.with_name(f".{real.name}.{INDEX_DIR}-{os.getpid()}")
    old = real.with_name(f".{real.name}.{INDEX_DIR}-old-{os.getpid()}")
    shutil.rmtree(fresh, ignore_errors=True)
    try:
        pages = _run_apart(lambda: _write_index(site, real, fresh, service_class))
        swap_in(fresh, real / INDEX_DIR, old=old)
    finally:
        shutil.rmtree(fresh, ignore_errors=True)  # the new index failed, or the old one swapped out
        shutil.rmtree(old, ignore_errors=True)
    return _stats(site, pages, real / INDEX_DIR, start)
