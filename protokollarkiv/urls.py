"""The URL scheme of the site, only here: every page, feed and file has its URL from one function."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any
from urllib.parse import quote

from .model import Decision, Meeting, Municipality, Network


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


def meeting_id(meeting: Meeting) -> str:
    """The meeting's stable identity in the open data and the seal ledger: network/date[-slug]."""
    return meeting_url(meeting).strip("/").removeprefix("natverk/")


def attachment_url(meeting: Meeting, file: str) -> str:
    return meeting_url(meeting) + file


ATTACHMENT_ANCHOR = "bilaga-"  # templates/static/search.js reads the file back from the id


def attachment_anchor(file: str) -> str:
    """The id of an attachment's heading on its meeting page: the file's URL relative to the page,
    so that a search hit in its text (a sub-result with this id) can link to the file itself."""
    return ATTACHMENT_ANCHOR + quote(file, safe="/")


def municipalities_url() -> str:
    return "/kommun/"


def municipality_url(municipality: Municipality | str) -> str:
    slug = municipality if isinstance(municipality, str) else municipality.slug
    return f"/kommun/{slug}/"


def years_url() -> str:
    return "/ar/"


def year_url(year: int) -> str:
    return f"/ar/{year}/"


def decisions_url(year: int | None = None) -> str:
    """The decision register: its start (the newest year and the year index), or one year."""
    return "/beslut/" if year is None else f"/beslut/{year}/"


def board_url() -> str:
    """The anslagstavla: the notices of posted justeringar whose appeal window is open."""
    return "/anslagstavla/"


def board_feed_url() -> str:
    return board_url() + "feed.xml"


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


def guide_url() -> str:
    """The writing guide for secretaries (docs/skriva-protokoll.md), linked from /om/."""
    return "/om/skriva-protokoll/"


def admin_url() -> str:
    """The web editor for secretaries (Decap CMS): not linked from the public site."""
    return "/admin/"


def open_data_url() -> str:
    return "/om/oppna-data/"


def data_url(name: str) -> str:
    return f"/data/{name}"


def persons_url() -> str:
    """The people of the archive, by municipality or organisation, then name."""
    return "/person/"


def person_url(slug: str) -> str:
    """One person's page; `slug` as `persons.person_index` assigns it (stable, see there)."""
    return f"{persons_url()}{slug}/"


URLS: Mapping[str, Any] = {
    "home": home_url,
    "networks": networks_url,
    "network": network_url,
    "meeting": meeting_url,
    "attachment": attachment_url,
    "attachment_anchor": attachment_anchor,
    "municipalities": municipalities_url,
    "municipality": municipality_url,
    "years": years_url,
    "year": year_url,
    "decisions": decisions_url,
    "decision": decision_url,
    "search": search_url,
    "board": board_url,
    "board_feed": board_feed_url,
    "accessibility": accessibility_url,
    "feed": feed_url,
    "calendar": calendar_url,
    "meeting_data": meeting_data_url,
    "open_data": open_data_url,
    "about": about_url,
    "guide": guide_url,
    "admin": admin_url,
    "data": data_url,
    "persons": persons_url,
    "person": person_url,
}


def output_path(url: str) -> str:
    """The file, relative to the site folder, that serves `url`."""
    path = url.lstrip("/")
    return f"{path}index.html" if path == "" or path.endswith("/") else path
