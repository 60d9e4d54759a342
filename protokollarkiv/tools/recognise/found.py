"""What the recognisers found: values with how sure they are, people, items."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Generic, Literal, TypeVar

T = TypeVar("T")
Confidence = Literal["sure", "likely", "guess"]


@dataclass(frozen=True)
class Guess(Generic[T]):
    """A recognised value; below "sure" the draft asks the secretary to check it, saying why."""

    value: T
    confidence: Confidence = "sure"
    why: str = ""


@dataclass(frozen=True)
class Person:
    name: str
    municipality: str | None = None
    organisation: str | None = None
    role: str | None = None
    party: str | None = None
    present: bool | None = True
    group: str | None = None
    note: str = ""  # for the secretary: what the line said that the fields do not hold


@dataclass(frozen=True)
class Item:
    number: str | None  # "105", "11", "0940"; None for an unnumbered section
    heading: str  # the heading as the draft writes it: "§ 105 Statsbidrag …"
    title: str
    blocks: tuple[tuple[str, tuple[str, ...]], ...]  # ("text" | "decision", lines)


@dataclass
class Recognised:
    """Everything found in one file's minutes; the draft is written from this."""

    title: Guess[str] | None = None
    date: Guess[str] | None = None  # YYYY-MM-DD
    time: Guess[str] | None = None
    place: Guess[str] | None = None
    chair: Guess[list[str]] | None = None
    secretary: Guess[str] | None = None
    adjusters: Guess[list[str]] | None = None
    adjusted_on: Guess[str] | None = None
    posted_on: Guess[str] | None = None
    next_meeting: Guess[str] | None = None
    participants: list[Person] = field(default_factory=list)
    municipalities: dict[str, str] = field(default_factory=dict)  # slug -> närvarande | frånvarande
    items: list[Item] = field(default_factory=list)
    numbering: str = ""  # the item style seen: "§ N", "N §", "N.", "HH:MM", "Ks N", or ""
    unused: list[str] = field(default_factory=list)  # header lines no recogniser took
    notes: list[str] = field(default_factory=list)  # for the draft's comments and the summary

    @property
    def decisions(self) -> int:
        return sum(1 for item in self.items for kind, _ in item.blocks if kind == "decision")
