"""Prices from the maintained table (genai-prices), read offline: cached input tokens billed
lower, a model the table does not list priced "unknown" (never $0), in-process backends free."""

from __future__ import annotations

import socket

import pytest

from summarizer.backends.base import Usage
from summarizer.backends.ollama import OllamaBackend
from summarizer.backends.rules import RulesBackend
from summarizer.batch.costs import _price, backend_cost, estimate_cost


def test_prices_come_from_the_table_cached_input_billed_lower():
    full = estimate_cost("gpt-4o-mini", 1_000_000, 1_000_000)
    assert full == pytest.approx(0.15 + 0.60)  # OpenAI's list price per 1M tokens
    half_cached = estimate_cost("gpt-4o-mini", 1_000_000, 1_000_000, cached_tokens=500_000)
    assert half_cached is not None and full is not None and half_cached < full
    for model in ("openai/gpt-4o-mini", "anthropic/claude-haiku-4-5", "gemini/gemini-2.5-flash"):
        price = estimate_cost(model, 1000, 1000)
        assert price is not None and price > 0, model


@pytest.mark.parametrize("model", ["ollama/llama3.2", "meta-llama/Llama-3.1-8B-Instruct",
                                   "no-such-model-anywhere", "SmolLM2-135M-Instruct.Q4_1.gguf",
                                   "anthropic/no-such-claude"])
def test_a_model_the_table_does_not_list_has_no_price(model):
    assert estimate_cost(model, 1000, 1000) is None


def test_in_process_is_free_and_says_so_unknown_says_unknown():
    free = backend_cost(RulesBackend(), 10, 10)
    assert (free.usd, free.status, free.label()) == (0.0, "free", "$0 (in process)")
    ollama = OllamaBackend(model="llama3.2")
    unknown = backend_cost(ollama, 10, 10)
    assert (unknown.usd, unknown.status, unknown.label()) == (None, "unknown", "unknown price")


def test_pricing_never_touches_the_network(monkeypatch):
    import genai_prices.data_snapshot as snapshot

    def refuse(*args, **kwargs):
        raise AssertionError("pricing tried to open a connection")

    monkeypatch.setattr(socket.socket, "connect", refuse)
    monkeypatch.setattr(socket, "create_connection", refuse)
    _price.cache_clear()
    assert estimate_cost("anthropic/claude-haiku-4-5", 1000, 1000) is not None
    assert snapshot._custom_snapshot is None  # the bundled table, no auto-update installed


def test_usage_sums_cached_tokens_and_reports_them_when_there_are_some():
    total = Usage(100, 50, 1, cached_tokens=40) + Usage(100, 50, 1)
    assert total.cached_tokens == 40 and total.as_dict()["cached_tokens"] == 40
    assert "cached_tokens" not in Usage(100, 50, 1).as_dict()
