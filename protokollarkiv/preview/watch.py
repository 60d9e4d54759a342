"""Watching the archive and the templates: which file events matter, when a burst of them is over,
and watching a folder again when it is deleted, re-created or renamed away and back."""

from __future__ import annotations

import contextlib
import os
import threading
from collections.abc import Callable, Iterable
from pathlib import Path, PurePosixPath

from watchdog.events import FileSystemEvent, FileSystemEventHandler
from watchdog.observers import Observer
from watchdog.observers.api import BaseObserver, ObservedWatch

# Saves that come together (an atomic save, a `git checkout`) make one rebuild; short, as it is
# part of every save-to-reload time.
DEBOUNCE_SECONDS = 0.05
# Editors' temporary files: vim (.swp, 4913, backup~), emacs (.#lock), atomic-save temps.
TEMP_SUFFIXES = (".swp", ".swx", ".swo", "~", ".tmp", ".part", ".crdownload", ".kate-swp")
TEMP_NAMES = ("4913",)


def is_temporary(path: str) -> bool:
    name = PurePosixPath(path.replace("\\", "/")).name
    return name.endswith(TEMP_SUFFIXES) or name.startswith((".#", "#")) or name in TEMP_NAMES


def _paths(event: FileSystemEvent) -> list[str]:
    paths = [os.fsdecode(event.src_path)]
    if event.event_type == "moved":
        paths.append(os.fsdecode(event.dest_path))
    return paths


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
        self.add({path for path in _paths(event) if not is_temporary(path)})

    def add(self, paths: set[str]) -> None:
        """Paths that changed: fire once no more have come for a moment."""
        if not paths:
            return
        with self._lock:
            self._paths |= paths
            if self._timer is not None:
                self._timer.cancel()
            self._timer = threading.Timer(DEBOUNCE_SECONDS, self._quiet)
            self._timer.daemon = True
            self._timer.start()

    def _quiet(self) -> None:
        with self._lock:
            paths, self._paths = self._paths, set()
        self._fire(paths)


class _Parent(FileSystemEventHandler):
    """Events in the folder that holds watched folders: only those naming a watched folder count."""

    def __init__(self, watcher: Watcher) -> None:
        self._watcher = watcher

    def on_any_event(self, event: FileSystemEvent) -> None:
        if event.event_type in ("created", "deleted", "moved"):
            self._watcher.parent_changed(_paths(event))


class Watcher:
    """Watches folders recursively for `changes`, and their parent folders for the folders themselves.

    Watchdog stops watching a folder that is deleted (inotify drops the watch) and keeps watching a
    renamed folder under its new name, so a folder deleted and re-created, or renamed away and back,
    would never be watched again. The parent's watch sees it go and come back: its own watch is then
    made anew, and a rebuild asked for (the folder's files were not watched in between).
    """

    def __init__(self, folders: Iterable[Path], changes: Changes) -> None:
        self._folders = [Path(os.path.abspath(folder)) for folder in folders]
        self._changes = changes
        self._observer: BaseObserver = Observer()
        self._observer.daemon = True
        self._watches: dict[Path, ObservedWatch] = {}
        self._lock = threading.Lock()

    def start(self) -> None:
        parent = _Parent(self)
        for folder in sorted({folder.parent for folder in self._folders}):
            if folder.is_dir():
                self._observer.schedule(parent, str(folder), recursive=False)
        for folder in self._folders:
            self._rewatch(folder)
        self._observer.start()

    def stop(self, timeout: float = 1.0) -> None:
        self._observer.stop()
        self._observer.join(timeout)

    def parent_changed(self, paths: list[str]) -> None:
        touched = {Path(path) for path in paths} & set(self._folders)
        for folder in touched:
            self._rewatch(folder)
        self._changes.add({str(folder) for folder in touched})

    def _rewatch(self, folder: Path) -> None:
        """Watch `folder` as it is now: drop the watch on what it was, watch it if it is a folder.

        (Watchdog keeps a stopped watch under the folder's path, and would not start a new one.)"""
        with self._lock:
            old = self._watches.pop(folder, None)
            if old is not None:
                with contextlib.suppress(KeyError, OSError):
                    self._observer.unschedule(old)
            if folder.is_dir():
                with contextlib.suppress(OSError):  # gone again: the parent's watch sees it come back
                    watch = self._observer.schedule(self._changes, str(folder), recursive=True)
                    self._watches[folder] = watch
