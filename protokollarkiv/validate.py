"""Field specs and cross-file rules: loaded sources -> the Site model, every problem a diagnostic."""

from __future__ import annotations

import contextlib
import posixpath
import re
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field, replace
from datetime import date, datetime, time
from html import escape
from pathlib import Path
from typing import Any, TypeVar

from .diagnostics import Diagnostics, SourcePos, did_you_mean
from .load import MeetingSource, YamlDoc
from .markdown import ParsedBody, ParsedItem, slugify, with_item_notes
from .model import (
    EARLIEST_DAY,
    LANGUAGES,
    LATEST_DAY,
    NUMBERINGS,
    PARTIES,
    STATUSES,
    Attachment,
    Correction,
    DaySpan,
    Decision,
    Item,
    Meeting,
    Municipality,
    Network,
    Participant,
    People,
    Site,
    SiteConfig,
    Status,
    TimeSpan,
    build_site,
    meeting_order,
)
from .procedural import is_procedural
from .record.dates import publication_cutoff
from .strings import translate
from .vote import check_votes

SITE_KEYS = (
    "title",
    "description",
    "base_url",
    "language",
    "organisation",
    "contact",
    "accessibility",
    "licence",
    "publish_years",
    "allowed_contacts",
    "cms",
)
CMS_KEYS = ("repo", "branch")
CONTACT_KEYS = ("email",)
ACCESSIBILITY_KEYS = ("contact", "tested_on", "known_issues")
MUNICIPALITY_KEYS = ("name", "code", "county")
NETWORK_KEYS = (
    "name",
    "short_name",
    "organiser",
    "region",
    "members",
    "description",
    "numbering",
    "anslag",
    "kept_at",
)
MEETING_KEYS = (
    "title",
    "date",
    "time",
    "place",
    "networks",
    "status",
    "adjusted_on",
    "posted_on",
    "corrections",
    "unpublished",
    "chair",
    "secretary",
    "adjusters",
    "participants",
    "municipalities",
    "next_meeting",
    "attachments",
    "original",
    "procedural",
    "slug",
    "aliases",
)
PARTICIPANT_KEYS = (
    "name",
    "municipality",
    "organisation",
    "role",
    "party",
    "present",
    "group",
    "items",
    "recused",
)
ATTACHMENT_KEYS = ("file", "title")
CORRECTION_KEYS = ("date", "text")
ATTENDANCE_WORDS = {"närvarande": True, "frånvarande": False}
DATE_HINT = "write dates as YYYY-MM-DD, e.g. 2024-09-20"
TIME_HINT = "write the time as HH:MM or HH:MM-HH:MM, e.g. 09:00-12:00"
CONTROL_HINT = "delete it; most editors do not show it"
_SLUG = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
_CODE = re.compile(r"^\d{4}$")
# Characters no text of the archive may hold: control characters other than tab and line feed
# (XML, feeds and most viewers cannot show them), lone surrogates and non-characters.
CONTROL = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\ud800-\udfff\ufffe\uffff]")
BODY_CONTROL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ud800-\udfff\ufffe\uffff]")  # CR ends lines
_ISO_DAY = re.compile(r"^\d{4}-\d{2}-\d{2}$")
_DATE_LIKE = re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})$")
_TIME = re.compile(r"^(\d{1,2}):(\d{2})(?:\s*[-–]\s*(\d{1,2}):(\d{2}))?$")
_DAYS = re.compile(r"^(\d{4}-\d{2}-\d{2})(?:--(\d{1,2}|\d{4}-\d{2}-\d{2}))?(?=$|\s)")
_STARTS_LIKE_DAY = re.compile(r"^\d{4}-\d{1,2}-\d{1,2}")
# A plain path, as an alias must be and as a `_redirects` field can hold: URL characters between
# slashes. No whitespace (it would split the line into other fields or rules), no '#' (a comment),
# '?' (a query), '*' or ':' (Netlify's splat and placeholders, which would turn an alias into a
# pattern matching other URLs), no empty, '.' or '..' segment, no '%' but as an escape.
_PLAIN_PATH = re.compile(r"^(?:/[\w\-.~!$&'()+,;=@%]+)+/?$|^/$")
_PERCENT = re.compile(r"%(?![0-9A-Fa-f]{2})")
_DOT_SEGMENT = re.compile(r"/\.{1,2}(?:/|$)")
PLAIN_PATH_HINT = (
    "an old URL's path: letters, digits and _ - . ~ % ! $ & ' ( ) + , ; = @ between slashes;"
    " no spaces, line breaks, '#', '?', '*', ':' or empty, '.' or '..' parts"
)
_BASE_URL = re.compile(r"^https?://[A-Za-z0-9.-]+(?::\d+)?(?:/[^\s\"'<>\\]*)?$")
_REPO = re.compile(r"^[A-Za-z0-9](?:[A-Za-z0-9-]{0,38})/[A-Za-z0-9._-]{1,100}$")
_BRANCH = re.compile(r"^[A-Za-z0-9._/-]{1,200}$")
NAME_BYTES = 255  # the longest file name most file systems hold

T = TypeVar("T")


@dataclass
class Fields:
    """Typed reads from one YAML mapping, each mistake reported at its key or value."""

    doc: YamlDoc
    where: tuple[str | int, ...]
    data: Mapping[str, Any]
    diagnostics: Diagnostics

    @classmethod
    def of(
        cls,
        doc: YamlDoc,
        diagnostics: Diagnostics,
        what: str,
        where: tuple[str | int, ...] = (),
        value: Any = None,
    ) -> Fields | None:
        data = doc.data if not where else value
        if not isinstance(data, Mapping):
            diagnostics.error(
                doc.path,
                doc.value_pos(*where) if where else SourcePos(1, 1),
                f"{what} must be a mapping of keys and values, not {type_name(data)}",
            )
            return None
        return cls(doc, where, data, diagnostics)

    def key_pos(self, key: str | int) -> SourcePos:
        return self.doc.key_pos(*self.where, key)

    def value_pos(self, key: str | int) -> SourcePos:
        return self.doc.value_pos(*self.where, key)

    def here(self) -> SourcePos:
        return self.doc.key_pos(*self.where) if self.where else SourcePos(1, 1)

    def error(self, key: str | int, message: str, hint: str = "", at_value: bool = True) -> None:
        pos = self.value_pos(key) if at_value else self.key_pos(key)
        self.diagnostics.error(self.doc.path, pos, message, hint)

    def warning(self, key: str | int, message: str, hint: str = "") -> None:
        self.diagnostics.warning(self.doc.path, self.value_pos(key), message, hint)

    def check_keys(self, known: Iterable[str], what: str) -> None:
        known = tuple(known)
        for key in self.data:
            if key not in known:
                hint = did_you_mean(str(key), known) or f"known keys: {', '.join(known)}"
                self.diagnostics.warning(
                    self.doc.path, self.key_pos(str(key)), f"unknown key '{key}' in {what}", hint
                )

    def require(self, key: str, what: str) -> bool:
        if self.data.get(key) is None:
            self.diagnostics.error(
                self.doc.path,
                self.key_pos(key) if key in self.data else self.here(),
                f"{what} is missing the required key '{key}'",
            )
            return False
        return True

    def text(self, key: str, required: bool = False, what: str = "") -> str | None:
        if required and not self.require(key, what):
            return None
        value = self.data.get(key)
        if value is None:
            return None
        if type(value) is str:  # nearly always: no need to ask what else it is
            text = value.strip()
        elif isinstance(value, bool | list | dict | Mapping):
            self.error(key, f"'{key}' must be text, not {type_name(value)}", "quote the value")
            return None
        elif isinstance(value, datetime | date):
            return value.isoformat()
        else:
            text = str(value).strip()
        if required and not text:
            self.error(key, f"'{key}' must not be empty")
            return None
        if CONTROL.search(text):
            self._control(key, text, self.value_pos(key))
            return None
        return text

    def _control(self, name: str | int, text: str, pos: SourcePos) -> None:
        found = CONTROL.search(text)
        assert found is not None
        message = (
            f"'{name}' holds the control character U+{ord(found[0]):04X} at character {found.start() + 1}"
        )
        self.diagnostics.error(self.doc.path, pos, message, CONTROL_HINT)

    def date(self, key: str, required: bool = False, what: str = "") -> date | None:
        if required and not self.require(key, what):
            return None
        value = self.data.get(key)
        if value is None:
            return None
        if isinstance(value, datetime):
            self.error(key, f"'{key}' must be a date without a time of day", DATE_HINT)
            return None
        if isinstance(value, str) and _ISO_DAY.match(value.strip()):
            with contextlib.suppress(ValueError):
                value = date.fromisoformat(value.strip())  # a date in quotes
        if isinstance(value, date):
            return plausible(self, key, value)
        self.error(key, *date_problem(key, value))
        return None

    def flag(self, key: str) -> bool | None:
        """true or false; None when absent (or wrong, after an error)."""
        value = self.data.get(key)
        if value is None:
            return None
        if not isinstance(value, bool):
            self.error(key, f"'{key}' must be true or false, not {type_name(value)}", "write true or false")
            return None
        return value

    def count(self, key: str, least: int, most: int) -> int | None:
        """A whole number from `least` to `most`; None when absent (or wrong, after an error)."""
        value = self.data.get(key)
        if value is None:
            return None
        if isinstance(value, bool) or not isinstance(value, int):
            self.error(key, f"'{key}' must be a whole number, not {type_name(value)}", f"e.g. {least}")
            return None
        if not least <= value <= most:
            self.error(key, f"'{key}' must be from {least} to {most}, not {value}")
            return None
        return value

    def time_span(self, key: str) -> TimeSpan | None:
        """`09:00` or `09:00-12:00` (an en dash too), each a time of day, the end not before the start."""
        value = self.data.get(key)
        if value is None:
            return None
        if not isinstance(value, str):
            self.error(key, f"'{key}' must be a time of day in quotes, not {type_name(value)}", TIME_HINT)
            return None
        span = read_time_span(value)
        if isinstance(span, str):
            self.error(key, f"'{key}' {span}", TIME_HINT)
            return None
        return span

    def texts(self, key: str) -> tuple[str, ...]:
        """A list of texts; a single text (or number) is accepted as a list of one."""
        return tuple(text for _, text in self.entries(key))

    def entries(self, key: str) -> list[tuple[SourcePos, str]]:
        """`texts`, each with where it is written."""
        value = self.data.get(key)
        if value is None:
            return []
        single = not isinstance(value, list)
        if single and (isinstance(value, bool) or not isinstance(value, str | int)):
            self.error(key, f"'{key}' must be a list of names or texts, not {type_name(value)}")
            return []
        result: list[tuple[SourcePos, str]] = []
        for index, item in enumerate([value] if single else value):
            pos = self.value_pos(key) if single else self.doc.value_pos(*self.where, key, index)
            if isinstance(item, bool) or not isinstance(item, str | int) or not str(item).strip():
                message = f"'{key}' entry {index + 1} must be text, not {type_name(item)}"
                self.diagnostics.error(self.doc.path, pos, message)
            elif CONTROL.search(text := str(item).strip()):
                self._control(key, text, pos)
            else:
                result.append((pos, text))
        return result

    def slugs(self, key: str, known: Iterable[str], kind: str) -> tuple[str, ...]:
        """Known slugs, each once (one given twice is a warning)."""
        known = tuple(known)
        result: list[str] = []
        for pos, slug in self.entries(key):
            if slug in result:
                self.diagnostics.warning(self.doc.path, pos, f"{kind} '{slug}' is listed twice")
            elif slug in known:
                result.append(slug)
            else:
                message = f"unknown {kind} '{slug}'"
                self.diagnostics.error(self.doc.path, pos, message, did_you_mean(slug, known))
        return tuple(result)

    def choice(self, key: str, allowed: tuple[T, ...], required: bool, what: str) -> T | None:
        value = self.text(key, required, what)
        if value is None:
            return None
        if value not in allowed:
            names = [str(a) for a in allowed]
            hint = did_you_mean(value, names) or f"use one of: {', '.join(names)}"
            self.error(key, f"'{key}' must be one of {', '.join(names)}, not '{value}'", hint)
            return None
        return value


def type_name(value: Any) -> str:
    if value is None:
        return "nothing"
    if isinstance(value, bool):
        return "true/false"
    if isinstance(value, str):
        return "text"
    if isinstance(value, int | float):
        return "a number"
    if isinstance(value, datetime | date):
        return "a date"
    if isinstance(value, list):
        return "a list"
    if isinstance(value, dict):
        return "a mapping"
    return type(value).__name__


def plain_path(path: str) -> bool:
    """Whether `path` is a plain path of this site (see `_PLAIN_PATH`)."""
    return bool(_PLAIN_PATH.match(path)) and not _PERCENT.search(path) and not _DOT_SEGMENT.search(path)


def plausible(fields: Fields, key: str, day: date) -> date | None:
    """`day`, unless it lies outside the days an archive may name (a diagnostic at `key`)."""
    if EARLIEST_DAY <= day <= LATEST_DAY:
        return day
    fields.error(
        key,
        f"'{key}' {day.isoformat()} is not a plausible day",
        f"dates lie between {EARLIEST_DAY.year} and {LATEST_DAY.year}",
    )
    return None


def read_time_span(text: str) -> TimeSpan | str:
    """`09:00` or `09:00-12:00` (an en dash too) as a TimeSpan, or what is wrong with it."""
    match = _TIME.match(text.strip())
    if not match:
        return f"is not a time of day: '{text}'"
    numbers = [int(n) for n in match.groups() if n is not None]
    pairs = list(zip(numbers[::2], numbers[1::2], strict=True))
    if any(hour > 23 or minute > 59 for hour, minute in pairs):
        return f"names a time of day that does not exist: '{text.strip()}'"
    start, *rest = [time(hour, minute) for hour, minute in pairs]
    end = rest[0] if rest else None
    if end is not None and end < start:
        return f"ends ({end:%H:%M}) before it starts ({start:%H:%M})"
    return TimeSpan(start, end)


def date_problem(key: str, value: Any) -> tuple[str, str]:
    """Why `value` (not a date to YAML) is not a date: a diagnostic's message and hint."""
    if not isinstance(value, str):
        return f"'{key}' must be a date, not {type_name(value)}", DATE_HINT
    match = _DATE_LIKE.match(value.strip())
    if match is None:
        return f"'{key}' is not a date: '{value}'", DATE_HINT
    year, month, day = (int(n) for n in match.groups())
    try:
        date(year, month, day)
    except ValueError:
        return f"'{key}' {value.strip()} is not a day of the calendar", "check the month and the day"
    message = f"'{key}' must have two-digit months and days: '{value.strip()}' is {year}-{month:02}-{day:02}"
    return message, DATE_HINT


def validate_site_config(doc: YamlDoc | None, diagnostics: Diagnostics) -> SiteConfig:
    fields = Fields.of(doc, diagnostics, "site.yml") if doc else None
    if fields is None:
        return SiteConfig(title="Protokollarkiv")
    fields.check_keys(SITE_KEYS, "site.yml")
    language = fields.choice("language", LANGUAGES, False, "site.yml") or "sv"
    config: dict[str, Any] = {}
    for sub, keys in (("contact", CONTACT_KEYS), ("accessibility", ACCESSIBILITY_KEYS), ("cms", CMS_KEYS)):
        if sub in fields.data and fields.data[sub] is not None:
            nested = Fields.of(fields.doc, diagnostics, f"'{sub}'", (sub,), fields.data[sub])
            if nested:
                nested.check_keys(keys, f"'{sub}'")
                config[sub] = nested
    contact = config.get("contact")
    a11y = config.get("accessibility")
    base_url = (fields.text("base_url") or "").rstrip("/")
    if base_url and not base_url.startswith(("https://", "http://")):
        fields.error("base_url", "'base_url' must start with https://", "e.g. https://arkiv.example.se")
        base_url = ""
    elif base_url and not _BASE_URL.match(base_url):
        fields.error(
            "base_url", f"'base_url' is not a web address: '{base_url}'", "e.g. https://arkiv.example.se"
        )
        base_url = ""
    return SiteConfig(
        title=fields.text("title", True, "site.yml") or "Protokollarkiv",
        description=fields.text("description") or "",
        base_url=base_url,
        language=language,
        organisation=fields.text("organisation") or "",
        contact_email=(contact.text("email") if contact else None) or "",
        accessibility_contact=(a11y.text("contact") if a11y else None) or "",
        accessibility_tested_on=a11y.date("tested_on") if a11y else None,
        accessibility_known_issues=a11y.texts("known_issues") if a11y else (),
        licence=fields.text("licence") or "",
        publish_years=fields.count("publish_years", 1, 1000),
        allowed_contacts=fields.texts("allowed_contacts"),
        **_cms(config.get("cms")),
    )


def _cms(fields: Fields | None) -> dict[str, str]:
    """site.yml's `cms`: the GitHub repository and branch the web editor commits to."""
    if fields is None:
        return {}
    found = {"cms_repo": fields.text("repo", True, "'cms'") or ""}
    if found["cms_repo"] and not _REPO.match(found["cms_repo"]):
        fields.error("repo", f"'repo' must name a GitHub repository as owner/name: '{found['cms_repo']}'")
        found["cms_repo"] = ""
    branch = fields.text("branch")
    if branch is not None:
        if not _BRANCH.match(branch) or ".." in branch:
            fields.error("branch", f"'branch' is not a git branch name: '{branch}'", "e.g. branch: main")
        else:
            found["cms_branch"] = branch
    return found


def validate_municipalities(doc: YamlDoc | None, diagnostics: Diagnostics) -> dict[str, Municipality]:
    result: dict[str, Municipality] = {}
    top = Fields.of(doc, diagnostics, "municipalities.yml") if doc else None
    if top is None:
        return result
    for slug, value in top.data.items():
        slug = str(slug)
        if not _SLUG.match(slug):
            top.error(
                slug, f"municipality slug '{slug}' is not a slug", f"use '{slugify(slug)}'", at_value=False
            )
            continue
        entry = Fields.of(top.doc, diagnostics, f"municipality '{slug}'", (slug,), value)
        if entry is None:
            continue
        entry.check_keys(MUNICIPALITY_KEYS, f"municipality '{slug}'")
        name = entry.text("name", True, f"municipality '{slug}'")
        code = entry.text("code", True, f"municipality '{slug}'")
        county = entry.text("county", True, f"municipality '{slug}'")
        if code is not None and (not _CODE.match(code) or not isinstance(value["code"], str)):
            entry.error("code", f"SCB code of '{slug}' must be four digits in quotes, e.g. '1496'")
        # Kept even when a field is wrong, so that meetings naming it do not cascade into errors.
        result[slug] = Municipality(slug, name or slug, code or "", county or "")
    return result


def validate_network(
    slug: str, doc: YamlDoc, municipalities: Mapping[str, Municipality], diagnostics: Diagnostics
) -> Network | None:
    what = f"network '{slug}'"
    fields = Fields.of(doc, diagnostics, what)
    if fields is None:
        return None
    fields.check_keys(NETWORK_KEYS, "network.yml")
    name = fields.text("name", True, what)
    members = fields.slugs("members", municipalities, "municipality")
    anslag = fields.flag("anslag") or False
    kept_at = fields.text("kept_at") or ""
    if anslag and not kept_at:
        fields.warning(
            "anslag",
            "a body with anslag names no place where its protocols are kept",
            "add 'kept_at:', e.g. kept_at: Kommunalförbundets kansli, Storgatan 1, Skövde",
        )
    if name is None:
        return None
    return Network(
        slug=slug,
        name=name,
        short_name=fields.text("short_name") or name,
        organiser=fields.text("organiser") or "",
        region=fields.text("region") or "",
        members=members,
        description=fields.text("description") or "",
        numbering=fields.choice("numbering", NUMBERINGS, False, what) or "continuous-per-year",
        anslag=anslag,
        kept_at=kept_at,
    )


def _participant(
    fields: Fields, municipalities: Mapping[str, Municipality], item_numbers: tuple[str, ...]
) -> Participant | None:
    """A participant entry; `item_numbers`: the numbers of the meeting's items, in order."""
    what = "participant"
    fields.check_keys(PARTICIPANT_KEYS, what)
    name = fields.text("name", True, what)
    municipality = fields.text("municipality")
    if municipality is not None and municipality not in municipalities:
        fields.error(
            "municipality",
            f"unknown municipality '{municipality}'",
            did_you_mean(municipality, municipalities) or "see content/municipalities.yml",
        )
        municipality = None
    party = fields.text("party")
    if party is not None and party not in PARTIES:
        fields.warning("party", f"unknown party code '{party}'", f"known codes: {', '.join(PARTIES)}")
    present = fields.data.get("present", True)
    if present is not None and not isinstance(present, bool):
        fields.error("present", "'present' must be true, false or null (not recorded)")
        present = True
    items = _item_numbers(fields, "items", item_numbers)
    recused = _item_numbers(fields, "recused", item_numbers)
    if name is None:
        return None
    return Participant(
        name=name,
        municipality=municipality,
        organisation=fields.text("organisation"),
        role=fields.text("role") or "",
        party=party,
        present=present,
        group=fields.text("group"),
        items=items,
        recused=recused,
    )


def _item_numbers(fields: Fields, key: str, item_numbers: tuple[str, ...]) -> tuple[str, ...]:
    """A participant's `items` or `recused`: numbers of items of the body, each a diagnostic if not."""
    found: list[str] = []
    for pos, text in fields.entries(key):
        number = text.removeprefix("§").strip()
        if number in item_numbers:
            found.append(number)
        else:
            listed = ", ".join(item_numbers[:12]) + (", …" if len(item_numbers) > 12 else "")
            fields.diagnostics.error(
                fields.doc.path,
                pos,
                f"'{key}' names {text}, which is not an item of these minutes",
                f"the items are numbered {listed}" if item_numbers else "the body has no numbered items",
            )
    return tuple(found)


def _attachment(fields: Fields, meeting_path: Path, beside: frozenset[str]) -> Attachment | None:
    """An attachment entry; `beside`: the files in the meeting's folder (relative, `/`-separated)."""
    fields.check_keys(ATTACHMENT_KEYS, "attachment")
    file = fields.text("file", True, "attachment")
    title = fields.text("title")
    if file is None or not _file_beside(fields, "file", file, "attachment", meeting_path, beside):
        return None
    return Attachment(file=file, title=title or Path(file).name, source=meeting_path.with_suffix("") / file)


def _original(fields: Fields, meeting_path: Path, beside: frozenset[str]) -> Attachment | None:
    """`original`: the signed protocol, a file in the meeting's folder (a PDF, as a rule)."""
    file = fields.text("original")
    if file is None or not _file_beside(fields, "original", file, "original", meeting_path, beside):
        return None
    if not file.lower().endswith(".pdf"):
        fields.warning("original", f"the signed original '{file}' is not a PDF", "scan or export it as PDF")
    return Attachment(file=file, title=Path(file).name, source=meeting_path.with_suffix("") / file)


def _correction(fields: Fields) -> Correction | None:
    what = "correction"
    fields.check_keys(CORRECTION_KEYS, what)
    when = fields.date("date", True, what)
    text = fields.text("text", True, what)
    return Correction(when, text) if when is not None and text is not None else None


def _file_beside(
    fields: Fields, key: str, file: str, what: str, meeting_path: Path, beside: frozenset[str]
) -> bool:
    """Whether `file` (the value of `key`) names a file in the meeting's folder; else a diagnostic."""
    folder = meeting_path.with_suffix("")
    if any(len(part.encode()) > NAME_BYTES for part in file.split("/")):
        fields.error(
            key,
            f"{what} name '{file[:40]}…' has a part longer than {NAME_BYTES} bytes",
            "give the file a shorter name",
        )
        return False
    name = posixpath.normpath(file)
    if Path(file).is_absolute() or name in (".", "..") or name.startswith(("../", "/")):
        fields.error(
            key,
            f"{what} '{file}' points outside the meeting's folder",
            f"put the file in {folder.name}/ beside the meeting and name it relative to that folder",
        )
        return False
    if name not in beside:
        fields.error(
            key,
            f"{what} '{file}' does not exist",
            did_you_mean(file, sorted(beside)) or f"put the file in {folder.name}/ beside the meeting",
        )
        return False
    return True


def _next_meeting(fields: Fields) -> tuple[date | str | None, DaySpan | None]:
    """`next_meeting` as shown (a date, or text as written) and the days it names, if any.

    A date; `2024-10-24--25` (days of one month) or `2024-10-30--2024-11-02`, maybe followed by
    words (`2024-10-24 kl. 13`); or free text such as `hösten 2025`. A text that starts like a
    date must start with one of these."""
    key = "next_meeting"
    raw = fields.data.get(key)
    if isinstance(raw, date) and not isinstance(raw, datetime):
        day = fields.date(key)
        return (day, DaySpan(day, day)) if day else (None, None)
    text = fields.text(key)
    if text is None or not _STARTS_LIKE_DAY.match(text):
        return text, None
    match = _DAYS.match(text)
    if match is None:
        message = f"'{key}' does not start with a day or a range of days: '{text}'"
        fields.error(key, message, "e.g. 2024-10-24 or 2024-10-24--25")
        return None, None
    first = _day(fields, key, match[1])
    rest = text[match.end() :].strip()
    if first is None or not match[2]:
        span = DaySpan(first, first, rest) if first else None
        return (first if text == match[1] else text), span
    last = _day(fields, key, match[2] if len(match[2]) > 2 else f"{match[1][:8]}{int(match[2]):02}")
    if last is None:
        return None, None
    if last < first:
        fields.error(key, f"'{key}' ends ({last.isoformat()}) before it begins ({first.isoformat()})")
        return None, None
    return text, DaySpan(first, last, rest)


def _day(fields: Fields, key: str, text: str) -> date | None:
    """The day `text` (YYYY-MM-DD) names, or None with a diagnostic at `key`'s value."""
    try:
        day = date.fromisoformat(text)
    except ValueError:
        message = f"'{key}' names {text}, which is not a day of the calendar"
        fields.error(key, message, "check the month and the day")
        return None
    return plausible(fields, key, day)


def _body_controls(source: MeetingSource, diagnostics: Diagnostics, most: int = 5) -> None:
    """An error at each of the first `most` lines of the body that hold a control character."""
    if not BODY_CONTROL.search(source.body):
        return
    shown = 0
    for offset, line in enumerate(source.body.split("\n")):
        found = BODY_CONTROL.search(line)
        if found and shown < most:
            shown += 1
            diagnostics.error(
                source.path,
                SourcePos(source.body_line + offset, found.start() + 1),
                f"the text holds the control character U+{ord(found[0]):04X}",
                CONTROL_HINT,
            )


def _list_of_mappings(
    fields: Fields, key: str, what: str, read: Callable[[Fields], T | None]
) -> tuple[T, ...]:
    value = fields.data.get(key)
    if value is None:
        return ()
    if not isinstance(value, list):
        fields.error(key, f"'{key}' must be a list, not {type_name(value)}")
        return ()
    result: list[T] = []
    for index, entry in enumerate(value):
        if isinstance(entry, str) and key == "attachments":
            entry = {"file": entry}
        sub = Fields.of(fields.doc, fields.diagnostics, what, (*fields.where, key, index), entry)
        if sub is not None:
            item = read(sub)
            if item is not None:
                result.append(item)
    return tuple(result)


def _item_key(key: object) -> str:
    """An item as `procedural:` names it (`103`, `'§ 103'`, `'11.'`, `'09:40'`) -> its number."""
    text = str(key).strip().removeprefix("§").strip().removesuffix(".")
    return text.replace(":", "").replace(".", "")


def _procedural(fields: Fields, items: tuple[ParsedItem, ...]) -> dict[str, bool]:
    """Item number -> formality or not, as the front matter's `procedural:` overrides the rule."""
    raw = fields.data.get("procedural")
    if raw is None:
        return {}
    where = Fields.of(fields.doc, fields.diagnostics, "'procedural'", ("procedural",), raw)
    if where is None:
        return {}
    numbers = {item.number for item in items if item.number}
    found: dict[str, bool] = {}
    for key, value in where.data.items():
        number = _item_key(key)
        if number not in numbers:
            known = ", ".join(item.label or item.number or "" for item in items if item.number)
            where.error(
                str(key),  # as the YAML node holds it: `7:` is the key "7"
                f"'procedural' names item {key}, which the minutes do not have",
                f"name an item by its number: {known}" if known else "the minutes have no numbered items",
                at_value=False,
            )
        elif not isinstance(value, bool):
            where.error(str(key), f"'procedural' of item {key} must be true or false, not {type_name(value)}")
        else:
            found[number] = value
    return found


def validate_meeting(
    source: MeetingSource,
    globals_: Globals,
    diagnostics: Diagnostics,
    body: ParsedBody,
    beside: frozenset[str] = frozenset(),
) -> Meeting | None:
    """A meeting from its front matter and its parsed `body`; `beside`: the files in its folder."""
    what = "meeting"
    networks, municipalities = globals_.networks, globals_.municipalities
    network_dirs = globals_.network_dirs
    fields = Fields.of(source.front, diagnostics, "the front matter")
    if fields is None:
        return None
    fields.check_keys(MEETING_KEYS, "meeting front matter")
    known_networks = sorted(set(network_dirs))
    when = fields.date("date", True, what)
    status: Status | None = fields.choice("status", STATUSES, True, what)

    if "networks" in fields.data:
        slugs = fields.slugs("networks", known_networks, "network")
        if slugs and slugs[0] != source.network_dir:
            fields.warning(
                "networks",
                f"the first network '{slugs[0]}' is not the folder's network '{source.network_dir}'",
                "the file lives in the folder of its primary network; list that one first",
            )
        if not fields.data.get("networks"):
            fields.error("networks", "'networks' must name at least one network")
    else:
        slugs = (source.network_dir,)
    slugs = tuple(dict.fromkeys(slugs))

    adjusted_on = fields.date("adjusted_on")
    if adjusted_on and when and adjusted_on < when:
        fields.warning("adjusted_on", "the minutes are adjusted before the meeting took place")
    posted_on = fields.date("posted_on")
    corrections = _list_of_mappings(fields, "corrections", "correction", _correction)
    unpublished = fields.text("unpublished")
    if "unpublished" in fields.data and not unpublished:
        fields.error(
            "unpublished",
            "'unpublished' must give the reason",
            "e.g. unpublished: gallrat enligt dokumenthanteringsplanen",
        )
    next_meeting, next_days = _next_meeting(fields)

    explicit: list[tuple[str, bool]] = []
    raw_munis = fields.data.get("municipalities")
    if raw_munis is not None:
        munis = Fields.of(fields.doc, diagnostics, "'municipalities'", ("municipalities",), raw_munis)
        for slug, state in munis.data.items() if munis else ():
            assert munis is not None
            slug = str(slug)
            if slug not in municipalities:
                munis.error(
                    slug, f"unknown municipality '{slug}'", did_you_mean(slug, municipalities), at_value=False
                )
                continue
            if isinstance(state, bool):
                explicit.append((slug, state))
            elif isinstance(state, str) and state.strip().lower() in ATTENDANCE_WORDS:
                explicit.append((slug, ATTENDANCE_WORDS[state.strip().lower()]))
            else:
                munis.error(slug, f"attendance of '{slug}' must be närvarande or frånvarande")

    slug_value = fields.text("slug")
    if slug_value is not None and not _SLUG.match(slug_value):
        fields.error(
            "slug", f"slug '{slug_value}' may only hold a-z, 0-9 and '-'", f"use '{slugify(slug_value)}'"
        )
        slug_value = None
    aliases: list[str] = []
    for pos, alias in fields.entries("aliases"):
        if not alias.startswith("/"):
            diagnostics.error(
                source.path, pos, f"alias '{alias}' must be a path on this site starting with '/'"
            )
        elif not plain_path(alias):
            diagnostics.error(source.path, pos, f"alias '{alias}' is not a plain path", PLAIN_PATH_HINT)
        else:
            aliases.append(alias)

    item_numbers = tuple(i.number for i in body.items if i.number)
    participants = _list_of_mappings(
        fields, "participants", "participant", lambda f: _participant(f, municipalities, item_numbers)
    )
    attachments = _list_of_mappings(
        fields, "attachments", "attachment", lambda f: _attachment(f, source.path, beside)
    )

    _body_controls(source, diagnostics)
    for message in body.messages:
        diagnostics.add(
            source.path,
            SourcePos(message.line, message.column),
            message.severity,
            message.message,
            message.hint,
        )
    overrides = _procedural(fields, body.items)
    items = []
    for i in body.items:
        formal = overrides.get(i.number or "", is_procedural(i.title))
        decisions = tuple(
            Decision(
                d.html, d.text, i.number, i.label, i.title, i.anchor, d.line, formal, i.votes, i.reservations
            )
            for d in i.decisions
        )
        recused = tuple(p.name for p in participants if i.number and i.number in p.recused)
        items.append(
            Item(
                *(i.number, i.label, i.title, i.anchor, decisions, i.line, formal),
                *(i.votes, i.reservations, recused),
            )
        )
    check_votes(items, participants, globals_.people, source.path, diagnostics)
    language = globals_.config.language
    body_html = with_item_notes(
        body.html,
        {
            item.anchor: f'<p class="recused"><strong>{translate("recused", language)}:</strong> '
            f"{escape(', '.join(item.recused))}</p>\n"
            for item in items
            if item.recused
        },
    )

    if when is None or status is None or not slugs:
        return None
    default_title = networks[slugs[0]].name if slugs[0] in networks else slugs[0]
    return Meeting(
        source=source.path,
        networks=slugs,
        date=when,
        title=fields.text("title") or default_title,
        status=status,
        time=fields.time_span("time"),
        place=fields.text("place"),
        adjusted_on=adjusted_on,
        posted_on=posted_on,
        corrections=tuple(sorted(corrections, key=lambda c: c.date)),
        unpublished=unpublished,
        chair=fields.texts("chair"),
        secretary=fields.text("secretary"),
        adjusters=fields.texts("adjusters"),
        participants=participants,
        municipalities=tuple(explicit),
        next_meeting=next_meeting,
        next_days=next_days,
        attachments=attachments,
        original=_original(fields, source.path, beside),
        slug=slug_value,
        aliases=tuple(aliases),
        body_html=body_html,
        items=tuple(items),
        positions={
            **{str(key): (pos.line, pos.column) for key, pos in source.front.keys_of()},
            **{
                f"participants.{index}": (pos.line, pos.column)
                for index, pos in source.front.keys_of("participants")
            },
            **{
                f"attachments.{index}": (pos.line, pos.column)
                for index, pos in source.front.keys_of("attachments")
            },
        },
    )


@dataclass(frozen=True)
class Globals:
    """What every meeting is validated against: the site, municipalities and networks."""

    config: SiteConfig
    municipalities: Mapping[str, Municipality]
    networks: Mapping[str, Network]
    network_dirs: tuple[str, ...]  # every network folder, even one whose network.yml is broken
    people: People = field(default_factory=lambda: People())  # content/people.yml

    @property
    def decision_label(self) -> str:
        return translate("decision", self.config.language)


def assemble_site(
    globals_: Globals, meetings: Iterable[Meeting], *, include_drafts: bool, today: date | None = None
) -> Site:
    """The Site model of every valid meeting; drafts only when asked for. Justerat minutes that
    left publication (`unpublished:`, or older than `publish_years` on `today`) are `gone`."""
    first_year = publication_cutoff(globals_.config.publish_years, today or date.today())
    shown: list[Meeting] = []
    gone: list[Meeting] = []
    for m in meetings:
        if not (include_drafts or not m.is_draft) or not all(
            slug in globals_.networks for slug in m.networks
        ):
            continue
        if m.unpublished or (first_year is not None and m.year < first_year):
            if not m.is_draft:
                gone.append(m)
            continue
        shown.append(m)
    site = build_site(globals_.config, globals_.municipalities, globals_.networks, shown)
    return replace(site, gone=tuple(sorted(gone, key=meeting_order, reverse=True)), people=globals_.people)
