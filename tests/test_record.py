"""The public record's dates: the appeal window, the reviewer's checks of justering and anslag,
the meeting page's notice, the anslagstavla, and meetings that leave publication."""

from __future__ import annotations

import json
from dataclasses import replace
from datetime import date
from pathlib import Path

import pytest

from protokollarkiv.build.builder import Project, build, check
from protokollarkiv.record.dates import appeal_ends, closed_day

from .conftest import MEETING_PATH, MINI_NETWORK, MiniProject, meeting_text, parse_html, run_cli

FORMAL_NETWORK = MINI_NETWORK + "anslag: true\nkept_at: Förbundets kansli, Storgatan 1, Skövde\n"


@pytest.mark.parametrize(
    ("posted", "ends"),
    [
        ("2013-04-11", "2013-05-02"),  # a Thursday three weeks later (1 May lies inside, not at the end)
        ("2024-12-04", "2024-12-27"),  # ends on juldagen: annandag jul follows, so the Friday
        ("2025-05-30", "2025-06-23"),  # ends on midsommarafton: then midsommardagen, a Sunday, Monday
        ("2024-09-07", "2024-09-30"),  # ends on a Saturday: the Monday
        ("2024-12-10", "2025-01-02"),  # ends on nyårsafton: nyårsdagen follows, so 2 January
        ("2025-03-31", "2025-04-22"),  # ends on annandag påsk (21 April 2025): the Tuesday
        ("2024-05-09", "2024-05-30"),  # an ordinary Thursday
    ],
)
def test_the_appeal_window_ends_as_the_law_on_periods_says(posted: str, ends: str) -> None:
    assert appeal_ends(date.fromisoformat(posted)) == date.fromisoformat(ends)


def test_days_a_period_may_not_end_on() -> None:
    closed = [
        "2025-06-20",
        "2024-12-24",
        "2024-12-31",
        "2025-01-06",
        "2025-06-06",
        "2024-11-02",
        "2024-11-03",
    ]
    assert all(closed_day(date.fromisoformat(day)) for day in closed)  # eves, holidays, a weekend
    assert not any(closed_day(date.fromisoformat(day)) for day in ["2025-06-19", "2024-12-23", "2025-01-07"])


def diagnostics_of(mini: MiniProject, front: str, network: str = FORMAL_NETWORK) -> set[tuple[str, int, str]]:
    project = mini({"networks/skolchefer/network.yml": network}, meeting=meeting_text(front))
    result = check(project)
    return {
        (d.severity.value, d.line, d.message) for d in result.diagnostics.items if d.path.name.endswith(".md")
    }


def test_the_reviewer_checks_the_dates_of_the_record(mini: MiniProject) -> None:
    late = diagnostics_of(mini, "adjusted_on: 2024-10-10\nposted_on: 2024-10-15\n")
    assert ("warning", 4, "the minutes were justerat 20 days after the meeting") in late
    assert ("warning", 5, "the notice was posted 5 days after the justering") in late
    before = diagnostics_of(mini, "adjusted_on: 2024-09-25\nposted_on: 2024-09-24\n")
    assert ("error", 5, "posted_on 2024-09-24 is before the justering") in before
    early = diagnostics_of(mini, "posted_on: 2024-09-19\n")
    assert ("error", 4, "posted_on 2024-09-19 is before the meeting") in early
    missing = diagnostics_of(mini, "adjusted_on: 2024-09-25\n")
    assert ("warning", 3, "skolchefer has anslag, but the minutes give no posted_on") in missing
    # an informal network has no anslag: nothing to say about a notice it never posts
    assert not [d for d in diagnostics_of(mini, "", MINI_NETWORK) if "anslag" in d[2]]
    good = diagnostics_of(mini, "adjusted_on: 2024-09-25\nposted_on: 2024-09-26\n")
    assert not [d for d in good if d[0] == "error" or "posted" in d[2] or "justerat" in d[2]]


def built(project: Project, today: date) -> Path:
    result = build(project, today=today)
    assert result.ok, result.diagnostics.format()
    return project.output


def test_a_wrong_value_of_the_new_keys_is_a_diagnostic(mini: MiniProject) -> None:
    network = MINI_NETWORK + "anslag: ja\n"
    project = mini(
        {"networks/skolchefer/network.yml": network, "site.yml": "title: T\npublish_years: noll\n"},
        meeting=meeting_text("posted_on: igår\ncorrections: [{date: 2024-10-01}]\nunpublished: ''\n"),
    )
    messages = {d.message for d in check(project).diagnostics.items}
    assert "'anslag' must be true or false, not text" in messages
    assert "'publish_years' must be a whole number, not text" in messages
    assert "correction is missing the required key 'text'" in messages
    assert "'unpublished' must give the reason" in messages
    assert any(m.startswith("'posted_on'") for m in messages)


def test_mini_meeting_path_is_the_one_checked() -> None:
    assert MEETING_PATH.endswith("2024-09-20.md")  # the dates above are relative to 20 September 2024


def formal_archive(mini: MiniProject) -> Project:
    """A body with anslag and three justerat protocols: one whose window is open on 1 October 2024,
    one closed on 10 September (within the last 30 days), one closed in May (gone from the board)."""
    body = "## § 1 Öppnande\n\nÖppnat.\n\n## § 2 Budget\n\n::: beslut\nAtt anta budgeten.\n:::\n"
    return mini(
        {
            "networks/skolchefer/network.yml": FORMAL_NETWORK,
            "networks/skolchefer/2024/2024-08-15.md": meeting_text(
                "adjusted_on: 2024-08-19\nposted_on: 2024-08-20\n", body, date="2024-08-15"
            ),
            "networks/skolchefer/2024/2024-04-25.md": meeting_text(
                "adjusted_on: 2024-04-30\nposted_on: 2024-05-02\n", body, date="2024-04-25"
            ),
        },
        meeting=meeting_text("adjusted_on: 2024-09-25\nposted_on: 2024-09-26\n", body),
    )


def test_the_meeting_page_shows_the_record_and_how_to_appeal(mini: MiniProject) -> None:
    site = built(formal_archive(mini), date(2024, 10, 1))
    html = parse_html(site / "natverk/skolchefer/2024-09-20/index.html")
    meta = {dt.full_text(): dd for dt, dd in zip(html.find_all("dt"), html.find_all("dd"), strict=True)}
    assert meta["Anslaget den"].full_text() == "26 september 2024"
    ends = meta["Överklagandetiden löper ut"]
    assert ends.find_all("time")[0].attrs["datetime"] == "2024-10-17"
    [note] = [span for span in ends.find_all("span") if "past-note" in span.classes()]
    assert note.attrs["data-past-after"] == "2024-10-17" and "hidden" in note.attrs  # the browser's to show
    assert meta["Protokollet förvaras"].full_text() == "Förbundets kansli, Storgatan 1, Skövde"
    [appeal] = [s for s in html.find_all("section") if s.attrs.get("aria-labelledby") == "overklaga"]
    text = appeal.full_text()
    assert "förvaltningsrätten" in text and "tre veckor" in text and "Skolchefer" in text
    assert "/anslagstavla/" in [a.attrs["href"] for a in appeal.find_all("a")]
    # an informal network's minutes say nothing of anslag
    plain = parse_html(built(mini(), date(2024, 10, 1)) / "natverk/skolchefer/2024-09-20/index.html")
    assert "Anslaget den" not in plain.full_text() and not (site.parent / "x").exists()


def test_the_anslagstavla_lists_the_open_notices_and_those_recently_closed(mini: MiniProject) -> None:
    project = formal_archive(mini)
    project = replace(project, cache=project.content.parent / ".cache")  # the second build plans
    site = built(project, date(2024, 10, 1))
    board = parse_html(site / "anslagstavla/index.html")
    sections = {s.attrs.get("aria-labelledby"): s for s in board.find_all("section")}
    links = [a.attrs["href"] for a in sections["anslag"].find_all("a")]
    assert "/natverk/skolchefer/2024-09-20/" in links and "/natverk/skolchefer/2024-08-15/" not in links
    closed = [a.attrs["href"] for a in sections["nedtagna"].find_all("a")]
    assert "/natverk/skolchefer/2024-08-15/" in closed  # its window closed on 10 September
    assert "2024-04-25" not in board.full_text() and "25 april" not in board.full_text()
    assert "Sidan byggdes 1 oktober 2024" in board.full_text()
    notice = sections["anslag"].full_text()
    for shown in ("20 september 2024", "§ 1–2", "26 september 2024", "17 oktober 2024", "Förbundets kansli"):
        assert shown in notice, shown
    record = json.loads((site / "natverk/skolchefer/2024-09-20/mote.json").read_text(encoding="utf-8"))
    assert (record["posted_on"], record["appeal_ends"]) == ("2024-09-26", "2024-10-17")
    feed = (site / "anslagstavla/feed.xml").read_text(encoding="utf-8")
    assert feed.count("<entry>") == 2 and "2024-10-17" in feed
    assert "/anslagstavla/" in [a.attrs["href"] for a in parse_html(site / "index.html").find_all("a")]
    assert "/anslagstavla/</loc>" in (site / "sitemap.xml").read_text(encoding="utf-8")

    # A day later nothing in the archive changed, but the board is made again; after 17 October
    # the open notice has moved to the closed ones.
    again = build(project, today=date(2024, 10, 1))  # the same day: nothing to do
    assert again.ok and again.rendered == []
    later = build(project, today=date(2024, 10, 18))
    assert later.ok and set(later.rendered) == {"/anslagstavla/", "/anslagstavla/feed.xml"}
    board = parse_html(project.output / "anslagstavla/index.html")
    sections = {s.attrs.get("aria-labelledby"): s for s in board.find_all("section")}
    assert "Sidan byggdes 18 oktober 2024" in board.full_text()
    assert not sections["anslag"].find_all("li", "board-notice")
    assert "/natverk/skolchefer/2024-09-20/" in [a.attrs["href"] for a in sections["nedtagna"].find_all("a")]


def test_an_archive_without_anslag_has_no_anslagstavla(mini: MiniProject) -> None:
    site = built(mini(), date(2024, 10, 1))
    assert not (site / "anslagstavla").exists()
    assert "/anslagstavla/" not in (site / "index.html").read_text(encoding="utf-8")


def test_minutes_taken_off_publication_answer_gone_and_leave_everything(mini: MiniProject) -> None:
    project = formal_archive(mini)
    path = project.content / "networks/skolchefer/2024/2024-08-15.md"
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace("status: justerat\n", "status: justerat\nunpublished: sekretess\n"), "utf-8")
    site = built(project, date(2024, 10, 1))
    url = "/natverk/skolchefer/2024-08-15/"
    gone = parse_html(site / url.strip("/") / "index.html")
    text = gone.full_text()
    assert "Protokollet är borttaget från webbplatsen" in text and "Skäl: sekretess" in text
    assert "allmän handling" in text and "Förbundets kansli" in text and "info@example.se" in text
    assert "/om/#allmanna-handlingar" in [a.attrs["href"] for a in gone.find_all("a")]
    assert not (site / url.strip("/") / "mote.json").exists()
    rules = (site / "_redirects").read_text(encoding="utf-8").splitlines()
    assert f"{url} {url}index.html 410!" in rules and f"{url}* {url}index.html 410!" in rules
    for listing in (
        "index.html",
        "natverk/skolchefer/index.html",
        "ar/2024/index.html",
        "beslut/2024/index.html",
    ):
        assert url not in (site / listing).read_text(encoding="utf-8"), listing
    for export in ("feed.xml", "natverk/skolchefer/kalender.ics", "data/meetings.json", "data/decisions.csv"):
        assert "2024-08-15" not in (site / export).read_text(encoding="utf-8"), export
    assert url not in (site / "sitemap.xml").read_text(encoding="utf-8")
    assert "2024-08-15" not in (site / "anslagstavla/index.html").read_text(encoding="utf-8")
    assert "2024-09-20" in (site / "data/meetings.json").read_text(encoding="utf-8")  # the others stay


def test_publish_years_takes_older_minutes_off_on_a_new_year(mini: MiniProject) -> None:
    project = formal_archive(mini)
    (project.content / "site.yml").write_text(
        (project.content / "site.yml").read_text(encoding="utf-8") + "publish_years: 1\n", "utf-8"
    )
    project = replace(project, cache=project.content.parent / ".cache")
    site = built(project, date(2025, 12, 31))  # 2024 and 2025 are published
    assert "2024-09-20" in (site / "data/meetings.json").read_text(encoding="utf-8")
    built(project, date(2026, 1, 1))  # a new year: 2024 leaves, with nothing else changed
    assert "2024-09-20" not in (site / "data/meetings.json").read_text(encoding="utf-8")
    gone = parse_html(site / "natverk/skolchefer/2024-09-20/index.html").full_text()
    assert "Protokollet är borttaget" in gone and "i 1 år efter mötesåret" in gone
    assert "/natverk/skolchefer/2024-09-20/" not in (site / "natverk/skolchefer/index.html").read_text(
        "utf-8"
    )


@pytest.mark.slow
def test_the_preview_server_answers_410_for_minutes_taken_off(mini: MiniProject) -> None:
    from .test_serve import launch

    project = mini(meeting=meeting_text("unpublished: gallrat\n"))
    server = launch(project.content.parent, "--templates", str(project.templates))
    try:
        status, body = server.get("/natverk/skolchefer/2024-09-20/")
        assert status == 410 and "Protokollet är borttaget" in body and "Skäl: gallrat" in body
        assert server.get("/natverk/skolchefer/2024-09-20/mote.json")[0] == 410
        assert server.get("/natverk/skolchefer/")[0] == 200
    finally:
        server.process.terminate()
        server.process.wait(timeout=10)


def test_seal_keeps_minutes_taken_off_publication_and_dates_seals_by_today(mini: MiniProject) -> None:
    project = mini(meeting=meeting_text("unpublished: gallrat\n"))
    done = run_cli("seal", "--content", str(project.content), "--today", "2024-10-01")
    assert done.returncode == 0, done.stderr
    ledger = json.loads((project.content / "sigill.json").read_text(encoding="utf-8"))
    assert ledger["meetings"]["skolchefer/2024-09-20"]["sealed_on"] == "2024-10-01"
