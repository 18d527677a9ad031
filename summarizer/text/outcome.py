"""Which outcome a number belongs to: the one decision, clause-aware.

A number counts for the outcome whose cue (cues.py) is nearest to it *in its own part of the
clause*. Hard breaks (";", ":", a sentence end, "but", "while", "after", ...) end the reach
of a cue; soft breaks (a comma, "and", a dash) do not, but a cue across fewer of them wins
over a nearer one across more:

    "one soldier was killed, four were hurt"      four -> hurt (not the nearer "killed")
    "killing four officers and wounding a fifth"  four -> killing, a fifth -> wounding
    "Four people (two of them marshals) were killed"   a parenthesis between them is skipped

A cue a number is drawn from is not its outcome: in "one of the wounded later died", one died.

A breakdown set off by dashes after a figure and its group ("three civilians -- a vendor, a
student and a girl -- were killed"; "the three attackers -- one bomber and two men.") is like
a parenthesis: a cue reaches across it, and its figures are parts of that one (`in_aside`).

An active verb that already has its own figure right after it ("killed 12", "killing a
woman") is not the outcome of a figure before it: in "Two gunmen killed 12", two is not a
toll, and in "attacked two people ..., killing a woman and wounding a man" neither is two.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from .cues import CUE_RE
from .numbers import NumberMention

__all__ = ["HARD_BREAK", "REACH", "Cue", "Outcomes", "find_cues"]

REACH = 80  # characters between a figure and its cue; farther, the cue is about another
# A period ends a clause unless it ends an initial ("U.S."): the capital is case-sensitive.
HARD_BREAK = re.compile(r"[;:]|(?<![A-Z])\.\s|\n|(?i:\b(?:but|while|whereas|although|after|"
                        r"as)\b)")
"""Where a clause ends: no cue reaches a number across it."""
_SOFT = re.compile(r",|\band\b|\s[-—–]\s|[—–]", re.I)
_PARTITIVE = re.compile(r"\s+of\s+the\s+", re.I)
_PARENTHESIS = re.compile(r"\([^()]*\)")
_DASH = re.compile(r"\s[-—–]\s|[—–]")
_GROUP = re.compile(r"(?:\s+[\w'’.-]+){0,4}\s*")  # "three civilians", "97 people had been killed"
_ASIDE_END = re.compile(r"[;:]|(?<![A-Z])\.\s|\n")
_PASSIVE = re.compile(r"\b(?:was|were|been|being|is|are|be|get|got)\s+(?:\w+ly\s+)?$", re.I)
_VERB = re.compile(r"(?:kill|wound|injur|arrest|detain|captur|apprehend|execut|murder|"
                   r"behead|lynch|assassinat)\w*$", re.I)


@dataclass(frozen=True, slots=True)
class Cue:
    """One cue in a text: its outcome (killed, wounded, arrested, other) and span."""

    outcome: str
    start: int
    end: int
    text: str


def find_cues(text: str) -> list[Cue]:
    """Every outcome cue in `text`, in order."""
    return [Cue(m.lastgroup or "", m.start(), m.end(), m.group()) for m in CUE_RE.finditer(text)]


def _cost(gap: str) -> tuple[int, int] | None:
    """(soft breaks, length) of the text between a number and a cue; None when a cue cannot
    reach across it."""
    gap = _PARENTHESIS.sub("", gap)
    if "(" in gap or ")" in gap or len(gap) > REACH or HARD_BREAK.search(gap):
        return None
    return len(_SOFT.findall(gap)), len(gap)


class Outcomes:
    """The cues of one text and the numbers in it; `of(mention)` decides a number's cue."""

    def __init__(self, text: str, mentions: Sequence[NumberMention]) -> None:
        self.text = text
        self.cues = find_cues(text)
        starts = sorted(m.start for m in mentions)
        # Active verbs with their own figure right after them: "killed 12", "killing a woman".
        self._governing = {i for i, c in enumerate(self.cues)
                           if _VERB.search(c.text) and not _PASSIVE.search(text[:c.start])
                           and any(s >= c.end and not text[c.end:s].strip() for s in starts)}
        self._asides = _asides(text, mentions)
        self._ends = sorted(m.end for m in mentions)

    def aside_after(self, mention: NumberMention) -> tuple[int, int] | None:
        """The aside that breaks down this figure ("97 people had been killed — 61 men, 24
        women and 12 children —"), if one follows it."""
        for s, e in self._asides:
            before = [end for end in self._ends if end <= s]
            if before and before[-1] == mention.end:
                return s, e
        return None

    def in_aside(self, mention: NumberMention) -> bool:
        """Whether the number is a part of the figure before an aside ("— a street vendor,
        a university student and a nine-year-old girl —")."""
        return any(s <= mention.start < e for s, e in self._asides)

    def _between(self, a: int, b: int) -> str:
        """The text from a to b, asides left out."""
        parts, pos = [], a
        for s, e in self._asides:
            if a <= s and e <= b:
                parts.append(self.text[pos:s])
                pos = e
        return "".join([*parts, self.text[pos:b]])

    def of(self, mention: NumberMention, *, commas: bool = True) -> Cue | None:
        """The cue the number belongs to, or None when no cue reaches it (with `commas`
        False, none reaches it across a comma)."""
        best: tuple[tuple[int, int, int, str], Cue] | None = None
        drawn: Cue | None = None
        for i, cue in enumerate(self.cues):
            if cue.end <= mention.start:
                gap, after = self._between(cue.end, mention.start), 0
            elif cue.start >= mention.end:
                if i in self._governing or any(
                        mention.end < end <= cue.start
                        and (not self.text[end:cue.start].strip()
                             or _PARTITIVE.fullmatch(self.text[end:cue.start]))
                        for end in self._ends):
                    # its figure is the one after it ("killed 12"), or one right before it
                    # ("12 children -- and at least 16 wounded"; "a judge ordered eleven of
                    # the detainees"), not this one
                    continue
                gap, after = self._between(mention.end, cue.start), 1
                if _PARTITIVE.fullmatch(gap):
                    # "one of the wounded later died": whom it is drawn from, its outcome
                    # only where no other cue reaches it ("eight of the dead fighters").
                    drawn = drawn or cue
                    continue
            else:
                continue
            cost = _cost(gap)
            if cost is None or (not commas and "," in gap):
                continue
            rank = (cost[0], cost[1], after, cue.outcome)
            if best is None or rank < best[0]:
                best = (rank, cue)
        return best[1] if best else drawn


def _asides(text: str, mentions: Sequence[NumberMention]) -> list[tuple[int, int]]:
    """Spans set off by a dash right after a figure and its group, up to the next dash (or
    the end of the clause): "three civilians — a street vendor, ... — were killed"."""
    out: list[tuple[int, int]] = []
    dashes = list(_DASH.finditer(text))
    for k, d in enumerate(dashes):
        if out and d.start() < out[-1][1]:
            continue
        before = [m for m in mentions if m.end <= d.start()]
        if not before or not _GROUP.fullmatch(text[before[-1].end:d.start()]):
            continue
        stop = _ASIDE_END.search(text, d.end())
        end = stop.start() if stop else len(text)
        if k + 1 < len(dashes) and dashes[k + 1].start() < end:
            end = dashes[k + 1].end()
        out.append((d.start(), end))
    return out
