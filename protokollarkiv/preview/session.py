"""The preview session: one queue of rebuilds for the watcher and the server, live-reload news for
the open pages, and the search index refreshed beside it.

Every build runs on the session's one build thread, in the order asked for; saves that arrive
while a build runs are joined into the next one. Between builds, while nothing waits, the same
thread prepares for the next edit (fills the fragments, settles memory). The search index, which
takes much longer than a rebuild, is refreshed on a thread of its own, latest build first.
"""

from __future__ import annotations

import json
import queue
import sys
import threading
import time
from collections.abc import Callable
from concurrent.futures import Future
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from ..build.builder import Builder, BuildResult, Project
from ..diagnostics import Diagnostic, InternalError
from ..output import OutputError
from ..search import SearchStats
from ..speed.switch import Speedups
from . import quick
from .fault import Fault, internal_error
from .overlay import Problems, problems, site_language

FULL_SETTLE_EVERY = 20  # see Preview._prepare


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


@dataclass
class _Job:
    """Work for the build thread: a rebuild (with the paths that changed, if known), saving the
    state, or settling memory; `done` gets its outcome."""

    kind: str  # "rebuild", "save" or "settle"
    paths: set[str] | None = None
    done: Future[BuildResult | None] = field(default_factory=Future)
    saved: bool = False  # a save that was done


class _SearchRefresh:
    """The search index refreshed on a thread of its own: only the latest build's wish counts."""

    def __init__(self, builder: Builder, indexed: Callable[[], None], stopping: threading.Event) -> None:
        self.builder = builder
        self._indexed = indexed  # called after an index is written: its many objects want settling
        self._stopping = stopping  # set when the server stops: Pagefind's end is no news
        self._changed = threading.Condition()
        self._wanted: BuildResult | None = None
        self._running = False
        self._thread: threading.Thread | None = None

    def want(self, result: BuildResult) -> None:
        with self._changed:
            self._wanted = result
            if self._thread is None:
                self._thread = threading.Thread(target=self._serve, daemon=True, name="search")
                self._thread.start()
            self._changed.notify_all()

    def wait_idle(self, timeout: float) -> bool:
        with self._changed:
            return self._changed.wait_for(lambda: self._wanted is None and not self._running, timeout)

    def current(self) -> bool:
        """The index describes the written site: no refresh is wanted or running, none failed."""
        with self._changed:
            return self._wanted is None and not self._running and not self.builder.search_stale

    def _serve(self) -> None:
        while True:
            with self._changed:
                self._changed.wait_for(lambda: self._wanted is not None)
                result, self._wanted, self._running = self._wanted, None, True
            assert result is not None
            try:
                found = self._refresh(result)
                if found is not None:
                    print(f"Search index refreshed in {found.seconds:.2f} s", flush=True)
                    self._indexed()
            finally:
                with self._changed:
                    self._running = False
                    self._changed.notify_all()

    def _refresh(self, result: BuildResult) -> SearchStats | None:
        try:
            return self.builder.refresh_search(result)
        except Exception as exc:
            self.builder.search_stale = True  # the next rebuild indexes, even writing nothing
            if not self._stopping.is_set():  # else Pagefind was ended by the stop
                print(f"warning: search index not refreshed: {exc}", file=sys.stderr, flush=True)
            return None


class Preview:
    """Build state shared by the watcher, the build thread and the request handlers."""

    def __init__(
        self,
        project: Project,
        *,
        include_drafts: bool,
        root: Path,
        jobs: int = 1,
        speedups: Speedups | None = None,
        debug: bool = False,
        today: date | None = None,
    ) -> None:
        self.project = project
        self.root = root
        self.speedups = speedups or Speedups()
        self.debug = debug  # print tracebacks of internal errors
        # The build state is saved once, at exit (see `save_state`), not after every save of a file.
        self.builder = Builder(
            project,
            include_drafts=include_drafts,
            fingerprint=False,
            jobs=jobs,
            autosave=False,
            speedups=self.speedups,
            today=today,
        )
        self.version = 0  # completed rebuilds
        self.problems = Problems()  # the last build's errors and warnings, as the overlay shows them
        self.internal: Fault | None = None  # the last rebuild failed with a bug
        self._stopping = threading.Event()
        self._jobs: queue.Queue[_Job] = queue.Queue()
        self._thread: threading.Thread | None = None
        self._start_lock = threading.Lock()
        self._clients: list[queue.Queue[tuple[str, str]]] = []
        self._clients_lock = threading.Lock()
        self._search = _SearchRefresh(self.builder, self._indexed, self._stopping)
        self._settle_due = False  # a build or an index made many objects since the last settle
        self._last_printed: list[str] = []
        self._settles = 0
        self._prepare_warm = False  # the last build rendered in workers: fill the fragments

    @property
    def errors(self) -> list[Diagnostic]:
        return list(self.problems.errors)

    @property
    def warnings(self) -> list[Diagnostic]:
        return list(self.problems.warnings)

    # --- the build thread --------------------------------------------------------------------

    def _indexed(self) -> None:
        """A search index was written (on its own thread): settle its objects between builds."""
        self._submit(_Job("settle"))

    def _submit(self, job: _Job) -> _Job:
        with self._start_lock:
            if self._thread is None:
                self._thread = threading.Thread(target=self._serve, daemon=True, name="build")
                self._thread.start()
        self._jobs.put(job)
        return job

    def rebuild(self, changed: set[str] | None = None) -> BuildResult | None:
        """Rebuild and wait for it; with the paths that `changed`, first show edited meetings at
        once (`quick`)."""
        return self._submit(_Job("rebuild", changed)).done.result()

    def want_rebuild(self, paths: set[str]) -> None:
        """A rebuild for these changed paths, without waiting (the watcher's call)."""
        self._submit(_Job("rebuild", set(paths)))

    def save_state(self, timeout: float = 5) -> bool:
        """Save the build state for the next process, unless the build thread stays busy or the
        search index is not current (a state on disk says the site needs nothing, the index
        included); whether it was saved."""
        job = self._submit(_Job("save"))
        try:
            job.done.result(timeout=timeout)
        except TimeoutError:
            print("warning: the build state was not saved (a rebuild was running)", file=sys.stderr)
            return False
        except Exception:  # reported on the build thread
            return False
        if not job.saved:
            print("warning: the build state was not saved (the search index is not current)", file=sys.stderr)
        return job.saved

    def busy(self) -> bool:
        """The build thread is at work (a rebuild, or the preparation after one)."""
        return self._jobs.unfinished_tasks > 0

    def stop(self) -> None:
        """The server stops: start no more work, and say nothing of work cut short."""
        self._stopping.set()

    def wait_idle(self, timeout: float = 60) -> None:
        """Wait until every build asked for, the work after it and the search refresh are done."""
        deadline = time.monotonic() + timeout
        self._jobs.join()
        if not self._search.wait_idle(max(0.0, deadline - time.monotonic())):
            raise TimeoutError("the search refresh did not end")
        self._jobs.join()  # the settle that an index asks for

    def _serve(self) -> None:
        while True:
            jobs = [self._jobs.get()]
            while not self._jobs.empty():
                jobs.append(self._jobs.get_nowait())  # saves made during the last build: one rebuild
            try:
                self._run(jobs)
                if not self._stopping.is_set():
                    self._prepare()
            except Exception as exc:
                for job in jobs:
                    if not job.done.done():
                        job.done.set_exception(exc)
                if not self._stopping.is_set():  # a bug outside a rebuild: keep the thread alive
                    self._report_internal(exc, "while preparing for the next edit")
            finally:
                for _ in jobs:
                    self._jobs.task_done()

    def _run(self, jobs: list[_Job]) -> None:
        rebuilds = [job for job in jobs if job.kind == "rebuild"]
        if rebuilds and self._stopping.is_set():
            for job in rebuilds:
                job.done.cancel()
        elif rebuilds:
            known = [job.paths for job in rebuilds if job.paths is not None]
            changed: set[str] | None = set[str]().union(*known) if known else None
            result = self._rebuild(changed)
            for job in rebuilds:
                job.done.set_result(result)
        for job in jobs:
            if job.kind == "save" and self._search.current():
                self.builder.save_state()
                job.saved = True
            self._settle_due |= job.kind == "settle"
            if job.kind != "rebuild":
                job.done.set_result(None)

    def _rebuild(self, changed: set[str] | None) -> BuildResult | None:
        quick = self.version and not self.problems.errors and self.internal is None
        shown = self._show_edited(changed) if changed and quick else 0
        return self._build(shown)

    def _show_edited(self, changed: set[str]) -> int:
        """Write and reload an edited meeting's own pages ahead of the rebuild; how many were written."""
        start = time.perf_counter()
        try:
            urls = show_edit(self.builder, changed)
        except InternalError:  # a bug in parsing or rendering: the full rebuild meets and reports it
            return 0
        except Exception as exc:  # a bug of the shortcut's own: the full rebuild still runs
            print(f"warning: could not show the edit before rebuilding: {exc}", file=sys.stderr, flush=True)
            return 0
        if not urls:
            return 0
        self._broadcast("reload", json.dumps({"version": self.version, "urls": urls}))
        seconds = time.perf_counter() - start
        print(f"Showed {', '.join(urls)} in {seconds * 1000:.0f} ms; rebuilding the rest", flush=True)
        return len(urls)

    def _build(self, shown: int = 0) -> BuildResult | None:
        """The full rebuild; `shown` pages were written just before it (`_show_edited`)."""
        start = time.perf_counter()
        before = self.problems
        try:
            result = self.builder.build()
        except OutputError as exc:  # the output folder cannot be used: the author's to fix
            print(f"error: rebuild failed: {exc}", file=sys.stderr, flush=True)
            self._failed(None)
            return None
        except Exception as exc:  # a bug: report it, keep serving the last good site
            if self._stopping.is_set():
                return None  # its workers were ended by the stop
            self._failed(self._report_internal(exc, "while rebuilding"))
            return None
        # At once: the new pages are already being served.
        self.problems = problems(result.diagnostics, site_language(self.project.content))
        self.internal = None
        seconds = time.perf_counter() - start
        lines = result.diagnostics.format(self.root)
        if lines != self._last_printed:
            for line in lines:
                print(line, file=sys.stderr, flush=True)
            self._last_printed = lines
        self.version += 1
        if not result.ok:
            print(
                f"Build failed ({result.diagnostics.summary()}); still serving the last good site "
                f"(build {self.version})",
                flush=True,
            )
            self._broadcast("reload", json.dumps({"version": self.version}))
            return result
        written = (result.stats.written if result.stats else 0) + shown
        print(
            f"{'Rebuilt' if self.version > 1 else 'Built'} in {seconds * 1000:.0f} ms: "
            f"{len(result.rendered)} pages rendered, {written} files written (build {self.version})",
            flush=True,
        )
        news: dict[str, object] = {"version": self.version}
        # Else every open page reloads: to lose the errors, or to show the new warnings.
        same = (before.errors, before.warnings) == ((), self.problems.warnings)
        if result.changed_urls is not None and same:
            news["urls"] = result.changed_urls
        self._broadcast("css" if result.static_only else "reload", json.dumps(news))
        self._search.want(result)
        self._prepare_warm = "render" in result.parallel
        self._settle_due = True  # the build itself made many objects
        return result

    def _failed(self, internal: Fault | None) -> None:
        """A rebuild ended in an exception: every open page reloads, to show it (or not)."""
        self.internal = internal
        self.version += 1
        self._broadcast("reload", json.dumps({"version": self.version}))

    def _report_internal(self, exc: Exception, doing: str) -> Fault:
        """One console line about a bug (its traceback too with `debug`)."""
        found = internal_error(exc, (self.project.content, self.project.templates))
        if self.debug:
            print(found.details, end="", file=sys.stderr, flush=True)
        print(found.line(self.root, self.debug, doing), file=sys.stderr, flush=True)
        return found

    def _prepare(self) -> None:
        """Get ready for the next edit, while nothing waits; stop as soon as a build is asked for.

        After a build that rendered in workers, fill this process's fragments, so the first edit is
        as quick as the ones after it. Then collect garbage and freeze the rest, so no rebuild
        pauses to scan the whole model. Only every FULL_SETTLE_EVERY-th time (the first included)
        are the frozen objects scanned again and replaced meetings' kept pieces dropped: that takes
        ~0.8 s at 10,000 meetings, and a save in that time waits for it.
        """
        last = self.builder.last
        if self._prepare_warm and last is not None and self._jobs.empty():
            start = time.perf_counter()
            pages = quick.warm(last, stop=lambda: not self._jobs.empty())
            self._prepare_warm = not self._jobs.empty()  # interrupted: again next time
            seconds = time.perf_counter() - start
            print(f"Prepared {pages} listing pages for quick rebuilds in {seconds:.1f} s", flush=True)
        if self._settle_due and self._jobs.empty():
            self._settle_due = False
            full = self._settles % FULL_SETTLE_EVERY == 0
            if full:
                self.builder.tidy()
            self.speedups.settle(full)
            self._settles += 1

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
