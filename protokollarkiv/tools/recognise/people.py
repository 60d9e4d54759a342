"""People in minutes: names, "Name, Place" lines, role headings and party codes."""

from __future__ import annotations

import re

from .found import Person
from .places import Gazetteer

PARTIES = ("S", "M", "V", "L", "KD", "C", "MP", "SD")
_PARTY = re.compile(rf"\s*\((?P<party>{'|'.join(PARTIES)})\)")
_NAME_WORD = re.compile(r"^(?:[A-ZÅÄÖÉÈÜ][a-zåäöéèüA-ZÅÄÖ'’]*(?:-[A-ZÅÄÖa-zåäö][\w'’]*)*|[A-ZÅÄÖ]\.?)$")
_PARTICLES = {"von", "af", "de", "van", "der", "la", "del"}
# Capitalised words that start no person's name in minutes.
_NOT_NAMES = {
    "region", "kommun", "protokoll", "mötet", "ordförande", "sekreterare", "justerare", "plats", "tid",
    "datum", "beslut", "närvarande", "frånvarande", "ledamöter", "ersättare", "övriga", "paragraf",
    "bilaga", "dnr", "nästa", "förslag", "punkt", "ärende", "chefsgrupp", "sammanträde", "justerat",
}  # fmt: skip
_BULLET = re.compile(r"^(?:[-•*–]\s+)")
_ORG_FIRST = re.compile(r"^(?:region|länsstyrelsen|polis\w*|skr\b|skolverket)", re.IGNORECASE)
_NOT_IN_NAMES = {"region", "kommun", "län", "kommunalförbund", "universitet"}

# Headings that say in what role (and whether present) the people under them took part.
ROLE_HEADINGS: tuple[tuple[re.Pattern[str], str | None, bool | None], ...] = tuple(
    (re.compile(rf"^(?:{pattern})\s*:?$", re.IGNORECASE), role, present)
    for pattern, role, present in (
        (r"(?:ej|icke) tjänstgörande ersättare", "ersättare", False),
        (r"tjänstgörande ersättare", "ersättare", True),
        (r"beslutande(?: ledamöter)?|tjänstgörande ledamöter", "beslutande", True),
        (r"närvarande ledamöter", "ledamot", True),
        (r"ledamöter|ledamot", "ledamot", None),
        (r"ersättare", "ersättare", None),
        (
            r"övriga (?:deltagande|deltagare|närvarande)|övriga|närvarande övriga|gäster|inbjudna",
            "övrig",
            True,
        ),
        (r"adjungerade?", "adjungerad", True),
        (r"(?:närvarande )?tjänste(?:personer|män|man|person)", "tjänsteperson", True),
        (r"närvarande|deltagare|deltagande|närvaro", None, True),
        (r"frånvarande|anmält förhinder|ej närvarande", None, False),
    )
)


def role_heading(line: str) -> tuple[str | None, bool | None] | None:
    """(role, present) when `line` is a heading such as "Beslutande" or "Frånvarande:"."""
    text = line.strip().strip("*_").strip()
    for pattern, role, present in ROLE_HEADINGS:
        if pattern.match(text):
            return role, present
    return None


def is_name(text: str) -> bool:
    """Whether `text` reads as a person's name: two to five capitalised words ("Anita T Ladinek")."""
    words = text.split()
    if not 2 <= len(words) <= 5 or words[0].casefold() in _NOT_NAMES:
        return False
    if any(w.casefold() in _NOT_IN_NAMES for w in words):
        return False
    return all(_NAME_WORD.match(w) or w in _PARTICLES for w in words) and bool(_NAME_WORD.match(words[-1]))


def names(text: str) -> list[str]:
    """The names in "Katarina Lindberg/Pär Arvidsson" or "Anna A och Bo B", without places after commas."""
    parts = re.split(r"\s*/\s*|\s+och\s+|\s*;\s*|\s*&\s*", text.strip())
    found: list[str] = []
    for part in parts:
        name = _PARTY.sub("", part).split(",")[0].strip()
        if is_name(name):
            found.append(name)
    return found


def person(line: str, places: Gazetteer) -> Person | None:
    """One person from "Name, Place", "Name Place", "Name Title", "Name (S)" or "Name"."""
    text = _BULLET.sub("", line.strip()).strip()
    party = None
    if m := _PARTY.search(text):
        party, text = m["party"], (text[: m.start()] + text[m.end() :]).strip()
    if "\t" in text:
        text = text.replace("\t", ", ", 1).replace("\t", " ")
    if "," in text:
        name, rest = (part.strip() for part in text.split(",", 1))
        if not is_name(name):
            return None
        found = places.affiliation(rest)
        return Person(name, found.municipality, found.organisation, found.role, party)
    words = text.split()
    splits = []  # (name, place) where the words after a name are a municipality or an organisation
    for size in (2, 3, 4):
        name, rest = " ".join(words[:size]), " ".join(words[size:])
        if rest and is_name(name):
            found = places.affiliation(rest)
            if (found.municipality or found.organisation) and not found.role:
                splits.append((name, found))
    if splits:  # a municipality, else an organisation starting with its kind ("Region …")
        name, found = min(
            splits, key=lambda s: (s[1].municipality is None, not _ORG_FIRST.match(s[1].organisation or ""))
        )
        return Person(name, found.municipality, found.organisation, None, party)
    if is_name(text):
        return Person(text, party=party)
    if len(words) > 2 and is_name(" ".join(words[:2])):
        return Person(" ".join(words[:2]), role=" ".join(words[2:]), party=party)
    return None


def name_list(line: str) -> list[Person] | None:
    """People on one line of names alone: "Anna Berg (S), Bo Ek och Cecilia Lund"."""
    pieces = [
        p.strip() for p in re.split(r",\s*|\s+och\s+", _BULLET.sub("", line.strip()).rstrip(".")) if p.strip()
    ]
    if len(pieces) < 2:
        return None
    found: list[Person] = []
    for piece in pieces:
        party = m["party"] if (m := _PARTY.search(piece)) else None
        name = _PARTY.sub("", piece).strip()
        if not is_name(name):
            return None
        found.append(Person(name, party=party))
    return found


def pairs(line: str, places: Gazetteer) -> list[Person] | None:
    """People on one line of "Name, Place Name, Place …" (three pairs or more), else None."""
    pieces = [p.strip() for p in line.split(",")]
    if len(pieces) < 4 or not is_name(pieces[0]):
        return None
    people: list[Person] = []
    name = pieces[0]
    for piece in pieces[1:-1]:
        split = places.split_prefix(piece)
        if split is None:
            words = piece.split()
            if len(words) < 3 or not is_name(" ".join(words[-2:])):
                return None
            found, rest = places.affiliation(" ".join(words[:-2])), " ".join(words[-2:])
        else:
            found, rest = split
        if not is_name(rest):
            return None
        people.append(Person(name, found.municipality, found.organisation, found.role))
        name = rest
    last = places.affiliation(pieces[-1])
    people.append(Person(name, last.municipality, last.organisation, last.role))
    return people
