"""The checks a reviewer of minutes would make, over the whole validated archive."""

from __future__ import annotations

import itertools
import re
from collections import defaultdict
from datetime import date

from .diagnostics import Diagnostic, Diagnostics, SourcePos
from .model import Meeting, Reuse, Site, made_anew
from .people import near_duplicates, officers_unlike_the_list
from .record.dates import JUSTERING_DAYS, POSTING_DAYS, anslag_network

_NUMBER = re.compile(r"^\d+$")


def _pos(meeting: Meeting, key: str) -> SourcePos:
    line, column = meeting.positions.get(key, (1, 1))
    return SourcePos(line, column)


def _review_record(meeting: Meeting, site: Site, diagnostics: Diagnostics) -> None:
    """The dates of the record: justering within 14 days, the notice posted within two days of
    it and never before it or the meeting, and for a body with anslag the dates its appeal window
    needs (see `record`)."""
    path, adjusted, posted = meeting.source, meeting.adjusted_on, meeting.posted_on
    late = adjusted is not None and (adjusted - meeting.date).days > JUSTERING_DAYS
    if adjusted is not None and late:
        diagnostics.warning(
            path,
            _pos(meeting, "adjusted_on"),
            f"the minutes were justerat {(adjusted - meeting.date).days} days after the meeting",
            f"kommunallagen asks for justering within {JUSTERING_DAYS} days; check 'adjusted_on'",
        )
    if posted is not None:
        if posted < meeting.date or (adjusted is not None and posted < adjusted):
            before = "the meeting" if posted < meeting.date else "the justering"
            diagnostics.error(
                path,
                _pos(meeting, "posted_on"),
                f"posted_on {posted.isoformat()} is before {before}",
                "the notice is posted after the minutes are justerat; check 'posted_on' and 'adjusted_on'",
            )
        elif adjusted is not None and (posted - adjusted).days > POSTING_DAYS:
            diagnostics.warning(
                path,
                _pos(meeting, "posted_on"),
                f"the notice was posted {(posted - adjusted).days} days after the justering",
                f"the justering is to be posted within {POSTING_DAYS} days; check 'posted_on'",
            )
    if meeting.status == "justerat" and anslag_network(meeting, site) is not None:
        missing = [key for key, value in (("adjusted_on", adjusted), ("posted_on", posted)) if value is None]
        if missing:
            diagnostics.warning(
                path,
                _pos(meeting, "status"),
                f"{meeting.primary_network} has anslag, but the minutes give no {' and no '.join(missing)}",
                "add the day of justering and the day it was posted on the anslagstavla: "
                "without them the page cannot show the appeal window",
            )


def review_meeting(meeting: Meeting, site: Site, diagnostics: Diagnostics, today: date) -> None:
    path = meeting.source
    if meeting.status == "justerat":
        # A key that is written but wrong already has its own error.
        missing = [
            name
            for name, value in (("chair", meeting.chair), ("adjusters", meeting.adjusters))
            if not value and name not in meeting.positions
        ]
        if missing:
            diagnostics.warning(
                path,
                _pos(meeting, "status"),
                f"the minutes are marked justerat but name no {' and no '.join(missing)}",
                "add 'chair:' and 'adjusters:' as the signed minutes say, or keep 'status: utkast'",
            )
        if meeting.date > today:
            diagnostics.error(
                path,
                _pos(meeting, "date"),
                f"a meeting dated in the future ({meeting.date.isoformat()}) is marked justerat",
                "minutes are adjusted after the meeting; check the date or use 'status: utkast'",
            )
    _review_record(meeting, site, diagnostics)
    officers_unlike_the_list(meeting, site.people, diagnostics)
    if meeting.next_days and meeting.next_days.first <= meeting.date:
        diagnostics.error(
            path,
            _pos(meeting, "next_meeting"),
            f"next_meeting {meeting.next_days.first.isoformat()} is not after the meeting's date",
        )

    members = {
        slug
        for network in meeting.networks
        if network in site.networks
        for slug in site.networks[network].members
    }
    presence: dict[str, set[bool]] = defaultdict(set)
    for index, participant in enumerate(meeting.participants):
        if participant.present is not None:
            seen = presence[participant.name]
            if seen and participant.present not in seen:  # reported once, at the contradicting entry
                diagnostics.error(
                    path,
                    _pos(meeting, f"participants.{index}"),
                    f"{participant.name} is listed both as present and as absent",
                )
            seen.add(participant.present)
        if participant.municipality and participant.municipality not in members:
            name = site.municipalities[participant.municipality].name
            diagnostics.warning(
                path,
                _pos(meeting, f"participants.{index}"),
                f"{participant.name}'s municipality {name} is not a member of {', '.join(meeting.networks)}",
                "check the municipality, or add it to the network's members",
            )
    for item in meeting.items:
        for decision in item.decisions:
            if not decision.text.strip():
                diagnostics.error(
                    path,
                    SourcePos(decision.line or item.line or 1, 1),
                    "the decision block is empty",
                    "write the decision between '::: beslut' and ':::', or remove the block",
                )


def paragraph_numbers(meeting: Meeting) -> list[int]:
    """The § numbers of a meeting's items, in order."""
    return [
        int(item.number)
        for item in meeting.items
        if item.label and item.label.startswith("§") and item.number and _NUMBER.match(item.number)
    ]


def _item_lines(meeting: Meeting) -> dict[int, int]:
    return {int(i.number): i.line for i in meeting.items if i.number and _NUMBER.match(i.number)}


def review_numbering(
    site: Site, diagnostics: Diagnostics, numbering: dict[int, tuple[list[int], dict[int, int]]]
) -> None:
    """§ items number continuously through a year: no repeats, no gaps, also across meetings.

    `numbering`: every meeting's § numbers and item lines, by id(meeting).
    """
    for slug, network in site.networks.items():
        if network.numbering != "continuous-per-year":
            continue
        previous: tuple[Meeting, int] | None = None
        for meeting in sorted(site.by_network.get(slug, ()), key=lambda m: (m.date, str(m.source))):
            if meeting.primary_network != slug:
                continue
            numbers, lines = numbering[id(meeting)]
            if not numbers:
                continue
            for before, after in itertools.pairwise(numbers):
                if after != before + 1:
                    problem = "repeats" if after <= before else "leaves a gap after"
                    diagnostics.warning(
                        meeting.source,
                        SourcePos(lines.get(after, 1), 1),
                        f"§ {after} {problem} § {before}",
                        "§ items are numbered continuously",
                    )
            if previous is not None and previous[0].year == meeting.year:
                expected = previous[1] + 1
                if numbers[0] != expected:
                    problem = "repeats numbers of" if numbers[0] < expected else "leaves a gap after"
                    diagnostics.warning(
                        meeting.source,
                        SourcePos(lines.get(numbers[0], 1), 1),
                        f"§ {numbers[0]} {problem} the previous meeting ({previous[0].date.isoformat()}, "
                        f"last § {previous[1]}); expected § {expected}",
                        "§ items continue through the year; set 'numbering:' in network.yml if this "
                        "network numbers otherwise",
                    )
            previous = (meeting, max(numbers))


def review_site(site: Site, diagnostics: Diagnostics, today: date, reuse: Reuse = made_anew) -> None:
    """Review every meeting, then the numbering across meetings.

    A meeting's own findings come through `reuse`: the preview server rebuilds after every save,
    and most meetings never change.
    """
    numbering: dict[int, tuple[list[int], dict[int, int]]] = {}
    for meeting in site.meetings:

        def make(meeting: Meeting = meeting) -> tuple[list[Diagnostic], list[int], dict[int, int]]:
            own = Diagnostics()
            review_meeting(meeting, site, own, today)
            return own.items, paragraph_numbers(meeting), _item_lines(meeting)

        found, numbers, lines = reuse(meeting, "review", make, today)
        numbering[id(meeting)] = (numbers, lines)
        diagnostics.extend(found)
    review_numbering(site, diagnostics, numbering)
    near_duplicates(site.meetings, site.people, diagnostics)
