"""The openai backend (chat completions as JSON over httpx) against a fake OpenAI-compatible
server on 127.0.0.1 (started and stopped by each test)."""

import asyncio
import json
import subprocess
import sys

import pytest

from summarizer.article import load_article
from summarizer.backends.base import Settings
from summarizer.backends.openai import OpenAIBackend
from summarizer.backends.probe import Probes
from summarizer.backends.recording import Recorder
from summarizer.backends.retry import TransportRetry
from summarizer.errors import ExtractionFailed, RateLimited
from summarizer.pipeline import summarize
from summarizer.spec import spec_from_env
from summarizer.testing import FakeOpenAIServer


class SleepLog:
    def __init__(self):
        self.calls = []

    async def __call__(self, seconds):
        self.calls.append(seconds)


def _backend(server, **kw):
    sleep = SleepLog()
    retry = TransportRetry(asleep=sleep, max_attempts=kw.pop("max_attempts", 6))
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


def test_probe_picks_tools_when_json_schema_is_rejected_and_caches():
    probes = Probes()
    with FakeOpenAIServer(reject_json_schema=True) as server:
        assert asyncio.run(probes.mode(server.url, "x", "m")) == "tools"
        assert asyncio.run(probes.mode(server.url, "x", "m")) == "tools"
    assert server.served["rejected"] == 1 and server.probes == 1  # once per server and model
    with FakeOpenAIServer() as server:
        assert asyncio.run(probes.mode(server.url, "x", "m")) == "json_schema"
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
    assert rep.hits == 1 and replayed.provenance.mode == "tools"  # read from the recordings
    assert backend.mode is None  # what was asked for: the backend is not changed by a call


def test_the_key_and_the_account_headers_go_as_the_sdk_sends_them(seed_path):
    """Bearer key, OPENAI_ORG_ID and OPENAI_PROJECT_ID as headers, on the probe too."""
    spec = spec_from_env({"OPENAI_API_KEY": "sk-test-not-real", "OPENAI_ORG_ID": "org-7",
                          "OPENAI_PROJECT_ID": "proj-9"})
    with FakeOpenAIServer(script=["ok"]) as server:
        backend = OpenAIBackend.from_config(spec.openai, model="fake-model")
        backend.base_url = server.url
        summarize(seed_path, backend=backend)
    assert [r["path"].rsplit("/", 2)[-2:] for r in server.requests] == [
        ["chat", "completions"]] * 2  # the probe, then the brief
    for sent in server.requests:
        headers = {k.lower(): v for k, v in sent["headers"].items()}
        assert headers["authorization"] == "Bearer sk-test-not-real"
        assert headers["openai-organization"] == "org-7"
        assert headers["openai-project"] == "proj-9"
        assert headers["user-agent"].startswith("summarizer/")


def test_a_brief_over_the_chat_path_never_imports_the_openai_sdk(seed_path):
    """The SDK's import costs a run's start 0.85 s of CPU (issue 32): the chat path is httpx."""
    code = f"""
import sys
from pathlib import Path
from summarizer.backends.openai import OpenAIBackend
from summarizer.pipeline import summarize
from summarizer.testing import FakeOpenAIServer
with FakeOpenAIServer(script=["ok"]) as server:
    backend = OpenAIBackend(model="fake-model", base_url=server.url, api_key="k")
    result = summarize(Path({str(seed_path)!r}), backend=backend)
assert result.brief.headline, result
print(sorted(m for m in sys.modules if m == "openai" or m.startswith("openai.")))
"""
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                          timeout=60)
    assert done.returncode == 0, done.stderr[-2000:]
    assert done.stdout.strip() == "[]"
