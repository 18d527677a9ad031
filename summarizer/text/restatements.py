"""Which figure stands for a side's outcome (text/tally.py's last step, issue 33): of the
figures told of one side and outcome, the ones that restate each other ("three were killed"
... "two died at the scene and one in hospital") give one figure, the largest, latest or most
specific; another incident's, another place's and another source's figures stand apart."""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Callable

from ..brief import Side
from .counts import CountCandidate
from .cues import CUE_RE, DEATH_WORD
from .figure import CLAUSE_END, LIFE, Figure
from .numbers import NumberKind
from .sentences import Sentence

__all__ = ["death_word", "is_generic", "less_attackers", "one_figure", "word_value"]


_LEDE_CHARS = 400
_SEPARATE = re.compile(r"\b(?:separate|separately|elsewhere|meanwhile|while\s+at|second)\b", re.I)
_GENERIC = {"", "people", "person", "persons", "individuals", "individual", "victims", "victim",
            "others", "dead", "bodies", "body", "he/she", "man", "men",
            "woman", "women", "boy", "girl", "residents", "villagers", "perpetrator"}


def is_generic(f: Figure, figures: list[Figure]) -> bool:
    """Whether a figure names no group of its own (people, victims, a single person), so that
    another such figure restates it rather than adds to it."""
    c = f.cand
    words = re.sub(r"[^\w/ -]", " ", c.group.lower()).split()
    head = words[-1] if words else ""
    if c.mention.kind in (NumberKind.indefinite, NumberKind.implied) and c.value <= 1:
        return True
    if re.fullmatch(r"\d+-year-olds?", head):
        return True
    if head == "others" or "other" in words:
        # "two soldiers and three others": others of a group named before them
        return not any(o.cand.sentence.start == c.sentence.start
                       and o.cand.mention.start < c.mention.start
                       and not is_generic(o, []) for o in figures if o is not f)
    return head in _GENERIC or CUE_RE.fullmatch(head) is not None  # "two died"


def one_figure(side: Side, outcome: str, figures: list[Figure],
               source: Callable[[Sentence], str | None] | None) -> list[CountCandidate]:
    mine = [f for f in figures if f.cand.outcome == outcome and f.cand.side is side]
    if not mine:
        return []
    narrative = [f for f in mine if not f.quoted]
    mine = narrative or mine
    # an earlier figure gives way to a later one, not to a vague one ("several people were
    # hurt in the rush": no figure of the toll)
    if any(f.old for f in mine):
        if any(not f.old and f.cand.mention.kind is not NumberKind.vague for f in mine):
            mine = [f for f in mine if not f.old]
        else:
            mine = [f for f in mine if f.cand.mention.kind is not NumberKind.vague] or mine
    if any(f.cand.value for f in mine):
        mine = [f for f in mine if f.cand.value]
    else:
        return [mine[0].cand]  # none, stated once or twice: one zero
    # figures of one sentence for one outcome ("six police officers and three civilians were
    # killed") are parts of one list: none restates another
    per_sentence = Counter(f.cand.sentence.start for f in mine
                           if not f.part and not f.cand.total)
    shared = {start for start, n in per_sentence.items() if n > 1}
    generic = [f for f in mine if is_generic(f, figures) and f.cand.sentence.start not in shared]
    chosen = {id(f) for f in generic}
    specific = [f for f in mine if id(f) not in chosen]
    if side is Side.victims and generic and all(f.part for f in generic) and any(
            not f.part for f in specific):
        # "Two officers were wounded ... A senior constable was shot in the leg": parts of
        # a figure that names its group
        generic = []
    merged = _restated(generic, source)
    # "two of the patients": a part of the toll, where the victims' toll is told whole (the
    # fighters of a clash are told by their parts: "eight of the dead fighters ... and six")
    whole = side is Side.victims and any(not f.part for f in mine)
    pieces = [f.cand for f in specific if not f.part and not f.cand.total and not f.quoted]
    if merged and pieces and sum(c.value for c in pieces) == merged[0].value and all(
            c.sentence.start > merged[0].sentence.start for c in pieces) and all(
            is_generic(Figure(c), []) for c in pieces):
        return merged  # "Three were killed. Two died at the scene and one at the hospital."
    later = [f for f in specific if merged and not f.part and not f.new and not f.cand.total
             and f.cand.sentence.start > merged[0].sentence.start]
    if len(later) > 1 and len({f.cand.sentence.start for f in later}) == 1 and len(
            later) == len([f for f in specific if not f.part]) and sum(
            f.cand.value for f in later) < merged[0].value:
        # "The number of people hurt had risen to six ... A 45-year-old woman and two teenage
        # girls suffered minor injuries": a list that breaks down part of the toll told
        # before it, not people besides it
        return merged
    return merged + [f.cand for f in specific if (not f.quoted or not narrative)
                     and not (f.part and whole and merged)]


def _restated(whole: list[Figure],
              source: Callable[[Sentence], str | None] | None) -> list[CountCandidate]:
    """One figure of many restatements: the largest, a revision replacing, new people added,
    a disagreeing source's figure kept beside it."""
    mine = [f for f in whole if not f.part] or whole
    value: int | None = None
    best: CountCandidate | None = None
    added: list[CountCandidate] = []
    alternatives: list[CountCandidate] = []
    displaced: set[int] = set()  # values a revision replaced, of another source than its own
    for f in mine:
        c = f.cand
        if f.revision:
            if best is not None and best.value > c.value and _alternative(best, c, source):
                displaced.add(best.value)  # another source's larger figure stays beside it
                alternatives.append(best)
            # the old toll: figures told before a revision and below it
            alternatives = [a for a in alternatives if a.value >= c.value]
            value, best, added = c.value, c, []
        elif c.value in displaced:
            continue  # that source's figure told again
        elif f.new and value is not None and best is not None and (
                c.sentence.start != best.sentence.start):
            added.append(c)  # "another officer was injured"; not "killing eight ... after
            # rescuers pulled two more bodies" (the toll counts them)
        elif best is not None and _elsewhere(c, best):
            added.append(c)  # the same outcome in another province: another incident
        elif value is None or best is None or c.value > value:
            if best is not None and _alternative(best, c, source):
                alternatives.append(best)
            value, best = c.value, c
        elif c.value < value and _alternative(best, c, source):
            alternatives.append(c)
    return [best, *added, *alternatives] if best is not None else []


_PLACE = re.compile(r"\b(?:in|near|at)\s+((?:[A-Z][\w'’-]+\s+){1,3})(?:province|district|region|"
                    r"governorate|state|prefecture|oblast)\b")


def _elsewhere(c: CountCandidate, best: CountCandidate) -> bool:
    """Whether a figure's sentence places it in a province (district, region) that the
    toll's sentence does not name: an incident of its own, not a restatement."""
    here = {m.group(1).strip() for m in _PLACE.finditer(c.sentence.text)}
    there = {m.group(1).strip() for m in _PLACE.finditer(best.sentence.text)}
    return bool(here) and not here & there and c.sentence.start != best.sentence.start


def _alternative(a: CountCandidate, b: CountCandidate,
                 source: Callable[[Sentence], str | None] | None) -> bool:
    return (source is not None and a.value > 1 and b.value > 1
            and a.mention.kind in (NumberKind.digits, NumberKind.words)
            and b.mention.kind in (NumberKind.digits, NumberKind.words)
            and _sources_differ(a, b, source))


def word_value(word: str) -> int:
    words = {"one": 1, "two": 2, "three": 3, "four": 4, "five": 5}
    return int(word) if word.isdigit() else words.get(word.lower(), 0)


def less_attackers(sent: Sentence, theirs: dict[int, list[CountCandidate]]) -> str:
    """The sentence without the clauses that tell an attacker's death ("..., and the driver was
    killed when deputies returned fire"): a death of theirs is no victim's."""
    s = sent.text
    for c in theirs.get(sent.start, []):
        start = c.mention.start - sent.start
        stop = CLAUSE_END.search(s, c.mention.end - sent.start + 1)
        end = stop.start() if stop else len(s)
        s = s[:start] + " " * (end - start) + s[end:]
    return s


def death_word(s: str) -> bool:
    return any(w.group().lower() not in ("life", "lives")
               for w in DEATH_WORD.finditer(LIFE.sub(" ", s)))


def _sources_differ(a: CountCandidate, b: CountCandidate,
                    source: Callable[[Sentence], str | None]) -> bool:
    if a.sentence.start == b.sentence.start:
        return False
    sa, sb = source(a.sentence), source(b.sentence)
    return bool(sa and sb and sa.lower() != sb.lower())
