"""Personal data in a meeting file: personnummer, samordningsnummer, phone numbers, e-mail addresses.

`scan` is pure (text in, findings out); `check_meeting` places the findings of one meeting file
at their line and column. The rules, and what they must not mistake for personal data, are in
docs/architecture.md ("Where the code refines DESIGN.md").
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import date
from typing import Literal

from ..diagnostics import Diagnostics, Severity, SourcePos
from ..load import MeetingSource, index_pos
from ..model import SiteConfig

Kind = Literal["personnummer", "samordningsnummer", "phone", "email"]


@dataclass(frozen=True)
class Finding:
    kind: Kind
    start: int  # offset in the scanned text
    text: str  # as written

    @property
    def end(self) -> int:
        return self.start + len(self.text)


_DASHES = r"\-\u2010\u2011\u2013\u2212"  # word processors turn '-' into a hyphen, en dash or minus
# A number stands alone: not continued from a letter, a digit, a path (`KS 2024/…`), a sign, or a
# digit and a joining mark (`2024-…`, `1.…`); and not continued into one either.
_BEFORE = rf"(?<![\w/+])(?<![0-9][{_DASHES}/.,:+])"
_AFTER = rf"(?![\w/+])(?![{_DASHES}/.,:][0-9])"

# The patterns below are tried only where a run of digits begins (or at the '+' of +46): a pass
# over the text for digit runs is four times faster than `finditer` with the lookbehinds.
# (`[0-9][0-9]*` rather than `[0-9]+`: re scans for it faster.)
_DIGIT_RUN = re.compile(r"[0-9][0-9]*")
_ID_NUMBER = re.compile(
    _BEFORE
    + rf"""(?:
        (?P<century>19|20)(?P<date12>[0-9]{{6}})(?P<sep12>[{_DASHES}]?)(?P<serial12>[0-9]{{4}})
      | (?P<date10>[0-9]{{6}})(?P<sep10>[{_DASHES}+]?)(?P<serial10>[0-9]{{4}})
    )"""
    + _AFTER
    + r"(?!\s?(?:kr\b|kronor\b|SEK\b|:-))",  # an amount
    re.VERBOSE,
)
# A Swedish phone number: 0 or +46 (with an optional "(0)"), then 7 to 9 digits, grouped by
# spaces or dashes: 070-123 45 67, 0500-49 30 00, 08-123 456 78, +46 70 123 45 67.
_PHONE = re.compile(
    _BEFORE
    + rf"(?:\+46[ \u00a0{_DASHES}]?(?:\(0\)[ \u00a0{_DASHES}]?)?|0)[1-9](?:[ \u00a0{_DASHES}]?[0-9]){{6,8}}"
    + _AFTER
)
# Bounded parts: a scan stays linear in the text however long a run of letters is.
_EMAIL = re.compile(r"(?<![\w.%+-])[\w.%+-]{1,64}@[\w-]{1,63}(?:\.[\w-]{1,63}){0,8}\.[^\W\d_]{2,24}(?![\w-])")
# A time range written as a phone number would be (kl 0900-1200) is not one.
_TIME_RANGE = re.compile(rf"(?:[01][0-9]|2[0-3])[0-5][0-9][{_DASHES}](?:[01][0-9]|2[0-3])[0-5][0-9]")
# Words before a bare ten-digit number that say it is a phone number (0701234567 could be either).
_PHONE_WORD = re.compile(r"(?i)\b(?:tel|tfn|telefon|mobil|mob|växel|sms|fax|ring)\w*\W{0,3}$")


def luhn_valid(digits: str) -> bool:
    """Whether the last digit is the Luhn check digit of the others (weights 2, 1, 2, … from the left
    of a ten-digit number)."""
    total = 0
    for index, char in enumerate(reversed(digits)):
        product = int(char) * (2 if index % 2 else 1)
        total += product - 9 if product > 9 else product
    return total % 10 == 0


def _exists(years: Iterable[int], month: int, day: int) -> bool:
    for year in years:
        try:
            date(year, month, day)
        except ValueError:
            continue
        return True
    return False


def _identity_number(found: re.Match[str]) -> Kind | None:
    """The kind of identity number the match is (a real day, the check digit), or None."""
    if found["century"]:
        digits = found["date12"] + found["serial12"]
        years: tuple[int, ...] = (int(found["century"] + found["date12"][:2]),)
    else:
        digits = found["date10"] + found["serial10"]
        yy = int(digits[:2])
        # `+` marks a person of a hundred or more; which century the date is in only matters for 29 February.
        years = (1800 + yy, 1900 + yy) if found["sep10"] == "+" else (1900 + yy, 2000 + yy)
    month, day = int(digits[2:4]), int(digits[4:6])
    kind: Kind = "personnummer"
    if day > 60:  # a samordningsnummer's day is the birth day plus 60
        kind, day = "samordningsnummer", day - 60
    if not _exists(years, month, day) or not luhn_valid(digits):
        return None
    return kind


def normal_phone(text: str) -> str:
    """A phone number as digits in its national form: `+46 (0)70-123 45 67` → `0701234567`."""
    text = text.replace("(0)", "")
    digits = "".join(char for char in text if char.isdigit() and char.isascii())
    if text.lstrip().startswith("+46"):
        return "0" + digits[2:]
    if digits.startswith("0046"):
        return "0" + digits[4:]
    return digits


@dataclass(frozen=True)
class Allowed:
    """The contacts minutes may name: phone numbers (compared in their national digits) and e-mail
    addresses (compared without case); an entry `@domain` allows every address at that domain."""

    phones: frozenset[str] = frozenset()
    emails: frozenset[str] = frozenset()
    domains: frozenset[str] = frozenset()

    @classmethod
    def of(cls, entries: Iterable[str]) -> Allowed:
        phones: set[str] = set()
        emails: set[str] = set()
        domains: set[str] = set()
        for entry in entries:
            entry = entry.strip().removeprefix("mailto:").casefold()
            if entry.startswith("@"):
                domains.add(entry[1:])
            elif "@" in entry:
                emails.add(entry)
            elif entry and normal_phone(entry):
                phones.add(normal_phone(entry))
        return cls(frozenset(phones), frozenset(emails), frozenset(domains))

    @classmethod
    def of_site(cls, config: SiteConfig) -> Allowed:
        """`allowed_contacts` of site.yml, and the contacts the site itself publishes."""
        return cls.of([*config.allowed_contacts, config.contact_email, config.accessibility_contact])

    def allows(self, finding: Finding) -> bool:
        if finding.kind == "email":
            address = finding.text.casefold()
            return address in self.emails or address.rpartition("@")[2] in self.domains
        return normal_phone(finding.text) in self.phones


NOTHING_ALLOWED = Allowed()


def _phone_like(text: str, found: re.Match[str], allowed: Allowed) -> bool:
    """Whether a bare ten-digit number that starts with 0 is a phone number: allowed as one, or
    written after a word such as "tel" on its line."""
    number = found[0]
    if not (len(number) == 10 and number.isdigit() and number.startswith("0")):
        return False
    if allowed.allows(Finding("phone", found.start(), number)):
        return True
    line_start = text.rfind("\n", 0, found.start()) + 1
    return _PHONE_WORD.search(text, max(line_start, found.start() - 40), found.start()) is not None


def find_identity_numbers(text: str, allowed: Allowed = NOTHING_ALLOWED) -> list[Finding]:
    """Every personnummer and samordningsnummer in `text`, in order."""
    found: list[Finding] = []
    for run in _DIGIT_RUN.finditer(text):
        match = _ID_NUMBER.match(text, run.start()) if len(run[0]) in (6, 8, 10, 12) else None
        kind = _identity_number(match) if match else None
        if match and kind and not _phone_like(text, match, allowed):
            found.append(Finding(kind, match.start(), match[0]))
    return found


def _phone_numbers(text: str) -> Iterator[re.Match[str]]:
    end = 0
    for run in _DIGIT_RUN.finditer(text):
        start, digits = run.start(), run[0]
        if start < end:
            continue  # a later group of the last number
        if digits.startswith("46") and text[start - 1 : start] == "+":
            start -= 1
        elif not (len(digits) > 1 and digits[0] == "0" and digits[1] != "0"):
            continue
        match = _PHONE.match(text, start)
        if match and not _TIME_RANGE.fullmatch(match[0]):
            end = match.end()
            yield match


def find_contacts(
    text: str, allowed: Allowed = NOTHING_ALLOWED, taken: Iterable[Finding] = ()
) -> list[Finding]:
    """Every phone number and e-mail address in `text` that `allowed` does not allow, in order;
    none inside a span already `taken` (by an identity number, or a phone inside an address)."""
    spans = [(f.start, f.end) for f in taken]

    def free(start: int, end: int) -> bool:
        return all(end <= a or start >= b for a, b in spans)

    found: list[Finding] = []
    emails: Iterable[re.Match[str]] = _EMAIL.finditer(text) if "@" in text else ()
    kinds: tuple[tuple[Kind, Iterable[re.Match[str]]], ...] = (
        ("email", emails),
        ("phone", _phone_numbers(text)),
    )
    for kind, matches in kinds:
        for match in matches:
            finding = Finding(kind, match.start(), match[0])
            if free(finding.start, finding.end):
                spans.append((finding.start, finding.end))
                if not allowed.allows(finding):
                    found.append(finding)
    return sorted(found, key=lambda f: f.start)


def scan(text: str, allowed: Allowed = NOTHING_ALLOWED, contacts: bool = True) -> list[Finding]:
    """The personal data in `text`, in order: identity numbers, and phone numbers and e-mail
    addresses (unless allowed) when `contacts`."""
    numbers = find_identity_numbers(text, allowed)
    if not contacts:
        return numbers
    return sorted([*numbers, *find_contacts(text, allowed, numbers)], key=lambda f: f.start)


def masked(number: str) -> str:
    """An identity number as a message may show it: its last four digits as `*`."""
    return number[:-4] + "****"


CONTACT_HINT = (
    "remove it, or if it is the organisation's own (a switchboard) add it to allowed_contacts in site.yml"
)


def check_meeting(source: MeetingSource, allowed: Allowed, diagnostics: Diagnostics) -> None:
    """Report the personal data of one meeting file: identity numbers in the front matter and the
    body (an error unless the minutes are a draft), phone numbers and e-mail addresses in the body
    (a warning)."""
    front = source.front
    draft = isinstance(front.data, dict) and front.data.get("status") == "utkast"
    parts = ((front.text, front.first_line, False), (source.body, source.body_line, True))
    for text, first_line, contacts in parts:
        for finding in scan(text, allowed, contacts):
            _report(source, finding, index_pos(text, finding.start, first_line), draft, diagnostics)


def _report(
    source: MeetingSource, finding: Finding, pos: SourcePos, draft: bool, diagnostics: Diagnostics
) -> None:
    if finding.kind in ("phone", "email"):
        message = (
            f"the minutes show the phone number {finding.text}"
            if finding.kind == "phone"
            else f"the minutes show the e-mail address {finding.text}"
        )
        diagnostics.warning(source.path, pos, message, CONTACT_HINT)
        return
    shown = masked(finding.text)  # never the whole number, not even in a log
    message = f"the minutes show a {finding.kind} ({shown})"
    phone_shaped = finding.text.isdigit() and finding.text.startswith("0") and len(finding.text) == 10
    hint = (
        f"if it is a phone number, put a dash after the area code; if not, remove it or mask it as {shown}"
        if phone_shaped
        else f"remove it or mask it as {shown} before the minutes are justerat"
        if draft
        else f"remove it or mask it as {shown}: justerat minutes are published"
    )
    diagnostics.add(source.path, pos, Severity.WARNING if draft else Severity.ERROR, message, hint)
