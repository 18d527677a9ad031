"""Which figures become casualty records, and how their records relate: a toll or its parts,
and sources that disagree (alternatives: one range, not a sum).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence

from ..brief import Side
from ..text import CountCandidate
from ..text.normalize import label_key
from ..text.numbers import NumberKind

__all__ = ["alternatives", "record_parts"]

# Words for people that name no group of their own: two figures of these from two sources
# are two readings of one toll ("12 civilians" per the ministry, "19 bodies" per a nurse).
_GENERIC = {"", "people", "person", "persons", "civilians", "civilian", "protesters",
            "protester", "demonstrators", "demonstrator", "bodies", "body", "dead", "victims",
            "villagers", "residents", "others", "individuals"}


_BODIES = {"bodies", "body", "dead"}


def record_parts(counts: Sequence[CountCandidate]) -> list[CountCandidate]:
    """The killed and wounded figures that become records, in text order.

    Per outcome: where the text states a toll ("killing eight people") and its other figures
    do not add up to it (they restate or revise it: "six were dead" by morning, "two more
    bodies"), the victims' record is the largest figure, not a sum; else each part is a
    record. A breakdown ("among them two children") is never a record.
    """
    parts: list[CountCandidate] = []
    for outcome in ("killed", "wounded"):
        mine = [c for c in counts if c.outcome == outcome]
        victims = [c for c in mine if c.side is Side.victims and not c.subset]
        pieces = [c for c in mine if not c.total] or mine
        # a vague figure ("dozens more") is never the toll over a stated one
        toll = max(victims, key=lambda c: (c.mention.kind is not NumberKind.vague, c.value)) \
            if any(c.total for c in victims) else (
            _lede_toll(victims))
        split = {c.value for c in pieces if c.side is Side.victims}
        if toll is not None and sum(split) != toll.value:
            parts.append(toll)
            parts += [c for c in pieces if c.side is not Side.victims]
        else:
            parts += pieces
    return sorted(parts, key=lambda c: c.mention.start)


_SEPARATE = re.compile(r"\b(?:separate|separately|another|elsewhere|meanwhile|also|earlier|"
                       r"later|second|new)\b", re.I)


def _lede_toll(victims: Sequence[CountCandidate]) -> CountCandidate | None:
    """The toll the first sentence states for everyone ("Nineteen people were killed ..."),
    when every later victims' figure is of a group of its own, smaller together than it, and
    not of a separate incident: those are its parts, told again ("five soldiers" at the
    checkpoint), not more dead."""
    if not victims:
        return None
    first = victims[0]
    rest = [c for c in victims[1:] if c.value != first.value]
    if (first.sentence.start != min(c.sentence.start for c in victims) or first.implied
            or _head(first.group) not in _GENERIC or not rest
            or first.sentence.start > 400  # the lede, not a later paragraph
            or sum(c.value for c in rest) > first.value
            or any(_SEPARATE.search(c.sentence.text) for c in rest)):
        return None
    return first


def _head(group: str) -> str:
    words = label_key(group).split()
    return words[-1] if words else ""


def alternatives(records: Sequence[Sequence[CountCandidate]],
                 source: Callable[[int], str | None]) -> dict[int, int]:
    """Record index -> the index of an earlier record it is another source's reading of
    (`source(i)`: who reports record i's figures).

    Two victims' figures for the same outcome are alternatives when they come from different
    sentences with different named sources ("the government said two protesters were
    killed"; "the opposition said seven demonstrators had been killed"), differ, and count
    the same people (the same head word, or words that name no group of their own). Their
    records then share an incident and a group, so the total is their range, not their sum.
    """
    out: dict[int, int] = {}
    for j, later in enumerate(records):
        for i in range(j):
            if i in out:
                continue
            if _disagree(records[i], later, source(i), source(j)):
                out[j] = i
                break
    return out


def _disagree(a: Sequence[CountCandidate], b: Sequence[CountCandidate],
              said_a: str | None, said_b: str | None) -> bool:
    first, second = a[0], b[0]
    if first.sentence.start == second.sentence.start or Side.victims not in (first.side,
                                                                             second.side) \
            or first.side is not second.side:
        return False
    if not said_a or not said_b or label_key(said_a) == label_key(said_b):
        return False
    outcomes = {c.outcome for c in a} & {c.outcome for c in b}
    if not outcomes or any(c.implied or c.value == 0 for c in (*a, *b)):
        return False
    if any(next(c.value for c in a if c.outcome == o) == next(c.value for c in b
                                                               if c.outcome == o)
           for o in outcomes):
        return False  # the same figure again: one record already says it
    ha, hb = _head(first.group), _head(second.group)
    # "six bodies" (a hospital's count) may be of any group: another reading of the toll
    return ha == hb or (ha in _GENERIC and hb in _GENERIC) or bool({ha, hb} & _BODIES)
