"""Staged output: changed files go to a staging folder and are swapped into the site only on success."""

from __future__ import annotations

import os
import shutil
from dataclasses import dataclass
from pathlib import Path

# Folders in the site that another stage owns (the search index); never removed as stale.
KEPT_PREFIXES = ("pagefind/",)
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
        if site_dir.exists() and not site_dir.is_dir():
            raise OutputError(f"{site_dir} exists and is not a folder")
        if site_dir.is_dir() and any(site_dir.iterdir()) and not (site_dir / MARKER).is_file():
            raise OutputError(
                f"{site_dir} is not empty and holds no earlier build ({MARKER} is missing); "
                "refusing to replace its files — choose an empty output folder"
            )

    def put(self, relative: str, data: bytes) -> None:
        if relative in self.produced:
            raise OutputError(f"two outputs want to write {relative}")
        self.produced.add(relative)
        live = self.site_dir / relative
        try:
            if live.is_file() and live.stat().st_size == len(data) and live.read_bytes() == data:
                self.stats.unchanged += 1
                return
        except OSError:
            pass
        target = self.staging / relative
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(data)
        self.staged.append(relative)

    def keep(self, relative: str) -> None:
        """An output that this build did not re-render: it stays as it is in the site."""
        if relative in self.produced:
            raise OutputError(f"two outputs want to write {relative}")
        self.produced.add(relative)
        self.stats.unchanged += 1

    def abort(self) -> None:
        shutil.rmtree(self.staging, ignore_errors=True)

    def commit(self) -> WriteStats:
        """Move staged files into the site (each replace is atomic), then drop stale files."""
        try:
            for relative in self.staged:
                live = self.site_dir / relative
                live.parent.mkdir(parents=True, exist_ok=True)
                os.replace(self.staging / relative, live)
                self.stats.written += 1
            self._remove_stale()
        finally:
            self.abort()
        return self.stats

    def _remove_stale(self) -> None:
        if not self.site_dir.is_dir():
            return
        for path in sorted(self.site_dir.rglob("*"), reverse=True):
            relative = path.relative_to(self.site_dir).as_posix()
            if relative.startswith(KEPT_PREFIXES) or relative + "/" in KEPT_PREFIXES:
                continue
            if path.is_dir() and not path.is_symlink():
                if not any(path.iterdir()):
                    path.rmdir()
            elif relative not in self.produced:
                path.unlink()
                self.stats.removed += 1
