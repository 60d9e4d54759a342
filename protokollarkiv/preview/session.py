"""The preview session: the build state shared by the watcher, the rebuilds and the open pages."""

from __future__ import annotations

import json
import queue
import sys
import threading
import time
from pathlib import Path

from ..build.builder import Builder, BuildResult, Project
from ..diagnostics import Diagnostic
from ..speed.switch import Speedups
from . import quick

FULL_SETTLE_EVERY = 20  # see Preview._after_build


def show_edit(builder: Builder, paths: set[str]) -> list[str] | None:
    """`quick.show_edited` against the builder's last build; the URLs whose bytes changed."""
    last = builder.last
    if last is None:
        return None
    output, engines = builder.project.output, builder.options.speedups.engines
    urls = quick.show_edited(last, paths, output, builder.include_drafts, engines)
    if urls:
        builder.wrote_pages()  # the saved state and the search index no longer match the site
    return urls


class Preview:
    """Build state shared by the watcher, the rebuild thread and the request handlers."""

    def __init__(
        self,
        project: Project,
        *,
        include_drafts: bool,
        root: Path,
        jobs: int = 1,
        speedups: Speedups | None = None,
    ) -> None:
        self.project = project
        self.root = root
        self.speedups = speedups or Speedups()
        # The build state is saved once, at exit (see `stop`), not after every save of a file.
        self.builder = Builder(
            project,
            include_drafts=include_drafts,
            fingerprint=False,
            jobs=jobs,
            autosave=False,
            speedups=self.speedups,
        )
        self._building = threading.Lock()
        self._waiting = threading.Event()  # a rebuild waits for the lock
        self.version = 0  # completed rebuilds
        self.errors: list[Diagnostic] = []
        self._clients: list[queue.Queue[tuple[str, str]]] = []
        self._clients_lock = threading.Lock()
        self._wanted = threading.Event()
        self._changed: set[str] = set()  # paths the watcher reported since the last rebuild
        self._changed_lock = threading.Lock()
        self._last_printed: list[str] = []
        self._search_lock = threading.Lock()
        self._search_pending = threading.Event()
        self._settles = 0

    # --- building ----------------------------------------------------------------------

    def rebuild(self, changed: set[str] | None = None) -> BuildResult | None:
        """Rebuild; with the paths that `changed`, first show edited meetings at once (`quick`)."""
        self._waiting.set()  # background work (warming memos) gives way
        with self._building:
            self._waiting.clear()
            shown = self._show_edited(changed) if changed and self.version and not self.errors else 0
            return self._rebuild(shown)

    def _show_edited(self, changed: set[str]) -> int:
        """Write and reload an edited meeting's own pages ahead of the rebuild; how many were written."""
        start = time.perf_counter()
        try:
            urls = show_edit(self.builder, changed)
        except Exception as exc:  # a bug: the full rebuild still runs
            print(f"warning: could not show the edit before rebuilding: {exc}", file=sys.stderr, flush=True)
            return 0
        if not urls:
            return 0
        self._broadcast("reload", json.dumps({"version": self.version, "urls": urls}))
        seconds = time.perf_counter() - start
        print(f"Showed {', '.join(urls)} in {seconds * 1000:.0f} ms; rebuilding the rest", flush=True)
        return len(urls)

    def save_state(self) -> None:
        """Save the build state for the next process, unless a rebuild is still running."""
        if self._building.acquire(timeout=5):
            try:
                self.builder.save_state()
            finally:
                self._building.release()

    def _rebuild(self, shown: int = 0) -> BuildResult | None:
        """The full rebuild; `shown` pages were written just before it (`_show_edited`)."""
        start = time.perf_counter()
        had_errors = bool(self.errors)
        try:
            result = self.builder.build()
        except Exception as exc:  # a bug or an unwritable output: report, keep serving
            message = f"error: rebuild failed: {exc}"
            print(message, file=sys.stderr, flush=True)
            self.version += 1
            self._broadcast("reload", json.dumps({"version": self.version}))
            return None
        seconds = time.perf_counter() - start
        lines = result.diagnostics.format(self.root)
        if lines != self._last_printed:
            for line in lines:
                print(line, file=sys.stderr, flush=True)
            self._last_printed = lines
        self.version += 1
        if result.ok:
            self.errors = []
            stats = result.stats
            written = (stats.written if stats else 0) + shown
            print(
                f"{'Rebuilt' if self.version > 1 else 'Built'} in {seconds * 1000:.0f} ms: "
                f"{len(result.rendered)} pages rendered, "
                f"{written} files written (build {self.version})",
                flush=True,
            )
            news: dict[str, object] = {"version": self.version}
            if result.changed_urls is not None and not had_errors:  # else every open page reloads
                news["urls"] = result.changed_urls
            self._broadcast("css" if result.static_only else "reload", json.dumps(news))
            self._refresh_search(result)
            self._after_build(warm="render" in result.parallel)
        else:
            self.errors = result.diagnostics.errors
            print(
                f"Build failed ({result.diagnostics.summary()}); still serving the last good site "
                f"(build {self.version})",
                flush=True,
            )
            self._broadcast("reload", json.dumps({"version": self.version}))
        return result

    def _after_build(self, warm: bool) -> None:
        """Get ready for the next edit in the background; a rebuild waits for this, as for any build.

        `warm`: the pages were rendered in workers, so fill this process's memos, and the first
        edit is as quick as the ones after it. Then collect garbage and freeze the rest, so no
        rebuild pauses to scan the whole model. Only every FULL_SETTLE_EVERY-th time (the first
        included) are the frozen objects scanned again and replaced meetings' memoized pieces
        dropped: that takes ~0.8 s at 10,000 meetings, and a save in that time waits for it.
        """

        def work() -> None:
            with self._building:
                start = time.perf_counter()
                last = self.builder.last
                if warm and last is not None:
                    pages = quick.warm(last, stop=self._waiting.is_set)
                    seconds = time.perf_counter() - start
                    print(f"Prepared {pages} listing pages for quick rebuilds in {seconds:.1f} s", flush=True)
                if not self._waiting.is_set():
                    self._settle()

        threading.Thread(target=work, daemon=True).start()

    def _settle(self) -> None:
        """Collect and freeze (see `_after_build`); call with `_building` held."""
        full = self._settles % FULL_SETTLE_EVERY == 0
        if full:
            self.builder.tidy()
        self.speedups.settle(full)
        self._settles += 1

    def _refresh_search(self, result: BuildResult) -> None:
        """Re-index in the background, one run at a time; the reload does not wait for it."""
        self._search_pending.set()

        def work() -> None:
            with self._search_lock:
                if not self._search_pending.is_set():
                    return
                self._search_pending.clear()
                try:
                    found = self.builder.refresh_search(result)
                except Exception as exc:
                    self.builder.search_stale = True  # the next rebuild indexes, even writing nothing
                    print(f"warning: search index not refreshed: {exc}", file=sys.stderr, flush=True)
                    return
                if found is not None:
                    with self._building:  # indexing made many objects: settle them too, between builds
                        self._settle()
                    print(f"Search index refreshed in {found.seconds:.2f} s", flush=True)

        threading.Thread(target=work, daemon=True).start()

    def want_rebuild(self, paths: set[str]) -> None:
        with self._changed_lock:
            self._changed |= paths
        self._wanted.set()

    def rebuild_forever(self) -> None:
        while True:
            self._wanted.wait()
            self._wanted.clear()
            with self._changed_lock:
                changed, self._changed = self._changed, set()
            self.rebuild(changed)

    # --- live reload clients -------------------------------------------------------------

    def subscribe(self) -> queue.Queue[tuple[str, str]]:
        channel: queue.Queue[tuple[str, str]] = queue.Queue()
        with self._clients_lock:
            self._clients.append(channel)
        return channel

    def unsubscribe(self, channel: queue.Queue[tuple[str, str]]) -> None:
        with self._clients_lock:
            if channel in self._clients:
                self._clients.remove(channel)

    def _broadcast(self, event: str, data: str) -> None:
        with self._clients_lock:
            for channel in self._clients:
                channel.put((event, data))
