"""Name candidates: capitalized sequences, acronyms and known descriptive patterns, each with
its occurrences, a kind when a cue gives one, and the aliases the text ties to it.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field

__all__ = ["NameCandidate", "name_candidates"]


@dataclass
class NameCandidate:
    """A named span: its text as written, where it occurs, and what the context suggests."""

    text: str
    spans: list[tuple[int, int]] = field(default_factory=list)
    kind: str | None = None  # an ActorKind value, when a cue says so
    aliases: list[str] = field(default_factory=list)

    @property
    def first(self) -> int:
        return self.spans[0][0] if self.spans else 0


# A capitalized word, an initialism ("U.S."), or an Arabic name particle ("al-Sharaa"). Words
# join across single spaces only (never a line break), and never after a possessive.
_CAP = r"(?:(?:[A-Z]\.){2,}|[A-Z][\w'’-]*\w|[A-Z]|(?:al|el|ad|as|ash|bin|ibn|abu)-[A-Z][\w'’-]*)"
_LINK = r"(?:of|de|del|da|di|du|van|der|von|al|bin|ibn|la|le)"
_NAME_RE = re.compile(rf"(?<![\w'’.-]){_CAP}(?:(?<!['’]s)(?: {_LINK})? {_CAP})*")
# Capitalized only because they start a sentence or are common function words.
_FUNCTION = {
    "a", "an", "the", "in", "on", "at", "of", "for", "to", "by", "with", "from", "as", "but",
    "and", "or", "if", "it", "its", "this", "that", "these", "those", "there", "their", "they",
    "he", "she", "we", "i", "his", "her", "our", "after", "before", "during", "despite",
    "according", "although", "though", "however", "yet", "even", "while", "when", "where",
    "among", "initial", "notably", "meanwhile", "also", "still", "since", "some", "all",
    "both", "many", "most", "no", "not", "one", "two", "three", "four", "five", "authorities",
    "police", "officials", "survivors", "rescue", "boat", "divers", "prosecutors", "what",
    "who", "why", "how", "every", "each", "criminal", "people", "residents", "witnesses",
    "nobody", "monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday",
    "january", "february", "march", "april", "may", "june", "july", "august", "september",
    "october", "november", "december", "president", "minister", "mr.", "mrs.", "ms.", "dr.",
}
_TITLES = re.compile(
    r"(?:President|Prime\s+Minister|Minister|Secretary|Governor|Mayor|General|Gen\.|Colonel|"
    r"Col\.|Captain|Mr\.|Mrs\.|Ms\.|Dr\.|King|Queen|Prince|Sheikh|Senator|Sen\.|Rep\.|Judge|"
    r"Chancellor|Commissioner|Ambassador|Pope)\s+$|(?:minister|spokes\w+|commander|chief|"
    r"leader|director|head|official|envoy|ambassador|governor|mayor|secretary),?\s+$"
)
_SAYS = re.compile(r"^,?\s+(?:said|says|told|stated|added|confirmed|announced)\b")
_PATTERNS = [
    # "the interior ministry", "Syrian security forces", "the U.S.-led international coalition"
    (re.compile(r"(?<![\w'’])(?-i:[A-Z][\w.]*\s+)?(?:interior|defen[cs]e|foreign|health|justice|"
                r"information|finance|transport)\s+ministry\b", re.I), "government body"),
    (re.compile(r"\b(?:[A-Z][\w.]*\s+)?(?:security|armed|police|military|government)\s+"
                r"forces\b"), "security force"),
    (re.compile(r"\b(?:[\w.]+-led\s+)?(?:international\s+)?coalition(?:\s+forces)?\b"),
     "security force"),
    # Unnamed attackers are an actor when they act: "armed assailants opened fire".
    (re.compile(r"\b(?:(?:armed|unidentified|unknown|masked)\s+)?(?:assailants|gunmen|"
                r"attackers|militants|insurgents|bombers?)(?=\s+(?:\w+\s+)?(?:opened|attacked|"
                r"stormed|killed|shot|detonated|ambushed|raided|seized|abducted|fired)\b)"),
     "armed group"),
    (re.compile(r"\b(?:[A-Z][\w.]*\s+)?(?:police|customs officers|coast guard)\b"),
     "security force"),
    (re.compile(r"\b(?:[A-Z][\w.]*\s+)?prosecutors\b"), "government body"),
]
_ARMED = re.compile(r"\b(?:State|Qaeda|Shabaab|Haram|Taliban|Hamas|Hezbollah|Daesh|ISIS|ISIL|"
                    r"Front|Brigades?|Militia|Liberation|Rebels?|Cartel)\b|^IS$")
_BODY = re.compile(r"\b(?:Ministry|Office|Council|Parliament|Service|Prosecution|Government|"
                   r"Department|Agency|Commission|Court|Senate|Congress|Cabinet|Presidency)\b")
_FORCE = re.compile(r"\b(?:Police|Army|Forces|Guard|Military|Navy|Coalition|Troops|Gendarmerie)\b")
_ORG = re.compile(r"\b(?:United Nations|UN|NATO|EU|European Union|African Union|Red Cross|"
                  r"Red Crescent|WHO|UNICEF|ICRC|OSCE|ASEAN|World Bank|IMF)\b")
_PLACE_BEFORE = re.compile(r"(?:\b(?:in|near|at|on|from|into|across|outside|city\s+of|"
                           r"province\s+of|town\s+of|village\s+of|port\s+of|island\s+of)"
                           r"\s+(?:the\s+)?(?:[a-z]+\s+)?)$")
_ACRONYM_FOR = re.compile(r"\b(?:acronym|name|term|word)\s+for\s+(?:the\s+)?$")


def name_candidates(text: str) -> list[NameCandidate]:
    """Named spans in order of first appearance: capitalized sequences ("Ahmed al-Sharaa",
    "Islamic State"), acronyms ("IS"), and descriptive patterns ("the interior ministry",
    "armed assailants"). Each carries its occurrences, a kind when a cue gives one, and aliases
    the text ties to it ("Islamic State (IS)", a surname after the full name, "Daesh ... the
    acronym for IS")."""
    found: dict[str, NameCandidate] = {}

    def add(name: str, start: int, kind: str | None = None) -> NameCandidate:
        cand = found.setdefault(name, NameCandidate(name))
        cand.spans.append((start, start + len(name)))
        cand.kind = cand.kind or kind
        return cand

    for m in _NAME_RE.finditer(text):
        tokens = list(re.finditer(r"\S+", m.group()))
        # Drop leading words that are capitalized only by position ("In", "The", "According").
        while tokens and tokens[0].group().lower().strip(".,") in _FUNCTION - {"president",
                                                                              "minister"}:
            tokens = tokens[1:]
        if not tokens:
            continue
        start = m.start() + tokens[0].start()
        name = text[start:m.end()]
        name = re.sub(r"(?:['’]s|['’])$", "", name).rstrip(".") if not re.search(
            r"\b(?:[A-Z]\.){2,}$", name) else name
        if len(name) < 2 or len(name) > 80 or name.lower() in _FUNCTION:
            continue
        add(name, start)
        # "U.S. President Donald Trump": the person inside the titled span is a name too.
        titled = re.match(r"(?:.*\s)?(?:President|Minister|Secretary|Governor|Mayor|General|"
                          r"King|Prince|Sheikh|Senator)\s+(?=\S)", name)
        if titled:
            add(name[titled.end():], start + titled.end(), "person")
    for pattern, kind in _PATTERNS:
        for m in pattern.finditer(text):
            first = m.group().split()[0]
            skip = len(first) + 1 if first.lower() in _FUNCTION and " " in m.group() else 0
            add(m.group()[skip:], m.start() + skip, kind)
    inside = _inside_longer(found.values())
    cands = [c for c in found.values() if not _overlapped(c, found.values(), inside)]
    for c in cands:
        c.kind = c.kind or _kind(c, text)
    _tie_aliases(cands, text)
    return sorted(cands, key=lambda c: c.first)


def _inside_longer(cands: Iterable[NameCandidate]) -> set[tuple[int, int]]:
    """The spans that lie inside another candidate's (longer) span, in one sweep: ordered by
    start and then longest first, a span is inside another exactly when an earlier one
    reaches as far (candidates are keyed by their text, so no two spans are equal)."""
    inside: set[tuple[int, int]] = set()
    reach = -1
    for a, b in sorted({sp for c in cands for sp in c.spans}, key=lambda sp: (sp[0], -sp[1])):
        if reach >= b:
            inside.add((a, b))
        reach = max(reach, b)
    return inside


def _overlapped(cand: NameCandidate, all_: Iterable[NameCandidate],
                inside: set[tuple[int, int]]) -> bool:
    # A span that only ever occurs inside a longer candidate's span is part of it, not a
    # name of its own ("Donald" inside "Donald Trump").
    if cand.kind is not None:
        return False
    if not cand.spans:
        return any(len(o.text) > len(cand.text) and o.spans for o in all_)
    return all(sp in inside for sp in cand.spans)


def _kind(cand: NameCandidate, text: str) -> str | None:
    name = cand.text
    if re.search(r"\b(?:President|Minister|Secretary|Governor|Mayor|General|King|Prince|"
                 r"Sheikh|Senator)\b", name) and not _BODY.search(name):
        return "person"
    if _ORG.search(name):
        return "international organization"
    if _ARMED.search(name):
        return "armed group"
    if _BODY.search(name):
        return "government body"
    if _FORCE.search(name):
        return "security force"
    for s, e in cand.spans:
        if _TITLES.search(text[max(0, s - 40):s]) or (
                " " in name and _SAYS.match(text[e:e + 20])):
            return "person"
    if all(_PLACE_BEFORE.search(text[max(0, s - 40):s]) for s, _ in cand.spans):
        return "place"
    return None


def _tie_aliases(cands: list[NameCandidate], text: str) -> None:
    by_text = {c.text: c for c in cands}
    for c in cands:
        for s, e in c.spans:
            # "Islamic State (IS)"
            m = re.match(r"\s*\(([A-Z][\w.-]{1,10})\)", text[e:e + 16])
            if m and m.group(1) in by_text and m.group(1) not in c.aliases:
                c.aliases.append(m.group(1))
            # "Daesh, ... the Arabic acronym for IS": the name before is the one after's alias.
            m2 = re.search(r"\b(?:acronym|name|term|word)\s+for\s+(?:the\s+)?$",
                           text[max(0, s - 40):s])
            if m2:
                sentence_start = max(text.rfind(".", 0, s - 120), 0)
                before = [o for o in cands if o is not c and any(
                    sentence_start <= a < s - 40 for a, _ in o.spans)]
                if before:
                    other = max(before, key=lambda o: max(a for a, _ in o.spans if a < s))
                    if other.text not in c.aliases:
                        c.aliases.append(other.text)
        if c.kind == "person" and " " in c.text:
            last = c.text.split()[-1]
            for o in cands:
                if o is not c and o.text.lower() == last.lower() and o.text not in c.aliases:
                    c.aliases.append(o.text)
                    o.kind = "person"
