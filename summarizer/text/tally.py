"""Incident-level reading: one killed and one wounded figure per side, restatements merged.

`count_candidates` reads each sentence's figures; a full-length story restates its toll many
times ("two were killed" in the lede, "one was pronounced dead at the scene", "a woman died at
the hospital"), recalls other incidents, tallies the city's year, and tells people without a
number. This layer reads the whole story once, over `count_candidates` (which it leaves as it
is: the constrained grammar is built from it):

    mask        spans that count no one blanked out, offsets kept: addresses ("the 2400
                block"), "911", decades of age ("in their 20s"), captions ("Image 4 of 12"),
                a unit's or a road's number, "a town of 1,500", instructions addressed to
                automated readers, and sentences that recall an earlier incident ("In 2019,
                ...") or tally a period ("this year", "over the past two years")
    figures     count_candidates of the masked text, less negations ("were not hurt"),
                injuries read as deaths ("fighting for his life") and the old side of a
                revision ("revised from eight to six"); plus what it misses: people shot
                (casualties: wounded = shot - killed), people listed without a number ("a
                mother and her toddler", "Ana Ruiz and Tom Lee"), "another officer was
                injured", and the perpetrator's own death ("turned the gun on himself")
    merge       per side and outcome: the largest figure (a restatement or a part never
                adds), a revision replaces, only explicitly new people add ("another", "two
                more"); a figure inside quotation marks only where the narrative gives none;
                two sources that disagree stay two figures (the rules make them a range)

Pure and linear in the text's length: every pattern is anchored or bounded, and each
sentence is read once.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace

from ..brief import Side
from .context import PERSON_HEAD
from .counts import CountCandidate, count_candidates
from .cues import CUE_RE, DEATH_WORD
from .figure import CLAUSE_END, LIFE, Figure, with_value
from .forces_part import forces_killed_part, less_part
from .masking import mask, quoted, unquoted
from .numbers import NumberKind
from .people import (
    NEGATED,
    SHOT_NOUN,
    SHOT_PASSIVE,
    attacker_included,
    died_ones,
    listed_people,
    more_people,
    own_deaths,
    shot_figures,
    treated_figures,
    zeros_both,
)
from .restatements import death_word, is_generic, less_attackers, one_figure, word_value
from .sentences import Sentence, sentences
from .sides import attacker_spans, attackers_named, head_word, side_of

__all__ = ["Tally", "incident_counts", "mask", "unquoted"]

_REVISED_FROM = re.compile(r"\bfrom\s+$", re.I)
_REVISION = re.compile(r"\b(?:rose|risen|rises|rising|climbed|increased|jumped|grew|revised|"
                       r"raised|lowered|reached|updated|corrected|stands?\s+at|now\s+at|"
                       r"bringing|brought)\b[^.;]{0,60}?\bto\s+$|\b(?:stands?|stood)\s+at\s+$|"
                       r"\btoll\s+(?:to|of|at)\s+$", re.I)
# "Earlier reports had put the death toll at six": a figure a later one replaces
_EARLIER_FIGURE = re.compile(r"\b(?:earlier|initial|first|previous|preliminary)\s+(?:reports?|"
                             r"figures?|estimates?|tolls?|counts?|tallies)\b|\b(?:had\s+)?"
                             r"(?:initially|first|originally|at\s+first)\s+(?:put|reported|"
                             r"said|given|gave|estimated|counted)\b", re.I)
# A verb of its own between an outcome and a number: displacement, damage, not casualties
_OTHER_VERB = re.compile(r"(?:\band|,)\s+(?:has\s+|have\s+|had\s+)?(?:forced|displaced|"
                         r"evacuated|uprooted|drove|driven|stranded|destroyed|damaged|"
                         r"flooded|affected|cut\s+off|made)\s+(?:[\w-]+\s+){0,2}$", re.I)
# The predicate of a figure's own clause: up to the next conjunction or clause boundary
_INJURY = re.compile(r"\bhospital|\binjur|\bwound|\bhurt\b|\b(?:critical|serious|stable|"
                     r"fair|grave)\s+condition\b|\btreated\b|\bhospitali[sz]ed\b|"
                     r"\b(?:fighting|battling|struggling|clinging)\s+(?:for|to)\b", re.I)
# "One of the two teenagers", "the older of the two": the figure names the group the part
# comes from; the outcome counts the part
_PART_OF = re.compile(r"\b(?P<p>one|two|three|four|five|six|seven|eight|nine|ten|\d+|the\s+"
                      r"(?:older|younger|elder|other|first|second|last|eldest|youngest))\s+of\s+"
                      r"(?:the|these|those)\s+$", re.I)
_LATER_DIED = re.compile(r"\b(?:later\s+)?(?:died|succumbed|was\s+(?:later\s+)?pronounced\s+dead)"
                         r"\b", re.I)
_PART_WORDS = {"one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7,
               "eight": 8, "nine": 9, "ten": 10}
_LEFT = re.compile(r"\bleft\s+(?:[\w-]+\s+){0,1}$", re.I)
_HOMELESS = re.compile(r"\s+(?:[\w-]+\s+){0,2}?(?:homeless|stranded|without\s+(?:power|"
                       r"shelter|homes?|water|food))\b", re.I)
# "It revised those figures, saying nine people had died and 41 had been wounded": every
# figure the sentence gives after it is a revision
_REVISED_SAYING = re.compile(r"\b(?:revised|updated|corrected|raised|lowered)\s+(?:those|"
                             r"these|its|the|their|his|her)\s+(?:[\w-]+\s+)?(?:figures?|"
                             r"tolls?|counts?|numbers?|tall(?:y|ies))\s*,?\s+(?:saying|to\s+"
                             r"say)\b[^.;]*$", re.I)
# "Of the 22 wounded, three were in intensive care": a part of a figure just given
_OF_THE_BEFORE = re.compile(r"\bof\s+(?:the|those|them)\b[^.;,]{0,40},\s*$", re.I)
_ONE_WOUND = re.compile(r"(?:was|had\s+been)\s+(?!also\b)", re.I)
_BOTH = re.compile(r"(?:both|all)\b", re.I)  # "Both men were pronounced dead": told before
_NEW_BEFORE = re.compile(r"\b(?:another|an\s+additional|a\s+further)\s+$", re.I)
_NEW_AFTER = re.compile(r"\s+(?:more|additional|further|new)\b", re.I)


_DIED_OF_INJURED = re.compile(
    r"\b(?P<n>one|two|three|four|five|\d+)\s+of\s+the\s+(?:injured|wounded)(?:\s*,[^,;.]{1,60},)?"
    r"\s+(?:\w+\s+){0,2}?"
    r"(?:died|succumbed)\b", re.I)

def _cue_after(s: str, pos: int) -> re.Match[str] | None:
    return CUE_RE.search(s, pos, min(len(s), pos + 90))


@dataclass(frozen=True)
class Tally:
    """The incident-level reading of one text: the figures that become records (killed and
    wounded, in text order), and the masked text they were read from."""

    figures: list[CountCandidate]
    masked: str
    counts: list[CountCandidate]  # count_candidates of the masked text, arrests included


def incident_counts(text: str, source: Callable[[Sentence], str | None] | None = None,
                    whole: Sequence[Sentence] | None = None) -> Tally:
    """The killed and wounded figures of the text's incident(s), merged per side and outcome
    (see the module's doc). `source(sentence)` names who reports a sentence's figures: two
    figures of different named sources that disagree are both kept (a range). `whole`: the
    text's sentences (`sentences(text, max_len=10_000)`), when the caller has them."""
    whole = sentences(text, max_len=10_000) if whole is None else whole
    masked = mask(text, whole)
    counts = count_candidates(masked)
    sents = sentences(masked, max_len=10_000)
    figures: list[Figure] = []
    named = attackers_named(masked)
    attackers_told = attacker_spans(masked)
    for c in counts:
        if c.outcome == "arrested" or any(s <= c.mention.start < e for s, e in attackers_told):
            continue  # "came under attack from about 40 herders": how many attacked, no toll
        f = _classify(masked, c, _nth_of(c, figures), counts)
        if f is None:
            continue
        if f.cand.side is not Side.attackers and head_word(f.cand.group) in named:
            # "a patrol came under attack from about 60 miners ... Three of the miners died"
            f = replace(f, cand=replace(f.cand, side=Side.attackers))
        among = attacker_included(c.sentence, c.mention.end - c.sentence.start) if (
            c.outcome == "killed" and c.side is Side.victims) else 0
        if 0 < among < c.value:
            # "killed three people including the bomber": two victims and the bomber
            figures.append(replace(f, cand=with_value(f.cand, c.value - among)))
            f = Figure(replace(with_value(c, among), side=Side.attackers,
                                group="perpetrator", implied=True))
        figures.append(f)
    spans: dict[int, list[tuple[int, int]]] = {}  # sentence start -> its figures' spans
    for f in figures:
        spans.setdefault(f.cand.sentence.start, []).append((f.cand.mention.start,
                                                            f.cand.mention.end))
    for sent in sents:
        if not sent.text.strip():
            continue
        taken = spans.get(sent.start, [])
        for c in [*listed_people(sent), *more_people(sent)]:
            figures = [f for f in figures if not (
                f.cand.sentence.start == sent.start and f.cand.outcome == c.outcome
                and c.mention.start <= f.cand.mention.start < c.mention.end)]
            figures.append(Figure(c, new=c.mention.text.lower().startswith(("another", "an ad",
                                                                             "a fur"))
                                   and c.group == "people",
                                   # "A senior constable was shot in the leg": one of those
                                   # counted, unless "also"
                                   part=_ONE_WOUND.match(c.mention.text) is not None,
                                   quoted=quoted(masked, sent, c.mention.start)))
        for c in [*own_deaths(sent), *shot_figures(masked, sent), *zeros_both(sent),
                  *treated_figures(sent), *died_ones(sent)]:
            if c.outcome == "killed" and c.side is Side.attackers and any(
                    s <= c.mention.start < e for s, e in taken):
                continue
            if c.outcome in ("wounded", "killed") and c.side is Side.victims and any(
                    s <= c.mention.start < e or c.mention.start <= s < c.mention.end
                    for s, e in taken):
                continue  # a figure the counts read already
            figures.append(Figure(c, quoted=quoted(masked, sent, c.mention.start)))
        for c in forces_killed_part(sent):  # read in its place, as the attackers' part
            figures = [f for f in figures if not (
                f.cand.sentence.start == sent.start and f.cand.outcome == "killed"
                and f.cand.mention.start == c.mention.start)]
            figures.append(Figure(c, within=True, quoted=quoted(masked, sent, c.mention.start)))
    figures.sort(key=lambda f: f.cand.mention.start)
    return Tally(_merge(figures, masked, source), masked, counts)


def _nth_of(c: CountCandidate, figures: list[Figure]) -> bool:
    """Whether an ordinal ("a third person has died") is the n-th of its own outcome: the
    text's first figure, or one after n - 1 of that outcome with no figure of another outcome
    between ("two were killed and a third was wounded" is one wounded)."""
    n = c.mention.ordinal or 0
    if not figures:  # "A third person has died": the toll, where it names no group of its
        return is_generic(Figure(c), [])  # own ("a third minibus passenger": one more of them)
    last = figures[-1].cand
    return last.outcome == c.outcome and last.value == n - 1


def _classify(masked: str, c: CountCandidate, earlier: bool = False,
              clash: Sequence[CountCandidate] = ()) -> Figure | None:
    s, start = c.sentence.text, c.mention.start - c.sentence.start
    end = c.mention.end - c.sentence.start
    told = c.outcome
    cue = _cue_after(s, end)
    if cue is not None and NEGATED.search(s[end:cue.start()]):
        return None  # "two others in the house were not hurt"
    if c.outcome == "killed" and LIFE.search(s) and not any(
            w.group().lower() not in ("life", "lives") for w in DEATH_WORD.finditer(
                LIFE.sub(" ", s))):
        c = replace(c, outcome="wounded")  # "fighting for his life": injured, not dead
    head = PERSON_HEAD.match(s[end:])
    after = end + head.end() if head else end
    own = CLAUSE_END.search(s, after)
    clause = s[after:own.start() if own else len(s)]
    if c.outcome == "killed" and _INJURY.search(clause) and not death_word(clause) and not (
            re.match(r"\s*of\s", clause)):  # "one of the wounded ... died": a part, not a clause
        c = replace(c, outcome="wounded")  # "A man has died and two women have been taken to
        # hospital", "a third is fighting for his life": each clause its own outcome
    if c.mention.kind is not NumberKind.implied and SHOT_PASSIVE.match(s, after) and not (
            re.match(r"[^.;]{0,40}?\b(?:dead|to\s+death|fatally)\b", s[after:])):
        c = replace(c, outcome="shot")  # "Twelve people were shot ..., and one of them died"
    elif c.outcome == "wounded" and SHOT_NOUN.match(s[after:].lstrip()):
        c = replace(c, outcome="shot")  # "five people suffering from gunshot wounds"
    if c.value and _REVISED_FROM.search(s[:start]) and re.match(r"\s+to\s+", s[end:]):
        return None  # "revised the injured count from eight to six": eight is the old figure
    part_of = _PART_OF.search(s[:start]) if c.outcome in ("killed", "wounded") else None
    if part_of is not None:
        word = part_of.group("p").lower()
        n = int(word) if word.isdigit() else _PART_WORDS.get(word, 1)
        if n >= c.value:
            return None
        group = c.value
        c = with_value(c, n)  # "One of the two men shot dead was identified": one
        if n == 1:
            c = replace(c, mention=replace(c.mention, kind=NumberKind.implied))
        rest = masked[c.mention.end:c.sentence.end + 1]
        rest += masked[c.sentence.end + 1:c.sentence.end + 300].split(". ")[0]
        if c.outcome == "wounded" and _LATER_DIED.search(rest):
            # "One of the six, a man aged 28, was taken to ... He died in hospital": who
            # later died leaves the wounded
            return Figure(c, part=True, left=n, of=group)
    if _OTHER_VERB.search(s[max(0, start - 60):start]) or (
            _LEFT.search(s[max(0, start - 30):start]) and _HOMELESS.match(s, end)):
        return None  # "killed 23 and forced more than 200,000 from their homes": the number
        # is the object of a verb of its own, no casualty
    c = side_of(masked, c, clash)
    if c.mention.kind is NumberKind.ordinal and c.mention.ordinal:
        # "a third person has died" after a figure of its own outcome: three dead; else one
        # more of a group counted for another outcome ("killing four and wounding a fifth")
        return Figure(c, new=True, part=False) if not earlier or c.outcome != told else Figure(
            with_value(c, c.mention.ordinal))
    revision = bool(_REVISION.search(s[:start]) or _REVISED_SAYING.search(s[:start]))
    new = bool(_NEW_BEFORE.search(s[:start]) or _NEW_AFTER.match(s, end))
    old = bool(_EARLIER_FIGURE.search(s))
    revision = revision and not old
    # "Three people died, including two children, and 17 were injured": the 17 is the
    # subject of a clause of its own, no part of the figure the "including" follows
    subset = c.subset and not (re.search(r"(?:,\s*|\s)and\s+$", s[:start]) and re.match(
        r"\s+(?:[\w-]+\s+){0,2}?(?:were|was|are|is|had|have|has)\b", s[end:]))
    if c.subset and not subset:
        c = replace(c, subset=False)
    return Figure(c, new=new and not revision and not old, revision=revision, old=old,
                   part=subset or bool(re.match(r"\s+of\s+(?:the|them|those|whom)\b",
                                                  s[end:])) or bool(
                       _OF_THE_BEFORE.search(s[max(0, start - 60):start]))
                   or _BOTH.match(c.mention.text) is not None,
                   quoted=quoted(masked, c.sentence, c.mention.start))


def _merge(figures: list[Figure], masked: str,
           source: Callable[[Sentence], str | None] | None) -> list[CountCandidate]:
    out: list[CountCandidate] = []
    shot = [f for f in figures if f.cand.outcome == "shot" and f.cand.side is Side.victims]
    theirs: dict[int, list[CountCandidate]] = {}  # attackers' deaths, by sentence
    for f in figures:
        if f.cand.side is not Side.victims and f.cand.outcome == "killed":
            theirs.setdefault(f.cand.sentence.start, []).append(f.cand)
    for side in (Side.victims, Side.attackers, Side.unknown):
        killed = one_figure(side, "killed", figures, source)
        wounded = one_figure(side, "wounded", figures, source)
        if side is Side.victims and shot:
            best = max(shot, key=lambda f: f.cand.value).cand
            dead = max((c.value for c in killed), default=0)
            derived = best.value - dead
            if derived > 0 and derived > max((c.value for c in wounded), default=0):
                extra = sum(c.value for c in wounded if c.implied and c.group == "people"
                            and c.mention.text.lower().startswith(("another", "an ad", "a fur")))
                wounded = [with_value(best, derived + extra, "wounded")]
            if not killed and not any(death_word(less_attackers(f.cand.sentence, theirs))
                                      for f in figures):
                killed = [with_value(best, 0, "killed")]  # shot, none said to have died
        if side is Side.victims and killed:
            killed = less_part(killed, [f.cand for f in figures if f.within and not f.quoted])
        if side is Side.victims and wounded and not killed and any(
                f.cand.side is not Side.victims and f.cand.outcome == "killed" and f.cand.value
                for f in figures) and not any(
                death_word(less_attackers(f.cand.sentence, theirs)) for f in figures):
            # "Two officers were wounded ... Officers returned fire. He died at the scene.":
            # the attacker's death is no victim's; an attack with injuries and no death of
            # theirs is killed 0
            killed = [with_value(max(wounded, key=lambda c: c.value), 0, "killed")]
        if side is Side.victims and wounded:
            gone = sum(word_value(m.group("n")) for f in figures if f.cand.outcome == "killed"
                       and f.revision for m in _DIED_OF_INJURED.finditer(f.cand.sentence.text))
            top = max(wounded, key=lambda c: c.value)
            gone += sum(f.left for f in figures if f.left and f.of == top.value)
            if 0 < gone < top.value:  # "revised to three dead after one of the injured died"
                wounded = [with_value(top, top.value - gone) if c is top else c
                           for c in wounded]
        out += killed + wounded
    # an attackers' (or fighters') figure that is the only one of its side and outcome is
    # that side's own figure, whatever count_candidates marked it ("three of the militants":
    # a part of no other figure here)
    out = [replace(c, total=False, subset=False) if c.side is not Side.victims and (
        c.total or c.subset) and not any(o is not c and o.side is c.side and o.outcome ==
                                          c.outcome for o in out) else c for c in out]
    return sorted(_by_side(out, figures), key=lambda c: c.mention.start)


def _by_side(out: list[CountCandidate], figures: list[Figure]) -> list[CountCandidate]:
    """A victims' toll the text tells again by side, replaced by its victims' part: "Five
    people were killed" and later "Three of the miners and two soldiers died" (attackers 3,
    victims 2) -- the five are both sides' dead, not five victims."""
    for g in list(out):
        if g.side is not Side.victims or not is_generic(Figure(g), []) or not g.value:
            continue
        for start in {c.sentence.start for c in out if c.side is not Side.victims
                      and c.outcome == g.outcome and c.sentence.start != g.sentence.start}:
            told = [f.cand for f in figures if f.cand.outcome == g.outcome
                    and f.cand.sentence.start == start and not f.quoted]
            ours = [c for c in told if c.side is Side.victims]
            if ours and sum(c.value for c in told) == g.value:
                out = [c for c in out if c is not g and not (
                    c.side is Side.victims and c.outcome == g.outcome and c.sentence.start
                    == start)] + [replace(c, total=False, subset=False) for c in ours]
                break
    return out
