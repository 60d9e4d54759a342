"""`import`: old minutes (Word, PDF, text) as draft meetings in a network's folder."""

from __future__ import annotations

import os
import re
import tempfile
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

from ..build.builder import Project
from ..diagnostics import Diagnostics, Severity, did_you_mean
from ..load import NETWORKS_DIR, discover
from ..parse import load_globals, parse_meeting
from ..validate import Globals
from .draft import draft
from .extract import SUFFIXES, ImportFailure, extract
from .recognise.found import Recognised
from .recognise.minutes import recognise
from .recognise.places import Gazetteer

_DATE_LINE = re.compile(r"^date:\s*['\"]?(\d{4}-\d{2}-\d{2})", re.MULTILINE)
_HEAD_BYTES = 4096


class ImportSetupError(Exception):
    """The import cannot start (an unknown network, a broken archive); nothing was written."""


@dataclass(frozen=True)
class Outcome:
    source: Path
    ok: bool
    line: str  # the one line the command prints for this file
    path: Path | None = None
    text: str = ""  # the draft (for --dry-run)


@dataclass(frozen=True)
class Importer:
    project: Project
    network: str
    globals: Globals
    places: Gazetteer
    dry_run: bool = False
    force: bool = False

    @classmethod
    def open(cls, project: Project, network: str, dry_run: bool = False, force: bool = False) -> Importer:
        diagnostics = Diagnostics()
        files = discover(project.content, diagnostics)
        globals_ = load_globals(files, diagnostics)
        errors = [d for d in diagnostics.items if d.severity is Severity.ERROR]
        if errors:
            raise ImportSetupError(f"the archive has errors; run `check` first ({errors[0].message})")
        if network not in globals_.networks:
            known = sorted(globals_.networks)
            hint = did_you_mean(network, known) or f"known networks: {', '.join(known) or 'none'}"
            raise ImportSetupError(f"unknown network '{network}' ({hint})")
        names = {slug: m.name for slug, m in globals_.municipalities.items()}
        return cls(project, network, globals_, Gazetteer(names), dry_run, force)

    def run(self, sources: list[Path], report: Callable[[Outcome], None]) -> list[Outcome]:
        """Import every file named or found in the folders named, in order; one outcome each."""
        outcomes: list[Outcome] = []
        taken: dict[Path, Path] = {}  # drafts written in this run: target -> source
        for source in files_to_import(sources):
            outcome = self.one(source, taken)
            outcomes.append(outcome)
            report(outcome)
        return outcomes

    def one(self, source: Path, taken: dict[Path, Path]) -> Outcome:
        try:
            extracted = extract(source)
        except ImportFailure as exc:
            return Outcome(source, False, f"{source}: failed: {exc}")
        found = recognise(list(extracted.lines), self.places)
        if not found.numbering and not found.participants and found.date is None:
            return Outcome(
                source, False, f"{source}: failed: no meeting recognised (no date, items or participants)"
            )
        text = draft(found, source.name)
        if found.date is None and not self.force:
            return Outcome(
                source,
                False,
                f"{source}: failed: no date found: nothing written (--force writes a draft "
                "with a placeholder date for you to set)",
                text=text,
            )
        target = self._target(source, found)
        problem = self._taken(target, found, taken) or self._errors(target, text, found)
        if problem:
            return Outcome(source, False, f"{source}: failed: {problem}", text=text)
        summary = _summary(found, extracted.kind, extracted.note)
        if self.dry_run:
            return Outcome(source, True, f"{source}: would write {target} ({summary})", target, text)
        write_atomically(target, text, replace=self.force)
        taken[target] = source
        return Outcome(source, True, f"{source}: wrote {target} ({summary})", target, text)

    def _target(self, source: Path, found: Recognised) -> Path:
        folder = self.project.content / NETWORKS_DIR / self.network
        if found.date is None:
            return folder / "utan-datum" / f"{_safe_stem(source)}.md"
        return folder / found.date.value[:4] / f"{found.date.value}.md"

    def _taken(self, target: Path, found: Recognised, taken: dict[Path, Path]) -> str:
        if target in taken:
            when = found.date.value if found.date else "?"
            return f"{taken[target]} in this import already gave the meeting of {when}"
        if self.force:
            return ""
        if target.exists():
            return f"{target} already exists (--force replaces it)"
        if found.date is not None:
            for other in (self.project.content / NETWORKS_DIR / self.network).rglob("*.md"):
                if other != target and _date_of(other) == found.date.value:
                    return (
                        f"{other} already holds the meeting of {found.date.value} (--force writes beside it)"
                    )
        return ""

    def _errors(self, target: Path, text: str, found: Recognised) -> str:
        """What `check` would call an error in the draft (a date was found); "" when none."""
        if found.date is None:
            return ""
        key = target.relative_to(self.project.content).as_posix()
        parsed = parse_meeting(target, self.network, text.encode("utf-8"), key, self.globals)
        errors = [d for d in parsed.diagnostics if d.severity is Severity.ERROR]
        if errors:
            return f"the draft would not pass check: line {errors[0].line}: {errors[0].message}"
        return ""


def files_to_import(sources: list[Path]) -> Iterator[Path]:
    """The files named, and the importable files in the folders named (sorted, sub-folders too)."""
    for source in sources:
        if source.is_dir():
            yield from sorted(
                p
                for p in source.rglob("*")
                if p.is_file() and p.suffix.lower() in SUFFIXES and not p.name.startswith((".", "~$"))
            )
        else:
            yield source


def _summary(found: Recognised, kind: str, note: str) -> str:
    checks = (
        sum(
            1
            for guess in (
                found.title,
                found.date,
                found.time,
                found.place,
                found.chair,
                found.secretary,
                found.adjusters,
                found.adjusted_on,
                found.posted_on,
                found.next_meeting,
            )
            if guess is not None and guess.confidence != "sure"
        )
        + sum(1 for p in found.participants if p.present is None or p.note)
        + len(found.notes)
    )
    style = f" numbered '{found.numbering}'" if found.numbering else ""
    parts = [
        kind + (f", {note}" if note else ""),
        f"date {found.date.value}" if found.date else "no date found: set `date:`",
        f"{len(found.participants)} participants, {len(found.items)} items{style}, "
        f"{found.decisions} decisions",
    ]
    missing = [
        name
        for name, value in (
            ("time", found.time),
            ("place", found.place),
            ("chair", found.chair),
            ("secretary", found.secretary),
            ("adjusters", found.adjusters),
        )
        if value is None
    ]
    if not found.numbering:
        missing.append("numbered items")
    if missing:
        parts.append("not found: " + ", ".join(missing))
    if checks:
        parts.append(f"{checks} to check (# kontrollera)")
    if found.unused:
        parts.append(f"{len(found.unused)} header lines not used")
    return "; ".join(parts)


def _safe_stem(source: Path) -> str:
    return re.sub(r"[^\w.-]+", "-", source.stem).strip("-.") or "protokoll"


def _date_of(path: Path) -> str | None:
    try:
        with path.open("rb") as handle:
            head = handle.read(_HEAD_BYTES).decode("utf-8", "replace")
    except OSError:
        return None
    m = _DATE_LINE.search(head)
    return m[1] if m else None


def write_atomically(target: Path, text: str, replace: bool) -> None:
    """Write `text` to `target` whole or not at all; never over an existing file unless `replace`."""
    target.parent.mkdir(parents=True, exist_ok=True)
    handle, temporary = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=target.parent)
    try:
        with os.fdopen(handle, "w", encoding="utf-8", newline="\n") as out:
            out.write(text)
            out.flush()
            os.fsync(out.fileno())
        if replace:
            os.replace(temporary, target)
        else:
            os.link(temporary, target)  # fails if the file appeared meanwhile
            os.unlink(temporary)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
