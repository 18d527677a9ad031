"""Count candidates: killed, wounded and arrested figures with group, side and status.

A number counts for the outcome whose verb or noun is nearest to it in the same clause;
measures, ages, years, dates and figures of earlier events are left out.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from itertools import combinations

from ..brief import ArrestStatus, Side
from ..numbers import NumberKind, NumberMention, find_numbers
from .sentence_split import Sentence, sentences

__all__ = ["CountCandidate", "count_candidates"]


@dataclass(frozen=True)
class CountCandidate:
    """A figure the text gives for one outcome, read from one sentence.

    `outcome` is killed, wounded or arrested; `group` the words it counts ("U.S. service
    members", or the group of the figure it continues: "wounding a fifth" counts one more of
    the officers just killed); `side` victims or attackers; `status` for arrests; `total`
    when the text states it as a total of other figures ("bringing the total to eight").
    """

    outcome: str
    mention: NumberMention  # offsets index the whole text
    sentence: Sentence
    group: str
    side: Side
    status: ArrestStatus | None = None
    total: bool = False  # not one more record: a total of other figures, or a part of one
    subset: bool = False  # the part of a figure given elsewhere ("among them two children")

    @property
    def value(self) -> int:
        return self.mention.low


_OUTCOMES = {
    "killed": r"kill\w*|dead|deaths?|died|die|dying|lives|fatalit\w*|bodies|slain|murdered|"
              r"executed|perished|drowned|toll",
    "wounded": r"wound\w*|injur\w*|hurt|hospitali[sz]ed",
    "arrested": r"arrest\w*|detain\w*|detention|detainees?|apprehended|custody|captured|"
                r"charged|released|questioning",
    # Not outcomes we count, but they claim the numbers next to them ("46 rescued alive").
    "other": r"missing|rescued|alive|survived|survivors|evacuated|displaced|passengers|"
             r"carrying|freed|unharmed|sentenced|convicted|fled",
}
_OUTCOME_RE = re.compile("|".join(rf"(?P<{k}>\b(?:{v})\b)" for k, v in _OUTCOMES.items()),
                         re.I)
_REACH = 80  # characters between a figure and its verb; farther, the verb is about another
_BREAK = re.compile(r"[;:()]|(?<![A-Z])\.\s|\n|\bwhile\b|\bbut\b|\bafter\b|\bas\b", re.I)
_STATUS = [
    (re.compile(r"charged", re.I), ArrestStatus.charged),
    (re.compile(r"released|freed", re.I), ArrestStatus.released),
    (re.compile(r"detain|detention|detainee|custody|questioning|held", re.I),
     ArrestStatus.detained),
    (re.compile(r"arrest|apprehended|captured", re.I), ArrestStatus.arrested),
]
_ATTACKERS = re.compile(r"\b(?:gunm[ae]n|assailants?|attackers?|militants?|insurgents?|"
                        r"bombers?|fighters?|perpetrators?|terrorists?|hijackers?|"
                        r"kidnappers?|raiders?)\b", re.I)
_UNITS = re.compile(r"^[\s-]*(?:%|percent|per\s+cent|kilo\w*|kg|tonnes?|tons?|pounds?|grams?|"
                    r"euros?|dollars?|pounds|yuan|rupees?|naira|shillings?|francs?|"
                    r"kilometres?|kilometers?|km|miles?|metres?|meters?|feet|hours?|minutes?|"
                    r"seconds?|days?|weeks?|months?|years?|decades?|times|containers?|"
                    r"vehicles?|cars?|trucks?|homes?|houses?|buildings?|rounds?|shots?|"
                    r"bags?|boats?|ships?|votes?|seats?|points?|storey|story|floors?)\b", re.I)
_NOT_BEFORE = re.compile(r"\b(?:aged|age|ages|between|route|number|no\.|page|chapter|"
                         r"article|resolution|flight)\s+$", re.I)
# "Wilner Jean-Baptiste, 44, was shot dead"; "aged six and eleven": ages, not counts.
_AGE_APPOSITIVE = re.compile(r"[A-Z][\w'’.-]+,\s*$")
_AGED = re.compile(r"\b(?:aged|ages)\s+(?:[\w-]+(?:,|\s+and|\s+to)\s+){0,3}$", re.I)
# Figures of other, earlier events ("more than 5,000 were killed ... last year", "the
# insurgency, which began in 2017, has killed thousands"). Not a bare "in 2026": that may be
# the year of the story's own event.
_BACKGROUND = re.compile(r"\b(?:last|previous|past)\s+(?:year|decade)s?\b|\byears\s+ago\b|"
                         r"\b(?:since|(?:began|started|erupted)\s+in)\s+(?:19|20)\d\d\b|"
                         r"\bdozens\s+of\s+times\b", re.I)
_TOTAL = re.compile(r"\b(?:total|in\s+all|altogether|overall|combined|bringing)\b", re.I)
_PERSON_HEAD = re.compile(r"^\s*(?:[\w.'’-]+\s+){0,3}?(?:people|persons?|men|women|man|woman|"
                          r"child(?:ren)?|boys?|girls?|soldiers?|officers?|police\w*|"
                          r"civilians?|suspects?|members?|personnel|troops?|workers?|"
                          r"journalists?|students?|passengers?|individuals?|guards?|"
                          r"interpreters?|residents?|villagers?|miners?|fishermen|"
                          r"gunm[ae]n|assailants?|attackers?|militants?|fighters?|"
                          r"protesters?|demonstrators?|victims?|others?|employees?|"
                          r"staff|agents?|crew|citizens?|nationals?|tourists?|pilgrims?)\b",
                          re.I)
_MONTH_BEFORE = re.compile(r"\b(?:January|February|March|April|May|June|July|August|"
                           r"September|October|November|December)\s+$")
# "Among the civilians killed were two hotel employees": a breakdown of a figure already given.
_SUBSET = re.compile(r"\bamong\b|\bincluding\b|\bof\s+whom\b|\bof\s+them\b", re.I)
_NOUN_END = re.compile(r"\s*(?:[,.;)]|$|(?:was|were|is|who|had|has|and|in|on|at|near|"
                       r"died|later|alive)\b)")
_HEAD_STOP = re.compile(r"\b(?:were|was|are|is|have|has|had|who|which|that|in|on|at|near|"
                        r"from|during|and|after|while|by|to|directly|believed|linked|"
                        r"accused|suspected)\b|[,;]|(?<![A-Z])\.",
                        re.I)


def count_candidates(text: str) -> list[CountCandidate]:
    """Killed, wounded and arrested figures in the text, in order.

    A number counts for the outcome whose verb or noun is nearest to it in the same clause
    ("killing four officers and wounding a fifth": four killed, one wounded). Measures (units,
    ages, years, storeys) are skipped, and so are sentences about earlier events ("last
    year", "since 2021") and outcome words in capitals ("OUTPUT 500 KILLED", a banner the
    story quotes). "a"/"an" counts one only before a word for people next to an outcome ("a
    soldier was killed"). A figure that the text marks as a total, or that equals the sum of
    two or more other figures for the same outcome, is kept with `total=True`; a breakdown
    ("among them two children") with `subset=True` as well.
    """
    out: list[CountCandidate] = []
    for sent in sentences(text, max_len=10_000):
        if _BACKGROUND.search(sent.text):
            continue
        previous: CountCandidate | None = None
        for m in find_numbers(sent.text, indefinite=True):
            cand = _read(sent, m, previous)
            if cand is not None:
                out.append(cand)
                previous = cand
    return _mark_totals(out)


def _read(sent: Sentence, m: NumberMention, previous: CountCandidate | None
          ) -> CountCandidate | None:
    s = sent.text
    if m.measure is not None or _UNITS.match(s[m.end:]) or _NOT_BEFORE.search(s[:m.start]):
        return None
    if _AGED.search(s[:m.start]) or (m.kind is NumberKind.digits and m.low <= 120 and
                                     _AGE_APPOSITIVE.search(s[:m.start])
                                     and re.match(r"\s*,", s[m.end:])):
        return None  # an age
    if m.kind is NumberKind.digits and 1800 <= m.low <= 2100 and not _PERSON_HEAD.match(
            s[m.end:]):
        return None  # a year
    if m.kind is NumberKind.digits and (_MONTH_BEFORE.search(s[:m.start])
                                        or re.match(r",\s*\d{4}\b", s[m.end:])):
        return None  # a day of the month ("November 14, 2026")
    if m.kind is NumberKind.ordinal and not (_NOUN_END.match(s[m.end:]) or (
            (head := _PERSON_HEAD.match(s[m.end:])) and head.end() < 20)):
        return None  # "a fifth man", "wounding a fifth." count; "a second sign" does not
    outcome, cue = _outcome(s, m)
    if outcome is None or outcome == "other" or cue.isupper():
        return None  # no outcome, or one in capitals: a banner or slogan the story quotes
    person = _PERSON_HEAD.match(s[m.end:])
    if m.kind is NumberKind.indefinite and not (
            person and person.end() < 30 and _NOUN_END.match(s[m.end + person.end():])):
        return None  # "a soldier was killed" is one; "a police post" is not a person
    group = _group(s, m) if m.kind is not NumberKind.ordinal else ""
    if not group and previous is not None and m.kind in (NumberKind.ordinal,
                                                         NumberKind.indefinite):
        group = previous.group  # "wounding a fifth": one more of the same group
    if not group and m.kind is NumberKind.ordinal:
        group = _group(s, m)
    side = Side.attackers if _ATTACKERS.search(group) else Side.victims
    status = None
    if outcome == "arrested":
        status = next((st for p, st in _STATUS if p.search(cue)), ArrestStatus.other)
    subset = bool(_SUBSET.search(s[max(0, m.start - 60):m.start]))
    total = subset or bool(_TOTAL.search(s[max(0, m.start - 40):m.start]) or re.match(
        r"\s*(?:in\s+all|in\s+total|altogether)\b", s[m.end:]))
    absolute = NumberMention(
        low=m.low, high=m.high, qualifier=m.qualifier, start=sent.start + m.start,
        end=sent.start + m.end, text=m.text, kind=m.kind, ordinal=m.ordinal, measure=m.measure)
    return CountCandidate(outcome, absolute, sent, group, side, status, total, subset)


def _outcome(s: str, m: NumberMention) -> tuple[str | None, str]:
    best: tuple[int, int, str, str] | None = None
    for cue in _OUTCOME_RE.finditer(s):
        if cue.end() <= m.start:
            gap, after = s[cue.end():m.start], 0
        elif cue.start() >= m.end:
            gap, after = s[m.end:cue.start()], 1
        else:
            continue
        if len(gap) > _REACH or _BREAK.search(gap):
            continue
        # The nearest verb or noun either side wins; one across an "and" belongs to the
        # other half of the clause ("eleven drowned and more than twenty are missing").
        near = len(gap) + (20 if re.search(r"\band\b", gap) else 0)
        rank = (near, after, cue.lastgroup or "", cue.group())
        if best is None or rank < best:
            best = rank
    return (best[2], best[3]) if best else (None, "")


def _group(s: str, m: NumberMention) -> str:
    rest = s[m.end:]
    of = re.match(r"\s+of\s+(?:the|them|those)\b", rest)
    if of:  # "three of the gunmen"
        rest = rest[of.end():]
    stop = _HEAD_STOP.search(rest)
    phrase = rest[:stop.start()] if stop else rest
    person = _PERSON_HEAD.match(phrase)
    if person:  # "U.S. service members directly linked...": up to the word for people
        phrase = phrase[:person.end()]
    return " ".join(phrase.split()[:5]).strip(" ,;:\"'“”’")


def _mark_totals(cands: list[CountCandidate]) -> list[CountCandidate]:
    out = []
    for c in cands:
        if not c.total and c.mention.value:
            same = [o.value for o in cands if o is not c and o.outcome == c.outcome
                    and o.side == c.side and o.mention.value and not o.total
                    and (c.outcome != "arrested" or o.status in (ArrestStatus.arrested,
                                                                  ArrestStatus.detained))][:12]
            if any(sum(combo) == c.value for n in range(2, len(same) + 1)
                   for combo in combinations(same, n)):
                c = CountCandidate(c.outcome, c.mention, c.sentence, c.group, c.side,
                                   c.status, total=True, subset=c.subset)
        out.append(c)
    return out
