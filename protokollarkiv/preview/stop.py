"""Stopping the preview server at once: Ctrl-C and SIGTERM, the child processes, the exit.

A stop must not wait for the work in hand: a rebuild can take seconds, the search index longer.
So the server ends its children itself (forked render and parse workers, Pagefind) and leaves
with `os._exit`, as `speed.memory.leave` does, instead of the interpreter's normal exit, which
waits for threads, joins worker pools and frees the whole model object by object. What is on disk
stays consistent without waiting: every file the build writes (pages, cache shards, the saved
state) is written beside its place and moved in with one rename, and the saved state is dropped
before a build changes the site, so a build cut short is redone by the next one.
"""

from __future__ import annotations

import contextlib
import ctypes
import os
import signal
import sys
import threading
import time
from types import FrameType
from typing import Any, NoReturn

SIGNALS = (signal.SIGINT, signal.SIGTERM)
_PR_SET_PDEATHSIG = 1  # linux/prctl.h
# Set once this process stops: a worker forked after that (the build thread does not wait for the
# stop) leaves at once. Process-wide, as signal dispositions are.
_STOPPING = threading.Event()


class Stopped(KeyboardInterrupt):
    """Ctrl-C (SIGINT) or SIGTERM arrived: the server stops."""

    def __init__(self, signum: int) -> None:
        super().__init__(signal.Signals(signum).name)
        self.signum = signum


def _raise(signum: int, frame: FrameType | None) -> None:
    raise Stopped(signum)


def _before_fork() -> None:
    """No SIGINT or SIGTERM reaches the forking thread, nor the child, until the child has set
    its own dispositions (the child inherits the mask): one arriving in between would run the
    server's handler in the child and print a traceback from it."""
    signal.pthread_sigmask(signal.SIG_BLOCK, SIGNALS)


def _after_fork_in_parent() -> None:
    signal.pthread_sigmask(signal.SIG_UNBLOCK, SIGNALS)


def _in_child() -> None:
    """In a process forked by the server (a worker): Ctrl-C in a terminal reaches the whole process
    group, but stopping the workers is the server's job (a worker's traceback would only be noise);
    SIGTERM, which the server and multiprocessing use to end a worker, ends it; and the worker dies
    with the server, should the server be killed outright."""
    if _STOPPING.is_set():
        os._exit(0)
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.signal(signal.SIGTERM, signal.SIG_DFL)
    if _prctl is not None:
        _prctl(_PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0)
    signal.pthread_sigmask(signal.SIG_UNBLOCK, SIGNALS)


# prctl, looked up before any fork: loading a library in the child of a threaded process can hang.
_prctl: Any = None


def catch_signals() -> None:
    """SIGINT and SIGTERM raise `Stopped` in the main thread; forked workers leave them to the server.

    Call once, from the main thread of the server's process."""
    global _prctl
    if sys.platform == "linux":
        with contextlib.suppress(OSError, AttributeError):
            _prctl = ctypes.CDLL(None, use_errno=True).prctl
    for signum in SIGNALS:
        signal.signal(signum, _raise)
    os.register_at_fork(before=_before_fork, after_in_parent=_after_fork_in_parent, after_in_child=_in_child)


def stopping() -> None:
    """The server stops: a second Ctrl-C changes nothing (the stop takes well under 2 s), and a
    worker forked from now on leaves at once."""
    _STOPPING.set()
    for signum in SIGNALS:
        signal.signal(signum, signal.SIG_IGN)


def descendants(pid: int) -> list[int]:
    """Every living process below `pid` (children, their children, …), from /proc; [] without it."""
    parents: dict[int, int] = {}
    with contextlib.suppress(OSError):
        for entry in os.scandir("/proc"):
            if not entry.name.isdigit():
                continue
            try:
                with open(f"/proc/{entry.name}/stat", "rb") as stat:
                    fields = stat.read().rsplit(b")", 1)[1].split()
            except OSError:
                continue  # gone meanwhile
            if fields[0] != b"Z":  # a zombie is already dead
                parents[int(entry.name)] = int(fields[1])
    found: list[int] = []
    frontier = {pid}
    while frontier:
        frontier = {child for child, parent in parents.items() if parent in frontier}
        found += sorted(frontier)
    return found


def _reap() -> None:
    """Collect the exit status of our children that ended, so none is left a zombie."""
    with contextlib.suppress(ChildProcessError, OSError):
        while os.waitpid(-1, os.WNOHANG)[0] > 0:
            pass


def end_children(grace: float = 0.5) -> list[int]:
    """End every process below this one: SIGTERM, then SIGKILL after `grace` seconds; the pids ended.

    Workers may still be forked while this runs (the build thread does not wait for the stop), so
    it looks again until a look finds none."""
    ended: list[int] = []
    deadline = time.monotonic() + grace
    kill = signal.SIGTERM
    while children := descendants(os.getpid()):
        if time.monotonic() >= deadline + 1:
            break  # SIGKILL did not end it (stuck in the kernel): nothing more to do from here
        if time.monotonic() >= deadline:
            kill = signal.SIGKILL
        for pid in children:
            with contextlib.suppress(OSError):
                os.kill(pid, kill)
            if pid not in ended:
                ended.append(pid)
        time.sleep(0.02)
        _reap()
    _reap()
    return ended


def leave(status: int) -> NoReturn:
    """End the process now, with `status`, its output flushed."""
    for stream in (sys.stdout, sys.stderr):
        with contextlib.suppress(Exception):
            stream.flush()
    os._exit(status)
