"""Reading the numbers of a located quote: which outcome each is tied to, and whom it counts.

What a number counts is decided by `summarizer.text.outcome` (the same reading the rules
use): the nearest outcome cue in its own part of the clause. A number supports a count when
it states that figure and is not tied to another outcome: in "killing four officers and
wounding a fifth", "four" goes with killing and "a fifth" (one more) with wounding; in "one
soldier was killed, four were hurt", four goes with hurt.

What is no count is left out as the text package reads it (an age, "Wilner Jean-Baptiste, 44,";
things, "three laboratories"), and a figure that breaks down the one before it ("31 were
killed, nine of them children") is marked a `part`: it is not that total, nor added to it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from itertools import combinations

from ..brief import Count, Qualifier
from ..text.context import in_apposition, not_a_count, not_one_person
from ..text.counts import count_candidates, may_hold_parts
from ..text.cues import CUE_RE, WITH_INJURY
from ..text.headline import headline_sentences
from ..text.implied import readings
from ..text.numbers import NumberKind, NumberMention, find_numbers
from ..text.outcome import HARD_BREAK, Outcomes
from ..text.people import died_ones, listed_people, more_people, own_deaths
from ..text.sentences import Sentence
from .source import Where

__all__ = ["MAX_SUM_PARTS", "SpanNumber", "content_words", "numbers_in", "states", "sums_to"]

MAX_SUM_PARTS = 12  # subset sums over at most this many numbers (2**12 subsets)


@dataclass(frozen=True, slots=True)
class SpanNumber:
    """A number read from one located quote: its mention, outcome tag and article position."""

    mention: NumberMention
    tag: str | None
    key: Where  # where in the article it stands, to tell one number used twice
    head: frozenset[str]  # the words it counts: "two U.S. service members" -> service, member
    phrase: str = ""  # the number with the words it counts, as written: "two U.S. service members"
    part: bool = False  # a part of a figure given beside it: "31 killed, nine of them children"

    def says(self) -> str:
        """What the text says of it, for a flag: '"four officers" killed'."""
        phrase = self.phrase or self.mention.text
        outcome = {None: "with no outcome", "other": "with another outcome"}.get(self.tag,
                                                                                 self.tag)
        return f'"{phrase}" {outcome}'


def numbers_in(span: str, where: Where,
               context: tuple[str, int] | None = None) -> list[SpanNumber]:
    """The counting numbers of `span` (measures left out; "a" only before a word for people
    and next to an outcome, as the rules read it).

    With `context` (the sentence around the quote and where it starts in the article), the
    numbers are still the quote's own, but each is read in its whole sentence: "a security
    guard at the main gate" quoted from "the dead were three employees, a security guard at
    the main gate and a taxi driver" is one killed."""
    if where[0] == "title":
        # a headline's grammar: read as the sentences it abbreviates ("Teen killed, two
        # others wounded" -> "A teen was killed. Two others were wounded."), as the rules
        # read it; its numbers keep their order, so their keys still tell them apart
        return list(_read(headline_sentences(span) or span, where))
    if context is None or where[0] != "text":
        return list(_read(span, where))
    text, offset = context
    lo = where[1] - offset
    if lo < 0 or lo + len(span) > len(text):
        return list(_read(span, where))
    hi = lo + len(span)
    wide = [n for n in _read(text, (where[0], offset))
            if lo <= n.key[1] - offset and n.key[1] - offset + len(n.mention.text) <= hi]
    if not text[:lo].strip() and not text[hi:].strip(_CLOSING):
        # The quote is its whole sentence but for the closing stop (models drop it): its own
        # reading is the sentence's, and a second read would cost as much as the first.
        return wide
    return _with_own_reading(wide, span, where)


_CLOSING = " \t\n.!?;:\"'”’)]"


def _with_own_reading(wide: list[SpanNumber], span: str, where: Where) -> list[SpanNumber]:
    """The numbers of a quote read in its sentence (`wide`), and beside them the quote's own
    reading where the two differ: a cue of the next clause ("12 children -- and wounded 30")
    does not take a figure from the quote's."""
    seen = {(n.key, n.tag) for n in wide}
    tagged = {n.key for n in wide if n.tag is not None}
    return [*wide, *(n for n in _read(span, where) if (n.key, n.tag) not in seen
                     and not (n.tag is None and n.key in tagged))]


# The words a number counts end where its clause's verb begins: in "six people were killed
# when inmates overpowered guards", six counts people, not inmates.
_HEAD_END = re.compile(r"\b(?:was|were|is|are|had|has|have|been|be|who|whom|which|that|when|"
                       r"where|while|during|after|before|as|said|says|according)\b", re.I)


_PREDICATE = re.compile(r"^\s*(?:of\s+them\s+)?(?:were|was|are|is)\s+", re.I)


def _head(text: str) -> tuple[frozenset[str], str]:
    """The words a number counts (content words), and them as written."""
    # "five were soldiers and two were militia members": five counts soldiers.
    text = _PREDICATE.sub("", HARD_BREAK.split(text)[0])
    text = _HEAD_END.split(text)[0]
    cue = CUE_RE.search(text)
    words = (text[:cue.start()] if cue else text).split()[:6]
    said = re.split(r"[,(—–]|\s(?:and|or|at|in|on|of|from|to|with|by|near)(?:\s|$)",
                    " ".join(words[:4]))
    return content_words(" ".join(words)), said[0].strip(",;:.!?\"”’—–- ")


# Counts, sides and incidents each read the same quotes and sentences: read each once.
@lru_cache(maxsize=1024)
def _read(span: str, where: Where) -> tuple[SpanNumber, ...]:
    numbers: list[SpanNumber] = []
    breakdown = _breakdown(span)
    found = find_numbers(span, indefinite=True)
    outcomes = Outcomes(span, found)
    # "a third, a 71-year-old woman" is one person: the second "a" is no number at all.
    mentions = [m for k, m in enumerate(found)
                if not in_apposition(span, m, found[k - 1] if k else None)]
    for k, m in enumerate(mentions):
        if m.measure is not None or not_one_person(span, m) or _not_a_count(span, m):
            continue  # "a ballot box" is no one
        cue = outcomes.of(m)
        tag = cue.outcome if cue is not None else None
        if m.kind is NumberKind.indefinite and tag is None:
            continue  # "a" is one only next to an outcome: "a soldier was killed"
        stop = mentions[k + 1].start if k + 1 < len(mentions) else len(span)
        head, words = _head(span[m.end:stop])
        numbers.append(SpanNumber(m, tag, (where[0], where[1] + m.start), head,
                                  f"{m.text} {words}".strip(), m.start in breakdown))
        # "a fifth was captured with a bullet wound": up to the next figure ("a bullet" is none).
        until = next((n.start for n in mentions[k + 1:] if n.kind is not NumberKind.indefinite),
                     len(span))
        if tag not in (None, "wounded") and WITH_INJURY.search(span[m.end:until]):
            numbers.append(SpanNumber(m, "wounded", numbers[-1].key, head, numbers[-1].phrase,
                                      numbers[-1].part))
    # Figures told without a number, as the rules read them: "nobody was hurt" (0), "the
    # guard was killed", "police arrested the driver" (1).
    for r in readings(span):
        if r.value and any(n.mention.start < r.end and r.start < n.mention.end
                           for n in numbers):
            continue
        numbers.append(SpanNumber(r.mention(span), r.outcome, (where[0], where[1] + r.start),
                                  content_words(r.group), span[r.start:r.end]))
    # ... and as the incident-level reading reads them (issue 33): people listed ("Ana Ruiz
    # and Tom Lee were pronounced dead": 2), one more ("another officer was injured"), the
    # perpetrator's own death ("turned the gun on himself"), one told dead ("the man died").
    whole = Sentence(0, len(span), span)
    for c in [*listed_people(whole), *more_people(whole), *own_deaths(whole),
              *died_ones(whole)]:
        if c.outcome == "shot" or any(n.mention.start == c.mention.start and n.tag == c.outcome
                                      and n.mention.low == c.value for n in numbers):
            continue
        numbers.append(SpanNumber(c.mention, c.outcome, (where[0], where[1] + c.mention.start),
                                  content_words(c.group), c.mention.text))
    return tuple(numbers)


def _breakdown(span: str) -> set[int]:
    """Where the figures of `span` stand that break down a figure given before them in their
    sentence, as the text package reads a breakdown: "31 people were killed, nine of them
    children", "dozens had been wounded, among them two nurses". Not "three of the seven
    people arrested" (the part comes first: the count of those released)."""
    if not may_hold_parts(span):
        return set()  # the whole reading costs more than the rest of grounding together
    cands = count_candidates(span)
    return {c.mention.start for c in cands if c.subset and any(
        not o.subset and o.outcome == c.outcome and o.sentence.start == c.sentence.start
        and o.mention.start < c.mention.start for o in cands)}


# A figure that is the subject of its clause counts people, whatever the word after it:
# "three elements were neutralised", "Three rescuers from the State Emergency Service were
# wounded" (words the text package does not know for people).
_SUBJECT = re.compile(r"(?:\s+[\w'’-]+){1,6}?\s+(?:were|was|are|is|have|has|had)\b", re.I)


def _not_a_count(span: str, m: NumberMention) -> bool:
    """Whether a number is no count of people, as the text package reads it: a measure, an
    age ("Wilner Jean-Baptiste, 44,"; "two 17-year-olds"), a year, a label, things ("three
    laboratories", "three other provinces") -- unless it is its clause's subject."""
    return not_a_count(span, m) and _SUBJECT.match(span, m.end) is None


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
