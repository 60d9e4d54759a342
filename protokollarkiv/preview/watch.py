"""Watching the archive and the templates: which file events matter, and when a burst of them is over."""

from __future__ import annotations

import threading
from collections.abc import Callable
from pathlib import PurePosixPath

from watchdog.events import FileSystemEvent, FileSystemEventHandler

# Saves that come together (an atomic save, a `git checkout`) make one rebuild; short, as it is
# part of every save-to-reload time.
DEBOUNCE_SECONDS = 0.05
# Editors' temporary files: vim (.swp, 4913, backup~), emacs (.#lock), atomic-save temps.
TEMP_SUFFIXES = (".swp", ".swx", ".swo", "~", ".tmp", ".part", ".crdownload", ".kate-swp")
TEMP_NAMES = ("4913",)


def is_temporary(path: str) -> bool:
    name = PurePosixPath(path.replace("\\", "/")).name
    return name.endswith(TEMP_SUFFIXES) or name.startswith((".#", "#")) or name in TEMP_NAMES


class Changes(FileSystemEventHandler):
    """Collects relevant file events; calls `fire` with their paths once a burst has been quiet a moment."""

    def __init__(self, fire: Callable[[set[str]], None]) -> None:
        self._fire = fire
        self._timer: threading.Timer | None = None
        self._lock = threading.Lock()
        self._paths: set[str] = set()

    def on_any_event(self, event: FileSystemEvent) -> None:
        if event.event_type in ("opened", "closed", "closed_no_write"):
            return
        if event.is_directory and event.event_type == "modified":
            return
        paths = [str(event.src_path)]
        if event.event_type == "moved":
            paths.append(str(event.dest_path))
        relevant = {path for path in paths if not is_temporary(path)}
        if not relevant:
            return
        with self._lock:
            self._paths |= relevant
            if self._timer is not None:
                self._timer.cancel()
            self._timer = threading.Timer(DEBOUNCE_SECONDS, self._quiet)
            self._timer.daemon = True
            self._timer.start()

    def _quiet(self) -> None:
        with self._lock:
            paths, self._paths = self._paths, set()
        self._fire(paths)
