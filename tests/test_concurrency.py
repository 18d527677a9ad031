"""Bounded workers and the shared backoff: `--concurrency` caps requests in flight for remote
backends, a local backend runs one article at a time, and a 429 pauses every worker."""

import asyncio
import threading
import time
from pathlib import Path

import httpx
import openai
import pytest

from summarizer.backends.base import InProcessBackend
from summarizer.backends.openai import OpenAIBackend
from summarizer.backends.retry import SharedBackoff, TransportRetry
from summarizer.backends.rules import RulesBackend
from summarizer.batch import RunOptions, run_batch
from summarizer.batch.concurrency import AdaptiveLimit
from summarizer.testing import FakeOpenAIServer


def _corpus(folder: Path, n: int) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    for i in range(n):
        (folder / f"story-{i:02d}.txt").write_text(
            f"Story number {i} in the corpus\nPolice said {i + 1} people were arrested.\n",
            encoding="utf-8")
    return folder


def _options(tmp_path: Path, concurrency: int) -> RunOptions:
    return RunOptions(out=tmp_path / "out", use_cache=False, concurrency=concurrency,
                      quiet=True)


@pytest.mark.parametrize("concurrency", [1, 3])
def test_remote_requests_in_flight_never_exceed_concurrency(tmp_path, concurrency):
    src = _corpus(tmp_path / "in", 9)
    with FakeOpenAIServer(latency=0.1) as server:
        backend = OpenAIBackend(model="fake-model", base_url=server.url, api_key="x",
                                mode="tools")
        summary, code = run_batch([str(src)], _options(tmp_path, concurrency), backend=backend)
    assert code == 0 and summary.briefed == 9
    assert server.max_in_flight == concurrency  # bounded, and the bound is used


class _SlowLocal(InProcessBackend):
    """A backend that runs on this machine (remote = False) and counts overlapping calls."""

    name = "rules"
    model = "rules"

    def __init__(self) -> None:
        self.inner = RulesBackend()
        self.lock = threading.Lock()
        self.now = self.most = 0

    def extract(self, article, prompt, settings, followup=()):
        with self.lock:
            self.now += 1
            self.most = max(self.most, self.now)
        time.sleep(0.02)
        try:
            return self.inner.extract(article, prompt, settings, followup)
        finally:
            with self.lock:
                self.now -= 1


def test_local_backend_never_runs_two_articles_at_once(tmp_path):
    backend = _SlowLocal()
    summary, code = run_batch([str(_corpus(tmp_path / "in", 6))], _options(tmp_path, 8),
                              backend=backend)
    assert code == 0 and summary.briefed == 6
    assert backend.most == 1  # --concurrency 8 does not oversubscribe the cores


def test_a_429_pauses_every_worker_until_retry_after(tmp_path):
    """Four workers start together; the first request is told "429, Retry-After 1" at once
    while the other three are still being served (latency 0.2 s). Without a shared pause
    those three would send their next requests at ~0.2-0.5 s; with it nobody sends before the
    429's Retry-After has passed."""
    src = _corpus(tmp_path / "in", 8)
    with FakeOpenAIServer(script=["429:1"], latency=0.2) as server:
        backend = OpenAIBackend(model="fake-model", base_url=server.url, api_key="x",
                                mode="tools")
        summary, code = run_batch([str(src)], _options(tmp_path, 4), backend=backend)
    assert code == 0 and summary.briefed == 8 and summary.transport_retries == 1
    arrivals = sorted(r["t"] for r in server.requests)
    t429 = next(r["t"] for r in server.requests if r["fault"].startswith("429"))
    first_wave, later = arrivals[:4], arrivals[4:]  # each worker's first request
    assert t429 in first_wave
    assert later and min(later) >= t429 + 1.0 - 0.01, [round(t - t429, 3) for t in later]
    assert backend.retry.backoff.pauses == 1


class _FakeTime:
    """A clock that moves only when someone sleeps: waits are exact and cost nothing."""

    def __init__(self) -> None:
        self.now = 0.0
        self.sleeps: list[float] = []

    def clock(self) -> float:
        return self.now

    async def sleep(self, seconds: float) -> None:
        self.sleeps.append(seconds)
        self.now += seconds


def _rate_limited(headers: dict[str, str]) -> openai.RateLimitError:
    request = httpx.Request("POST", "http://127.0.0.1/v1/chat/completions")
    return openai.RateLimitError("slow down", body=None,
                                 response=httpx.Response(429, headers=headers, request=request))


def _policy() -> tuple[TransportRetry, _FakeTime]:
    fake = _FakeTime()
    return TransportRetry(asleep=fake.sleep, backoff=SharedBackoff(clock=fake.clock)), fake


def test_the_rate_limited_worker_waits_retry_after_once_and_others_wait_too():
    retry, fake = _policy()
    outcomes = iter([_rate_limited({"retry-after": "5"}), "ok"])

    async def limited():
        got = next(outcomes)
        if isinstance(got, Exception):
            raise got
        return got

    async def note_time():
        called_at.append(fake.now)

    assert asyncio.run(retry.call(limited)) == "ok"
    assert fake.sleeps == [5.0]  # the pause it pushed is the wait it took: not twice
    # another worker arriving while a pause is pushed waits out what is left of it
    retry.backoff.push(3)
    fake.now += 1
    called_at = []
    asyncio.run(retry.call(note_time))
    assert fake.sleeps[1:] == [2.0] and called_at == [fake.now] and fake.now == 8.0


def test_a_429_without_retry_after_still_pauses_everyone():
    retry, fake = _policy()
    outcomes = iter([_rate_limited({}), "ok"])

    async def limited():
        got = next(outcomes)
        if isinstance(got, Exception):
            raise got
        return got

    asyncio.run(retry.call(limited))
    assert retry.backoff.pauses == 1 and retry.retries == 1
    assert 0 < fake.sleeps[0] <= 1.0  # the first jittered exponential step


def test_a_500_backs_off_that_worker_alone():
    retry, _ = _policy()
    request = httpx.Request("POST", "http://127.0.0.1/v1/chat/completions")
    boom = openai.InternalServerError("boom", body=None,
                                      response=httpx.Response(500, request=request))
    outcomes = iter([boom, "ok"])

    async def flaky():
        got = next(outcomes)
        if isinstance(got, Exception):
            raise got
        return got

    assert asyncio.run(retry.call(flaky)) == "ok"
    assert retry.backoff.pauses == 0 and retry.retries == 1


def test_a_refused_attempt_lowers_the_limit_and_everyone_waits_out_retry_after():
    """Two workers under one adaptive limit, with no server and no real sleep: A's first
    attempt is refused (Retry-After 5) while B has not sent yet. B's first request waits out
    A's pause, and A's retry takes a slot again, under the lowered limit (one): after B's."""
    fake = _FakeTime()

    async def asleep(seconds: float) -> None:  # sleepers wake together at the latest target
        fake.sleeps.append(seconds)
        target = fake.now + seconds
        await asyncio.sleep(0)
        fake.now = max(fake.now, target)

    limit = AdaptiveLimit(2, clock=fake.clock, slow_start=False)
    retry = TransportRetry(asleep=asleep, backoff=SharedBackoff(clock=fake.clock), gate=limit)
    calls: list[tuple[str, float]] = []
    refusals = iter([_rate_limited({"retry-after": "5"})])

    async def worker_a() -> str:
        calls.append(("A", fake.now))
        if (error := next(refusals, None)) is not None:
            raise error
        return "a"

    async def worker_b() -> str:
        calls.append(("B", fake.now))
        return "b"

    async def scenario() -> list[str]:
        return list(await asyncio.gather(retry.call(worker_a), retry.call(worker_b)))

    assert asyncio.run(scenario()) == ["a", "b"]
    assert calls == [("A", 0.0), ("B", 5.0), ("A", 5.0)]
    assert fake.sleeps == [5.0, 5.0]  # A's wait, and B's for what was left of it
    assert limit.refused == 1 and limit.lowered == 1 and [n for _, n in limit.path][:2] == [2, 1]
    assert limit.in_flight == 0
