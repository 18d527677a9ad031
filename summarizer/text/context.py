"""What a number is when it is not a count: a measure, an age, a year, a label, a figure of
an earlier event. The count reader (counts.py) asks here before it reads a number as killed,
wounded or arrested.
"""

from __future__ import annotations

import re

from .cues import CUE_RE, PERSON_NOUNS
from .numbers import NumberKind, NumberMention
from .outcome import Cue

__all__ = ["BACKGROUND", "PERSON_HEAD", "background_cue", "hypothetical_cue", "in_apposition",
           "not_a_count", "not_one_person", "speakers"]

_UNITS = re.compile(r"^[\s-]*(?:%|percent|per\s+cent|kilo\w*|kg|tonnes?|tons?|pounds?|grams?|"
                    r"euros?|dollars?|pounds|yuan|rupees?|naira|shillings?|francs?|"
                    r"kilometres?|kilometers?|km|miles?|metres?|meters?|feet|hours?|minutes?|"
                    r"seconds?|days?|weeks?|months?|years?|decades?|times|containers?|"
                    r"vehicles?|cars?|trucks?|homes?|houses?|buildings?|rounds?|shots?|"
                    r"bags?|boats?|ships?|votes?|seats?|points?|storey|story|floors?|wagons?|"
                    r"famil(?:y|ies)|households?|clans?|tribes?)\b",
                    re.I)
_NOT_BEFORE = re.compile(r"\b(?:aged|age|ages|between|route|number|no\.|page|chapter|"
                         r"article|resolution|flight)\s+$", re.I)
# "Wilner Jean-Baptiste, 44, was shot dead"; "aged six and eleven": ages, not counts.
_AGE_APPOSITIVE = re.compile(r"[A-Z][\w'’.-]+,\s*$")
_AGED = re.compile(r"\b(?:aged|ages)\s+(?:[\w-]+(?:,|\s+and|\s+to)\s+){0,3}$", re.I)
# "Community 1", "Barrio 18", "Gate 3": a number in a name, not a count.
_LABEL = re.compile(r"\b(?!(?:On|In|At|By|About|Around|Over|Some|Nearly|Monday|Tuesday|"
                    r"Wednesday|Thursday|Friday|Saturday|Sunday)\b)[A-Z][a-z]+\s+$")
_PERSON_WORD = re.compile(rf"(?:{PERSON_NOUNS})$", re.I)
_NOT_NOUNS = {"always", "towards", "afterwards", "besides", "perhaps", "whereas", "sometimes",
              "nowadays", "upwards", "backwards", "forwards", "overseas", "nevertheless"}
_NEXT_WORDS = re.compile(r"\s+([a-z][\w'’-]*)(?:\s+([a-z][\w'’-]*))?")


def _things(after: str) -> bool:
    """Whether a number is followed by a plural noun for things, not people ("three
    laboratories", "23 cash machines", "the two governments", "three other provinces")."""
    m = _NEXT_WORDS.match(after)
    if m is None:
        return False
    words = [w for w in m.groups() if w]
    if len(words) == 2 and _PERSON_WORD.match(words[1]) and not CUE_RE.fullmatch(words[0]):
        return False  # "two customs clerks", "three parts suppliers": a word for people
    for word in words:
        if word in ("other", "more", "additional", "further", "separate"):
            continue
        if word in _NOT_NOUNS:
            return False
        if _PERSON_WORD.match(word) or CUE_RE.fullmatch(word):
            return False
        if len(word) > 3 and word.endswith("s") and not word.endswith(("ss", "us", "is")):
            return True
    return False


PERSON_HEAD = re.compile(rf"^\s*(?:(?!(?:by|of|in|at|from|with|for|to|on|and|or|the|a|an)\b)"
                         rf"[\w.'’-]+\s+){{0,3}}?(?:{PERSON_NOUNS})\b"
                         rf"(?:[\s-]+(?:{PERSON_NOUNS})\b)*", re.I)
"""A figure followed (within three words) by a word for people: "12 people", "a soldier",
"a police officer" (the whole compound)."""

# Figures of other, earlier events ("more than 5,000 were killed ... last year", "the
# insurgency, which began in 2017, has killed thousands"). Not a bare "in 2026": that may be
# the year of the story's own event.
BACKGROUND = re.compile(r"\b(?:last|previous|past)\s+(?:year|decade)s?\b|\byears\s+ago\b|"
                        r"\b(?:since|(?:began|started|erupted)\s+in)\s+(?:19|20)\d\d\b|"
                        r"\bdozens\s+of\s+times\b", re.I)
# An earlier event told in the past perfect: "a feud that had killed nine people the year
# before", "In 2014, a barrier collapse had injured 40 fans". Not reported speech about the
# story's own event ("the opposition said seven had been killed").
_PLUPERFECT = re.compile(r"\bhad\s+(?:\w+ly\s+|also\s+|already\s+)?(?:been\s+)?$", re.I)
_RELATIVE = re.compile(r"\b(?:which|who|that|whose)\s+(?:[\w-]+\s+){0,2}?had\s+"
                       r"(?:\w+ly\s+|also\s+|already\s+)?(?:been\s+)?$", re.I)
_EARLIER = re.compile(r"\b(?:in|by)\s+(?:19|20)\d\d\b|\b(?:the|a)\s+(?:year|month|week|day)s?"
                      r"\s+(?:before|earlier)\b(?!\s+(?:the|this|that|its|his|her|their|an?)\b)|"
                      r"\bearlier\s+(?:this|that|last)\s+\w+|"
                      r"\bpreviously\b|\bprior\s+to\b|\bago\b|\blast\s+(?:year|month|week)\b|"
                      r"\bin\s+(?:an?\s+)?(?:earlier|previous|similar|separate)\b", re.I)


def not_a_count(s: str, m: NumberMention) -> bool:
    """Whether the number `m` of sentence `s` is a measure, an age, a year, a day, a label."""
    before, after = s[:m.start], s[m.end:]
    if m.measure is not None or _UNITS.match(after) or _NOT_BEFORE.search(before):
        return True
    digits = m.kind is NumberKind.digits
    if m.kind in (NumberKind.digits, NumberKind.words, NumberKind.vague) and _things(after):
        return True  # "three laboratories": things, not people
    if _AGED.search(before) or (digits and m.low <= 120 and _AGE_APPOSITIVE.search(before)
                                and re.match(r"\s*,", after)):
        return True  # an age
    if digits and 1800 <= m.low <= 2100 and not PERSON_HEAD.match(after):
        return True  # a year
    if digits and re.match(r",\s*\d{4}\b", after):
        return True  # a day of the month ("November 14, 2026")
    label = _LABEL.search(before) if digits and m.qualifier.value == "exact" else None
    # ... but not a capital that only starts the sentence ("Eleven ...", "Police 12" no).
    return label is not None and bool(before[:label.start()].strip())


_SAYS_THAT = re.compile(r"\b(?:said|says|told|reported|announced|added|stated|confirmed|"
                        r"claimed|noted|warned|estimated|believed|feared|insisted)\b[^;:]*$",
                        re.I)


def in_apposition(s: str, m: NumberMention, before: NumberMention | None) -> bool:
    """Whether an "a"/"an" is the figure before it again, in apposition: "a third, a
    71-year-old woman"; "one of the wounded, a 19-year-old student"."""
    if m.kind is not NumberKind.indefinite or before is None:
        return False
    gap = s[before.end:m.start]
    return re.fullmatch(r"\s*,\s*", gap) is not None or (
        re.match(r"\s*\d+-year-old\b", s[m.end:]) is not None
        and re.fullmatch(r"(?:\s+[\w'’-]+){0,4}\s*,\s*", gap) is not None)


def not_one_person(s: str, m: NumberMention) -> bool:
    """Whether an "a"/"an" is no person: not before a word for people ("a ballot box", "a
    police post")."""
    return m.kind is NumberKind.indefinite and PERSON_HEAD.match(s[m.end:]) is None


_SPEECH = re.compile(r"\s+(?:(?!(?:were|was|had|have|has|are|is)\b)[\w'’-]+\s+){0,2}?"
                     r"(?:said|say|says|told|recalled|described|recounted)\b", re.I)


def speakers(s: str, m: NumberMention) -> bool:
    """Whether the figure counts who speaks, not an outcome: "Several said they had been
    beaten in detention", "Two witnesses told reporters ..."."""
    return _SPEECH.match(s, m.end) is not None


_MODAL = re.compile(r"\b(?:can|could|would|will|may|might|should|must|shall)\s+(?:not\s+|never\s+)?"
                    r"(?:\w+ly\s+)?(?:be\s+|have\s+been\s+)?$", re.I)


# "a warrant for his arrest", "called for the arrest of", "demanded their arrest": asked
# for, not done.
_SOUGHT = re.compile(r"\b(?:warrants?|calls?|called|calling|demands?|demanded|demanding|"
                     r"pressed|pressing|push(?:ed|ing)?|appeal(?:s|ed)?)\s+(?:for\s+)?"
                     r"(?:the|his|her|their|its)\s+$", re.I)


def hypothetical_cue(s: str, cue: Cue) -> bool:
    """Whether the cue tells what may happen, not what did: "they can arrest hundreds of
    us", "three more would be charged", "a judge issued a warrant for his arrest"."""
    before = s[:cue.start]
    return bool(_MODAL.search(before) or _SOUGHT.search(before))


def background_cue(s: str, cue: Cue) -> bool:
    """Whether the cue tells an earlier event in the past perfect (see `_PLUPERFECT`)."""
    before = s[:cue.start]
    if not _PLUPERFECT.search(before):
        return False
    relative = _RELATIVE.search(before)
    if relative and relative.group().lower().startswith("that") and _SAYS_THAT.search(
            before[:relative.start()]):
        relative = None  # "police said that two protesters had died": reported speech
    return bool(relative or _EARLIER.search(s))
