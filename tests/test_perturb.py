"""Grounding measured on labeled perturbations of the committed gold (issue 9, item 5).

The corpus is built and grounded once per module (a few seconds). The measure must be able to
fail: a grounder that flags everything scores correct-flagged 1.0 and misses the targets, one
that flags nothing scores wrong-flagged 0.0.
"""

from __future__ import annotations

import re
from collections import Counter
from types import SimpleNamespace

import pytest

from summarizer.article import load_article
from summarizer.brief import BriefDraft, Flag
from summarizer.evaluation import evaluate, load_dataset, oracle, write_reports
from summarizer.evaluation.perturb import (
    CLASSES,
    CORRECT_FLAGGED_MAX,
    WRONG_FLAGGED_MIN,
    _written,
    build_cases,
    counts_for,
    grounding_rate,
    perturbation_report,
    ratio_text,
    render_markdown,
    under,
)
from summarizer.evaluation.similarity import LexicalSimilarity
from summarizer.grounding import ground
from summarizer.text.numbers import find_numbers

from .conftest import ROOT, SEED
from .seed_gold import SEED_DRAFT, seed_draft

MIN_PER_CLASS = 100


@pytest.fixture(scope="module")
def corpus():
    return load_dataset(ROOT / "evals")


@pytest.fixture(scope="module")
def cases(corpus):
    return build_cases(corpus)


@pytest.fixture(scope="module")
def report(cases):
    return perturbation_report(cases)


def _fact_paths(draft):
    """Every fact of a draft, as perturb.py scopes them."""
    paths = [f"actors[{i}]" for i in range(len(draft.actors))]
    for i, rec in enumerate(draft.casualties):
        paths += [f"casualties[{i}].{s}" for s in ("killed", "wounded") if getattr(rec, s)]
    paths += [f"arrests[{i}].count" for i, a in enumerate(draft.arrests) if a.count]
    return paths


def flag_everything(article, draft):
    return SimpleNamespace(flags=[Flag(code="fake", path=p, message="")
                                  for p in _fact_paths(draft)])


def flag_nothing(article, draft):
    return SimpleNamespace(flags=[])


# --- the cases -----------------------------------------------------------------------------


def test_every_class_has_enough_cases(cases):
    n = Counter((c.kind, c.cls) for c in cases)
    # Attackers counted as victims, a count moved to another incident: one case per
    # attackers' record (16 in the corpus) and per record of a brief with several incidents
    # (39) (issue 21).
    least = {(k, c): 12 if c in ("side_swapped", "incident_moved") else MIN_PER_CLASS
             for k, classes in CLASSES.items() for c in classes}
    short = {f"{k}/{c}": n[k, c] for (k, c), m in least.items() if n[k, c] < m}
    if short:
        pytest.skip(f"corpus too small for the cases per class: {short}")
    assert all(n[kc] >= m for kc, m in least.items())


def test_cases_are_labeled_and_deterministic(corpus, cases):
    assert {(c.kind, c.cls) for c in cases} <= {(k, c) for k, cs in CLASSES.items()
                                                for c in cs}
    assert all(c.expected == (c.cls != "correct") for c in cases)
    assert all(any(under(c.path, s) or under(s, c.path) for s in c.scope) for c in cases)
    again = build_cases(corpus)
    assert [(c.article_id, c.cls, c.path, c.note, c.draft) for c in again] == \
        [(c.article_id, c.cls, c.path, c.note, c.draft) for c in cases]
    other = build_cases(corpus, seed=1)
    assert [c.note for c in other] != [c.note for c in cases]


def test_correct_cases_carry_model_style_quote_variants(cases):
    notes = Counter(c.note for c in cases if c.cls == "correct")
    for variant in ("verbatim", "whitespace", "quote_marks", "case", "trailing_period"):
        assert notes[f"quotes {variant}"] > 0, variant


def test_number_changed_uses_another_number_of_the_same_article(cases):
    figures = {}
    for c in (c for c in cases if c.cls == "number_changed"):
        old, new = (int(v) for v in c.note.split(" -> "))
        assert new != old
        if c.article_id not in figures:
            figures[c.article_id] = {m.value for m in find_numbers(c.article.text)}
        assert new in figures[c.article_id]


def test_quote_swapped_and_name_replaced_come_from_the_same_article(cases):
    for c in cases:
        if c.cls == "quote_swapped":
            record = c.draft.actors[0] if c.kind == "names" else \
                getattr(c.draft, c.path.split("[")[0])[int(c.path.split("[")[1][0])]
            assert all(e.quote in c.article.text for e in record.evidence)
        if c.cls == "name_replaced":
            assert _written(c.draft.actors[0].name, c.article)
            assert c.draft.actors[0].aliases == []


def test_part_as_total_adds_a_record_whose_count_is_a_sum_of_others(cases):
    totals = [c for c in cases if c.cls == "part_as_total"]
    assert totals
    for c in totals:
        value, parts = c.note.split(" added")[0].split(" = ")
        assert int(value) == sum(int(p) for p in parts.split(" + "))


def test_reduced_drafts_flag_what_the_full_draft_flags(corpus, cases):
    """A case's draft keeps only what grounding reads for its fact: the flags in scope are
    those of the same perturbation written into the whole gold brief."""
    from summarizer.evaluation.perturb import _base

    by_id = {c.id: c for c in corpus}
    for case in cases[::37]:
        full = _base(by_id[case.article_id].gold, case.article)
        if case.kind == "counts":
            full = {**case.draft.model_dump(mode="json"), "actors": full["actors"]}
            scope = case.scope
        else:
            i = int(case.gold_path.split("[")[1].split("]")[0])
            full["actors"][i] = case.draft.actors[0].model_dump(mode="json")
            scope = tuple(s.replace("actors[0]", f"actors[{i}]") for s in case.scope)
        whole = ground(case.article, BriefDraft.model_validate(full)).flags
        in_scope = sorted((f.path, f.code) for f in whole
                          if any(under(f.path, s) for s in scope))
        reduced = sorted((f.path.replace("actors[0]", case.gold_path.split(".")[0]), f.code)
                         for f in counts_for(case, ground(case.article, case.draft).flags))
        assert reduced == in_scope, (case.article_id, case.cls, case.note)


# --- the rule for when a flag counts ---------------------------------------------------------


def test_under_is_at_or_below_a_path():
    assert under("casualties[0].killed", "casualties[0].killed")
    assert under("casualties[0].evidence[1]", "casualties[0].evidence")
    assert under("actors[2].aliases[0]", "actors[2]")
    assert not under("casualties[0].wounded", "casualties[0].killed")
    assert not under("casualties[0].perpetrator", "casualties[0].killed")
    assert not under("actors[21]", "actors[2]")
    assert not under("casualties[10].killed", "casualties[1]")


# --- the figures -------------------------------------------------------------------------------


def test_figures_come_with_numerators_and_denominators(report, cases):
    for kind, k in report["kinds"].items():
        for name in ("wrong_flagged", "correct_flagged"):
            r = k[name]
            assert isinstance(r["num"], int) and isinstance(r["den"], int)
            assert r["den"] == sum(1 for c in cases if c.kind == kind
                                   and (c.cls != "correct") == (name == "wrong_flagged"))
            assert r["value"] == pytest.approx(r["num"] / r["den"])
            assert re.fullmatch(r"flagged \d+/\d+ = \d\.\d{3}", ratio_text(r))
        assert k["meets_targets"] == (k["wrong_flagged"]["value"] >= WRONG_FLAGGED_MIN
                                      and k["correct_flagged"]["value"] <= CORRECT_FLAGGED_MAX)
    assert (WRONG_FLAGGED_MIN, CORRECT_FLAGGED_MAX) == (0.93, 0.05)  # issue 21's targets
    text = "\n".join(render_markdown(report))
    assert "counts" in text and "names" in text
    assert re.search(r"flagged \d+/\d+ = 0\.\d{3}", text)


def test_no_cases_is_n_a_not_zero():
    empty = perturbation_report([])
    assert empty["kinds"]["counts"]["wrong_flagged"] == {"num": 0, "den": 0, "value": None}
    assert ratio_text(empty["kinds"]["names"]["correct_flagged"]) == "flagged 0/0 = n/a"
    assert not empty["kinds"]["counts"]["meets_targets"]


def test_a_grounder_that_flags_everything_fails_the_targets(cases):
    sample = cases[::5]
    everything = perturbation_report(sample, grounder=flag_everything)
    nothing = perturbation_report(sample, grounder=flag_nothing)
    for kind in CLASSES:
        assert everything["kinds"][kind]["correct_flagged"]["value"] == 1.0
        assert everything["kinds"][kind]["wrong_flagged"]["value"] == 1.0
        assert not everything["kinds"][kind]["meets_targets"]
        assert nothing["kinds"][kind]["wrong_flagged"]["value"] == 0.0
        assert not nothing["kinds"][kind]["meets_targets"]


def test_grounding_separates_wrong_from_correct(report):
    """Whatever the targets say on a given day, grounding must do far better than chance."""
    for kind, k in report["kinds"].items():
        assert k["wrong_flagged"]["value"] > 0.8, kind
        assert k["correct_flagged"]["value"] < 0.15, kind


# --- the grounding rate of model briefs -------------------------------------------------------


def test_grounding_rate_of_grounded_briefs():
    seed = load_article(SEED)
    good = ground(seed, seed_draft()).brief
    data = {**SEED_DRAFT, "casualties": [dict(SEED_DRAFT["casualties"][0],
                                              killed={"value": 10, "qualifier": "exact"},
                                              evidence=[{"quote": "not in the article"}]),
                                         *SEED_DRAFT["casualties"][1:]]}
    bad = ground(seed, BriefDraft.model_validate(data)).brief
    rate = grounding_rate([good, bad, None])
    quotes = sum(len(r.evidence) for b in (good, bad) for r in
                 (*b.actors, *b.casualties, *b.arrests, b.diplomatic_significance))
    facts = 2 * len(_fact_paths(good))
    assert rate["briefs"] == 2 and rate["failed"] == 1
    assert rate["quotes_located"] == {"num": quotes - 1, "den": quotes,
                                      "value": (quotes - 1) / quotes}
    assert rate["facts_unflagged"]["den"] == facts
    assert rate["facts_unflagged"]["num"] == facts - 1


# --- the eval report -------------------------------------------------------------------------


def test_the_eval_report_prints_the_grounding_section(corpus, tmp_path):
    few = corpus[:2]
    report = evaluate(few, {"oracle": {c.id: oracle(c.gold.brief) for c in few}},
                      similarity=LexicalSimilarity(), n_resamples=20)
    section = perturbation_report(build_cases(few))
    section["recorded"] = {"oracle": grounding_rate(
        ground(c.article, oracle(c.gold.brief)).brief for c in few)}
    paths = write_reports(report, tmp_path, sections={"grounding": section, "agreement": None})
    import json

    data = json.loads(paths["json"].read_text())
    assert data["grounding"]["kinds"]["counts"]["correct_flagged"]["den"] > 0
    assert "agreement" not in data
    md = paths["markdown"].read_text()
    assert "## Grounding on labeled perturbations" in md
    assert re.search(r"\| counts \| flagged \d+/\d+ = ", md)
    assert "quotes located" in md
