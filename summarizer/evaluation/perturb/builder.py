"""Generating the labeled cases of each article: correct facts in model-style quote variants,
and each fact broken one way (number changed, quote swapped, part added as a total, name
replaced).

Deterministic: every choice is drawn from a `random.Random` seeded by the seed, the article
and the fact.
"""

from __future__ import annotations

import copy
import random
from collections.abc import Callable, Iterable, Iterator, Sequence
from itertools import combinations
from typing import Any

from ...brief import MAX_COUNT, BriefDraft
from ...text import name_candidates, sentences
from ...text.cues import OUTCOME_RE
from ...text.numbers import NumberKind, find_numbers
from ..gold import GoldCount
from ..harness import EvalCase
from ..scorers import quotes_overlap
from .cases import Case
from .drafts import actor_draft, base_draft, counts_draft, quote_variants, quoted, replace_record
from .labels import fold, may_mention, may_state, names_of, same_actor, written

__all__ = ["build_cases"]

_MAX_PARTS = 6  # part-as-total subsets over at most this many records (57 subsets)
_MIN_SENTENCE = 20  # shorter "sentences" are datelines and bylines, not quotes


class _Builder:
    """The cases of one article."""

    def __init__(self, case: EvalCase, seed: int, per_fact: int) -> None:
        self.id, self.article, self.gold = case.id, case.article, case.gold
        self.seed, self.per_fact = seed, per_fact
        self.data = base_draft(case.gold, case.article)
        self.sentences = [s.text for s in sentences(self.article.text)
                          if len(s.text) >= _MIN_SENTENCE]
        self.cases: list[Case] = []

    def rng(self, *key: object) -> random.Random:
        return random.Random(":".join(map(str, (self.seed, self.id, *key))))

    def pick(self, pool: Iterable[Any], *key: object,
             keep: Callable[[Any], bool] | None = None) -> list[Any]:
        """`per_fact` items of the pool in a seeded order; with `keep`, the first that pass
        it (checked lazily: the checks cost more than the shuffle)."""
        pool = list(pool)
        self.rng(*key).shuffle(pool)
        out: list[Any] = []
        for item in pool:
            if len(out) == self.per_fact:
                break
            if keep is None or keep(item):
                out.append(item)
        return out

    def variants(self, record: dict[str, Any], *key: object) -> list[tuple[str, list[str]]]:
        """The verbatim quotes and `per_fact` other model-style variants of them."""
        first, *rest = quote_variants(record)
        return [first, *self.pick(rest, *key, "variants")]

    def add(self, data: dict[str, Any], kind: str, cls: str, path: str,
            scope: Sequence[str], note: str, gold_path: str | None = None) -> None:
        self.cases.append(Case(self.id, self.article, BriefDraft.model_validate(data), kind,
                               cls, path, tuple(scope), cls != "correct", note,
                               gold_path or path))

    # counts

    def count_slots(self) -> Iterator[tuple[str, int, str, str, GoldCount]]:
        """(section, index, slot name, outcome, gold count) for every labeled count."""
        for i, rec in enumerate(self.gold.brief.casualties):
            for slot in ("killed", "wounded"):
                count = getattr(rec, slot)
                if count is not None and rec.evidence:
                    yield "casualties", i, slot, slot, count
        for i, arr in enumerate(self.gold.brief.arrests):
            if arr.count is not None and arr.evidence:
                yield "arrests", i, "count", "arrested", arr.count

    def counts(self) -> None:
        base = counts_draft(self.data)
        slots = list(self.count_slots())
        numbers = sorted({m.value for m in find_numbers(self.article.text)
                          if m.value is not None and m.value <= MAX_COUNT
                          and m.measure is None and m.kind is not NumberKind.vague})
        for section, i, slot, _outcome, gold in slots:
            record, path = f"{section}[{i}]", f"{section}[{i}].{slot}"
            scope: Sequence[str] = (path, f"{record}.evidence")
            for name, quotes in self.variants(base[section][i], path):
                data = replace_record(base, section, i, evidence=quoted(quotes))
                self.add(data, "counts", "correct", path, scope, f"quotes {name}")
            low, high = gold.bounds
            own = " ".join(e["quote"] for e in base[section][i]["evidence"])
            in_quotes = {m.value for m in find_numbers(own) if m.value is not None}
            pool = [v for v in numbers if not low <= v <= high]
            # The record's own quotes' other figures first: the confusions a model makes.
            near = sorted(v for v in pool if v in in_quotes)
            rest = self.pick([v for v in pool if v not in in_quotes], path, "number")
            for value in (near + rest)[:self.per_fact]:
                count = {**base[section][i][slot], "value": value}
                data = replace_record(base, section, i, **{slot: count})
                self.add(data, "counts", "number_changed", path, scope,
                         f"{gold.value} -> {value}")
        records = sorted({(s, i) for s, i, *_ in slots})
        for section, i in records:
            record = f"{section}[{i}]"
            mine = [(slot, outcome, g.value) for s, j, slot, outcome, g in slots
                    if (s, j) == (section, i)]
            quotes = [e["quote"] for e in base[section][i]["evidence"]]
            scope = [*(f"{record}.{slot}" for slot, _, _ in mine), f"{record}.evidence"]

            def unrelated(s: str, q: list[str] = quotes,
                          m: list[tuple[str, str, int]] = mine) -> bool:
                return not quotes_overlap(s, q) and not any(may_state(s, v, o) for _, o, v in m)

            for sentence in self.pick(self.sentences, record, "swap", keep=unrelated):
                data = replace_record(base, section, i, evidence=quoted([sentence]))
                self.add(data, "counts", "quote_swapped", record, scope,
                         f"quotes -> {sentence[:60]!r}")
        self.parts_as_total(base)
        self.sides_swapped(base)
        self.incidents_moved(base)

    def incidents_moved(self, base: dict[str, Any]) -> None:
        """A count moved to the wrong incident: a casualty record given the label of another
        incident of the brief (its counts and quotes as the gold has them)."""
        labels = list(dict.fromkeys(r["incident"] for r in base["casualties"]))
        for i, rec in enumerate(base["casualties"]):
            slots = [s for s in ("killed", "wounded") if rec[s] is not None]
            others = [x for x in labels if fold(x) != fold(rec["incident"])]
            if not slots or not rec["evidence"] or not others:
                continue
            record = f"casualties[{i}]"
            scope = [*(f"{record}.{s}" for s in slots), f"{record}.incident",
                     f"{record}.evidence"]
            for label in self.pick(others, record, "incident")[:1]:
                data = replace_record(base, "casualties", i, incident=label)
                self.add(data, "counts", "incident_moved", record, scope,
                         f"{rec['incident']!r} -> {label!r}")

    def sides_swapped(self, base: dict[str, Any]) -> None:
        """Attackers counted as victims: an attackers' record (its group and quotes as the
        gold has them) with its side turned to the victims'."""
        for i, rec in enumerate(base["casualties"]):
            slots = [s for s in ("killed", "wounded") if rec[s] is not None]
            if rec["side"] != "attackers" or not slots or not rec["evidence"]:
                continue
            record = f"casualties[{i}]"
            scope = [*(f"{record}.{s}" for s in slots), f"{record}.side", f"{record}.evidence"]
            data = replace_record(base, "casualties", i, side="victims")
            self.add(data, "counts", "side_swapped", record, scope,
                     f"{rec['group']!r}: attackers -> victims")

    def parts_as_total(self, base: dict[str, Any]) -> None:
        gold = self.gold.brief
        groups: dict[tuple[str, ...], list[tuple[int, int, str]]] = {}
        for i, rec in enumerate(gold.casualties):
            for slot in ("killed", "wounded"):
                count = getattr(rec, slot)
                if count is not None and count.value > 0 and not rec.superseded:
                    key: tuple[str, ...] = ("casualties", slot, fold(rec.incident), rec.side.value,
                           fold(rec.reported_by or ""))
                    groups.setdefault(key, []).append((i, count.value, rec.group))
        for i, arr in enumerate(gold.arrests):
            if arr.count is not None and arr.count.value > 0 and arr.status.value in (
                    "arrested", "detained"):
                key = ("arrests", "count", fold(arr.incident or ""))
                groups.setdefault(key, []).append((i, arr.count.value, arr.who))
        for key, parts in sorted(groups.items()):
            section, slot = key[0], key[1]
            if len(base[section]) >= (10 if section == "casualties" else 8):
                continue  # no room for one more record within the schema's bounds
            for n in range(2, min(len(parts), _MAX_PARTS) + 1):
                for combo in combinations(parts[:_MAX_PARTS], n):
                    self.add_total(base, section, slot, combo)

    def add_total(self, base: dict[str, Any], section: str, slot: str,
                  combo: Sequence[tuple[int, int, str]]) -> None:
        total = sum(v for _, v, _ in combo)
        first = base[section][combo[0][0]]
        record = copy.deepcopy(first)
        record[slot] = {"value": total, "qualifier": "exact"}
        who = " and ".join(dict.fromkeys(label for _, _, label in combo))[:100]
        if section == "casualties":
            other = "wounded" if slot == "killed" else "killed"
            record.update({other: None, "group": who, "superseded": False})
        else:
            record.update({"who": who, "status": "arrested"})
        parts_quotes = list(dict.fromkeys(
            e["quote"] for i, _, _ in combo for e in base[section][i]["evidence"]))[:3]
        outcome = "arrested" if section == "arrests" else slot
        stating = [s for s in self.sentences if may_state(s, total, outcome)
                   and OUTCOME_RE[outcome].search(s)]
        path = f"{section}[{len(base[section])}].{slot}"
        scope = (path, f"{section}[{len(base[section])}].evidence")
        parts = " + ".join(str(v) for _, v, _ in combo)
        evidence = [("parts' quotes", parts_quotes)]
        if stating:  # the article's own sentence for the total, as a model would cite it
            evidence.append(("a sentence stating it", [self.pick(stating, path, parts)[0]]))
        for label, quotes in evidence:
            data = {**base, section: [*base[section], {**record, "evidence": quoted(quotes)}]}
            self.add(data, "counts", "part_as_total", path, scope,
                     f"{total} = {parts} added as a record, evidence: {label}")

    # names

    def names(self) -> None:
        # Other actors' names as the article writes them (a labeler's descriptive name,
        # "residents of X", is not a name from the article).
        others = [a.name for a in self.gold.brief.actors if written(a.name, self.article)]
        found = [c.text for c in name_candidates(self.article.text)]
        for i, actor in enumerate(self.data["actors"]):
            if not actor["evidence"]:
                continue
            gold_names = names_of(self.gold.brief.actors[i])
            base = actor_draft(self.data, actor)
            scope = ("actors[0]",)
            for name, quotes in self.variants(actor, i):
                data = replace_record(base, "actors", 0, evidence=quoted(quotes))
                self.add(data, "names", "correct", "actors[0]", scope, f"quotes {name}",
                         f"actors[{i}]")
            quotes = [e["quote"] for e in actor["evidence"]]

            def other(n: str, g: list[str] = gold_names, q: list[str] = quotes) -> bool:
                return not same_actor(n, g) and not any(may_mention(x, [n]) for x in q)

            # Other actors of the brief first: the confusion a model makes.
            near = self.pick(others, i, "near", keep=other)
            rest = self.pick([n for n in dict.fromkeys(found) if n not in others], i, "name",
                             keep=other)
            for name in (near + rest)[:self.per_fact]:
                data = replace_record(base, "actors", 0, name=name[:80], aliases=[])
                self.add(data, "names", "name_replaced", "actors[0].name", scope,
                         f"{actor['name']!r} -> {name!r}", f"actors[{i}].name")

            def unmentioned(s: str, q: list[str] = quotes, g: list[str] = gold_names) -> bool:
                return not quotes_overlap(s, q) and not may_mention(s, g)

            for sentence in self.pick(self.sentences, i, "swap", keep=unmentioned):
                data = replace_record(base, "actors", 0, evidence=quoted([sentence]))
                self.add(data, "names", "quote_swapped", "actors[0]", scope,
                         f"{actor['name']!r} quotes -> {sentence[:60]!r}", f"actors[{i}]")


def build_cases(cases: Sequence[EvalCase], *, seed: int = 0, per_fact: int = 2) -> list[Case]:
    """Every labeled perturbation of the corpus's gold, in a fixed order.

    `per_fact` caps the variants drawn per fact and class: changed numbers, replacement
    names, swapped sentences, and the quote variants of a correct fact (besides verbatim).
    Two keeps the measure under a few seconds on a forty-article corpus.
    """
    out: list[Case] = []
    for case in sorted(cases, key=lambda c: c.id):
        builder = _Builder(case, seed, per_fact)
        builder.counts()
        builder.names()
        out.extend(builder.cases)
    return out
