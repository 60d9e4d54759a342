"""Run a command and measure it: wall-clock seconds and the peak memory of its whole process tree.

Memory is the proportional set size (PSS, /proc/<pid>/smaps_rollup): a page shared by n processes
counts 1/n in each. Forked workers share the parent's pages copy-on-write, so summing their RSS
would count those pages once per worker; the PSS sum counts them once.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import threading
import time
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from types import TracebackType

MIB = 1024 * 1024


def progress(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


# --- peak memory ---------------------------------------------------------------------------


def _children_map() -> dict[int, list[int]]:
    """Parent pid -> child pids, from every /proc/<pid>/stat."""
    children: dict[int, list[int]] = {}
    for entry in os.scandir("/proc"):
        if not entry.name.isdigit():
            continue
        try:
            with open(f"/proc/{entry.name}/stat", "rb") as file:
                stat = file.read()
        except OSError:
            continue
        # The command name (field 2) may hold spaces and parentheses; the parent pid follows it.
        parent = int(stat[stat.rindex(b")") + 2 :].split()[1])
        children.setdefault(parent, []).append(int(entry.name))
    return children


def _memory_bytes(pid: int) -> int:
    """The process's PSS (its VmRSS where the kernel has no smaps_rollup); 0 once it is gone."""
    for name, key in (("smaps_rollup", b"Pss:"), ("status", b"VmRSS:")):
        try:
            with open(f"/proc/{pid}/{name}", "rb") as file:
                for line in file:
                    if line.startswith(key):
                        return int(line.split()[1]) * 1024
        except FileNotFoundError:
            continue  # no smaps_rollup: try status
        except (OSError, ValueError):
            return 0  # gone, or not ours to read
    return 0  # a zombie has neither line


class PeakMemory:
    """Polls the summed PSS of a process and all its descendants; `peak` is the largest sum seen.

    Reading a process's smaps_rollup walks its page tables (about 40 ms per GiB) under its memory
    lock, so polling every few milliseconds would slow the build it measures. The first polls come
    quickly (a short command is still seen), then the interval doubles up to `slowest` seconds.
    The process tree is re-read from /proc at every poll.
    """

    def __init__(self, pid: int, first: float = 0.02, slowest: float = 1.0) -> None:
        self.pid = pid
        self.first = first
        self.slowest = slowest
        self.peak = 0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._poll, daemon=True)

    def __enter__(self) -> PeakMemory:
        self._thread.start()
        return self

    def __exit__(
        self, kind: type[BaseException] | None, value: BaseException | None, trace: TracebackType | None
    ) -> None:
        self._stop.set()
        self._thread.join()

    @property
    def peak_mib(self) -> float:
        return self.peak / MIB

    def _tree(self) -> list[int]:
        children = _children_map()
        tree, pending = [], [self.pid]
        while pending:
            pid = pending.pop()
            tree.append(pid)
            pending.extend(children.get(pid, ()))
        return tree

    def _poll(self) -> None:
        interval = self.first
        while True:
            self.peak = max(self.peak, sum(_memory_bytes(pid) for pid in self._tree()))
            if self._stop.wait(interval):
                return
            interval = min(interval * 2, self.slowest)


# --- running commands ----------------------------------------------------------------------


@dataclass(frozen=True)
class Run:
    seconds: float
    peak_mib: float
    stdout: str
    stderr: str


def measure(command: Sequence[str | Path], cwd: Path) -> Run:
    """Run `command` to completion; wall-clock seconds and the peak PSS of its process tree."""
    start = time.perf_counter()
    process = subprocess.Popen(
        [str(part) for part in command],
        cwd=cwd,
        stdin=subprocess.DEVNULL,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    with PeakMemory(process.pid) as peak:
        stdout, stderr = process.communicate()
    seconds = time.perf_counter() - start
    if process.returncode != 0:
        shown = " ".join(str(part) for part in command)
        raise RuntimeError(f"{shown} exited with {process.returncode}:\n{stdout}{stderr}")
    return Run(seconds, peak.peak_mib, stdout, stderr)


def remove(path: Path) -> None:
    if path.is_dir() and not path.is_symlink():
        shutil.rmtree(path)
    elif path.exists() or path.is_symlink():
        path.unlink()
