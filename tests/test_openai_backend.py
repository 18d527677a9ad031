"""The openai backend through the real openai SDK and instructor, against a fake
OpenAI-compatible server on 127.0.0.1 (started and stopped by each test)."""

import json

import pytest

from summarizer.article import load_article
from summarizer.backends import openai as openai_backend
from summarizer.backends.base import Settings
from summarizer.backends.openai import OpenAIBackend, probe_mode
from summarizer.backends.recording import Recorder
from summarizer.backends.retry import TransportRetry
from summarizer.errors import ExtractionFailed, RateLimited
from summarizer.pipeline import summarize
from summarizer.spec import spec_from_env
from summarizer.testing import FakeOpenAIServer


class SleepLog:
    def __init__(self):
        self.calls = []

    def __call__(self, seconds):
        self.calls.append(seconds)


def _backend(server, **kw):
    sleep = SleepLog()
    retry = TransportRetry(sleep=sleep, max_attempts=kw.pop("max_attempts", 6))
    return OpenAIBackend(model="fake-model", base_url=server.url, api_key="sk-test-not-real",
                         mode=kw.pop("mode", "tools"), retry=retry, **kw), sleep


def test_429_with_retry_after_then_500_then_success(seed_path):
    with FakeOpenAIServer(script=["429:7", "500", "ok"]) as server:
        backend, sleep = _backend(server)
        result = summarize(seed_path, backend=backend)
    assert len(server.requests) == 3  # one request per tenacity attempt
    assert backend.retry.retries == 2
    assert sleep.calls[0] == 7  # Retry-After honored exactly
    assert 0 < sleep.calls[1] <= 20  # jittered exponential backoff for the 500
    assert result.brief.headline.startswith("Syrian President Al-Sharaa")
    assert result.provenance.usage == {"prompt_tokens": 100, "completion_tokens": 50,
                                       "total_tokens": 150, "calls": 1}


def test_rate_limit_exhausts_budget_into_our_error(seed_path):
    with FakeOpenAIServer(script=["429:1"] * 3) as server:
        backend, _ = _backend(server, max_attempts=3)
        with pytest.raises(RateLimited):
            summarize(seed_path, backend=backend)
    assert len(server.requests) == 3


def test_validation_reask_is_bounded_and_usage_sums_every_attempt(seed_path):
    with FakeOpenAIServer(script=["invalid", "invalid", "ok"]) as server:
        backend, _ = _backend(server)
        result = summarize(seed_path, backend=backend, settings=Settings(max_reasks=2))
    assert result.provenance.attempts == 3
    assert result.provenance.usage["total_tokens"] == 450  # failed attempts included
    # the re-ask fed the validation error back to the model
    last = server.requests[-1]["body"]["messages"]
    assert len(last) > 2 and any("headline" in json.dumps(m) for m in last[2:])
    with FakeOpenAIServer(script=["invalid"] * 3) as server:
        backend, _ = _backend(server)
        with pytest.raises(ExtractionFailed) as err:
            summarize(seed_path, backend=backend, settings=Settings(max_reasks=1))
    assert err.value.attempts == 2 and err.value.usage.total_tokens == 300


@pytest.fixture(autouse=True)
def _no_kept_probes():
    openai_backend.forget_probes()  # a new server may get a port an earlier one had
    yield
    openai_backend.forget_probes()


def test_probe_picks_tools_when_json_schema_is_rejected_and_caches():
    with FakeOpenAIServer(reject_json_schema=True) as server:
        assert probe_mode(server.url, "x", "m") == "tools"
        assert probe_mode(server.url, "x", "m") == "tools"
    assert server.served["rejected"] == 1 and server.probes == 1  # once per base URL
    with FakeOpenAIServer() as server:
        assert probe_mode(server.url, "x", "m") == "json_schema"
    assert server.probes == 1


def test_unknown_server_is_probed_then_tools_mode_is_used(seed_path):
    with FakeOpenAIServer(reject_json_schema=True) as server:
        backend, _ = _backend(server, mode=None)
        result = summarize(seed_path, backend=backend)
    assert result.provenance.mode == "tools"
    assert server.requests[-1]["body"]["tool_choice"]["function"]["name"]


def test_api_key_and_authorization_never_reach_a_recording(seed_path, tmp_path, monkeypatch):
    secret = "sk" + "-live-THIS-MUST-NOT-LEAK-0123456789"  # split: no key-like literal in git
    monkeypatch.setenv("OPENAI_API_KEY", secret)
    with FakeOpenAIServer() as server:
        monkeypatch.setenv("OPENAI_BASE_URL", server.url)
        spec = spec_from_env()
        recorder = Recorder(tmp_path, "record", backend="openai", secrets=spec.secrets())
        backend = OpenAIBackend.from_config(spec.openai, model="fake-model", mode="tools",
                                            recorder=recorder)
        summarize(seed_path, backend=backend)
    sent = {k.lower(): v for k, v in server.requests[0]["headers"].items()}
    assert sent["authorization"] == f"Bearer {secret}"  # it was sent
    files = list(tmp_path.glob("*.json"))
    assert len(files) == 1
    text = files[0].read_text()
    assert secret not in text
    assert "authorization" not in text.lower() and "bearer" not in text.lower()
    doc = json.loads(text)
    assert doc["provenance"]["model"] == "fake-model" and doc["provenance"]["recorded_at"]


def test_record_then_replay_without_a_server(seed_path, tmp_path):
    with FakeOpenAIServer() as server:
        rec = Recorder(tmp_path, "record", backend="openai")
        backend = OpenAIBackend(model="fake-model", base_url=server.url, api_key="x",
                                mode="tools", recorder=rec)
        recorded = summarize(seed_path, backend=backend)
    # the server is gone: replay must not touch the network
    rep = Recorder(tmp_path, "replay", backend="openai")
    backend = OpenAIBackend(model="fake-model", base_url="http://127.0.0.1:9/v1", api_key="x",
                            recorder=rep)
    replayed = summarize(load_article(seed_path), backend=backend)
    assert replayed.brief == recorded.brief
    assert rep.hits == 1 and backend.mode == "tools"  # mode read from the recordings
