"""Sealed protocols: the canonical form, the ledger content/sigill.json and its check, `seal` and
`verify` run as a secretary and a reader would."""

from __future__ import annotations

import json
import os
import time
from pathlib import Path

import jsonschema
import pytest

from protokollarkiv.build.builder import Builder, Project, build, check
from protokollarkiv.feeds import MEETINGS_SCHEMA
from protokollarkiv.model import Meeting
from protokollarkiv.record.seal import canonical, digest_of, meeting_facts, record_facts

from .conftest import MEETING_PATH, ROOT, MiniProject, meeting_text, parse_html, run_cli

PAGE = "natverk/skolchefer/2024-09-20/"
ID = "skolchefer/2024-09-20"

# One meeting written twice: keys in another order, flow style against block style, comments,
# quotes, blank lines, and the body's paragraphs wrapped differently. The same published record.
FLOW = """\
---
date: 2024-09-20
status: justerat
title: Skolchefer
place: Regionens Hus
chair: [Anna Alm]
adjusters: [Bo Ek]
participants:
  - {name: Anna Alm, municipality: falkoping, role: beslutande}
  - {name: Cia Berg, municipality: skovde, role: beslutande, present: false}
  - {name: Dan Ceder, organisation: Förbundet, role: övrig, items: ["1"]}
---

## § 1 Öppnande

Mötet öppnas av ordföranden. Dagordningen godkänns.

## § 2 Budget

::: beslut
Nätverket beslutar att anta budgeten.
:::
"""

BLOCK = """\
---
status: "justerat"   # signed on paper
title: 'Skolchefer'
date: 2024-09-20
adjusters:
  - Bo Ek
chair:
  - Anna Alm
place: >-
  Regionens
  Hus

participants:
  - name: Anna Alm
    role: beslutande
    municipality: falkoping
  - role: beslutande
    present: false
    name: Cia Berg
    municipality: skovde
  - items: ['1']
    organisation: Förbundet
    name: Dan Ceder
    role: övrig
---
## § 1 Öppnande
Mötet öppnas av   ordföranden.
Dagordningen godkänns.\t\u00a0

## § 2 Budget

::: beslut
Nätverket beslutar
att anta budgeten.
:::


"""


def only_meeting(project: Project) -> Meeting:
    result = check(project)
    assert result.ok, result.diagnostics.format()
    assert result.site is not None
    (meeting,) = result.site.meetings
    return meeting


def test_the_canonical_form_is_sorted_compact_nfc_json() -> None:
    """The documented form, byte for byte: keys sorted, no spaces, UTF-8, NFC, the text's
    whitespace runs one space."""
    facts = {"title": "Mo\u0308te", "date": "2024-09-20", "text": "  Första\n\n stycket\t  här \n"}
    assert canonical(facts) == '{"date":"2024-09-20","text":"Första stycket här","title":"Möte"}'.encode()
    assert digest_of(facts) == digest_of({**facts, "text": "Första stycket här"})


def test_reordered_keys_flow_or_block_style_and_reflowed_text_keep_the_digest(mini: MiniProject) -> None:
    flow = only_meeting(mini(meeting=FLOW))
    block = only_meeting(mini(meeting=BLOCK))
    assert flow.text != block.text and flow.positions != block.positions  # written differently
    assert meeting_facts(flow) != meeting_facts(block)  # the text as written differs …
    assert flow.digest == block.digest  # … and the record does not
    assert len(flow.digest) == 64


@pytest.mark.parametrize(
    ("old", "new"),
    [
        ("anta budgeten", "avslå budgeten"),  # one word of a decision
        ("godkänns.", "godkänns inte."),  # one word of the text
        ("role: beslutande, present: false", "role: beslutande"),  # one participant's presence
        ('items: ["1"]', 'items: ["2"]'),  # the items one took part in
        ("place: Regionens Hus", "place: Regionens hus"),  # one letter of a fact
        ("status: justerat", "status: utkast"),
    ],
)
def test_a_changed_word_or_fact_changes_the_digest(mini: MiniProject, old: str, new: str) -> None:
    before = only_meeting(mini(meeting=FLOW))
    assert old in FLOW
    after = only_meeting(mini(meeting=FLOW.replace(old, new)))
    assert after.digest != before.digest


def test_corrections_posted_on_and_attachments_are_not_sealed(mini: MiniProject) -> None:
    """What is added after justering by design does not break the seal: the list of corrections
    (the ledger counts them), the day of the anslag."""
    before = only_meeting(mini(meeting=FLOW))
    later = FLOW.replace(
        "title: Skolchefer\n",
        "title: Skolchefer\nposted_on: 2024-09-22\ncorrections: [{date: 2024-10-01, text: Rättat.}]\n",
    )
    assert only_meeting(mini(meeting=later)).digest == before.digest


# --- whole builds, through the command line ---------------------------------------------------


def cli(tmp_path: Path, command: str, *args: str) -> tuple[int, str]:
    """Run a command on the archive in tmp_path/content; (exit status, everything printed)."""
    where = ["--content", str(tmp_path / "content"), "--templates", str(ROOT / "templates")]
    if command in ("build", "verify"):
        where += ["--output", str(tmp_path / "site")]
    extra = ["--no-search"] if command == "build" else []
    done = run_cli(command, *args, *where, *extra, "--no-cache", cwd=tmp_path)
    return done.returncode, done.stdout + done.stderr


def snapshot(folder: Path) -> dict[str, bytes]:
    return {str(p.relative_to(folder)): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def test_seal_then_edit_without_and_with_a_correction(mini: MiniProject, tmp_path: Path) -> None:
    project = mini(meeting=FLOW)
    meeting_file = project.content / MEETING_PATH
    ledger = project.content / "sigill.json"
    status, out = cli(tmp_path, "seal")
    assert status == 0, out
    assert "1 newly sealed" in out
    entry = json.loads(ledger.read_text(encoding="utf-8"))["meetings"][ID]
    assert entry["corrections"] == 0 and entry["source"] == MEETING_PATH
    assert cli(tmp_path, "seal")[1].count("Unchanged:") == 1  # a second seal changes nothing
    status, out = cli(tmp_path, "build")
    assert status == 0, out
    site = snapshot(tmp_path / "site")
    record = json.loads(site[PAGE + "mote.json"])
    assert record["digest"] == entry["digest"] and record["corrections"] == []

    # A word changed, no correction: the build stops at the status line and leaves the site.
    meeting_file.write_text(FLOW.replace("anta budgeten", "avslå budgeten"), encoding="utf-8")
    status, out = cli(tmp_path, "build")
    assert status == 1
    assert f"{MEETING_PATH}:3:1: error: the minutes were sealed on {entry['sealed_on']}" in out
    assert "add a 'corrections:' entry" in out and "Traceback" not in out
    assert snapshot(tmp_path / "site") == site
    status, out = cli(tmp_path, "seal")  # nor does `seal` accept it
    assert status == 1 and "Not sealed: 1 error" in out
    assert json.loads(ledger.read_text(encoding="utf-8"))["meetings"][ID] == entry

    # With a correction: it builds, shows the correction, and warns until sealed again.
    corrected = FLOW.replace("anta budgeten", "avslå budgeten").replace(
        "title: Skolchefer\n",
        "title: Skolchefer\ncorrections:\n  - {date: 2024-10-01, text: Beslutet i § 2 rättat.}\n",
    )
    meeting_file.write_text(corrected, encoding="utf-8")
    status, out = cli(tmp_path, "build")
    assert status == 0, out
    assert f"{MEETING_PATH}:5:1: warning: the minutes sealed on" in out and "not sealed yet" in out
    page = parse_html(tmp_path / "site" / PAGE / "index.html")
    (section,) = page.find_all("section", "corrections")
    shown = section.full_text()
    assert "Rättelser" in shown and "1 oktober 2024: Beslutet i § 2 rättat." in shown
    record = json.loads((tmp_path / "site" / PAGE / "mote.json").read_text(encoding="utf-8"))
    assert record["corrections"] == [{"date": "2024-10-01", "text": "Beslutet i § 2 rättat."}]
    (seal_line,) = page.find_all("p", "seal")
    assert record["digest"] in seal_line.full_text() and record["digest"] != entry["digest"]
    status, out = cli(tmp_path, "seal")
    assert status == 0 and "1 renewed" in out and f"renewed {ID}" in out, out
    renewed = json.loads(ledger.read_text(encoding="utf-8"))["meetings"][ID]
    assert renewed["digest"] == record["digest"] and renewed["corrections"] == 1
    status, out = cli(tmp_path, "build")
    assert status == 0 and "warning:" not in out, out

    # The correction removed again, the corrected text kept: an error (at the status line, as
    # the key is gone).
    correction = "corrections:\n  - {date: 2024-10-01, text: Beslutet i § 2 rättat.}\n"
    meeting_file.write_text(corrected.replace(correction, ""), encoding="utf-8")
    status, out = cli(tmp_path, "check")
    expected = f"{MEETING_PATH}:3:1: error: the minutes sealed on {renewed['sealed_on']} had 1 corrections"
    assert status == 1 and expected in out and "restore the one that was removed" in out, out


def test_verify_passes_on_the_built_record_and_fails_on_a_tampered_copy(
    mini: MiniProject, tmp_path: Path
) -> None:
    mini(meeting=FLOW.replace("title: Skolchefer\n", "title: Skolchefer\nnext_meeting: 2024-10-24\n"))
    assert cli(tmp_path, "build")[0] == 0
    built = tmp_path / "site" / PAGE / "mote.json"
    record = json.loads(built.read_text(encoding="utf-8"))
    jsonschema.validate({"title": "", "licence": "", "generator": "", "meetings": [record]}, MEETINGS_SCHEMA)
    assert record["text"].startswith("\n## § 1 Öppnande") and record["digest"]
    for target in (str(built), f"/{PAGE}", f"https://arkiv.example.se/{PAGE}"):
        status, out = cli(tmp_path, "verify", target)
        assert status == 0 and out.startswith(f"OK {built}"), out
    assert digest_of(record_facts(record)) == record["digest"]

    def tampered(change: str, edit: dict[str, object]) -> tuple[int, str]:
        copy = tmp_path / f"{change}.json"
        copy.write_text(json.dumps({**record, **edit}, ensure_ascii=False), encoding="utf-8")
        return cli(tmp_path, "verify", str(copy))

    participants = [dict(p) for p in record["participants"]]
    participants[1]["present"] = True
    for change, edit in {
        "word": {"text": record["text"].replace("anta budgeten", "avslå budgeten")},
        "presence": {"participants": participants},
        "adjusted": {"adjusted_on": "2024-09-30"},
        "next": {"next_meeting": "2024-10-25"},
    }.items():
        status, out = tampered(change, edit)
        assert status == 1 and out.startswith("MISMATCH") and "is not what was published" in out, change
    # What is not sealed may differ: the address of a copy served elsewhere, a layout of the text.
    status, out = tampered("moved", {"url": "https://kopia.example.org/x/", "text": record["text"] + "\n\n"})
    assert status == 0, out
    status, out = tampered("no-digest", {"digest": None})
    assert status == 1 and "cannot be verified: it carries no digest" in out
    status, out = tampered("no-text", {"text": None} | {k: v for k, v in record.items() if k != "text"})
    assert status == 1 and "cannot be verified" in out
    status, out = cli(tmp_path, "verify", "/natverk/skolchefer/2099-01-01/")
    assert status == 1 and "no such mote.json" in out
    status, out = cli(tmp_path, "verify", "/../../etc/")
    assert status == 1 and "no such mote.json" in out


def test_drafts_are_never_sealed_and_their_records_carry_no_digest(mini: MiniProject, tmp_path: Path) -> None:
    mini(meeting=meeting_text(status="utkast"))
    status, out = cli(tmp_path, "seal")
    assert status == 0 and "0 newly sealed" in out, out
    assert json.loads((tmp_path / "content" / "sigill.json").read_text(encoding="utf-8"))["meetings"] == {}
    status, out = cli(tmp_path, "build", "--drafts")
    assert status == 0, out
    assert json.loads((tmp_path / "site" / PAGE / "mote.json").read_text(encoding="utf-8"))["digest"] is None
    assert not parse_html(tmp_path / "site" / PAGE / "index.html").find_all("p", "seal")


def test_a_sealed_meeting_may_not_slip_back_into_a_draft(mini: MiniProject, tmp_path: Path) -> None:
    project = mini(meeting=FLOW)
    assert cli(tmp_path, "seal")[0] == 0
    (project.content / MEETING_PATH).write_text(FLOW.replace("status: justerat", "status: utkast"))
    status, out = cli(tmp_path, "build")  # production leaves drafts out, but checks them
    assert status == 1 and f"{MEETING_PATH}:3:1: error: the minutes were sealed on" in out, out


def test_a_meeting_that_moved_keeps_its_seal(mini: MiniProject, tmp_path: Path) -> None:
    """A meeting given a slug (a new id) is matched to its seal by its file."""
    project = mini(meeting=FLOW)
    assert cli(tmp_path, "seal")[0] == 0
    moved = FLOW.replace("title: Skolchefer\n", "title: Skolchefer\nslug: extra\n")
    (project.content / MEETING_PATH).write_text(moved, encoding="utf-8")
    status, out = cli(tmp_path, "check")
    assert status == 0 and "warning:" not in out, out
    (project.content / MEETING_PATH).write_text(moved.replace("anta", "avslå"), encoding="utf-8")
    assert cli(tmp_path, "check")[0] == 1
    (project.content / MEETING_PATH).write_text(moved, encoding="utf-8")
    status, out = cli(tmp_path, "seal")
    assert status == 0 and f"renewed {ID}-extra" in out, out
    assert list(json.loads((project.content / "sigill.json").read_text())["meetings"]) == [f"{ID}-extra"]


DIGEST = "0" * 64


@pytest.mark.parametrize(
    ("ledger", "expected"),
    [
        ('{"meetings": {\n  "x": \n}}', "sigill.json:3:1: error: not valid JSON: Expecting value"),
        ("[1, 2]", "sigill.json:1:1: error: sigill.json has no 'meetings' object"),
        (
            '{\n "meetings": {\n  "' + ID + '": {\n   "digest": "abc"\n  }\n }\n}\n',
            f"sigill.json:3:3: error: the seal of '{ID}' has no 'digest' of 64 hexadecimal digits",
        ),
        (
            '{\n "meetings": {\n  "' + ID + '": {"digest": "' + DIGEST + '", "sealed_on": "2024-13-01",'
            ' "corrections": 0, "source": "x.md"}}}',
            f"sigill.json:3:3: error: the seal of '{ID}' has no 'sealed_on' date (YYYY-MM-DD)",
        ),
        (b'{"meetings": {"\xff": 1}}', "sigill.json:1:16: error: file is not valid UTF-8 (byte 0xff)"),
    ],
)
def test_a_damaged_ledger_is_an_error_with_its_position(
    mini: MiniProject, tmp_path: Path, ledger: str | bytes, expected: str
) -> None:
    project = mini(files={"sigill.json": ledger})
    before = (project.content / "sigill.json").read_bytes()
    for command in ("check", "seal", "build"):
        status, out = cli(tmp_path, command)
        assert status == 1 and expected in out and "Traceback" not in out, (command, out)
    assert (project.content / "sigill.json").read_bytes() == before  # seal wrote nothing
    assert not (tmp_path / "site").exists()  # the build neither


def test_a_seal_of_minutes_not_in_the_archive_is_a_warning_at_its_line(
    mini: MiniProject, tmp_path: Path
) -> None:
    project = mini(meeting=FLOW)
    assert cli(tmp_path, "seal")[0] == 0
    (project.content / MEETING_PATH).rename(project.content / "networks/skolchefer/2024/gone.txt")
    (project.content / "networks/skolchefer/2024/2024-10-01.md").write_text(
        meeting_text(date="2024-10-01"), encoding="utf-8"
    )
    status, out = cli(tmp_path, "build")
    assert status == 0, out
    expected = f"sigill.json:5:5: warning: the seal of '{ID}' ({MEETING_PATH}) names minutes that are not"
    assert expected in out and "unpublished:" in out
    status, out = cli(tmp_path, "seal")  # the other meeting is sealed; the lost one's seal is kept
    assert status == 0 and "kept the seals of 1 minutes not in the archive" in out, out
    assert set(json.loads((project.content / "sigill.json").read_text())["meetings"]) == {
        ID,
        "skolchefer/2024-10-01",
    }


def test_a_correction_without_date_or_text_is_a_diagnostic(mini: MiniProject, tmp_path: Path) -> None:
    mini(meeting=meeting_text("corrections:\n  - {text: Rättat.}\n  - {date: 2024-10-01}\n"))
    status, out = cli(tmp_path, "seal")
    assert status == 1 and "Traceback" not in out
    assert f"{MEETING_PATH}:5:5: error" in out and f"{MEETING_PATH}:6:5: error" in out, out
    assert not (tmp_path / "content" / "sigill.json").exists()


def test_a_changed_ledger_is_checked_again_by_a_build_that_finds_nothing_else_changed(
    mini: MiniProject, tmp_path: Path
) -> None:
    """The ledger is an input of the build state: the shortcut for an unchanged archive sees it."""
    project = mini(meeting=FLOW)
    project = Project(project.content, project.templates, project.output, cache=tmp_path / ".cache")
    assert cli(tmp_path, "seal")[0] == 0
    past = time.time() - 60
    for path in project.content.rglob("*"):
        os.utime(path, (past, past))
    assert build(project, search=False).ok
    again = Builder(project, search=False).build()
    assert again.ok and again.parsed == 0 and again.stats is not None and again.stats.written == 0
    ledger = project.content / "sigill.json"
    data = json.loads(ledger.read_text(encoding="utf-8"))
    data["meetings"][ID]["digest"] = DIGEST
    ledger.write_text(json.dumps(data, indent=2), encoding="utf-8")
    os.utime(ledger, (past, past))
    result = Builder(project, search=False).build()
    assert not result.ok
    assert any("sealed on" in d.message for d in result.diagnostics.items)
