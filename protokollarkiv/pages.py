"""The URL scheme (only here) and the list of pages the site consists of."""

from __future__ import annotations

import functools
import hashlib
import os
from collections import defaultdict
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field
from datetime import date
from operator import attrgetter
from pathlib import Path
from typing import Any

from .diagnostics import Diagnostics, SourcePos
from .model import Decision, Meeting, Municipality, Network, Participant, Site
from .strings import CSV_COLUMNS, MEETING_FIELDS, translate

# --- URLs -------------------------------------------------------------------------------------


def home_url() -> str:
    return "/"


def networks_url() -> str:
    return "/natverk/"


def network_url(network: Network | str) -> str:
    slug = network if isinstance(network, str) else network.slug
    return f"/natverk/{slug}/"


def meeting_url(meeting: Meeting) -> str:
    suffix = f"-{meeting.slug}" if meeting.slug else ""
    return f"{network_url(meeting.primary_network)}{meeting.date.isoformat()}{suffix}/"


def attachment_url(meeting: Meeting, file: str) -> str:
    return meeting_url(meeting) + file


def municipalities_url() -> str:
    return "/kommun/"


def municipality_url(municipality: Municipality | str) -> str:
    slug = municipality if isinstance(municipality, str) else municipality.slug
    return f"/kommun/{slug}/"


def years_url() -> str:
    return "/ar/"


def year_url(year: int) -> str:
    return f"/ar/{year}/"


def decisions_url() -> str:
    return "/beslut/"


def search_url() -> str:
    return "/sok/"


def accessibility_url() -> str:
    return "/om/tillganglighet/"


def decision_url(meeting: Meeting, decision: Decision) -> str:
    return f"{meeting_url(meeting)}#{decision.anchor}"


def feed_url(network: Network | str | None = None, municipality: Municipality | str | None = None) -> str:
    """The Atom feed of the whole archive, of a network or of a municipality."""
    if network is not None:
        return network_url(network) + "feed.xml"
    if municipality is not None:
        return municipality_url(municipality) + "feed.xml"
    return "/feed.xml"


def calendar_url(network: Network | str) -> str:
    return network_url(network) + "kalender.ics"


def meeting_data_url(meeting: Meeting) -> str:
    return meeting_url(meeting) + "mote.json"


def about_url() -> str:
    return "/om/"


def open_data_url() -> str:
    return "/om/oppna-data/"


def data_url(name: str) -> str:
    return f"/data/{name}"


URLS: Mapping[str, Any] = {
    "home": home_url,
    "networks": networks_url,
    "network": network_url,
    "meeting": meeting_url,
    "attachment": attachment_url,
    "municipalities": municipalities_url,
    "municipality": municipality_url,
    "years": years_url,
    "year": year_url,
    "decisions": decisions_url,
    "decision": decision_url,
    "search": search_url,
    "accessibility": accessibility_url,
    "feed": feed_url,
    "calendar": calendar_url,
    "meeting_data": meeting_data_url,
    "open_data": open_data_url,
    "about": about_url,
    "data": data_url,
}


def output_path(url: str) -> str:
    """The file, relative to the site folder, that serves `url`."""
    path = url.lstrip("/")
    return f"{path}index.html" if path == "" or path.endswith("/") else path


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


# --- Pages ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Page:
    url: str
    template: str
    context: Mapping[str, Any] = field(default_factory=dict)
    sources: frozenset[str] = frozenset()  # meeting files the page shows; all pages depend on site files
    sitemap: bool = True
    meeting: Meeting | None = None  # the meeting a meeting page shows (for the sitemap's lastmod)

    @property
    def path(self) -> str:
        return output_path(self.url)


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
    represented: bool | None  # None: the minutes do not say


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


def attendance_rows(meeting: Meeting, site: Site) -> tuple[AttendanceRow, ...]:
    """Every member municipality of the meeting's networks, and any other listed, by name."""
    slugs = set(meeting.attendance)
    for network in meeting.networks:
        if network in site.networks:
            slugs.update(site.networks[network].members)
    rows = [
        AttendanceRow(site.municipalities[slug], meeting.attendance.get(slug))
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


_SOURCE_NAME = attrgetter("source_name")


def _sources(meetings: tuple[Meeting | None, ...]) -> frozenset[str]:
    """The meeting files a page shows, as path strings (what the build state records)."""
    return frozenset(map(_SOURCE_NAME, filter(None, meetings)))


class _Sources:
    """The sources of the pages that list meetings, made once per list of meetings.

    A network's page, feed and calendar list the same meetings, and so do a municipality's page
    and feed: at 10,000 meetings the sets hold 300,000 names, and making them dominated the page list.
    """

    def __init__(self, site: Site) -> None:
        self._made: dict[int, tuple[tuple[Meeting, ...], frozenset[str]]] = {}
        self.everything = self(site.meetings)

    def __call__(self, meetings: tuple[Meeting, ...]) -> frozenset[str]:
        made = self._made.get(id(meetings))
        if made is None or made[0] is not meetings:
            made = self._made[id(meetings)] = (meetings, _sources(meetings))
        return made[1]


STATIC_DIR = "static"  # templates/static/, served under /static/

Asset = tuple[str, Path, bytes]  # (URL, source, bytes)


def static_assets(templates: Path, fingerprint: bool = True) -> dict[str, Asset]:
    """name -> (URL, source, bytes) for every file in templates/static/; URLs carry a content hash."""
    folder = templates / STATIC_DIR
    assets: dict[str, Asset] = {}
    if not folder.is_dir():
        return assets
    for path in sorted(p for p in folder.rglob("*") if p.is_file()):
        name = path.relative_to(folder).as_posix()
        data = path.read_bytes()
        stem, dot, suffix = name.rpartition(".")
        if fingerprint:
            digest = hashlib.sha256(data).hexdigest()[:10]
            name_out = f"{stem}.{digest}.{suffix}" if dot else f"{name}.{digest}"
        else:
            name_out = name
        assets[name] = (f"/{STATIC_DIR}/{name_out}", path, data)
    return assets


HOME_LATEST = 10


class LazyContext(Mapping[str, Any]):
    """A page context made when the page is rendered: a rebuild that renders few pages makes few.

    `release()` drops the made values once the page is rendered, so a worker that renders
    thousands of meeting pages does not keep thousands of contexts.
    """

    def __init__(self, make: Callable[[], dict[str, Any]]) -> None:
        self._make = make
        self._values: dict[str, Any] | None = None

    def _get(self) -> dict[str, Any]:
        if self._values is None:
            self._values = self._make()
        return self._values

    def release(self) -> None:
        self._values = None  # made again if asked for

    def __getitem__(self, key: str) -> Any:
        return self._get()[key]

    def __iter__(self) -> Iterator[str]:
        return iter(self._get())

    def __len__(self) -> int:
        return len(self._get())


def _meeting_context(
    meeting: Meeting, previous: Meeting | None, following: Meeting | None, site: Site
) -> dict[str, Any]:
    return {
        "meeting": meeting,
        "previous": previous,
        "following": following,
        "groups": participant_groups(meeting, site),
        "attendance": attendance_rows(meeting, site),
        "search_filters": meeting_filters(meeting, site),
        "json_ld": json_ld(meeting, site),
        "search_networks": ", ".join(site.networks[slug].short_name for slug in meeting.networks),
    }


def site_pages(site: Site, guide_html: str = "") -> list[Page]:
    """Every HTML, XML and text page of the site, in a stable order."""
    sources = _Sources(site)
    everything = sources.everything
    pages = [
        Page(
            home_url(),
            "home.html",
            {"latest": site.meetings[:HOME_LATEST]},
            everything,
        ),
        Page(networks_url(), "networks.html", {}, everything),
    ]
    for network in site.networks.values():
        meetings = site.by_network.get(network.slug, ())
        pages.append(
            Page(
                network_url(network),
                "network.html",
                {"network": network, "years": by_year(meetings), "meeting_total": len(meetings)},
                sources(meetings),
            )
        )
    pages.extend(meeting_page(meeting, *site.neighbours(meeting), site) for meeting in site.meetings)
    pages.append(Page(municipalities_url(), "municipalities.html", {}, everything))
    for municipality in site.municipalities.values():
        meetings = site.by_municipality.get(municipality.slug, ())
        pages.append(
            Page(
                municipality_url(municipality),
                "municipality.html",
                {
                    "municipality": municipality,
                    "networks": site.networks_of.get(municipality.slug, ()),
                    "years": by_year(meetings),
                    "meeting_total": len(meetings),
                },
                sources(meetings),
            )
        )
    pages.append(Page(years_url(), "years.html", {}, everything))
    for year, meetings in site.by_year.items():
        groups = {slug: tuple(m for m in meetings if slug in m.networks) for slug in site.networks}
        pages.append(
            Page(
                year_url(year),
                "year.html",
                {"year": year, "by_network": {k: v for k, v in groups.items() if v}},
                sources(meetings),
            )
        )
    pages.append(
        Page(
            decisions_url(),
            "decisions.html",
            {
                "years": [tuple(m for m in year if m.decisions) for year in site.by_year.values()],
                "decision_total": sum(len(m.decisions) for m in site.meetings),
            },
            everything,
        )
    )
    pages.append(Page(search_url(), "search.html", {"params": SEARCH_PARAMS}, everything))
    pages.append(Page(accessibility_url(), "accessibility.html"))
    pages.append(Page(about_url(), "about.html", {"guide": guide_html}))
    pages.append(Page("/404.html", "404.html", sitemap=False))
    pages.append(
        Page(
            open_data_url(), "open-data.html", {"meeting_fields": MEETING_FIELDS, "csv_columns": CSV_COLUMNS}
        )
    )
    pages.extend(data_pages(site, sources))
    entries: list[tuple[str, date | None]] = []
    for listed in pages:
        shown = listed.meeting
        if not listed.sitemap or (shown is not None and shown.is_draft):
            continue
        entries.append((listed.url, (shown.adjusted_on or shown.date) if shown is not None else None))
    pages.append(Page("/sitemap.xml", "sitemap.xml", {"entries": entries}, everything, sitemap=False))
    pages.append(Page("/robots.txt", "robots.txt", sitemap=False))
    return pages


FEED_LENGTH = 50


def _feed_page(url: str, meetings: tuple[Meeting, ...], title: str, html: str, sources: _Sources) -> Page:
    context = {"meetings": meetings[:FEED_LENGTH], "title": title, "html": html}
    return Page(url, "atom", context, sources(meetings), sitemap=False)


def data_pages(site: Site, sources: _Sources) -> list[Page]:
    """Feeds, calendars, open data and redirects: rendered by `feeds`, not by templates."""
    title = site.config.title
    everything = sources.everything
    pages = [
        _feed_page(feed_url(), site.meetings, title, home_url(), sources),
        Page(data_url("meetings.json"), "meetings.json", {}, everything, sitemap=False),
        Page(data_url("meetings.schema.json"), "meetings.schema.json", {}, frozenset(), sitemap=False),
        Page(data_url("decisions.csv"), "decisions.csv", {}, everything, sitemap=False),
        Page(data_url("attendance.csv"), "attendance.csv", {}, everything, sitemap=False),
        Page("/_redirects", "redirects", {}, everything, sitemap=False),
    ]
    for network in site.networks.values():
        meetings = site.by_network.get(network.slug, ())
        pages.append(
            _feed_page(
                feed_url(network), meetings, f"{network.name} – {title}", network_url(network), sources
            )
        )
        context = {"network": network, "meetings": meetings}
        pages.append(Page(calendar_url(network), "ical", context, sources(meetings), sitemap=False))
    for municipality in site.municipalities.values():
        meetings = site.by_municipality.get(municipality.slug, ())
        feed = feed_url(municipality=municipality)
        pages.append(
            _feed_page(
                feed, meetings, f"{municipality.name} – {title}", municipality_url(municipality), sources
            )
        )
    pages.extend(map(meeting_data_page, site.meetings))
    return pages


def meeting_page(meeting: Meeting, previous: Meeting | None, following: Meeting | None, site: Site) -> Page:
    return Page(
        meeting_url(meeting),
        "meeting.html",
        LazyContext(functools.partial(_meeting_context, meeting, previous, following, site)),
        _sources((meeting, previous, following)),
        meeting=meeting,
    )


def meeting_data_page(meeting: Meeting) -> Page:
    return Page(
        meeting_data_url(meeting), "meeting.json", {"meeting": meeting}, _sources((meeting,)), sitemap=False
    )


def check_unique_urls(pages: list[Page], site: Site, diagnostics: Diagnostics) -> None:
    """Two sources for one URL is an author mistake; name both files."""
    owners: dict[str, Meeting] = {}
    for meeting in site.meetings:
        url = meeting_url(meeting)
        if url in owners:
            other = owners[url]
            for this, that in ((meeting, other), (other, meeting)):
                diagnostics.error(
                    this.source,
                    SourcePos(1, 1),
                    f"two meetings have the URL {url}: this file and "
                    f"{os.path.relpath(that.source, this.source.parent)}",
                    "give one of them a 'slug:' to tell them apart",
                )
        else:
            owners[url] = meeting
    static = {page.url for page in pages if page.template != "meeting.html"}
    for url, meeting in owners.items():
        if url in static:
            diagnostics.error(meeting.source, SourcePos(1, 1), f"meeting URL {url} is taken")
