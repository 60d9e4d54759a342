"""Votes and reservations: `::: votering` and `::: reservation` blocks read and checked against the
participants.

A block holds a few `key: value` lines (YAML, as in the front matter), so every key and every
name keeps its line and column:

    ::: votering
    ja-förslag: Bifall till arbetsutskottets förslag
    nej-förslag: Bifall till Karin Karlssons yrkande
    ja-röster: [Anna Andersson, Per Persson]
    nej-röster: [Karin Karlsson]
    avstår: [Olle Olsson]
    antal: 2 ja, 1 nej, 1 avstår
    resultat: ja
    :::

    ::: reservation
    namn: [Karin Karlsson]
    motivering: Förslaget saknar finansiering.
    :::
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from .diagnostics import Diagnostics, SourcePos, did_you_mean
from .load import YamlDoc, parse_yaml
from .model import (
    ANSWERS,
    Answer,
    Ballot,
    Item,
    Participant,
    People,
    Proposition,
    Reservation,
    Side,
    Vote,
    person_key,
)

VOTE = "votering"
RESERVATION = "reservation"
NAME_KEYS: dict[str, Answer] = {"ja-röster": "ja", "nej-röster": "nej", "avstår": "avstår"}
PROPOSITION_KEYS: dict[str, Side] = {"ja-förslag": "ja", "nej-förslag": "nej"}
VOTE_KEYS = (*PROPOSITION_KEYS, *NAME_KEYS, "antal", "resultat")
RESERVATION_KEYS = ("namn", "motivering")
SIDES: tuple[Side, ...] = ("ja", "nej")
COUNTS_HINT = "write the counts as 'antal: 5 ja, 3 nej, 1 avstår'"
LIST_HINT = "write the names as a list in brackets, e.g. [Anna Andersson, Per Persson]"
_COUNT = re.compile(r"(?P<sign>[-−–]?)\s*(?P<n>\d{1,6})\s+(?P<answer>ja|nej|avstår)", re.IGNORECASE)
_COUNT_SPLIT = re.compile(r"\s*(?:,|;|\boch\b)\s*", re.IGNORECASE)


def read_block(text: str, first_line: int, path: Path, diagnostics: Diagnostics) -> YamlDoc | None:
    """The block's lines (starting at file line `first_line`) as YAML with positions."""
    return parse_yaml(text, path, diagnostics, first_line)


def _mapping(doc: YamlDoc | None, block: SourcePos, name: str, path: Path, diagnostics: Diagnostics) -> Any:
    if doc is None:
        return None
    if not isinstance(doc.data, dict):
        diagnostics.error(
            path,
            block,
            f"a '::: {name}' block must hold 'key: value' lines",
            "write one key a line, e.g. 'ja-röster: [Anna Andersson]' and 'resultat: ja'"
            if name == VOTE
            else "write one key a line, e.g. 'namn: [Anna Andersson]'",
        )
        return None
    known = VOTE_KEYS if name == VOTE else RESERVATION_KEYS
    for key in doc.data:
        if key not in known:
            hint = did_you_mean(str(key), known) or f"known keys: {', '.join(known)}"
            diagnostics.error(
                path, doc.key_pos(str(key)), f"unknown key '{key}' in a '::: {name}' block", hint
            )
    return doc.data


def _text(doc: YamlDoc, key: str, path: Path, diagnostics: Diagnostics) -> str | None:
    value = doc.data.get(key)
    if value is None:
        return None
    if isinstance(value, list | dict | bool):
        diagnostics.error(
            path, doc.value_pos(key), f"'{key}' must be text", "write it on one line after the key"
        )
        return None
    return str(value).strip() or None


def _names(
    doc: YamlDoc, key: str, path: Path, diagnostics: Diagnostics
) -> list[tuple[str, SourcePos]] | None:
    """The names under `key` with where each is written; None when the key is not there."""
    if key not in doc.data:
        return None
    value = doc.data[key]
    if value is None:
        return []
    if not isinstance(value, list):
        diagnostics.error(path, doc.value_pos(key), f"'{key}' must be a list of names", LIST_HINT)
        return []
    names: list[tuple[str, SourcePos]] = []
    for index, entry in enumerate(value):
        pos = doc.value_pos(key, index)
        if not isinstance(entry, str) or not entry.strip():
            diagnostics.error(path, pos, f"'{key}' entry {index + 1} must be a name", LIST_HINT)
        else:
            names.append((" ".join(entry.split()), pos))
    return names


def _counts(doc: YamlDoc, path: Path, diagnostics: Diagnostics) -> tuple[int, int, int] | None:
    if doc.data.get("antal") is None:
        return None
    pos = doc.value_pos("antal")
    value = str(doc.data["antal"]).strip()
    found: dict[str, int] = {}
    for part in _COUNT_SPLIT.split(value):
        match = _COUNT.fullmatch(part)
        if match is None:
            diagnostics.error(path, pos, f"'antal' cannot be read: '{part or value}'", COUNTS_HINT)
            return None
        answer = match["answer"].lower()
        if match["sign"]:
            diagnostics.error(path, pos, f"'antal' gives a negative count of {answer}", COUNTS_HINT)
            return None
        if answer in found:
            diagnostics.error(path, pos, f"'antal' gives the count of {answer} twice", COUNTS_HINT)
            return None
        found[answer] = int(match["n"])
    ja, nej, avstar = (found.get(answer, 0) for answer in ANSWERS)
    return ja, nej, avstar


def read_vote(doc: YamlDoc | None, block: SourcePos, path: Path, diagnostics: Diagnostics) -> Vote | None:
    """A `::: votering` block (`block`: where its fence is) as a vote, or None after its diagnostics."""
    data = _mapping(doc, block, VOTE, path, diagnostics)
    if data is None or doc is None:
        return None
    propositions = []
    for key, side in PROPOSITION_KEYS.items():
        text = _text(doc, key, path, diagnostics)
        if text:
            propositions.append(Proposition(side, text))
    for key, side in PROPOSITION_KEYS.items():
        if key not in data:
            diagnostics.warning(
                path,
                block,
                f"the vote has no '{key}': it does not say what {side} stands for",
                "add 'ja-förslag:' and 'nej-förslag:' as the chair put the proposition",
            )
    ballots: list[Ballot] = []
    named = False
    seen: dict[str, str] = {}
    for key, answer in NAME_KEYS.items():
        names = _names(doc, key, path, diagnostics)
        named = named or names is not None
        for name, pos in names or []:
            earlier = seen.get(person_key(name))
            if earlier is not None:
                diagnostics.error(
                    path,
                    pos,
                    f"{name} is named twice in the vote (also under '{earlier}')",
                    "each voter has one vote: ja, nej or avstår",
                )
                continue
            seen[person_key(name)] = key
            ballots.append(Ballot(name, answer, pos.line, pos.column))
    stated = _counts(doc, path, diagnostics)
    if not named and stated is None:
        if "antal" not in data:
            diagnostics.error(
                path,
                block,
                "the vote names no voters and gives no counts",
                "list the names under 'ja-röster:', 'nej-röster:' and 'avstår:', or give 'antal:'",
            )
        return None
    result = _result(doc, block, path, diagnostics)
    if result is None:
        return None
    vote = Vote(
        propositions=tuple(propositions),
        ballots=tuple(ballots),
        stated=stated,
        result=result,
        line=block.line,
        stated_at=_at(doc.value_pos("antal")) if stated is not None else (0, 0),
        result_at=_at(doc.value_pos("resultat")),
    )
    if named and stated is not None:
        counted = Vote((), vote.ballots, None, result).counts
        for (key, answer), said, found in zip(NAME_KEYS.items(), stated, counted, strict=True):
            if said != found:
                diagnostics.error(
                    path,
                    doc.value_pos("antal"),
                    f"'antal' gives {said} {answer}, but the names under '{key}' are {found}",
                    "correct the count or the names: they must agree",
                )
    ja, nej, _ = vote.counts
    if (result == "ja" and ja < nej) or (result == "nej" and nej < ja):
        other = "nej" if result == "ja" else "ja"
        diagnostics.error(
            path,
            doc.value_pos("resultat"),
            f"the result is {result}, but {other} has more votes ({ja} ja, {nej} nej)",
            "check 'resultat:' and the votes; on equal votes the chair's casting vote decides",
        )
    return vote


def _at(pos: SourcePos) -> tuple[int, int]:
    return pos.line, pos.column


def _result(doc: YamlDoc, block: SourcePos, path: Path, diagnostics: Diagnostics) -> Side | None:
    raw = doc.data.get("resultat")
    if raw is None:
        diagnostics.error(
            path,
            block,
            "the vote gives no result",
            "add 'resultat: ja' or 'resultat: nej': the proposition that won",
        )
        return None
    text = str(raw).strip().lower()
    if text not in SIDES:
        diagnostics.error(
            path,
            doc.value_pos("resultat"),
            f"'resultat' must be ja or nej, not '{raw}'",
            "name the proposition that won: ja or nej",
        )
        return None
    return "ja" if text == "ja" else "nej"


def read_reservation(
    doc: YamlDoc | None, block: SourcePos, path: Path, diagnostics: Diagnostics
) -> Reservation | None:
    """A `::: reservation` block as a reservation, or None after its diagnostics."""
    data = _mapping(doc, block, RESERVATION, path, diagnostics)
    if data is None or doc is None:
        return None
    names = _names(doc, "namn", path, diagnostics)
    if names is None:
        diagnostics.error(
            path,
            block,
            "the reservation names no one",
            "add 'namn: [...]' with who reserved themselves against the decision",
        )
        return None
    if not names:
        return None
    grounds = _text(doc, "motivering", path, diagnostics) or ""
    return Reservation(
        names=tuple(name for name, _ in names),
        grounds=grounds,
        line=block.line,
        name_at=tuple(_at(pos) for _, pos in names),
    )


# --- checks against the participants -------------------------------------------------------


def _where(item: Item) -> str:
    return item.label or f"'{item.title}'"


def _took_part(
    name: str, item: Item, participants: Sequence[Participant], people: People
) -> tuple[str, str] | None:
    """None when the participant list says `name` took part in `item`; else (problem, hint)."""
    key = person_key(people.canonical(name))
    entries = [p for p in participants if person_key(people.canonical(p.name)) == key]
    if not entries:
        return "is not on the participant list", "add them to 'participants:', or check the spelling"
    number = item.number or ""
    if any(number in p.recused for p in entries if number):
        return f"is recused (jäv) from {_where(item)}", "a member with a conflict of interest takes no part"
    if all(p.present is False for p in entries):
        return "is listed as absent", "check 'present:' in the participant list"
    if all(p.items and number not in p.items for p in entries):
        took = ", ".join(dict.fromkeys(n for p in entries for n in p.items))
        return f"took part only in items {took}", "check 'items:' in the participant list"
    return None


def check_votes(
    items: Sequence[Item],
    participants: Sequence[Participant],
    people: People,
    path: Path,
    diagnostics: Diagnostics,
) -> None:
    """Each voter and reservant a present participant of the item; a recused one votes not.

    Without a participant list there is nothing to check against."""
    if not participants:
        return
    for item in items:
        for vote in item.votes:
            for ballot in vote.ballots:
                problem = _took_part(ballot.name, item, participants, people)
                if problem is not None:
                    recused = problem[0].startswith("is recused")
                    add = diagnostics.error if recused else diagnostics.warning
                    pos = SourcePos(ballot.line, ballot.column)
                    add(path, pos, f"{ballot.name} votes in {_where(item)} but {problem[0]}", problem[1])
        for reservation in item.reservations:
            for name, (line, column) in zip(reservation.names, reservation.name_at, strict=True):
                problem = _took_part(name, item, participants, people)
                if problem is not None:
                    message = f"{name} reserves themselves in {_where(item)} but {problem[0]}"
                    diagnostics.warning(path, SourcePos(line, column), message, problem[1])
