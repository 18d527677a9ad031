"""Numbers in running text: digits, number words, vague amounts, ordinals used as counts.

`find_numbers(text)` returns every count-like mention with its value (or range), the
qualifier around it ("at least 12", "about 30", "up to 5") and its span; a number that is not
a count of anything is marked with its `measure` (a percentage, an age, a date as in "12 March
2021" or "March 12", a time, a rank as in "the 63rd minute"). It is pure and knows nothing
about briefs, so grounding (checking a model's counts), the rules (producing counts), the
scorers and the perturbation builder share one reading of the text.

    >>> [(m.low, m.high, m.qualifier.value) for m in find_numbers("at least 12 and dozens")]
    [(12, 12, 'at least'), (24, 99, 'exact')]
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from enum import StrEnum

from ..brief import Qualifier

__all__ = ["NumberKind", "NumberMention", "find_numbers", "parse_number"]


class NumberKind(StrEnum):
    """How a number was written; callers weigh the weaker kinds differently."""

    digits = "digits"  # "12", "1,200", "2.5 million"
    words = "words"  # "four", "twenty-three", "a dozen", "none"
    ordinal = "ordinal"  # "a fifth" (as in "killing four and wounding a fifth"): one more
    indefinite = "indefinite"  # "a"/"an" read as one ("a soldier was killed"); opt-in
    vague = "vague"  # "dozens", "hundreds", "several": a range, never an exact figure
    implied = "implied"  # no number written: "the guard was killed" is one (text/implied.py)


@dataclass(frozen=True, slots=True)
class NumberMention:
    """One number in a text: `low`..`high` (equal for an exact figure), qualifier and span.

    `start`/`end` cover the whole phrase, qualifier included ("at least 12"); `text` is that
    phrase. `ordinal` keeps the ordinal of an ordinal-as-count ("a fifth" -> 5) and `measure`
    marks numbers that are not counts of people or things ("percent", "age", "date",
    "time", "rank").
    """

    low: int
    high: int
    qualifier: Qualifier
    start: int
    end: int
    text: str
    kind: NumberKind
    ordinal: int | None = None
    measure: str | None = None

    @property
    def value(self) -> int | None:
        """The figure when exact (low == high), else None."""
        return self.low if self.low == self.high else None

    @property
    def is_range(self) -> bool:
        return self.low != self.high

    def contains(self, value: int) -> bool:
        """Whether `value` is a figure this mention states (for ranges: lies within it)."""
        return self.low <= value <= self.high


# --- vocabulary -------------------------------------------------------------------------------

_UNITS = {
    "zero": 0, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7,
    "eight": 8, "nine": 9, "ten": 10, "eleven": 11, "twelve": 12, "thirteen": 13,
    "fourteen": 14, "fifteen": 15, "sixteen": 16, "seventeen": 17, "eighteen": 18,
    "nineteen": 19,
}
_TENS = {
    "twenty": 20, "thirty": 30, "forty": 40, "fifty": 50, "sixty": 60, "seventy": 70,
    "eighty": 80, "ninety": 90,
}
_SCALES = {"thousand": 1_000, "million": 1_000_000, "billion": 1_000_000_000}
_ORDINALS = {
    "first": 1, "second": 2, "third": 3, "fourth": 4, "fifth": 5, "sixth": 6, "seventh": 7,
    "eighth": 8, "ninth": 9, "tenth": 10, "eleventh": 11, "twelfth": 12, "thirteenth": 13,
    "fourteenth": 14, "fifteenth": 15, "sixteenth": 16, "seventeenth": 17, "eighteenth": 18,
    "nineteenth": 19, "twentieth": 20,
}
# Fixed phrases; the vague ones are ranges, so a precise figure read from them stands out.
_PHRASES = {
    "half a dozen": (6, 6),
    "dozens": (24, 99), "scores": (40, 99), "hundreds": (200, 999),
    "thousands": (2_000, 9_999), "tens of thousands": (20_000, 99_999),
    "hundreds of thousands": (200_000, 999_999), "millions": (2_000_000, 9_999_999),
    "several": (3, 9), "a few": (2, 5), "a handful": (2, 6), "a couple": (2, 3),
    "a pair": (2, 2), "both": (2, 2),
}
_ZERO = r"no\s+one|nobody|none|no(?=\s+(?:casualties|deaths|fatalities|injuries|arrests)\b)"

_QUALIFIERS_BEFORE = [
    (Qualifier.at_least, r"at\s+least|no\s+fewer\s+than|no\s+less\s+than|not\s+less\s+than|"
                         r"more\s+than|over|upwards\s+of|in\s+excess\s+of|a\s+minimum\s+of"),
    (Qualifier.approximately, r"about|around|approximately|roughly|some|nearly|almost|"
                              r"close\s+to|an\s+estimated|estimated|an\s+approximate"),
    (Qualifier.up_to, r"up\s+to|as\s+many\s+as|at\s+most|no\s+more\s+than|fewer\s+than|"
                      r"less\s+than|under|a\s+maximum\s+of"),
]
_QUALIFIERS_AFTER = [
    (Qualifier.at_least, r"\s+or\s+more\b|\s*\+"),
    (Qualifier.approximately, r"\s+or\s+so\b"),
]
_BEFORE_RE = [(q, re.compile(rf"\b(?:{p})\s+$", re.I)) for q, p in _QUALIFIERS_BEFORE]
_AFTER_RE = [(q, re.compile(p, re.I)) for q, p in _QUALIFIERS_AFTER]

# --- patterns ---------------------------------------------------------------------------------

_WORD = "|".join(sorted([*_UNITS, *_TENS, *_SCALES, "hundred", "dozen"], key=len, reverse=True))
# "and" belongs to a number only after a scale word: "one hundred and five", never "two and".
_WORDS_RE = re.compile(
    rf"\b(?:(?:a|an)\s+(?=(?:hundred|thousand|million|dozen)\b))?(?:{_WORD})"
    rf"(?:(?:-|\s+|(?<=hundred)\s+and\s+|(?<=thousand)\s+and\s+)(?:{_WORD}))*\b"
    rf"(?:\s+dozen\b)?",
    re.I,
)
_DIGITS_RE = re.compile(
    r"(?<![\w.,:/])(\d{1,3}(?:,\d{3})+|\d+(?:\.\d+)?)(?![\d:/]|\.\d|,\d{3})"
    r"(?:\s+(hundred|thousand|million|billion)\b)?",
    re.I,
)
_PHRASE_RE = re.compile(
    r"\b(?:" + "|".join(re.escape(v).replace(r"\ ", r"\s+")
                        for v in sorted(_PHRASES, key=len, reverse=True)) + r")\b",
    re.I,
)
_ZERO_RE = re.compile(rf"\b(?:{_ZERO})\b", re.I)
# An ordinal after "a"/"another" is one more of something ("wounding a fifth"); followed by
# "of" it is a fraction ("a fifth of the vote"), and "a second time" is not a count either.
_ORDINAL_RE = re.compile(
    r"\b(?:a|an|another)\s+(" + "|".join(_ORDINALS) + r")\b"
    r"(?!\s+(?:of|time|times|term|round|day|week|month|year|consecutive|straight|half)\b)",
    re.I,
)
_INDEFINITE_RE = re.compile(
    r"\b(?:a|an)\s+(?!(?:few|lot|number|result|bit|total|handful|couple|pair|dozen|hundred|"
    r"thousand|million|series|range|variety|majority|minority|wave|spate|string|host|"
    # "an unknown number of others", "an estimated 300": no figure of one.
    r"unknown|undisclosed|unspecified|undetermined|unconfirmed|estimated|additional|"
    r"average|overall|extra|further|growing|increasing|large|small|significant)\b)"
    r"(?=[a-z]|\d+-year-old\b)",
    re.I,
)
_MONTH = (r"(?:January|February|March|April|May|June|July|August|September|October|"
          r"November|December|Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sept?|Oct|Nov|Dec)\b\.?")
_MEASURE_AFTER = [
    ("percent", re.compile(r"\s*(?:%|percent\b|per\s+cent\b)", re.I)),
    ("age", re.compile(r"-?\s*years?[-\s]+old\b", re.I)),
    # "12 March 2021", "4th of July": a day of the month, not a count.
    ("date", re.compile(rf"(?:st|nd|rd|th)?\s+(?:of\s+)?{_MONTH}")),
    ("time", re.compile(r"\s*(?:a\.m\.|p\.m\.|am\b|pm\b|o'clock\b|hrs\b|GMT\b|UTC\b)",
                        re.I)),
    ("rank", re.compile(r"(?:st|nd|rd|th)\b")),  # "the 63rd minute", "his 3rd term"
]
# "March 12", "March 12, 2021": a day of the month too.
_MONTH_BEFORE = re.compile(rf"\b{_MONTH}\s+$")


# --- parsing ----------------------------------------------------------------------------------


def _parse_words(phrase: str) -> int | None:
    """Value of a number-word phrase ("twenty-three", "a hundred and five", "two dozen")."""
    total = current = 0
    seen = False
    for word in re.split(r"[\s-]+", phrase.lower()):
        if word in ("a", "an"):
            current = 1
        elif word == "and":
            continue
        elif word in _UNITS or word in _TENS:
            small = _UNITS.get(word, _TENS.get(word, 0))
            if current % 100 and not (current % 100 in _TENS.values() and small < 10):
                return None  # "three four" is two numbers, not one
            current += small
        elif word == "hundred":
            current = (current or 1) * 100
        elif word == "dozen":
            current = (current or 1) * 12
        elif word in _SCALES:
            total += (current or 1) * _SCALES[word]
            current = 0
        else:
            return None
        seen = True
    return total + current if seen else None


def parse_number(text: str) -> int | None:
    """The integer a short phrase states, or None: "1,200", "twenty-three", "a dozen",
    "2.5 million", "none". A rules backend uses it for a figure it already isolated."""
    phrase = " ".join(text.strip().split())
    if not phrase:
        return None
    if _ZERO_RE.fullmatch(phrase):
        return 0
    if _PHRASE_RE.fullmatch(phrase):
        low, high = _PHRASES[phrase.lower()]
        return low if low == high else None  # "dozens" is no one number
    digits = _DIGITS_RE.fullmatch(phrase)
    if digits:
        return _digits_value(digits.group(1), digits.group(2))
    return _parse_words(phrase) if _WORDS_RE.fullmatch(phrase) else None


def _digits_value(number: str, scale: str | None) -> int | None:
    value = float(number.replace(",", ""))
    if scale:
        value *= 100 if scale.lower() == "hundred" else _SCALES[scale.lower()]
    return int(value) if value == int(value) else None  # "1.5 people" is not a count


# --- finding ----------------------------------------------------------------------------------


def _raw_mentions(text: str, indefinite: bool) -> list[tuple[int, int, int, int, NumberKind,
                                                            int | None]]:
    """(start, end, low, high, kind, ordinal) for every bare number, before qualifiers."""
    found: list[tuple[int, int, int, int, NumberKind, int | None]] = []
    for m in _DIGITS_RE.finditer(text):
        value = _digits_value(m.group(1), m.group(2))
        if value is not None:
            found.append((m.start(), m.end(), value, value, NumberKind.digits, None))
    for m in _PHRASE_RE.finditer(text):
        low, high = _PHRASES[" ".join(m.group().lower().split())]
        kind = NumberKind.words if low == high else NumberKind.vague
        found.append((m.start(), m.end(), low, high, kind, None))
    for m in _WORDS_RE.finditer(text):
        value = _parse_words(m.group())
        if value is not None:
            found.append((m.start(), m.end(), value, value, NumberKind.words, None))
        else:  # an over-greedy run ("three four"): read its words one by one
            for w in re.finditer(r"[A-Za-z]+", m.group()):
                one = _parse_words(w.group())
                if one is not None:
                    s = m.start() + w.start()
                    found.append((s, s + len(w.group()), one, one, NumberKind.words, None))
    for m in _ZERO_RE.finditer(text):
        found.append((m.start(), m.end(), 0, 0, NumberKind.words, None))
    for m in _ORDINAL_RE.finditer(text):
        nth = _ORDINALS[m.group(1).lower()]
        found.append((m.start(), m.end(), 1, 1, NumberKind.ordinal, nth))
    if indefinite:
        for m in _INDEFINITE_RE.finditer(text):
            end = m.start() + len(m.group().split()[0])
            found.append((m.start(), end, 1, 1, NumberKind.indefinite, None))
    return _drop_overlaps(found)


def _drop_overlaps(found: list[tuple[int, int, int, int, NumberKind, int | None]]
                   ) -> list[tuple[int, int, int, int, NumberKind, int | None]]:
    # The longest reading wins ("tens of thousands" over "thousands", "a fifth" over "a").
    kept: list[tuple[int, int, int, int, NumberKind, int | None]] = []
    for item in sorted(found, key=lambda f: (-(f[1] - f[0]), f[0])):
        if all(item[1] <= k[0] or item[0] >= k[1] for k in kept):
            kept.append(item)
    return sorted(kept)


def _qualify(text: str, start: int, end: int) -> tuple[Qualifier, int, int]:
    """The qualifier around a number and the span widened to include it."""
    head = text[max(0, start - 40):start]
    for qualifier, pattern in _BEFORE_RE:
        m = pattern.search(head)
        if m:
            return qualifier, start - (len(head) - m.start()), end
    for qualifier, pattern in _AFTER_RE:
        m = pattern.match(text, end)
        if m:
            return qualifier, start, m.end()
    return Qualifier.exact, start, end


def _measure(text: str, start: int, end: int, kind: NumberKind) -> str | None:
    for name, pattern in _MEASURE_AFTER:
        if pattern.match(text, end) and (kind is NumberKind.digits or name in ("percent",
                                                                                "age")):
            return name
    if kind is NumberKind.digits and _MONTH_BEFORE.search(text[max(0, start - 12):start]):
        return "date"
    return None


_BETWEEN = re.compile(r"\bbetween\s+$", re.I)


def _merge_ranges(text: str, mentions: list[NumberMention]) -> list[NumberMention]:
    """Join "between 10 and 20", "10 to 20", "10-20" and "four or five" into one range."""
    out: list[NumberMention] = []
    for m in mentions:
        prev = out[-1] if out else None
        if prev and _joins(text, prev, m):
            window = text[max(0, prev.start - 10):prev.start]
            between = _BETWEEN.search(window)
            start = prev.start - len(window) + between.start() if between else prev.start
            out[-1] = NumberMention(
                low=prev.low, high=m.high, qualifier=prev.qualifier, start=start, end=m.end,
                text=text[start:m.end], kind=prev.kind, measure=m.measure,
            )
        else:
            out.append(m)
    return out


def _joins(text: str, a: NumberMention, b: NumberMention) -> bool:
    if NumberKind.vague in (a.kind, b.kind) or NumberKind.indefinite in (a.kind, b.kind):
        return False
    if a.kind is NumberKind.ordinal or b.kind is NumberKind.ordinal or a.high >= b.low:
        return False
    gap = text[a.end:b.start]
    if re.fullmatch(r"\s+and\s+", gap):  # only "between X and Y" is a range
        return bool(_BETWEEN.search(text[max(0, a.start - 10):a.start]))
    return bool(re.fullmatch(r"\s*(?:-|–|—)\s*|\s+(?:to|or)\s+", gap, re.I))


def find_numbers(text: str, *, indefinite: bool = False) -> list[NumberMention]:
    """Every count-like number in `text`, in order of appearance.

    Digits ("12", "1,200", "2.5 million"), number words ("four", "twenty-three", "a dozen"),
    zero words ("none", "no one"), vague amounts as ranges ("dozens" is 24-99), ordinals used
    as counts ("wounding a fifth" is one more person, `ordinal=5`), ranges ("10 to 20", "four
    or five") and their qualifiers ("at least", "about", "up to", "more than", "or more").
    With `indefinite=True`, "a"/"an" before a word is also read as one: most of those are not
    counts, so callers must check the context ("a soldier was killed").
    """
    mentions = []
    for start, end, low, high, kind, nth in _raw_mentions(text, indefinite):
        qualifier, q_start, q_end = _qualify(text, start, end)
        mentions.append(NumberMention(
            low=low, high=high, qualifier=qualifier, start=q_start, end=q_end,
            text=text[q_start:q_end], kind=kind, ordinal=nth,
            measure=_measure(text, start, end, kind),
        ))
    return _merge_ranges(text, mentions)
