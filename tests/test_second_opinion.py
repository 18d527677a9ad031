"""The rules as a second opinion on a model's totals: advisory flags, only where they differ,
only for backends that ask for it, never dropped by the drop policy."""

import json

from summarizer.article import load_article
from summarizer.backends.rules import rules_draft
from summarizer.brief import BriefDraft, Total
from summarizer.grounding import ground
from summarizer.pipeline import summarize
from summarizer.second_opinion import second_opinion
from summarizer.testing import FunctionBackend

from .seed_gold import SEED_DRAFT


def _draft(killed: int) -> BriefDraft:
    data = json.loads(json.dumps(SEED_DRAFT))
    data["casualties"][0]["killed"]["value"] = killed
    return BriefDraft.model_validate(data)


def test_agreement_gives_no_flag_and_a_different_total_one(seed_path):
    article = load_article(seed_path)
    assert second_opinion(article, ground(article, rules_draft(article)).brief) == []
    assert second_opinion(article, ground(article, _draft(2)).brief) == []  # 2 + 1 + 4 = 7
    flags = second_opinion(article, ground(article, _draft(10)).brief)
    assert [(f.code, f.path) for f in flags] == [("rules_disagree", "totals.killed")]
    assert "read 7 killed" in flags[0].message and "total is 15" in flags[0].message


def test_the_pipeline_asks_only_for_backends_that_want_it(seed_path):
    plain = FunctionBackend(lambda *_: _draft(10))
    assert "rules_disagree" not in {f.code for f in summarize(seed_path, backend=plain)
                                    .brief.flags}
    wanting = FunctionBackend(lambda *_: _draft(10))
    wanting.second_opinion = True
    result = summarize(seed_path, backend=wanting, policy="drop")
    assert [f.path for f in result.brief.flags if f.code == "rules_disagree"] == [
        "totals.killed"]  # computed on the brief after the drop: 1 + 4 = 5, rules say 7
    assert result.brief.totals.killed == Total(low=5, high=5)


def test_in_process_model_backends_want_it_and_rules_based_ones_do_not():
    from pathlib import Path

    from summarizer.backends.hybrid import HybridBackend
    from summarizer.backends.local import LocalBackend
    from summarizer.backends.rules import RulesBackend

    local = LocalBackend(model_path=Path("unused.gguf"))
    assert local.second_opinion
    assert not HybridBackend(local).second_opinion
    assert not RulesBackend().second_opinion
