"""One bad file -> its exact diagnostic line, for every validation rule."""

from __future__ import annotations

import pytest
import yaml

from protokollarkiv.build.builder import Project, check
from protokollarkiv.diagnostics import Diagnostics, SourcePos
from protokollarkiv.load import parse_yaml
from protokollarkiv.model import Participant
from protokollarkiv.speed.yaml import FastLoader as _Loader
from protokollarkiv.validate import PLAIN_PATH_HINT

from .conftest import MEETING_PATH, MINI_MUNICIPALITIES, MiniProject, meeting_text

M = f"content/{MEETING_PATH}"
TIME_HINT = " (write the time as HH:MM or HH:MM-HH:MM, e.g. 09:00-12:00)"


def diagnostics_of(project: Project) -> list[str]:
    result = check(project)
    return result.diagnostics.format(project.content.parent)


def test_the_mini_archive_is_clean(mini: MiniProject) -> None:
    result = check(mini())
    assert result.diagnostics.items == []
    assert result.site is not None and len(result.site.meetings) == 1


@pytest.mark.parametrize(
    ("front", "expected"),
    [
        (
            "titel: Fel\n",
            f"{M}:4:1: warning: unknown key 'titel' in meeting front matter (did you mean 'title'?)",
        ),
        (
            "places: Skövde\n",
            f"{M}:4:1: warning: unknown key 'places' in meeting front matter (did you mean 'place'?)",
        ),
        (
            "status: justerad\n",
            f"{M}:3:9: error: 'status' must be one of utkast, justerat, not 'justerad'"
            " (did you mean 'justerat'?)",
        ),
        (
            "date: 2024-13-01\n",
            f"{M}:2:7: error: 'date' 2024-13-01 is not a day of the calendar (check the month and the day)",
        ),
        (
            "date: 2023-02-29\n",
            f"{M}:2:7: error: 'date' 2023-02-29 is not a day of the calendar (check the month and the day)",
        ),
        (
            "date: 2023-5-4\n",
            f"{M}:2:7: error: 'date' must have two-digit months and days: '2023-5-4' is 2023-05-04"
            " (write dates as YYYY-MM-DD, e.g. 2024-09-20)",
        ),
        (
            "date: 9999-12-31\n",
            f"{M}:2:7: error: 'date' 9999-12-31 is not a plausible day (dates lie between 1800 and 2999)",
        ),
        (
            "date: '2024-09-20'\n",
            None,  # a date in quotes is a date
        ),
        (
            "time: '25:99'\n",
            f"{M}:4:7: error: 'time' names a time of day that does not exist: '25:99'" + TIME_HINT,
        ),
        (
            "time: '24:00'\n",
            f"{M}:4:7: error: 'time' names a time of day that does not exist: '24:00'" + TIME_HINT,
        ),
        (
            "time: 9:60\n",
            f"{M}:4:7: error: 'time' names a time of day that does not exist: '9:60'" + TIME_HINT,
        ),
        (
            "time: '9.00'\n",
            f"{M}:4:7: error: 'time' is not a time of day: '9.00'" + TIME_HINT,
        ),
        (
            "time: 9.00\n",
            f"{M}:4:7: error: 'time' must be a time of day in quotes, not a number" + TIME_HINT,
        ),
        (
            "time: kl 9\n",
            f"{M}:4:7: error: 'time' is not a time of day: 'kl 9'" + TIME_HINT,
        ),
        (
            "time: 09:00-08:00\n",
            f"{M}:4:7: error: 'time' ends (08:00) before it starts (09:00)" + TIME_HINT,
        ),
        (
            "time: 9:00 – 12:30\n",
            None,  # an en dash and spaces are fine
        ),
        (
            "next_meeting: [2024-10-24]\n",
            f"{M}:4:15: error: 'next_meeting' must be text, not a list (quote the value)",
        ),
        (
            "next_meeting: '2025-06-01--45'\n",
            f"{M}:4:15: error: 'next_meeting' names 2025-06-45, which is not a day of the calendar"
            " (check the month and the day)",
        ),
        (
            "next_meeting: 2025-06-03--01\n",
            f"{M}:4:15: error: 'next_meeting' ends (2025-06-01) before it begins (2025-06-03)",
        ),
        (
            "next_meeting: 2025-6-1 kl 13\n",
            f"{M}:4:15: error: 'next_meeting' does not start with a day or a range of days:"
            " '2025-6-1 kl 13' (e.g. 2024-10-24 or 2024-10-24--25)",
        ),
        (
            "next_meeting: 9999-12-31\n",
            f"{M}:4:15: error: 'next_meeting' 9999-12-31 is not a plausible day"
            " (dates lie between 1800 and 2999)",
        ),
        (
            "next_meeting: 2024-10-24 kl. 13 i Skövde\n",
            None,  # a day, then words
        ),
        (
            "title: !!int x\n",
            f"{M}:4:8: error: the YAML tag '!!int' does not fit 'x'"
            " (remove the tag: minutes need no YAML tags)",
        ),
        (
            "place: !!bool maybe\n",
            f"{M}:4:8: error: the YAML tag '!!bool' does not fit 'maybe'"
            " (remove the tag: minutes need no YAML tags)",
        ),
        (
            "title: !!timestamp x\n",
            f"{M}:4:8: error: the YAML tag '!!timestamp' does not fit 'x'"
            " (remove the tag: minutes need no YAML tags)",
        ),
        (
            "title: !!python/object:os.system x\n",
            f"{M}:4:8: error: the YAML tag '!!python/object:os.system' does not fit 'x'"
            " (remove the tag: minutes need no YAML tags)",
        ),
        (
            f"title: {'7' * 4400}\n",
            f"{M}:4:8: error: cannot read the value '{'7' * 40}…' (4400 characters) as a whole number"
            " (put the value in quotes if it is text)",
        ),
        (
            'title: "Möte\\x01"\n',
            f"{M}:4:8: error: 'title' holds the control character U+0001 at character 5"
            " (delete it; most editors do not show it)",
        ),
        (
            'place: "Hjo\\nSkövde"\n',
            None,  # a line break in a text is fine
        ),
        (
            'aliases: ["/gammal\\n/* https://evil.example/:splat 302!"]\n',
            f"{M}:4:11: error: alias '/gammal\\n/* https://evil.example/:splat 302!' is not a plain path"
            f" ({PLAIN_PATH_HINT})",
        ),
        (
            "aliases: [/a/../b]\n",
            f"{M}:4:11: error: alias '/a/../b' is not a plain path ({PLAIN_PATH_HINT})",
        ),
        (
            "networks: [skolchefer, skolchefer]\n",
            f"{M}:4:24: warning: network 'skolchefer' is listed twice",
        ),
        (
            "participants:\n  - {name: Anna Alm, municipality: [skovde]}\n",
            f"{M}:5:36: error: 'municipality' must be text, not a list (quote the value)",
        ),
        (
            "participants:\n  - {name: Anna Alm, items: [1, 104]}\n",
            f"{M}:5:33: error: 'items' names 104, which is not an item of these minutes"
            " (the items are numbered 1)",
        ),
        (
            "attachments:\n  - {file: x.pdf, title: {sv: Bilaga}}\n",
            f"{M}:5:26: error: 'title' must be text, not a mapping (quote the value)",
        ),
        (
            f"attachments:\n  - {{file: {'a' * 256}.pdf}}\n",
            f"{M}:5:12: error: attachment name '{'a' * 40}…' has a part longer than 255 bytes"
            " (give the file a shorter name)",
        ),
        (
            "date: 20 september 2024\n",
            f"{M}:2:7: error: 'date' is not a date: '20 september 2024'"
            " (write dates as YYYY-MM-DD, e.g. 2024-09-20)",
        ),
        (
            "date: 2024-09-20 10:00:00\n",
            f"{M}:2:7: error: 'date' must be a date without a time of day"
            " (write dates as YYYY-MM-DD, e.g. 2024-09-20)",
        ),
        (
            "adjusted_on: igår\n",
            f"{M}:4:14: error: 'adjusted_on' is not a date: 'igår'"
            " (write dates as YYYY-MM-DD, e.g. 2024-09-20)",
        ),
        (
            "networks: [skolchefer, chefsgrup]\n",
            f"{M}:4:24: error: unknown network 'chefsgrup' (did you mean 'chefsgrupp'?)",
        ),
        (
            "chair: {namn: Anna}\nadjusters: [Bo Ek]\n",
            f"{M}:4:8: error: 'chair' must be a list of names or texts, not a mapping",
        ),
        (
            "participants: Anna Alm\n",
            f"{M}:4:15: error: 'participants' must be a list, not text",
        ),
        (
            "participants:\n  - {name: Anna Alm, municipality: skovd}\n",
            f"{M}:5:36: error: unknown municipality 'skovd' (did you mean 'skovde'?)",
        ),
        (
            "participants:\n  - {municipality: skovde}\n",
            f"{M}:5:5: error: participant is missing the required key 'name'",
        ),
        (
            "participants:\n  - {name: Anna Alm, present: kanske}\n",
            f"{M}:5:31: error: 'present' must be true, false or null (not recorded)",
        ),
        (
            "participants:\n  - {name: Anna Alm, rolle: ledamot}\n",
            f"{M}:5:22: warning: unknown key 'rolle' in participant (did you mean 'role'?)",
        ),
        (
            "participants:\n  - {name: Anna Alm, party: XY}\n",
            f"{M}:5:29: warning: unknown party code 'XY' (known codes: S, M, V, L, KD, C, MP, SD)",
        ),
        (
            "municipalities: {falkopin: närvarande}\n",
            f"{M}:4:18: error: unknown municipality 'falkopin' (did you mean 'falkoping'?)",
        ),
        (
            "municipalities: {falkoping: kanske}\n",
            f"{M}:4:29: error: attendance of 'falkoping' must be närvarande or frånvarande",
        ),
        (
            "slug: Extra Möte\n",
            f"{M}:4:7: error: slug 'Extra Möte' may only hold a-z, 0-9 and '-' (use 'extra-mote')",
        ),
        (
            "aliases: [gammal/sida]\n",
            f"{M}:4:11: error: alias 'gammal/sida' must be a path on this site starting with '/'",
        ),
        (
            "adjusted_on: 2024-09-01\n",
            f"{M}:4:14: warning: the minutes are adjusted before the meeting took place",
        ),
        (
            "place: Skövde\nplace: Hjo\n",
            f"{M}:5:1: warning: key 'place' is given twice; the last one wins",
        ),
        (
            "chair: &chair [Anna Alm, *chair]\n",
            f"{M}:4:8: error: YAML alias refers to the value that contains it (remove the alias)",
        ),
    ],
)
def test_front_matter_rule(mini: MiniProject, front: str, expected: str | None) -> None:
    """Each mistake gives exactly its line (and a value that only looks odd, none)."""
    key, _, value = front.partition(": ")
    # a date or status line replaces the valid one instead of adding a second
    replaces = key in ("date", "status")
    text = meeting_text(**{key: value.rstrip("\n")}) if replaces else meeting_text(front)
    files: dict[str, str | bytes] = {"networks/skolchefer/2024/2024-09-20/x.pdf": b"%PDF-1.4\n"}
    assert diagnostics_of(mini(files, meeting=text)) == ([expected] if expected else [])


def test_front_matter_that_needs_pyyamls_own_constructor(mini: MiniProject) -> None:
    """Merge keys and tagged collections are left to PyYAML's constructor; positions still work."""
    merged = check(mini(meeting=meeting_text("municipalities: {<<: {falkoping: frånvarande}}\n")))
    assert merged.diagnostics.items == []
    assert merged.site is not None and merged.site.meetings[0].attendance["falkoping"] is False
    tagged = mini(meeting=meeting_text("adjusters: !!set {Bo Ek}\n"))
    assert diagnostics_of(tagged) == [
        f"{M}:4:12: error: the YAML tag '!!set' does not fit a mapping"
        " (remove the tag: minutes need no YAML tags)"
    ]


def test_positions_are_looked_up_in_the_composed_document() -> None:
    """Where keys and values start, found in the nodes when asked: the nearest enclosing key for
    a path that is not there, the last of a key given twice, items by index."""
    text = "title: A\nparticipants:\n  - name: Bo\n    party: S\n  -  {name: Eva}\ntitle: B\n"
    diagnostics = Diagnostics()
    doc = parse_yaml(text, MEETING_PATH, diagnostics, first_line=2)
    assert doc is not None and doc.data["title"] == "B"
    assert doc.key_pos("title") == SourcePos(7, 1) and doc.value_pos("title") == SourcePos(7, 8)
    assert doc.key_pos("participants", 0, "party") == SourcePos(5, 5)
    assert doc.value_pos("participants", 0, "party") == SourcePos(5, 12)
    assert doc.value_pos("participants", 1) == doc.key_pos("participants", 1) == SourcePos(6, 6)
    assert doc.key_pos("participants", 1, "role") == SourcePos(6, 6)  # not there: its item
    assert doc.key_pos("participants", 7) == doc.value_pos("participants", "x") == SourcePos(3, 1)
    assert doc.key_pos("place") == doc.value_pos() == SourcePos(1, 1)
    assert doc.keys_of() == [
        ("title", SourcePos(2, 1)),
        ("participants", SourcePos(3, 1)),
        ("title", SourcePos(7, 1)),
    ]
    assert doc.keys_of("participants") == [(0, SourcePos(4, 5)), (1, SourcePos(6, 6))]
    assert doc.keys_of("title") == doc.keys_of("place") == []
    assert [(d.line, d.column, d.message) for d in diagnostics.items] == [
        (7, 1, "key 'title' is given twice; the last one wins")
    ]


def test_the_shorter_resolver_gives_pyyamls_tags() -> None:
    """`_Loader.resolve` answers as PyYAML's own resolver would, for every kind of plain scalar."""
    loader = _Loader("")
    values = ["", "~", "null", "Null", "yes", "No", "on", "true", "False", "12", "-3", "0x1f", "0o7", "1.5",
              ".inf", "-.5", "2024-09-20", "2024-09-20 10:00", "9:00", "09.40", "<<", "=", "Anna Alm",
              "§ 103", "!x", "&a", "*b", "+1", "ja", "y", "n", "T", "o"]  # fmt: skip
    for value in values:
        for implicit in ((True, False), (False, True), (False, False)):
            ours = loader.resolve(yaml.ScalarNode, value, implicit)
            assert ours == yaml.resolver.BaseResolver.resolve(loader, yaml.ScalarNode, value, implicit), value
    for kind in (yaml.SequenceNode, yaml.MappingNode):
        assert loader.resolve(kind, None, (True, True)) == yaml.resolver.BaseResolver.resolve(
            loader, kind, None, (True, True)
        )
    loader.dispose()


def test_missing_required_fields_are_reported_together(mini: MiniProject) -> None:
    text = "---\ntitle: Utan datum\n---\n\n## § 1 A\n"
    assert diagnostics_of(mini(meeting=text)) == [
        f"{M}:1:1: error: meeting is missing the required key 'date'",
        f"{M}:1:1: error: meeting is missing the required key 'status'",
    ]


def test_yaml_syntax_error_has_its_own_line_and_column(mini: MiniProject) -> None:
    """An unclosed '[' is noticed at the next key (5:6); it is reported where it was opened."""
    text = "---\ndate: 2024-09-20\nstatus: justerat\nchair: [Anna, Bo\nplace: Skövde\n---\n"
    (line,) = diagnostics_of(mini(meeting=text))
    assert line == (
        f"{M}:4:8: error: YAML syntax error: while parsing a flow sequence did not find expected ',' or ']'"
        " (noticed at line 5, column 6) (close the list with ']')"
    )


@pytest.mark.parametrize(
    ("front", "expected"),
    [
        pytest.param(
            "place: [Regionens Hus\n",  # line 4; the rest of the front matter follows
            f"{M}:4:8: error: YAML syntax error: while parsing a flow sequence did not find expected"
            " ',' or ']' (noticed at line 5, column 6) (close the list with ']')",
            id="unclosed-bracket",
        ),
        pytest.param(
            'place: "Regionens Hus\n',
            f"{M}:4:8: error: YAML syntax error: while scanning a quoted scalar found unexpected end of"
            " stream (noticed at line 7, column 1)"
            " (end the quoted text with the same quote mark it starts with)",
            id="unclosed-quote",
        ),
        pytest.param(
            'place: "Regionens Hus\nparticipants:\n  - {name: Anna Alm, role: "Rektor"}\n',
            f"{M}:4:8: error: YAML syntax error: the quoted text that starts here is not closed on its"
            " line; while parsing a block mapping did not find expected key (noticed at line 6, column"
            " 29) (end the quoted text with the same quote mark it starts with)",
            id="quote-closed-lines-later",
        ),
        pytest.param(
            "place: Regionens Hus\n  time: 09:00\n",
            f"{M}:5:7: error: YAML syntax error: mapping values are not allowed in this context"
            " (put a value holding ': ' in quotes; keys of one level start in the same column)",
            id="bad-indent",
        ),
        pytest.param(
            "place Regionens Hus\n",
            f"{M}:4:1: error: YAML syntax error: while scanning a simple key could not find expected ':'"
            " (noticed at line 5, column 1) (write the key, a colon and a space before the value:"
            " 'key: value')",
            id="no-colon",
        ),
        pytest.param(
            "participants:\n  - {name: Anna Alm, role: beslutande\n  - {name: Bo Ek}\n",
            f"{M}:5:5: error: YAML syntax error: while parsing a flow mapping did not find expected"
            " ',' or '}' (noticed at line 6, column 5) (close the braces with '}')",
            id="unclosed-brace",
        ),
    ],
)
def test_yaml_syntax_errors_are_reported_where_the_mistake_is(
    mini: MiniProject, front: str, expected: str
) -> None:
    assert diagnostics_of(mini(meeting=meeting_text(front))) == [expected]


def test_file_that_is_not_utf8(mini: MiniProject) -> None:
    data = meeting_text(body="## § 1 Möte\n\nText.\n").encode("utf-8")
    data = data.replace("Möte".encode(), "Möte".encode("latin-1"))
    assert diagnostics_of(mini(meeting=data)) == [  # type: ignore[arg-type]
        f"{M}:8:9: error: file is not valid UTF-8 (byte 0xf6) (save the file as UTF-8 in your editor)"
    ]


def test_file_without_front_matter(mini: MiniProject) -> None:
    assert diagnostics_of(mini(meeting="# Protokoll\n")) == [
        f"{M}:1:1: error: meeting file does not start with front matter (the first line must be"
        " '---', followed by the YAML keys and a closing '---')"
    ]
    assert diagnostics_of(mini(meeting="---\ndate: 2024-09-20\n")) == [
        f"{M}:1:1: error: front matter is not closed (add a line '---' after the last YAML key)"
    ]


def test_two_meetings_with_the_same_url_name_both_files(mini: MiniProject) -> None:
    other = "content/networks/skolchefer/2024/kopia.md"
    project = mini({other.removeprefix("content/"): meeting_text()})
    assert diagnostics_of(project) == [
        f"{M}:1:1: error: two meetings have the URL /natverk/skolchefer/2024-09-20/: this file"
        " and kopia.md (give one of them a 'slug:' to tell them apart)",
        f"{other}:1:1: error: two meetings have the URL /natverk/skolchefer/2024-09-20/: this file"
        " and 2024-09-20.md (give one of them a 'slug:' to tell them apart)",
    ]
    fixed = mini({other.removeprefix("content/"): meeting_text("slug: extra\n")})
    assert diagnostics_of(fixed) == []


def test_attachments_must_exist_inside_the_meeting_folder(mini: MiniProject) -> None:
    front = (
        "attachments:\n"
        "  - {file: bilaga.pdf, title: Bilaga}\n"
        "  - {file: bilga.txt}\n"
        "  - {file: ../../network.yml}\n"
        "  - {file: /etc/passwd}\n"
    )
    project = mini(
        {
            "networks/skolchefer/2024/2024-09-20/bilaga.pdf": b"%PDF-1.4\n",
            "networks/skolchefer/2024/2024-09-20/bilaga.txt": "text",
        },
        meeting=meeting_text(front),
    )
    assert diagnostics_of(project) == [
        f"{M}:6:12: error: attachment 'bilga.txt' does not exist (did you mean 'bilaga.txt'?)",
        f"{M}:7:12: error: attachment '../../network.yml' points outside the meeting's folder"
        " (put the file in 2024-09-20/ beside the meeting and name it relative to that folder)",
        f"{M}:8:12: error: attachment '/etc/passwd' points outside the meeting's folder"
        " (put the file in 2024-09-20/ beside the meeting and name it relative to that folder)",
    ]


def test_unknown_slugs_in_network_and_municipality_files(mini: MiniProject) -> None:
    project = mini(
        {
            "networks/skolchefer/network.yml": "name: Skolchefer\nmembers: [falkoping, skovd]\n",
            "municipalities.yml": "skovde: {name: Skövde, code: 1496, county: Län}\n"
            'falkoping: {name: Falköping, code: "1499", county: Län, lan: x}\n'
            'orebro: {name: Örebro, code: "1880", county: Örebro län}\n',
        }
    )
    assert diagnostics_of(project) == [
        "content/municipalities.yml:1:30: error: SCB code of 'skovde' must be four digits in"
        " quotes, e.g. '1496'",
        "content/municipalities.yml:2:57: warning: unknown key 'lan' in municipality 'falkoping'"
        " (known keys: name, code, county)",
        "content/networks/skolchefer/network.yml:2:22: error: unknown municipality 'skovd'"
        " (did you mean 'skovde'?)",
    ]


def test_all_problems_of_a_run_are_reported_together(mini: MiniProject) -> None:
    project = mini(
        {
            "networks/skolchefer/2024/b.md": meeting_text("plats: X\n", date="2024-10-01"),
            "networks/chefsgrupp/2023/c.md": "---\ndate: 2023-01-01\nstatus: klar\n---\n",
        }
    )
    lines = diagnostics_of(project)
    assert len(lines) == 2
    assert lines[0].startswith("content/networks/chefsgrupp/2023/c.md:3:9: error:")
    assert lines[1].startswith("content/networks/skolchefer/2024/b.md:4:1: warning:")


def test_participant_defaults(mini: MiniProject) -> None:
    front = (
        "participants:\n"
        "  - {name: Anna Alm, municipality: skovde, role: beslutande, party: S}\n"
        "  - {name: Bo Ek, municipality: essunga, present: false}\n"
        "  - {name: Cecilia Ny, present: null, group: Ledamöter, items: [103, '§ 104']}\n"
    )
    body = "## § 103 Ett\n\nText.\n\n## § 104 Två\n\nText.\n"
    result = check(mini(meeting=meeting_text(front, body=body)))
    assert result.site is not None
    (meeting,) = result.site.meetings
    assert meeting.participants == (
        Participant("Anna Alm", "skovde", None, "beslutande", "S", True, None, ()),
        Participant("Bo Ek", "essunga", None, "", None, False, None, ()),
        Participant("Cecilia Ny", None, None, "", None, None, "Ledamöter", ("103", "104")),
    )
    assert meeting.represented == ("skovde",)
    assert dict(meeting.attendance) == {"skovde": True, "essunga": False}


def test_mistakes_in_the_archive_wide_files(mini: MiniProject) -> None:
    """site.yml, municipalities.yml and network.yml: wrong types, dates, control characters,
    slugs, choices and entries given twice, each at its value."""
    project = mini(
        {
            "site.yml": "title: [Testarkiv]\nbase_url: https://a.se/x y\nlanguage: [sv]\n"
            'accessibility: {tested_on: 2023-02-29, known_issues: "a\\x02"}\ncontact: e-post\n',
            "municipalities.yml": MINI_MUNICIPALITIES
            + 'hjo: [Hjo]\nSkara: {name: Skara}\ntibro: {name: "Ti\\x07bro", code: 1472, county: [Län]}\n',
            "networks/skolchefer/network.yml": "name: Skolchefer\nshort_name: {a: 1}\n"
            "members: [falkoping, skovde, falkoping]\nnumbering: per-year\n",
            "networks/chefsgrupp/network.yml": "- name\n",
        }
    )
    assert diagnostics_of(project) == [
        "content/municipalities.yml:5:6: error: municipality 'hjo' must be a mapping of keys and values,"
        " not a list",
        "content/municipalities.yml:6:1: error: municipality slug 'Skara' is not a slug (use 'skara')",
        "content/municipalities.yml:7:15: error: 'name' holds the control character U+0007 at character 3"
        " (delete it; most editors do not show it)",
        "content/municipalities.yml:7:34: error: SCB code of 'tibro' must be four digits in quotes,"
        " e.g. '1496'",
        "content/municipalities.yml:7:48: error: 'county' must be text, not a list (quote the value)",
        "content/networks/chefsgrupp/network.yml:1:1: error: network 'chefsgrupp' must be a mapping of keys"
        " and values, not a list",
        "content/networks/skolchefer/network.yml:2:13: error: 'short_name' must be text, not a mapping"
        " (quote the value)",
        "content/networks/skolchefer/network.yml:3:30: warning: municipality 'falkoping' is listed twice",
        "content/networks/skolchefer/network.yml:4:12: error: 'numbering' must be one of continuous-per-year,"
        " per-meeting, time, not 'per-year' (use one of: continuous-per-year, per-meeting, time)",
        "content/site.yml:1:8: error: 'title' must be text, not a list (quote the value)",
        "content/site.yml:2:11: error: 'base_url' is not a web address: 'https://a.se/x y'"
        " (e.g. https://arkiv.example.se)",
        "content/site.yml:3:11: error: 'language' must be text, not a list (quote the value)",
        "content/site.yml:4:28: error: 'tested_on' 2023-02-29 is not a day of the calendar"
        " (check the month and the day)",
        "content/site.yml:4:54: error: 'known_issues' holds the control character U+0002 at character 2"
        " (delete it; most editors do not show it)",
        "content/site.yml:5:10: error: 'contact' must be a mapping of keys and values, not text",
    ]
    tagged = mini({"networks/skolchefer/network.yml": "name: Skolchefer\ndescription: !!binary aGk=\n"})
    assert diagnostics_of(tagged) == [
        "content/networks/skolchefer/network.yml:2:14: error: the YAML tag '!!binary' does not fit 'aGk='"
        " (remove the tag: minutes need no YAML tags)"
    ]


def test_body_mistakes_are_found_on_the_lines_an_editor_shows(mini: MiniProject) -> None:
    """Lines are counted by line feeds only: VT, FF, NEL and U+2028 in the body or in a quoted
    front-matter value do not shift what comes after them."""
    front = 'place: "Hjo\u2028Skövde\x85"\nslug: Fel Slug\n'
    body = (
        "## § 1 Öppnande\n\n"  # line 10
        "Text\u2028med radbrytning.\n\n"  # line 12
        ":::: beslut\nYttre\n\n::: beslut\nInre\n:::\n\n::::\n\n"  # lines 14-22
        "Sidbrytning\x0c och\x0b tab.\n\n"  # line 23
        "## § 2 Slut\n\n::: beslut\nÖppet\n"  # lines 25-28
    )
    lines = diagnostics_of(mini(meeting=meeting_text(front, body=body)))
    assert lines == [
        f"{M}:5:7: error: slug 'Fel Slug' may only hold a-z, 0-9 and '-' (use 'fel-slug')",
        f"{M}:17:1: error: a '::: beslut' block inside another one"
        " (close the first decision with ':::' before the next one begins)",
        f"{M}:23:12: error: the text holds the control character U+000C"
        " (delete it; most editors do not show it)",
        f"{M}:27:1: error: '::: beslut' block is not closed (end the decision with a line ':::')",
    ]
    assert meeting_text(front, body=body).split("\n")[22].startswith("Sidbrytning")  # line 23


def test_every_diagnostic_is_one_line(mini: MiniProject) -> None:
    """User text with line breaks, and a YAML reader error, are shown escaped on one line."""
    lines = diagnostics_of(mini(meeting=meeting_text(status='"just\\nerat"')))
    assert lines == [
        f"{M}:3:9: error: 'status' must be one of utkast, justerat, not 'just\\nerat'"
        " (did you mean 'justerat'?)"
    ]
    raw = meeting_text("place: Hjo\x1bSkövde\n")
    assert diagnostics_of(mini(meeting=raw)) == [
        f"{M}:4:11: error: YAML does not allow the control character U+001B here"
        " (delete it; most editors do not show it)"
    ]
