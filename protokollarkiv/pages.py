"""The list of pages the site consists of: Site -> [Page(url, template or export, context, sources)]."""

from __future__ import annotations

import functools
import os
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field
from datetime import date
from operator import attrgetter
from typing import Any

from .diagnostics import Diagnostics, SourcePos
from .model import Meeting, Site
from .persons import PersonIndex, PersonRecord, person_context, person_groups, person_index
from .record.dates import NOTICE_DAYS_AFTER, anslag_network, board, has_anslag, item_range, notice
from .strings import CSV_COLUMNS, MEETING_FIELDS
from .urls import (
    about_url,
    accessibility_url,
    admin_url,
    board_feed_url,
    board_url,
    calendar_url,
    data_url,
    decisions_url,
    feed_url,
    guide_url,
    home_url,
    meeting_data_url,
    meeting_url,
    municipalities_url,
    municipality_url,
    network_url,
    networks_url,
    open_data_url,
    output_path,
    person_url,
    persons_url,
    search_url,
    year_url,
    years_url,
)
from .views import (
    SEARCH_PARAMS,
    announcements,
    attendance_rows,
    by_year,
    json_ld,
    meeting_filters,
    participant_sections,
    search_people,
)

# --- Pages ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Page:
    """One file of the site: made from a template, or (`export`) by a renderer of `feeds`."""

    url: str
    template: str  # the Jinja template that renders it; "" for an export
    context: Mapping[str, Any] = field(default_factory=dict)
    sources: frozenset[str] = frozenset()  # meeting files the page shows; all pages depend on site files
    sitemap: bool = True
    meeting: Meeting | None = None  # the meeting a meeting page shows (for the sitemap's lastmod)
    export: str = ""  # the renderer in `feeds.RENDERERS` that makes it (atom, ical, meetings.json, …)
    dated: bool = False  # shows the day it was built (the anslagstavla): made again on a new day

    @property
    def path(self) -> str:
        return output_path(self.url)


_SOURCE_NAME = attrgetter("source_name")


def _sources(meetings: tuple[Meeting | None, ...]) -> frozenset[str]:
    """The meeting files a page shows, as path strings (what the build state records)."""
    return frozenset(map(_SOURCE_NAME, filter(None, meetings)))


@dataclass(frozen=True)
class _Listed:
    """The sources of the pages that list meetings, made once per list of meetings.

    A network's page, feed and calendar list the same meetings, and so do a municipality's page
    and feed: at 10,000 meetings the sets hold 300,000 names, and making them dominated the page list.
    """

    everything: frozenset[str]
    network: Mapping[str, frozenset[str]]
    municipality: Mapping[str, frozenset[str]]
    year: Mapping[int, frozenset[str]]

    @classmethod
    def of(cls, site: Site) -> _Listed:
        return cls(
            _sources(site.meetings),
            {slug: _sources(site.by_network.get(slug, ())) for slug in site.networks},
            {slug: _sources(site.by_municipality.get(slug, ())) for slug in site.municipalities},
            {year: _sources(meetings) for year, meetings in site.by_year.items()},
        )


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
    meeting: Meeting, previous: Meeting | None, following: Meeting | None, site: Site, persons: PersonIndex
) -> dict[str, Any]:
    return {
        "person_links": persons.links(meeting),
        "meeting": meeting,
        "previous": previous,
        "following": following,
        "sections": participant_sections(meeting, site.config.language, site.people),
        "attendance": attendance_rows(meeting, site),
        "search_filters": meeting_filters(meeting, site),
        "json_ld": json_ld(meeting, site),
        "search_networks": ", ".join(site.networks[slug].short_name for slug in meeting.networks),
        "notice": notice(meeting, site),
        "formal_body": anslag_network(meeting, site),
        "search_people": search_people(meeting, site),
    }


def site_pages(site: Site, guide_html: str = "", today: date | None = None) -> list[Page]:
    """Every HTML, XML and text page of the site, in a stable order; `today`: the day the site is
    built as of (the anslagstavla's)."""
    lists = _Listed.of(site)
    everything = lists.everything
    persons = person_index(site)  # one pass over the meetings, for every person page and link
    pages = [
        Page(
            home_url(),
            "home.html",
            {"latest": site.meetings[:HOME_LATEST], "announced": announcements(site)},
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
                {
                    "network": network,
                    "years": by_year(meetings),
                    "meeting_total": len(meetings),
                    "announced": announcements(site, (network,)),
                },
                lists.network[network.slug],
            )
        )
    pages.extend(meeting_page(meeting, *site.neighbours(meeting), site, persons) for meeting in site.meetings)
    pages.extend(gone_page(meeting, site) for meeting in site.gone)
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
                lists.municipality[municipality.slug],
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
                lists.year[year],
            )
        )
    pages.extend(decision_pages(site, lists))
    pages.extend(person_pages(site, persons, everything))
    pages.append(Page(search_url(), "search.html", {"params": SEARCH_PARAMS}, everything))
    pages.append(Page(accessibility_url(), "accessibility.html"))
    pages.extend(about_pages(guide_html))
    pages.append(Page("/404.html", "404.html", sitemap=False))
    pages.append(
        Page(
            open_data_url(), "open-data.html", {"meeting_fields": MEETING_FIELDS, "csv_columns": CSV_COLUMNS}
        )
    )
    pages.extend(board_pages(site, lists, today or date.today()))
    pages.extend(data_pages(site, lists))
    pages.extend(admin_pages(latest_own(site)))
    entries: list[tuple[str, date | None]] = []
    for listed in pages:
        shown = listed.meeting
        if not listed.sitemap or (shown is not None and shown.is_draft):
            continue
        entries.append((listed.url, (shown.adjusted_on or shown.date) if shown is not None else None))
    pages.append(Page("/sitemap.xml", "sitemap.xml", {"entries": entries}, everything, sitemap=False))
    pages.append(Page("/robots.txt", "robots.txt", sitemap=False))
    return pages


def latest_own(site: Site) -> frozenset[str]:
    """The files of each network's latest meetings of its own (not joint meetings it took part
    in): all the web editor's configuration shows of the minutes (a new meeting starts from them)."""
    files: set[str] = set()
    for slug, meetings in site.by_network.items():
        own = [m for m in meetings if m.primary_network == slug]
        if own:
            last = max(m.date for m in own)
            files.update(m.source_name for m in own if m.date == last)
    return frozenset(files)


def admin_pages(shown: frozenset[str]) -> list[Page]:
    """The web editor: its page and its configuration (made from the networks' latest meetings,
    `shown`, see `latest_own`). Neither is in the sitemap."""
    return [
        Page(admin_url(), "admin.html", sitemap=False),
        Page(admin_url() + "config.yml", "", {}, shown, sitemap=False, export="cms-config"),
    ]


def decision_pages(site: Site, listed: _Listed) -> list[Page]:
    """The decision register: one page a year, and its start page (the year index and the newest
    year). Years without decisions get no page, and the index does not name them."""
    years = {
        year: tuple(m for m in meetings if m.decisions)
        for year, meetings in site.by_year.items()  # newest first
    }
    years = {year: meetings for year, meetings in years.items() if meetings}
    counts = {year: sum(len(m.decisions) for m in meetings) for year, meetings in years.items()}

    def context(year: int | None) -> dict[str, Any]:
        shown = year if year is not None else next(iter(years), None)
        meetings = years.get(shown, ()) if shown is not None else ()
        return {
            "year": year,
            "shown_year": shown,
            "meetings": meetings,
            "decision_total": counts.get(shown, 0) if shown is not None else 0,
            "procedural_total": sum(len(m.decisions) - len(m.substantive_decisions) for m in meetings),
            "counts": counts,
        }

    # Every register page names every year and its count, so each shows the whole archive.
    pages = [Page(decisions_url(), "decisions.html", context(None), listed.everything)]
    pages.extend(
        Page(decisions_url(year), "decisions.html", context(year), listed.everything) for year in years
    )
    return pages


def about_pages(guide_html: str) -> list[Page]:
    """/om/ for citizens, and the writing guide for secretaries on a page of its own (when there is one).

    /om/ lists the networks, which come from the archive-wide files every page depends on: no sources.
    """
    pages = [Page(about_url(), "about.html", {"has_guide": bool(guide_html)})]
    if guide_html:
        pages.append(Page(guide_url(), "guide.html", {"guide": guide_html}))
    return pages


def board_pages(site: Site, listed: _Listed, today: date) -> list[Page]:
    """The anslagstavla and its feed, when a body of the archive has anslag: what they show
    depends on the day they are built (`dated`)."""
    if not has_anslag(site):
        return []
    open_notices, closed_notices = board(site, today)
    bodies = ", ".join(network.name for network in site.networks.values() if network.anslag)
    context = {
        "today": today,
        "open_notices": open_notices,
        "closed_notices": closed_notices,
        "closed_days": NOTICE_DAYS_AFTER,
        "bodies": bodies,
        "items_of": item_range,
    }
    return [
        Page(board_url(), "board.html", context, listed.everything, dated=True),
        Page(
            board_feed_url(), "", context, listed.everything, sitemap=False, export="board-atom", dated=True
        ),
    ]


FEED_LENGTH = 50


def _feed_page(
    url: str, meetings: tuple[Meeting, ...], title: str, html: str, sources: frozenset[str]
) -> Page:
    context = {"meetings": meetings[:FEED_LENGTH], "title": title, "html": html}
    return Page(url, "", context, sources, sitemap=False, export="atom")


def data_pages(site: Site, listed: _Listed) -> list[Page]:
    """Feeds, calendars, open data and redirects: rendered by `feeds`, not by templates."""
    title = site.config.title
    everything = listed.everything
    pages = [
        _feed_page(feed_url(), site.meetings, title, home_url(), everything),
        Page(data_url("meetings.json"), "", {}, everything, sitemap=False, export="meetings.json"),
        Page(data_url("meetings.schema.json"), "", sitemap=False, export="meetings.schema.json"),
        Page(data_url("decisions.csv"), "", {}, everything, sitemap=False, export="decisions.csv"),
        Page(data_url("attendance.csv"), "", {}, everything, sitemap=False, export="attendance.csv"),
        Page(data_url("votes.csv"), "", {}, everything, sitemap=False, export="votes.csv"),
        Page("/_redirects", "", {}, everything, sitemap=False, export="redirects"),
    ]
    for network in site.networks.values():
        meetings = site.by_network.get(network.slug, ())
        pages.append(
            _feed_page(
                feed_url(network),
                meetings,
                f"{network.name} – {title}",
                network_url(network),
                listed.network[network.slug],
            )
        )
        context = {"network": network, "meetings": meetings}
        calendar = Page(
            calendar_url(network), "", context, listed.network[network.slug], sitemap=False, export="ical"
        )
        pages.append(calendar)
    for municipality in site.municipalities.values():
        meetings = site.by_municipality.get(municipality.slug, ())
        feed = feed_url(municipality=municipality)
        pages.append(
            _feed_page(
                feed,
                meetings,
                f"{municipality.name} – {title}",
                municipality_url(municipality),
                listed.municipality[municipality.slug],
            )
        )
    pages.extend(map(meeting_data_page, site.meetings))
    return pages


def meeting_page(
    meeting: Meeting,
    previous: Meeting | None,
    following: Meeting | None,
    site: Site,
    persons: PersonIndex | None = None,
) -> Page:
    """A meeting's page; `persons` (made once per site by `site_pages`) gives its person links."""
    index = persons if persons is not None else person_index(site)
    # The person links' URLs depend on other meetings only where names compete for a slug.
    rivals = index.rivals.get(meeting.source_name, frozenset())
    return Page(
        meeting_url(meeting),
        "meeting.html",
        LazyContext(functools.partial(_meeting_context, meeting, previous, following, site, index)),
        _sources((meeting, previous, following)) | rivals,
        meeting=meeting,
    )


def person_pages(site: Site, persons: PersonIndex, everything: frozenset[str]) -> list[Page]:
    """/person/ (every public person, by municipality or organisation, then name) and a page for
    each public person, showing the meetings that name them (and those whose people compete
    with them for a slug, which decide their URL). `public: false`: no page."""
    pages = [
        Page(
            persons_url(),
            "persons.html",
            {"groups": person_groups(persons, site), "index": persons},
            everything,
        )
    ]
    pages.extend(person_page(record, site, persons) for record in persons.public)
    return pages


def person_page(record: PersonRecord, site: Site, persons: PersonIndex) -> Page:
    shown = _sources(tuple(p.meeting for p in record.participations))
    rivals = [persons.rivals.get(name, frozenset()) for name in shown] if persons.rivals else []
    return Page(
        person_url(record.slug),
        "person.html",
        LazyContext(functools.partial(person_context, record, site)),
        shown.union(*rivals),
    )


def person_index_of(pages: list[Page]) -> PersonIndex | None:
    """The person index a page list was made with (the preview's quick path renders against it)."""
    for page in pages:
        if page.template == "persons.html":
            index = page.context["index"]
            return index if isinstance(index, PersonIndex) else None
    return None


def gone_page(meeting: Meeting, site: Site) -> Page:
    """Where minutes taken off publication were: what they were, why they left, where to ask for
    them (they remain a public record). Served with status 410 (see `feeds.redirects`)."""
    network = site.networks[meeting.primary_network]
    context = {"meeting": meeting, "network": network, "reason": meeting.unpublished}
    return Page(meeting_url(meeting), "gone.html", context, _sources((meeting,)), sitemap=False)


def meeting_data_page(meeting: Meeting) -> Page:
    return Page(
        meeting_data_url(meeting),
        "",
        {"meeting": meeting},
        _sources((meeting,)),
        sitemap=False,
        export="meeting.json",
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
