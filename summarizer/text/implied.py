"""Figures the text states without a number: none ("nobody was hurt", "there were no
casualties reported") and one ("the guard was killed", "the mayor of X, Y, was killed",
"police arrested the driver", "the gunman was taken into custody").

Each reading is a (outcome, value, span) of one sentence; counts.py makes candidates of them.
A one read from a singular person is *implied*: the count reader keeps it only where the text
gives no figure of its own for that outcome (the named victim is usually one of the counted),
or gives one for "other" people besides ("the man ... and 14 other people").
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass

from ..brief import Qualifier
from .cues import OUTCOME_CUES, PERSON_NOUNS
from .numbers import NumberKind, NumberMention

__all__ = ["Reading", "implied_ones", "listed", "readings", "stated_zeros"]


@dataclass(frozen=True, slots=True)
class Reading:
    """One figure stated without a number, in sentence offsets."""

    outcome: str
    value: int
    start: int
    end: int
    cue: str  # the outcome words ("taken into custody")
    group: str  # whom it counts ("guard"), "" for a zero

    def mention(self, text: str, offset: int = 0) -> NumberMention:
        """The reading as a number of `text` (offsets shifted by `offset`)."""
        return NumberMention(low=self.value, high=self.value, qualifier=Qualifier.exact,
                             start=offset + self.start, end=offset + self.end,
                             text=text[self.start:self.end],
                             kind=NumberKind.words if self.value == 0 else NumberKind.implied)


def readings(s: str) -> list[Reading]:
    """Every figure the sentence states without a number: its zeros, its ones, then its
    lists."""
    return [*stated_zeros(s), *implied_ones(s), *listed(s)]


# --- none ----------------------------------------------------------------------------------

_NOBODY = (r"(?:(?:no\s+one|nobody)(?:\s+else)?|none(?:\s+of\s+(?:the|them|those|its|their)\b"
           r"(?:\s+[\w-]+){0,3}?)?)")
_HARM = r"killed|dead|hurt|injured|wounded|harmed"
_ZEROS = [
    re.compile(rf"\b{_NOBODY}\s+(?:was|were|had\s+been|has\s+been|have\s+been|is|are)\s+"
               rf"(?:\w+ly\s+|reported\s+)?(?P<what>(?:{_HARM})(?:\s+or\s+(?:{_HARM}))?)\b",
               re.I),
    re.compile(rf"\b{_NOBODY}\s+(?P<what>died)\b", re.I),
    re.compile(r"\b(?:no|without(?:\s+causing)?(?:\s+any)?)\s+(?:(?:immediate|other|reported|"
               r"known|serious)\s+)?(?P<what>(?:deaths?|fatalities|injuries)\s+(?:or|and|nor)\s+"
               r"(?:deaths?|fatalities|injuries)|casualties|deaths?|fatalities|injuries)\b",
               re.I),
]
_WHAT = [(re.compile(r"casualt|hurt|harmed", re.I), ("killed", "wounded")),
         (re.compile(r"kill|dead|death|died|fatal", re.I), ("killed",)),
         (re.compile(r"injur|wound", re.I), ("wounded",))]


def stated_zeros(s: str) -> Iterator[Reading]:
    """Every outcome the sentence says none of: "Nobody was hurt" (killed and wounded 0),
    "No deaths or injuries were recorded", "no one died". Not arrests: "no arrests have been
    made" is read as 0 by the rules (rules/arrests.py), so the count candidates stay as they are."""
    for pattern in _ZEROS:
        for m in pattern.finditer(s):
            what = m.group("what")
            outcomes = {o for p, os in _WHAT if p.search(what) for o in os}
            for outcome in sorted(outcomes):
                yield Reading(outcome, 0, m.start(), m.end(), what, "")


# --- one -----------------------------------------------------------------------------------

_PASSIVE_CUES = {
    "killed": r"killed|shot\s+dead|stabbed\s+to\s+death|beaten\s+to\s+death|murdered|slain|"
              r"assassinated|executed|fatally\s+\w+|found\s+dead",
    "wounded": r"wounded|injured|hurt",
    "arrested": r"arrested|detained|taken\s+into\s+custody|apprehended|captured|"
                r"held\s+for\s+questioning|charged",
}
_ACTIVE_CUES = {
    "killed": r"killed|killing|shot\s+dead|murdered|assassinated",
    "wounded": r"wounded|wounding|injured|injuring",
    "arrested": r"arrested|arresting|detained|detaining|apprehended|captured",
}
_DEFINITE = r"(?:the|his|her|their|its)"
_HEAD = rf"(?:[\w'’-]+\s+){{0,2}}?(?P<head>(?:{PERSON_NOUNS}))\b"
_OF_NAME = r"(?:\s+of\s+(?:the\s+)?[A-Z][\w'’-]*(?:\s+[A-Z][\w'’-]*)*)?"
_APPOSITIVE = r"(?:(?:,\s+[^,;:()]{1,80}?){1,2},)?"  # ", Wilner Jean-Baptiste, 44,"
_SINGULAR_AUX = r"\s+(?:was|has\s+been|had\s+been|is|was\s+later|was\s+also)\s+(?:\w+ly\s+)?"
_NAME = r"(?P<name>(?<![\w'’-])(?!(?:The|A|An|In|On|At|His|Her)\b)[A-Z][\w'’-]+" \
        r"(?:\s+(?:[A-Z][\w'’-]+|al-[\w'’-]+|bin|de|da|van))+)"
_PLURAL = {"people", "men", "women", "children", "police", "staff", "crew", "personnel",
           "troops", "babies", "wives", "others", "gunmen", "fishermen", "businessmen",
           "watchmen", "militiamen"}


def _passive(outcome: str) -> list[re.Pattern[str]]:
    cue = rf"(?P<cue>{_PASSIVE_CUES[outcome]})\b"
    return [re.compile(rf"\b(?P<np>{_DEFINITE}\s+{_HEAD}{_OF_NAME}){_APPOSITIVE}{_SINGULAR_AUX}"
                       rf"{cue}", re.I),
            re.compile(rf"{_NAME}{_APPOSITIVE}{_SINGULAR_AUX}{cue}")]


# "He was shot in the chest and died", "she later died in hospital": one, where the text
# names no figure of its own (counts.py drops the one otherwise).
_PRONOUN = {
    "killed": re.compile(r"\b(?P<np>[Hh]e|[Ss]he)\b(?:\s+(?:was|had\s+been)\s+[^.;,]{0,40}?\s+and)?"
                         r"\s+(?:later\s+|subsequently\s+|then\s+)?(?P<cue>died|succumbed|"
                         r"was\s+(?:killed|shot\s+dead|pronounced\s+dead|found\s+dead))\b"),
}


def _active(outcome: str) -> re.Pattern[str]:
    return re.compile(rf"\b(?P<cue>{_ACTIVE_CUES[outcome]})\s+(?P<np>{_DEFINITE}\s+{_HEAD})",
                      re.I)


_PATTERNS = {o: [*_passive(o), _active(o), *([_PRONOUN[o]] if o in _PRONOUN else [])]
             for o in _PASSIVE_CUES}
assert all(k in OUTCOME_CUES for k in _PATTERNS)


def _singular(word: str) -> bool:
    w = word.lower()
    return w not in _PLURAL and not (w.endswith("s") and not w.endswith("ss"))


def implied_ones(s: str) -> Iterator[Reading]:
    """Every singular person the sentence says was killed, wounded or arrested without a
    figure: a definite or possessive subject ("the guard was killed", "his driver was
    wounded"), a named one ("the mayor of Bali Nyonga, Simon Achu Fon, was killed",
    "Juan Pérez was shot dead") or a definite object ("police arrested the driver")."""
    seen: set[tuple[str, int]] = set()  # one person per cue, however many patterns see it
    for outcome, patterns in _PATTERNS.items():
        for pattern in patterns:
            for m in pattern.finditer(s):
                head = m.groupdict().get("head")
                if (head is not None and not _singular(head)) or (outcome, m.end("cue")) in seen:
                    continue
                seen.add((outcome, m.end("cue")))
                who = "np" if m.groupdict().get("np") else "name"
                pronoun = m.group(who).lower() in ("he", "she")
                yield Reading(outcome, 1, m.start(who), m.end(who), m.group("cue"),
                              "he/she" if pronoun else head or "person")


# --- a list of people -----------------------------------------------------------------------

_ITEM = (rf"(?:{_DEFINITE}|[A-Z][\w'’-]*['’]s)\s+(?:[\w'’-]+\s+){{0,2}}?"
         rf"(?P<head>(?:{PERSON_NOUNS}))\b")
_ITEM_RE = re.compile(_ITEM, re.I)
_BARE = _ITEM.replace("?P<head>", "")
_LISTS = {o: re.compile(rf"(?P<np>\b{_BARE}(?:\s*,\s*{_BARE})*\s*,?\s+and\s+{_BARE})"
                        rf"\s+were\s+(?:\w+ly\s+)?(?P<cue>{_PASSIVE_CUES[o]})\b", re.I)
          for o in _PASSIVE_CUES}


def listed(s: str) -> Iterator[Reading]:
    """A list of single people the sentence says were killed, wounded or arrested: "the
    ferry's captain, its chief engineer and the first officer were arrested" is 3."""
    for outcome, pattern in _LISTS.items():
        for m in pattern.finditer(s):
            heads = [i.group("head") for i in _ITEM_RE.finditer(m.group("np"))]
            if len(heads) >= 2 and all(_singular(h) for h in heads):
                yield Reading(outcome, len(heads), m.start("np"), m.end("np"), m.group("cue"),
                              " and ".join(heads))
