"""What a change makes dirty: the previous build's state and the current inputs -> the pages to render.

Pure: everything it needs is passed in (the template dependencies as a function, called only
when a template changed), so it can be tested without a disk.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date

from ..pages import Page
from .state import BuildState


@dataclass(frozen=True)
class Inputs:
    """What the current build sees."""

    keys: Mapping[str, str]  # meeting file -> content key
    globals_digest: str  # the archive-wide settings
    templates: Mapping[str, str]  # template name -> digest
    static: Mapping[str, str]  # asset name -> digest
    live: frozenset[str]  # files now in the site folder
    fingerprint: bool  # asset URLs carry a digest (so appear changed on every page)
    today: date | None = None  # the day the build is as of (pages that show it are `dated`)
    published_from: int | None = None  # the first year published under `publish_years`


@dataclass(frozen=True)
class Plan:
    changed: frozenset[str]  # meeting files added, edited or removed
    changed_templates: frozenset[str]
    static_changed: bool
    everything: bool  # every page is rendered
    render: tuple[int, ...]  # the pages to render, by index into the page list


def changed_files(before: Mapping[str, str], now: Mapping[str, str]) -> frozenset[str]:
    """Files whose key differs, and files that came or went."""
    return frozenset(name for name, key in now.items() if before.get(name) != key) | (
        before.keys() - now.keys()
    )


def plan(
    previous: BuildState | None,
    current: Inputs,
    pages: Sequence[Page],
    closure: Callable[[], Mapping[str, frozenset[str]]],
) -> Plan:
    """The pages to render: all after a change to the settings (or without a previous build);
    else those that show a changed meeting (now or before), show the day (on a new day), use a
    changed template, are new, or are missing from the site."""
    before = previous or BuildState()
    changed = changed_files(before.keys, current.keys)
    templates = changed_files(before.templates, current.templates)
    static_changed = current.static != before.static
    # Fingerprinted asset URLs appear on every page, so a changed asset dirties them all.
    everything = (
        previous is None
        or current.globals_digest != before.globals_digest
        or current.published_from != before.published_from  # meetings left publication
        or (static_changed and current.fingerprint)
    )
    uses = closure() if templates and not everything else {}
    render = []
    for index, page in enumerate(pages):
        if everything or page.path not in current.live:
            render.append(index)
            continue
        shown_before = before.page_sources.get(page.url)
        if (
            shown_before is None
            or (page.dated and current.today != before.today)
            or not changed.isdisjoint(page.sources)
            or not changed.isdisjoint(shown_before)
            or (page.template and uses.get(page.template, frozenset({page.template})) & templates)
        ):
            render.append(index)
    return Plan(changed, templates, static_changed, everything, tuple(render))
