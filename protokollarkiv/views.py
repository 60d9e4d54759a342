"""What templates show, made in Python: participant groups, attendance rows, JSON-LD, search facets."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, replace

from .model import (
    PARTIES,
    ROLES,
    DaySpan,
    Meeting,
    Municipality,
    Network,
    Participant,
    People,
    Site,
    person_key,
)
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
class AttendanceRow:
    municipality: Municipality
    represented: bool | None  # for the whole meeting; None: the minutes do not say
    partly: tuple[str, ...] = ()  # else the item numbers it was represented for


# The sections of a participant list, as minutes head them: a role's people under its plural,
# a delegation under its name, the absent last. Free-text roles ("Sektorchef …") count as others.
ROLE_SECTION = {role: f"role_section_{role}" for role in ROLES}
ROLE_WORD = {role: f"role_{role}" for role in ROLES}
ABSENT_SECTION = "absent_section"


@dataclass(frozen=True)
class Attendee:
    """A participant as the list shows them: the role in words unless the section's heading says
    it, and the duties (chair, secretary, adjuster) the minutes give them."""

    person: Participant
    role: str  # in words; "" when the section's heading already says it
    duties: tuple[str, ...]  # translation keys: chair_duty, secretary_duty, adjuster_duty
    party_name: str = ""  # the party's name for a known party code
    status: str = ""  # "Närvarande endast § 103", "närvaro ej antecknad", or "" (present)


@dataclass(frozen=True)
class ParticipantSection:
    heading: str  # a role's plural, a delegation's name, or "Frånvarande"
    people: tuple[Attendee, ...]
    own_heading: bool = False  # a delegation's name as the minutes write it (Swedish content)
    show_role: bool = False
    show_party: bool = False
    note: str = ""  # the status every one of them shares (then no row repeats it)


def _role_words(role: str, said: str | None, language: str) -> str:
    """A role in words, "" when the section's heading says it; a free-text role as written."""
    if role in ROLE_WORD:
        return "" if role == said else translate(ROLE_WORD[role], language)
    return role


def _status(meeting: Meeting, person: Participant, language: str) -> str:
    if person.present is None:
        return translate("attendance_not_recorded", language)
    if person.items:
        return translate("present_for", language, items=meeting.item_labels(person.items))
    return ""


def participant_sections(
    meeting: Meeting, language: str, declared: People | None = None
) -> tuple[ParticipantSection, ...]:
    """The participants as the minutes list them: sections in the minutes' order (the absent
    last), people in the minutes' order; columns only where a section has something to show."""
    known = declared or People()

    def identity(name: str) -> str:  # one person however the minutes spell them (people.yml)
        return person_key(known.canonical(name))

    duties: dict[str, list[str]] = defaultdict(list)
    for names, duty in ((meeting.chair, "chair_duty"), (meeting.adjusters, "adjuster_duty")):
        for name in names:
            duties[identity(name)].append(duty)
    if meeting.secretary:
        duties[identity(meeting.secretary)].append("secretary_duty")

    sections: dict[tuple[str, str], list[Participant]] = {}
    for person in meeting.participants:
        if person.present is False:
            key = ("absent", "")
        elif person.group:
            key = ("group", person.group)
        else:
            key = ("role", person.role if person.role in ROLE_SECTION else "övrig")
        sections.setdefault(key, []).append(person)
    order = sorted(sections, key=lambda key: key[0] == "absent")  # stable: the minutes' order

    made = []
    for kind, name in order:
        people = sections[(kind, name)]
        said = name if kind == "role" else None  # the role the heading names
        attendees = tuple(
            Attendee(
                p,
                _role_words(p.role, said, language),
                tuple(duties.get(identity(p.name), ())),
                translate(f"party_{p.party}", language) if p.party in PARTIES else "",
                "" if kind == "absent" else _status(meeting, p, language),
            )
            for p in people
        )
        statuses = {a.status for a in attendees}
        note = statuses.pop() if len(statuses) == 1 else ""
        if note:
            attendees = tuple(replace(a, status="") for a in attendees)
        heading = {
            "absent": translate(ABSENT_SECTION, language),
            "role": translate(ROLE_SECTION.get(name, ROLE_SECTION["övrig"]), language),
        }.get(kind, name)
        made.append(
            ParticipantSection(
                heading,
                attendees,
                own_heading=kind == "group",
                # roles that differ, or one in the minutes' own words (never lost)
                show_role=len({a.role for a in attendees}) > 1
                or any(p.role and p.role not in ROLE_WORD for p in people),
                show_party=any(p.party for p in people),
                note=note,
            )
        )
    return tuple(made)


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
