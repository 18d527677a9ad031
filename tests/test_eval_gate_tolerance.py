"""The replay gate holds on any CPU of this kind: counts (and everything computed from counts)
must match exactly, embedding similarities only within `FLOAT_TOLERANCE`. The gate must still
catch a changed gold count and a real drop in one article's similarity."""

from __future__ import annotations

import copy
import json
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import pytest

from summarizer.evaluation import check_reproduces, evaluate, load_dataset, oracle, report_to_json
from summarizer.evaluation.report import FLOAT_TOLERANCE, is_float_derived
from summarizer.evaluation.similarity import LexicalSimilarity

from .conftest import ROOT
from .eval_cases import make_dataset

BASELINES = ROOT / "evals" / "baselines"


class _Moved:
    """A similarity that moves the scores of another: every score by `everywhere`, and the
    scores whose gold text is `target` by `there` more."""

    def __init__(self, everywhere: float = 0.0, target: str = "", there: float = 0.0) -> None:
        self.inner = LexicalSimilarity()
        self.name = self.inner.name
        self.everywhere, self.target, self.there = everywhere, target, there

    def scores(self, pairs: Sequence[tuple[str, str]]) -> list[float]:
        got = self.inner.scores(pairs)
        return [s + self.everywhere + (self.there if g == self.target else 0.0)
                for s, (g, _) in zip(got, pairs, strict=True)]


def _report(cases: Any, similarity: Any) -> dict[str, Any]:
    runs = {"oracle": {c.id: oracle(c.gold.brief) for c in cases}}
    return report_to_json(evaluate(cases, runs, n_resamples=200, similarity=similarity))


@pytest.fixture(scope="module")
def cases(tmp_path_factory: pytest.TempPathFactory) -> Any:
    return load_dataset(make_dataset(tmp_path_factory.mktemp("gate") / "evals"))


def test_similarity_noise_passes_and_a_real_drop_fails(cases: Any) -> None:
    committed = _report(cases, _Moved())
    assert check_reproduces(_report(cases, _Moved()), committed) == []
    noisy = _report(cases, _Moved(everywhere=0.0005))
    assert noisy != committed  # the noise is there ...
    assert check_reproduces(noisy, committed) == []  # ... and tolerated
    headline = cases[0].gold.brief.headline
    dropped = _report(cases, _Moved(target=headline, there=-0.05))
    problems = check_reproduces(dropped, committed)
    assert problems and all(p.startswith("headline.similarity") for p in problems)


@pytest.mark.parametrize("split", ["dev", "test"])
def test_committed_reports_at_full_size(split: str) -> None:
    """On the committed reports themselves (17 and 23 articles): 0.0005 on every similarity
    passes; one article's similarity 0.05 lower fails; one count off by one fails."""
    path = BASELINES / split / "report.json"
    if not path.exists():
        pytest.skip(f"no committed baseline at {path}")
    committed = json.loads(path.read_text())
    sims = [n for n in committed["metrics"] if is_float_derived(n)]
    assert "headline.similarity" in sims

    noisy = copy.deepcopy(committed)
    for name in sims:
        for v in noisy["metrics"][name]["values"].values():
            if v["value"] is not None:
                v["value"] += 0.0005
                v["num"] += 0.0005 * v["den"]
                v["ci"] = [x + 0.0005 for x in v["ci"]]
    assert check_reproduces(noisy, committed) == []

    one_drop = copy.deepcopy(committed)
    v = one_drop["metrics"]["headline.similarity"]["values"]["rules"]
    v["num"] -= 0.05
    v["value"] = v["num"] / v["den"]
    assert v["den"] >= 17 and 0.05 / v["den"] > FLOAT_TOLERANCE
    assert check_reproduces(one_drop, committed)

    one_count = copy.deepcopy(committed)
    one_count["metrics"]["totals.killed.exact"]["values"]["rules"]["num"] += 1
    assert any("totals.killed.exact" in p for p in check_reproduces(one_count, committed))


def test_gate_names_the_tolerance_it_used(tmp_path: Path) -> None:
    committed = {"metrics": {"headline.similarity": {"values": {"x": {
        "value": 0.5, "ci": [0.4, 0.6], "num": 5.0, "den": 10.0}}}}}
    moved = copy.deepcopy(committed)
    moved["metrics"]["headline.similarity"]["values"]["x"]["value"] = 0.51
    (problem,) = [p for p in check_reproduces(moved, committed) if " value:" in p]
    assert f"tolerance {FLOAT_TOLERANCE:g}" in problem
