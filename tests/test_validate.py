"""One bad file -> its exact diagnostic line, for every validation rule."""

from __future__ import annotations

import pytest
import yaml

from protokollarkiv.build.builder import Project, check
from protokollarkiv.diagnostics import Diagnostics, SourcePos
from protokollarkiv.load import parse_yaml
from protokollarkiv.model import Participant
from protokollarkiv.speed.yaml import FastLoader as _Loader

from .conftest import MEETING_PATH, MiniProject, meeting_text

M = f"content/{MEETING_PATH}"


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
            f"{M}:2:7: error: 'date' is not a date: '2024-13-01'"
            " (write dates as YYYY-MM-DD, e.g. 2024-09-20)",
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
def test_front_matter_rule(mini: MiniProject, front: str, expected: str) -> None:
    key, _, value = front.partition(": ")
    # a date or status line replaces the valid one instead of adding a second
    replaces = key in ("date", "status")
    text = meeting_text(**{key: value.rstrip("\n")}) if replaces else meeting_text(front)
    assert diagnostics_of(mini(meeting=text)) == [expected]


def test_front_matter_that_needs_pyyamls_own_constructor(mini: MiniProject) -> None:
    """Merge keys and tagged collections are left to PyYAML's constructor; positions still work."""
    merged = check(mini(meeting=meeting_text("municipalities: {<<: {falkoping: frånvarande}}\n")))
    assert merged.diagnostics.items == []
    assert merged.site is not None and merged.site.meetings[0].attendance["falkoping"] is False
    tagged = mini(meeting=meeting_text("adjusters: !!set {Bo Ek}\n"))
    assert (
        diagnostics_of(tagged)[-1]
        == f"{M}:4:12: error: 'adjusters' must be a list of names or texts, not set"
    )


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
    text = "---\ndate: 2024-09-20\nstatus: justerat\nchair: [Anna, Bo\nplace: Skövde\n---\n"
    (line,) = diagnostics_of(mini(meeting=text))
    assert line.startswith(f"{M}:5:6: error: YAML syntax error: while parsing a flow sequence")


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
    result = check(mini(meeting=meeting_text(front)))
    assert result.site is not None
    (meeting,) = result.site.meetings
    assert meeting.participants == (
        Participant("Anna Alm", "skovde", None, "beslutande", "S", True, None, ()),
        Participant("Bo Ek", "essunga", None, "", None, False, None, ()),
        Participant("Cecilia Ny", None, None, "", None, None, "Ledamöter", ("103", "104")),
    )
    assert meeting.represented == ("skovde",)
    assert dict(meeting.attendance) == {"skovde": True, "essunga": False}
