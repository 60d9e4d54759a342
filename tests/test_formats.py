"""Every output format stays well-formed whatever a value holds (issue 18 item 8).

Validation refuses control characters and unsafe aliases; `feeds` is the defence in depth at
the one place each format is written. These tests call the real renderers on a site built from a
small real archive, with meetings that carry what validation would refuse, and parse the bytes
with the format's own reader; the real-build tests accept either a diagnostic or clean output.
"""

from __future__ import annotations

import contextlib
import csv
import io
import json
import xml.dom.minidom
from dataclasses import replace
from datetime import date
from xml.etree import ElementTree as ET

import icalendar
import pytest

from protokollarkiv.build.builder import build
from protokollarkiv.feeds import RENDERERS, UnsafeOutput, redirect_path
from protokollarkiv.model import DaySpan, Meeting, Site, build_site, made_anew
from protokollarkiv.pages import Page
from protokollarkiv.urls import calendar_url, data_url, feed_url, meeting_url

from .conftest import MiniProject, meeting_text

# Everything XML 1.0 forbids, a lone surrogate (a YAML escape "\ud800" makes one) and line breaks.
NASTY = "a\x01b\x00c\x0bd\x0ce\x1ff\ufffeg\uffffh\ud800i\r\nj\rk\nl"
FORBIDDEN_IN_XML = ["\x00", "\x01", "\x0b", "\x0c", "\x1f", "\ufffe", "\uffff"]
EVIL = "/a\n/* https://evil.example/:splat 302!"


@pytest.fixture
def site(mini: MiniProject) -> Site:
    """The small archive, built for real; its one meeting has an item with a decision."""
    body = "## § 1 Öppnande\n\n::: beslut\nMötet öppnas.\n:::\n"
    project = mini(meeting=meeting_text("aliases: [/gammal/sida/]\nplace: Hjo\n", body=body))
    result = build(project, search=False)
    assert result.ok and result.site is not None, result.diagnostics.format()
    return result.site


def with_meeting(site: Site, meeting: Meeting) -> Site:
    return build_site(site.config, site.municipalities, site.networks, [meeting])


def nasty_meeting(site: Site) -> Meeting:
    """The archive's meeting with NASTY in every text a feed, calendar or export carries."""
    meeting = site.meetings[0]
    items = tuple(
        replace(
            item,
            title=NASTY,
            label=NASTY,
            decisions=tuple(replace(d, text=NASTY, item_title=NASTY) for d in item.decisions),
        )
        for item in meeting.items
    )
    return replace(meeting, title=NASTY, place=NASTY, secretary=NASTY, chair=(NASTY,), items=items)


def render(kind: str, site: Site, page: Page) -> bytes:
    return RENDERERS[kind](site, page, made_anew)


def test_atom_feed_replaces_what_xml_forbids(site: Site) -> None:
    bad = with_meeting(site, nasty_meeting(site))
    page = Page(feed_url(), "", {"meetings": bad.meetings, "title": NASTY, "html": "/"}, export="atom")
    data = render("atom", bad, page)
    xml.dom.minidom.parseString(data)
    text = data.decode("utf-8")
    assert not [c for c in FORBIDDEN_IN_XML if c in text]
    root = ET.fromstring(data)
    atom = "{http://www.w3.org/2005/Atom}"
    assert (
        root.findtext(f"{atom}title")
        == "a\ufffdb\ufffdc\ufffdd\ufffde\ufffdf\ufffdg\ufffdh\ufffdi\nj\nk\nl"  # XML reads CR LF, CR as LF
    )
    entry_title = root.findtext(f"{atom}entry/{atom}title")
    assert entry_title is not None and entry_title.startswith("a\ufffdb\ufffdc")


def test_atom_feed_of_a_real_build_is_well_formed(mini: MiniProject) -> None:
    """A title and an item heading holding U+0001: refused by `check`, or absent from the feeds."""
    front = 'title: "a\\x01b"\n'
    project = mini(meeting=meeting_text(front, body="## § 1 Rubrik a\x01b\n\nText.\n"))
    result = build(project, search=False)
    if not result.ok:
        assert any(d.path.name == "2024-09-20.md" for d in result.diagnostics.items)
        return
    for url in (feed_url(), feed_url("skolchefer"), feed_url(municipality="falkoping"), "/sitemap.xml"):
        data = (project.output / url.lstrip("/")).read_bytes()
        xml.dom.minidom.parseString(data)
        assert b"\x01" not in data, url


def test_calendar_escapes_folds_and_refuses_control_characters(site: Site) -> None:
    title = "Möte, med; snedstreck \\ och\nny rad\x01" + "ö" * 100
    meeting = replace(site.meetings[0], title=title, place=NASTY, slug="a\nb c")
    bad = with_meeting(site, meeting)
    network = bad.networks["skolchefer"]
    page = Page(calendar_url(network), "", {"network": network, "meetings": bad.meetings}, export="ical")
    data = render("ical", bad, page)
    assert data.endswith(b"\r\n")
    lines = data.split(b"\r\n")[:-1]
    for line in lines:
        assert len(line) <= 75, line
        assert b"\n" not in line and b"\r" not in line, line
        assert not any(0 <= byte < 0x20 and byte != 0x09 for byte in line), line
    unfolded = data.replace(b"\r\n ", b"")
    assert b"SUMMARY:M\xc3\xb6te\\, med\\; snedstreck \\\\ och\\nny rad\xef\xbf\xbd" in unfolded
    event = icalendar.Calendar.from_ical(data).walk("VEVENT")[0]
    assert str(event["SUMMARY"]) == title.replace("\x01", "\ufffd")
    location = "a\ufffdb\ufffdc\ufffdd\ufffde\ufffdf\ufffeg\uffffh\ufffdi\nj\nk\nl"  # TEXT may hold U+FFFE
    assert str(event["LOCATION"]) == location
    assert str(event["URL"]).endswith("2024-09-20-a%0Ab%20c/")


def test_json_exports_load_with_any_text(site: Site) -> None:
    bad = with_meeting(site, nasty_meeting(site))
    whole = json.loads(render("meetings.json", bad, Page(data_url("meetings.json"), "", {})))
    one = json.loads(render("meeting.json", bad, Page("/x/mote.json", "", {"meeting": bad.meetings[0]})))
    for record in (whole["meetings"][0], one):
        assert record["title"] == NASTY.replace("\ud800", "\ufffd")
        assert record["items"][0]["decisions"] == [NASTY.replace("\ud800", "\ufffd")]


def test_csv_exports_keep_their_columns(site: Site) -> None:
    bad = with_meeting(site, nasty_meeting(site))
    for name in ("decisions.csv", "attendance.csv"):
        data = render(name, bad, Page(data_url(name), "", {}))
        rows = list(csv.reader(io.StringIO(data.decode("utf-8"), newline="")))
        assert len(rows) >= 2, name
        assert len({len(row) for row in rows}) == 1, rows
    rows = list(
        csv.reader(io.StringIO(render("decisions.csv", bad, Page("/d", "", {})).decode(), newline=""))
    )
    assert rows[1][5] == NASTY.replace("\ud800", "\ufffd")


def test_redirects_one_rule_per_alias(site: Site) -> None:
    aliases = ("/gammal/sida/", "/protokoll/2019-03-01.html", "/a_b~c/%C3%A5/", "/å/möte", "/")
    bad = with_meeting(site, replace(site.meetings[0], aliases=aliases))
    data = render("redirects", bad, Page("/_redirects", "", {}))
    target = meeting_url(bad.meetings[0])
    assert data.decode("utf-8") == "".join(f"{alias} {target} 301\n" for alias in aliases)


REFUSED = [
    EVIL,
    "/a b",
    "/a\tb",
    "/a\r",
    "/a\x00b",
    "/a\u2028b",
    "/a\x85b",
    "/a#b",
    "/a?b=1",
    "/*",
    "/a/*",
    "/a/:splat",
    "/:a",
    "gammal/",
    "",
    "https://evil.example/",
    "//evil.example/x",
    "/a//b",
    "/a/../b",
    "/./a",
    "/a/..",
    "/%zz",
    "/a%2",
    "/a\\b",
    '/a"b',
    "/a<b>",
]


@pytest.mark.parametrize("alias", REFUSED)
def test_redirects_refuse_a_value_that_is_not_a_plain_path(site: Site, alias: str) -> None:
    bad = with_meeting(site, replace(site.meetings[0], aliases=("/gammal/sida/", alias)))
    with pytest.raises(UnsafeOutput, match="is not a plain path") as caught:
        render("redirects", bad, Page("/_redirects", "", {}))
    assert repr(alias) in str(caught.value)
    assert "2024-09-20.md" in str(caught.value)


def test_redirects_refuse_a_meeting_url_that_is_not_a_plain_path(site: Site) -> None:
    meeting = replace(site.meetings[0], slug="x 302!")
    with pytest.raises(UnsafeOutput):
        redirect_path(meeting_url(meeting), meeting)


def test_redirects_of_a_real_build_never_hold_an_injected_rule(mini: MiniProject) -> None:
    """An alias with a newline: refused by `check`, or the build stops; never a rule of its own."""
    project = mini(meeting=meeting_text('aliases: ["/a\\n/* https://evil.example/:splat 302!"]\n'))
    with contextlib.suppress(UnsafeOutput):
        result = build(project, search=False)
        assert not result.ok
    redirects = project.output / "_redirects"
    assert not redirects.exists() or b"evil" not in redirects.read_bytes()


def test_calendar_at_the_end_of_the_calendar(site: Site) -> None:
    """A meeting on 9999-12-31 and a next meeting announced for it: all-day events without DTEND
    (they last their one day), not an OverflowError."""
    end = DaySpan(date.max, date.max)  # validation keeps dates before 3000; this is the defence behind it
    meeting = replace(
        site.meetings[0], date=date(9999, 12, 30), time=None, next_meeting="9999-12-31--31", next_days=end
    )
    last = replace(
        site.meetings[0],
        date=date.max,
        time=None,
        next_meeting=None,
        next_days=None,
        source=meeting.source.with_stem("x"),
    )
    for meetings, starts in (([meeting], [date(9999, 12, 30), date.max]), ([last], [date.max])):
        bad = build_site(site.config, site.municipalities, site.networks, meetings)
        network = bad.networks["skolchefer"]
        page = Page(calendar_url(network), "", {"network": network, "meetings": bad.meetings}, export="ical")
        events = icalendar.Calendar.from_ical(render("ical", bad, page)).walk("VEVENT")
        assert [e.decoded("dtstart") for e in events] == starts
        assert "DTEND" not in events[-1]
