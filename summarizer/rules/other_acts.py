"""Figures the text reader gives as killed or wounded that count people of another act.

Short incident and conflict-event reports pack several acts into one clause, and name the
victim of an earlier killing that a protest is about. Neither is a casualty of the events
reported (issue 33's short reports, read by the rules):

- a figure that is the object of another verb of its own clause: "killing 8 civilians and
  abducting 12 others", "wounding two and kidnapping five", "arresting 4 people" (the
  abducted, the held, the rescued, the displaced are not the dead);
- the victim a protest is about: "demanding justice for a murdered journalist", "protesters
  marched over the killing of two students".

`count_candidates` also sizes the constrained grammar and is left as it is; the rules drop
these figures before their records are built.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from ..text import CountCandidate

__all__ = ["casualty_figures"]

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


def casualty_figures(text: str, figures: Sequence[CountCandidate]) -> list[CountCandidate]:
    """The killed and wounded figures less those of another act (the module doc); other
    figures (arrests) as they are."""
    out = []
    for c in figures:
        if c.outcome in ("killed", "wounded"):
            before = text[max(c.sentence.start, c.mention.start - 60):c.mention.start]
            if _OTHER_VERB.search(before) or _PROTEST_FOR.search(before):
                continue
        out.append(c)
    return out
