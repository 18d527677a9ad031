"""The headline as a source of casualty figures (issue 33): a record of what the headline
states of an outcome the text gives no figure of -- "3 dead, 2 hurt in ..." over a story that
tells the dead by name and the wounded only as "the others" -- quoted from the title, where
grounding locates it. Where the text does state a figure, the headline is the cross-check
instead (rules/certainty.py)."""

from __future__ import annotations

import re
from collections.abc import Sequence

from ..brief import CasualtyDraft, Count, Quote, Side
from ..text import CountCandidate
from ..text.cues import DEATH_WORD
from ..text.incident import VIOLENCE
from ..text.tally import Tally, unquoted
from .cues import cut_at_word, event_word
from .grouping import to_count

__all__ = ["FIRED_ON", "headline_record"]

FIRED_ON = re.compile(r"\b(?:fired\s+(?:on|at|upon|into)|opened\s+fire)\b", re.I)
# A group read as the cue itself ("3 dead", "Seven killed"): no group of people
_CUE_GROUPS = {"dead", "dead.", "killed", "killed.", "hurt", "injured", "wounded", "died.",
               "died"}


def headline_record(title: str, headline: Sequence[CountCandidate], tally: Tally,
                    records: Sequence[CasualtyDraft]) -> CasualtyDraft | None:
    """The record of `headline`'s figures (read from `title`) for the outcomes neither the
    tally nor `records` give a figure of, or None."""
    title = title.strip()
    # what the text states of anyone but the attackers (fighters of no side included): a
    # gunman's own death told does not tell his victims' toll
    stated = {c.outcome for c in tally.figures if c.side is not Side.attackers} | {
        o for r in records for o in ("killed", "wounded")
        if getattr(r, o) is not None and r.side is not Side.attackers}
    mine = [c for c in headline if c.side is Side.victims and c.outcome not in stated]
    killed = next((c for c in mine if c.outcome == "killed"), None)
    wounded = next((c for c in mine if c.outcome == "wounded"), None)
    if killed is None and wounded is None:
        return None
    first = next((r for r in records if r.side is Side.victims), None) or next(
        iter(records), None)
    group = next((c.group for c in (killed, wounded) if c is not None and c.group
                  and c.group.lower() not in _CUE_GROUPS), "") or "people"
    dead = to_count(killed)
    plain = unquoted(tally.masked)
    if dead is None and "killed" not in stated and wounded is not None and wounded.value \
            and not any(c.outcome == "killed" for c in headline) \
            and not DEATH_WORD.search(plain) and not DEATH_WORD.search(title) \
            and (VIOLENCE.search(plain) or VIOLENCE.search(title) or FIRED_ON.search(plain)):
        dead = Count(value=0)  # an attack's injuries told and no death: killed 0, as an
        # incident report told in the text (LABELING.md, "Zero, stated carefully")
    return CasualtyDraft(
        incident=first.incident if first else cut_at_word(event_word(title) or "incident", 80),
        location=first.location if first else None, group=cut_at_word(group, 100),
        side=Side.victims, killed=dead, wounded=to_count(wounded),
        evidence=[Quote(quote=title[:300])])
