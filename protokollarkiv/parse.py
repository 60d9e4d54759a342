"""One meeting from its bytes: load, Markdown body, validate; and the archive-wide settings it needs.

This is what the build (in this process or in workers) and the preview server's quick path both
call, so every build, `check` and preview looks for personal data (`personal`) in each meeting,
cached with it. The parsers are chosen by `Engines`: the reference ones by default, or `speed`'s,
which give the same result faster.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from .diagnostics import Diagnostic, Diagnostics, processing
from .load import ContentFiles, Loader, YamlDoc, load_meeting, load_yaml_file
from .markdown import ParsedBody, parse_body
from .model import Meeting, Network
from .people import read_people
from .record.personal import Allowed, check_meeting
from .record.seal import with_text
from .validate import (
    Globals,
    validate_meeting,
    validate_municipalities,
    validate_network,
    validate_site_config,
)

BodyParser = Callable[[str, int, str], ParsedBody]  # (text, first file line, decision label)


@dataclass(frozen=True)
class Engines:
    """The YAML loader and the Markdown body parser a build uses."""

    loader: type[Loader] = Loader
    parse_body: BodyParser = parse_body


REFERENCE = Engines()


@dataclass
class Parsed:
    """One meeting file as parsed and validated: the meeting (None if it has errors) and its diagnostics."""

    key: str  # what the file was parsed from (see build.state); the cache's key
    meeting: Meeting | None
    diagnostics: list[Diagnostic]


def files_beside(meeting_path: Path) -> frozenset[str]:
    """The files in a meeting's folder (its attachments), relative and `/`-separated.

    A file that leads out of the folder (a symbolic link) is not one of them."""
    folder = meeting_path.with_suffix("")
    if not folder.is_dir():
        return frozenset()
    root = folder.resolve()
    found: set[str] = set()
    for current, _, names in os.walk(folder):
        for name in names:
            path = Path(current, name)
            target = path.resolve()
            if target.is_file() and root in target.parents:
                found.add(path.relative_to(folder).as_posix())
    return frozenset(found)


def parse_meeting(
    path: Path, network_dir: str, raw: bytes, key: str, globals_: Globals, engines: Engines = REFERENCE
) -> Parsed:
    """One meeting file's bytes as a validated meeting, with every diagnostic of its own."""
    with processing(str(path)):
        return _parse_meeting(path, network_dir, raw, key, globals_, engines)


def _parse_meeting(
    path: Path, network_dir: str, raw: bytes, key: str, globals_: Globals, engines: Engines
) -> Parsed:
    own = Diagnostics()
    source = load_meeting(path, network_dir, own, raw, engines.loader)
    if source is None:
        return Parsed(key, None, own.items)
    body = engines.parse_body(source.body, source.body_line, globals_.decision_label)
    front = source.front.data
    named = isinstance(front, dict) and (front.get("attachments") or front.get("original"))
    beside = files_beside(path) if named else frozenset()
    meeting = validate_meeting(source, globals_, own, body, beside)
    check_meeting(source, Allowed.of_site(globals_.config), own)  # personal data
    if meeting is not None:
        meeting = with_text(meeting, source.body)
    return Parsed(key, meeting, own.items)


def load_globals(files: ContentFiles, diagnostics: Diagnostics, engines: Engines = REFERENCE) -> Globals:
    """The site settings, municipalities and networks that every meeting is validated against."""

    def load(path: Path) -> YamlDoc | None:
        return load_yaml_file(path, diagnostics, engines.loader) if path.is_file() else None

    config = validate_site_config(load(files.site), diagnostics)
    municipalities = validate_municipalities(load(files.municipalities), diagnostics)
    networks: dict[str, Network] = {}
    for slug, path in files.networks:
        doc = load(path)
        if doc is not None:
            network = validate_network(slug, doc, municipalities, diagnostics)
            if network is not None:
                networks[slug] = network
    people = read_people(load(files.people), diagnostics)
    return Globals(config, municipalities, networks, tuple(slug for slug, _ in files.networks), people)
