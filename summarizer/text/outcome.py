"""Which outcome a number belongs to: the one decision, clause-aware.

A number counts for the outcome whose cue (cues.py) is nearest to it *in its own part of the
clause*. Hard breaks (";", ":", a sentence end, "but", "while", "after", ...) end the reach
of a cue; soft breaks (a comma, "and", a dash) do not, but a cue across fewer of them wins
over a nearer one across more:

    "one soldier was killed, four were hurt"      four -> hurt (not the nearer "killed")
    "killing four officers and wounding a fifth"  four -> killing, a fifth -> wounding
    "Four people (two of them marshals) were killed"   a parenthesis between them is skipped

A cue a number is drawn from is not its outcome: in "one of the wounded later died", one died.

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

    def of(self, mention: NumberMention, *, commas: bool = True) -> Cue | None:
        """The cue the number belongs to, or None when no cue reaches it (with `commas`
        False, none reaches it across a comma)."""
        best: tuple[tuple[int, int, int, str], Cue] | None = None
        drawn: Cue | None = None
        for i, cue in enumerate(self.cues):
            if cue.end <= mention.start:
                gap, after = self.text[cue.end:mention.start], 0
            elif cue.start >= mention.end:
                if i in self._governing:
                    continue  # its figure is the one after it, not this one
                gap, after = self.text[mention.end:cue.start], 1
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
