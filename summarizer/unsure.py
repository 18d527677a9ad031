"""How a total's certainty is written where a person reads it: Markdown, CSV, the viewer.

A total marked not certain (`Total.certain` is False, rules/certainty.py) is shown with a
question mark and its reasons in words; a text that was not read says so instead of showing
empty totals as if there were none; a null total whose outcome the text tells with no figure
read (`Totals.uncounted`) is shown unsure too: "not counted", not "none".
"""

from __future__ import annotations

from typing import Any

from .brief import UNSURE_CODES, Total, Totals

__all__ = ["OUTCOMES", "UNCOUNTED", "certain_cell", "outcome_unsure", "reasons", "unsure_words",
           "why_cell"]

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
UNCOUNTED = "uncounted"  # a null total's code (Totals.uncounted), not a Total's
_UNCOUNTED_WORDS = "told in the text, no figure read"


def _total(total: Total | dict[str, Any] | None) -> Total | None:
    if total is None or isinstance(total, Total):
        return total
    return Total.model_validate(total)


def certain_cell(totals: Totals, outcome: str) -> str:
    """briefs.csv's `<outcome>_certain`: true, false, or empty when nothing judged it (a
    null total is judged where `totals.uncounted` is set: true for a certain "none told")."""
    total = _total(getattr(totals, outcome))
    if totals.not_read:
        return "false"
    if total is None:
        if totals.uncounted is None:
            return ""
        return "false" if outcome in totals.uncounted else "true"
    if total.certain is None:
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
        elif total is None and outcome in (totals.uncounted or []):
            parts.append(f"{outcome}: {UNCOUNTED}")
    return "; ".join(parts)


def outcome_unsure(totals: Totals, outcome: str) -> str:
    """Why an outcome's total (given, or null) is unsure, in words; "" when it is certain or
    nothing judged it."""
    total = getattr(totals, outcome)
    if total is None:
        return _UNCOUNTED_WORDS if outcome in (totals.uncounted or []) else ""
    return unsure_words(total)


def unsure_words(total: Total | dict[str, Any] | None) -> str:
    """The reasons a total is not certain, in words ("" when it is, or nothing judged it)."""
    t = _total(total)
    if t is None or t.certain is not False:
        return ""
    return "; ".join(_WORDS.get(code, code) for code in t.why) or "unsure"


def reasons() -> dict[str, str]:
    """Every code and its words (the viewer's legend)."""
    return {**_WORDS, UNCOUNTED: _UNCOUNTED_WORDS}
