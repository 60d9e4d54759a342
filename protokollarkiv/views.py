"""What templates show, made in Python: participant groups, attendance rows, JSON-LD, search facets."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass

from .model import DaySpan, Meeting, Municipality, Network, Participant, Site
from .strings import translate
from .urls import meeting_url

# --- Search facets ---------------------------------------------------------------------------

# Filter keys of the search index; the search page's URL uses their ASCII forms.
FILTER_NETWORK = "nätverk"
FILTER_MUNICIPALITY = "kommun"
FILTER_YEAR = "år"
FILTER_TYPE = "typ"
SEARCH_PARAMS = {
    "natverk": FILTER_NETWORK,
    "kommun": FILTER_MUNICIPALITY,
    "ar": FILTER_YEAR,
    "typ": FILTER_TYPE,
}
SORT_DATE = "datum"


def meeting_filters(meeting: Meeting, site: Site) -> dict[str, list[str]]:
    """A meeting's search facets: networks, represented municipalities, year, and whether it
    holds decisions (then each decision is a sub-result of its own)."""
    kinds = ["minutes"] + (["decision"] if meeting.decisions else [])
    return {
        FILTER_NETWORK: [site.networks[slug].short_name for slug in meeting.networks],
        FILTER_MUNICIPALITY: [
            site.municipalities[slug].name for slug in meeting.represented if slug in site.municipalities
        ],
        FILTER_YEAR: [str(meeting.year)],
        FILTER_TYPE: [translate(kind, site.config.language) for kind in kinds],
    }


def search_people(meeting: Meeting, site: Site) -> str:
    """Everyone a meeting names, for its search metadata: "Anneli Alm, Falköping; Daniel Ekman, …".

    Metadata is searched but never made an excerpt (Pagefind 1.5), so a name, and the municipality
    beside it, is found without the participant table being indexed as prose."""
    entries: dict[str, str] = {}
    for p in meeting.participants:
        known = site.municipalities.get(p.municipality or "")
        place = known.name if known else None
        entries.setdefault(p.name, ", ".join(filter(None, (p.name, place, p.organisation))))
    for name in (*meeting.chair, meeting.secretary, *meeting.adjusters):
        if name:
            entries.setdefault(name, name)
    return "; ".join(entries.values())


@dataclass(frozen=True)
class YearGroup:
    year: int
    meetings: tuple[Meeting, ...]


def by_year(meetings: tuple[Meeting, ...]) -> tuple[YearGroup, ...]:
    """Meetings (newest first) grouped by year, newest year first."""
    groups: dict[int, list[Meeting]] = defaultdict(list)
    for meeting in meetings:
        groups[meeting.year].append(meeting)
    return tuple(YearGroup(year, tuple(ms)) for year, ms in groups.items())


@dataclass(frozen=True)
class ParticipantGroup:
    name: str | None  # the delegation; None for the meeting's own participants
    people: tuple[Participant, ...]


@dataclass(frozen=True)
class AttendanceRow:
    municipality: Municipality
    represented: bool | None  # for the whole meeting; None: the minutes do not say
    partly: tuple[str, ...] = ()  # else the item numbers it was represented for


def participant_groups(meeting: Meeting, site: Site) -> tuple[ParticipantGroup, ...]:
    """Participants by delegation (the ungrouped first, then in the minutes' order), each group
    ordered by municipality; people from organisations follow in the minutes' order."""
    groups: dict[str | None, list[Participant]] = {}
    for participant in meeting.participants:
        groups.setdefault(participant.group, []).append(participant)

    def by_municipality(p: Participant) -> tuple[int, str]:
        known = site.municipalities.get(p.municipality or "")
        return (0, known.name) if known else (1, "")

    names = sorted(groups, key=lambda name: name is not None)
    return tuple(ParticipantGroup(name, tuple(sorted(groups[name], key=by_municipality))) for name in names)


@dataclass(frozen=True)
class Announcement:
    """The next meeting a network's latest minutes announce."""

    network: Network
    minutes: Meeting  # the minutes that announce it
    days: DaySpan


def announcements(site: Site, networks: Iterable[Network] | None = None) -> tuple[Announcement, ...]:
    """For each network (all by default), the next meeting its latest minutes announce, when that
    is after them; the soonest first."""
    found = []
    for network in site.networks.values() if networks is None else networks:
        series = site.by_network.get(network.slug, ())
        latest = series[0] if series else None  # newest first
        if latest is not None and latest.next_days and latest.next_days.first > latest.date:
            found.append(Announcement(network, latest, latest.next_days))
    return tuple(sorted(found, key=lambda a: (a.days.first, a.network.name)))


def attendance_rows(meeting: Meeting, site: Site) -> tuple[AttendanceRow, ...]:
    """Every member municipality of the meeting's networks, and any other listed, by name."""
    slugs = set(meeting.attendance)
    for network in meeting.networks:
        if network in site.networks:
            slugs.update(site.networks[network].members)
    rows = [
        AttendanceRow(site.municipalities[slug], meeting.attendance.get(slug), meeting.partly.get(slug, ()))
        for slug in slugs
        if slug in site.municipalities
    ]
    return tuple(sorted(rows, key=lambda row: row.municipality.name))


def json_ld(meeting: Meeting, site: Site) -> dict[str, object]:
    """schema.org Event of a meeting, for search engines and link previews."""
    times = meeting.times
    network = site.networks[meeting.primary_network]
    place = meeting.place or ""
    online = place.lower().startswith(("digital", "via ", "online", "teams", "skype"))
    record: dict[str, object] = {
        "@context": "https://schema.org",
        "@type": "Event",
        "name": f"{meeting.title}, {meeting.date.isoformat()}",
        "startDate": times[0].isoformat() if times else meeting.date.isoformat(),
        "endDate": times[1].isoformat() if times else meeting.date.isoformat(),
        "eventStatus": "https://schema.org/EventScheduled",
        "eventAttendanceMode": "https://schema.org/"
        + ("OnlineEventAttendanceMode" if online else "OfflineEventAttendanceMode"),
        "organizer": {"@type": "Organization", "name": network.organiser or network.name},
        "url": site.config.base_url + meeting_url(meeting),
        "inLanguage": site.config.language,
    }
    if place:
        record["location"] = {"@type": "VirtualLocation" if online else "Place", "name": place}
    return record
