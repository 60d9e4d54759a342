"""The public record's dates: when the appeal window of a posted justering ends, which notices an
anslagstavla shows, and which meetings have left publication.

Sources: kommunallagen (2017:725) 13 kap. 5 § (an appeal must reach the court within three weeks
of the day the justering was announced on the anslagstavla) and lag (1930:173) om beräkning av
lagstadgad tid (a period counted in weeks ends on the same weekday; when its last day is a
Saturday, a Sunday, another public holiday, midsommarafton, julafton or nyårsafton, the last day
is the next weekday that is none of these).
"""

from __future__ import annotations

import datetime as dt
import functools
from dataclasses import dataclass

import holidays

from ..model import Meeting, Network, Site

APPEAL_WEEKS = 3
NOTICE_DAYS_AFTER = 30  # how long a closed notice stays on the anslagstavla, marked closed
JUSTERING_DAYS = 14  # the minutes are to be justerat within this many days of the meeting
POSTING_DAYS = 2  # the justering is to be announced no later than the second day after it


@functools.cache
def _public_holidays(year: int) -> frozenset[dt.date]:
    """Sweden's public holidays (allmänna helgdagar) of `year`, from the `holidays` package."""
    return frozenset(holidays.country_holidays("SE", years=year, categories=("public",)))


def _eve(day: dt.date) -> bool:
    """Midsommarafton (the Friday between 19 and 25 June), julafton or nyårsafton: days the law
    on periods names beside the public holidays."""
    midsommarafton = day.month == 6 and 19 <= day.day <= 25 and day.weekday() == 4
    return midsommarafton or (day.month, day.day) in ((12, 24), (12, 31))


def closed_day(day: dt.date) -> bool:
    """Whether a period may not end on `day`: a weekend, a public holiday or one of the eves."""
    return day.weekday() >= 5 or day in _public_holidays(day.year) or _eve(day)


def appeal_ends(posted_on: dt.date) -> dt.date:
    """The last day an appeal may reach the court: three weeks after the notice was posted, the
    same weekday, moved to the next weekday that is not a holiday or an eve."""
    day = posted_on + dt.timedelta(weeks=APPEAL_WEEKS)
    while closed_day(day):
        day += dt.timedelta(days=1)
    return day


def anslag_network(meeting: Meeting, site: Site) -> Network | None:
    """The meeting's formal body whose justering is posted (its primary network, when that has anslag)."""
    network = site.networks.get(meeting.primary_network)
    return network if network is not None and network.anslag else None


@dataclass(frozen=True)
class Notice:
    """A justering posted on the anslagstavla: the protocol, its body, and its appeal window."""

    meeting: Meeting
    network: Network
    posted_on: dt.date
    ends: dt.date  # the last day of the appeal window

    def open_on(self, today: dt.date) -> bool:
        return self.posted_on <= today <= self.ends


def notice(meeting: Meeting, site: Site) -> Notice | None:
    """The meeting's notice, when it is justerat minutes of a body with anslag, posted on a day."""
    network = anslag_network(meeting, site)
    if network is None or meeting.is_draft or meeting.posted_on is None:
        return None
    return Notice(meeting, network, meeting.posted_on, appeal_ends(meeting.posted_on))


def board(site: Site, today: dt.date) -> tuple[tuple[Notice, ...], tuple[Notice, ...]]:
    """What the anslagstavla shows on `today`: the notices whose window is open (the soonest to
    close first), and those closed within the last `NOTICE_DAYS_AFTER` days (the latest first)."""
    found = [n for m in site.meetings if (n := notice(m, site)) is not None and n.posted_on <= today]
    open_ = sorted((n for n in found if n.open_on(today)), key=lambda n: (n.ends, n.network.name))
    recently = today - dt.timedelta(days=NOTICE_DAYS_AFTER)
    closed = sorted(
        (n for n in found if recently <= n.ends < today), key=lambda n: (n.ends, n.network.name), reverse=True
    )
    return tuple(open_), tuple(closed)


def item_range(meeting: Meeting) -> str:
    """The meeting's numbered items as a notice names them: `§ 100–110`, `§ 7`, `11–14`; "" if none."""
    numbered = [item for item in meeting.items if item.number]
    if not numbered:
        return ""
    first, last = numbered[0], numbered[-1]
    prefix = "§ " if (first.label or "").startswith("§") else ""
    if first is last:
        return f"{prefix}{first.number}"
    return f"{prefix}{first.number}–{last.number}"


def has_anslag(site: Site) -> bool:
    return any(network.anslag for network in site.networks.values())


def publication_cutoff(publish_years: int | None, today: dt.date) -> int | None:
    """The first year whose meetings are published under `publish_years: N` (this year and the N
    before it); None: no limit."""
    return None if publish_years is None else today.year - publish_years
