"""Which items of minutes are formalities (mötets öppnande, val av justerare, …), by one rule.

Listings and the decision register leave formalities out by default, so the items a citizen looks
for are not buried under "Val av justerare" in every meeting. The rule reads an item's title; a
meeting's front matter may override it per item (`procedural: {103: false}`).
"""

from __future__ import annotations

import re
import unicodedata

# An item is procedural when every part of its title (split at "och", "," and "/") is one of
# these phrases, compared in lower case without trailing punctuation. Whole parts, not prefixes:
# "Dagordning för nästa års möten" is not a formality, "Mötets öppnande och val av justerare" is.
PROCEDURAL_PHRASES: frozenset[str] = frozenset(
    {
        # Opening
        "mötets öppnande",
        "mötet öppnas",
        "öppnande",
        "öppnande av mötet",
        "inledning",
        "välkommen",
        "upprop",
        "närvaro",
        "närvarokontroll",
        # The meeting's officers
        "val av justerare",
        "val av protokolljusterare",
        "val av justerare och tid för justering",
        "val av ordförande",
        "val av mötesordförande",
        "val av sekreterare",
        "val av mötessekreterare",
        "justering",
        "justering av protokollet",
        "tid för justering",
        # The agenda
        "dagordning",
        "dagordningen",
        "dagens agenda",
        "agenda",
        "godkännande av dagordning",
        "godkännande av dagordningen",
        "fastställande av dagordning",
        "fastställande av dagordningen",
        # The previous minutes
        "förra mötets protokoll",
        "föregående mötes protokoll",
        "föregående protokoll",
        "genomgång av förra mötets protokoll",
        "genomgång av föregående protokoll",
        "genomgång av föregående mötes protokoll",
        "protokoll från förra mötet",
        # Closing
        "avslutning",
        "mötets avslutande",
        "mötet avslutas",
        "avslutande",
        "avslut",
    }
)
_PARTS = re.compile(r"\s*(?:,|/|\boch\b)\s*")
_TRAILING = re.compile(r"[\s.:;!–—-]+$")


def _normal(text: str) -> str:
    return " ".join(unicodedata.normalize("NFC", text).lower().split())


def is_procedural(title: str) -> bool:
    """True when the item titled `title` is a formality by the rule above."""
    parts = [_TRAILING.sub("", part) for part in _PARTS.split(_normal(title))]
    parts = [part for part in parts if part]
    return bool(parts) and all(part in PROCEDURAL_PHRASES for part in parts)
