"""Checking whose side a casualty record counts: attackers are never the victims.

    side_mismatch  a victims' record counts attackers: its group, or every figure of its
                   quotes that states the count, names armed men ("three gunmen were killed")

A record of "soldiers and fighters" or "militia members" stays the victims': a word for the
security forces or for civilians beside the armed word makes it a defenders' group.
"""

from __future__ import annotations

import re

from ..brief import Brief, Side
from ..text.cues import ARMED
from .figures import numbers_in, states
from .flags import FlagSink
from .source import ArticleSource, Spans

__all__ = ["check_sides"]

_DEFENDERS = re.compile(r"\b(?:soldiers?|troops?|army|police\w*|officers?|guards?|forces?|"
                        r"gendarmes?|civilians?|militia\w*|personnel|villagers?|residents?|"
                        r"volunteers?|vigilantes?|passengers?|victims?|hostages?)\b", re.I)


def _armed(text: str) -> bool:
    return ARMED.search(text) is not None and _DEFENDERS.search(text) is None


def check_sides(brief: Brief, spans: Spans, source: ArticleSource, flag: FlagSink) -> None:
    """Flag a victims' record that counts the attackers (by its group or its quotes)."""
    for i, rec in enumerate(brief.casualties):
        if rec.side is not Side.victims:
            continue
        path = f"casualties[{i}]"
        counts = [c for c in (rec.killed, rec.wounded) if c is not None]
        located = [spans[p] for j in range(len(rec.evidence))
                   if (p := f"{path}.evidence[{j}]") in spans]
        stating = [n for span, where in located
                   for n in numbers_in(span, where, source.around(where, len(span)))
                   if any(states(n.mention, c) for c in counts)]
        said = [n.phrase for n in stating if n.phrase]
        if _armed(rec.group) or (said and all(_armed(p) for p in said)):
            why = (f"its group {rec.group!r}" if _armed(rec.group)
                   else f"its quote says {', '.join(repr(p) for p in said[:3])}")
            flag("side_mismatch", f"{path}.side",
                 f"a victims' record that counts attackers: {why}")
