"""The provider backends (anthropic, gemini, ollama) against loopback fakes of their APIs:
routing by model string, the structured-output request each API takes, its error shapes
(rate limit with a retry delay, overload, invalid request, timeouts), the validation re-ask,
usage summed over attempts, the async path, and record then replay."""

from __future__ import annotations

import asyncio
import json

import pytest

from summarizer import summarize
from summarizer.article import load_article
from summarizer.backends import backend_for, resolve_backend
from summarizer.backends.anthropic import AnthropicBackend, tool
from summarizer.backends.base import Settings
from summarizer.backends.gemini import GeminiBackend, response_schema
from summarizer.backends.ollama import OllamaBackend, ollama_url
from summarizer.backends.openai import OpenAIBackend
from summarizer.backends.providers import route
from summarizer.backends.recording import Recorder
from summarizer.backends.retry import TransportRetry
from summarizer.configuration import configure
from summarizer.errors import (
    BackendError,
    BackendTimeout,
    ConfigurationError,
    ExtractionFailed,
    MissingExtraError,
    RateLimited,
    ReplayMissError,
)
from summarizer.prompts import load_prompt
from summarizer.testing_providers import (
    ANTHROPIC_KEYWORDS,
    GEMINI_KEYWORDS,
    FakeAnthropicServer,
    FakeGeminiServer,
    FakeOllamaServer,
    schema_problems,
)

from .conftest import SEED

FAKES = {"anthropic": (AnthropicBackend, FakeAnthropicServer),
         "gemini": (GeminiBackend, FakeGeminiServer),
         "ollama": (OllamaBackend, FakeOllamaServer)}
# Per call, as each fake reports it: (prompt, completion, cached) tokens.
USAGE = {"anthropic": (100, 50, 40), "gemini": (100, 50, 40), "ollama": (100, 50, 0)}


def _url(server) -> str:
    return server.host if isinstance(server, FakeOllamaServer) else server.url


async def _no_wait(seconds: float) -> None:
    return None


def _backend(name, server, *, max_attempts=6, **kw):
    """The backend at its fake, waiting zero seconds; returns it and the waits it chose."""
    retry = TransportRetry(asleep=_no_wait, max_attempts=max_attempts)
    cls = FAKES[name][0]
    return cls(model="", base_url=_url(server), api_key="test-key", retry=retry, **kw), \
        retry.waits


providers = pytest.mark.parametrize("name", sorted(FAKES))


# -- routing -------------------------------------------------------------------------------

@pytest.mark.parametrize(("backend", "model", "expected"), [
    (None, "anthropic/claude-haiku-4-5", ("anthropic", "claude-haiku-4-5")),
    (None, "gemini/gemini-2.5-flash", ("gemini", "gemini-2.5-flash")),
    (None, "ollama/llama3.2:3b", ("ollama", "llama3.2:3b")),
    (None, "openai/gpt-4o-mini", ("openai", "gpt-4o-mini")),
    (None, "gpt-4o-mini", (None, "gpt-4o-mini")),
    (None, "meta-llama/Llama-3.1-8B-Instruct", (None, "meta-llama/Llama-3.1-8B-Instruct")),
    (None, "hf:org/repo/model.gguf", (None, "hf:org/repo/model.gguf")),
    (None, "/models/anthropic/x.gguf", (None, "/models/anthropic/x.gguf")),
    ("openai", "openai/gpt-oss-20b", ("openai", "openai/gpt-oss-20b")),  # vLLM's name
    ("openai", "anthropic/claude-haiku-4.5", ("openai", "anthropic/claude-haiku-4.5")),
])
def test_only_the_four_prefixes_route_and_only_with_no_backend_named(backend, model, expected):
    assert route(backend, model) == expected


def test_a_prefixed_model_builds_its_provider_backend(monkeypatch):
    monkeypatch.setenv("SUMMARIZER_BACKEND", "rules")  # a prefix wins over the default
    monkeypatch.setenv("ANTHROPIC_API_KEY", "test-key")
    backend = resolve_backend(model="anthropic/claude-haiku-4-5")
    assert isinstance(backend, AnthropicBackend) and backend.remote
    assert (backend.model, backend.api_model) == ("anthropic/claude-haiku-4-5", "claude-haiku-4-5")
    monkeypatch.setenv("GEMINI_API_KEY", "test-key")
    assert isinstance(resolve_backend(model="gemini/gemini-2.5-flash"), GeminiBackend)
    assert resolve_backend(model="ollama/llama3.2").model == "ollama/llama3.2"
    assert resolve_backend("anthropic").model == "anthropic/claude-haiku-4-5"  # its default
    monkeypatch.setenv("OPENAI_API_KEY", "sk-test")
    openai_backend = resolve_backend(model="openai/gpt-4o-mini")
    assert isinstance(openai_backend, OpenAIBackend) and openai_backend.model == "gpt-4o-mini"


def test_other_model_strings_keep_their_meaning(monkeypatch):
    monkeypatch.setenv("OPENAI_BASE_URL", "http://127.0.0.1:9/v1")
    backend = resolve_backend(model="meta-llama/Llama-3.1-8B-Instruct")
    assert isinstance(backend, OpenAIBackend)
    assert backend.model == "meta-llama/Llama-3.1-8B-Instruct"
    assert backend_for(None, "meta-llama/Llama-3.1-8B-Instruct")[0] == "openai"


def test_setup_errors_are_one_line(monkeypatch):
    with pytest.raises(ConfigurationError, match="needs ANTHROPIC_API_KEY"):
        resolve_backend(model="anthropic/claude-haiku-4-5")
    with pytest.raises(ConfigurationError, match="needs GEMINI_API_KEY"):
        resolve_backend(model="gemini/gemini-2.5-flash")
    with pytest.raises(ConfigurationError, match="--mode applies to the openai backend"):
        resolve_backend(model="ollama/llama3.2", mode="tools")
    monkeypatch.setattr("summarizer.backends.providers._importable", lambda module: False)
    with pytest.raises(MissingExtraError) as err:
        resolve_backend(model="gemini/gemini-2.5-flash")
    assert str(err.value) == ("--model gemini/... needs the 'gemini' extra: "
                              "pip install 'summarizer[gemini]'")


def test_timeout_applies_to_every_backend_that_calls_a_server():
    assert configure(model="ollama/llama3.2", timeout=3).backend.timeout == 3  # type: ignore[attr-defined]
    with pytest.raises(ConfigurationError, match="--timeout applies"):
        configure("rules", timeout=3)


@pytest.mark.parametrize(("host", "url"), [
    (None, "http://127.0.0.1:11434"), ("0.0.0.0", "http://127.0.0.1:11434"),
    ("gpu-box:8080", "http://gpu-box:8080"), ("https://ollama.example", "https://ollama.example:443"),
    ("http://[::1]:11434/", "http://[::1]:11434"),
])
def test_ollama_host_is_read_as_ollama_reads_it(host, url):
    assert ollama_url(host) == url


# -- the request each API takes ---------------------------------------------------------------

def test_the_schemas_sent_stay_inside_each_apis_subset():
    assert schema_problems(tool()["input_schema"], ANTHROPIC_KEYWORDS) == []
    assert schema_problems(response_schema(), GEMINI_KEYWORDS) == []
    # and the fakes refuse what the real APIs refuse, in their shape
    with FakeAnthropicServer() as server:
        backend, _ = _backend("anthropic", server)
        bad = {**tool(), "input_schema": {"type": "object", "properties": {
            "headline": {"type": "string", "maxLength": 120}}}}
        body = {**backend.request([{"role": "user", "content": "x"}], Settings()),
                "tools": [bad]}
        status, payload, _ = server.answer("/v1/messages", {}, body)
    assert status == 400 and payload["error"]["type"] == "invalid_request_error"
    assert "'maxLength' is not supported" in payload["error"]["message"]


@providers
def test_each_request_asks_for_the_draft_in_the_apis_own_way(name):
    with FAKES[name][1]() as server:
        backend, _ = _backend(name, server)
        summarize(SEED, backend=backend)
    body = server.requests[0]["body"]
    if name == "anthropic":
        assert body["tool_choice"] == {"type": "tool", "name": "BriefDraft"}
        assert body["tools"][0]["input_schema"]["properties"]["headline"]["type"] == "string"
        assert body["system"] and [m["role"] for m in body["messages"]] == ["user"]
        assert body["model"] == "claude-haiku-4-5" and "api.anthropic" not in server.url
    elif name == "gemini":
        config = body["generationConfig"]
        assert config["responseMimeType"] == "application/json"
        assert config["responseJsonSchema"] == response_schema()
        assert body["systemInstruction"]["parts"][0]["text"]
        assert server.requests[0]["path"].endswith("/models/gemini-2.5-flash:generateContent")
    else:
        assert body["format"]["properties"]["headline"]["maxLength"] == 120
        assert body["stream"] is False and body["options"]["num_predict"] == 2048


# -- error shapes, retries, re-asks ---------------------------------------------------------------

@providers
def test_rate_limit_with_retry_after_then_overload_then_a_brief(name):
    told: list[str] = []
    with FAKES[name][1](script=["429:7", "overload", "ok"]) as server:
        backend, waits = _backend(name, server)
        backend.on_rate_limit(lambda: told.append("429"))  # the batch's adaptive limit
        result = summarize(SEED, backend=backend)
    assert told == ["429"]  # the rate limit, not the overload
    assert [r["fault"] for r in server.requests] == ["429:7", "overload", "ok"]
    assert backend.transport_retries == 2 and waits[0] == 7  # the server's delay, exactly
    assert result.brief.headline.startswith("Syrian President Al-Sharaa")
    assert result.provenance.backend == name and result.provenance.model == backend.model
    prompt, completion, cached = USAGE[name]
    assert result.provenance.usage["prompt_tokens"] == prompt
    assert result.provenance.usage["completion_tokens"] == completion
    assert result.provenance.usage.get("cached_tokens", 0) == cached


@providers
def test_an_invalid_request_is_not_retried_and_says_why(name):
    with FAKES[name][1](script=["400:model: unknown-model is not a model"]) as server:
        backend, _ = _backend(name, server)
        with pytest.raises(BackendError) as err:
            summarize(SEED, backend=backend)
    assert len(server.requests) == 1 and err.value.status == 400
    assert str(err.value).startswith("HTTP 400: ") and "unknown-model" in str(err.value)


@providers
def test_a_rate_limit_that_never_lifts_becomes_rate_limited(name):
    with FAKES[name][1](script=["429:1"] * 3) as server:
        backend, _ = _backend(name, server, max_attempts=3)
        with pytest.raises(RateLimited):
            summarize(SEED, backend=backend)
    assert len(server.requests) == 3


@providers
def test_a_server_that_never_answers_becomes_a_timeout(name):
    with FAKES[name][1](script=["hang", "hang"], hang_seconds=1.5) as server:
        backend, _ = _backend(name, server, max_attempts=2, timeout=0.3)
        with pytest.raises(BackendTimeout):
            summarize(SEED, backend=backend)
    assert len(server.requests) == 2


@providers
def test_validation_reask_feeds_the_error_back_and_usage_sums_every_attempt(name):
    with FAKES[name][1](script=["invalid", "truncated", "ok"]) as server:
        backend, _ = _backend(name, server)
        result = summarize(SEED, backend=backend, settings=Settings(max_reasks=2))
    assert result.provenance.attempts == 3 and result.provenance.usage["calls"] == 3
    assert result.provenance.usage["prompt_tokens"] == 3 * USAGE[name][0]
    asked = [json.dumps(r["body"]) for r in server.requests]
    assert "headline" in asked[1] and "not valid" in asked[1]  # the field path, fed back
    assert "cut off at max_tokens=2048" in asked[2]
    with FAKES[name][1](script=["invalid"] * 2) as server:
        backend, _ = _backend(name, server)
        with pytest.raises(ExtractionFailed) as err:
            summarize(SEED, backend=backend, settings=Settings(max_reasks=1))
    assert err.value.attempts == 2 and err.value.usage.calls == 2  # type: ignore[union-attr]


@providers
def test_the_async_path_uses_the_native_client_with_the_same_policy(name):
    article, prompt = load_article(SEED), load_prompt()
    with FAKES[name][1](script=["429:3", "invalid", "ok"]) as server:
        backend, waits = _backend(name, server)
        ext = asyncio.run(backend.aextract(article, prompt, Settings()))
    assert waits[0] == 3 and ext.attempts == 2 and ext.usage.calls == 2
    assert ext.draft.headline.startswith("Syrian President Al-Sharaa")


# -- record and replay -----------------------------------------------------------------------------

@providers
def test_record_then_replay_without_a_server(name, tmp_path):
    with FAKES[name][1]() as server:
        backend, _ = _backend(name, server, recorder=Recorder(tmp_path, "record", backend=name))
        recorded = summarize(SEED, backend=backend)
    assert backend.recorder is not None and backend.recorder.written == 1
    # the fake compressed its answer, as the real APIs do: recorded and passed on decoded
    assert "gzip" in server.requests[0]["headers"].get("Accept-Encoding", "")
    saved = json.loads(next(tmp_path.glob("*.json")).read_text())
    assert "test-key" not in json.dumps(saved) and saved["provenance"]["backend"] == name
    replayer = Recorder(tmp_path, "replay", backend=name)
    again, _ = _backend(name, server, recorder=replayer)  # the server is gone: nothing to reach
    replayed = summarize(SEED, backend=again)
    assert replayed.brief == recorded.brief and replayer.hits == 1
    with pytest.raises(ReplayMissError):
        summarize(SEED, backend=again, settings=Settings(max_tokens=100))
    assert asyncio.run(again.aextract(load_article(SEED), load_prompt(), Settings())).attempts == 1
