"""The casualty figures the rules take from the text reader, corrected for how short
incident summaries and conflict-event notes word them (issue 33's short reports).

Such reports pack several acts into one clause and tell people without a number. The text
reader (`count_candidates`, which also sizes the constrained grammar, and the incident tally
over it) is left as it is; the rules correct its figures before their records are built:

Dropped -- people of another act:
- a figure that is the object of another verb of its own clause: "killing 8 civilians and
  abducting 12 others", "wounding two and kidnapping five" (the abducted, the held, the
  rescued, the displaced are not the dead);
- the victim a protest is about: "demanding justice for a murdered journalist", "protesters
  marched over the killing of two students".

Added -- people told without a figure, only in a sentence where the reader has no figure of
that outcome (so a reader that learns the wording later does not count them twice):
- the perpetrator's own death in the toll's clause: "killing five soldiers and himself";
- a singular victim of an active "to death": "assailants hacked a schoolteacher to death";
- a singular person hurt, however the text names them: "a vaccinator was injured";
- people hurt by what they suffered: "Four residents suffered smoke inhalation".

Corrected -- the attacker inside a victims' list: "The bomber and six traders were killed" is
six victims and the bomber (counted once, with the bomber's own death if already read); the
fighters of a clash that makes neither side the assailant ("Military Forces of Mali clashed
with SUJ militants near Boulkessi. 6 fatalities.", "4 dissidents and 1 soldier were killed")
are of side unknown, as evals/LABELING.md labels them, not victims.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import replace

from ..brief import Qualifier, Side
from ..text import CountCandidate, Sentence
from ..text.numbers import NumberKind, NumberMention, find_numbers
from ..text.people import NEGATED

__all__ = ["SHORT_REPORT", "casualty_figures"]

# People told without a figure are added from a report of at most this many sentences (an
# incident summary or an event note): a full story's own (text/people.py, in the tally) are
# read with its background, other incidents and round-ups told apart, which this is not.
SHORT_REPORT = 8

# The verb of the figure's own clause, just before it: "and abducting 12 others".
_OTHER_VERB = re.compile(
    r"\b(?:abduct|kidnapp?|arrest|detain|captur|rescu|evacuat|displac|seiz|free|releas|"
    r"hold|held|tak(?:e|ing)\s+(?:away|hostage)|took\s+(?:away|hostage))\w*\s+"
    r"(?:(?:at\s+least|about|around|some|nearly|another|an\s+additional)\s+)?$", re.I)
# What a protest is for: "justice for", "protesting (against) the killing of".
_PROTEST_FOR = re.compile(
    r"\b(?:justice\s+for|(?:protest\w*|rall\w+|march\w*|demonstrat\w+)\s+"
    r"(?:(?:over|against|about|at|for)\s+)?(?:the\s+)?(?:killings?|murders?|deaths?|"
    r"shooting|lynching)\s+of)\s+(?:the\s+|an?\s+|two\s+|three\s+)?$", re.I)
_AND_SELF = re.compile(r"\b(?:killing|killed)\s+[^.;]{1,60}?\s+and\s+(?:himself|herself)\b",
                       re.I)
_ONE = r"(?:an?|the|one)\s+(?:[\w'’-]+\s+){0,2}?[a-z][\w'’-]*[^s\W]"
_TO_DEATH = re.compile(rf"\b(?:hacked|hacking|beat|beaten|beating|stabbed|stabbing|stoned|"
                       rf"stoning|burned|burnt|burning|clubbed|bludgeoned|lynched|tortured|"
                       rf"shot|shooting)\s+(?P<np>{_ONE})\s+to\s+death\b", re.I)
_ONE_HURT = re.compile(rf"(?:^|[,;]\s+|\band\s+)(?P<np>{_ONE})\s+(?:was|had\s+been)\s+(?:also\s+|"
                       rf"\w+ly\s+)?(?:injured|wounded|hurt)\b", re.I)
_SUFFERED = re.compile(r"^\s+(?:[\w'’-]+\s+){0,2}?[a-z][\w'’-]*\s+(?:also\s+|later\s+)?"
                       r"suffered\s+(?:\w+\s+){0,2}?(?:smoke\s+inhalation|burns|injuries|wounds|"
                       r"cuts|bruises|fractures|shrapnel\s+wounds)\b", re.I)
_CLASH = re.compile(r"\b(?:clash(?:ed|es)?\s+(?:with|between)|fighting\s+between|exchanged\s+"
                    r"fire\s+with|fought\s+(?:with|against)|battled)\b", re.I)
_ONE_SIDE = re.compile(r"\b(?:attack(?:ed|s)?|ambush(?:ed)?|raid(?:ed)?|shell(?:ed|ing)|"
                       r"struck|stormed|opened\s+fire\s+on|repelled)\b", re.I)
_FIGHTERS = re.compile(r"(?:fatalit(?:y|ies)|fighters?|militants?|soldiers?|troops|rebels?|"
                       r"dissidents?|combatants?|militiam[ae]n|militia\s+members|members|"
                       r"insurgents?|gunm[ae]n|bandits|personnel)[.,;:]?$", re.I)
_ATTACKER_FIRST = re.compile(r"^(?:the|a)\s+(?:suicide\s+)?(?:bomber|attacker|gunman|assailant|"
                             r"shooter|perpetrator)\s+and\s+", re.I)


def casualty_figures(text: str, figures: Sequence[CountCandidate],
                     whole: Sequence[Sentence], masked: str | None = None,
                     read: Sequence[CountCandidate] = ()) -> list[CountCandidate]:
    """The killed and wounded figures corrected as the module doc says; arrests as they are.
    `masked`: the tally's text, where what counts no one (background, another incident,
    quotes) is blanked, read instead of `text` for people told without a figure; `read`: every
    figure the reader found before merging restatements (a sentence whose figure was merged
    into another still has one)."""
    out: list[CountCandidate] = []
    for c in figures:
        if c.outcome in ("killed", "wounded"):
            before = text[max(c.sentence.start, c.mention.start - 60):c.mention.start]
            if _OTHER_VERB.search(before) or _PROTEST_FOR.search(before):
                continue
        out.append(c)
    out = _clash_sides(_attacker_listed(out), whole)
    if len(whole) > SHORT_REPORT:
        return sorted(out, key=lambda c: c.mention.start)  # a full story: the tally's people
    known = [*out, *read]  # by where the number stands (`read` was split from masked text)
    seen = text if masked is None else masked
    for sent in whole:
        have = [c for c in known if sent.start <= c.mention.start < sent.end]
        out += _untold(sent, have, seen[sent.start:sent.end])
    return sorted(out, key=lambda c: c.mention.start)


def _attacker_listed(figures: list[CountCandidate]) -> list[CountCandidate]:
    out = list(figures)
    own = any(c.outcome == "killed" and c.side is Side.attackers for c in figures)
    for i, c in enumerate(figures):
        if (c.outcome == "killed" and c.side is Side.victims and c.value > 1
                and _ATTACKER_FIRST.match(c.mention.text)):
            out[i] = replace(c, mention=replace(c.mention, low=c.value - 1,
                                                high=c.mention.high - 1))
            if not own:
                out.append(replace(c, mention=replace(c.mention, low=1, high=1),
                                   side=Side.attackers, group="perpetrator"))
                own = True
    return out


def _clash_sides(figures: list[CountCandidate],
                 whole: Sequence[Sentence]) -> list[CountCandidate]:
    """Fighters killed or hurt in a clash (told in their sentence or the one before) that no
    sentence of it makes one side's attack: side unknown; a group's trailing stop dropped."""
    out = []
    index = {s.start: k for k, s in enumerate(whole)}
    for c in figures:
        if c.group[-1:] in ".,;:":
            c = replace(c, group=c.group.rstrip(".,;:"))
        i = index.get(c.sentence.start)
        told = [] if i is None else [whole[k].text for k in (i - 1, i) if k >= 0]
        if (c.side is Side.victims and c.outcome in ("killed", "wounded")
                and _FIGHTERS.search(c.group) and any(_CLASH.search(t) for t in told)
                and not any(_ONE_SIDE.search(t) for t in told)):
            c = replace(c, side=Side.unknown)
        out.append(c)
    return out


def _figure(outcome: str, sent: Sentence, start: int, end: int, value: int, group: str,
            side: Side = Side.victims) -> CountCandidate:
    mention = NumberMention(low=value, high=value, qualifier=Qualifier.exact,
                            start=sent.start + start,
                            end=sent.start + end, text=sent.text[start:end],
                            kind=NumberKind.implied)
    return CountCandidate(outcome, mention, sent, group, side, implied=True)


def _untold(sent: Sentence, have: list[CountCandidate], text: str) -> list[CountCandidate]:
    """People told without a figure in `sent`, read in `text` (the sentence as the tally
    sees it: same offsets, what counts no one blanked)."""
    killed = any(c.outcome == "killed" and c.side is Side.victims for c in have)
    attackers = any(c.outcome == "killed" and c.side is not Side.victims for c in have)
    wounded = any(c.outcome == "wounded" for c in have)
    out: list[CountCandidate] = []

    def said(m: re.Match[str]) -> bool:
        return not NEGATED.search(text[:m.start()])

    m = _AND_SELF.search(text)
    if m and said(m) and not attackers:
        out.append(_figure("killed", sent, m.start(), m.end(), 1, "perpetrator", Side.attackers))
    m = _TO_DEATH.search(text)
    if m and said(m) and not killed:
        out.append(_figure("killed", sent, m.start("np"), m.end("np"), 1, m.group("np")))
    if not wounded:
        m = _ONE_HURT.search(text)
        if m and said(m):
            out.append(_figure("wounded", sent, m.start("np"), m.end("np"), 1, m.group("np")))
        else:
            for n in find_numbers(text):  # offsets into the sentence
                s = _SUFFERED.match(text[n.end:])
                if s and not n.measure and n.low == n.high:
                    out.append(_figure("wounded", sent, n.start, n.end + s.end(), n.low,
                                       s.group().split()[0]))
                    break
    return out
