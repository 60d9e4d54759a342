"""Person identity across meetings: one name per person, however the minutes spell it.

A person is a name, normalised (Unicode NFC, case, whitespace). `content/people.yml` joins the
spellings of one person (`aliases`), keeps a person off the person pages (`public: false`), and
declares people distinct whose names look alike. `near_duplicates` finds the spellings that are
probably one person written two ways (one or two letters apart, or with and without diacritics)
within one municipality or organisation, or between a meeting's chair, secretary or adjusters and
its participant list, as the seeds do ("Fäldt" and "Fältdt").
"""

from __future__ import annotations

import functools
import unicodedata
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable

from .diagnostics import Diagnostics, SourcePos
from .load import PEOPLE_FILE, YamlDoc
from .model import Meeting, People, Person, person_key
from .validate import Fields, type_name

PERSON_KEYS = ("name", "aliases", "public")
MOST_LETTERS_APART = 2  # spellings this many letters apart may be one person
RARER = 3  # across meetings, a spelling letters apart is a slip when the other is this many times as common
SHORTEST_LIKENESS = 8  # names shorter than this are compared by diacritics only ("Bo Ek", "Bo Åk")


@functools.cache
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


@functools.cache
def alike(a: str, b: str, most: int = MOST_LETTERS_APART) -> bool:
    """Whether two different keys are probably one person's name written two ways: the same but
    for diacritics, or the same first name and the rest at most `most` letters apart."""
    if a == b:
        return False
    folded_a, folded_b = _folded(a), _folded(b)
    if folded_a == folded_b:
        return True
    first_a, _, rest_a = folded_a.partition(" ")
    first_b, _, rest_b = folded_b.partition(" ")
    if first_a != first_b or min(len(a), len(b)) < SHORTEST_LIKENESS:
        return False
    return letters_apart(rest_a, rest_b, most) is not None


def first_name(key: str) -> str:
    """The first word without diacritics: names that may be alike share it."""
    return _folded(key).partition(" ")[0]


def diacritics_only(a: str, b: str) -> bool:
    return a != b and _folded(a) == _folded(b)


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
    """Warn at the rarer spelling of a name that is probably one person written two ways within
    one municipality or organisation across the archive (a spelling one or two letters apart only
    when it is much the rarer). Quiet for spellings people.yml joins or declares distinct."""
    # affiliation -> spelling -> the meetings that write it (the first with where it is written)
    groups: dict[str, dict[str, dict[int, tuple[Meeting, int]]]] = defaultdict(dict)
    for meeting in meetings:
        for index, participant in enumerate(meeting.participants):
            affiliation = participant.municipality or participant.organisation
            if affiliation:
                held_by = groups[affiliation].setdefault(participant.name, {})
                if id(meeting) not in held_by:
                    held_by[id(meeting)] = (meeting, index)

    counts: Counter[str] = Counter()
    for names in groups.values():
        for name, held_by in names.items():
            counts[person_key(name)] += len(held_by)

    def warn(meeting: Meeting, index: int, name: str, common: str) -> None:
        count = counts[person_key(common)]
        noun = "meeting" if count == 1 else "meetings"
        diagnostics.warning(
            meeting.source,
            _position(meeting, f"participants.{index}"),
            f"'{name}' looks like '{common}' ({count} {noun}): one person spelt two ways?",
            f"did you mean {common}? If they are two people, declare both in {PEOPLE_FILE}; if one, "
            f"give it the other spelling as an alias there",
        )

    for names in groups.values():
        held = {name: len(held_by) for name, held_by in names.items()}
        by_first: dict[str, list[str]] = defaultdict(list)  # only names with one first name can be alike
        for name in sorted(names, key=lambda n: (-held[n], n)):
            by_first[first_name(person_key(name))].append(name)
        for spelled in by_first.values():
            if len(spelled) > 1:
                first = {name: next(iter(names[name].values())) for name in spelled}
                _compare(spelled, first, held, people, warn)


def officers_unlike_the_list(meeting: Meeting, people: People, diagnostics: Diagnostics) -> None:
    """Warn at a chair, secretary or adjuster whose name is not on the meeting's participant list
    but one letter (or diacritics) from a name that is: the officer is on the list, spelt another
    way (the seeds' 'Fältdt' and 'Fäldt'). A function of the meeting alone: reviews keep it."""
    listed = {person_key(p.name): p.name for p in meeting.participants}
    officers = [*(("chair", n) for n in meeting.chair), *(("adjusters", n) for n in meeting.adjusters)]
    if meeting.secretary:
        officers.append(("secretary", meeting.secretary))
    for where, name in officers:
        key = person_key(name)
        if key in listed:
            continue
        for other_key, other in listed.items():
            if alike(other_key, key, 1) and not _quiet(other, name, people):
                diagnostics.warning(
                    meeting.source,
                    _position(meeting, where),
                    f"'{name}' looks like '{other}' of the participant list: one person spelt two ways?",
                    f"did you mean {other}? If they are two people, declare both in {PEOPLE_FILE}; "
                    f"if one, give it the other spelling as an alias there",
                )
                break


def _compare(
    spelled: list[str],
    first: dict[str, tuple[Meeting, int]],  # where each spelling is first written (participant index)
    held: dict[str, int],
    people: People,
    warn: Callable[[Meeting, int, str, str], None],
) -> None:
    """Warn at each spelling of `spelled` (most common first) that is probably a slip for a more
    common one."""
    for i, common in enumerate(spelled):
        for rare in spelled[i + 1 :]:
            a, b = person_key(common), person_key(rare)
            # Letters apart is a weak sign across meetings (Jansson and Hansson are two people):
            # only a spelling much rarer than the other is taken for a slip.
            rarer = held[rare] * RARER <= held[common]
            if not (diacritics_only(a, b) or (rarer and alike(a, b))) or _quiet(common, rare, people):
                continue
            meeting, index = first[rare]
            warn(meeting, index, rare, common)


def _quiet(a: str, b: str, people: People) -> bool:
    return people.same(a, b) or people.distinct(a, b)
