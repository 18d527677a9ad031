"""The pipeline applies the grounding policy: flag (default), drop, or re-ask once."""

import json

from summarizer.brief import BriefDraft, Total
from summarizer.pipeline import summarize
from summarizer.testing import FunctionBackend

from .seed_gold import SEED_DRAFT


def _ten_killed_at_palmyra() -> BriefDraft:
    data = json.loads(json.dumps(SEED_DRAFT))
    data["casualties"][0]["killed"]["value"] = 10
    return BriefDraft.model_validate(data)


def test_flag_keeps_the_claim_and_marks_it(seed_path):
    backend = FunctionBackend(lambda *_: _ten_killed_at_palmyra())
    result = summarize(seed_path, backend=backend)
    codes = {(f.code, f.path) for f in result.brief.flags}
    assert ("count_unsupported", "casualties[0].killed") in codes
    assert result.brief.casualties[0].killed.value == 10
    assert result.provenance.policy == "flag"


def test_drop_removes_what_the_text_does_not_support(seed_path):
    backend = FunctionBackend(lambda *_: _ten_killed_at_palmyra())
    result = summarize(seed_path, backend=backend, policy="drop")
    assert all(c.killed is None or c.killed.value != 10 for c in result.brief.casualties)
    assert result.brief.totals.killed == Total(low=5, high=5)  # 1 interpreter + 4 in Idlib


def test_reask_sends_the_failures_back_once_and_sums_usage(seed_path):
    answers = [_ten_killed_at_palmyra(), BriefDraft.model_validate(SEED_DRAFT)]
    backend = FunctionBackend(lambda *_: answers.pop(0))
    result = summarize(seed_path, backend=backend, policy="reask")
    assert len(backend.calls) == 2
    reask = backend.calls[1][-1]["content"]
    assert "casualties[0].killed" in reask and "count_unsupported" in reask
    assert result.brief.flags == []
    assert result.brief.totals.killed == Total(low=7, high=7)
    assert result.provenance.usage["calls"] == 2 and result.provenance.attempts == 2
    assert any("re-ask" in n for n in result.provenance.notes)
