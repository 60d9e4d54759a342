"""What a build reads before it decides anything: where things are, digests of the settings,
templates and assets, and the check (from file metadata alone) that nothing changed since the
saved state."""

from __future__ import annotations

import hashlib
import os
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from ..assets import Asset, static_assets
from ..diagnostics import Diagnostics
from ..load import ContentFiles, attachment_listing, discover
from ..output import INDEX_DIR, site_files
from ..record.seal import ledger_path
from .state import BuildState, file_signature

GUIDE = "docs/skriva-protokoll.md"
CACHE = ".cache"


def digest(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


@dataclass(frozen=True)
class Project:
    """Where the archive, the templates and the built site live."""

    content: Path
    templates: Path
    output: Path
    guide: Path | None = None  # the writing guide, shown on /om/skriva-protokoll/
    cache: Path | None = None  # the persistent build cache; None: keep state in memory only

    @classmethod
    def at(cls, root: Path) -> Project:
        return cls(root / "content", root / "templates", root / "site", root / GUIDE, root / CACHE)

    def absolute(self) -> Project:
        """The same folders as absolute paths (symbolic links kept).

        The build state and the cache name files by path: `--root .` and `--root /abs/path` must
        name them alike, or the second build would find nothing it knows and start over.
        """

        def full(path: Path) -> Path:
            return Path(os.path.abspath(path))

        return Project(
            full(self.content),
            full(self.templates),
            full(self.output),
            self.guide and full(self.guide),
            self.cache and full(self.cache),
        )


def globals_digest(files: ContentFiles, guide: Path | None) -> str:
    """One digest of the archive-wide files (and the guide): a change to them re-validates all."""
    paths = [files.site, files.municipalities, files.people, *(path for _, path in files.networks)]
    if guide is not None:
        paths.append(guide)
    return digest(b"".join(str(p).encode() + b"\0" + (p.read_bytes() if p.is_file() else b"") for p in paths))


def seal_digest(content: Path) -> str:
    """A digest of the seal ledger (content/sigill.json): its check is redone when it changes."""
    path = ledger_path(content)
    return digest(path.read_bytes()) if path.is_file() else ""


@dataclass(frozen=True)
class TemplateFiles:
    """The templates and static assets as this build sees them."""

    templates: dict[str, str]  # template name -> digest
    assets: dict[str, Asset]  # asset name -> (URL, source, bytes)
    static: dict[str, str]  # asset name -> digest

    @classmethod
    def read(cls, folder: Path, fingerprint: bool) -> TemplateFiles:
        templates = {p.name: digest(p.read_bytes()) for p in folder.glob("*") if p.is_file()}
        assets = static_assets(folder, fingerprint)
        return cls(templates, assets, {name: digest(data) for name, (_, _, data) in assets.items()})


def unchanged(
    state: BuildState, project: Project, fingerprint: bool, search: bool, today: date
) -> int | None:
    """The number of files in the site when every input and the site are as `state` saw them
    (found from file metadata, without reading a meeting); None when anything differs."""
    if state.today != today:
        return None
    found = Diagnostics()
    files = discover(project.content, found)
    if found.items or len(files.meetings) != len(state.signatures):
        return None
    if globals_digest(files, project.guide) != state.globals_digest:
        return None
    if seal_digest(project.content) != state.seals:
        return None
    for path, _ in files.meetings:
        known = state.signatures.get(str(path))
        signature = file_signature(path)
        if known is None or signature is None:
            return None
        if known[:2] != (signature, attachment_listing(path, files.folders)):
            return None
    seen = TemplateFiles.read(project.templates, fingerprint)
    if seen.templates != state.templates or seen.static != state.static:
        return None
    if search and not (state.indexed and (project.output / INDEX_DIR).is_dir()):
        return None  # no index, or one that was not made from these pages
    live = site_files(project.output)
    return len(live) if live == state.produced else None
