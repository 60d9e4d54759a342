"""`new`: start the next meeting's minutes from a file that is already right."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any

import yaml

from ..build.builder import Project, check
from ..diagnostics import did_you_mean
from ..load import NETWORKS_DIR
from ..model import Meeting, Network, Participant, Site
from ..review import paragraph_numbers

# The usual agenda of Swedish minutes; the secretary edits the titles.
AGENDA = (
    "Mötets öppnande",
    "Val av justerare",
    "Godkännande av dagordningen",
    "Föregående mötes protokoll",
    "Övriga frågor",
    "Mötets avslutande",
)
AGENDA_MINUTES = 15  # spacing of time-stamped agenda items


class ScaffoldError(Exception):
    """The meeting file cannot be created; the message says why and what to do."""


@dataclass(frozen=True)
class Scaffold:
    path: Path
    text: str


def _previous(site: Site, network: Network, when: date) -> Meeting | None:
    earlier = [
        m
        for m in site.by_network.get(network.slug, ())
        if m.primary_network == network.slug and m.date < when
    ]
    return max(earlier, key=lambda m: m.date, default=None)


def first_number(site: Site, network: Network, when: date) -> int:
    """§ items run on through a year: the last § of the year's previous meeting + 1, else 1."""
    previous = _previous(site, network, when)
    if previous is None or previous.year != when.year:
        return 1
    numbers = paragraph_numbers(previous)
    return max(numbers) + 1 if numbers else 1


def item_headings(site: Site, network: Network, when: date, start_time: str | None) -> list[str]:
    if network.numbering == "time":
        try:
            clock = datetime.strptime((start_time or "09:00").replace(".", ":"), "%H:%M")
        except ValueError:
            clock = datetime(2000, 1, 1, 9, 0)
        return [
            f"## {(clock + timedelta(minutes=AGENDA_MINUTES * i)):%H:%M} {title}"
            for i, title in enumerate(AGENDA)
        ]
    if network.numbering == "per-meeting":
        return [f"## {i}. {title}" for i, title in enumerate(AGENDA, start=1)]
    first = first_number(site, network, when)
    return [f"## § {first + i} {title}" for i, title in enumerate(AGENDA)]


def _participants(previous: Meeting | None, network: Network) -> list[dict[str, Any]]:
    """The last meeting's members and staff, present by default; else one line per member."""
    if previous is None:
        return [
            {"name": "Namn Efternamn", "municipality": slug, "role": "beslutande"} for slug in network.members
        ]
    people: list[dict[str, Any]] = []
    for p in previous.participants:
        if p.items or (p.municipality and p.municipality not in network.members):
            continue  # guests of single items and other networks' people are not regulars
        people.append(_participant(p))
    return people


def _participant(p: Participant) -> dict[str, Any]:
    entry: dict[str, Any] = {"name": p.name}
    for key in ("municipality", "organisation", "role", "party", "group"):
        value = getattr(p, key)
        if value:
            entry[key] = value
    return entry


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
    previous = _previous(site, network, when)
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
    lines.append(f"chair: {_flow(list(previous.chair) if previous else [])}")
    if previous and previous.secretary:
        lines.append(f"secretary: {_flow(previous.secretary)}")
    lines.append("adjusters: []")
    people = _participants(previous, network)
    lines.append("participants:" if people else "participants: []")
    lines.extend(f"  - {_flow(person)}" for person in people)
    lines.append("---")
    body = [
        f"{heading}\n\nSkriv här vad som sades och beslutades.\n"
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
