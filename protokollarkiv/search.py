"""The search index: Pagefind, fed the meeting pages from memory plus one record per decision."""

from __future__ import annotations

import asyncio
import os
import shutil
import time
from collections.abc import Callable, Coroutine
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TypeVar

from pagefind.index import IndexConfig
from pagefind.service import PagefindService

from .model import Site
from .output import INDEX_DIR

MEETING_GLOB = "natverk/*/*/index.html"  # pages.meeting_url's shape
T = TypeVar("T")


@dataclass(frozen=True)
class SearchStats:
    pages: int
    decisions: int
    seconds: float
    index_bytes: int


async def _write_index(site: Site, site_dir: Path, target: Path, service_class: type[PagefindService]) -> int:
    service = await service_class().launch()
    try:
        index = await service.create_index(IndexConfig(force_language=site.config.language))
        # Pagefind reads the written meeting pages itself, in parallel; only they carry
        # data-pagefind-body, so navigation and the other page kinds stay out of the index.
        # Items and decisions are headings with ids there, so each is its own sub-result.
        indexed = await index.add_directory(str(site_dir), glob=MEETING_GLOB)
        await index.write_files(output_path=str(target))
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


def index_site(
    site_dir: Path, site: Site, service_class: type[PagefindService] = PagefindService
) -> SearchStats:
    """Write a fresh index beside the site, then swap it in as `site/pagefind/`.

    `service_class`: Pagefind's client, or `speed.pagefind`'s, which does not sleep between answers."""
    start = time.perf_counter()
    fresh = site_dir.with_name(f".{site_dir.name}.{INDEX_DIR}-{os.getpid()}")
    shutil.rmtree(fresh, ignore_errors=True)
    try:
        page_count = _run_apart(lambda: _write_index(site, site_dir, fresh, service_class))
        live = site_dir / INDEX_DIR
        old = site_dir.with_name(f".{site_dir.name}.{INDEX_DIR}-old-{os.getpid()}")
        if live.exists():
            live.rename(old)
        fresh.rename(live)
        shutil.rmtree(old, ignore_errors=True)
    finally:
        shutil.rmtree(fresh, ignore_errors=True)
    size = sum(p.stat().st_size for p in (site_dir / INDEX_DIR).rglob("*") if p.is_file())
    decisions = sum(len(meeting.decisions) for meeting in site.meetings)
    return SearchStats(page_count, decisions, time.perf_counter() - start, size)
