"""How a total's certainty is written where a person reads it: Markdown, CSV, the viewer.

A total marked not certain (`Total.certain` is False, rules/certainty.py) is shown with a
question mark and its reasons in words; a text that was not read says so instead of showing
empty totals as if there were none.
"""

from __future__ import annotations

from typing import Any

from .brief import UNSURE_CODES, Total, Totals

__all__ = ["OUTCOMES", "certain_cell", "reasons", "unsure_words", "why_cell"]

OUTCOMES = ("killed", "wounded", "arrested")
_WORDS = {
    "conflicting_figures": "other figures in the text",
    "headline_disagrees": "the headline says otherwise",
    "records_merged": "added up from several records",
    "perpetrator_fate_untold": "the attacker's death not told",
    "another_incident": "another incident nearby",
    "loose_figure": "a figure that may be an age",
    "late_figure": "no figure in the lede",
    "readings_differ": "the rules read another figure",
    "not_read": "not read",
}
assert set(_WORDS) == set(UNSURE_CODES)


def _total(total: Total | dict[str, Any] | None) -> Total | None:
    if total is None or isinstance(total, Total):
        return total
    return Total.model_validate(total)


def certain_cell(totals: Totals, outcome: str) -> str:
    """briefs.csv's `<outcome>_certain`: true, false, or empty when nothing judged it."""
    total = _total(getattr(totals, outcome))
    if totals.not_read:
        return "false"
    if total is None or total.certain is None:
        return ""
    return "true" if total.certain else "false"


def why_cell(totals: Totals) -> str:
    """briefs.csv's `uncertain_why`: `killed: code, code; wounded: code`, or `not_read: why`."""
    if totals.not_read:
        return f"not_read: {totals.not_read}"
    parts = []
    for outcome in OUTCOMES:
        total = _total(getattr(totals, outcome))
        if total is not None and total.certain is False:
            parts.append(f"{outcome}: {', '.join(total.why)}")
    return "; ".join(parts)


def unsure_words(total: Total | dict[str, Any] | None) -> str:
    """The reasons a total is not certain, in words ("" when it is, or nothing judged it)."""
    t = _total(total)
    if t is None or t.certain is not False:
        return ""
    return "; ".join(_WORDS.get(code, code) for code in t.why) or "unsure"


def reasons() -> dict[str, str]:
    """Every code and its words (the viewer's legend)."""
    return dict(_WORDS)
