"""Machine-readable outputs: Atom feeds, iCalendar files, open data (JSON, CSV) and redirects."""

from __future__ import annotations

import csv
import io
import json
import re
from collections.abc import Callable, Sequence
from datetime import UTC, date, datetime, time, timedelta
from typing import Any
from urllib.parse import quote, urlsplit
from xml.etree import ElementTree as ET

import icalendar

from . import __version__
from .cms import cms_config
from .model import ANSWERS, TIMEZONE, Item, Meeting, Participant, Reservation, Reuse, Site, Vote, made_anew
from .pages import Page
from .record.dates import item_range, notice
from .record.seal import published_facts
from .strings import translate
from .urls import attachment_url, board_url, decision_url, meeting_id, meeting_url
from .validate import plain_path
from .views import attendance_rows

ATOM = "http://www.w3.org/2005/Atom"

# --- Every format's own rules for the strings it carries ------------------------------------------
# Validation refuses what does not belong in a front-matter value; these are the defence in depth
# at the one place each format is written, so a value that slipped through cannot make a file
# malformed or change its meaning.

# What XML 1.0 forbids (C0 controls but tab, LF and CR; lone surrogates; U+FFFE and U+FFFF).
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")
# What RFC 5545 TEXT forbids (CONTROL but tab; line breaks are escaped as \n by icalendar).
_NOT_ICAL = re.compile("[\x00-\x08\x0b-\x1f\x7f\ud800-\udfff]")
_LONE_SURROGATE = re.compile("[\ud800-\udfff]")
REPLACEMENT = "\ufffd"


class UnsafeOutput(ValueError):
    """A value that would change the meaning of a line-based output file; validation should have
    refused it, so this stops the build rather than write the file."""


def xml_text(text: str) -> str:
    """`text` with what XML 1.0 cannot carry replaced by U+FFFD."""
    return _NOT_XML.sub(REPLACEMENT, text)


def _xml_tree(root: ET.Element) -> None:
    """Every text, tail and attribute of the tree made fit for XML 1.0, in place."""
    for element in root.iter():
        if element.text:
            element.text = xml_text(element.text)
        if element.tail:
            element.tail = xml_text(element.tail)
        for name, value in element.attrib.items():
            element.attrib[name] = xml_text(value)


def ical_text(text: str) -> str:
    """A TEXT value for icalendar, which escapes commas, semicolons, backslashes and LF and folds
    lines at 75 octets: line breaks as LF, other control characters replaced by U+FFFD."""
    return _NOT_ICAL.sub(REPLACEMENT, text.replace("\r\n", "\n").replace("\r", "\n"))


def ical_uri(url: str) -> str:
    """A URI value: characters a URI cannot hold percent-encoded (icalendar refuses CR and LF)."""
    return quote(_LONE_SURROGATE.sub(REPLACEMENT, url), safe="/:?#[]@!$&'()*+,;=%~")


def utf8(text: str) -> bytes:
    """UTF-8 bytes of text that may hold a lone surrogate (a YAML escape such as "\\ud800"):
    U+FFFD for it instead of a UnicodeEncodeError."""
    try:
        return text.encode("utf-8")
    except UnicodeEncodeError:
        return _LONE_SURROGATE.sub(REPLACEMENT, text).encode("utf-8")


def redirect_path(path: str, meeting: Meeting) -> str:
    """`path` as a field of a `_redirects` rule, or UnsafeOutput when it is not a plain path."""
    if plain_path(path):
        return path
    raise UnsafeOutput(
        f"{meeting.source}: {path!r} is not a plain path ('/' and letters, digits, _ - . ~ % "
        f"! $ & ' ( ) + , ; = @; no space, '#', '?', '*' or ':'): not written to _redirects"
    )


def absolute(site: Site, url: str) -> str:
    return (site.config.base_url or "http://localhost:8000") + url


def _updated(meeting: Meeting) -> datetime:
    day = meeting.adjusted_on or meeting.date
    return datetime.combine(day, time(12, 0), tzinfo=UTC)


def atom_feed(site: Site, page: Page, reuse: Reuse = made_anew) -> bytes:
    """An Atom feed of the newest meetings in `page.context["meetings"]`."""
    ET.register_namespace("", ATOM)
    meetings: Sequence[Meeting] = page.context["meetings"]
    feed = ET.Element(f"{{{ATOM}}}feed", {"xml:lang": site.config.language})
    ET.SubElement(feed, f"{{{ATOM}}}title").text = page.context["title"]
    ET.SubElement(feed, f"{{{ATOM}}}id").text = absolute(site, page.url)
    ET.SubElement(
        feed, f"{{{ATOM}}}link", rel="self", href=absolute(site, page.url), type="application/atom+xml"
    )
    ET.SubElement(
        feed, f"{{{ATOM}}}link", rel="alternate", href=absolute(site, page.context["html"]), type="text/html"
    )
    newest = max((_updated(m) for m in meetings), default=datetime(2000, 1, 1, tzinfo=UTC))
    ET.SubElement(feed, f"{{{ATOM}}}updated").text = newest.isoformat()
    author = ET.SubElement(feed, f"{{{ATOM}}}author")
    ET.SubElement(author, f"{{{ATOM}}}name").text = site.config.organisation or site.config.title
    ET.SubElement(feed, f"{{{ATOM}}}generator", version=__version__).text = "Protokollarkiv"
    for meeting in meetings:
        entry = ET.SubElement(feed, f"{{{ATOM}}}entry")
        networks = [site.networks[slug] for slug in meeting.networks]
        title = f"{meeting.title}, {meeting.date.isoformat()}"
        ET.SubElement(entry, f"{{{ATOM}}}title").text = title
        ET.SubElement(entry, f"{{{ATOM}}}id").text = absolute(site, meeting_url(meeting))
        ET.SubElement(
            entry,
            f"{{{ATOM}}}link",
            rel="alternate",
            href=absolute(site, meeting_url(meeting)),
            type="text/html",
        )
        ET.SubElement(entry, f"{{{ATOM}}}published").text = datetime.combine(
            meeting.date, time(12, 0), tzinfo=UTC
        ).isoformat()
        ET.SubElement(entry, f"{{{ATOM}}}updated").text = _updated(meeting).isoformat()
        for network in networks:
            ET.SubElement(entry, f"{{{ATOM}}}category", term=network.slug, label=network.name)
        items = "; ".join(f"{i.label} {i.title}" if i.label else i.title for i in meeting.items)
        summary = (
            f"{', '.join(n.name for n in networks)}. {translate('items', site.config.language)}: {items}"
        )
        ET.SubElement(entry, f"{{{ATOM}}}summary", type="text").text = summary
    _xml_tree(feed)
    ET.indent(feed)
    body: bytes = ET.tostring(feed, encoding="utf-8", xml_declaration=False)
    return b'<?xml version="1.0" encoding="utf-8"?>\n' + body + b"\n"


def board_feed(site: Site, page: Page, reuse: Reuse = made_anew) -> bytes:
    """The anslagstavla's Atom feed: one entry per notice on the board (open, then recently
    taken down), updated the day it was posted."""
    ET.register_namespace("", ATOM)
    language = site.config.language
    notices = [*page.context["open_notices"], *page.context["closed_notices"]]
    feed = ET.Element(f"{{{ATOM}}}feed", {"xml:lang": language})
    title = f"{translate('board_feed_title', language)} – {site.config.title}"
    ET.SubElement(feed, f"{{{ATOM}}}title").text = title
    ET.SubElement(feed, f"{{{ATOM}}}id").text = absolute(site, page.url)
    ET.SubElement(
        feed, f"{{{ATOM}}}link", rel="self", href=absolute(site, page.url), type="application/atom+xml"
    )
    board = absolute(site, board_url())
    ET.SubElement(feed, f"{{{ATOM}}}link", rel="alternate", href=board, type="text/html")
    posted = [datetime.combine(n.posted_on, time(12, 0), tzinfo=UTC) for n in notices]
    newest = max(posted, default=datetime.combine(page.context["today"], time(0, 0), tzinfo=UTC))
    ET.SubElement(feed, f"{{{ATOM}}}updated").text = newest.isoformat()
    author = ET.SubElement(feed, f"{{{ATOM}}}author")
    ET.SubElement(author, f"{{{ATOM}}}name").text = site.config.organisation or site.config.title
    ET.SubElement(feed, f"{{{ATOM}}}generator", version=__version__).text = "Protokollarkiv"
    for posting, when in zip(notices, posted, strict=True):
        meeting = posting.meeting
        entry = ET.SubElement(feed, f"{{{ATOM}}}entry")
        day = meeting.date.isoformat()
        text = translate("board_entry_title", language, body=posting.network.name, date=day)
        ET.SubElement(entry, f"{{{ATOM}}}title").text = text
        ET.SubElement(entry, f"{{{ATOM}}}id").text = f"{absolute(site, meeting_url(meeting))}#anslag"
        link = absolute(site, meeting_url(meeting))
        ET.SubElement(entry, f"{{{ATOM}}}link", rel="alternate", href=link, type="text/html")
        ET.SubElement(entry, f"{{{ATOM}}}published").text = when.isoformat()
        ET.SubElement(entry, f"{{{ATOM}}}updated").text = when.isoformat()
        summary = translate(
            "board_entry_summary",
            language,
            date=day,
            items=item_range(meeting) or meeting.title,
            adjusted=(meeting.adjusted_on or posting.posted_on).isoformat(),
            posted=posting.posted_on.isoformat(),
            ends=posting.ends.isoformat(),
        )
        ET.SubElement(entry, f"{{{ATOM}}}summary", type="text").text = summary
    _xml_tree(feed)
    ET.indent(feed)
    body: bytes = ET.tostring(feed, encoding="utf-8", xml_declaration=False)
    return b'<?xml version="1.0" encoding="utf-8"?>\n' + body + b"\n"


def _add_end(event: icalendar.Event, last_day: date) -> None:
    """DTEND of an all-day event, the day after its last; none after 9999-12-31, when the event
    lasts its one day (RFC 5545 3.6.1: a DATE DTSTART without DTEND lasts one day)."""
    if last_day < date.max:
        event.add("dtend", last_day + timedelta(days=1))


def _event(site: Site, meeting: Meeting) -> bytes:
    """One meeting as a calendar event (VEVENT lines)."""
    host = urlsplit(absolute(site, "/")).hostname or "localhost"
    event = icalendar.Event()
    event.add("uid", ical_text(f"{meeting_url(meeting).strip('/').replace('/', '-')}@{host}"))
    event.add("summary", ical_text(meeting.title))
    event.add("dtstamp", _updated(meeting))
    times = meeting.times
    if times:
        event.add("dtstart", times[0])
        event.add("dtend", times[1])
    else:
        event.add("dtstart", meeting.date)
        _add_end(event, meeting.date)
    if meeting.place:
        event.add("location", ical_text(meeting.place))
    event.add("url", ical_uri(absolute(site, meeting_url(meeting))))
    event.add("status", "CONFIRMED")
    return bytes(event.to_ical())


def calendar(site: Site, page: Page, reuse: Reuse = made_anew) -> bytes:
    """The network's meetings; the announced next meeting as a tentative event.

    The same bytes as one icalendar document with every event added; each meeting's event is
    made through `reuse`, so a calendar of hundreds of meetings can be made again in little time.
    """
    network = page.context["network"]
    meetings: Sequence[Meeting] = page.context["meetings"]
    host = urlsplit(absolute(site, "/")).hostname or "localhost"
    cal = icalendar.Calendar()
    cal.add("prodid", f"-//Protokollarkiv//{__version__}//SV")
    cal.add("version", "2.0")
    cal.add("x-wr-calname", ical_text(network.name))
    cal.add("x-wr-timezone", str(TIMEZONE))
    held = {m.date for m in meetings}
    events = [_piece(site, m, "event", _event, reuse) for m in sorted(meetings, key=lambda m: m.date)]
    latest = max(meetings, key=lambda m: m.date, default=None)
    days = latest.next_days if latest else None
    if latest and days and days.first > latest.date and days.first not in held:
        event = icalendar.Event()
        event.add("uid", ical_text(f"natverk-{network.slug}-nasta-{days.first.isoformat()}@{host}"))
        next_meeting = translate("next_meeting", site.config.language).lower()
        event.add("summary", ical_text(f"{network.name} ({next_meeting})"))
        event.add("dtstamp", _updated(latest))
        event.add("dtstart", days.first)
        _add_end(event, days.last)
        event.add("status", "TENTATIVE")
        events.append(bytes(event.to_ical()))
    head, end, tail = bytes(cal.to_ical()).rpartition(b"END:VCALENDAR")
    return head + b"".join(events) + end + tail


def _participant(site: Site, p: Participant) -> dict[str, Any]:
    return {
        "name": p.name,
        "municipality": p.municipality,
        "municipality_name": site.municipalities[p.municipality].name if p.municipality else None,
        "organisation": p.organisation,
        "role": p.role or None,
        "party": p.party,
        "present": p.present,
        "group": p.group,
        "items": list(p.items),
        "recused": list(p.recused),
    }


def _vote(vote: Vote) -> dict[str, Any]:
    """A vote in the open data: what ja and nej stood for, the counts, the named votes, the result."""
    return {
        "propositions": {p.side: p.text for p in vote.propositions},
        "counts": dict(zip(ANSWERS, vote.counts, strict=True)),
        "ballots": [{"name": b.name, "vote": b.answer} for b in vote.ballots],
        "result": vote.result,
    }


def _reservation(reservation: Reservation) -> dict[str, Any]:
    return {"names": list(reservation.names), "grounds": reservation.grounds or None}


def meeting_record(site: Site, meeting: Meeting) -> dict[str, Any]:
    """One meeting as open data; the shape is documented on /om/oppna-data/. Its facts are
    valued as the seal reads them back from it (`record.seal.published_facts`)."""
    facts = published_facts(meeting)
    posted = notice(meeting, site)
    return {
        "id": meeting_id(meeting),
        "url": absolute(site, meeting_url(meeting)),
        **{key: facts[key] for key in ("title", "date", "time", "place", "networks", "status")},
        "adjusted_on": facts["adjusted_on"],
        "posted_on": meeting.posted_on.isoformat() if meeting.posted_on else None,
        "appeal_ends": posted.ends.isoformat() if posted else None,
        **{key: facts[key] for key in ("chair", "secretary", "adjusters", "next_meeting")},
        "municipalities_represented": list(meeting.represented),
        "attendance": facts["attendance"],
        "attendance_items": facts["attendance_items"],
        "participants": [_participant(site, p) for p in meeting.participants],
        "items": [
            {
                "number": item.number,
                "label": item.label,
                "title": item.title,
                "url": absolute(site, f"{meeting_url(meeting)}#{item.anchor}"),
                "decisions": [d.text for d in item.decisions],
                "procedural": item.procedural,
                "votes": [_vote(vote) for vote in item.votes],
                "reservations": [_reservation(r) for r in item.reservations],
                "recused": list(item.recused),
            }
            for item in meeting.items
        ],
        "attachments": [
            {"title": a.title, "url": absolute(site, meeting_url(meeting) + a.file)}
            for a in meeting.attachments
        ],
        "original": (
            absolute(site, attachment_url(meeting, meeting.original.file)) if meeting.original else None
        ),
        "corrections": [{"date": c.date.isoformat(), "text": c.text} for c in meeting.corrections],
        "digest": None if meeting.is_draft else meeting.digest,  # of the facts and text (see seal)
    }


MakePiece = Callable[[Site, Meeting], bytes]


def _piece(site: Site, meeting: Meeting, kind: str, make: MakePiece, reuse: Reuse) -> bytes:
    """A meeting's share of an export, as UTF-8 bytes: an export is joined from them as it is
    written, with no copy of the whole as text (55 MB for `meetings.json` at 10,000 meetings)."""
    return reuse(meeting, kind, lambda: make(site, meeting), site.config)


def _join(site: Site, kind: str, make: MakePiece, reuse: Reuse, sep: bytes = b"") -> bytes:
    return sep.join([_piece(site, meeting, kind, make, reuse) for meeting in site.meetings])


def _json(data: object) -> bytes:
    return utf8(json.dumps(data, ensure_ascii=False, indent=1) + "\n")


def _compact(data: object) -> str:
    # Without indent the json module uses its C encoder: ten times faster on the big export.
    return json.dumps(data, ensure_ascii=False, separators=(",", ":"))


def _record(site: Site, meeting: Meeting) -> bytes:
    return utf8(_compact(meeting_record(site, meeting)))


def meetings_json(site: Site, page: Page, reuse: Reuse = made_anew) -> bytes:
    """The whole archive as one compact JSON document (the same bytes as one `json.dumps`)."""
    head = _compact(
        {
            "title": site.config.title,
            "licence": site.config.licence,
            "generator": f"Protokollarkiv {__version__}",
            "meetings": [],
        }
    )
    assert head.endswith("[]}")
    return utf8(head[:-2]) + _join(site, "record", _record, reuse, b",") + b"]}\n"


def meeting_json(site: Site, page: Page, reuse: Reuse = made_anew) -> bytes:
    """One meeting's record and its text (the body's Markdown, which `digest` seals), compact like
    the whole export: written with the C encoder, where `indent` takes the json module's Python
    one, ten times slower (3.8 s at 10,000 meetings)."""
    meeting = page.context["meeting"]
    record = {"licence": site.config.licence, **meeting_record(site, meeting), "text": meeting.text}
    return utf8(_compact(record) + "\n")


def _csv_rows(rows: Sequence[Sequence[object]]) -> bytes:
    """Rows through the csv module, which quotes fields holding a comma, quote or line break."""
    buffer = io.StringIO()
    csv.writer(buffer, lineterminator="\n").writerows(rows)
    return utf8(buffer.getvalue())


def _decision_rows(site: Site, m: Meeting) -> bytes:
    return _csv_rows(
        [
            (
                m.date.isoformat(),
                " ".join(m.networks),
                m.title,
                d.item_number or "",
                d.item_title,
                d.text,
                absolute(site, decision_url(m, d)),
                "true" if d.procedural else "false",
                "; ".join(_score(vote) for vote in d.votes),
                "; ".join(name for r in d.reservations for name in r.names),
            )
            for d in m.decisions
        ]
    )


def _score(vote: Vote) -> str:
    """`5 ja, 3 nej, 1 avstår`, as `antal:` is written: words, so no spreadsheet reads it as a date
    (as it would `5-3`)."""
    return ", ".join(f"{count} {answer}" for answer, count in zip(ANSWERS, vote.counts, strict=True))


def _vote_rows(site: Site, m: Meeting) -> bytes:
    """One row per named vote; a vote given only as counts, one row per answer with its count."""
    rows: list[tuple[object, ...]] = []
    for item in m.items:
        for number, vote in enumerate(item.votes, 1):
            head: tuple[object, ...] = (m.date.isoformat(), " ".join(m.networks))
            head += (absolute(site, _item_url(m, item)), item.number or "", item.title, number, vote.result)
            if vote.ballots:
                rows += [(*head, b.answer, vote.proposition(b.answer), b.name, "") for b in vote.ballots]
            else:
                rows += [
                    (*head, answer, vote.proposition(answer), "", count)
                    for answer, count in zip(ANSWERS, vote.counts, strict=True)
                ]
    return _csv_rows(rows)


def _item_url(meeting: Meeting, item: Item) -> str:
    return f"{meeting_url(meeting)}#{item.anchor}"


def _attendance_rows(site: Site, meeting: Meeting) -> bytes:
    rows = []
    for row in sorted(attendance_rows(meeting, site), key=lambda row: row.municipality.slug):
        municipality, present = row.municipality, row.represented
        state = "partly" if row.partly else "" if present is None else str(present).lower()
        rows.append(
            (
                meeting.date.isoformat(),
                " ".join(meeting.networks),
                absolute(site, meeting_url(meeting)),
                municipality.slug,
                municipality.name,
                municipality.code,
                state,
                " ".join(row.partly),
            )
        )
    return _csv_rows(rows)


def decisions_csv(site: Site, page: Page, reuse: Reuse = made_anew) -> bytes:
    header = (
        *("date", "networks", "meeting", "item_number", "item_title", "decision", "url", "procedural"),
        *("votes", "reservations"),
    )
    return _csv_rows([header]) + _join(site, "decision-rows", _decision_rows, reuse)


VOTES_HEADER = (
    *("date", "networks", "item_url", "item_number", "item_title", "vote", "result"),
    *("answer", "proposition", "name", "count"),
)


def votes_csv(site: Site, page: Page, reuse: Reuse = made_anew) -> bytes:
    """Every vote of the archive: one row per named vote, or per answer of a vote given as counts."""
    return _csv_rows([VOTES_HEADER]) + _join(site, "vote-rows", _vote_rows, reuse)


def attendance_csv(site: Site, page: Page, reuse: Reuse = made_anew) -> bytes:
    """One row per meeting and municipality concerned: members of its networks and any listed."""
    header = (
        *("date", "networks", "meeting_url", "municipality", "municipality_name", "scb_code"),
        *("present", "items"),
    )
    return _csv_rows([header]) + _join(site, "attendance-rows", _attendance_rows, reuse)


_TEXT = {"type": "string"}
_MAYBE_TEXT = {"type": ["string", "null"]}
_DAY = {"type": "string", "pattern": r"^\d{4}-\d{2}-\d{2}$"}
_TEXTS = {"type": "array", "items": _TEXT}

# JSON Schema of /data/meetings.json, published beside it as meetings.schema.json.
MEETINGS_SCHEMA: dict[str, Any] = {
    "$schema": "https://json-schema.org/draft/2020-12/schema",
    "title": "Protokollarkiv meetings",
    "type": "object",
    "required": ["title", "licence", "generator", "meetings"],
    "properties": {
        "title": _TEXT,
        "licence": _TEXT,
        "generator": _TEXT,
        "meetings": {"type": "array", "items": {"$ref": "#/$defs/meeting"}},
    },
    "$defs": {
        "meeting": {
            "type": "object",
            "additionalProperties": False,
            "required": ["id", "url", "title", "date", "networks", "status", "participants", "items"],
            "properties": {
                "id": _TEXT,
                "url": {"type": "string", "format": "uri"},
                "title": _TEXT,
                "date": _DAY,
                "time": _MAYBE_TEXT,
                "place": _MAYBE_TEXT,
                "networks": {**_TEXTS, "minItems": 1},
                "status": {"enum": ["utkast", "justerat"]},
                "adjusted_on": {"anyOf": [_DAY, {"type": "null"}]},
                "posted_on": {"anyOf": [_DAY, {"type": "null"}]},
                "appeal_ends": {"anyOf": [_DAY, {"type": "null"}]},
                "chair": _TEXTS,
                "secretary": _MAYBE_TEXT,
                "adjusters": _TEXTS,
                "next_meeting": _MAYBE_TEXT,
                "municipalities_represented": _TEXTS,
                "attendance": {
                    "type": "object",
                    "additionalProperties": {"anyOf": [{"type": "boolean"}, {"const": "partly"}]},
                },
                "attendance_items": {"type": "object", "additionalProperties": _TEXTS},
                "participants": {
                    "type": "array",
                    "items": {
                        "type": "object",
                        "additionalProperties": False,
                        "required": ["name", "present"],
                        "properties": {
                            "name": _TEXT,
                            "municipality": _MAYBE_TEXT,
                            "municipality_name": _MAYBE_TEXT,
                            "organisation": _MAYBE_TEXT,
                            "role": _MAYBE_TEXT,
                            "party": _MAYBE_TEXT,
                            "present": {"type": ["boolean", "null"]},
                            "group": _MAYBE_TEXT,
                            "items": _TEXTS,
                            "recused": _TEXTS,
                        },
                    },
                },
                "items": {
                    "type": "array",
                    "items": {
                        "type": "object",
                        "additionalProperties": False,
                        "required": ["number", "label", "title", "url", "decisions", "procedural"],
                        "properties": {
                            "number": _MAYBE_TEXT,
                            "label": _MAYBE_TEXT,
                            "title": _TEXT,
                            "url": _TEXT,
                            "decisions": _TEXTS,
                            "procedural": {"type": "boolean"},
                            "votes": {"type": "array", "items": {"$ref": "#/$defs/vote"}},
                            "reservations": {"type": "array", "items": {"$ref": "#/$defs/reservation"}},
                            "recused": _TEXTS,
                        },
                    },
                },
                "attachments": {
                    "type": "array",
                    "items": {
                        "type": "object",
                        "required": ["title", "url"],
                        "properties": {"title": _TEXT, "url": _TEXT},
                    },
                },
                "original": _MAYBE_TEXT,
                "corrections": {
                    "type": "array",
                    "items": {
                        "type": "object",
                        "additionalProperties": False,
                        "required": ["date", "text"],
                        "properties": {"date": _DAY, "text": _TEXT},
                    },
                },
                "digest": {"anyOf": [{"type": "string", "pattern": "^[0-9a-f]{64}$"}, {"type": "null"}]},
                "text": _TEXT,
                "licence": _TEXT,
            },
        },
        "vote": {
            "type": "object",
            "additionalProperties": False,
            "required": ["propositions", "counts", "ballots", "result"],
            "properties": {
                "propositions": {
                    "type": "object",
                    "additionalProperties": False,
                    "properties": {"ja": _TEXT, "nej": _TEXT},
                },
                "counts": {
                    "type": "object",
                    "additionalProperties": False,
                    "required": list(ANSWERS),
                    "properties": {answer: {"type": "integer", "minimum": 0} for answer in ANSWERS},
                },
                "ballots": {
                    "type": "array",
                    "items": {
                        "type": "object",
                        "additionalProperties": False,
                        "required": ["name", "vote"],
                        "properties": {"name": _TEXT, "vote": {"enum": list(ANSWERS)}},
                    },
                },
                "result": {"enum": ["ja", "nej"]},
            },
        },
        "reservation": {
            "type": "object",
            "additionalProperties": False,
            "required": ["names", "grounds"],
            "properties": {"names": {**_TEXTS, "minItems": 1}, "grounds": _MAYBE_TEXT},
        },
    },
}


def meetings_schema(site: Site, page: Page, reuse: Reuse = made_anew) -> bytes:
    return _json(MEETINGS_SCHEMA)


def redirects(site: Site, page: Page, reuse: Reuse = made_anew) -> bytes:
    """Netlify's `_redirects`: every alias of a meeting to its page, permanently; every page of
    minutes that left publication as gone (410).

    One rule a line, `from to 301`; a path that could split or extend the line, or turn the rule
    into a pattern, raises UnsafeOutput (see `redirect_path`)."""
    lines = [
        f"{redirect_path(alias, m)} {redirect_path(meeting_url(m), m)} 301"
        for m in (*site.meetings, *site.gone)
        for alias in m.aliases
    ]
    # Minutes taken off publication: their page, anything below it (mote.json, attachments), answer
    # 410 Gone with the page that says where the record can be requested (forced: the file exists).
    for m in site.gone:
        url = redirect_path(meeting_url(m), m)
        lines += [f"{url} {url}index.html 410!", f"{url}* {url}index.html 410!"]
    return utf8("\n".join(lines) + "\n") if lines else b""


RENDERERS: dict[str, Callable[[Site, Page, Reuse], bytes]] = {
    "atom": atom_feed,
    "ical": calendar,
    "meetings.json": meetings_json,
    "meetings.schema.json": meetings_schema,
    "meeting.json": meeting_json,
    "decisions.csv": decisions_csv,
    "attendance.csv": attendance_csv,
    "votes.csv": votes_csv,
    "redirects": redirects,
    "board-atom": board_feed,
    "cms-config": cms_config,
}
