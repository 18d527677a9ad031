"""Scorers on constructed cases (no model): what each situation must count."""

import copy

import numpy as np
import pytest

from summarizer.article import Article
from summarizer.brief import Brief, BriefDraft
from summarizer.evaluation import METRICS, Gold, LexicalSimilarity, evaluate
from summarizer.evaluation.align import align, name_similarity, names_similarity
from summarizer.evaluation.gold import GoldCount
from summarizer.evaluation.harness import EvalCase
from summarizer.evaluation.scorers import (
    ArticleScore,
    quote_in_article,
    score_article,
    score_count,
    stated_figures,
)
from summarizer.evaluation.stats import columns, value

from .conftest import SEED
from .eval_cases import RAID_DRAFT, RAID_TEXT, draft, gold_file, raid_gold, seed_gold
from .seed_gold import SEED_DRAFT

SIM = LexicalSimilarity()


def _score(gold, pred, article=None):
    return score_article("a", gold.brief, gold.totals, pred, article, SIM)


def _metric(score: ArticleScore, name: str):
    return value(*columns([score.counts], METRICS[name].ratio))


def _cats(score: ArticleScore, field: str) -> list[str]:
    return [d.category for d in score.diffs if d.field == field]


def test_reordered_lists_score_like_the_original():
    data = copy.deepcopy(SEED_DRAFT)
    for key in ("actors", "casualties", "arrests"):
        data[key].reverse()
    score = _score(seed_gold(), draft(data))
    for name in ("actors.name_kind_role.f1", "casualties.records.f1", "casualties.killed.exact",
                 "casualties.wounded.exact", "arrests.count.exact", "totals.killed.exact",
                 "evidence.agrees"):
        assert _metric(score, name) == 1.0, name


def test_aliases_match_either_way():
    data = copy.deepcopy(SEED_DRAFT)
    data["actors"][2]["name"], data["actors"][2]["aliases"] = "Daesh", []
    data["actors"][0]["name"] = "President Ahmed al-Sharaa"
    data["casualties"][0]["perpetrator"] = "IS"
    score = _score(seed_gold(), draft(data))
    assert _metric(score, "actors.name.f1") == 1.0
    assert _metric(score, "casualties.perpetrator.accuracy") == 1.0
    assert name_similarity("Syria's Interior Ministry", "the Syrian interior ministry") > 0.85
    assert names_similarity(["U.S. officials"], ["U.S. forces"]) < 0.85


def test_hallucinated_count_is_counted_apart_from_omitted():
    data = copy.deepcopy(SEED_DRAFT)
    data["casualties"][0]["wounded"] = {"value": 6, "qualifier": "exact"}  # gold: null
    score = _score(seed_gold(), draft(data))
    assert score.counts["casualties.wounded.hallucinated"] == 1
    assert score.counts.get("casualties.wounded.omitted", 0) == 0
    assert _metric(score, "casualties.wounded.hallucinated") == 0.5  # 1 of 2 predicted figures
    assert _metric(score, "casualties.wounded.exact") == 1.0  # the one gold figure is right
    assert "spurious" in _cats(score, "casualties.wounded")
    assert _metric(score, "totals.wounded.exact") == 0.0


def test_invented_figures_are_those_the_article_never_states():
    seed = Article.from_text(SEED.read_text(encoding="utf-8"), source="seed")
    data = copy.deepcopy(SEED_DRAFT)
    score = _score(seed_gold(), draft(data), seed)
    assert score.counts["counts.figures"] > 0 and _metric(score, "counts.invented") == 0.0
    data["casualties"][0]["killed"] = {"value": 4127, "qualifier": "exact"}  # nowhere in it
    score = _score(seed_gold(), draft(data), seed)
    assert score.counts["counts.invented"] == 1
    assert stated_figures("the captain, the engineer and the officer were held") >= {3}
    assert 4 not in stated_figures("the captain, the engineer, and the officer were held")


def test_omitted_count():
    data = copy.deepcopy(SEED_DRAFT)
    data["casualties"][2]["killed"] = None  # gold: 4
    score = _score(seed_gold(), draft(data))
    assert score.counts["casualties.killed.omitted"] == 1
    assert score.counts.get("casualties.killed.hallucinated", 0) == 0
    assert _metric(score, "casualties.killed.omitted") == pytest.approx(1 / 3)
    assert _metric(score, "casualties.killed.exact") == pytest.approx(2 / 3)
    assert "missing" in _cats(score, "casualties.killed")


def test_zero_is_not_null():
    s = ArticleScore("a", True)
    assert not score_count(s, "c", "p0", None, GoldCount(value=0))  # a hallucinated zero
    assert not score_count(s, "c", "p1", GoldCount(value=0), None)  # an omitted zero
    assert score_count(s, "c", "p2", GoldCount(value=0), GoldCount(value=0))
    assert score_count(s, "c", "p3", None, None)  # null = null is right, and no case
    assert s.counts == {"c.pred": 2, "c.gold": 2, "c.hallucinated": 1, "c.omitted": 1,
                        "c.exact": 1, "c.within": 1}


def test_tolerance_and_labeled_ranges():
    s = ArticleScore("a", True)
    assert not score_count(s, "c", "p", GoldCount(value=40), GoldCount(value=43))
    assert s.counts["c.within"] == 1  # within 10 %
    s = ArticleScore("a", True)
    score_count(s, "c", "p", GoldCount(value=4), GoldCount(value=5))
    assert s.counts["c.within"] == 0  # small counts must be exact
    s = ArticleScore("a", True)
    score_count(s, "c", "p", GoldCount(value=12, qualifier="at least", low=12, high=20),
                GoldCount(value=18, qualifier="at least"))
    assert (s.counts["c.exact"], s.counts["c.within"]) == (0, 1)
    assert s.diffs[-1].category == "partial"


def test_attackers_are_not_victims():
    gold = raid_gold()
    assert gold.totals.killed.low == 3  # the two attackers stay out of the total
    data = copy.deepcopy(RAID_DRAFT)
    data["casualties"][1]["side"] = "victims"  # attackers labeled as victims
    score = _score(gold, draft(data))
    assert _metric(score, "casualties.records.f1") == 1.0  # still aligned by group
    assert _metric(score, "casualties.side.accuracy") == 0.5
    assert _metric(score, "casualties.killed.exact") == 1.0  # the figures themselves are right
    assert _metric(score, "totals.killed.exact") == 0.0  # but the total is now 5
    assert [d.category for d in score.diffs if d.field == "totals.killed"] == ["incorrect"]


def test_swapped_groups_align_by_group_not_by_position():
    data = copy.deepcopy(RAID_DRAFT)
    data["casualties"] = list(reversed(data["casualties"]))
    data["casualties"][0]["killed"]["value"] = 7  # attackers' figure wrong
    score = _score(raid_gold(), draft(data))
    wrong = [d for d in score.diffs if d.field == "casualties.killed" and d.category != "correct"]
    assert [d.path for d in wrong] == ["casualties[1].killed"]


def test_empty_prediction_and_failed_prediction():
    gold = raid_gold()
    empty = Brief.from_draft(BriefDraft.model_validate({
        "headline": "x", "summary": "y", "diplomatic_significance": {"level": "none"}}))
    for pred in (empty, None):
        score = _score(gold, pred)
        assert _metric(score, "actors.name.recall") == 0.0
        assert _metric(score, "actors.name.precision") is None  # 0/0 is n/a, never 0 or 1
        assert _metric(score, "casualties.killed.omitted") == 1.0
        assert _metric(score, "casualties.killed.hallucinated") is None
        assert _metric(score, "arrests.presence.recall") == 0.0
    assert _metric(_score(gold, None), "schema.valid_rate") == 0.0
    assert _metric(_score(gold, empty), "schema.valid_rate") == 1.0


def test_empty_gold_lists_make_no_cases():
    data = {"headline": "Talks resume", "summary": "Talks resumed.", "actors": [],
            "casualties": [], "arrests": [],
            "diplomatic_significance": {"level": "low", "summary": "", "parties": []}}
    gold = Gold.model_validate(gold_file("e.txt", data))
    score = _score(gold, draft(data))
    for name in ("actors.name.f1", "casualties.records.f1", "casualties.killed.exact",
                 "arrests.presence.recall", "arrests.presence.precision",
                 "significance.summary.similarity", "casualties.side.accuracy"):
        assert _metric(score, name) is None, name
    assert _metric(score, "totals.killed.exact") == 1.0  # null total = null total
    assert _metric(score, "significance.level.accuracy") == 1.0


def test_spurious_record_numbers_are_hallucinated():
    data = copy.deepcopy(RAID_DRAFT)
    data["casualties"].append({
        "incident": "Dakar market fire", "group": "traders", "side": "victims",
        "killed": {"value": 9}, "evidence": []})
    score = _score(raid_gold(), draft(data))
    assert "spurious" in _cats(score, "casualties")
    assert score.counts["casualties.killed.hallucinated"] == 1
    assert _metric(score, "casualties.records.precision") == pytest.approx(2 / 3)


def test_grounding_and_evidence_agreement():
    article = Article.from_text(RAID_TEXT, source="kolda-raid.txt")
    assert quote_in_article("Gunmen  attacked a police checkpoint", article)  # spaces folded
    assert quote_in_article("Raid on a checkpoint", article)  # the title counts
    assert not quote_in_article("Gunmen stormed the checkpoint", article)
    data = copy.deepcopy(RAID_DRAFT)
    data["arrests"][0]["evidence"] = [{"quote": "Gunmen stormed the checkpoint"}]
    score = _score(raid_gold(), draft(data), article)
    assert _metric(score, "evidence.grounded") == pytest.approx(4 / 5)
    assert _metric(score, "evidence.agrees") == pytest.approx(4 / 5)


def test_judge_hook_is_called_per_text_field():
    calls = []

    def judge(field, gold, pred):
        calls.append(field)
        return 0.5

    gold = seed_gold()
    score = score_article("a", gold.brief, gold.totals, draft(SEED_DRAFT), None, SIM, judge)
    assert sorted(calls) == ["headline", "significance.summary", "summary"]
    assert _metric(score, "headline.judge") == 0.5


def test_align_is_one_to_one_and_respects_the_threshold():
    result = align(["a", "b"], ["b", "a", "c"], lambda g, p: float(g == p), 0.5)
    assert [(p.gold, p.pred) for p in result.pairs] == [(0, 1), (1, 0)]
    assert result.spurious == [2] and result.missing == []
    assert align([], ["x"], lambda g, p: 1.0, 0.5).spurious == [0]


def test_corpus_metric_with_no_cases_is_na():
    gold = raid_gold()
    case = EvalCase("kolda-raid", Article.from_text(RAID_TEXT, source="kolda-raid.txt"), gold)
    report = evaluate([case], {"rules": {}}, similarity=SIM, n_resamples=50)
    assert report.metrics["actors.name.precision"]["rules"].value is None
    assert report.metrics["actors.name.precision"]["rules"].ci is None
    assert report.metrics["schema.valid_rate"]["rules"].value == 0.0
    assert np.isclose(report.metrics["actors.name.recall"]["rules"].den, 2)


def test_seed_article_exists():
    assert SEED.exists()
