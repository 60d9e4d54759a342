"""Staged output: changed files go to a staging folder and are swapped into the site only on success."""

from __future__ import annotations

import contextlib
import os
import shutil
from dataclasses import dataclass
from pathlib import Path

# Folders in the site that another stage owns (the search index); never removed as stale.
INDEX_DIR = "pagefind"  # the search index's folder, written by `search`
KEPT_PREFIXES = (f"{INDEX_DIR}/",)
# A file that every build writes; its presence marks a folder as ours to prune.
MARKER = "sitemap.xml"


class OutputError(Exception):
    """The output folder cannot be written safely."""


@dataclass
class WriteStats:
    written: int = 0
    unchanged: int = 0
    removed: int = 0

    @property
    def total(self) -> int:
        return self.written + self.unchanged


def _holds(live: Path, data: bytes) -> bool:
    """Whether the file `live` has exactly these bytes (False when it is missing)."""
    try:
        return live.stat().st_size == len(data) and live.read_bytes() == data
    except OSError:
        return False


def stage_file(site_dir: Path, staging: Path, relative: str, data: bytes) -> bool:
    """Write `data` to the staging folder unless the live site has these bytes already; True if staged."""
    if _holds(site_dir / relative, data):
        return False
    target = staging / relative
    try:
        target.write_bytes(data)
    except FileNotFoundError:
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(data)
    return True


def replace_file(site_dir: Path, relative: str, data: bytes) -> bool:
    """Put `data` into the live site at once (an atomic replace) unless it is there already; True if written.

    For the preview server's shortcut (`quick`); builds go through `StagedOutput`.
    """
    live = site_dir / relative
    if _holds(live, data):
        return False
    temporary = live.with_name(f".{live.name}.{os.getpid()}.new")
    temporary.write_bytes(data)
    os.replace(temporary, live)
    return True


class StagedOutput:
    """Compare each output with the live site; stage only what differs; swap in at commit.

    A build that fails before `commit` leaves the live site byte for byte as it was, and a
    build that changes nothing writes nothing.
    """

    def __init__(self, site_dir: Path) -> None:
        self.site_dir = site_dir
        self.staging = site_dir.with_name(f".{site_dir.name}.staging-{os.getpid()}")
        self.produced: set[str] = set()
        self.staged: list[str] = []
        self.stats = WriteStats()
        self._live: set[str] | None = None
        if site_dir.exists() and not site_dir.is_dir():
            raise OutputError(f"{site_dir} exists and is not a folder")
        if site_dir.is_dir() and any(site_dir.iterdir()) and not (site_dir / MARKER).is_file():
            raise OutputError(
                f"{site_dir} is not empty and holds no earlier build ({MARKER} is missing); "
                "refusing to replace its files — choose an empty output folder"
            )

    def put(self, relative: str, data: bytes) -> None:
        self.record(relative, stage_file(self.site_dir, self.staging, relative, data))

    def record(self, relative: str, staged: bool) -> None:
        """An output that was compared with the live site (by `stage_file`, maybe in another process)."""
        if relative in self.produced:
            raise OutputError(f"two outputs want to write {relative}")
        self.produced.add(relative)
        if staged:
            self.staged.append(relative)
        else:
            self.stats.unchanged += 1

    def live_files(self) -> set[str]:
        """Every file in the live site (the search index excluded), as relative paths; read once.

        A symbolic link counts as a file and is never followed.
        """
        if self._live is None:
            live: set[str] = set()
            folders = [("", str(self.site_dir))] if self.site_dir.is_dir() else []
            while folders:
                prefix, folder = folders.pop()
                with os.scandir(folder) as entries:
                    for entry in entries:
                        relative = prefix + entry.name
                        if not entry.is_dir(follow_symlinks=False):
                            live.add(relative)
                        elif relative + "/" not in KEPT_PREFIXES:
                            folders.append((relative + "/", entry.path))
            self._live = live
        return self._live

    def keep(self, relative: str) -> None:
        """An output that this build did not re-render: it stays as it is in the site."""
        if relative in self.produced:
            raise OutputError(f"two outputs want to write {relative}")
        self.produced.add(relative)
        self.stats.unchanged += 1

    def abort(self) -> None:
        shutil.rmtree(self.staging, ignore_errors=True)

    def commit(self) -> WriteStats:
        """Move staged files into the site (each replace is atomic), then drop stale files.

        A first build into a missing or empty folder renames the staging folder instead: one
        rename, not one per file.
        """
        try:
            if self.staged and self._vacant():
                with contextlib.suppress(FileNotFoundError):
                    self.site_dir.rmdir()
                self.site_dir.parent.mkdir(parents=True, exist_ok=True)
                os.rename(self.staging, self.site_dir)
                self.stats.written += len(self.staged)
                return self.stats
            for relative in self.staged:
                live = self.site_dir / relative
                live.parent.mkdir(parents=True, exist_ok=True)
                os.replace(self.staging / relative, live)
                self.stats.written += 1
            self._remove_stale()
        finally:
            self.abort()
        return self.stats

    def _vacant(self) -> bool:
        return not self.site_dir.exists() or not any(self.site_dir.iterdir())

    def _remove_stale(self) -> None:
        """Remove files this build did not produce, then the folders that left empty."""
        folders: set[Path] = set()
        for relative in sorted(self.live_files() - self.produced):
            path = self.site_dir / relative
            path.unlink(missing_ok=True)
            self.stats.removed += 1
            folders.update(path.parents)
        for folder in sorted(folders, key=lambda f: len(f.parts), reverse=True):
            if folder.is_relative_to(self.site_dir) and folder != self.site_dir:
                with contextlib.suppress(OSError):  # not empty
                    folder.rmdir()
