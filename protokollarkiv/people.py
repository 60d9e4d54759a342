"""Person identity across meetings: one name per person, however the minutes spell it.

A person is a name, normalised (Unicode NFC, case, whitespace). `content/people.yml` joins the
spellings of one person (`aliases`), keeps a person off the person pages (`public: false`), and
declares people distinct whose names look alike. `near_duplicates` finds the spellings that are
probably one person written two ways (one or two letters apart, or with and without diacritics)
within one municipality or organisation, or between a meeting's chair, secretary or adjusters and
its participant list, as the seeds do ("Fäldt" and "Fältdt").
"""

from __future__ import annotations

import unicodedata
from collections import Counter, defaultdict
from collections.abc import Iterable

from .diagnostics import Diagnostics, SourcePos
from .load import PEOPLE_FILE, YamlDoc
from .model import Meeting, People, Person, person_key
from .validate import Fields, type_name

PERSON_KEYS = ("name", "aliases", "public")
MOST_LETTERS_APART = 2  # spellings this many letters apart may be one person
SHORTEST_LIKENESS = 8  # names shorter than this are compared by diacritics only ("Bo Ek", "Bo Åk")


def _folded(key: str) -> str:
    """A key without diacritics: 'hjöberg' and 'hjoberg' fold alike."""
    decomposed = unicodedata.normalize("NFKD", key)
    return "".join(c for c in decomposed if not unicodedata.combining(c))


def letters_apart(a: str, b: str, most: int = MOST_LETTERS_APART) -> int | None:
    """The edit distance of `a` and `b` (insert, delete, replace, swap two neighbours) when it is
    at most `most`; None when it is more (found without filling the whole table)."""
    if abs(len(a) - len(b)) > most:
        return None
    previous_row: list[int] | None = None
    row = list(range(len(b) + 1))
    for i in range(1, len(a) + 1):
        current = [i] + [0] * len(b)
        for j in range(1, len(b) + 1):
            cost = a[i - 1] != b[j - 1]
            current[j] = min(row[j] + 1, current[j - 1] + 1, row[j - 1] + cost)
            if previous_row is not None and i > 1 and j > 1 and a[i - 1] == b[j - 2] and a[i - 2] == b[j - 1]:
                current[j] = min(current[j], previous_row[j - 2] + 1)
        if min(current) > most:
            return None
        previous_row, row = row, current
    return row[-1] if row[-1] <= most else None


def alike(a: str, b: str) -> bool:
    """Whether two different keys are probably one person's name written two ways."""
    if a == b:
        return False
    if _folded(a) == _folded(b):
        return True
    if min(len(a), len(b)) < SHORTEST_LIKENESS:
        return False
    return letters_apart(_folded(a), _folded(b)) is not None


def read_people(doc: YamlDoc | None, diagnostics: Diagnostics) -> People:
    """`people.yml`: a list of people, each `{name, aliases, public}`. A spelling claimed twice
    (by one person or by two) is an error naming both lines."""
    if doc is None:
        return People()
    if not isinstance(doc.data, list):
        where = SourcePos(1, 1)
        diagnostics.error(
            doc.path, where, f"{PEOPLE_FILE} must be a list of people, not {type_name(doc.data)}"
        )
        return People()
    declared: list[Person] = []
    claimed: dict[str, tuple[Person, SourcePos]] = {}
    for index, entry in enumerate(doc.data):
        fields = Fields.of(doc, diagnostics, "a person", (index,), entry)
        if fields is None:
            continue
        fields.check_keys(PERSON_KEYS, "a person")
        name = fields.text("name", True, "a person")
        public = fields.flag("public")
        if name is None:
            continue
        person = Person(name, fields.texts("aliases"), public is not False, fields.here().line)
        spellings = [(name, fields.value_pos("name"))]
        spellings += [(text, pos) for pos, text in fields.entries("aliases")]
        for spelling, pos in spellings:
            key = person_key(spelling)
            if key in claimed:
                other, where = claimed[key]
                whose = "this person" if other is person else f"'{other.name}'"
                diagnostics.error(
                    doc.path,
                    pos,
                    f"the spelling '{spelling}' is claimed twice: also by {whose} at line {where.line}",
                    "give each spelling to one person only",
                )
                continue
            claimed[key] = (person, pos)
        declared.append(person)
    return People(tuple(declared), {key: person for key, (person, _) in claimed.items()})


def _position(meeting: Meeting, where: str) -> SourcePos:
    line, column = meeting.positions.get(where, (1, 1))
    return SourcePos(line, column)


def near_duplicates(meetings: Iterable[Meeting], people: People, diagnostics: Diagnostics) -> None:
    """Warn at the rarer spelling of a name that is probably one person written two ways: within
    one municipality or organisation across the archive, and between a meeting's chair, secretary
    or adjusters and its participants. Quiet for spellings people.yml joins or declares distinct."""
    groups: dict[str, dict[str, list[tuple[Meeting, str]]]] = defaultdict(lambda: defaultdict(list))
    officers: list[tuple[Meeting, str, str]] = []  # (meeting, name, front-matter key)
    for meeting in meetings:
        for index, participant in enumerate(meeting.participants):
            affiliation = participant.municipality or person_key(participant.organisation or "")
            if affiliation:
                groups[affiliation][participant.name].append((meeting, f"participants.{index}"))
        for key, written in (("chair", meeting.chair), ("adjusters", meeting.adjusters)):
            officers.extend((meeting, name, key) for name in written)
        if meeting.secretary:
            officers.append((meeting, meeting.secretary, "secretary"))

    counts: Counter[str] = Counter()
    for names in groups.values():
        for name, places in names.items():
            counts[person_key(name)] += len({id(m) for m, _ in places})

    def warn(meeting: Meeting, where: str, name: str, common: str) -> None:
        count = counts[person_key(common)]
        noun = "meeting" if count == 1 else "meetings"
        diagnostics.warning(
            meeting.source,
            _position(meeting, where),
            f"'{name}' looks like '{common}' ({count} {noun}): one person spelt two ways?",
            f"did you mean {common}? If they are two people, declare both in {PEOPLE_FILE}; if one, "
            f"give it the other spelling as an alias there",
        )

    for names in groups.values():
        spelled = sorted(names, key=lambda n: (-len({id(m) for m, _ in names[n]}), n))
        for i, common in enumerate(spelled):
            for rare in spelled[i + 1 :]:
                if _quiet(common, rare, people) or not alike(person_key(common), person_key(rare)):
                    continue
                meeting, where = names[rare][0]
                warn(meeting, where, rare, common)
    for meeting, name, where in officers:
        listed = [p.name for p in meeting.participants]
        if any(person_key(name) == person_key(other) for other in listed):
            continue
        for other in listed:
            if not _quiet(other, name, people) and alike(person_key(other), person_key(name)):
                warn(meeting, where, name, other)
                break


def _quiet(a: str, b: str, people: People) -> bool:
    return people.same(a, b) or people.distinct(a, b)
