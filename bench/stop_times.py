"""How fast Ctrl-C stops the preview server: `python bench/stop_times.py [--tries 10] [--meetings 300]`.

Generates an archive, then per try: starts `build.py serve --jobs 2` on a copy, waits for its
first search index, keeps editing (a meeting every 0.4 s, a template every 3 s: rebuilds with
render workers, search refreshes with Pagefind) and sends SIGINT to the server's process group,
as a terminal's Ctrl-C does, at a random moment; prints the time to the server's exit, what was
running at that moment, and whether any process it started survived it.
"""

from __future__ import annotations

import argparse
import contextlib
import os
import random
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

from protokollarkiv.preview.stop import descendants

ROOT = Path(__file__).resolve().parents[1]


def names(pids: list[int]) -> list[str]:
    found = []
    for pid in pids:
        with contextlib.suppress(OSError):
            found.append(Path(f"/proc/{pid}/comm").read_text().strip())
    return found


def survivors(root: Path) -> list[int]:
    """Living processes working in `root` (the server's children inherit its working folder)."""
    left = []
    for entry in os.scandir("/proc"):
        if entry.name.isdigit():
            try:
                if Path(os.readlink(f"/proc/{entry.name}/cwd")) == root.resolve():
                    state = Path(f"/proc/{entry.name}/stat").read_text().rsplit(")", 1)[1].split()[0]
                    if state != "Z":
                        left.append(int(entry.name))
            except OSError:
                continue
    return left


def one_try(archive: Path, work: Path, moment: float) -> tuple[float, int, list[str], list[int], bool]:
    root = work / "project"
    shutil.rmtree(root, ignore_errors=True)
    shutil.copytree(archive, root)
    process = subprocess.Popen(
        [sys.executable, str(ROOT / "build.py"), "serve", "--port", "0", "--jobs", "2"],
        cwd=root,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        start_new_session=True,
    )
    output: list[str] = []
    ready = threading.Event()

    def pump() -> None:
        assert process.stdout is not None
        for line in process.stdout:
            output.append(line)
            if line.startswith("Search index refreshed"):
                ready.set()

    threading.Thread(target=pump, daemon=True).start()
    if not ready.wait(600):
        process.kill()
        raise SystemExit(f"the server did not get ready: {''.join(output)}")
    meeting = sorted((root / "content/networks").rglob("*.md"))[0]
    template = root / "templates/base.html"
    stop = threading.Event()

    def edit() -> None:
        count = 0
        while not stop.is_set():
            count += 1
            meeting.write_text(
                meeting.read_text(encoding="utf-8") + f"\nTillägg {count}.\n", encoding="utf-8"
            )
            if count % 8 == 0:
                template.write_text(
                    template.read_text(encoding="utf-8") + f"{{# {count} #}}\n", encoding="utf-8"
                )
            stop.wait(0.4)

    editor = threading.Thread(target=edit)
    editor.start()
    time.sleep(moment)
    running = names(descendants(process.pid))
    sent = time.monotonic()
    os.killpg(process.pid, signal.SIGINT)
    status = process.wait(timeout=120)
    seconds = time.monotonic() - sent
    stop.set()
    editor.join()
    deadline = time.monotonic() + 5
    while (left := survivors(root)) and time.monotonic() < deadline:
        time.sleep(0.05)
    traceback = any("Traceback" in line for line in output)
    return seconds, status, running, left, traceback


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--tries", type=int, default=10)
    parser.add_argument("--meetings", type=int, default=300)
    parser.add_argument("--seed", type=int, default=18)
    args = parser.parse_args()
    chance = random.Random(args.seed)
    with tempfile.TemporaryDirectory(prefix="stop-times-") as folder:
        work = Path(folder)
        archive = work / "archive"
        generate = [sys.executable, str(ROOT / "bench/generate.py"), str(archive / "content")]
        subprocess.run([*generate, "--meetings", str(args.meetings)], check=True, capture_output=True)
        shutil.copytree(ROOT / "templates", archive / "templates")
        times = []
        for number in range(1, args.tries + 1):
            moment = chance.uniform(0.0, 8.0)
            seconds, status, running, left, traceback = one_try(archive, work, moment)
            times.append(seconds)
            print(
                f"try {number}: SIGINT {moment:.2f} s after ready; running {running or 'nothing'}; "
                f"exit {status} after {seconds:.3f} s; left {left or 'none'}; traceback {traceback}",
                flush=True,
            )
        print(
            f"{args.tries} tries: median {statistics.median(times):.3f} s, max {max(times):.3f} s, "
            f"min {min(times):.3f} s"
        )


if __name__ == "__main__":
    main()
