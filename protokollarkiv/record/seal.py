"""Sealed protocols: the canonical form of a meeting's published record, its SHA-256, and the
archive's ledger of them (`content/sigill.json`), checked by every build and renewed by `seal`.

The canonical form (documented in docs/architecture.md, "Sealed protocols") is made from what a
meeting's `mote.json` publishes, so anyone can recompute it from a downloaded copy: the facts a
secretary writes, as JSON with sorted keys and no insignificant whitespace, every string in Unicode
NFC, the body's Markdown with every run of whitespace made one space, encoded as UTF-8. What the
generator derives (item numbers, decision texts, URLs, municipality names) is left out: the text
holds the items and decisions word for word, and a new generator must not break old seals.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import unicodedata
from collections.abc import Mapping
from dataclasses import dataclass, replace
from datetime import date
from pathlib import Path
from typing import Any

from ..diagnostics import Diagnostics, SourcePos
from ..load import read_text
from ..model import Meeting

SEAL_FILE = "sigill.json"
FORM = 1  # the canonical form's version, written into the ledger
ABOUT = (
    "SHA-256 of each justerat meeting's published facts and text, keyed by the meeting's id; "
    "written by 'python build.py seal' (docs/architecture.md, 'Sealed protocols')"
)
# The published facts that are sealed, as `mote.json` names them, and a participant's.
FACTS = (
    "title",
    "date",
    "time",
    "place",
    "networks",
    "status",
    "adjusted_on",
    "chair",
    "secretary",
    "adjusters",
    "next_meeting",
    "participants",
    "attendance",
    "attendance_items",
    "text",
)
PARTICIPANT_FACTS = ("name", "municipality", "organisation", "role", "party", "present", "group", "items")
_HEX = frozenset("0123456789abcdef")
_LONE_SURROGATE = re.compile("[\ud800-\udfff]")

# --- the canonical form ------------------------------------------------------------------------


def published_facts(meeting: Meeting) -> dict[str, Any]:
    """A meeting's facts valued as `mote.json` gives them (`feeds.meeting_record` takes them
    from here): title to next meeting, and the attendance by municipality."""
    return {
        "title": meeting.title,
        "date": meeting.date.isoformat(),
        "time": str(meeting.time) if meeting.time else None,
        "place": meeting.place,
        "networks": list(meeting.networks),
        "status": meeting.status,
        "adjusted_on": meeting.adjusted_on.isoformat() if meeting.adjusted_on else None,
        "chair": list(meeting.chair),
        "secretary": meeting.secretary,
        "adjusters": list(meeting.adjusters),
        "next_meeting": meeting.next_meeting.isoformat()
        if isinstance(meeting.next_meeting, date)
        else meeting.next_meeting,
        "attendance": {
            slug: "partly" if slug in meeting.partly else present
            for slug, present in sorted(meeting.attendance.items())
        },
        "attendance_items": {slug: list(items) for slug, items in sorted(meeting.partly.items())},
    }


def meeting_facts(meeting: Meeting) -> dict[str, Any]:
    """The sealed facts of a meeting: its published facts, its participants as `mote.json` names
    them (without the names the generator derives) and its text."""
    return {
        **published_facts(meeting),
        "participants": [
            {
                "name": p.name,
                "municipality": p.municipality,
                "organisation": p.organisation,
                "role": p.role or None,
                "party": p.party,
                "present": p.present,
                "group": p.group,
                "items": list(p.items),
            }
            for p in meeting.participants
        ],
        "text": meeting.text,
    }


def record_facts(record: Mapping[str, Any]) -> dict[str, Any]:
    """The sealed facts of a published record (`mote.json`); KeyError or TypeError when it lacks one."""
    facts = {key: record[key] for key in FACTS}
    facts["participants"] = [{key: p[key] for key in PARTICIPANT_FACTS} for p in record["participants"]]
    return facts


def normal_text(text: str) -> str:
    """The body as sealed: NFC, every run of whitespace one space, none at either end."""
    return " ".join(unicodedata.normalize("NFC", text).split())


def _nfc(value: Any) -> Any:
    if isinstance(value, str):
        return unicodedata.normalize("NFC", value)
    if isinstance(value, list):
        return [_nfc(v) for v in value]
    if isinstance(value, dict):
        return {_nfc(k): _nfc(v) for k, v in value.items()}
    return value


def canonical(facts: Mapping[str, Any]) -> bytes:
    """The bytes that are hashed: one JSON object, keys sorted, no spaces, UTF-8 (not \\u-escaped)."""
    form = _nfc({key: value for key, value in facts.items() if key != "text"})
    form["text"] = normal_text(str(facts["text"]))
    text = json.dumps(form, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    try:
        return text.encode("utf-8")
    except UnicodeEncodeError:  # a lone surrogate (a YAML escape): U+FFFD, as the exports write it
        return _LONE_SURROGATE.sub("\ufffd", text).encode("utf-8")


def digest_of(facts: Mapping[str, Any]) -> str:
    return hashlib.sha256(canonical(facts)).hexdigest()


def with_text(meeting: Meeting, text: str) -> Meeting:
    """The meeting with its body's Markdown and the digest of its published record."""
    meeting = replace(meeting, text=text)
    return replace(meeting, digest=digest_of(meeting_facts(meeting)))


def verify_record(record: object) -> tuple[str, str] | str:
    """(the digest a record carries, the digest of its facts), or what keeps it from being checked."""
    if not isinstance(record, dict):
        return "it is not a JSON object"
    carried = record.get("digest")
    if not isinstance(carried, str):
        return "it carries no digest (drafts are not sealed)"
    try:
        facts = record_facts(record)
    except KeyError as exc:
        return f"it has no {exc.args[0]!r}: it is not a meeting's mote.json"
    except TypeError:
        return "its participants are not a list of objects"
    if not isinstance(facts["text"], str):
        return "its 'text' is not a string"
    return carried, digest_of(facts)


# --- the ledger: content/sigill.json -----------------------------------------------------------


@dataclass(frozen=True)
class Seal:
    """One meeting's entry: its digest, the day it was sealed, the corrections it had then."""

    digest: str
    sealed_on: date
    corrections: int
    source: str  # the meeting file, relative to the content folder (for messages)


@dataclass(frozen=True)
class Ledger:
    entries: Mapping[str, Seal]  # meeting id -> seal
    positions: Mapping[str, SourcePos]  # meeting id -> where its entry is in the file


def ledger_path(content: Path) -> Path:
    return content / SEAL_FILE


_KEY = re.compile(r'"((?:[^"\\]|\\.)*)"\s*:')


def _key_positions(text: str) -> dict[str, SourcePos]:
    """Where each key of the JSON text first appears (a meeting's id is its entry's key)."""
    found: dict[str, SourcePos] = {}
    for key in _KEY.finditer(text):
        try:
            name = json.loads(f'"{key[1]}"')
        except ValueError:
            continue
        if name not in found:
            line = text.count("\n", 0, key.start()) + 1
            found[name] = SourcePos(line, key.start() - text.rfind("\n", 0, key.start()))
    return found


_DAMAGED_HINT = "sigill.json is written by 'python build.py seal'; restore it from version control"


def _entry(value: object) -> Seal | str:
    """An entry of the ledger, or what is wrong with it."""
    if not isinstance(value, dict):
        return "is not an object"
    digest, day, count, source = (value.get(k) for k in ("digest", "sealed_on", "corrections", "source"))
    if not isinstance(digest, str) or len(digest) != 64 or not _HEX.issuperset(digest):
        return "has no 'digest' of 64 hexadecimal digits"
    try:
        sealed_on = date.fromisoformat(day) if isinstance(day, str) else None
    except ValueError:
        sealed_on = None
    if sealed_on is None:
        return "has no 'sealed_on' date (YYYY-MM-DD)"
    if not isinstance(count, int) or isinstance(count, bool) or count < 0:
        return "has no 'corrections' count"
    if not isinstance(source, str):
        return "has no 'source'"
    return Seal(digest, sealed_on, count, source)


def read_ledger(path: Path, diagnostics: Diagnostics) -> Ledger | None:
    """The ledger at `path`: empty when there is none; None, with errors, when it cannot be read."""
    if not path.is_file():
        return Ledger({}, {})
    text = read_text(path, diagnostics)
    if text is None:
        return None
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        diagnostics.error(path, SourcePos(exc.lineno, exc.colno), f"not valid JSON: {exc.msg}", _DAMAGED_HINT)
        return None
    meetings = data.get("meetings") if isinstance(data, dict) else None
    if not isinstance(meetings, dict):
        diagnostics.error(path, SourcePos(1, 1), "sigill.json has no 'meetings' object", _DAMAGED_HINT)
        return None
    positions = _key_positions(text)
    entries: dict[str, Seal] = {}
    for key, value in meetings.items():
        entry = _entry(value)
        if isinstance(entry, str):
            where = positions.get(key, SourcePos(1, 1))
            diagnostics.error(path, where, f"the seal of '{key}' {entry}", _DAMAGED_HINT)
        else:
            entries[key] = entry
    return Ledger(entries, {key: positions.get(key, SourcePos(1, 1)) for key in entries})


def _relative(meeting: Meeting, content: Path) -> str:
    return Path(os.path.relpath(meeting.source, content)).as_posix()


def match(ledger: Ledger, meetings: Mapping[str, Meeting], content: Path) -> dict[str, str]:
    """Meeting id -> the id of its entry: its own, or (when it moved to a new id) the entry of a
    meeting no longer in the archive that was sealed from the same file."""
    found = {key: key for key in meetings if key in ledger.entries}
    orphans = {seal.source: key for key, seal in ledger.entries.items() if key not in meetings}
    for key, meeting in meetings.items():
        if key not in found and (old := orphans.get(_relative(meeting, content))) is not None:
            found[key] = old
    return found


def _pos(meeting: Meeting, key: str) -> SourcePos:
    line, column = meeting.positions.get(key, meeting.positions.get("status", (1, 1)))
    return SourcePos(line, column)


def review_seals(
    ledger: Ledger, meetings: Mapping[str, Meeting], content: Path, diagnostics: Diagnostics
) -> None:
    """Every sealed meeting against its seal; `meetings`: every meeting read, by id."""
    matched = match(ledger, meetings, content)
    for key, meeting in meetings.items():
        if key not in matched:
            continue
        seal = ledger.entries[matched[key]]
        day, now = seal.sealed_on.isoformat(), len(meeting.corrections)
        if now > seal.corrections:
            diagnostics.warning(
                meeting.source,
                _pos(meeting, "corrections"),
                f"the minutes sealed on {day} have a correction that is not sealed yet",
                "run 'python build.py seal' to seal the corrected minutes",
            )
        elif meeting.digest != seal.digest:
            diagnostics.error(
                meeting.source,
                _pos(meeting, "status"),
                f"the minutes were sealed on {day}; their published facts or text have changed since",
                "undo the change, or add a 'corrections:' entry (date and text) saying what was "
                "corrected, then run 'python build.py seal'",
            )
        elif now < seal.corrections:
            diagnostics.error(
                meeting.source,
                _pos(meeting, "corrections"),
                f"the minutes sealed on {day} had {seal.corrections} corrections then, {now} now",
                "corrections stay in the record: restore the one that was removed",
            )
    path = ledger_path(content)
    for key in sorted(set(ledger.entries) - set(matched.values())):
        diagnostics.warning(
            path,
            ledger.positions.get(key, SourcePos(1, 1)),
            f"the seal of '{key}' ({ledger.entries[key].source}) names minutes that are not in the archive",
            "restore the file, or keep it with 'unpublished:' and the reason; published minutes are "
            "not deleted",
        )


# --- renewing and writing the ledger (`python build.py seal`) ----------------------------------


@dataclass(frozen=True)
class Renewal:
    ledger: Ledger
    sealed: list[str]  # ids sealed for the first time
    updated: list[str]  # ids whose seal was renewed (corrected, or moved to a new id)
    kept: list[str]  # entries of minutes not in the archive, kept as they were


def renew(ledger: Ledger, meetings: Mapping[str, Meeting], content: Path, today: date) -> Renewal:
    """The ledger with every justerat meeting sealed as it is now. Call it only when
    `review_seals` found no error: a changed meeting then has a new correction."""
    matched = match(ledger, meetings, content)
    entries: dict[str, Seal] = {}
    sealed: list[str] = []
    updated: list[str] = []
    for key, meeting in sorted(meetings.items()):
        old = ledger.entries.get(matched[key]) if key in matched else None
        if old is None and meeting.is_draft:
            continue  # drafts are never sealed
        new = Seal(meeting.digest, today, len(meeting.corrections), _relative(meeting, content))
        if old is None:
            sealed.append(key)
        elif (old.digest, old.corrections, old.source, matched[key]) != (
            new.digest,
            new.corrections,
            new.source,
            key,
        ):
            updated.append(key)
        else:
            new = old
        entries[key] = new
    kept = sorted(set(ledger.entries) - set(matched.values()))
    entries.update((key, ledger.entries[key]) for key in kept)
    return Renewal(Ledger(dict(sorted(entries.items())), {}), sealed, updated, kept)


def ledger_bytes(ledger: Ledger) -> bytes:
    """The ledger as written: one entry a few lines, keys sorted, so a diff shows what changed."""
    data = {
        "about": ABOUT,
        "form": FORM,
        "meetings": {
            key: {
                "digest": seal.digest,
                "sealed_on": seal.sealed_on.isoformat(),
                "corrections": seal.corrections,
                "source": seal.source,
            }
            for key, seal in sorted(ledger.entries.items())
        },
    }
    return (json.dumps(data, ensure_ascii=False, indent=2) + "\n").encode("utf-8")


def write_ledger(path: Path, ledger: Ledger) -> bool:
    """Write the ledger through a temporary file renamed over the old one; False when unchanged."""
    data = ledger_bytes(ledger)
    if path.is_file() and path.read_bytes() == data:
        return False
    temporary = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    try:
        temporary.write_bytes(data)
        os.replace(temporary, path)
    finally:
        temporary.unlink(missing_ok=True)
    return True
