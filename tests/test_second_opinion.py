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


def _draft(killed: int, arrested: int = 3) -> BriefDraft:
    data = json.loads(json.dumps(SEED_DRAFT))
    data["casualties"][0]["killed"]["value"] = killed
    data["arrests"][0]["count"]["value"] = arrested
    return BriefDraft.model_validate(data)


def test_agreement_gives_no_flag_and_a_different_certain_total_one(seed_path):
    article = load_article(seed_path)
    assert second_opinion(article, ground(article, rules_draft(article)).brief) == []
    assert second_opinion(article, ground(article, _draft(2)).brief) == []  # 2 + 1 + 4 = 7
    # the rules read 3 + 5 = 8 arrested, and are certain of it: a brief's 12 is disputed
    flags = second_opinion(article, ground(article, _draft(2, arrested=7)).brief)
    assert [(f.code, f.path) for f in flags] == [("rules_disagree", "totals.arrested")]
    assert "read 8 arrested" in flags[0].message and "total is 12" in flags[0].message


def test_an_unsure_reading_never_disputes(seed_path):
    # The rules' killed total (7) adds up three records: unsure, so a brief's 15 stands
    # undisputed -- and the brief's total says it is not certain, and why.
    article = load_article(seed_path)
    assert second_opinion(article, ground(article, _draft(10)).brief) == []
    wanting = FunctionBackend(lambda *_: _draft(10))
    wanting.second_opinion = True
    killed = summarize(seed_path, backend=wanting).brief.totals.killed
    assert killed is not None and (killed.low, killed.certain) == (15, False)
    assert "readings_differ" in killed.why and "records_merged" in killed.why
    agreeing = FunctionBackend(lambda *_: _draft(2))
    agreeing.second_opinion = True
    totals = summarize(seed_path, backend=agreeing).brief.totals
    assert totals.killed is not None and totals.killed.why == ["records_merged"]
    assert totals.arrested is not None and totals.arrested.certain is True


def test_the_pipeline_asks_only_for_backends_that_want_it(seed_path):
    plain = FunctionBackend(lambda *_: _draft(2, arrested=7))
    brief = summarize(seed_path, backend=plain).brief
    assert "rules_disagree" not in {f.code for f in brief.flags}
    assert brief.totals.arrested is not None and brief.totals.arrested.certain is None
    wanting = FunctionBackend(lambda *_: _draft(2, arrested=7))
    wanting.second_opinion = True
    result = summarize(seed_path, backend=wanting, policy="drop")
    assert [f.path for f in result.brief.flags if f.code == "rules_disagree"] == [
        "totals.arrested"]  # on the brief after the drop (7, unsupported, goes): 5, not 8
    assert result.brief.totals.arrested == Total(low=5, high=5, certain=False,
                                                 why=["readings_differ"])


def test_in_process_model_backends_want_it_and_rules_based_ones_do_not():
    from pathlib import Path

    from summarizer.backends.hybrid import HybridBackend
    from summarizer.backends.local import LocalBackend
    from summarizer.backends.rules import RulesBackend

    local = LocalBackend(model_path=Path("unused.gguf"))
    assert local.second_opinion
    assert not HybridBackend(local).second_opinion
    assert not RulesBackend().second_opinion
