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

from pagefind.index import IndexConfig, PagefindIndex

from .model import Site
from .pages import FILTER_TYPE, SORT_DATE, decision_url, meeting_filters
from .strings import translate

INDEX_DIR = "pagefind"
T = TypeVar("T")


@dataclass(frozen=True)
class SearchStats:
    pages: int
    decisions: int
    seconds: float
    index_bytes: int


async def _write_index(site: Site, pages: list[tuple[str, str]], target: Path) -> tuple[int, int]:
    language = site.config.language
    decision_word = translate("decision", language)
    config = IndexConfig(force_language=language, verbose=False)
    async with PagefindIndex(config=config) as index:
        for url, html in pages:
            await index.add_html_file(content=html, url=url)
        decisions = 0
        for meeting in site.meetings:
            filters = {**meeting_filters(meeting, site), FILTER_TYPE: [decision_word]}
            networks = ", ".join(site.networks[slug].short_name for slug in meeting.networks)
            for decision in meeting.decisions:
                label = f"{decision.item_label} " if decision.item_label else ""
                await index.add_custom_record(
                    url=decision_url(meeting, decision),
                    content=f"{decision.item_title}\n{decision.text}",
                    language=language,
                    meta={
                        "title": f"{decision_word}: {label}{decision.item_title}",
                        "meeting": meeting.title,
                        "network": networks,
                        "date": meeting.date.isoformat(),
                    },
                    filters=filters,
                    sort={SORT_DATE: meeting.date.isoformat()},
                )
                decisions += 1
        await index.write_files(output_path=str(target))
    return len(pages), decisions


def _run_apart(make: Callable[[], Coroutine[Any, Any, T]]) -> T:
    """Run a coroutine to completion, in its own thread when this one already runs a loop."""
    try:
        asyncio.get_running_loop()
    except RuntimeError:
        return asyncio.run(make())
    with ThreadPoolExecutor(max_workers=1) as worker:
        return worker.submit(lambda: asyncio.run(make())).result()


def index_site(site_dir: Path, site: Site, pages: list[tuple[str, str]]) -> SearchStats:
    """Write a fresh index beside the site, then swap it in as `site/pagefind/`."""
    start = time.perf_counter()
    fresh = site_dir.with_name(f".{site_dir.name}.{INDEX_DIR}-{os.getpid()}")
    shutil.rmtree(fresh, ignore_errors=True)
    try:
        page_count, decisions = _run_apart(lambda: _write_index(site, pages, fresh))
        live = site_dir / INDEX_DIR
        old = site_dir.with_name(f".{site_dir.name}.{INDEX_DIR}-old-{os.getpid()}")
        if live.exists():
            live.rename(old)
        fresh.rename(live)
        shutil.rmtree(old, ignore_errors=True)
    finally:
        shutil.rmtree(fresh, ignore_errors=True)
    size = sum(p.stat().st_size for p in (site_dir / INDEX_DIR).rglob("*") if p.is_file())
    return SearchStats(page_count, decisions, time.perf_counter() - start, size)
