"""Salvage after the re-asks: a draft whose only faults are over-long free text or a non-ISO
date is kept, cut and flagged, on every path (live openai in both modes, the providers, the
Batch APIs, the local backend's loop); quotes, counts, enums and structure still fail."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from summarizer import summarize
from summarizer.backends.base import Settings
from summarizer.backends.local import LocalBackend
from summarizer.backends.openai import OpenAIBackend
from summarizer.backends.retry import TransportRetry
from summarizer.batch import RunOptions, run_batch
from summarizer.batch_api import BatchAPIOptions
from summarizer.brief import MAX_COUNT, Brief, BriefDraft
from summarizer.errors import ExtractionFailed
from summarizer.grounding import drop_flagged
from summarizer.salvage import cut_at_word, salvage
from summarizer.spec import spec_from_env
from summarizer.testing import FakeOpenAIServer
from summarizer.testing_batches import FakeAnthropicBatchServer, FakeOpenAIBatchServer
from summarizer.testing_careless import CarelessBriefs
from summarizer.testing_providers import FakeAnthropicServer, FakeGeminiServer, FakeOllamaServer

from .conftest import SEED

ARTICLE = ("Gunmen killed 4 people and wounded 7 in the market on Monday, police said. "
           "Officers arrested 2 suspects on Tuesday.")


def _draft(**changes: object) -> dict:
    draft = {
        "headline": "Gunmen kill four in a market", "summary": "Four people were killed.",
        "actors": [{"name": "police", "aliases": ["officers"], "kind": "security force",
                    "role": "responder", "evidence": [{"quote": "police said"}]}],
        "casualties": [{"incident": "market attack", "date_text": "on Monday",
                        "date": "2025-12-15", "group": "people", "side": "victims",
                        "killed": {"value": 4, "qualifier": "exact"},
                        "evidence": [{"quote": "Gunmen killed 4 people"}]}],
        "arrests": [], "diplomatic_significance": {"level": "none"}}
    for path, value in changes.items():
        node: dict = draft
        *head, last = path.split(".")
        for part in head:
            node = node[int(part)] if part.isdigit() else node[part]  # type: ignore[index]
        node[last] = value
    return draft


def test_over_long_free_text_is_cut_at_a_word_boundary_and_a_non_iso_date_set_to_null():
    long_when = "in the early hours of Monday morning, before the market opened for trade"
    raw = json.dumps(_draft(**{
        "headline": "Gunmen kill four people in a crowded market " * 5,
        "casualties.0.date_text": long_when,
        "casualties.0.date": "on the morning of Monday 13 December 2025",
        "actors.0.aliases": ["officers of the district police force who were on patrol near "
                             "the market square at the time of the attack"]}))
    kept = salvage(BriefDraft, raw)
    assert kept is not None
    draft = kept.value
    assert len(draft.headline) <= 120 and draft.headline.startswith("Gunmen kill four")
    assert draft.casualties[0].date_text == "in the early hours of Monday morning"
    assert draft.casualties[0].date is None
    assert len(draft.actors[0].aliases[0]) <= 80
    assert [(f.code, f.path) for f in kept.flags] == [  # in the flags' one order
        ("text_cut", "actors[0].aliases[0]"), ("date_nulled", "casualties[0].date"),
        ("text_cut", "casualties[0].date_text"), ("text_cut", "headline")]
    assert "over its bound of 40" in kept.flags[2].message
    Brief.model_validate(Brief.from_draft(draft).model_dump(mode="json"))  # stored bounds hold


@pytest.mark.parametrize("change", [
    {"casualties.0.evidence": [{"quote": "Gunmen killed 4 people " * 20}]},  # a long quote
    {"casualties.0.killed": {"value": MAX_COUNT + 1, "qualifier": "exact"}},  # out of range
    {"casualties.0.side": "bystanders"},  # not an enum value
    {"headline": ""},  # an empty required string
    {"summary": None},  # required structure
    {"arrests": [{"who": "men", "status": "arrested"}] * 9},  # too many records
    {"casualties.0.date_text": "x" * 50, "casualties.0.evidence": [{"quote": "q" * 301}]},
])
def test_quotes_counts_enums_and_structure_are_never_salvaged(change):
    assert salvage(BriefDraft, json.dumps(_draft(**change))) is None


def test_nothing_to_salvage_in_a_valid_draft_or_broken_json():
    assert salvage(BriefDraft, json.dumps(_draft())) is None
    assert salvage(BriefDraft, '{"headline": "cut off') is None
    assert salvage(BriefDraft, None) is None


def test_cut_at_word_keeps_whole_words():
    assert cut_at_word("one two three four", 9) == "one two"
    assert cut_at_word("one two, three", 8) == "one two"  # a trailing comma goes too
    assert cut_at_word("one two three", 7) == "one two"  # the bound falls at a word's end
    assert cut_at_word("abcdefghij", 4) == "abcd"  # one long word: cut inside it
    assert cut_at_word("short", 40) == "short"


def _openai(server: FakeOpenAIServer, mode: str) -> OpenAIBackend:
    return OpenAIBackend(model="fake", base_url=server.url, api_key="x", mode=mode)


@pytest.mark.parametrize("mode", ["tools", "json_schema"])
def test_a_careless_server_live_still_briefs_nearly_every_article(tmp_path, mode):
    """The issue's check: bounded non-quote strings past their bound ~30 % of the time, the
    re-ask failing the same way: >= 95 % briefed, each cut field flagged, every stored brief
    valid against Brief."""
    src = tmp_path / "in"
    src.mkdir()
    for i in range(60):
        (src / f"a{i:02d}.txt").write_text(
            f"Attack in district {i}\n\nGunmen killed {i % 7 + 1} people in district {i} on "
            f"Monday, police said. Officers arrested {i % 4 + 1} suspects.\n", encoding="utf-8")
    careless = CarelessBriefs(rate=0.3)
    with FakeOpenAIServer(brief_fn=careless) as server:
        summary, _ = run_batch([str(src)], RunOptions(out=tmp_path / "out", quiet=True,
                                                      use_cache=False, concurrency=8),
                               backend=_openai(server, mode))
    assert summary.briefed >= 57, summary.failed
    rows = [json.loads(t) for t in (tmp_path / "out" / "briefs.jsonl").read_text().splitlines()]
    salvage_flags = 0
    for row in rows:
        brief = Brief.model_validate(row["brief"])
        for flag in brief.flags:
            if flag.code in ("text_cut", "date_nulled"):
                salvage_flags += 1
    assert careless.overlong > 0
    # Every over-long string of a final answer was flagged once: 3 attempts an article
    # whose first answer failed, each the same answer.
    assert salvage_flags * 3 == careless.overlong


def test_drop_policy_keeps_a_fact_whose_field_was_cut():
    with FakeOpenAIServer(brief_fn=CarelessBriefs(rate=1.0)) as server:
        result = summarize(ARTICLE, backend=_openai(server, "tools"), policy="drop")
    brief = result.brief
    assert brief.casualties  # its cut date_text and dropped date did not drop the record
    codes = {(f.code, f.path) for f in brief.flags}
    assert ("date_nulled", "casualties[0].date") in codes
    assert ("text_cut", "casualties[0].date_text") in codes
    assert brief.casualties[0].date is None and len(brief.casualties[0].date_text or "") <= 40
    salvage_flags = [f for f in brief.flags if f.code in ("text_cut", "date_nulled")]
    after = drop_flagged(brief, salvage_flags)  # the drop policy acts on none of them
    assert after.flags == salvage_flags
    assert after.model_copy(update={"flags": brief.flags}) == brief
    assert any("salvaged" in note for note in result.provenance.notes)


@pytest.mark.parametrize("careless", [CarelessBriefs(rate=0.0, overlong_quote=True),
                                      CarelessBriefs(rate=0.5, count=MAX_COUNT + 1)],
                         ids=["over-long quote", "count out of range"])
def test_an_over_long_quote_or_an_out_of_range_count_still_fails(careless):
    with FakeOpenAIServer(brief_fn=careless) as server, pytest.raises(ExtractionFailed):
        summarize(ARTICLE, backend=_openai(server, "tools"))
    assert len(server.requests) == 3  # the first answer and both re-asks, then a failure


async def _no_wait(seconds: float) -> None:
    return None


@pytest.mark.parametrize("fake", [FakeAnthropicServer, FakeGeminiServer, FakeOllamaServer])
def test_every_provider_salvages_the_same_way(fake):
    from summarizer.backends.anthropic import AnthropicBackend
    from summarizer.backends.gemini import GeminiBackend
    from summarizer.backends.ollama import OllamaBackend

    cls = {FakeAnthropicServer: AnthropicBackend, FakeGeminiServer: GeminiBackend,
           FakeOllamaServer: OllamaBackend}[fake]
    with fake(brief_fn=CarelessBriefs(rate=1.0)) as server:
        url = server.host if isinstance(server, FakeOllamaServer) else server.url
        backend = cls(model="", base_url=url, api_key="k",
                      retry=TransportRetry(sleep=lambda s: None, asleep=_no_wait))
        result = summarize(SEED, backend=backend)
    assert result.provenance.attempts == 3
    codes = {f.code for f in result.brief.flags}
    assert {"text_cut", "date_nulled"} <= codes
    Brief.model_validate(result.brief.model_dump(mode="json"))


@pytest.mark.parametrize("fake", [FakeOpenAIBatchServer, FakeAnthropicBatchServer],
                         ids=["openai", "anthropic"])
def test_the_batch_apis_salvage_after_their_retry(fake, tmp_path, monkeypatch):
    (tmp_path / "in").mkdir()
    (tmp_path / "in" / "a.txt").write_text(ARTICLE, encoding="utf-8")
    with fake(brief_fn=CarelessBriefs(rate=1.0)) as server:
        if fake is FakeAnthropicBatchServer:
            model = "anthropic/claude-haiku-4-5"
            monkeypatch.setenv("ANTHROPIC_BASE_URL", server.url)
            monkeypatch.setenv("ANTHROPIC_API_KEY", "k")
        else:
            model = "openai/gpt-4o-mini"
            monkeypatch.setenv("OPENAI_BASE_URL", server.url)
            monkeypatch.setenv("OPENAI_API_KEY", "k")
        summary, code = run_batch([str(tmp_path / "in")], RunOptions(
            out=tmp_path / "out", spec=spec_from_env(model=model), use_cache=False, quiet=True,
            batch_api=BatchAPIOptions(poll_start=0.02, poll_max=0.05)))
        assert len(server.batches) == 2  # the first answer, then its one retry
    assert code == 0 and summary.briefed == 1
    row = json.loads((tmp_path / "out" / "briefs.jsonl").read_text())
    assert {"text_cut", "date_nulled"} <= {f["code"] for f in row["brief"]["flags"]}


class _CarelessLocal(LocalBackend):
    """The local backend's re-ask loop over canned answers: no model is loaded."""

    def __init__(self) -> None:
        super().__init__(model_path=Path("careless.gguf"), n_ctx=4096, n_threads=1)
        self.careless = CarelessBriefs(rate=1.0)
        self.calls = 0

    def _grow_context(self, messages, settings):  # noqa: ANN001
        return None

    def _prompt_tokens(self, messages) -> int:  # noqa: ANN001
        return 100

    def _complete(self, messages, settings, grammar):  # noqa: ANN001
        self.calls += 1
        content = json.dumps(self.careless(messages))
        return {"choices": [{"message": {"content": content}, "finish_reason": "stop"}],
                "usage": {"prompt_tokens": 10, "completion_tokens": 5}}

    def grammar(self, article=None):  # noqa: ANN001
        return None, ""


def test_the_local_backends_loop_salvages_too():
    backend = _CarelessLocal()
    result = summarize(ARTICLE, backend=backend, settings=Settings(max_reasks=1))
    assert backend.calls == 2 and result.provenance.attempts == 2
    assert {"text_cut", "date_nulled"} <= {f.code for f in result.brief.flags}
    assert result.provenance.usage["calls"] == 2  # both attempts' usage kept
