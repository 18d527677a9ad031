"""Scoring the cases: ground each and tabulate the share of wrong and of correct facts
flagged, against the targets; and the grounding rate of recorded briefs."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from typing import Any

from ...article import Article
from ...brief import Actor, Arrest, Brief, BriefDraft, Casualty, Significance
from ...grounding import ground
from .cases import CLASSES, Case, counts_for, under

__all__ = ["CORRECT_FLAGGED_MAX", "WRONG_FLAGGED_MIN", "Grounder", "grounding_rate",
           "perturbation_report", "ratio", "ratio_text"]

WRONG_FLAGGED_MIN = 0.93  # share of wrong facts grounding must flag (issue 21)
CORRECT_FLAGGED_MAX = 0.05  # share of correct facts it may flag


Grounder = Callable[[Article, BriefDraft], Any]  # returns an object with `.flags`


def ratio(num: int, den: int) -> dict[str, Any]:
    return {"num": num, "den": den, "value": num / den if den else None}


def ratio_text(r: dict[str, Any]) -> str:
    """ "flagged 312/330 = 0.945", or "= n/a" when there are no cases."""
    value = "n/a" if r["value"] is None else f"{r['value']:.3f}"
    return f"flagged {r['num']}/{r['den']} = {value}"


def perturbation_report(cases: Sequence[Case], grounder: Grounder = ground,
                        max_misses: int = 25) -> dict[str, Any]:
    """Ground every case and tabulate, per kind: the share of wrong facts flagged, the share
    of correct facts flagged (each with numerator and denominator), both targets at once, a
    per-class breakdown, and the first misses (a wrong case unflagged or a correct one
    flagged) for a reader to look at."""
    tally: dict[tuple[str, str], list[int]] = {}
    misses: list[dict[str, Any]] = []
    for case in cases:
        hits = counts_for(case, grounder(case.article, case.draft).flags)
        row = tally.setdefault((case.kind, case.cls), [0, 0])
        row[0] += bool(hits)
        row[1] += 1
        if bool(hits) != case.expected and len(misses) < max_misses:
            misses.append({"article": case.article_id, "kind": case.kind, "class": case.cls,
                           "path": case.gold_path, "note": case.note,
                           "flags": [f"{f.path} {f.code}" for f in hits]})
    kinds = {}
    for kind, classes in CLASSES.items():
        per = {c: ratio(*tally.get((kind, c), [0, 0])) for c in classes}
        wrong = ratio(sum(per[c]["num"] for c in classes[1:]),
                       sum(per[c]["den"] for c in classes[1:]))
        correct = per["correct"]
        meets = (wrong["value"] is not None and correct["value"] is not None
                 and wrong["value"] >= WRONG_FLAGGED_MIN
                 and correct["value"] <= CORRECT_FLAGGED_MAX)
        kinds[kind] = {"wrong_flagged": wrong, "correct_flagged": correct,
                       "meets_targets": meets, "classes": per}
    return {
        "targets": {"wrong_flagged_min": WRONG_FLAGGED_MIN,
                    "correct_flagged_max": CORRECT_FLAGGED_MAX},
        "n_articles": len({c.article_id for c in cases}),
        "n_cases": len(cases),
        "flag_rule": "a flag counts for a case when its path is a scope path of the case or "
                     "lies under one ('.' or '[' after it); scope = the touched fact and its "
                     "record's evidence",
        "kinds": kinds,
        "misses": misses,
    }


def grounding_rate(briefs: Iterable[Brief | None]) -> dict[str, Any]:
    """For grounded briefs (a model's, as recorded): the share of evidence quotes located in
    the article, and the share of facts (actors, count slots) with no flag at or under them.
    A missing brief (failed prediction) is counted apart, not as a grounded one."""
    quotes = located = facts = clean = failed = n = 0
    for brief in briefs:
        if brief is None:
            failed += 1
            continue
        n += 1
        items: list[Actor | Casualty | Arrest | Significance] = [
            *brief.actors, *brief.casualties, *brief.arrests, brief.diplomatic_significance]
        for ev in (e for item in items for e in item.evidence):
            quotes += 1
            located += ev.match != "unlocated"
        paths = [f"actors[{i}]" for i in range(len(brief.actors))]
        for i, rec in enumerate(brief.casualties):
            paths += [f"casualties[{i}].{s}" for s in ("killed", "wounded")
                      if getattr(rec, s) is not None]
        paths += [f"arrests[{i}].count" for i, a in enumerate(brief.arrests)
                  if a.count is not None]
        for path in paths:
            record = path.split(".")[0]
            scope = (path, f"{record}.evidence")
            facts += 1
            clean += not any(under(f.path, s) for f in brief.flags for s in scope)
    return {"briefs": n, "failed": failed, "quotes_located": ratio(located, quotes),
            "facts_unflagged": ratio(clean, facts)}
