"""The public record's dates: the appeal window, the reviewer's checks of justering and anslag,
the meeting page's notice, the anslagstavla, and meetings that leave publication."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from protokollarkiv.build.builder import Project, build, check
from protokollarkiv.record import appeal_ends, closed_day

from .conftest import MEETING_PATH, MINI_NETWORK, MiniProject, meeting_text

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
