"""Save-to-reload latency of the preview server: `python bench/preview_latency.py CONTENT [--edits N]`.

Starts `build.py serve` on CONTENT (a copy of it, so the archive is not touched), listens on the
live-reload stream, appends a sentence to one meeting file and measures the time from the save
to the first reload event (the edited page, shown before the rebuild) and to the end of the
rebuild (every page that shows the meeting updated), N times; prints each figure and what the
server says it did. Search re-indexing runs after the rebuild and is not part of either figure;
the next edit waits for it.

`PreviewServer` is the reusable part (bench/run.py uses it): it starts the server in a project
folder, and `edit(path, text)` appends text to a file and returns the save-to-reload seconds
(`rebuilt_seconds` then holds the save-to-rebuilt seconds).
"""

from __future__ import annotations

import argparse
import http.client
import queue
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable, Sequence
from pathlib import Path
from types import TracebackType

from protokollarkiv.preview.watch import DEBOUNCE_SECONDS

ROOT = Path(__file__).resolve().parents[1]
EVENTS_PATH = "/__protokollarkiv/events"
SEARCH_DONE = ("Search index refreshed", "warning: search index not refreshed")
REBUILD_DONE = ("Rebuilt", "Build failed", "error: rebuild failed")
WRITTEN = re.compile(r"(\d+) files written")


class PreviewServer:
    """`build.py serve --port 0` in `root`, with its output read and its reload events timed.

    `project` is the checkout whose build.py runs (this one by default).

    The process starts in the constructor (so its memory can be watched from the first moment);
    `wait_ready()` waits for the first build, the port and the first search index.
    """

    def __init__(
        self,
        root: Path,
        extra_args: Sequence[str] = (),
        *,
        project: Path = ROOT,
        echo: Callable[[str], None] | None = None,
        timeout: float = 600.0,
    ) -> None:
        self.root = root
        self.timeout = timeout
        self._echo = echo
        self.process = subprocess.Popen(
            [sys.executable, str(project / "build.py"), "serve", "--port", "0", *extra_args],
            cwd=root,
            stdin=subprocess.DEVNULL,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
        )
        self.port: int | None = None
        self.rebuilt: list[str] = []  # the server's "Rebuilt in … ms: …" and "Showed … in … ms" lines
        self.rebuilt_seconds = 0.0  # the last edit's save-to-rebuilt seconds
        self.output: list[str] = []
        self._searches = 0  # search index refreshes finished (or failed)
        self._rebuilds: list[int] = []  # files written by each rebuild after the first build
        self._rebuild_times: list[float] = []  # when each of those rebuilds was reported
        self._state = threading.Condition()
        self._events: queue.Queue[float] = queue.Queue()
        self._response: http.client.HTTPResponse | None = None
        threading.Thread(target=self._read_output, daemon=True).start()

    @property
    def pid(self) -> int:
        return self.process.pid

    def __enter__(self) -> PreviewServer:
        return self

    def __exit__(
        self, kind: type[BaseException] | None, value: BaseException | None, trace: TracebackType | None
    ) -> None:
        self.close()

    def _read_output(self) -> None:
        for raw in self.process.stdout or []:
            line = raw.rstrip()
            if self._echo is not None:
                self._echo(line)
            with self._state:
                self.output.append(line)
                if self.port is None and (match := re.search(r"http://127\.0\.0\.1:(\d+)/", line)):
                    self.port = int(match[1])
                if line.startswith(("Rebuilt", "Showed")):
                    self.rebuilt.append(line)
                if line.startswith(REBUILD_DONE):
                    written = WRITTEN.search(line) if line.startswith("Rebuilt") else None
                    self._rebuilds.append(int(written[1]) if written else 0)
                    self._rebuild_times.append(time.perf_counter())
                if line.startswith(SEARCH_DONE):
                    self._searches += 1
                self._state.notify_all()
        with self._state:
            self._state.notify_all()

    def _wait(self, ready: Callable[[], bool], what: str) -> None:
        with self._state:
            if not self._state.wait_for(lambda: ready() or self.process.poll() is not None, self.timeout):
                raise TimeoutError(f"preview server: no {what} within {self.timeout:.0f} s")
            if not ready():
                tail = "\n".join(self.output[-20:])
                raise RuntimeError(f"preview server exited ({self.process.returncode}):\n{tail}")

    def wait_ready(self) -> None:
        """Wait for the first build and search index, then subscribe to the reload events."""
        self._wait(lambda: self.port is not None, "port")
        self._wait(lambda: self._searches >= 1, "first search index")
        assert self.port is not None
        connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=self.timeout)
        connection.request("GET", EVENTS_PATH)
        self._response = connection.getresponse()
        threading.Thread(target=self._listen, daemon=True).start()
        time.sleep(1.0)  # let the watcher settle

    def _listen(self) -> None:
        assert self._response is not None
        try:
            for raw in self._response:
                if raw.startswith(b"event: reload"):
                    self._events.put(time.perf_counter())
        except (OSError, http.client.HTTPException):
            pass

    def edit(self, path: Path, addition: str) -> float:
        """Append `addition` to `path`; seconds from the save to the reload event.

        Waits afterwards until the server has finished the rebuild and, when it wrote files, has
        refreshed its search index (it does not re-index an unchanged site), so edits do not overlap.
        """
        with self._state:
            searches, rebuilds = self._searches, len(self._rebuilds)
        while not self._events.empty():
            self._events.get_nowait()
        text = path.read_text(encoding="utf-8")
        saved = time.perf_counter()
        path.write_text(text + addition, encoding="utf-8")
        try:
            reloaded = self._events.get(timeout=self.timeout)
        except queue.Empty:
            raise TimeoutError(f"preview server: no reload within {self.timeout:.0f} s") from None
        self._wait(lambda: len(self._rebuilds) > rebuilds, "rebuild report after the reload")
        self.rebuilt_seconds = self._rebuild_times[rebuilds] - saved
        if self._rebuilds[rebuilds] > 0:
            self._wait(lambda: self._searches > searches, "search refresh after the edit")
        time.sleep(0.2)
        return reloaded - saved

    def close(self) -> None:
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("content", type=Path)
    parser.add_argument("--edits", type=int, default=5)
    args = parser.parse_args()

    with tempfile.TemporaryDirectory() as folder:
        work = Path(folder)
        shutil.copytree(args.content, work / "content")
        shutil.copytree(ROOT / "templates", work / "templates")
        meeting = sorted((work / "content/networks").rglob("*.md"))[len(args.content.parts) % 7]
        figures: list[float] = []
        rebuilt: list[float] = []
        with PreviewServer(work, echo=lambda line: print(line, file=sys.stderr)) as server:
            server.wait_ready()
            for number in range(args.edits):
                figures.append(server.edit(meeting, f"\nTillägg nummer {number}.\n") * 1000)
                rebuilt.append(server.rebuilt_seconds * 1000)
                print(
                    f"edit {number + 1}: {figures[-1]:.0f} ms save-to-reload, "
                    f"{rebuilt[-1]:.0f} ms save-to-rebuilt"
                )
    for name, values in (("save-to-reload", figures), ("save-to-rebuilt", rebuilt)):
        print(
            f"{name}: median {statistics.median(values):.0f} ms (min {min(values):.0f}, "
            f"max {max(values):.0f}); includes the {DEBOUNCE_SECONDS * 1000:.0f} ms debounce"
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
