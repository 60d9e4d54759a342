"""Static files of the templates (CSS, JS, icons) and their fingerprinted URLs."""

from __future__ import annotations

import hashlib
from pathlib import Path

STATIC_DIR = "static"  # templates/static/, served under /static/

Asset = tuple[str, Path, bytes]  # (URL, source, bytes)


def static_assets(templates: Path, fingerprint: bool = True) -> dict[str, Asset]:
    """name -> (URL, source, bytes) for every file in templates/static/; URLs carry a content hash."""
    folder = templates / STATIC_DIR
    assets: dict[str, Asset] = {}
    if not folder.is_dir():
        return assets
    for path in sorted(p for p in folder.rglob("*") if p.is_file()):
        name = path.relative_to(folder).as_posix()
        data = path.read_bytes()
        stem, dot, suffix = name.rpartition(".")
        if fingerprint:
            digest = hashlib.sha256(data).hexdigest()[:10]
            name_out = f"{stem}.{digest}.{suffix}" if dot else f"{name}.{digest}"
        else:
            name_out = name
        assets[name] = (f"/{STATIC_DIR}/{name_out}", path, data)
    return assets
