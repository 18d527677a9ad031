"""The offline default is what the committed measurements pick, not a hand-set name."""

from __future__ import annotations

from summarizer.backends import OFFLINE_DEFAULT, default_backend_name
from summarizer.evaluation import default_choice

from .conftest import ROOT


def test_the_offline_default_is_the_one_the_committed_numbers_pick() -> None:
    report, seconds = default_choice.load(ROOT / "evals" / "baselines")
    assert set(seconds) >= set(report["configs"])
    assert default_choice.pick(report, seconds) == OFFLINE_DEFAULT
    assert default_backend_name() == OFFLINE_DEFAULT  # nothing configured (conftest scrubs)


def test_ties_go_to_the_faster_configuration() -> None:
    values = {"a": {"value": 0.5}, "b": {"value": 0.5 + default_choice.TIE / 2},
              "c": {"value": 0.1}}
    report = {"configs": ["a", "b", "c"],
              "metrics": {m: {"values": values} for m in default_choice.CRITERIA}}
    assert default_choice.pick(report, {"a": 0.01, "b": 6.0, "c": 0.001}) == "a"
    assert default_choice.pick(report, {"a": 9.0, "b": 6.0, "c": 0.001}) == "b"
    values["b"]["value"] = 0.6  # a clear win is not a tie
    assert default_choice.pick(report, {"a": 0.01, "b": 6.0}) == "b"
