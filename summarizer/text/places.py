"""Where: the place an article's dateline names, the place a sentence tells ("in Jos",
"on Ahmadu Bello Way in Kaduna", "near the Baraka market in Goma"), and a key to compare
places by.

No gazetteer: a name is a place because of where it stands (the dateline, after "in", "near",
"outside", before "Street", "Road"...), never because a list knows it. A place is kept as the
article writes it; `place_key` folds case, accents, a leading "the" and a trailing country or
region ("Kaduna, Nigeria" and "Kaduna" share the key "kaduna").
"""

from __future__ import annotations

import re
import unicodedata

__all__ = ["dateline_place", "place_in", "place_key", "facility_key", "place_areas", "place_keys",
           "places_in"]

# Named places smaller than a town that reports tell an incident at ("the Terminus market").
_FACILITY_WORDS = ("market|bazaar|hotel|mosque|church|temple|school|hospital|clinic|university|"
                   "college|stadium|camp|estate|prison|station|base|bar|tavern|club|nightclub|lounge|"
                   "restaurant|cafe|mall|airport|port|bridge|checkpoint|park|gym|gymnasium")
_AGENCY = re.compile(r"\((?:[^()]{1,40})\)")
_DATEWORD = re.compile(r"\b(?:Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec)[a-z]*\.?\s*\d|"
                       r"\b\d{1,2}\s+(?:Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec)|"
                       r"\b(?:Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday)\b|"
                       r"\b(?:19|20)\d\d\b", re.I)
_DATELINE = re.compile(r"\A\s*(?P<head>[^\n.]{2,90}?)\s*(?:\s[-–—]{1,2}|:)\s")
_CAP = r"(?:[A-Z][\w'’.-]*|(?:de|del|la|al|el|of|ad|an|bin)\b)"
_NAME = rf"[A-Z][\w'’-]+(?:\s+{_CAP}){{0,3}}"
_STREET = re.compile(rf"\b(?P<street>{_NAME}\s+(?:Street|St\.|Road|Rd\.|Avenue|Way|Boulevard|"
                     rf"Lane|Highway|Square|Junction|Roundabout|(?i:{_FACILITY_WORDS}))\b)"
                     rf"(?:\s*,?\s+(?:in|of)\s+(?:the\s+)?(?P<city>{_NAME}))?")
_IN = re.compile(rf"\b(?:in|near|outside|at|from|(?i:residents|outskirts|centre|center|heart|"
                 rf"suburbs?|north|south|east|west)\s+of)\s+(?:the\s+)?(?:(?:city|town|village|"
                 rf"district|province|state|region|suburb|capital|commune)\s+of\s+)?"
                 rf"(?P<place>{_NAME}(?:,\s+{_NAME}(?=,))?)")
# Words that follow "in" capitalised without being a place.
_NOT_PLACE = frozenset({
    "the", "a", "an", "january", "february", "march", "april", "may", "june", "july", "august",
    "september", "october", "november", "december", "monday", "tuesday", "wednesday",
    "thursday", "friday", "saturday", "sunday", "police", "parliament", "court", "hospital",
    "english", "arabic", "french", "it", "he", "she", "they", "we", "his", "her", "their",
    "this", "that", "these", "those", "reuters", "afp", "ap", "statement", "response",
    "addition", "total", "all", "custody", "its", "our", "office", "government", "congress"})
_TRAILING = re.compile(r"\s+(?:city|town|district|province|state|region|county|area)$")


def _clean(name: str) -> str:
    return " ".join(name.strip(" ,;:-–—'\"").split())


def _fold(text: str) -> str:
    text = unicodedata.normalize("NFKD", text)
    return "".join(ch for ch in text if not unicodedata.combining(ch)).lower()


def _titled(word: str) -> str:
    return word.title() if word.isupper() and len(word) > 2 else word


def dateline_place(text: str) -> str | None:
    """The place of an opening dateline ("KANO, Nigeria, March 3 (Reuters) -" -> "Kano,
    Nigeria"), or None when the text opens without one."""
    m = _DATELINE.match(text)
    if not m:
        return None
    head = _AGENCY.sub(" ", m["head"])
    parts = []
    for part in head.split(","):
        part = _clean(part)
        if not part or _DATEWORD.search(part):
            break
        words = part.split()
        if len(words) > 4 or not all(w[:1].isupper() for w in words):
            return None
        parts.append(" ".join(_titled(w) for w in words))
    if not parts or len(parts) > 3:
        return None
    if _fold(parts[0]) in _NOT_PLACE:
        return None
    return ", ".join(parts)


def places_in(sentence: str) -> list[str]:
    """The places a sentence names, in order: "<street> in <city>" as one, then "in/near/
    outside <Place>" phrases."""
    found: list[str] = []
    taken: list[tuple[int, int]] = []
    for m in _STREET.finditer(sentence):
        found.append(_clean(m["street"] + (f", {m['city']}" if m["city"] else "")))
        taken.append(m.span())
    for m in _IN.finditer(sentence):
        if any(s <= m.start("place") < e for s, e in taken):
            continue
        place = _clean(m["place"])
        if re.sub(r"['’]s$", "", _fold(place.split()[0])) in _NOT_PLACE:
            continue
        owner = re.match(r"(.+?)['’]s\s+(.+)", place)  # "Lahore's Anarkali": Anarkali, Lahore
        found.append(f"{owner[2]}, {owner[1]}" if owner else place)
    return found


def place_in(sentence: str) -> str | None:
    """The first place a sentence names, or None."""
    found = places_in(sentence)
    return found[0] if found else None


def place_key(place: str | None) -> str:
    """A key to compare places by: folded, no leading "the", no trailing country or region
    after a comma, no trailing "city"/"district"; "" for no place."""
    if not place:
        return ""
    head = place.split(",")
    key = _fold(head[0]).strip()
    # a street and its city: the city is the place to block on
    if len(head) > 1 and _FACILITY.search(key):
        key = _fold(head[1]).strip()
    key = re.sub(r"^the\s+", "", key)
    key = _TRAILING.sub("", key)
    return " ".join(re.sub(r"[^\w\s-]", " ", key).split())


_FACILITY = re.compile(r"\b(?:street|st|road|rd|avenue|way|boulevard|lane|highway|square|"
                       rf"junction|roundabout|{_FACILITY_WORDS})$")


def facility_key(place: str | None) -> str:
    """The key of a named street or building ("Terminus market, Jos": "terminus market"),
    or "" when the place is not one."""
    if not place:
        return ""
    head = " ".join(re.sub(r"[^\w\s-]", " ", _fold(place.split(",")[0])).split())
    head = re.sub(r"^the\s+", "", head)
    return head if _FACILITY.search(head) else ""


def place_keys(place: str | None) -> set[str]:
    """The keys of the town a place is in: `place_key` ("Terminus market, Jos": "jos"); none
    for a street or building named without its town."""
    if not place:
        return set()
    key = place_key(place)
    return {key} if key and key != facility_key(place) else set()


def place_areas(place: str | None) -> set[str]:
    """The keys of what follows a comma in a place ("Orlando East, Soweto": "soweto"; "Kano,
    Nigeria": "nigeria"): a city or a country, which grouping cannot tell apart without a
    gazetteer, so it weighs them less than the place itself."""
    if not place:
        return set()
    return {k for part in place.split(",")[1:] if (k := place_key(part))}
