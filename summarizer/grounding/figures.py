"""Reading the numbers of a located quote: which outcome each is tied to, and whom it counts.

What a number in a clause counts is told by the nearest outcome word around it. A number
supports a count when it states that figure and is not tied to another outcome in the same
clause: in "killing four officers and wounding a fifth", "four" goes with killing and
"a fifth" (one more) with wounding.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from itertools import combinations

from ..brief import Count, Qualifier
from ..numbers import NumberKind, NumberMention, find_numbers
from .source import Where

__all__ = ["MAX_SUM_PARTS", "SpanNumber", "content_words", "numbers_in", "states", "sums_to"]

MAX_SUM_PARTS = 12  # subset sums over at most this many numbers (2**12 subsets)

_CUES = {
    "killed": r"kill\w*|dead|deaths?|died|dies|dying|lives|life|fatalit\w*|fatal|bodies|slain|"
              r"murdered|executed|perished|toll",
    "wounded": r"wound\w*|injur\w*|hurt|hospitali[sz]ed",
    "arrested": r"arrest\w*|detain\w*|detention|detainees?|apprehended|custody|captured|"
                r"charged|released|questioning|held",
}
_CUE_RE = re.compile("|".join(rf"(?P<{k}>\b(?:{v})\b)" for k, v in _CUES.items()), re.I)
_CUE_REACH = 80  # characters: beyond this a verb is about something else
_AND = re.compile(r"\band\b", re.I)
_CLAUSE_BREAK = re.compile(r"[;:]|(?<![A-Z])\.\s|\n")


@dataclass(frozen=True, slots=True)
class SpanNumber:
    """A number read from one located quote: its mention, outcome tag and article position."""

    mention: NumberMention
    tag: str | None
    key: Where  # where in the article it stands, to tell one number used twice
    head: frozenset[str]  # the words it counts: "two U.S. service members" -> service, member


def _tag(span: str, mention: NumberMention) -> str | None:
    best: tuple[int, int, str] | None = None
    for cue in _CUE_RE.finditer(span):
        if cue.end() <= mention.start:
            gap, side = span[cue.end():mention.start], 0
        elif cue.start() >= mention.end:
            gap, side = span[mention.end:cue.start()], 1
        else:
            continue
        if len(gap) > _CUE_REACH or _CLAUSE_BREAK.search(gap):
            continue
        # A cue across an "and" belongs to the other half of the clause: in "seven were
        # killed and four were injured", "four" goes with "injured" (as in candidates).
        near = len(gap) + (20 if _AND.search(gap) else 0)
        rank = (near, side, cue.lastgroup or "")
        if best is None or rank < best:
            best = rank
    return best[2] if best else None


def numbers_in(span: str, where: Where) -> list[SpanNumber]:
    """The counting numbers of `span` (measures left out; "a" only next to an outcome)."""
    numbers = []
    mentions = find_numbers(span, indefinite=True)
    for k, m in enumerate(mentions):
        if m.measure is not None:
            continue
        tag = _tag(span, m)
        if m.kind is NumberKind.indefinite and tag is None:
            continue  # "a" is one only next to an outcome: "a soldier was killed"
        stop = mentions[k + 1].start if k + 1 < len(mentions) else len(span)
        head = content_words(" ".join(_CLAUSE_BREAK.split(span[m.end:stop])[0].split()[:6]))
        numbers.append(SpanNumber(m, tag, (where[0], where[1] + m.start), head))
    return numbers


_STOP = {"the", "and", "for", "with", "near", "from", "were", "was", "have", "has", "been",
         "who", "that", "this", "their", "more", "other", "into", "after", "during", "some",
         # Words any group may use: they tie a number to no group in particular.
         "people", "person", "persons", "others"}


def content_words(text: str) -> frozenset[str]:
    """Content words, crudely singular: enough to tell "members" from "interpreter"."""
    return frozenset(w.removesuffix("s") for w in re.findall(r"[a-z]{3,}", text.lower())
                     if w not in _STOP)


def states(mention: NumberMention, count: Count) -> bool:
    """Whether the mention states the count's figure."""
    if not mention.contains(count.value):
        return False
    # "dozens" supports a hedged figure, never an exact one.
    return mention.kind is not NumberKind.vague or count.qualifier is not Qualifier.exact


def sums_to(value: int, parts: list[SpanNumber]) -> bool:
    """Whether two or more of the exact figures among `parts` add up to `value`."""
    exact = [p.mention.value for p in parts[:MAX_SUM_PARTS]
             if p.mention.value and p.mention.kind is not NumberKind.vague]
    return any(sum(c) == value for n in range(2, len(exact) + 1)
               for c in combinations(exact, n))
