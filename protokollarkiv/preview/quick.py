"""The preview server's shortcuts around a full rebuild: show an edited meeting at once, and fill
the fragments of listings after a build that rendered in workers.

`show_edited` is the editor's fast path, in the spirit of Hugo's fast render mode: when the only
change is an edit inside existing meetings, their own pages (the meeting page and its `mote.json`)
are rendered against the last build's site and put into the live site before the full rebuild
starts. The full rebuild then renders every page the edit touches, these two included, and
corrects anything the shortcut could not know; its pages are byte for byte a normal build's.
"""

from __future__ import annotations

import contextlib
import os
from collections.abc import Callable, Iterable
from pathlib import Path

import jinja2

from ..attachment import text_as_before
from ..build.builder import LastBuild
from ..build.parallel import page_bytes
from ..diagnostics import Severity
from ..output import replace_file
from ..pages import Page, meeting_data_page, meeting_page, person_index_of
from ..parse import Engines, parse_meeting
from ..urls import meeting_url

LISTING_SOURCES = 3  # a page that shows more meetings than this (a meeting and its neighbours) lists them


def show_edited(
    last: LastBuild, paths: Iterable[str | Path], output: Path, include_drafts: bool, engines: Engines
) -> list[str] | None:
    """Render and write the own pages of the edited meetings at `paths`; the URLs whose bytes changed.

    None, and nothing written, unless every path is an existing meeting file of the last build
    (or a temporary file that is gone again) whose new text parses without errors and leaves the
    meeting where it was: same URL, same networks, still shown. Anything else (a new, deleted
    or moved meeting, a template, the settings, a mistake to report) is the full rebuild's.
    """
    folders = dict(last.files.meetings)  # meeting file -> its network folder
    shown = {meeting.source: meeting for meeting in last.site.meetings}
    pages: list[Page] = []
    persons = person_index_of(last.pages)  # the last build's people: links as they were
    for name in {Path(os.path.abspath(path)) for path in paths}:
        if name not in folders:
            if name.exists():
                return None  # a new file or folder, a template, the settings
            continue  # an editor's temporary file, already gone
        old = shown.get(name)
        if old is None or not name.is_file():
            return None  # a meeting that was not shown (it had errors, or is a hidden draft), or is gone
        try:
            raw = name.read_bytes()
        except OSError:
            return None
        parsed = parse_meeting(name, folders[name], raw, "", last.globals_, engines)
        if parsed.meeting is None or any(d.severity is Severity.ERROR for d in parsed.diagnostics):
            return None
        new = text_as_before(parsed.meeting, old)  # an attachment that changed is not an edit here
        if meeting_url(new) != meeting_url(old) or new.networks != old.networks:
            return None  # it moves in the site: its neighbours and listings change too
        if new.is_draft and not include_drafts:
            return None
        previous, following = last.site.neighbours(old)
        pages += [meeting_page(new, previous, following, last.site, persons), meeting_data_page(new)]
    if not pages:
        return None
    try:
        rendered = [(page, page_bytes(page, last.site, last.env, last.reuse)) for page in pages]
    except jinja2.TemplateError:
        return None  # the full rebuild reports it
    return [page.url for page, data in rendered if replace_file(output, page.path, data)]


def warm(last: LastBuild, stop: Callable[[], bool] = lambda: False) -> int:
    """Render, and throw away, the pages that list many meetings: this fills the kept fragments.

    Pages rendered in worker processes leave this process's fragments empty, so the first edit
    after such a build would render every listing from scratch. The preview server calls this
    in the background after a build that used workers, and stops early (`stop`) when the next
    rebuild is wanted. Returns the number of pages rendered.
    """
    done = 0
    for page in last.pages:
        if len(page.sources) <= LISTING_SOURCES:
            continue
        if stop():
            return done
        with contextlib.suppress(jinja2.TemplateError):  # the build reported it; nothing to fill
            page_bytes(page, last.site, last.env, last.reuse)
        done += 1
    return done
