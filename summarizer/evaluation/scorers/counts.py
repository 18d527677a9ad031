"""Scoring count slots and derived totals: exact, within tolerance, hallucinated, omitted.

0 is a number: a predicted 0 where gold is null is hallucinated, a null where gold says 0 is
omitted.
"""

from __future__ import annotations

from ...brief import Count, Totals
from ..gold import GoldCount
from ..metrics import TOLERANCE
from .record import ArticleScore

__all__ = ["score_count", "score_totals", "within_tolerance"]


def within_tolerance(gold: GoldCount, value: int) -> bool:
    """Inside the labeled range; with no range, within TOLERANCE of the gold figure."""
    if gold.has_range:
        low, high = gold.bounds
        return low <= value <= high
    return abs(value - gold.value) <= int(TOLERANCE * gold.value)


def score_count(score: ArticleScore, prefix: str, path: str, gold: GoldCount | None,
                pred: Count | None) -> bool:
    """Score one count slot; returns True when it is exactly right (null = null included).

    0 is a number: a predicted 0 where gold is null is hallucinated, a null where gold says 0
    is omitted.
    """
    if gold is None and pred is None:
        return True
    if gold is not None:
        score.add(f"{prefix}.gold")
    if pred is not None:
        score.add(f"{prefix}.pred")
    if gold is None:
        score.add(f"{prefix}.hallucinated")
        score.diff(prefix, path, "spurious", None, pred)
        return False
    if pred is None:
        score.add(f"{prefix}.omitted")
        score.diff(prefix, path, "missing", gold, None)
        return False
    exact = pred.value == gold.value
    within = exact or within_tolerance(gold, pred.value)
    score.add(f"{prefix}.exact", float(exact))
    score.add(f"{prefix}.within", float(within))
    if exact and pred.qualifier == gold.qualifier:
        category = "correct"
    else:
        category = "partial" if within else "incorrect"
    score.diff(prefix, path, category, gold, pred)
    return exact


def score_totals(score: ArticleScore, gold: Totals, pred: Totals) -> None:
    for name in ("killed", "wounded", "arrested"):
        g, p = getattr(gold, name), getattr(pred, name)
        exact = (g is None and p is None) or (
            g is not None and p is not None and (g.low, g.high) == (p.low, p.high))
        score.add(f"totals.{name}.exact", float(exact))
        # Totals marked certain (issue 35): a total given and not marked unsure (a reading
        # that nothing judged claims its figure); the gold's annotation is never compared.
        if p is not None and p.certain is not False:
            score.add(f"totals.{name}.certain")
            score.add(f"totals.{name}.certain_exact", float(exact))
            if g is not None:
                score.add(f"totals.{name}.certain_of_gold")
        # The same, a judged null included: a null total not listed in `uncounted` is the
        # reading's certain "none told" (an unjudged null, uncounted None, claims nothing).
        none_told = p is None and pred.uncounted is not None and name not in pred.uncounted \
            and not pred.not_read
        if none_told or (p is not None and p.certain is not False):
            score.add(f"totals.{name}.claimed")
            score.add(f"totals.{name}.claimed_exact", float(exact))
        if g is not None:
            score.add(f"totals.{name}.gold")
        if g is None and p is None:
            continue
        if exact:
            category = "correct"
        elif g is None:
            category = "spurious"
        elif p is None:
            category = "missing"
        else:
            overlap = p.low <= g.high and g.low <= p.high
            category = "partial" if overlap else "incorrect"
        score.diff(f"totals.{name}", f"totals.{name}", category, g, p)
