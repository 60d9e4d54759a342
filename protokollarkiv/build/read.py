"""Reading the archive for a build: parse only the meetings that changed (the rest come from memory
or the cache), validate, review, and list the pages."""

from __future__ import annotations

import pickle
import shutil
import sys
from collections.abc import Callable, Iterator
from dataclasses import dataclass, replace
from datetime import date
from pathlib import Path
from typing import Any

from ..attachment import digests, reader_version, with_text
from ..diagnostics import Diagnostics, Severity, SourcePos
from ..load import ContentFiles, attachment_listing, discover
from ..markdown import render_document
from ..model import Meeting, Site
from ..pages import Page, check_unique_urls, site_pages
from ..parse import Parsed, load_globals
from ..record.seal import ledger_path, read_ledger, review_seals
from ..review import review_site
from ..speed.switch import Speedups
from ..urls import meeting_id
from ..validate import Globals, assemble_site
from .inputs import digest, globals_digest, seal_digest
from .parallel import ParseJob, ParseTask, parse_in_workers
from .state import KeptPieces, ParseCache, Signature, TextCache, Warn, file_signature, kept_folder

PARALLEL_PARSE_MIN = 48  # below this many meetings to parse, starting workers costs more than it saves
Progress = Callable[[str, int, int], None]  # (stage, done, total), as build.builder.Progress


@dataclass
class Read:
    """The meetings of one build, and what the build state records about their files."""

    meetings: list[Meeting]
    keys: dict[str, str]  # meeting file -> content key
    signatures: dict[str, Signature]
    parsed: int  # files parsed this time (the rest came from memory or the cache)
    parallel: bool  # parsed in worker processes
    read_attachments: int  # attachment files whose text was read this time (not found in the cache)


class MeetingReader:
    """Parses the meetings that changed; keeps the parsed ones of this process by file."""

    def __init__(self, cache_root: Path | None, version: str, warn: Warn) -> None:
        self.cache_root = cache_root
        self.version = version
        self.warn = warn
        self.memo: dict[Path, Parsed] = {}
        self.memo_globals = ""  # the archive-wide settings the memo was validated against
        self.parallel_min = PARALLEL_PARSE_MIN
        self.texts: TextCache | None = None  # the attachments' texts, made when first needed

    def _cache(self, globals_digest: str) -> ParseCache | None:
        if self.cache_root is None:
            return None
        namespace = digest(f"{self.version}|{globals_digest}".encode())[:16]
        for old in self.cache_root.glob("meetings-*"):  # other versions or settings: never read
            if old.name != f"meetings-{namespace}" and old.is_dir():
                shutil.rmtree(old, ignore_errors=True)
        return ParseCache(self.cache_root / f"meetings-{namespace}", self.warn)

    def kept(self, kind: str, *namespace: object) -> KeptPieces | None:
        """The store of `kind`'s kept pieces of meetings, for this code and `namespace` (what else
        they depend on); None without a cache folder."""
        if self.cache_root is None:
            return None
        folder = kept_folder(self.cache_root, kind, self.version, *namespace)
        return KeptPieces(folder, self.warn)

    def _texts(self) -> TextCache:
        """The attachments' texts: kept in this process, and on disk by the reading code's version."""
        if self.texts is None:
            folder = None
            if self.cache_root is not None:
                folder = self.cache_root / f"texts-{reader_version()}"
                for old in self.cache_root.glob("texts-*"):  # other versions: never read
                    if old != folder and old.is_dir():
                        shutil.rmtree(old, ignore_errors=True)
            self.texts = TextCache(folder, self.warn)
        return self.texts

    def _with_text(self, parsed: Parsed) -> Parsed:
        """A newly parsed meeting with the text of its attachments (and a warning for each that
        cannot be read). A meeting with errors stops the build: nothing is read for it."""
        if parsed.meeting is None or not parsed.meeting.attachments:
            return parsed
        if any(d.severity is Severity.ERROR for d in parsed.diagnostics):
            return parsed
        found = Diagnostics()
        meeting = with_text(parsed.meeting, self._texts().text, found)
        return replace(parsed, meeting=meeting, diagnostics=[*parsed.diagnostics, *found.items])

    def read(
        self,
        files: ContentFiles,
        known: dict[str, Signature],
        job: ParseJob,
        globals_digest: str,
        diagnostics: Diagnostics,
        jobs: int,
        forking: Any,  # speed.switch.Speedups.forking(): around the workers' life
        progress: Progress,
    ) -> Read:
        """Every meeting of `files`; `known`: the signatures the last build recorded."""
        if globals_digest != self.memo_globals:
            self.memo.clear()
            self.memo_globals = globals_digest
        cache = self._cache(globals_digest)
        keys: dict[str, str] = {}
        signatures: dict[str, Signature] = {}
        found: dict[Path, Parsed] = {}
        todo: list[ParseTask] = []
        for path, network_dir in files.meetings:
            name = sys.intern(str(path))
            listing = attachment_listing(path, files.folders)
            signature = file_signature(path)
            before = known.get(name)
            raw: bytes | None = None
            if signature is not None and before is not None and before[:2] == (signature, listing):
                key = before[2]  # the file system says the file is as last built: not read again
            else:
                try:
                    raw = path.read_bytes()
                except OSError as exc:
                    diagnostics.error(path, SourcePos(1, 1), f"cannot read file: {exc.strerror}")
                    continue
                key = digest(name.encode() + b"\0" + raw + b"\0" + listing)
            keys[name] = key
            if signature is not None:
                signatures[name] = (signature, listing, key)
            memo = self.memo.get(path)
            hit = memo if memo is not None and memo.key == key else cache.get(key) if cache else None
            if hit is not None:
                found[path] = hit
            else:
                todo.append((path, network_dir, raw if raw is not None else path.read_bytes(), key))
        parallel = jobs > 1 and len(todo) >= self.parallel_min
        texts = self._texts()
        read_before = texts.read
        for task, (parsed, blob) in zip(
            todo, self._parse(job, todo, jobs if parallel else 1, forking, progress), strict=True
        ):
            complete = self._with_text(parsed)
            found[task[0]] = complete
            if cache is not None:
                cache.put(complete, blob if complete is parsed else None)
        self.memo = found
        if cache is not None:
            try:
                cache.save(set(keys.values()))
            except OSError as exc:
                diagnostics.warning(cache.folder, SourcePos(1, 1), f"cannot write the cache: {exc}")
        meetings: list[Meeting] = []
        for path, _ in files.meetings:
            if (entry := found.get(path)) is not None:
                diagnostics.extend(entry.diagnostics)
                if entry.meeting is not None:
                    meetings.append(entry.meeting)
        try:
            texts.save(digests(meetings))
        except OSError as exc:
            diagnostics.warning(texts.folder or Path(), SourcePos(1, 1), f"cannot write the cache: {exc}")
        return Read(meetings, keys, signatures, len(todo), parallel, texts.read - read_before)

    @staticmethod
    def _parse(
        job: ParseJob, todo: list[ParseTask], jobs: int, forking: Any, progress: Progress
    ) -> Iterator[tuple[Parsed, bytes | None]]:
        """Each meeting of `todo` parsed, in order, with its pickled bytes when a worker sent them."""
        if jobs > 1:
            for done, blob in enumerate(parse_in_workers(job, todo, jobs, forking), 1):
                yield pickle.loads(blob), blob
                progress("parse", done, len(todo))
            return
        for done, task in enumerate(todo, 1):
            yield job.parse(task), None
            progress("parse", done, len(todo))


@dataclass(frozen=True)
class Loaded:
    """What a build found: the site, its pages and what the state records of their files."""

    site: Site
    pages: list[Page]
    files: ContentFiles
    globals_: Globals
    read: Read
    settings: str  # the digest of the archive-wide settings
    seals: str  # the digest of the seal ledger (it is checked, never shown: no page depends on it)


class ArchiveReader:
    """Loads the archive again and again for one Builder; keeps parsed meetings and review findings."""

    def __init__(
        self,
        content: Path,
        guide: Path | None,
        meetings: MeetingReader,
        speedups: Speedups,
        include_drafts: bool,
        base_url: str | None,
    ) -> None:
        self.content, self.guide, self.meetings, self.speedups = content, guide, meetings, speedups
        self.include_drafts, self.base_url = include_drafts, base_url
        self.review = speedups.memo()  # each meeting's review findings, for the meetings' settings

    def load(
        self,
        diagnostics: Diagnostics,
        known: dict[str, Signature],
        today: date,
        jobs: int,
        progress: Progress,
    ) -> Loaded:
        """Find, parse and validate everything; review it; list the pages."""
        speed = self.speedups
        files = discover(self.content, diagnostics)
        settings = globals_digest(files, self.guide)
        globals_ = load_globals(files, diagnostics, speed.engines)
        if settings != self.meetings.memo_globals:  # every meeting is parsed anew
            self.review = speed.memo()
        job = ParseJob(globals_, speed.engines)
        read = self.meetings.read(files, known, job, settings, diagnostics, jobs, speed.forking(), progress)
        site = assemble_site(globals_, read.meetings, include_drafts=self.include_drafts, today=today)
        if self.base_url and self.base_url != site.config.base_url:
            site = replace(site, config=replace(site.config, base_url=self.base_url))
        findings = self.meetings.kept("findings", settings)
        speed.keep(self.review, ((m, read.keys[m.source_name]) for m in site.meetings), findings)
        review_site(site, diagnostics, today, self.review)
        if findings is not None:
            try:
                findings.merge(set(read.keys.values()))
            except OSError as exc:
                where = findings.folder or Path()
                diagnostics.warning(where, SourcePos(1, 1), f"cannot write the cache: {exc}")
        ledger = read_ledger(ledger_path(self.content), diagnostics)
        if ledger is not None:  # every meeting read, drafts too: a sealed one may not slip back
            review_seals(ledger, {meeting_id(m): m for m in read.meetings}, self.content, diagnostics)
        guide = self.guide
        guide_html = render_document(guide.read_text(encoding="utf-8")) if guide and guide.is_file() else ""
        pages = site_pages(site, guide_html, today)
        check_unique_urls(pages, site, diagnostics)
        return Loaded(site, pages, files, globals_, read, settings, seal_digest(self.content))
