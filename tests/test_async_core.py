"""The remote path's async core: an adaptive concurrency limit, truly async `asummarize`, and
one event loop driving the batch."""

from __future__ import annotations

import asyncio
import json
from pathlib import Path

import pytest

from summarizer.backends.openai import OpenAIBackend
from summarizer.batch import RunOptions, run_batch
from summarizer.batch.concurrency import AdaptiveLimit
from summarizer.pipeline import asummarize
from summarizer.testing import FakeOpenAIServer


def test_a_rate_limit_halves_the_limit_and_successes_raise_it_back() -> None:
    async def scenario() -> AdaptiveLimit:
        limit = AdaptiveLimit(8, clock=iter(range(1000)).__next__)
        limit.rate_limited()
        assert limit.limit == 4
        limit.rate_limited()
        assert limit.limit == 2
        for _ in range(40):
            async with limit.slot():
                pass
        return limit

    limit = asyncio.run(scenario())
    assert limit.limit == 8 and limit.lowered == 2  # back to the ceiling, never above
    assert [n for _, n in limit.path][:3] == [8, 4, 2] and limit.path[-1][1] == 8


def test_the_limit_bounds_calls_in_flight() -> None:
    async def scenario() -> int:
        limit = AdaptiveLimit(3)
        now = most = 0

        async def one() -> None:
            nonlocal now, most
            async with limit.slot():
                now += 1
                most = max(most, now)
                await asyncio.sleep(0.01)
                now -= 1
            if most == 3 and limit.limit == 3:
                limit.rate_limited()  # from here on, one at a time

        await asyncio.gather(*(one() for _ in range(20)))
        return most

    assert asyncio.run(scenario()) == 3


def test_429s_lower_the_live_concurrency_and_run_json_shows_the_path(tmp_path: Path) -> None:
    src = tmp_path / "in"
    src.mkdir()
    for i in range(24):
        (src / f"s{i:02d}.txt").write_text(f"Story {i} of the run\nPolice arrested {i} men.\n")
    script = ["ok"] * 6 + ["429:0.2"] * 3 + ["ok"] * 40
    with FakeOpenAIServer(script=script, latency=0.05) as server:
        backend = OpenAIBackend(model="fake", base_url=server.url, api_key="x", mode="tools")
        summary, code = run_batch([str(src)], RunOptions(out=tmp_path / "out", quiet=True,
                                                         use_cache=False, concurrency=8),
                                  backend=backend)
    assert code == 0 and summary.briefed == 24
    run = json.loads((tmp_path / "out" / "run.json").read_text())
    path = [n for _, n in run["concurrency"]["path"]]
    assert run["concurrency"]["ceiling"] == 8 and run["concurrency"]["lowered"] >= 1
    assert min(path) < 8 and path[0] == 8


def test_asummarize_calls_the_server_without_a_thread(monkeypatch: pytest.MonkeyPatch,
                                                      seed_path: Path) -> None:
    def sync_path(*args: object, **kwargs: object) -> None:
        raise AssertionError("asummarize must not run the sync call in a worker thread")

    monkeypatch.setattr(OpenAIBackend, "extract", sync_path)
    with FakeOpenAIServer() as server:
        backend = OpenAIBackend(model="fake", base_url=server.url, api_key="x", mode="tools")

        async def two() -> list[str]:
            results = await asyncio.gather(asummarize(seed_path, backend=backend),
                                           asummarize("Short story\nNothing happened.",
                                                      backend=backend))
            return [r.brief.headline for r in results]

        headlines = asyncio.run(two())
    assert len(server.requests) == 2 and all(headlines)
