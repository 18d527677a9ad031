"""The hybrid: facts from the rules, prose from the model -- and the facts survive when the
model's prose fails."""

from summarizer.backends.base import Settings, Usage
from summarizer.backends.hybrid import HybridBackend, ProseDraft
from summarizer.backends.local import Generated
from summarizer.errors import ExtractionFailed
from summarizer.pipeline import summarize


class FakeLocal:
    model = "fake.gguf"

    def __init__(self, prose=None):
        self.prose = prose

    def reserve_context(self, *a):
        return 1024

    def generate(self, article, render, settings, model_cls, grammar):
        assert model_cls is ProseDraft
        assert "Palmyra" in render(None)[-1]["content"]  # the article, rendered by the backend
        if self.prose is None:
            raise ExtractionFailed("no valid brief after 1 attempt(s): cut off", attempts=1,
                                   usage=Usage(900, 768, 1))
        return Generated(self.prose, Usage(900, 60, 1), 1, self.prose.model_dump_json(), [])


def _hybrid(local):
    backend = HybridBackend(local)
    backend._grammar = object()  # no llama.cpp needed: the fake never compiles it
    return backend


def test_prose_from_the_model_facts_from_the_rules(seed_path):
    prose = ProseDraft(headline="Syria's leader writes to Trump", summary="A short summary.",
                       significance_level="high", significance_summary="Rare contact.")
    result = summarize(seed_path, backend=_hybrid(FakeLocal(prose)))
    assert result.brief.headline == "Syria's leader writes to Trump"
    assert result.brief.diplomatic_significance.summary == "Rare contact."
    assert (result.brief.totals.killed.low, result.brief.totals.arrested.low) == (7, 8)
    assert result.provenance.model == "rules-v1+fake.gguf"


def test_failed_prose_keeps_the_facts_and_says_so(seed_path):
    result = summarize(seed_path, backend=_hybrid(FakeLocal(None)),
                       settings=Settings(max_reasks=0))
    assert result.brief.headline.startswith("Syrian President Al-Sharaa")  # the title
    assert result.brief.totals.killed.low == 7
    assert result.provenance.usage["completion_tokens"] == 768  # the failed call is counted
    assert any("model prose failed" in n for n in result.provenance.notes)
