"""`new`: start the next meeting's minutes from a file that is already right."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

import yaml

from ..agenda import BODY_PROMPT, item_headings, previous_meeting, regular_participants
from ..build.builder import Project, check
from ..diagnostics import did_you_mean
from ..load import NETWORKS_DIR


class ScaffoldError(Exception):
    """The meeting file cannot be created; the message says why and what to do."""


@dataclass(frozen=True)
class Scaffold:
    path: Path
    text: str


def _flow(value: Any) -> str:
    """One YAML value on one line, quoted where YAML needs it."""
    text = yaml.safe_dump(value, default_flow_style=True, allow_unicode=True, width=10_000, sort_keys=False)
    return str(text).strip().removesuffix("...").strip()  # a lone scalar ends its "document"


def scaffold(
    project: Project, network_slug: str, when: date, time: str | None = None, place: str | None = None
) -> Scaffold:
    """The path and text of a new meeting file; nothing is written here."""
    site = check(project).site
    if site is None or network_slug not in site.networks:
        known = sorted(site.networks) if site else []
        hint = did_you_mean(network_slug, known) or f"known networks: {', '.join(known)}"
        raise ScaffoldError(f"unknown network '{network_slug}' ({hint})")
    network = site.networks[network_slug]
    previous = previous_meeting(site, network, when)
    folder = project.content / NETWORKS_DIR / network_slug / str(when.year)
    path = folder / f"{when.isoformat()}.md"
    if path.exists():
        raise ScaffoldError(f"{path} already exists; edit it, or give another --date")
    taken = [
        m
        for m in site.by_network.get(network_slug, ())
        if m.date == when and m.primary_network == network_slug
    ]
    if taken:
        raise ScaffoldError(
            f"{taken[0].source} already holds the meeting of {when.isoformat()}; "
            "edit it, or give another --date"
        )
    if time is None and previous and previous.time:
        time = str(previous.time)
    place = place or (previous.place if previous else None)
    lines = ["---", f"date: {when.isoformat()}"]
    if time:
        lines.append(f"time: {_flow(time)}")
    if place:
        lines.append(f"place: {_flow(place)}")
    lines.append("status: utkast")
    # one spelling per person (people.yml): a new meeting starts from the name people know them by
    named = site.people.canonical
    lines.append(f"chair: {_flow([named(n) for n in previous.chair] if previous else [])}")
    if previous and previous.secretary:
        lines.append(f"secretary: {_flow(named(previous.secretary))}")
    lines.append("adjusters: []")
    people = regular_participants(previous, network)
    lines.append("participants:" if people else "participants: []")
    lines.extend(f"  - {_flow(person)}" for person in people)
    lines.append("---")
    body = [
        f"{heading}\n\n{BODY_PROMPT}\n"
        for heading in item_headings(site, network, when, time.split("-")[0].strip() if time else None)
    ]
    return Scaffold(path, "\n".join(lines) + "\n\n" + "\n".join(body))


def create(project: Project, network_slug: str, when: date, time: str | None, place: str | None) -> Path:
    """Write the new meeting file; never overwrite one."""
    made = scaffold(project, network_slug, when, time, place)
    made.path.parent.mkdir(parents=True, exist_ok=True)
    with made.path.open("x", encoding="utf-8") as handle:  # "x": fail if it appeared meanwhile
        handle.write(made.text)
    return made.path
