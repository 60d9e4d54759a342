"""What a network's next meeting starts from: its regulars, its numbering, the usual agenda."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from typing import Any

from .model import Meeting, Network, Participant, Site
from .review import paragraph_numbers

# The usual agenda of Swedish minutes; the secretary edits the titles.
AGENDA = (
    "Mötets öppnande",
    "Val av justerare",
    "Godkännande av dagordningen",
    "Föregående mötes protokoll",
    "Övriga frågor",
    "Mötets avslutande",
)
BODY_PROMPT = "Skriv här vad som sades och beslutades."
AGENDA_MINUTES = 15  # spacing of time-stamped agenda items


def previous_meeting(site: Site, network: Network, when: date) -> Meeting | None:
    """The network's own last meeting before `when` (joint meetings it only took part in aside)."""
    earlier = [
        m
        for m in site.by_network.get(network.slug, ())
        if m.primary_network == network.slug and m.date < when
    ]
    return max(earlier, key=lambda m: m.date, default=None)


def first_number(site: Site, network: Network, when: date) -> int:
    """§ items run on through a year: the last § of the year's previous meeting + 1, else 1."""
    previous = previous_meeting(site, network, when)
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


def regular_participants(previous: Meeting | None, network: Network) -> list[dict[str, Any]]:
    """The last meeting's members and staff, present by default; else one line per member."""
    if previous is None:
        return [
            {"name": "Namn Efternamn", "municipality": slug, "role": "beslutande"} for slug in network.members
        ]
    people: list[dict[str, Any]] = []
    for p in previous.participants:
        if p.items or (p.municipality and p.municipality not in network.members):
            continue  # guests of single items and other networks' people are not regulars
        people.append(participant_entry(p))
    return people


def participant_entry(p: Participant) -> dict[str, Any]:
    entry: dict[str, Any] = {"name": p.name}
    for key in ("municipality", "organisation", "role", "party", "group"):
        value = getattr(p, key)
        if value:
            entry[key] = value
    return entry
