"""Municipalities and organisations named in minutes, matched against municipalities.yml."""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass

# Words that make a name an organisation rather than a municipality or a person.
_ORGANISATION = re.compile(
    r"\b(?:region|län|landsting|förbund\w*|kommunalförbund\w*|universitet\w*|högskola\w*|skr|"
    r"skolverket|myndighet\w*|polis\w*|länsstyrelse\w*|förvaltning\w*|bolag\w*|ab|stiftelse\w*|"
    r"förening\w*|råd\w*)\b",
    re.IGNORECASE,
)
_MUNICIPALITY_WORD = re.compile(r"\s+(?:kommuns?|stads?)$", re.IGNORECASE)


@dataclass(frozen=True)
class Affiliation:
    municipality: str | None = None  # a slug
    organisation: str | None = None
    role: str | None = None  # what else the text said: a title, a unit


class Gazetteer:
    """Municipality names (also genitive, with "kommun", in any case) to their slugs."""

    def __init__(self, names: Mapping[str, str]) -> None:
        self._slugs: dict[str, str] = {}
        for slug, name in names.items():
            self._slugs[name.casefold()] = slug
            self._slugs[slug.casefold()] = slug

    def municipality(self, text: str) -> str | None:
        """The slug of the municipality `text` names exactly ("Lidköpings kommun", "Grästorps"), else None."""
        key = _MUNICIPALITY_WORD.sub("", text.strip().strip(".,;:*")).strip().casefold()
        if key in self._slugs:
            return self._slugs[key]
        if key.endswith("s") and key[:-1] in self._slugs:
            return self._slugs[key[:-1]]
        return None

    def is_organisation(self, text: str) -> bool:
        return bool(_ORGANISATION.search(text)) and self.municipality(text) is None

    def affiliation(self, text: str) -> Affiliation:
        """What stands beside a person's name: a municipality, an organisation, or a title (with a
        municipality at its end: "Sektorchef Sektor social välfärd Lidköping")."""
        text = text.strip().strip(",;")
        if not text:
            return Affiliation()
        slug = self.municipality(text)
        if slug:
            return Affiliation(municipality=slug)
        if self.is_organisation(text):
            return Affiliation(organisation=text)
        words = text.split()
        for size in (3, 2, 1):  # a municipality closing a title
            if len(words) > size:
                slug = self.municipality(" ".join(words[-size:]))
                if slug:
                    return Affiliation(municipality=slug, role=" ".join(words[:-size]).rstrip(","))
        return Affiliation(role=text)

    def split_prefix(self, text: str) -> tuple[Affiliation, str] | None:
        """`text` as a municipality or organisation followed by a name, as a line of "Name, Place"
        pairs reads when split at its commas: "Falköping Robert Rydquist"."""
        words = text.split()
        for size in range(min(5, len(words) - 2), 0, -1):
            head, rest = " ".join(words[:size]), " ".join(words[size:])
            slug = self.municipality(head)
            if slug:
                return Affiliation(municipality=slug), rest
            if self.is_organisation(head) and _ORGANISATION.search(words[size - 1]):
                return Affiliation(organisation=head), rest
        return None
