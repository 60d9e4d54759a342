"""One file's lines as recognised minutes: header fields, participants, items, decisions."""

from __future__ import annotations

import difflib
import re
from collections import Counter
from dataclasses import replace

from . import items as item_rules
from . import people
from .found import Confidence, Guess, Item, Person, Recognised
from .places import Gazetteer
from .when import FoundDate, find_dates, find_time, years_in

# Labels of the header's fields; a label stands before its value ("Sekreterare: X", "Sekreterare"
# over "X") or, in a signature block, under it ("X" over "Ordförande").
LABELS: tuple[tuple[str, re.Pattern[str]], ...] = tuple(
    (kind, re.compile(rf"^(?:{pattern})$", re.IGNORECASE))
    for kind, pattern in (
        (
            "posted_on",
            r"datum då anslaget (?:sätts|sattes) upp|anslaget (?:sätts|sattes) upp|anslaget den|anslagsdatum",
        ),
        ("taken_down", r"datum då anslaget (?:tas|togs) ned|anslaget (?:tas|togs) ned"),
        (
            "adjusted_on",
            r"justerat den|justeringsdatum|justeringens (?:plats och )?tid|justerad den|justerat",
        ),
        ("chair", r"ordförande|ordf\.?|mötesordförande|mötets ordförande"),
        ("secretary", r"sekreterare|vid protokollet|protokollförare|sekr\.?|protokollet fört av"),
        ("adjusters", r"justerare|justerande|utses att justera|justeras|justeringspersoner|justeringsperson"),
        ("when_where", r"tid och plats|plats och tid|sammanträdets tid och plats"),
        ("date", r"datum|sammanträdesdatum|mötesdatum|tid|när|dag"),
        ("place", r"plats|lokal|mötesplats|sammanträdesplats"),
        ("next", r"nästa möte|nästa sammanträde|kommande möte"),
        ("kept_at", r"förvaringsplats för protokollet|förvaringsplats"),
        ("body", r"organ|instans|sammanträdesorgan"),
    )
)
_NAME_KINDS = ("chair", "secretary", "adjusters")
_DATE_KINDS = ("posted_on", "taken_down", "adjusted_on", "date", "when_where")
_INLINE = re.compile(r"^\**(?P<label>[A-ZÅÄÖa-zåäö][\w ./åäöÅÄÖ-]{1,45}?)\**\s*(?::\**|\t)\s*(?P<value>.*)$")
_TITLE = re.compile(
    r"^(?:sammanträdes)?protokoll(?:\s+(?:för|från|fört vid|vid))?\s*:?\s*(?P<rest>.*)$", re.I
)
_PRESENCE = re.compile(r"^(?P<who>.+?)\s+\**(?P<state>närvarande|frånvarande)\**\.?$", re.IGNORECASE)
_TABLE_HEAD = re.compile(r"\b(?:namn|ledamot|ledamöter|deltagare)\b", re.IGNORECASE)
_TAIL = re.compile(
    r"^(?:anslag\s*/\s*bevis|anslagsbevis|underskrifter|vid protokollet\b.*|justeras\s*:.*)$", re.IGNORECASE
)
_NEXT = re.compile(
    r"^\**nästa (?:möte|sammanträde)\**\s*(?::|äger rum|blir|är)?\s*\**\s*(?P<value>.+)$", re.I
)
_INTRO_TITLES = re.compile(
    r"^(?:inledning|dagens agenda|dagordning|välkommen|mötets öppnande|närvaro)$", re.I
)


def label_of(line: str) -> tuple[str, str, str] | None:
    """(kind, label, value) of a header line "Label: value", "Label<TAB>value" or a bare "Label"."""
    text = line.strip()
    m = _INLINE.match(text)
    candidates = [(m["label"].strip().strip("*"), m["value"].strip().strip("*").strip())] if m else []
    candidates.append((text.rstrip(":").strip("*").strip(), ""))
    for label, value in candidates:
        for kind, pattern in LABELS:
            if pattern.match(label):
                return kind, label, value
    return None


def recognise(lines: list[str], places: Gazetteer) -> Recognised:
    found = Recognised()
    style, headings = item_rules.find_headings(lines)
    found.numbering = style
    first = headings[0].index if headings else len(lines)
    tail = _tail_start(lines, headings[-1].end if headings else len(lines), places)
    header = list(range(first)) + list(range(tail, len(lines)))
    used = _fields(lines, header, found, places)
    _participants(lines, [i for i in header if i not in used and i < first], found, places, used)
    _participants(lines, [i for i in header if i not in used and i >= tail], found, places, used)
    intro = _intro_start(lines, first, used)
    found.unused = [lines[i] for i in header if i not in used and (intro is None or not intro <= i < first)]
    if intro is not None:
        found.items.extend(_intro_items(lines[intro:first]))
    for n, heading in enumerate(headings):
        end = headings[n + 1].index if n + 1 < len(headings) else tail
        found.items.append(item_rules.item(heading, heading.title, lines[heading.end : end]))
    _next_meeting(lines, found)
    _date_fallback(lines, first, found)
    _check_names(found)
    return found


def _tail_start(lines: list[str], start: int, places: Gazetteer) -> int:
    """Where the participants list or signature block after the last item begins."""
    for i in range(start, len(lines)):
        line = lines[i]
        nxt = lines[i + 1] if i + 1 < len(lines) else ""
        if _TAIL.match(line):
            return i
        if people.role_heading(line) and (people.person(nxt, places) or _PRESENCE.match(nxt)):
            return i
        if _PRESENCE.match(line) and places.municipality(_PRESENCE.match(line)["who"]):  # type: ignore[index]
            return i
    return len(lines)


def _fields(lines: list[str], header: list[int], found: Recognised, places: Gazetteer) -> set[int]:
    """Header fields by their labels; the indexes of the lines used."""
    used: set[int] = set()
    bare: list[tuple[int, int, str]] = []  # (position in header, line index, kind)
    colon: set[int] = set()  # bare labels ending in ':' ("Vid protokollet:") stand over their value
    for pos, i in enumerate(header):
        line = lines[i]
        if (
            found.title is None
            and (m := _TITLE.match(line))
            and len(m["rest"]) > 3
            and not find_dates(m["rest"])
        ):
            found.title = Guess(m["rest"].strip(), "likely", 'rubriken är tagen ur raden "' + line + '"')
            used.add(i)
            continue
        labelled = label_of(line)
        if labelled is None:
            continue
        kind, label, value = labelled
        if value:
            if _apply(kind, label, value, found, places, inline=True):
                used.add(i)
        else:
            bare.append((pos, i, kind))
            if line.rstrip().endswith(":"):
                colon.add(i)
    for _, i, kind, value_index, voted in _orient(lines, header, bare, colon):
        if value_index is None:
            continue
        if value_index in used:
            used.add(i)  # a title under a signature that another label already read
        elif _apply(kind, lines[i], lines[value_index], found, places, inline=not voted):
            used.update((i, value_index))
    return used


def _fits(kind: str, text: str | None) -> bool:
    if text is None or label_of(text) is not None:
        return False
    if kind in _NAME_KINDS:
        return bool(people.names(text))
    if kind in _DATE_KINDS:
        return bool(find_dates(text))
    return len(text) <= 120


def _orient(
    lines: list[str], header: list[int], bare: list[tuple[int, int, str]], colon: set[int]
) -> list[tuple[int, int, str, int | None, bool]]:
    """Which neighbour of each bare label is its value: the one that fits; when both do, the side the
    other labels nearby take (a signature block puts the title under the name)."""
    sides: list[str | None] = []
    for pos, _, kind in bare:
        before = lines[header[pos - 1]] if pos > 0 else None
        after = lines[header[pos + 1]] if pos + 1 < len(header) else None
        ok_before, ok_after = _fits(kind, before), _fits(kind, after)
        if lines[header[pos]].rstrip().endswith(":"):
            ok_before = False
        sides.append(
            "both" if ok_before and ok_after else "before" if ok_before else "after" if ok_after else None
        )
    chosen: list[tuple[int, int, str, int | None, bool]] = []
    for n, (pos, i, kind) in enumerate(bare):
        side = sides[n]
        voted = side == "both"
        if side == "both":
            near = [
                sides[k]
                for k in range(len(bare))
                if abs(bare[k][0] - pos) <= 8 and sides[k] in ("before", "after") and bare[k][1] not in colon
            ]
            side = Counter(near).most_common(1)[0][0] if near and kind in _NAME_KINDS else "after"
        if side is None:
            chosen.append((pos, i, kind, None, voted))
        else:
            chosen.append((pos, i, kind, header[pos - 1] if side == "before" else header[pos + 1], voted))
    return chosen


def _apply(kind: str, label: str, value: str, found: Recognised, places: Gazetteer, inline: bool) -> bool:
    """Put one labelled value into `found`; False when the value is not what the label promises."""
    how: Confidence = "sure" if inline else "likely"
    why = "" if inline else f'läst ur raderna "{label}" och "{value}"'
    if kind in _NAME_KINDS:
        names = people.names(value)
        if not names:
            return False
        if kind == "chair" and found.chair is None:
            found.chair = Guess(names, how, why)
        elif kind == "secretary" and found.secretary is None:
            found.secretary = Guess(names[0], how, why)
        elif kind == "adjusters":
            have = found.adjusters.value if found.adjusters else []
            found.adjusters = Guess(have + [n for n in names if n not in have], how, why)
        return True
    dates = find_dates(value)
    if kind in ("posted_on", "adjusted_on", "taken_down"):
        if not dates or not dates[0].with_year:
            return False
        if kind != "taken_down" and getattr(found, kind) is None:
            setattr(found, kind, Guess(dates[0].iso, how, why))
        return True
    if kind in ("date", "when_where"):
        return _when_where(kind, value, dates, found, how, why)
    if kind == "place" and found.place is None:
        found.place = Guess(value, how, why)
        return True
    if kind == "next":
        return False  # the body keeps the line; _next_meeting reads it
    return kind in ("kept_at", "body")


def _when_where(
    kind: str, value: str, dates: list[FoundDate], found: Recognised, how: Confidence, why: str
) -> bool:
    clock = find_time(value)
    if not dates and not clock:
        return False
    if dates and found.date is None:
        if dates[0].with_year:
            found.date = Guess(dates[0].iso, how, why)
        else:
            found.notes.append(f'datumet "{value}" saknar år')
    if clock and found.time is None:
        found.time = Guess(clock[0], how, why)
    if kind == "when_where" or "plats" in value.casefold():
        rest = value
        for start, end in sorted(
            [(d.start, d.end) for d in dates[:1]] + ([clock[1:]] if clock else []), reverse=True
        ):
            rest = rest[:start] + " " + rest[end:]
        place = re.sub(r"\s{2,}", " ", rest).strip(" ,;–-")
        place = re.sub(r"^(?:kl(?:ockan|\.)?)\s*", "", place, flags=re.I).strip(" ,;")
        if place and found.place is None:
            sure = kind == "when_where" and how == "sure"
            found.place = Guess(place, "sure" if sure else "likely", f'platsen är läst ur "{value}"')
    return True


def _participants(
    lines: list[str], indexes: list[int], found: Recognised, places: Gazetteer, used: set[int]
) -> None:
    """People under their headings, until running text begins."""
    role: str | None = None
    present: bool | None = True
    group: str | None = None
    columns: list[str] | None = None
    listing = False  # under a heading of people: a name on its own line is a participant
    for n, i in enumerate(indexes):
        line = lines[i]
        nxt = lines[indexes[n + 1]] if n + 1 < len(indexes) else ""
        heading = people.role_heading(line)
        labelled = _INLINE.match(line)
        if heading is None and labelled and labelled["value"] and people.role_heading(labelled["label"]):
            heading, line = people.role_heading(labelled["label"]), labelled["value"]
        elif heading is not None:
            role, present, group, listing = heading[0] or role, heading[1], None, True
            used.add(i)
            continue
        if heading is not None:
            role, present, group, listing = heading[0] or role, heading[1], None, True
        if line.count("\t") >= 1 and _TABLE_HEAD.search(line.split("\t")[0]) and columns is None:
            columns = [c.strip().casefold() for c in line.split("\t")]
            used.add(i)
            continue
        if columns and "\t" in line:
            person = _table_row(line.split("\t"), columns, places, role)
            if person:
                found.participants.append(replace(person, group=group))
                used.add(i)
                continue
        if _presence(line, found, places):
            used.add(i)
            continue
        many = people.pairs(line, places) or (people.name_list(line) if listing else None)
        if many:
            found.participants.extend(
                replace(p, role=p.role or role, present=present, group=group) for p in many
            )
            used.add(i)
            continue
        person = people.person(line, places)
        if person and listing:
            found.participants.append(
                replace(
                    person,
                    role=_role(person.role, role),
                    present=present,
                    group=group,
                    note=person.role if person.role and role else "",
                )
            )
            used.add(i)
            continue
        if _is_prose(line):
            return
        if people.person(nxt, places) or people.pairs(nxt, places):
            group, listing = line.strip().rstrip(":"), True
            used.add(i)


def _intro_start(lines: list[str], first: int, used: set[int]) -> int | None:
    """Where running text begins after the header's last recognised line, with its short heading."""
    last = max((i for i in used if i < first), default=-1)
    for i in range(last + 1, first):
        if i not in used and _is_prose(lines[i]):
            before = i - 1
            if (
                before > last
                and before not in used
                and not _is_prose(lines[before])
                and len(lines[before]) <= 60
            ):
                return before
            return i
    return None


def _role(own: str | None, heading: str | None) -> str | None:
    """A heading's role wins; a title written beside the name is the role when there is none."""
    return heading or own


def _table_row(cells: list[str], columns: list[str], places: Gazetteer, role: str | None) -> Person | None:
    values = dict(zip(columns, (c.strip() for c in cells), strict=False))
    name = next((v for k, v in values.items() if _TABLE_HEAD.search(k)), "")
    if not people.is_name(name):
        return None
    person = Person(name, role=role)
    for key, value in values.items():
        if not value:
            continue
        if "parti" in key:
            person = replace(person, party=value.strip("()") if value.strip("()") in people.PARTIES else None)
        elif "kommun" in key or "organisation" in key:
            where = places.affiliation(value)
            person = replace(person, municipality=where.municipality, organisation=where.organisation)
        elif "roll" in key or "funktion" in key:
            person = replace(person, role=value.casefold() if value.casefold() in ROLE_WORDS else value)
        elif "närvar" in key or "närvaro" in key:
            person = replace(person, present=_present(value))
    return person


ROLE_WORDS = ("beslutande", "ledamot", "ersättare", "adjungerad", "övrig", "tjänsteperson")


def _present(value: str) -> bool | None:
    text = value.strip().casefold()
    if text in ("x", "ja", "närvarande", "n", "✓", "§§"):
        return True
    if text in ("-", "nej", "frånvarande", "f", "ej", "anmält förhinder"):
        return False
    return None


def _presence(line: str, found: Recognised, places: Gazetteer) -> bool:
    m = _PRESENCE.match(line.strip())
    if not m:
        return False
    state = m["state"].casefold()
    slug = places.municipality(m["who"])
    if slug:
        found.municipalities[slug] = state
        return True
    if places.is_organisation(m["who"]):
        found.notes.append(f"{m['who'].strip()}: {state} (en organisation, inte en kommun)")
        return True
    return False


def _is_prose(line: str) -> bool:
    words = len(line.split())
    return words >= 14 or (line.rstrip().endswith((".", "!", "?")) and words >= 4)


def _intro_items(lines: list[str]) -> list[Item]:
    """Running text before the first numbered item, split at short headings ("Inledning")."""
    found: list[Item] = []
    title = ""
    chunk: list[str] = []
    for n, line in enumerate(lines):
        heading = (
            not _is_prose(line)
            and len(line) <= 60
            and not line.endswith((".", ":"))
            and (_INTRO_TITLES.match(line) or (n + 1 < len(lines) and _is_prose(lines[n + 1])))
        )
        if heading:
            if title or chunk:
                found.append(item_rules.item(None, title or "Inledning", chunk))
            title, chunk = line.strip(), []
        else:
            chunk.append(line)
    if title or chunk:
        found.append(item_rules.item(None, title or "Inledning", chunk))
    return found


def _next_meeting(lines: list[str], found: Recognised) -> None:
    for line in lines:
        m = _NEXT.match(line.strip())
        if not m:
            continue
        value = m["value"].strip().rstrip(".")
        iso = re.fullmatch(r"\d{4}-\d{2}-\d{2}(?:--\d{1,2})?", value)
        dates = find_dates(value, int(found.date.value[:4]) if found.date else None)
        if iso:
            found.next_meeting = Guess(value)
        elif dates:
            found.next_meeting = Guess(dates[0].iso, "likely", f'läst ur "{line.strip()}"')
        else:
            found.next_meeting = Guess(value, "guess", f'läst ur "{line.strip()}"')
        return


def _date_fallback(lines: list[str], first: int, found: Recognised) -> None:
    """No labelled date: the first date of the header, or a date without its year."""
    if found.date is not None:
        return
    head = lines[:first] or lines[:20]
    year = next((y for line in lines for y in years_in(line)), None)
    for line in head:
        for d in find_dates(line, year):
            if d.with_year:
                found.date = Guess(d.iso, "likely", f'första datumet i protokollhuvudet: "{line.strip()}"')
                return
            found.date = Guess(d.iso, "guess", f'året saknas i "{line.strip()}"; {d.iso[:4]} är gissat')
            return
    if found.time is None:
        for line in head:
            if clock := find_time(line):
                found.time = Guess(clock[0], "likely", f'läst ur "{line.strip()}"')
                break


def _check_names(found: Recognised) -> None:
    """Chair, secretary and adjusters written a little differently from the list of participants."""
    listed = [p.name for p in found.participants]
    officers = [
        *(found.chair.value if found.chair else []),
        *([found.secretary.value] if found.secretary else []),
        *(found.adjusters.value if found.adjusters else []),
    ]
    if found.chair is None:
        chairs = [p.name for p in found.participants if "ordförande" in f"{p.role} {p.note}".casefold()]
        if chairs:
            found.chair = Guess(chairs[:1], "likely", "ordförande enligt deltagarlistan")
    for name in officers:
        if name in listed:
            continue
        close = difflib.get_close_matches(name, listed, n=1, cutoff=0.85)
        if close:
            found.notes.append(f'"{name}" stavas "{close[0]}" i deltagarlistan')
