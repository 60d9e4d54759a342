"""Dates and times of day as Swedish minutes write them."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

MONTHS = (
    "januari", "februari", "mars", "april", "maj", "juni",
    "juli", "augusti", "september", "oktober", "november", "december",
)  # fmt: skip
_WEEKDAY = r"(?:måndag|tisdag|onsdag|torsdag|fredag|lördag|söndag)(?:en)?"
_ISO = re.compile(r"(?<!\d)(\d{4})-(\d{1,2})-(\d{1,2})(?!\d)")
_WORDS = re.compile(
    rf"(?:{_WEEKDAY},?\s+)?(?:den\s+)?(\d{{1,2}})(?::[ae])?\s+({'|'.join(MONTHS)})(?:\s+(\d{{4}}))?",
    re.IGNORECASE,
)
_NUMERIC = re.compile(r"(?<![\d.-])(\d{1,2})[./](\d{1,2})[./](\d{4})(?!\d)")
_CLOCK = r"(\d{1,2})(?:[:.](\d{2}))?"
_TIME = re.compile(
    rf"(?:\bkl(?:ockan|\.)?\s*|(?<![\d.:/-])(?=\d{{1,2}}[:.]\d{{2}}))"
    rf"{_CLOCK}(?:\s*(?:[-–—]|till)\s*(?:kl\.?\s*)?{_CLOCK})?(?![\d/])",
    re.IGNORECASE,
)


@dataclass(frozen=True)
class FoundDate:
    iso: str  # YYYY-MM-DD; the year is the default one when the text gave none
    with_year: bool
    start: int
    end: int


def _valid(year: int, month: int, day: int) -> str | None:
    try:
        return date(year, month, day).isoformat()
    except ValueError:
        return None


def find_dates(text: str, default_year: int | None = None) -> list[FoundDate]:
    """Every date in `text` in order: 2024-09-20, 16 september 2020, 20.9.2024, den 26 november."""
    found: list[FoundDate] = []
    for m in _ISO.finditer(text):
        iso = _valid(int(m[1]), int(m[2]), int(m[3]))
        if iso:
            found.append(FoundDate(iso, True, m.start(), m.end()))
    for m in _WORDS.finditer(text):
        year = int(m[3]) if m[3] else default_year
        iso = _valid(year, MONTHS.index(m[2].lower()) + 1, int(m[1])) if year else None
        if iso:
            found.append(FoundDate(iso, bool(m[3]), m.start(), m.end()))
    for m in _NUMERIC.finditer(text):
        iso = _valid(int(m[3]), int(m[2]), int(m[1]))
        if iso:
            found.append(FoundDate(iso, True, m.start(), m.end()))
    found.sort(key=lambda d: d.start)
    return [d for i, d in enumerate(found) if not any(o.start <= d.start < o.end for o in found[:i])]


def years_in(text: str) -> list[int]:
    return [int(d.iso[:4]) for d in find_dates(text) if d.with_year]


def find_time(text: str) -> tuple[str, int, int] | None:
    """The first time of day or span: "kl 9:00 – 12:00" → "09:00-12:00", "klockan 14.45 -16.00"."""
    for m in _TIME.finditer(text):
        start = _clock(m[1], m[2])
        if start is None or (m[2] is None and not m[0].lower().startswith("kl")):
            continue
        end = _clock(m[3], m[4]) if m[3] else None
        if m[3] and end is None:
            continue
        return (f"{start}-{end}" if end else start), m.start(), m.end()
    return None


def _clock(hours: str | None, minutes: str | None) -> str | None:
    if hours is None:
        return None
    h, mins = int(hours), int(minutes or 0)
    return f"{h:02d}:{mins:02d}" if h < 24 and mins < 60 else None
