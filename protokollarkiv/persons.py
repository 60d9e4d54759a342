"""Person pages: every public person's meetings, attendance and duties, gathered in one pass.

`person_index` walks the site's meetings once and collects every participation of every person
(participant entries, and the chair, secretary and adjusters, joined through `People.canonical`);
a person page then reads its person's participations from the index, so the person pages cost
what the participant lists cost, however large the archive.

Slugs are stable. A person's slug is the slug of their name (the rules of every slug); when the
names of several people give one slug, the one who appears first (earliest meeting date, then
file path) keeps it and the others get `-2`, `-3`, … in that order, so a meeting later than the
others never changes an existing person's URL. People declared `public: false` keep their place
in that order (hiding someone never moves another's URL) but get no page, no link and no record
in search.
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from collections import defaultdict
from collections.abc import Callable, Mapping
from dataclasses import dataclass

from .markdown import slugify
from .model import Item, Meeting, Network, Participant, People, Site, Vote, person_key
from .strings import translate
from .urls import meeting_url, person_url
from .views import FILTER_MUNICIPALITY, FILTER_NETWORK, FILTER_TYPE, FILTER_YEAR, ROLE_WORD

PRESENT, ABSENT, NOT_RECORDED = "present", "absent", "not_recorded"
ROW_CLASS = {PRESENT: "is-present", ABSENT: "is-absent", NOT_RECORDED: "is-unknown"}
NAMELESS = "person"  # the slug of a name without a letter or digit in ASCII
_NUMBERED = re.compile(r"(-\d+)+$")  # `-2`, `-3`: the suffixes slugs are told apart by


@dataclass(frozen=True)
class Participation:
    """One person at one meeting: their entry on the participant list (None when the minutes
    name them only as chair, secretary or adjuster) and their duties there."""

    meeting: Meeting
    entry: Participant | None
    duties: tuple[str, ...] = ()  # translation keys: chair_duty, secretary_duty, adjuster_duty

    @property
    def attendance(self) -> str:
        """PRESENT, ABSENT or NOT_RECORDED (`present: null`, seed 001). A chair, secretary or
        adjuster was there, whatever the list says."""
        present = True if self.entry is None or self.duties else self.entry.present
        if present is None:
            return NOT_RECORDED
        return PRESENT if present else ABSENT

    @property
    def items(self) -> tuple[str, ...]:
        """The items they took part in, when only some (`items`); () for the whole meeting."""
        return self.entry.items if self.entry is not None else ()

    @property
    def recused(self) -> tuple[str, ...]:
        """The items they declared a conflict of interest in (jäv) and took no part in."""
        return self.entry.recused if self.entry is not None else ()


@dataclass(frozen=True)
class PersonRecord:
    """One person of the archive: the name shown, the slug, and every participation, newest first."""

    key: str  # person_key of the canonical name
    name: str  # people.yml's name, else the spelling the minutes use most (the newest on a tie)
    slug: str
    public: bool
    participations: tuple[Participation, ...]  # newest first, as Site.meetings
    spellings: tuple[
        str, ...
    ] = ()  # the ways the minutes write the name (most used first), people.yml's aliases

    @property
    def url(self) -> str:
        return person_url(self.slug)

    @property
    def affiliation(self) -> tuple[str | None, str | None]:
        """(municipality slug, organisation) of the newest participant entry that names one."""
        for participation in self.participations:
            entry = participation.entry
            if entry is not None and (entry.municipality or entry.organisation):
                return entry.municipality, entry.organisation
        return None, None


@dataclass(frozen=True)
class PersonIndex:
    """Every person of the site's meetings, and the links and sources that depend on them."""

    people: Mapping[str, PersonRecord]  # person key -> record, in order of first appearance
    declared: People
    # meeting file -> the meeting files whose people compete with its people for a slug: a
    # change to one of them may change a URL the meeting's page links to (rare: names alike)
    rivals: Mapping[str, frozenset[str]]

    def record(self, name: str) -> PersonRecord | None:
        return self.people.get(person_key(self.declared.canonical(name)))

    def url_of(self, name: str) -> str | None:
        """The person page of whoever the minutes name so; None for people kept off the pages
        (`public: false`) or not in the index."""
        found = self.record(name)
        return found.url if found is not None and found.public else None

    def links(self, meeting: Meeting) -> dict[str, str]:
        """Name as the meeting writes it -> person page, for everyone it names who has a page."""
        names = [p.name for p in meeting.participants] + [*meeting.chair, *meeting.adjusters]
        if meeting.secretary:
            names.append(meeting.secretary)
        found = {name: self.url_of(name) for name in names}
        return {name: url for name, url in found.items() if url is not None}

    @property
    def public(self) -> tuple[PersonRecord, ...]:
        return tuple(record for record in self.people.values() if record.public)


def _named(
    meeting: Meeting, identity: Callable[[str], str]
) -> dict[str, tuple[Participant | None, list[str], list[str]]]:
    """Person key -> (first participant entry, duties, names as written) of everyone a meeting names."""
    found: dict[str, tuple[Participant | None, list[str], list[str]]] = {}
    for participant in meeting.participants:
        key = identity(participant.name)
        if key not in found:
            found[key] = (participant, [], [participant.name])
        elif participant.name not in found[key][2]:
            found[key][2].append(participant.name)
    secretary = (meeting.secretary,) if meeting.secretary else ()
    for duty, names in (
        ("chair_duty", meeting.chair),
        ("secretary_duty", secretary),
        ("adjuster_duty", meeting.adjusters),
    ):
        for name in names:
            key = identity(name)
            entry = found.setdefault(key, (None, [], [name]))
            if duty not in entry[1]:
                entry[1].append(duty)
            if name not in entry[2]:
                entry[2].append(name)
    return found


def person_index(site: Site) -> PersonIndex:
    """Everyone the site's meetings name, in one pass over the meetings; slugs by first appearance."""
    declared = site.people
    keys: dict[str, str] = {}  # name as written -> person key: the same names recur in every meeting

    def identity(name: str) -> str:
        key = keys.get(name)
        if key is None:
            key = keys[name] = person_key(declared.canonical(name))
        return key

    found: dict[str, list[Participation]] = defaultdict(list)
    spellings: dict[str, dict[str, int]] = defaultdict(dict)
    first: dict[str, tuple[dt.date, str]] = {}
    for meeting in site.meetings:  # newest first
        here = (meeting.date, meeting.source_name)
        for key, (entry, duties, names) in _named(meeting, identity).items():
            found[key].append(Participation(meeting, entry, tuple(duties)))
            counts = spellings[key]
            for name in names:
                counts[name] = counts.get(name, 0) + 1
            if key not in first or here < first[key]:
                first[key] = here
    order = sorted(found, key=lambda key: (first[key], key))
    bases = {key: slugify(key) or NAMELESS for key in order}
    taken: set[str] = set()
    people: dict[str, PersonRecord] = {}
    for key in order:
        slug, number = bases[key], 1
        while slug in taken:
            number += 1
            slug = f"{bases[key]}-{number}"
        taken.add(slug)
        person = declared.by_key.get(key)
        counts = spellings[key]  # in the order met: newest first
        name = person.name if person else max(counts, key=lambda n: counts[n])  # first max: newest
        public = person.public if person else True
        written = sorted(counts, key=lambda n: -counts[n])  # stable: newest first on a tie
        written += [alias for alias in (person.aliases if person else ()) if alias not in counts]
        people[key] = PersonRecord(key, name, slug, public, tuple(found[key]), tuple(written))
    return PersonIndex(people, declared, _rivals(people, bases))


def _rivals(people: Mapping[str, PersonRecord], bases: Mapping[str, str]) -> dict[str, frozenset[str]]:
    """Meeting file -> the files of every person whose slug could compete with one of its people's
    (the same slug once `-2`, `-3` suffixes are set aside)."""
    groups: dict[str, list[str]] = defaultdict(list)
    for key, base in bases.items():
        groups[_NUMBERED.sub("", base) or base].append(key)
    rivals: dict[str, frozenset[str]] = {}
    for keys in groups.values():
        if len(keys) > 1:
            files = frozenset(p.meeting.source_name for key in keys for p in people[key].participations)
            for name in files:
                rivals[name] = rivals.get(name, frozenset()) | files
    return rivals


# --- What the person pages show --------------------------------------------------------------


@dataclass(frozen=True)
class MeetingRow:
    """One meeting on a person's page."""

    participation: Participation
    network: Network  # the network they came with (their group's, else the primary)
    status: str  # in words: Närvarande, Närvarande endast § 103, Frånvarande, Ej antecknat
    role: str  # in words, or as the minutes write it
    recused: str  # "§ 105" (jäv), "" when none
    duties: tuple[str, ...]  # translation keys
    css: str = "is-present"  # is-present, is-absent, is-unknown: as the meeting's participant table


@dataclass(frozen=True)
class YearRows:
    year: int
    rows: tuple[MeetingRow, ...]


@dataclass(frozen=True)
class RoleSpan:
    """A role in a network over time: from the first to the last meeting with it."""

    network: Network
    role: str
    affiliation: str  # municipality name or organisation, as in those meetings
    first: dt.date
    last: dt.date
    meetings: int


@dataclass(frozen=True)
class AttendanceRate:
    """Attendance in one network in one year; `not_recorded` is counted apart, never as absent."""

    network: Network
    year: int
    present: int
    absent: int
    not_recorded: int

    @property
    def rate(self) -> int | None:
        """Per cent present of the meetings whose minutes record it; None when none do."""
        known = self.present + self.absent
        return round(100 * self.present / known) if known else None


def network_of(participation: Participation, site: Site) -> Network:
    """The network a person came to a meeting with: the one their `group` names (a joint meeting's
    delegations, seed 004), else the meeting's primary network."""
    meeting, entry = participation.meeting, participation.entry
    if entry is not None and entry.group and len(meeting.networks) > 1:
        for slug in meeting.networks:
            network = site.networks.get(slug)
            if network is not None and entry.group in (network.name, network.short_name):
                return network
    return site.networks[meeting.primary_network]


def _role(entry: Participant | None, language: str) -> str:
    if entry is None or not entry.role:
        return ""
    return translate(ROLE_WORD[entry.role], language) if entry.role in ROLE_WORD else entry.role


def _status(participation: Participation, language: str) -> str:
    state = participation.attendance
    if state == PRESENT and participation.items:
        return translate(
            "present_for", language, items=participation.meeting.item_labels(participation.items)
        )
    return translate(state, language)


def _place(entry: Participant | None, site: Site) -> str:
    if entry is None:
        return ""
    known = site.municipalities.get(entry.municipality or "")
    return ", ".join(filter(None, (known.name if known else entry.municipality, entry.organisation)))


@dataclass(frozen=True)
class PersonVote:
    """A named vote the person cast, or a reservation they made, in one item of one meeting."""

    meeting: Meeting
    item: Item
    answer: str  # "ja", "nej", "avstår"; "" for a reservation
    vote: Vote | None = None
    grounds: str = ""  # a reservation's written grounds

    @property
    def url(self) -> str:
        return f"{meeting_url(self.meeting)}#{self.item.anchor}"


def person_votes(record: PersonRecord, site: Site) -> tuple[PersonVote, ...]:
    """The person's named votes and reservations, newest meeting first, in the minutes' order."""
    canonical = site.people.canonical
    mine = {person_key(name) for name in record.spellings} | {record.key}

    def is_them(name: str) -> bool:
        return person_key(canonical(name)) in mine or person_key(name) in mine

    found: list[PersonVote] = []
    for participation in record.participations:
        meeting = participation.meeting
        for item, vote in meeting.votes:
            found.extend(PersonVote(meeting, item, b.answer, vote) for b in vote.ballots if is_them(b.name))
        for item, reservation in meeting.reservations:
            if any(is_them(name) for name in reservation.names):
                found.append(PersonVote(meeting, item, "", grounds=reservation.grounds))
    return tuple(found)


def person_context(record: PersonRecord, site: Site) -> dict[str, object]:
    """What templates/person.html shows of one person (made when the page is rendered)."""
    language = site.config.language
    rows: dict[int, list[MeetingRow]] = defaultdict(list)
    spans: dict[tuple[str, str, str], list[dt.date]] = {}
    rates: dict[tuple[str, int], list[int]] = {}
    for participation in record.participations:  # newest first
        meeting, entry = participation.meeting, participation.entry
        network = network_of(participation, site)
        role = _role(entry, language)
        recused = meeting.item_labels(participation.recused) if participation.recused else ""
        status = _status(participation, language)
        css = ROW_CLASS[participation.attendance]
        rows[meeting.year].append(
            MeetingRow(participation, network, status, role, recused, participation.duties, css)
        )
        if entry is not None:
            spans.setdefault((network.slug, role, _place(entry, site)), []).append(meeting.date)
        counts = rates.setdefault((network.slug, meeting.year), [0, 0, 0])
        counts[(PRESENT, ABSENT, NOT_RECORDED).index(participation.attendance)] += 1
    roles = sorted(
        (
            RoleSpan(site.networks[slug], role, place, min(days), max(days), len(days))
            for (slug, role, place), days in spans.items()
        ),
        key=lambda span: (span.network.name, span.first, span.role),
    )
    attendance = sorted(
        (AttendanceRate(site.networks[slug], year, *counts) for (slug, year), counts in rates.items()),
        key=lambda rate: (rate.network.name, -rate.year),
    )
    duties = tuple(row for year in rows.values() for row in year if row.duties)
    return {
        "person": record,
        "years": tuple(YearRows(year, tuple(found)) for year, found in rows.items()),
        "roles": tuple(roles),
        "attendance": tuple(attendance),
        "duties": duties,
        "votes": person_votes(record, site),
        "search": person_search(record, site),
        "summary": person_summary(record, site),
    }


def person_search(record: PersonRecord, site: Site) -> dict[str, object]:
    """A person page's search facets, as a meeting's (`views.meeting_filters`): the municipalities
    they came from, their networks and years, the type Person; the latest meeting to sort by.

    Only the name and the summary are searched: no network names in the metadata, or a search
    for a network would list everyone who ever sat in it."""
    municipalities: dict[str, None] = {}
    networks: dict[str, None] = {}
    years: dict[str, None] = {}
    for participation in record.participations:
        entry = participation.entry
        known = site.municipalities.get(entry.municipality or "") if entry is not None else None
        if known is not None:
            municipalities[known.name] = None
        networks[network_of(participation, site).short_name] = None
        years[str(participation.meeting.year)] = None
    filters = {
        FILTER_NETWORK: sorted(networks),
        FILTER_MUNICIPALITY: sorted(municipalities),
        FILTER_YEAR: list(years),
        FILTER_TYPE: [translate("person", site.config.language)],
    }
    latest = record.participations[0].meeting.date.isoformat() if record.participations else ""
    other = [name for name in record.spellings if name != record.name]  # found by any spelling
    return {"filters": filters, "latest": latest, "spellings": "; ".join(other)}


def person_summary(record: PersonRecord, site: Site) -> str:
    """One sentence: where they come from, how many meetings, which years."""
    language = site.config.language
    municipality, organisation = record.affiliation
    known = site.municipalities.get(municipality or "")
    place = ", ".join(filter(None, (known.name if known else municipality, organisation)))
    years = sorted({p.meeting.year for p in record.participations})
    count = len(record.participations)
    span = (str(years[0]) if years[0] == years[-1] else f"{years[0]}–{years[-1]}") if years else ""
    words = translate(
        "person_meetings_one" if count == 1 else "person_meetings", language, n=count, years=span
    )
    return f"{place}. {words}" if place else words


# --- The index of people ---------------------------------------------------------------------


@dataclass(frozen=True)
class PersonGroup:
    """The people of one municipality or organisation (or of none), by name."""

    heading: str
    anchor: str
    people: tuple[PersonRecord, ...]
    own_heading: bool = False  # an organisation as the minutes write it (Swedish content)


def sort_name(name: str) -> str:
    """A name as Swedish sorts it: case aside, å ä ö after z in that order, other accents dropped."""
    swedish = {"å": "{", "ä": "|", "ö": "}", "æ": "|", "ø": "}"}
    folded = [swedish.get(c, c) for c in name.casefold()]
    decomposed = unicodedata.normalize("NFKD", "".join(folded))
    return "".join(c for c in decomposed if not unicodedata.combining(c))


def person_groups(index: PersonIndex, site: Site) -> tuple[PersonGroup, ...]:
    """The public people by municipality (in the site's order), then organisation (alphabetical),
    then those without either; each group by name."""
    by_place: dict[tuple[int, str], list[PersonRecord]] = defaultdict(list)
    places = {slug: place for place, slug in enumerate(site.municipalities)}
    for record in index.public:
        municipality, organisation = record.affiliation
        if municipality is not None:
            by_place[(0, municipality) if municipality in places else (1, municipality)].append(record)
        elif organisation:
            by_place[(1, organisation)].append(record)
        else:
            by_place[(2, "")].append(record)

    def order(group: tuple[int, str]) -> tuple[int, int, str]:
        kind, name = group
        return (kind, places.get(name, 0) if kind == 0 else 0, sort_name(name))

    language = site.config.language
    made: list[PersonGroup] = []
    for kind, name in sorted(by_place, key=order):
        members = tuple(sorted(by_place[(kind, name)], key=lambda r: (sort_name(r.name), r.slug)))
        if kind == 0:  # anchors by name, so a link to one stays good as people come and go
            heading, anchor = site.municipalities[name].name, f"kommun-{name}"
        elif kind == 1:
            heading, anchor = name, f"organisation-{slugify(name) or len(made)}"
        else:
            heading, anchor = translate("persons_unaffiliated", language), "ovriga"
        if any(group.anchor == anchor for group in made):  # organisations alike but for accents
            anchor = f"{anchor}-{len(made)}"
        made.append(PersonGroup(heading, anchor, members, own_heading=kind == 1))
    return tuple(made)
