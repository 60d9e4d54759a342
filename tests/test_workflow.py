"""The secretary's workflow: `new` for each numbering style, reviewer checks, JSON and annotations."""

from __future__ import annotations

import json
import re
import shutil
from datetime import date
from pathlib import Path

import pytest
import yaml

from protokollarkiv.build.builder import Builder, Project

from .conftest import MEETING_PATH, MINI_NETWORK, ROOT, MiniProject, meeting_text, run_cli

M = f"content/{MEETING_PATH}"


@pytest.fixture
def archive(tmp_path: Path) -> Path:
    """A copy of the sample archive; `new` writes into it."""
    shutil.copytree(ROOT / "content", tmp_path / "content")
    return tmp_path


def new(archive: Path, *args: str) -> tuple[int, str, str]:
    done = run_cli("new", *args, "--templates", str(ROOT / "templates"), cwd=archive)
    return done.returncode, done.stdout.strip(), done.stderr.strip()


def front_and_headings(path: Path) -> tuple[dict[str, object], list[str]]:
    text = path.read_text(encoding="utf-8")
    front = yaml.safe_load(text.split("---\n")[1])
    return front, re.findall(r"^## (.+)$", text, re.M)


def check_clean(archive: Path, path: Path) -> None:
    done = run_cli("check", "--format", "json", "--templates", str(ROOT / "templates"), cwd=archive)
    mine = [d for d in json.loads(done.stdout) if d["path"] == str(path.relative_to(archive))]
    assert mine == [], mine


def test_new_continues_the_yearly_paragraph_numbering(archive: Path) -> None:
    code, out, err = new(archive, "skolchefer-skaraborg", "--date", "2024-11-15")
    assert code == 0, err
    path = archive / out
    assert out == "content/networks/skolchefer-skaraborg/2024/2024-11-15.md"
    front, headings = front_and_headings(path)
    assert headings[0] == "§ 111 Mötets öppnande"  # seed 000 ended with § 110
    assert front["status"] == "utkast" and front["date"] == date(2024, 11, 15)
    assert front["chair"] == ["Katarina Lindberg", "Pär Arvidsson Fäldt"]
    assert front["secretary"] == "Daniel Ekman" and front["place"] == "Regionens Hus"
    participants = front["participants"]
    assert isinstance(participants, list)
    assert all("present" not in p for p in participants)  # present by default, to edit
    assert {p.get("municipality") for p in participants} >= {"skovde", "essunga", "hjo"}
    check_clean(archive, path)

    code, _, err = new(archive, "skolchefer-skaraborg", "--date", "2024-11-15")
    assert code == 1 and "already exists" in err  # never overwrites

    code, out, _ = new(archive, "skolchefer-skaraborg", "--date", "2025-02-07")
    assert front_and_headings(archive / out)[1][0] == "§ 1 Mötets öppnande"  # a new year restarts


def test_new_numbers_per_meeting(archive: Path) -> None:
    code, out, err = new(archive, "chefsgrupp-valfard-orebro", "--date", "2024-04-12", "--place", "Eken")
    assert code == 0, err
    front, headings = front_and_headings(archive / out)
    assert headings[:2] == ["1. Mötets öppnande", "2. Val av justerare"]
    assert front["place"] == "Eken" and front["time"] == "14:45-16:00"
    check_clean(archive, archive / out)


def test_new_numbers_by_agenda_time(archive: Path) -> None:
    code, out, err = new(
        archive, "samverkansrad-skola-orebro", "--date", "2020-10-14", "--time", "13:00-15:00"
    )
    assert code == 0, err
    front, headings = front_and_headings(archive / out)
    assert headings[:3] == [
        "13:00 Mötets öppnande",
        "13:15 Val av justerare",
        "13:30 Godkännande av dagordningen",
    ]
    assert front["time"] == "13:00-15:00" and front["chair"] == ["Irén Lejgren"]
    check_clean(archive, archive / out)


def test_new_refuses_an_unknown_network_with_a_suggestion(archive: Path) -> None:
    code, _, err = new(archive, "skolchefer-skarborg", "--date", "2024-11-15")
    assert code == 1
    assert err == "error: unknown network 'skolchefer-skarborg' (did you mean 'skolchefer-skaraborg'?)"


CONTINUOUS = {"networks/skolchefer/network.yml": MINI_NETWORK.replace("per-meeting", "continuous-per-year")}


def review(mini: MiniProject, files: dict[str, str] | None = None, meeting: str | None = None) -> list[str]:
    project = mini({**CONTINUOUS, **(files or {})}, meeting=meeting)
    result = Builder(project, include_drafts=True, today=date(2024, 12, 1)).check()
    return result.diagnostics.format(project.content.parent)


PEOPLE = "participants:\n  - {name: Anna Alm, municipality: skovde}\n"


@pytest.mark.parametrize(
    ("bad", "good", "expected"),
    [
        (
            meeting_text("chair: [Anna Alm]\n"),
            meeting_text("chair: [Anna Alm]\nadjusters: [Bo Ek]\n"),
            f"{M}:3:1: warning: the minutes are marked justerat but name no adjusters (add 'chair:' and"
            " 'adjusters:' as the signed minutes say, or keep 'status: utkast')",
        ),
        (
            meeting_text("chair: [A]\nadjusters: [B]\n", date="2024-12-24"),
            meeting_text("chair: [A]\nadjusters: [B]\n", date="2024-12-24", status="utkast"),
            f"{M}:2:1: error: a meeting dated in the future (2024-12-24) is marked justerat (minutes are"
            " adjusted after the meeting; check the date or use 'status: utkast')",
        ),
        (
            meeting_text("chair: [A]\nadjusters: [B]\nnext_meeting: 2024-09-01\n"),
            meeting_text("chair: [A]\nadjusters: [B]\nnext_meeting: 2024-10-24\n"),
            f"{M}:6:1: error: next_meeting 2024-09-01 is not after the meeting's date",
        ),
        (
            meeting_text("chair: [A]\nadjusters: [B]\n" + PEOPLE + "  - {name: Anna Alm, present: false}\n"),
            meeting_text("chair: [A]\nadjusters: [B]\n" + PEOPLE + "  - {name: Bo Ek, present: false}\n"),
            f"{M}:8:5: error: Anna Alm is listed both as present and as absent",
        ),
        (
            meeting_text(
                "chair: [A]\nadjusters: [B]\nparticipants:\n  - {name: Cia Ny, municipality: orebro}\n"
            ),
            meeting_text(
                "chair: [A]\nadjusters: [B]\nparticipants:\n  - {name: Cia Ny, municipality: skovde}\n"
            ),
            f"{M}:7:5: warning: Cia Ny's municipality Örebro is not a member of skolchefer (check the"
            " municipality, or add it to the network's members)",
        ),
        (
            meeting_text("chair: [A]\nadjusters: [B]\n", body="## § 1 Beslut\n\n::: beslut\n:::\n"),
            meeting_text("chair: [A]\nadjusters: [B]\n", body="## § 1 Beslut\n\n::: beslut\nJa.\n:::\n"),
            f"{M}:10:1: error: the decision block is empty (write the decision between '::: beslut' and"
            " ':::', or remove the block)",
        ),
        (
            meeting_text("chair: [A]\nadjusters: [B]\n", body="## § 1\n\nText.\n"),
            meeting_text("chair: [A]\nadjusters: [B]\n", body="## § 1 Öppnande\n\nText.\n"),
            f"{M}:8:1: warning: item heading '§ 1' has no title (write the item's title after its number)",
        ),
        (
            meeting_text("chair: [A]\nadjusters: [B]\n", body="## § 1 A\n\n## § 3 B\n"),
            meeting_text("chair: [A]\nadjusters: [B]\n", body="## § 1 A\n\n## § 2 B\n"),
            f"{M}:10:1: warning: § 3 leaves a gap after § 1 (§ items are numbered continuously)",
        ),
    ],
)
def test_reviewer_checks(mini: MiniProject, bad: str, good: str, expected: str) -> None:
    assert review(mini, meeting=bad) == [expected]
    assert review(mini, meeting=good) == []


def test_numbering_continues_from_the_previous_meeting_of_the_year(mini: MiniProject) -> None:
    signed = "chair: [A]\nadjusters: [B]\n"
    earlier = "networks/skolchefer/2024/2024-05-01.md"
    files = {earlier: meeting_text(signed, date="2024-05-01", body="## § 7 A\n\n## § 8 B\n")}
    gap = review(mini, files, meeting=meeting_text(signed, body="## § 10 C\n"))
    assert gap == [
        f"{M}:8:1: warning: § 10 leaves a gap after the previous meeting (2024-05-01, last § 8); expected § 9"
        " (§ items continue through the year; set 'numbering:' in network.yml if this network numbers"
        " otherwise)"
    ]
    repeat = review(mini, files, meeting=meeting_text(signed, body="## § 8 C\n"))
    assert "§ 8 repeats numbers of the previous meeting" in repeat[0]
    assert review(mini, files, meeting=meeting_text(signed, body="## § 9 C\n")) == []
    other_year = {
        earlier: meeting_text(signed, date="2023-05-01", body="## § 7 A\n")
    }  # same file, moved a year
    assert review(mini, other_year, meeting=meeting_text(signed, body="## § 1 C\n")) == []
    per_meeting = {
        "networks/skolchefer/network.yml": "name: Skolchefer\nmembers: [skovde]\nnumbering: per-meeting\n"
    }
    assert review(mini, {**files, **per_meeting}, meeting=meeting_text(signed, body="## 1. C\n")) == []


def test_check_json_and_github_annotations_parse_back(mini: MiniProject) -> None:
    project = mini(meeting=meeting_text("titel: X\nchair: [A]\nadjusters: [B]\n", status="klar"))
    root = project.content.parent
    args = ("check", "--templates", str(ROOT / "templates"))
    done = run_cli(*args, "--format", "json", cwd=root)
    assert done.returncode == 1
    records = json.loads(done.stdout)
    assert records == [
        {
            "path": M,
            "line": 3,
            "column": 9,
            "severity": "error",
            "message": "'status' must be one of utkast, justerat, not 'klar'",
            "hint": "use one of: utkast, justerat",
        },
        {
            "path": M,
            "line": 4,
            "column": 1,
            "severity": "warning",
            "message": "unknown key 'titel' in meeting front matter",
            "hint": "did you mean 'title'?",
        },
    ]

    import os
    import subprocess
    import sys

    annotated = subprocess.run(
        [sys.executable, str(ROOT / "build.py"), *args],
        cwd=root,
        capture_output=True,
        text=True,
        env={**os.environ, "GITHUB_ACTIONS": "true"},
        timeout=120,
    )
    pattern = re.compile(r"^::(error|warning) file=([^,]+),line=(\d+),col=(\d+)::(.*)$")
    parsed = [pattern.match(line).groups() for line in annotated.stdout.splitlines()]  # type: ignore[union-attr]
    assert parsed == [
        (
            "error",
            M,
            "3",
            "9",
            "'status' must be one of utkast, justerat, not 'klar' (use one of: utkast, justerat)",
        ),
        ("warning", M, "4", "1", "unknown key 'titel' in meeting front matter (did you mean 'title'?)"),
    ]
    plain = run_cli(*args, cwd=root)
    assert "::error" not in plain.stdout


def test_the_writing_guide_covers_every_key_and_is_on_the_site(sample: Project) -> None:
    from protokollarkiv.build.builder import GUIDE, build
    from protokollarkiv.validate import MEETING_KEYS, PARTICIPANT_KEYS

    guide = (ROOT / GUIDE).read_text(encoding="utf-8")
    for key in (*MEETING_KEYS, *PARTICIPANT_KEYS, "numbering"):
        assert f"`{key}" in guide, key
    for value in ("continuous-per-year", "per-meeting", "time", "::: beslut", "python build.py new"):
        assert value in guide, value
    assert "docs/skriva-protokoll.md" in (ROOT / "README.md").read_text(encoding="utf-8")
    result = build(sample, search=False)
    assert result.ok
    page = (sample.output / "om/skriva-protokoll/index.html").read_text(encoding="utf-8")
    assert "<h1>Skriva protokoll i Protokollarkiv</h1>" in page
    assert "leaves a gap after the previous meeting" in page  # the table of messages
