"""Grounding measured on labeled perturbations of gold briefs (issue 9, item 5).

Each gold fact is written into a draft, either as labeled (a *correct* case, with the quotes
in the variants models produce) or broken one way (a *wrong* case), and grounding is asked
whether it flags the fact. Two kinds of fact, scored apart:

- **counts**: a count slot, `casualties[i].killed|wounded` or `arrests[i].count`.
  Classes: correct, number_changed (to another number that occurs in the article),
  quote_swapped (the record's quotes replaced by another sentence of the article),
  part_as_total (a record added whose count is the sum of two or more gold records of the same
  incident, side, source and outcome: 8 alongside 3 and 5).
- **names**: an actor, `actors[i]`. Classes: correct, name_replaced (by another name the
  article contains; aliases cleared), quote_swapped.

When a flag counts for a case (precisely): a case carries its touched fact's path and a
*scope*, the touched path plus the path of the touched record's `evidence` list (a fact stands
on its quotes, so an unlocated quote is a failure of that fact). A flag counts when its path
equals a scope path or lies under one, i.e. continues it with "." or "[":
`casualties[0].killed` is under `casualties[0]`, `casualties[0].evidence[1]` is under
`casualties[0].evidence`, but `casualties[0].wounded` and `casualties[0].perpetrator` are
not under `casualties[0].killed`. A quote swap touches the whole record, so its scope is every
count slot of that record (counts) or the whole actor (names); a name fact's scope is always
`actors[i]` (name, aliases, evidence).

Labels stay honest by leaving out perturbations that might be right after all: a swapped
sentence that states the figure (or two figures adding up to it), or that mentions the actor;
a replacement name that is one of the actor's own names or is mentioned in its quotes; a
changed number inside the gold's acceptable range. Gold aliases the article never writes
("common usage" names a labeler may add) are dropped from the base draft: they are not the
fact, and a model told to write the article's names would not produce them.

Every case's draft holds only what grounding reads to judge that fact, which keeps the
measure fast (CI runs it): count cases keep every casualty and arrest record (count checks and
the part-as-total check read them all) and no actors; name cases keep the one actor, as
`actors[0]`. Flags in scope are the same as with the full draft (tests check it).

    cases = build_cases(load_dataset("evals"))
    section = perturbation_report(cases)          # runs `ground` on every case
    print("\\n".join(render_markdown(section)))  # "flagged 312/330 = 0.945"

Deterministic: every choice is drawn from a `random.Random` seeded by the seed, the article
and the fact.
"""

from __future__ import annotations

import copy
import random
import re
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from functools import lru_cache
from itertools import combinations
from typing import Any

from rich.table import Table

from ..article import Article
from ..brief import MAX_COUNT, Brief, BriefDraft
from ..candidates import name_candidates, sentences
from ..grounding import ground
from ..numbers import NumberKind, find_numbers
from .align import NAME_THRESHOLD, name_similarity, normalize_name
from .gold import Gold, GoldCount
from .harness import EvalCase
from .scorers import quotes_overlap

__all__ = [
    "CLASSES",
    "CORRECT_FLAGGED_MAX",
    "WRONG_FLAGGED_MIN",
    "Case",
    "build_cases",
    "counts_for",
    "grounding_rate",
    "perturbation_report",
    "ratio_text",
    "render_markdown",
    "render_table",
    "under",
]

WRONG_FLAGGED_MIN = 0.9  # share of wrong facts grounding must flag
CORRECT_FLAGGED_MAX = 0.05  # share of correct facts it may flag
CLASSES = {
    "counts": ("correct", "number_changed", "quote_swapped", "part_as_total"),
    "names": ("correct", "name_replaced", "quote_swapped"),
}
_MAX_PARTS = 6  # part-as-total subsets over at most this many records (57 subsets)
_MIN_SENTENCE = 20  # shorter "sentences" are datelines and bylines, not quotes

Grounder = Callable[[Article, BriefDraft], Any]  # returns an object with `.flags`


@dataclass(frozen=True)
class Case:
    """One labeled perturbation: grounding should flag the touched fact iff `expected`."""

    article_id: str
    article: Article
    draft: BriefDraft
    kind: str  # "counts" | "names"
    cls: str  # one of CLASSES[kind]
    path: str  # the touched fact, in `draft`
    scope: tuple[str, ...]  # flags at or under these paths count for this case
    expected: bool  # True: the fact is wrong and should be flagged
    note: str  # what was done, for a reader of the misses
    gold_path: str  # the fact's path in the gold brief (actors[3] for a name case's actors[0])


def under(path: str, prefix: str) -> bool:
    """`path` is `prefix` or lies under it: continues it with "." or "["."""
    return path == prefix or path.startswith((prefix + ".", prefix + "["))


def counts_for(case: Case, flags: Iterable[Any]) -> list[Any]:
    """The flags that count for `case` (at or under one of its scope paths)."""
    return [f for f in flags if any(under(f.path, s) for s in case.scope)]


# --- the base draft -------------------------------------------------------------------------

_FOLD = str.maketrans({"“": '"', "”": '"', "‘": "'", "’": "'", "–": "-", "—": "-"})


def _fold(text: str) -> str:
    return " ".join(text.translate(_FOLD).casefold().split())


def _written(name: str, article: Article) -> bool:
    """The name occurs in the article as written (case, quote marks and spacing aside)."""
    hay = _fold(f"{article.title or ''}\n{article.text}")
    return re.search(rf"(?<!\w){re.escape(_fold(name))}(?!\w)", hay) is not None


def _base(gold: Gold, article: Article) -> dict[str, Any]:
    """The gold brief as draft JSON: ranges dropped, aliases the article writes (up to 5)."""
    data = gold.brief.model_dump(mode="json")
    for actor in data["actors"]:
        actor["aliases"] = [a for a in actor["aliases"] if _written(a, article)][:5]
    for count in _count_dicts(data):
        count.pop("low", None)
        count.pop("high", None)
    return data


def _count_dicts(data: dict[str, Any]) -> Iterator[dict[str, Any]]:
    for rec in data["casualties"]:
        yield from (rec[s] for s in ("killed", "wounded") if rec[s] is not None)
    yield from (a["count"] for a in data["arrests"] if a["count"] is not None)


def _counts_draft(data: dict[str, Any]) -> dict[str, Any]:
    out = copy.deepcopy(data)
    out["actors"] = []
    out["diplomatic_significance"]["evidence"] = []
    return out


def _actor_draft(data: dict[str, Any], actor: dict[str, Any]) -> dict[str, Any]:
    out = {**data, "actors": [copy.deepcopy(actor)], "casualties": [], "arrests": []}
    out["diplomatic_significance"] = {**data["diplomatic_significance"], "evidence": []}
    return out


# --- model-style quote variants (the correct class) -----------------------------------------

_TO_CURLY = str.maketrans({'"': "“", "'": "’"})
_TO_STRAIGHT = str.maketrans({"“": '"', "”": '"', "‘": "'", "’": "'"})


def _swap_marks(q: str) -> str:
    if any(c in q for c in "“”‘’"):
        return q.translate(_TO_STRAIGHT)
    out, opening = [], True
    for c in q:  # straight double quotes become an opening/closing pair
        if c == '"':
            out.append("“" if opening else "”")
            opening = not opening
        else:
            out.append(c.translate(_TO_CURLY))
    return "".join(out)


VARIANTS: dict[str, Callable[[str], str]] = {
    "verbatim": lambda q: q,
    "whitespace": lambda q: q.replace(", ", ",  ").replace(" ", "\n", 1),
    "quote_marks": _swap_marks,
    "case": str.lower,
    "trailing_period": lambda q: q[:-1] if q.endswith(".") else q + ".",
    "dashes": lambda q: re.sub(r"\s*[—–]\s*", " - ", q),
    "wrapped": lambda q: f'"{q}"',
}
"""Ways models copy a quote that grounding must still accept (a no-op variant is skipped)."""


def _quoted(quotes: Sequence[str]) -> list[dict[str, str]]:
    return [{"quote": q[:300]} for q in quotes]


def _replace(base: dict[str, Any], section: str, i: int, **changes: Any) -> dict[str, Any]:
    """`base` with record `section[i]` changed; shares everything else (validation copies
    it into a new draft, so nothing is ever mutated)."""
    records = list(base[section])
    records[i] = {**records[i], **changes}
    return {**base, section: records}


def _variants(record: dict[str, Any]) -> Iterator[tuple[str, list[str]]]:
    quotes = [e["quote"] for e in record["evidence"]]
    seen: set[tuple[str, ...]] = set()
    for name, fn in VARIANTS.items():
        changed = [fn(q) for q in quotes]
        if tuple(changed) not in seen:
            seen.add(tuple(changed))
            yield name, changed


# --- what a perturbation must avoid (so a "wrong" label is true) ----------------------------

_CUES = {
    "killed": r"kill|dead|death|died|dies|fatal|slain|lives|bod(?:y|ies)",
    "wounded": r"wound|injur|hurt|hospital",
    "arrested": r"arrest|detain|detention|custody|apprehend|captured",
}


def _states(sentence: str, value: int, outcome: str) -> bool:
    """The sentence might support the figure: it states it, two of its figures add up to it,
    or (for 1) it has an outcome word, where "a soldier was killed" counts one."""
    values = [m for m in find_numbers(sentence) if m.measure is None]
    if any(m.contains(value) for m in values):
        return True
    exact = [m.value for m in values if m.value is not None][:12]
    if any(a + b == value for a, b in combinations(exact, 2)):
        return True
    return value == 1 and re.search(_CUES[outcome], sentence, re.I) is not None


@lru_cache(maxsize=8192)
def _norm_name(text: str) -> str:
    return normalize_name(text)


@lru_cache(maxsize=8192)
def _words_of(text: str) -> frozenset[str]:
    return frozenset(_norm_name(text).split())


def _names_of(actor: Any) -> list[str]:
    return [actor.name, *actor.aliases]


def _distinct_words(names: Iterable[str]) -> set[str]:
    """Words that stand for the actor on their own ("Trump", "Sharaa", "Daesh")."""
    return {w for n in names for w in _words_of(n) if len(w) >= 4}


def _mentions(text: str, names: Sequence[str]) -> bool:
    """Whether `text` might name the actor: any of its names (acronyms as written, others
    folded) or any of its distinctive words. Errs towards yes."""
    folded = _fold(text)
    for name in names:
        if len(name) <= 4:
            if re.search(rf"(?<!\w){re.escape(name)}(?!\w)", text):
                return True
        elif re.search(rf"(?<!\w){re.escape(_fold(name))}(?!\w)", folded):
            return True
    return bool(_distinct_words(names) & _words_of(text))


def _same_actor(candidate: str, names: Sequence[str]) -> bool:
    if not _norm_name(candidate):
        return True
    if any(name_similarity(candidate, n) >= NAME_THRESHOLD for n in names):
        return True
    return bool(_distinct_words([candidate]) & _distinct_words(names))


# --- the generators -------------------------------------------------------------------------


class _Builder:
    """The cases of one article."""

    def __init__(self, case: EvalCase, seed: int, per_fact: int) -> None:
        self.id, self.article, self.gold = case.id, case.article, case.gold
        self.seed, self.per_fact = seed, per_fact
        self.data = _base(case.gold, case.article)
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
        out = []
        for item in pool:
            if len(out) == self.per_fact:
                break
            if keep is None or keep(item):
                out.append(item)
        return out

    def variants(self, record: dict[str, Any], *key: object) -> list[tuple[str, list[str]]]:
        """The verbatim quotes and `per_fact` other model-style variants of them."""
        first, *rest = _variants(record)
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
        base = _counts_draft(self.data)
        slots = list(self.count_slots())
        numbers = sorted({m.value for m in find_numbers(self.article.text)
                          if m.value is not None and m.value <= MAX_COUNT
                          and m.measure is None and m.kind is not NumberKind.vague})
        for section, i, slot, _outcome, gold in slots:
            record, path = f"{section}[{i}]", f"{section}[{i}].{slot}"
            scope = (path, f"{record}.evidence")
            for name, quotes in self.variants(base[section][i], path):
                data = _replace(base, section, i, evidence=_quoted(quotes))
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
                data = _replace(base, section, i, **{slot: count})
                self.add(data, "counts", "number_changed", path, scope,
                         f"{gold.value} -> {value}")
        records = sorted({(s, i) for s, i, *_ in slots})
        for section, i in records:
            record = f"{section}[{i}]"
            mine = [(slot, outcome, g.value) for s, j, slot, outcome, g in slots
                    if (s, j) == (section, i)]
            quotes = [e["quote"] for e in base[section][i]["evidence"]]
            scope = [*(f"{record}.{slot}" for slot, _, _ in mine), f"{record}.evidence"]
            for sentence in self.pick(self.sentences, record, "swap", keep=lambda s, q=quotes,
                                      m=mine: not quotes_overlap(s, q)
                                      and not any(_states(s, v, o) for _, o, v in m)):
                data = _replace(base, section, i, evidence=_quoted([sentence]))
                self.add(data, "counts", "quote_swapped", record, scope,
                         f"quotes -> {sentence[:60]!r}")
        self.parts_as_total(base)

    def parts_as_total(self, base: dict[str, Any]) -> None:
        gold = self.gold.brief
        groups: dict[tuple[str, ...], list[tuple[int, int, str]]] = {}
        for i, rec in enumerate(gold.casualties):
            for slot in ("killed", "wounded"):
                count = getattr(rec, slot)
                if count is not None and count.value > 0 and not rec.superseded:
                    key = ("casualties", slot, _fold(rec.incident), rec.side.value,
                           _fold(rec.reported_by or ""))
                    groups.setdefault(key, []).append((i, count.value, rec.group))
        for i, arr in enumerate(gold.arrests):
            if arr.count is not None and arr.count.value > 0 and arr.status.value in (
                    "arrested", "detained"):
                key = ("arrests", "count", _fold(arr.incident or ""))
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
        stating = [s for s in self.sentences if _states(s, total, outcome)
                   and re.search(_CUES[outcome], s, re.I)]
        path = f"{section}[{len(base[section])}].{slot}"
        scope = (path, f"{section}[{len(base[section])}].evidence")
        parts = " + ".join(str(v) for _, v, _ in combo)
        evidence = [("parts' quotes", parts_quotes)]
        if stating:  # the article's own sentence for the total, as a model would cite it
            evidence.append(("a sentence stating it", [self.pick(stating, path, parts)[0]]))
        for label, quotes in evidence:
            data = {**base, section: [*base[section], {**record, "evidence": _quoted(quotes)}]}
            self.add(data, "counts", "part_as_total", path, scope,
                     f"{total} = {parts} added as a record, evidence: {label}")

    # names

    def names(self) -> None:
        # Other actors' names as the article writes them (a labeler's descriptive name,
        # "residents of X", is not a name from the article).
        others = [a.name for a in self.gold.brief.actors if _written(a.name, self.article)]
        found = [c.text for c in name_candidates(self.article.text)]
        for i, actor in enumerate(self.data["actors"]):
            if not actor["evidence"]:
                continue
            gold_names = _names_of(self.gold.brief.actors[i])
            base = _actor_draft(self.data, actor)
            scope = ("actors[0]",)
            for name, quotes in self.variants(actor, i):
                data = _replace(base, "actors", 0, evidence=_quoted(quotes))
                self.add(data, "names", "correct", "actors[0]", scope, f"quotes {name}",
                         f"actors[{i}]")
            quotes = [e["quote"] for e in actor["evidence"]]

            def other(n: str, g: list[str] = gold_names, q: list[str] = quotes) -> bool:
                return not _same_actor(n, g) and not any(_mentions(x, [n]) for x in q)

            # Other actors of the brief first: the confusion a model makes.
            near = self.pick(others, i, "near", keep=other)
            rest = self.pick([n for n in dict.fromkeys(found) if n not in others], i, "name",
                             keep=other)
            for name in (near + rest)[:self.per_fact]:
                data = _replace(base, "actors", 0, name=name[:80], aliases=[])
                self.add(data, "names", "name_replaced", "actors[0].name", scope,
                         f"{actor['name']!r} -> {name!r}", f"actors[{i}].name")
            for sentence in self.pick(self.sentences, i, "swap", keep=lambda s, q=quotes,
                                      g=gold_names: not quotes_overlap(s, q)
                                      and not _mentions(s, g)):
                data = _replace(base, "actors", 0, evidence=_quoted([sentence]))
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


# --- scoring --------------------------------------------------------------------------------


def _ratio(num: int, den: int) -> dict[str, Any]:
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
        per = {c: _ratio(*tally.get((kind, c), [0, 0])) for c in classes}
        wrong = _ratio(sum(per[c]["num"] for c in classes[1:]),
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
        items = [*brief.actors, *brief.casualties, *brief.arrests,
                 brief.diplomatic_significance]
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
    return {"briefs": n, "failed": failed, "quotes_located": _ratio(located, quotes),
            "facts_unflagged": _ratio(clean, facts)}


# --- rendering ------------------------------------------------------------------------------


def _fmt(r: dict[str, Any]) -> str:
    return ratio_text(r).removeprefix("flagged ")


def render_markdown(section: dict[str, Any]) -> list[str]:
    """The report.md lines for the "grounding" section."""
    t = section["targets"]
    lines = ["", "## Grounding on labeled perturbations", "",
             f"- {section['n_cases']} cases over {section['n_articles']} articles; targets: "
             f"wrong facts flagged >= {t['wrong_flagged_min']}, correct facts flagged <= "
             f"{t['correct_flagged_max']}, both at once",
             f"- {section['flag_rule']}", "",
             "| kind | wrong facts flagged | correct facts flagged | meets targets |",
             "|---|---|---|---|"]
    for kind, k in section["kinds"].items():
        lines.append(f"| {kind} | {ratio_text(k['wrong_flagged'])} | "
                     f"{ratio_text(k['correct_flagged'])} | "
                     f"{'yes' if k['meets_targets'] else 'no'} |")
    lines += ["", "| kind | class | flagged / cases |", "|---|---|---|"]
    for kind, k in section["kinds"].items():
        lines += [f"| {kind} | {c} | {_fmt(r)} |" for c, r in k["classes"].items()]
    if section["misses"]:
        lines += ["", "First misses (wrong unflagged, or correct flagged):", "",
                  "| article | class | path | perturbation | flags |", "|---|---|---|---|---|"]
        lines += [f"| {m['article']} | {m['kind']}/{m['class']} | {m['path']} | "
                  f"{m['note'].replace('|', '/')} | {'; '.join(m['flags']) or '—'} |"
                  for m in section["misses"]]
    recorded = section.get("recorded")
    if recorded:
        lines += ["", "Grounding rate of the evaluated briefs:", "",
                  "| configuration | briefs | quotes located | facts unflagged |",
                  "|---|---|---|---|"]
        lines += [f"| {c} | {r['briefs']} | {_fmt(r['quotes_located'])} | "
                  f"{_fmt(r['facts_unflagged'])} |" for c, r in recorded.items()]
    return lines


def render_table(section: dict[str, Any]) -> Table:
    """The terminal table for the "grounding" section."""
    table = Table(title=f"grounding on labeled perturbations: {section['n_cases']} cases, "
                  f"{section['n_articles']} articles (targets: wrong >= "
                  f"{section['targets']['wrong_flagged_min']}, correct <= "
                  f"{section['targets']['correct_flagged_max']})")
    for col in ("kind", "class", "flagged"):
        table.add_column(col, justify="right" if col == "flagged" else "left")
    for kind, k in section["kinds"].items():
        table.add_row(kind, "wrong facts", ratio_text(k["wrong_flagged"]))
        table.add_row(kind, "correct facts", ratio_text(k["correct_flagged"]))
        table.add_row(kind, "meets targets", "yes" if k["meets_targets"] else "no")
        for c, r in k["classes"].items():
            table.add_row("", f"  {c}", ratio_text(r))
    for config, r in (section.get("recorded") or {}).items():
        table.add_row(config, "quotes located", _fmt(r["quotes_located"]))
        table.add_row(config, "facts unflagged", _fmt(r["facts_unflagged"]))
    return table
