"""Feeds, calendars, open data and the Netlify deploy, read back with real parsers."""

from __future__ import annotations

import csv
import functools
import io
import json
import re
import shutil
import subprocess
import sys
import threading
import tomllib
from datetime import date, datetime
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from zoneinfo import ZoneInfo

import feedparser
import icalendar
import jsonschema
import pytest
from playwright.sync_api import Browser

from protokollarkiv.build.builder import build

from .conftest import ROOT, MiniProject, meeting_text, parse_html

SKARABORG = "https://protokollarkiv.netlify.app/natverk/skolchefer-skaraborg/2024-09-20/"
OREBRO_2020 = "https://protokollarkiv.netlify.app/natverk/samverkansrad-skola-orebro/2020-09-16/"
JOINT = "https://protokollarkiv.netlify.app/natverk/chefsgrupp-valfard-orebro/2024-03-15/"


@pytest.fixture(scope="module")
def site(sample_output: Path) -> Path:
    return sample_output


def feed(site: Path, path: str) -> feedparser.FeedParserDict:
    parsed = feedparser.parse((site / path).read_bytes())
    assert not parsed.bozo, parsed.get("bozo_exception")
    return parsed


def test_feeds_hold_the_archive_and_the_joint_meeting_twice(site: Path) -> None:
    everything = feed(site, "feed.xml")
    assert [e.link for e in everything.entries] == [SKARABORG, JOINT, OREBRO_2020]
    first = everything.entries[0]
    assert first.published.startswith("2024-09-20")
    assert [t.term for t in first.tags] == ["skolchefer-skaraborg"]
    assert "§ 105 Statsbidrag regionalt yrkesvux 2025" in first.summary
    assert everything.feed.links[0].href.endswith("/feed.xml")

    for network in ("chefsgrupp-valfard-orebro", "chefsgrupp-skola-orebro"):
        entries = feed(site, f"natverk/{network}/feed.xml").entries
        assert [e.link for e in entries] == [JOINT], network
        assert {t.term for t in entries[0].tags} == {"chefsgrupp-valfard-orebro", "chefsgrupp-skola-orebro"}
    assert [e.link for e in feed(site, "kommun/kumla/feed.xml").entries] == [JOINT, OREBRO_2020]
    assert [e.link for e in feed(site, "kommun/skovde/feed.xml").entries] == [SKARABORG]

    home = parse_html(site / "index.html")
    alternates = [e.attrs for e in home.find_all("link") if e.attrs.get("rel") == "alternate"]
    assert {"type": "application/atom+xml", "href": "/feed.xml"}.items() <= alternates[0].items()
    network_page = parse_html(site / "natverk/skolchefer-skaraborg/index.html")
    hrefs = [e.attrs["href"] for e in network_page.find_all("link") if e.attrs.get("rel") == "alternate"]
    assert "/natverk/skolchefer-skaraborg/feed.xml" in hrefs
    assert "/natverk/skolchefer-skaraborg/kalender.ics" in hrefs


def events(site: Path, network: str) -> list[icalendar.Event]:
    calendar = icalendar.Calendar.from_ical((site / "natverk" / network / "kalender.ics").read_bytes())
    return list(calendar.walk("VEVENT"))


def test_calendars_have_the_meetings_and_the_announced_next_one(site: Path) -> None:
    held, announced = events(site, "skolchefer-skaraborg")
    assert held["STATUS"] == "CONFIRMED" and held.decoded("DTSTART") == date(2024, 9, 20)
    assert str(held["URL"]) == SKARABORG
    assert str(held["LOCATION"]) == "Regionens Hus"
    # "Nästa möte: 2024-10-24--25" is one two-day event.
    assert announced["STATUS"] == "TENTATIVE"
    assert announced.decoded("DTSTART") == date(2024, 10, 24)
    assert announced.decoded("DTEND") == date(2024, 10, 26)

    (council,) = events(site, "samverkansrad-skola-orebro")
    stockholm = ZoneInfo("Europe/Stockholm")
    assert council.decoded("DTSTART") == datetime(2020, 9, 16, 9, 0, tzinfo=stockholm)
    assert council.decoded("DTEND") == datetime(2020, 9, 16, 12, 0, tzinfo=stockholm)
    assert [str(e["UID"]) for e in events(site, "chefsgrupp-skola-orebro")] == [
        "natverk-chefsgrupp-valfard-orebro-2024-03-15@protokollarkiv.netlify.app"
    ]


def test_calendar_uids_are_stable_between_builds(mini: MiniProject) -> None:
    project = mini()
    build(project, search=False)
    first = (project.output / "natverk/skolchefer/kalender.ics").read_bytes()
    shutil.rmtree(project.output)
    build(project, search=False)
    assert (project.output / "natverk/skolchefer/kalender.ics").read_bytes() == first


def test_open_data_matches_the_archive(site: Path) -> None:
    schema = json.loads((site / "data/meetings.schema.json").read_text(encoding="utf-8"))
    data = json.loads((site / "data/meetings.json").read_text(encoding="utf-8"))
    jsonschema.validate(data, schema, format_checker=jsonschema.FormatChecker())
    assert data["licence"].startswith("CC0")
    by_url = {m["url"]: m for m in data["meetings"]}
    assert list(by_url) == [SKARABORG, JOINT, OREBRO_2020]
    seed_000 = by_url[SKARABORG]
    assert [i["label"] for i in seed_000["items"]] == [f"§ {n}" for n in range(100, 111)]
    assert len(seed_000["participants"]) == 35
    assert seed_000["next_meeting"] == "2024-10-24--25"
    assert by_url[JOINT]["networks"] == ["chefsgrupp-valfard-orebro", "chefsgrupp-skola-orebro"]

    for record in data["meetings"]:  # each page links its own record, equal to the one above
        page = record["url"].removeprefix("https://protokollarkiv.netlify.app/")
        links = [a.attrs["href"] for a in parse_html(site / page / "index.html").find_all("a")]
        assert f"/{page}mote.json" in links
        own = json.loads((site / page / "mote.json").read_text(encoding="utf-8"))
        assert own.pop("licence") == data["licence"] and own.pop("text").strip() and own == record

    decisions = list(csv.DictReader(io.StringIO((site / "data/decisions.csv").read_text(encoding="utf-8"))))
    assert len(decisions) == 8
    assert {d["url"] for d in decisions} >= {SKARABORG + "#p105", OREBRO_2020 + "#p1040"}

    attendance = list(csv.DictReader(io.StringIO((site / "data/attendance.csv").read_text(encoding="utf-8"))))
    seed_001 = {
        row["municipality_name"]: row["present"] for row in attendance if row["meeting_url"] == OREBRO_2020
    }
    present = {"Askersund", "Hallsberg", "Hällefors", "Karlskoga", "Lindesberg", "Ljusnarsberg"}
    absent = {"Degerfors", "Kumla", "Laxå", "Lekeberg", "Nora", "Örebro"}
    assert seed_001 == {**{n: "true" for n in present}, **{n: "false" for n in absent}}
    assert {row["scb_code"] for row in attendance if row["municipality"] == "kumla"} == {"1881"}
    # Seed 000: Hjo, Grästorp, Tibro and Töreboda sent only political chairs, for § 103.
    partly = {(r["municipality"], r["present"], r["items"]) for r in attendance if r["present"] == "partly"}
    assert partly == {(slug, "partly", "103") for slug in ("grastorp", "hjo", "tibro", "toreboda")}
    seed_000 = next(m for m in data["meetings"] if m["url"] == SKARABORG)
    assert seed_000["attendance"]["hjo"] == "partly" and seed_000["attendance"]["skovde"] is True
    assert seed_000["attendance_items"] == {s: ["103"] for s in ("grastorp", "hjo", "tibro", "toreboda")}
    assert "hjo" not in seed_000["municipalities_represented"]

    open_data = parse_html(site / "om/oppna-data/index.html").full_text()
    assert "CC0 1.0" in open_data and "municipalities_represented" in open_data


def test_meeting_pages_carry_json_ld_canonical_and_open_graph(site: Path) -> None:
    text = (site / "natverk/samverkansrad-skola-orebro/2020-09-16/index.html").read_text(encoding="utf-8")
    (raw,) = re.findall(r'<script type="application/ld\+json">(.*?)</script>', text)
    event = json.loads(raw)
    assert event["@type"] == "Event" and event["startDate"] == "2020-09-16T09:00:00+02:00"
    assert event["location"] == {"@type": "VirtualLocation", "name": "Digitalt (Skype)"}
    html = parse_html(site / "natverk/samverkansrad-skola-orebro/2020-09-16/index.html")
    links = {e.attrs.get("rel"): e.attrs.get("href") for e in html.find_all("link")}
    assert links["canonical"] == OREBRO_2020
    meta = {e.attrs.get("property"): e.attrs.get("content") for e in html.find_all("meta")}
    assert meta["og:url"] == OREBRO_2020 and meta["og:type"] == "article"
    assert meta["og:title"].startswith("Specifikt samverkansråd")


def test_aliases_become_redirects_and_url_overrides_base_url(mini: MiniProject) -> None:
    project = mini(meeting=meeting_text("aliases: [/protokoll/2024-09-20.html, /gammal/]\n"))
    root = project.content.parent
    done = subprocess.run(
        [
            sys.executable,
            str(ROOT / "build.py"),
            "--root",
            str(root),
            "--templates",
            str(ROOT / "templates"),
            "--no-search",
        ],
        capture_output=True,
        text=True,
        timeout=120,
        env={"PATH": "/usr/bin:/bin", "URL": "https://preview.example.se"},
    )
    assert done.returncode == 0, done.stderr
    assert (root / "site/_redirects").read_text(encoding="utf-8").splitlines() == [
        "/protokoll/2024-09-20.html /natverk/skolchefer/2024-09-20/ 301",
        "/gammal/ /natverk/skolchefer/2024-09-20/ 301",
    ]
    html = parse_html(root / "site/natverk/skolchefer/2024-09-20/index.html")
    links = {e.attrs.get("rel"): e.attrs.get("href") for e in html.find_all("link")}
    assert links["canonical"] == "https://preview.example.se/natverk/skolchefer/2024-09-20/"


NETLIFY = tomllib.loads((ROOT / "netlify.toml").read_text(encoding="utf-8"))


def netlify_headers(path: str) -> dict[str, str]:
    """The headers Netlify sends for `path`: every matching rule applies."""
    headers: dict[str, str] = {}
    for rule in NETLIFY["headers"]:
        pattern = "^" + re.escape(rule["for"]).replace(r"\*", ".*") + "$"
        if re.match(pattern, path):
            headers.update(rule["values"])
    return headers


def test_netlify_toml_builds_publishes_and_previews_drafts() -> None:
    assert NETLIFY["build"]["publish"] == "site"
    assert NETLIFY["build"]["command"].endswith("python build.py")
    assert NETLIFY["build"]["environment"]["PYTHON_VERSION"] == "3.11"
    assert NETLIFY["context"]["deploy-preview"]["command"].endswith("python build.py --drafts")
    page = netlify_headers("/natverk/x/2024-09-20/")
    assert "frame-ancestors 'none'" in page["Content-Security-Policy"]
    assert "'unsafe-inline'" not in page["Content-Security-Policy"]
    assert page["X-Content-Type-Options"] == "nosniff"
    assert {"Referrer-Policy", "Permissions-Policy"} <= set(page)
    assert "Cache-Control" not in page  # Netlify's short default for HTML
    assert netlify_headers("/static/style.0123456789.css")["Cache-Control"].endswith("immutable")
    assert netlify_headers("/pagefind/fragment/sv_1.pf_fragment")["Cache-Control"].endswith("immutable")


class _WithNetlifyHeaders(SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: object) -> None:
        pass

    def end_headers(self) -> None:
        for name, value in netlify_headers(self.path.split("?")[0]).items():
            # The test server speaks plain http on 127.0.0.1, where an upgrade would break every request.
            self.send_header(name, value.replace("; upgrade-insecure-requests", ""))
        super().end_headers()


@pytest.mark.slow
def test_every_page_kind_and_a_search_without_csp_violations(site: Path, browser: Browser) -> None:
    server = ThreadingHTTPServer(
        ("127.0.0.1", 0), functools.partial(_WithNetlifyHeaders, directory=str(site))
    )
    threading.Thread(target=server.serve_forever, daemon=True).start()
    base = f"http://127.0.0.1:{server.server_address[1]}"
    problems: list[str] = []
    context = browser.new_context()
    page = context.new_page()
    page.on(
        "console",
        lambda m: problems.append(f"{page.url}: {m.text}") if m.type in ("error", "warning") else None,
    )
    page.on("pageerror", lambda e: problems.append(f"{page.url}: {e}"))
    page.on("requestfailed", lambda r: problems.append(f"failed: {r.url}"))
    kinds = (
        "/",
        "/natverk/",
        "/natverk/skolchefer-skaraborg/",
        "/natverk/skolchefer-skaraborg/2024-09-20/",
        "/kommun/",
        "/kommun/kumla/",
        "/ar/",
        "/ar/2020/",
        "/beslut/?ar=2020",
        "/om/tillganglighet/",
        "/om/oppna-data/",
        "/om/",
        "/om/skriva-protokoll/",
        "/404.html",
        "/sok/",
    )
    for path in kinds:
        response = page.goto(base + path)
        assert response is not None and response.status == 200, path
        assert "script-src 'self' 'wasm-unsafe-eval'" in response.headers["content-security-policy"]
        page.wait_for_load_state("networkidle")
    page.goto(base + "/sok/?q=yrkesvux&kommun=Sk%C3%B6vde")
    # Locators, not wait_for_function: that one evaluates strings, which this very CSP forbids.
    page.locator("#search-status", has_text="träff").wait_for()
    assert page.locator(".search-result").count() == 1
    page.fill("#q", "statsbidrag")
    page.press("#q", "Enter")
    page.locator("#search-status", has_text="statsbidrag").wait_for()
    context.close()
    server.shutdown()
    assert problems == []


@pytest.mark.slow
def test_the_netlify_build_command_works_in_a_fresh_environment(tmp_path: Path) -> None:
    repo = tmp_path / "repo"
    patterns = shutil.ignore_patterns(".venv", "site", ".git", "__pycache__", "*.egg-info", ".*_cache")

    def ignore(folder: str, names: list[str]) -> set[str]:
        left_out = set(patterns(folder, names))
        if Path(folder) == ROOT and "build" in names:
            left_out.add("build")  # setuptools' build folder, not the package's build/
        return left_out

    shutil.copytree(ROOT, repo, ignore=ignore)
    subprocess.run([sys.executable, "-m", "venv", str(tmp_path / "venv")], check=True, timeout=120)
    bin_dir = tmp_path / "venv" / "bin"
    env = {"PATH": f"{bin_dir}:/usr/bin:/bin", "HOME": str(tmp_path), "PIP_DISABLE_PIP_VERSION_CHECK": "1"}
    done = subprocess.run(
        NETLIFY["build"]["command"],
        shell=True,
        cwd=repo,
        env=env,
        capture_output=True,
        text=True,
        timeout=900,
    )
    assert done.returncode == 0, done.stdout[-2000:] + done.stderr[-2000:]
    assert (repo / "site/index.html").is_file()
    assert (repo / "site/pagefind/pagefind.js").is_file()
    assert (repo / "site/data/meetings.json").is_file()
    assert "Indexed 3 meetings" in done.stderr
