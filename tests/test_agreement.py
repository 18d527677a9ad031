"""Agreement between two labelings (issue 8, item 3), on copies of committed gold files."""

from __future__ import annotations

import json
import shutil

import pytest

from summarizer.evaluation.agreement import agreement_report, render_markdown

from .conftest import ROOT

ARTICLES = ("palmyra-condolences", "sao-paulo-cargo-theft-arrests", "maiduguri-twin-bombings")


@pytest.fixture
def dataset(tmp_path):
    """A dataset whose gold-second/ is a copy of gold/ for three articles."""
    for sub in ("gold", "gold-second", "articles"):
        (tmp_path / sub).mkdir()
    for name in ARTICLES:
        gold = json.loads((ROOT / "evals" / "gold" / f"{name}.json").read_text())
        shutil.copy(ROOT / "evals" / "articles" / gold["article"], tmp_path / "articles")
        for sub in ("gold", "gold-second"):
            (tmp_path / sub / f"{name}.json").write_text(json.dumps(gold))
    return tmp_path


def _values(report):
    return {k: r["value"] for k, r in report["fields"].items()}


def test_identical_labelings_agree_fully(dataset):
    report = agreement_report(dataset)
    assert report["n_articles"] == 3 and report["articles"] == sorted(ARTICLES)
    values = _values(report)
    assert values["actors.name.f1"] == 1.0
    assert values["casualties.killed.exact"] == 1.0
    assert values["significance.level.agreement"] == 1.0
    assert all(v in (1.0, None) for v in values.values()), values
    assert report["fields"]["totals.killed.exact"]["den"] == 3


def test_a_changed_count_lowers_exactly_that_field(dataset):
    path = dataset / "gold-second" / "palmyra-condolences.json"
    gold = json.loads(path.read_text())
    gold["brief"]["arrests"][0]["count"]["value"] = 30  # 3 primary suspects
    path.write_text(json.dumps(gold))
    report = agreement_report(dataset)
    changed = {k for k, v in _values(report).items() if v not in (1.0, None)}
    # The record's count, and the arrest total derived from it; nothing else.
    assert changed == {"arrests.count.exact", "arrests.count.exact_f1",
                       "totals.arrested.exact"}
    assert report["fields"]["arrests.count.exact"]["den"] - \
        report["fields"]["arrests.count.exact"]["num"] == 1
    assert report["fields"]["totals.arrested.exact"] == {"num": 2.0, "den": 3.0,
                                                          "value": pytest.approx(2 / 3)}


def test_a_changed_killed_count_lowers_the_killed_fields_only(dataset):
    path = dataset / "gold-second" / "maiduguri-twin-bombings.json"
    gold = json.loads(path.read_text())
    victims = next(r for r in gold["brief"]["casualties"]
                   if r["side"] == "victims" and r["killed"] and not r["superseded"])
    victims["killed"]["value"] += 5
    path.write_text(json.dumps(gold))
    changed = {k for k, v in _values(agreement_report(dataset)).items() if v not in (1.0, None)}
    assert changed == {"casualties.killed.exact", "casualties.killed.exact_f1",
                       "totals.killed.exact"}


def test_no_second_folder_means_no_section(dataset):
    shutil.rmtree(dataset / "gold-second")
    assert agreement_report(dataset) is None


def test_a_partial_second_folder_is_reported_not_fatal(dataset):
    (dataset / "gold-second" / "sao-paulo-cargo-theft-arrests.json").write_text('{"gold_ver')
    (dataset / "gold-second" / "maiduguri-twin-bombings.json").unlink()
    report = agreement_report(dataset)
    assert report["n_articles"] == 1 and report["articles"] == ["palmyra-condolences"]
    assert report["only_a"] == ["maiduguri-twin-bombings.json"]
    assert [u.split(":")[0] for u in report["unreadable"]] == [
        "sao-paulo-cargo-theft-arrests.json"]
    text = "\n".join(render_markdown(report))
    assert "1 articles labeled by both" in text
    assert "| actors.name.f1 | " in text and "= 1.000" in text


def test_an_empty_second_folder_has_no_figures(dataset):
    for p in (dataset / "gold-second").glob("*.json"):
        p.unlink()
    report = agreement_report(dataset)
    assert report["n_articles"] == 0 and report["fields"] == {}
