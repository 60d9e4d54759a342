"""The site model: frozen records of the archive and the indexes built once from them."""

from __future__ import annotations

import datetime as dt
import functools
import unicodedata
from collections import defaultdict
from collections.abc import Callable, Hashable, Mapping
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from typing import Literal, Protocol, TypeVar
from zoneinfo import ZoneInfo

Status = Literal["utkast", "justerat"]
STATUSES: tuple[Status, ...] = ("utkast", "justerat")
ROLES = ("beslutande", "ledamot", "ersättare", "adjungerad", "övrig", "tjänsteperson")
PARTIES = ("S", "M", "V", "L", "KD", "C", "MP", "SD")
Language = Literal["sv", "en"]
Numbering = Literal["continuous-per-year", "per-meeting", "time"]
NUMBERINGS: tuple[Numbering, ...] = ("continuous-per-year", "per-meeting", "time")
TIMEZONE = ZoneInfo("Europe/Stockholm")
# The days an archive's dates may name. Wide enough for any minutes (kommunalförordningarna are of
# 1862) and any announced meeting, narrow enough that a day after the last one still exists.
EARLIEST_DAY = dt.date(1800, 1, 1)
LATEST_DAY = dt.date(2999, 12, 31)
HIGHLIGHTS = 3  # items a listing shows of each meeting
MEETING_HOURS = dt.timedelta(hours=2)  # how long a meeting with a start time only is shown to last
LANGUAGES: tuple[Language, ...] = ("sv", "en")
T = TypeVar("T")


class Reuse(Protocol):
    """Where a piece made from frozen records alone (a listing row, an export line, review findings)
    may be kept and found again while the same record objects live; `made_anew` keeps nothing.

    `subject` is a record or a tuple of records; `kind` and `variant` say which piece of it. The
    piece may depend on the subject, the variant and the archive-wide settings, nothing else.
    """

    def __call__(self, subject: object, kind: str, make: Callable[[], T], variant: Hashable = "") -> T: ...


def made_anew(subject: object, kind: str, make: Callable[[], T], variant: Hashable = "") -> T:
    """The reference `Reuse`: every piece is made when asked for."""
    return make()


@dataclass(frozen=True)
class SiteConfig:
    title: str
    description: str = ""
    base_url: str = ""
    language: Language = "sv"
    organisation: str = ""
    contact_email: str = ""
    accessibility_contact: str = ""
    accessibility_tested_on: dt.date | None = None
    accessibility_known_issues: tuple[str, ...] = ()
    licence: str = ""
    publish_years: int | None = None  # meetings older than this many years leave publication
    allowed_contacts: tuple[str, ...] = ()  # phone numbers and e-mail addresses minutes may name
    cms_repo: str = ""  # the GitHub repository (owner/name) the web editor commits to
    cms_branch: str = "main"


@dataclass(frozen=True)
class Municipality:
    slug: str
    name: str
    code: str
    county: str


@dataclass(frozen=True)
class Network:
    slug: str
    name: str
    short_name: str
    organiser: str
    region: str
    members: tuple[str, ...]
    description: str = ""
    numbering: Numbering = "continuous-per-year"
    anslag: bool = False  # a formal body: its justering is announced and can be appealed
    kept_at: str = ""  # where its signed protocols are kept (förvaringsplats)


@dataclass(frozen=True)
class Participant:
    name: str
    municipality: str | None = None
    organisation: str | None = None
    role: str = ""
    party: str | None = None
    present: bool | None = True  # None: the minutes do not record it
    group: str | None = None
    items: tuple[str, ...] = ()
    recused: tuple[str, ...] = ()  # item numbers where they declared a conflict of interest (jäv)


Answer = Literal["ja", "nej", "avstår"]
ANSWERS: tuple[Answer, ...] = ("ja", "nej", "avstår")
Side = Literal["ja", "nej"]


@dataclass(frozen=True)
class Proposition:
    """What a vote answered with `side` supports ("Ja-röst för arbetsutskottets förslag")."""

    side: Side
    text: str


@dataclass(frozen=True)
class Ballot:
    """One named vote: who, and ja, nej or avstår; where the name is written in the file."""

    name: str
    answer: Answer
    line: int = field(default=0, compare=False)
    column: int = field(default=0, compare=False)


@dataclass(frozen=True)
class Vote:
    """A votering (kommunallagen 5 kap. 67 §): its propositions, the named votes or only the counts,
    and which proposition won."""

    propositions: tuple[Proposition, ...]
    ballots: tuple[Ballot, ...]  # named votes in the order written; () when only counts are given
    stated: tuple[int, int, int] | None  # the counts as written (ja, nej, avstår), if written
    result: Side
    line: int = field(default=0, compare=False)  # file line of `::: votering`
    stated_at: tuple[int, int] = field(default=(0, 0), compare=False)  # (line, column) of the counts
    result_at: tuple[int, int] = field(default=(0, 0), compare=False)

    @property
    def counts(self) -> tuple[int, int, int]:
        """(ja, nej, avstår): as stated, else counted from the named votes."""
        if self.stated is not None:
            return self.stated
        return (
            sum(b.answer == "ja" for b in self.ballots),
            sum(b.answer == "nej" for b in self.ballots),
            sum(b.answer == "avstår" for b in self.ballots),
        )

    @property
    def score(self) -> str:
        """`5–3`, or `5–3–1` with abstentions: the short mark of a listing."""
        ja, nej, avstar = self.counts
        return f"{ja}–{nej}–{avstar}" if avstar else f"{ja}–{nej}"

    def names(self, answer: Answer) -> tuple[str, ...]:
        return tuple(b.name for b in self.ballots if b.answer == answer)

    def proposition(self, side: Answer) -> str:
        """What a vote of `side` supported; "" for avstår, or when the minutes do not say."""
        return next((p.text for p in self.propositions if p.side == side), "")


@dataclass(frozen=True)
class Reservation:
    """Who reserved themselves against the item's decision, with their written grounds if any."""

    names: tuple[str, ...]
    grounds: str = ""
    line: int = field(default=0, compare=False)  # file line of `::: reservation`
    name_at: tuple[tuple[int, int], ...] = field(default=(), compare=False)  # each name's (line, column)


@dataclass(frozen=True)
class Decision:
    html: str
    text: str
    item_number: str | None
    item_label: str | None
    item_title: str
    anchor: str
    line: int = field(default=0, compare=False)  # file line of the `::: beslut` fence
    procedural: bool = False  # its item is a formality (see `procedural`)
    votes: tuple[Vote, ...] = ()  # the votes of its item (the register shows them with it)
    reservations: tuple[Reservation, ...] = ()  # the reservations of its item

    @property
    def reservants(self) -> tuple[str, ...]:
        """Everyone who reserved themselves against it, in the order written."""
        return tuple(name for reservation in self.reservations for name in reservation.names)


@dataclass(frozen=True)
class Item:
    number: str | None
    label: str | None
    title: str
    anchor: str
    decisions: tuple[Decision, ...] = ()
    line: int = field(default=0, compare=False)  # file line of the heading
    procedural: bool = False  # a formality (mötets öppnande, val av justerare, …): see `procedural`
    votes: tuple[Vote, ...] = ()  # `::: votering` blocks in the item
    reservations: tuple[Reservation, ...] = ()  # `::: reservation` blocks in the item
    recused: tuple[str, ...] = ()  # names of the participants recused (jäv) from this item


@dataclass(frozen=True)
class TimeSpan:
    """When a meeting was held that day: `09:00` or `09:00-12:00` (the end not before the start)."""

    start: dt.time
    end: dt.time | None = None

    def __str__(self) -> str:
        start = f"{self.start:%H:%M}"
        return f"{start}-{self.end:%H:%M}" if self.end else start


@dataclass(frozen=True)
class DaySpan:
    """The days of an announced meeting: one day, or `2024-10-24--25` (the last not before the first)."""

    first: dt.date
    last: dt.date
    rest: str = ""  # words written after the days: `2024-10-24 kl. 13` -> "kl. 13"


@dataclass(frozen=True)
class Correction:
    """A change made to justerat minutes: when, and what was corrected."""

    date: dt.date
    text: str


@dataclass(frozen=True)
class AttachmentText:
    """What an attachment's file holds for search (read by attachment.py, kept by its bytes)."""

    digest: str  # SHA-256 of the file's bytes: the key of this reading in the build cache
    paragraphs: tuple[str, ...] = ()  # at most attachment.TEXT_LIMIT characters in all
    shortened: bool = False  # the file holds more text than that: the rest is not searchable
    no_text: bool = False  # read, but without text: a scanned PDF (there is no OCR)
    problem: str = ""  # why the file could not be read ("" when it could)


@dataclass(frozen=True)
class Attachment:
    file: str  # relative to the meeting's attachment folder
    title: str
    source: Path
    text: AttachmentText | None = None  # set by the build for Word, PDF and text files


@dataclass(frozen=True)
class Meeting:
    source: Path
    networks: tuple[str, ...]  # the first is the primary network
    date: dt.date
    title: str
    status: Status
    time: TimeSpan | None = None
    place: str | None = None
    adjusted_on: dt.date | None = None
    posted_on: dt.date | None = None  # the justering announced on the anslagstavla
    corrections: tuple[Correction, ...] = ()  # changes made after justering, oldest first
    unpublished: str | None = None  # why the meeting left publication
    chair: tuple[str, ...] = ()
    secretary: str | None = None
    adjusters: tuple[str, ...] = ()
    participants: tuple[Participant, ...] = ()
    municipalities: tuple[tuple[str, bool], ...] = ()  # explicit per-municipality attendance
    next_meeting: dt.date | str | None = None  # shown: a date, or the text as written
    next_days: DaySpan | None = None  # the days `next_meeting` names, when it names days
    attachments: tuple[Attachment, ...] = ()
    original: Attachment | None = None  # the signed protocol (PDF) in the meeting's folder
    slug: str | None = None
    aliases: tuple[str, ...] = ()
    body_html: str = ""
    items: tuple[Item, ...] = ()
    text: str = ""  # the body's Markdown as written, published in mote.json and sealed (see seal)
    digest: str = ""  # SHA-256 of the published facts and text (seal.digest_of)
    # Where front-matter keys ("status", "participants.3", …) start: (line, column), for reviews.
    positions: Mapping[str, tuple[int, int]] = field(default_factory=dict, compare=False, repr=False)

    @cached_property
    def source_name(self) -> str:
        """The file as a string, as the build state and the pages' sources name it."""
        return str(self.source)

    @property
    def primary_network(self) -> str:
        return self.networks[0]

    @property
    def year(self) -> int:
        return self.date.year

    @property
    def is_draft(self) -> bool:
        return self.status == "utkast"

    @cached_property
    def decisions(self) -> tuple[Decision, ...]:
        return tuple(d for item in self.items for d in item.decisions)

    @cached_property
    def votes(self) -> tuple[tuple[Item, Vote], ...]:
        """Every vote of the minutes with its item, in the minutes' order."""
        return tuple((item, vote) for item in self.items for vote in item.votes)

    @cached_property
    def reservations(self) -> tuple[tuple[Item, Reservation], ...]:
        """Every reservation of the minutes with its item, in the minutes' order."""
        return tuple((item, r) for item in self.items for r in item.reservations)

    @cached_property
    def substantive_items(self) -> tuple[Item, ...]:
        """The items that are not formalities, in the minutes' order."""
        return tuple(item for item in self.items if not item.procedural)

    @cached_property
    def highlights(self) -> tuple[Item, ...]:
        """What a listing says the meeting was about: up to three items that are not formalities,
        those with decisions first, each group in the minutes' order."""
        ranked = sorted(self.substantive_items, key=lambda item: not item.decisions)  # stable
        return tuple(ranked[:HIGHLIGHTS])

    @cached_property
    def substantive_decisions(self) -> tuple[Decision, ...]:
        return tuple(d for d in self.decisions if not d.procedural)

    def item_labels(self, numbers: tuple[str, ...]) -> str:
        """`§ 103, § 104` for item numbers, as the items are headed in this meeting."""
        labels = {item.number: item.label for item in self.items if item.number}
        return ", ".join(labels.get(number) or number for number in numbers)

    @property
    def times(self) -> tuple[dt.datetime, dt.datetime] | None:
        """Start and end in Swedish time, when the minutes give a time of day."""
        if self.time is None:
            return None
        start = dt.datetime.combine(self.date, self.time.start, tzinfo=TIMEZONE)
        if self.time.end is None:
            return start, start + MEETING_HOURS
        return start, dt.datetime.combine(self.date, self.time.end, tzinfo=TIMEZONE)

    @cached_property
    def attendance(self) -> Mapping[str, bool]:
        """Municipality slug -> represented for the whole meeting: a present participant from it
        took part in all of it. One who came for some `items` only makes it partly represented
        (see `partly`), not represented. An explicit `municipalities:` entry wins over participants."""
        result: dict[str, bool] = {}
        for participant in self.participants:
            if participant.municipality and participant.present is not None:
                whole = participant.present and not participant.items
                result[participant.municipality] = result.get(participant.municipality, False) or whole
        result.update(dict(self.municipalities))
        return result

    @cached_property
    def partly(self) -> Mapping[str, tuple[str, ...]]:
        """Municipality slug -> the item numbers it was represented for, in the minutes' order, when
        its only present attendees took part in some items and no explicit entry decides."""
        order = {item.number: place for place, item in enumerate(self.items) if item.number}
        found: dict[str, set[str]] = {}
        for participant in self.participants:
            slug = participant.municipality
            if slug and participant.present and participant.items and not self.attendance.get(slug):
                found.setdefault(slug, set()).update(participant.items)
        explicit = {slug for slug, _ in self.municipalities}
        return {
            slug: tuple(sorted(items, key=lambda number: (order.get(number, len(order)), number)))
            for slug, items in found.items()
            if slug not in explicit
        }

    @property
    def represented(self) -> tuple[str, ...]:
        return tuple(sorted(slug for slug, present in self.attendance.items() if present))

    def represented_for(self, item_number: str | None) -> tuple[str, ...]:
        """The municipalities represented when the item was dealt with: those of the whole
        meeting and those partly represented for this item."""
        partly = {slug for slug, items in self.partly.items() if item_number in items}
        return tuple(sorted(partly.union(self.represented))) if partly else self.represented


@functools.lru_cache(maxsize=1 << 16)  # the same names recur in every meeting
def person_key(name: str) -> str:
    """The name as a person is known by: NFC, case-folded, single spaces."""
    return " ".join(unicodedata.normalize("NFC", name).casefold().split())


@dataclass(frozen=True)
class Person:
    name: str  # as people.yml writes it
    aliases: tuple[str, ...] = ()
    public: bool = True
    line: int = 0


@dataclass(frozen=True)
class People:
    """The people `people.yml` declares, by every key of their spellings."""

    declared: tuple[Person, ...] = ()
    by_key: Mapping[str, Person] = field(default_factory=dict)

    def canonical(self, name: str) -> str:
        """The name a person is shown and linked by: the declared name for any of its spellings."""
        person = self.by_key.get(person_key(name))
        return person.name if person else name

    def same(self, a: str, b: str) -> bool:
        """Whether people.yml says the two names are one person."""
        first, second = self.by_key.get(person_key(a)), self.by_key.get(person_key(b))
        return first is not None and first is second

    def distinct(self, a: str, b: str) -> bool:
        """Whether people.yml declares the two names as two people."""
        first, second = self.by_key.get(person_key(a)), self.by_key.get(person_key(b))
        return first is not None and second is not None and first is not second


@dataclass(frozen=True)
class Site:
    config: SiteConfig
    municipalities: Mapping[str, Municipality]  # ordered by name
    networks: Mapping[str, Network]  # ordered by name
    meetings: tuple[Meeting, ...]  # newest first
    by_network: Mapping[str, tuple[Meeting, ...]] = field(default_factory=dict)
    by_municipality: Mapping[str, tuple[Meeting, ...]] = field(default_factory=dict)
    by_year: Mapping[int, tuple[Meeting, ...]] = field(default_factory=dict)
    counties: Mapping[str, tuple[Municipality, ...]] = field(default_factory=dict)
    networks_of: Mapping[str, tuple[Network, ...]] = field(default_factory=dict)
    gone: tuple[Meeting, ...] = ()  # justerat minutes taken off publication: their URLs answer 410
    people: People = field(default_factory=lambda: People())  # content/people.yml

    @cached_property
    def _places(self) -> dict[int, int]:
        """id(meeting) -> its place in its primary network's series (the site holds every meeting)."""
        return {
            id(meeting): place
            for slug, series in self.by_network.items()
            for place, meeting in enumerate(series)
            if meeting.primary_network == slug
        }

    def neighbours(self, meeting: Meeting) -> tuple[Meeting | None, Meeting | None]:
        """(previous, next) meeting of the meeting's primary network, by date."""
        series = self.by_network.get(meeting.primary_network, ())
        position = self._places[id(meeting)]
        newer = series[position - 1] if position > 0 else None
        older = series[position + 1] if position + 1 < len(series) else None
        return older, newer


def meeting_order(meeting: Meeting) -> tuple[dt.date, str, str]:
    """Newest first when sorted in reverse; ties broken by slug and path so the order is stable."""
    return (meeting.date, meeting.slug or "", str(meeting.source))


def build_site(
    config: SiteConfig,
    municipalities: Mapping[str, Municipality],
    networks: Mapping[str, Network],
    meetings: list[Meeting],
) -> Site:
    """Sort everything once and compute the indexes the pages need."""
    ordered = tuple(sorted(meetings, key=meeting_order, reverse=True))
    munis = dict(sorted(municipalities.items(), key=lambda kv: (kv[1].name, kv[0])))
    nets = dict(sorted(networks.items(), key=lambda kv: (kv[1].name, kv[0])))

    by_network: dict[str, list[Meeting]] = defaultdict(list)
    by_municipality: dict[str, list[Meeting]] = defaultdict(list)
    by_year: dict[int, list[Meeting]] = defaultdict(list)
    networks_of: dict[str, list[Network]] = defaultdict(list)
    for network in nets.values():
        for member in network.members:
            networks_of[member].append(network)
    for meeting in ordered:
        by_year[meeting.year].append(meeting)
        concerned: set[str] = set(meeting.attendance)
        for slug in meeting.networks:
            by_network[slug].append(meeting)
            if slug in nets:
                concerned.update(nets[slug].members)
        for slug in concerned:
            by_municipality[slug].append(meeting)

    counties: dict[str, list[Municipality]] = defaultdict(list)
    for municipality in munis.values():
        counties[municipality.county].append(municipality)

    return Site(
        config=config,
        municipalities=munis,
        networks=nets,
        meetings=ordered,
        by_network={k: tuple(v) for k, v in by_network.items()},
        by_municipality={k: tuple(v) for k, v in by_municipality.items()},
        by_year={k: tuple(v) for k, v in sorted(by_year.items(), reverse=True)},
        counties={k: tuple(v) for k, v in sorted(counties.items())},
        networks_of={k: tuple(v) for k, v in networks_of.items()},
    )
