"""Save-to-reload latency of the preview server: `python bench/preview_latency.py CONTENT [--edits N]`.

Starts `build.py serve` on CONTENT (a copy of it, so the archive is not touched), listens on the
live-reload stream, appends a sentence to one meeting file and measures the time from the save
to the reload event, N times; prints each figure and what the server says it re-rendered.
Search re-indexing runs after the reload and is not part of the figure.
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
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


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
        server = subprocess.Popen(
            [sys.executable, str(ROOT / "build.py"), "serve", "--port", "0"],
            cwd=work,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
        )
        lines: queue.Queue[str] = queue.Queue()
        threading.Thread(
            target=lambda: [lines.put(line.rstrip()) for line in server.stdout or []], daemon=True
        ).start()
        port = None
        while port is None:
            line = lines.get(timeout=600)
            print(line, file=sys.stderr)
            if match := re.search(r"http://127\.0\.0\.1:(\d+)/", line):
                port = int(match[1])
        events: queue.Queue[float] = queue.Queue()
        connection = http.client.HTTPConnection("127.0.0.1", port, timeout=600)
        connection.request("GET", "/__protokollarkiv/events")
        response = connection.getresponse()

        def listen() -> None:
            for raw in response:
                if raw.startswith(b"event: reload"):
                    events.put(time.perf_counter())

        threading.Thread(target=listen, daemon=True).start()
        time.sleep(1.0)
        figures = []
        for number in range(args.edits):
            text = meeting.read_text(encoding="utf-8")
            saved = time.perf_counter()
            meeting.write_text(text + f"\nTillägg nummer {number}.\n", encoding="utf-8")
            reloaded = events.get(timeout=600)
            figures.append((reloaded - saved) * 1000)
            time.sleep(0.5)
            while not lines.empty():
                line = lines.get()
                if line.startswith("Rebuilt"):
                    print(f"  {line}", file=sys.stderr)
            print(f"edit {number + 1}: {figures[-1]:.0f} ms save-to-reload")
        server.terminate()
        server.wait(timeout=30)
    print(
        f"median {statistics.median(figures):.0f} ms (min {min(figures):.0f}, max {max(figures):.0f}); "
        f"includes the {150} ms debounce"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
