"""Score the rules on the short-report sets (evals/short) by the measures of issues 33 and 34.

The external sets those issues were measured on (150 terrorism-incident summaries, 150
conflict-event notes) cannot be run here; evals/short holds held-out reports of the same kinds,
and this script prints, per set, exactly the issues' measures:

- killed (`totals.killed_all_sides`) and wounded (`totals.wounded`) exact, strict and lenient:
  exact when low == high == gold; strict counts a null total wrong, lenient counts it as 0.
  On the conflict notes a gold null (no violence against people told) is right when the brief
  gives null or 0 too (such datasets code it 0), in both readings.
- perpetrator named: of the reports whose codes.json names a coded perpetrator group, those
  where the brief names it (rapidfuzz `token_set_ratio` >= 80, lowercased, against the names
  and aliases of actors with the perpetrator role and the casualty records' `perpetrator`);
  "named whole" the same with rapidfuzz `ratio` (a name cut to its last word fails it).
- briefs with no actor, and actors not grounded in the text (grounding's name flags).
- arrests given for captures: of the reports coded `captured`, those with an arrested total > 0.

    PYTHONPATH=$PWD python scripts/short_report.py [--dataset evals/short] [--batch N] [--misses]
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from rapidfuzz import fuzz

from summarizer.brief import Brief, Total
from summarizer.evaluation import load_gold
from summarizer.pipeline import summarize

ROOT = Path(__file__).resolve().parents[1]
MATCH = 80
_NAME_FLAGS = {"name_not_found", "alias_not_found", "name_not_in_evidence"}


@dataclass
class Tally:
    """The counts behind one set's measures."""

    n: int = 0
    killed_strict: int = 0
    killed_lenient: int = 0
    wounded_strict: int = 0
    wounded_lenient: int = 0
    coded: int = 0
    named: int = 0
    named_whole: int = 0
    no_actor: int = 0
    ungrounded: int = 0
    captured: int = 0
    arrest_given: int = 0
    misses: list[str] = field(default_factory=list)


def _value(total: Total | None) -> int | None:
    """A total as one number, -1 for a range (never exact), None for null."""
    if total is None:
        return None
    return total.low if total.low == total.high else -1


def _right(pred: int | None, gold: int | None, *, lenient: bool, null_right: bool) -> bool:
    if gold is None and null_right:
        return pred in (None, 0)
    if lenient:
        pred, gold = (0 if pred is None else pred), (0 if gold is None else gold)
    return pred is not None and pred == gold


def _named(brief: Brief, group: str, scorer: Callable[[str, str], float]) -> bool:
    names = [n for a in brief.actors if a.role.value == "perpetrator" for n in (a.name, *a.aliases)]
    names += [r.perpetrator for r in brief.casualties if r.perpetrator]
    want = group.lower()
    return any(scorer(want, n.lower()) >= MATCH for n in names)


def score(dataset: Path, batch: int | None = None) -> dict[str, Tally]:
    """Brief every article of `dataset` (of one batch, if given) with the rules and tally the
    measures per set."""
    codes = json.loads((dataset / "codes.json").read_text())
    sets: dict[str, Tally] = {}
    for stem, code in sorted(codes.items()):
        if batch is not None and code.get("batch") != batch:
            continue
        gold = load_gold(dataset / "gold" / f"{stem}.json")
        brief = summarize(dataset / "articles" / gold.article, backend="rules").brief
        t = sets.setdefault(code["set"], Tally())
        t.n += 1
        conflict = code["set"] == "conflict"
        miss: list[str] = []
        for what, pred, want in (
                ("killed", _value(brief.totals.killed_all_sides),
                 _value(gold.totals.killed_all_sides)),
                ("wounded", _value(brief.totals.wounded), _value(gold.totals.wounded))):
            strict = _right(pred, want, lenient=False, null_right=conflict)
            lenient = _right(pred, want, lenient=True, null_right=conflict)
            setattr(t, f"{what}_strict", getattr(t, f"{what}_strict") + strict)
            setattr(t, f"{what}_lenient", getattr(t, f"{what}_lenient") + lenient)
            if not strict:
                miss.append(f"{what} {pred} (gold {want})")
        if code["perpetrator"]:
            t.coded += 1
            if _named(brief, code["perpetrator"], fuzz.token_set_ratio):
                t.named += 1
            if _named(brief, code["perpetrator"], fuzz.ratio):
                t.named_whole += 1
            else:
                miss.append(f"perpetrator {code['perpetrator']!r} not named")
        if not brief.actors:
            t.no_actor += 1
            miss.append("no actor")
        if any(f.code in _NAME_FLAGS for f in brief.flags):
            t.ungrounded += 1
            miss.append("an actor name not in the text")
        if code["captured"]:
            t.captured += 1
            arrested = brief.totals.arrested
            if arrested is not None and arrested.high > 0:
                t.arrest_given += 1
            else:
                miss.append("capture without an arrest")
        if miss:
            actors = "; ".join(f"{a.name} ({a.role.value})" for a in brief.actors)
            t.misses.append(f"{stem}: {', '.join(miss)}  [actors: {actors}]")
    return sets


def _pct(a: int, n: int) -> str:
    return f"{a}/{n} = {a / n:.3f}" if n else "n/a"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--dataset", type=Path, default=ROOT / "evals" / "short")
    parser.add_argument("--misses", action="store_true", help="list each report's misses")
    parser.add_argument("--batch", type=int, help="only the reports of this batch (codes.json)")
    args = parser.parse_args(argv)
    if not (args.dataset / "codes.json").is_file():
        print(f"{args.dataset}: no codes.json (not a short-report dataset)", file=sys.stderr)
        return 2
    for name, t in score(args.dataset, args.batch).items():
        print(f"## {name} ({t.n} reports)")
        print(f"killed exact, strict   {_pct(t.killed_strict, t.n)}")
        print(f"killed exact, lenient  {_pct(t.killed_lenient, t.n)}")
        print(f"wounded exact, strict  {_pct(t.wounded_strict, t.n)}")
        print(f"wounded exact, lenient {_pct(t.wounded_lenient, t.n)}")
        print(f"perpetrator named      {_pct(t.named, t.coded)}")
        print(f"  named whole (ratio)  {_pct(t.named_whole, t.coded)}")
        print(f"briefs with no actor   {t.no_actor}/{t.n}")
        print(f"actor not in the text  {t.ungrounded}/{t.n}")
        print(f"arrest for a capture   {_pct(t.arrest_given, t.captured)}")
        if args.misses:
            print(*(f"  - {m}" for m in t.misses), sep="\n")
        print()
    return 0


if __name__ == "__main__":
    sys.exit(main())
