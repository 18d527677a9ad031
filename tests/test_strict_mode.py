"""Strict structured outputs on the wire, and the mode probe: one per base URL per process,
single-flight across threads and event loops, retried under the transport policy, and never
the reason an article fails. Against the fake server, which refuses (400, OpenAI's shape)
any strict schema outside OpenAI's subset and counts the probes it receives."""

import asyncio
import json
import threading
from pathlib import Path

import httpx
import pytest

from summarizer.backends.base import Settings
from summarizer.backends.openai import OpenAIBackend
from summarizer.backends.probe import Probes
from summarizer.backends.retry import TransportRetry
from summarizer.backends.wire_schema import strict_response_format
from summarizer.batch import RunOptions, run_batch
from summarizer.brief import BriefDraft
from summarizer.errors import BackendError
from summarizer.pipeline import summarize
from summarizer.testing import FakeOpenAIServer

STRICT = strict_response_format(BriefDraft)


PROBES = Probes()


@pytest.fixture(autouse=True)
def _fresh_probes():
    global PROBES
    PROBES = Probes()  # a new server may get a port an earlier one had


def probe_mode(url, key, model, **kw):
    """The mode from a thread of its own event loop (asyncio.run in any thread)."""
    return asyncio.run(PROBES.mode(url, key, model, **kw))


def aprobe_mode(url, key, model, **kw):
    return PROBES.mode(url, key, model, **kw)


async def _no_wait(seconds):
    pass


def _corpus(folder: Path, n: int) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    for i in range(n):
        (folder / f"story-{i:02d}.txt").write_text(
            f"Story number {i} in the corpus\nPolice said {i + 1} people were arrested.\n",
            encoding="utf-8")
    return folder


def _briefs(server):
    return [r["body"] for r in server.requests
            if (r["body"].get("response_format") or {}).get("json_schema", {}).get("name")
            != "probe"]


def test_json_schema_requests_are_strict_and_the_reask_still_feeds_the_error_back(seed_path):
    with FakeOpenAIServer(script=["invalid", "ok"]) as server:
        backend = OpenAIBackend(model="m", base_url=server.url, api_key="x", mode="json_schema",
                                retry=TransportRetry(asleep=_no_wait))
        result = summarize(seed_path, backend=backend, settings=Settings(max_reasks=1))
    assert result.provenance.mode == "json_schema" and result.provenance.attempts == 2
    bodies = [r["body"] for r in server.requests]
    assert len(bodies) == 2 and server.served["invalid_schema"] == 0
    assert all(b["response_format"] == STRICT for b in bodies)
    assert any("headline" in json.dumps(m) for m in bodies[1]["messages"][2:])


def test_openai_itself_gets_strict_without_a_probe(seed_path):
    seen = []

    def answer(request: httpx.Request) -> httpx.Response:
        body = json.loads(request.content)
        seen.append(body)
        brief = {"headline": "A headline", "summary": "A summary.", "actors": [],
                 "casualties": [], "arrests": [], "diplomatic_significance": {
                     "level": "none", "summary": "", "parties": [], "evidence": []}}
        return httpx.Response(200, json={
            "id": "c", "object": "chat.completion", "created": 0, "model": body["model"],
            "choices": [{"index": 0, "finish_reason": "stop", "message": {
                "role": "assistant", "content": json.dumps(brief)}}],
            "usage": {"prompt_tokens": 1, "completion_tokens": 1, "total_tokens": 2}})

    backend = OpenAIBackend(model="gpt-4o-mini", base_url="https://api.openai.com/v1",
                            api_key="x", transport=httpx.MockTransport(answer))
    result = summarize(seed_path, backend=backend)
    assert result.provenance.mode == "json_schema" and len(seen) == 1
    assert seen[0]["response_format"] == STRICT


def test_threads_and_event_loops_wait_for_one_probe():
    with FakeOpenAIServer(latency=0.3) as server:
        got = []
        threads = [threading.Thread(target=lambda: got.append(probe_mode(server.url, "x", "m")))
                   for _ in range(4)]
        for t in threads:
            t.start()

        async def tasks():
            return await asyncio.gather(*(aprobe_mode(server.url, "x", "m") for _ in range(8)))

        got += asyncio.run(tasks())
        for t in threads:
            t.join()
        got.append(probe_mode(server.url, "x", "m"))  # kept for the process
    assert got == ["json_schema"] * 13 and server.probes == 1


def test_a_cancelled_prober_leaves_no_waiter_stranded():
    with FakeOpenAIServer(latency=1.0) as server:
        async def run():
            owner = asyncio.create_task(aprobe_mode(server.url, "x", "m"))
            await asyncio.sleep(0.05)
            waiter = asyncio.create_task(aprobe_mode(server.url, "x", "m"))
            await asyncio.sleep(0.05)
            owner.cancel()
            return await waiter

        assert asyncio.run(run()) == "json_schema"
    assert server.probes == 2  # the waiter probed once its prober was gone


def test_the_probe_is_retried_under_the_transport_policy():
    with FakeOpenAIServer(script=["truncated", "429:0", "ok"]) as server:
        retry = TransportRetry(asleep=_no_wait)
        assert probe_mode(server.url, "x", "m", retry=retry) == "json_schema"
    assert server.probes == 3 and retry.retries == 2


def test_a_refusal_is_an_answer_not_a_fault():
    with FakeOpenAIServer(reject_json_schema=True) as server:  # 500, as llama.cpp's server
        retry = TransportRetry(asleep=_no_wait)
        assert probe_mode(server.url, "x", "m", retry=retry) == "tools"
    assert server.probes == 1 and retry.retries == 0


def test_an_unreachable_server_falls_back_once_per_owner():
    global PROBES
    server = FakeOpenAIServer().start()
    url = server.url
    server.stop()  # nothing listens there now
    retry = TransportRetry(asleep=_no_wait, max_attempts=3)
    assert probe_mode(url, "x", "m", retry=retry) == "tools"
    assert retry.retries == 2
    assert probe_mode(url, "x", "m", retry=retry) == "tools"
    assert retry.retries == 2  # its backend does not probe again for every article
    PROBES = Probes()  # another backend's
    assert probe_mode(url, "x", "m", retry=retry) == "tools"
    assert retry.retries == 4


def test_a_backend_whose_probe_failed_probes_once_not_once_an_article(seed_path):
    server = FakeOpenAIServer().start()
    url = server.url
    server.stop()
    retry = TransportRetry(asleep=_no_wait, max_attempts=2)
    backend = OpenAIBackend(model="m", base_url=url, api_key="x", retry=retry)
    for _ in range(3):
        with pytest.raises(BackendError):
            summarize(seed_path, backend=backend)
    assert retry.retries == 1 + 3  # one probe's retry, then each article's own


def test_a_batch_sends_one_probe_and_strict_requests_at_concurrency_8(tmp_path, monkeypatch):
    monkeypatch.delenv("SUMMARIZER_BACKEND", raising=False)
    src = _corpus(tmp_path / "in", 16)
    with FakeOpenAIServer(latency=0.2) as server:
        monkeypatch.setenv("OPENAI_BASE_URL", server.url)
        monkeypatch.setenv("OPENAI_API_KEY", "sk-test-fake")
        options = RunOptions(out=tmp_path / "out", use_cache=False, concurrency=8, quiet=True)
        summary, code = run_batch([str(src)], options)
    assert code == 0 and summary.briefed == 16
    assert server.probes == 1 and server.served["invalid_schema"] == 0
    briefs = _briefs(server)
    assert len(briefs) == 16 and all(b["response_format"] == STRICT for b in briefs)
    assert server.max_in_flight > 1  # the workers ran side by side


def test_a_server_refusing_json_schema_gets_tools_mode_and_one_probe(tmp_path, monkeypatch):
    monkeypatch.delenv("SUMMARIZER_BACKEND", raising=False)
    src = _corpus(tmp_path / "in", 12)
    with FakeOpenAIServer(reject_json_schema=True, latency=0.05) as server:
        monkeypatch.setenv("OPENAI_BASE_URL", server.url)
        monkeypatch.setenv("OPENAI_API_KEY", "sk-test-fake")
        options = RunOptions(out=tmp_path / "out", use_cache=False, concurrency=8, quiet=True)
        summary, code = run_batch([str(src)], options)
    assert code == 0 and summary.briefed == 12
    assert server.probes == 1 and server.served["rejected"] == 1
    briefs = _briefs(server)
    assert len(briefs) == 12 and all(b["tool_choice"]["function"]["name"] for b in briefs)
    assert not any("response_format" in b for b in briefs)


@pytest.mark.parametrize("faults, mode", [(["truncated"] * 2, "json_schema"),
                                          (["truncated"] * 3, "tools")])
def test_no_article_fails_because_of_the_probe(tmp_path, faults, mode):
    """Dropped connections on the probe: retried (then strict), or, once the retries are
    spent, tools mode for the run; every article is briefed either way."""
    src = _corpus(tmp_path / "in", 10)
    with FakeOpenAIServer(script=list(faults)) as server:
        backend = OpenAIBackend(model="m", base_url=server.url, api_key="x",
                                retry=TransportRetry(asleep=_no_wait, max_attempts=3))
        options = RunOptions(out=tmp_path / "out", use_cache=False, concurrency=8, quiet=True)
        summary, code = run_batch([str(src)], options, backend=backend)
    assert code == 0 and summary.briefed == 10 and backend.mode is None  # as asked: probe
    assert all(("tool_choice" in b) == (mode == "tools") for b in _briefs(server))
    assert server.probes == len(faults) + (mode == "json_schema")
