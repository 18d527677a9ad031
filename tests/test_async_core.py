"""The remote path's async core: an adaptive concurrency limit, truly async `asummarize`, and
one event loop driving the batch."""

from __future__ import annotations

import asyncio
import json
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import Any

import pytest

from summarizer.backends.openai import OpenAIBackend
from summarizer.batch import RunOptions, run_batch
from summarizer.batch.concurrency import PROBE, AdaptiveLimit, Ticket
from summarizer.pipeline import asummarize
from summarizer.testing import FakeOpenAIServer


class _Requests:
    """Requests under an AdaptiveLimit, sent and answered one event at a time: no server,
    no sleeps, the order of events exactly as the test writes it."""

    def __init__(self, limit: AdaptiveLimit) -> None:
        self.limit = limit

    async def send(self, n: int) -> list[tuple[Any, Ticket]]:
        sent = []
        for _ in range(n):
            slot = self.limit.slot()
            ticket = await slot.__aenter__()
            self.limit.sent(ticket)
            sent.append((slot, ticket))
        return sent

    async def answer(self, request: tuple[Any, Ticket], refused: bool = False) -> None:
        slot, ticket = request
        if not refused:
            await slot.__aexit__(None, None, None)
            return
        ticket.refused = True
        error = RuntimeError("429")
        assert await slot.__aexit__(RuntimeError, error, None) is False


def _run(scenario: Callable[[], Awaitable[AdaptiveLimit]]) -> AdaptiveLimit:
    return asyncio.run(scenario())


def test_a_burst_of_429s_from_one_window_halves_the_limit_once() -> None:
    async def scenario() -> AdaptiveLimit:
        limit = AdaptiveLimit(8, clock=iter(range(1000)).__next__, slow_start=False)
        io = _Requests(limit)
        burst = await io.send(8)
        for request in burst:  # all eight in flight when the first 429 came back
            await io.answer(request, refused=True)
        assert (limit.limit, limit.lowered, limit.refused) == (4, 1, 8)
        return limit

    limit = _run(scenario)
    assert [n for _, n in limit.path] == [8, 4]


def test_429s_of_requests_sent_before_the_decrease_do_not_lower_it_again() -> None:
    async def scenario() -> AdaptiveLimit:
        limit = AdaptiveLimit(8, clock=iter(range(1000)).__next__, slow_start=False)
        io = _Requests(limit)
        first, second = await io.send(2)
        await io.answer(first, refused=True)  # the window: these two
        late = (await io.send(1))[0]  # sent while the window is open: not a member
        await io.answer(second)  # the window closes: one of two refused -> 8 * 3/4
        assert limit.limit == 6 and limit.lowered == 1
        await io.answer(late, refused=True)  # sent before that decrease: no new window
        assert limit.limit == 6 and limit.lowered == 1 and limit.refused == 2
        after = await io.send(2)  # sent after it: a 429 opens the next window
        await io.answer(after[0], refused=True)
        await io.answer(after[1])
        assert limit.limit == 4 and limit.lowered == 2  # 6 * 3/4
        return limit

    _run(scenario)


def test_a_random_429_among_many_costs_one_slot_not_half() -> None:
    async def scenario() -> AdaptiveLimit:
        limit = AdaptiveLimit(64, clock=iter(range(1000)).__next__, slow_start=False)
        io = _Requests(limit)
        flight = await io.send(64)
        await io.answer(flight[10], refused=True)
        for request in flight[:10] + flight[11:]:
            await io.answer(request)
        return limit

    limit = _run(scenario)
    assert limit.limit == 63 and limit.lowered == 1


def test_successes_climb_back_additively_and_probe_slowly_where_429s_began() -> None:
    async def scenario() -> AdaptiveLimit:
        limit = AdaptiveLimit(8, clock=iter(range(1000)).__next__, slow_start=False)
        io = _Requests(limit)
        for request in await io.send(8):  # refused at 8
            await io.answer(request, refused=True)
        assert limit.limit == 4
        climbed = []
        probe = PROBE * 7
        for _ in range(4 + 5 + 6 + probe + 3):
            await io.answer((await io.send(1))[0])
            climbed.append(limit.limit)
        # one step per `limit` successes...
        assert climbed[3] == 5 and climbed[3 + 5] == 6 and climbed[3 + 5 + 6] == 7
        # ...but back to where the 429s began, a step takes PROBE times as many
        assert climbed[4 + 5 + 6 + probe - 2] == 7 and climbed[4 + 5 + 6 + probe - 1] == 8
        assert climbed[-1] == 8  # never above the ceiling
        return limit

    limit = _run(scenario)
    assert [n for _, n in limit.path] == [8, 4, 5, 6, 7, 8]


def test_slow_start_doubles_then_drops_to_what_a_full_server_took() -> None:
    async def scenario() -> AdaptiveLimit:
        limit = AdaptiveLimit(64, clock=iter(range(1000)).__next__)
        io = _Requests(limit)
        assert limit.limit == 8 and limit.slow_start
        for request in await io.send(8):
            await io.answer(request)
        assert limit.limit == 16  # one more per success: doubled in one round trip
        flight = await io.send(16)
        for request in flight[:6]:  # a server that takes 10 at once refuses the rest
            await io.answer(request, refused=True)
        for request in flight[6:]:
            await io.answer(request)
        assert not limit.slow_start and limit.limit == 10
        return limit

    _run(scenario)


def test_a_small_window_does_not_end_slow_start() -> None:
    async def scenario() -> AdaptiveLimit:
        limit = AdaptiveLimit(64, clock=iter(range(1000)).__next__)
        io = _Requests(limit)
        first, second = await io.send(2)
        await io.answer(first, refused=True)  # half refused, but only one request
        await io.answer(second)
        assert limit.slow_start and limit.limit == 6  # 8 * 3/4
        return limit

    _run(scenario)


def test_the_limit_bounds_calls_in_flight() -> None:
    async def scenario() -> int:
        limit = AdaptiveLimit(3, slow_start=False)
        now = most = 0

        async def one() -> None:
            nonlocal now, most
            async with limit.slot():
                now += 1
                most = max(most, now)
                await asyncio.sleep(0)
                now -= 1

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


def test_asummarize_calls_overlap_on_one_loop_with_no_thread(monkeypatch: pytest.MonkeyPatch,
                                                             seed_path: Path) -> None:
    """Eight asummarize calls gathered on one event loop are eight requests in flight at
    once, and none of them leaves the loop: not the blocking wrapper, no loop thread, not
    the in-process backends' worker thread."""
    from summarizer.backends.base import Backend, InProcessBackend
    from summarizer.backends.loop import LoopThread

    def no_thread(*args: object, **kwargs: object) -> None:
        raise AssertionError("the remote path of asummarize must not hop to a thread")

    for owner, name in ((LoopThread, "run"), (Backend, "extract"),
                        (InProcessBackend, "aextract"), (OpenAIBackend, "extract")):
        monkeypatch.setattr(owner, name, no_thread)
    with FakeOpenAIServer(latency=0.3) as server:
        backend = OpenAIBackend(model="fake", base_url=server.url, api_key="x", mode="tools")

        async def many() -> list[str]:
            texts = [f"Story {i}\nPolice arrested {i + 1} men on Monday." for i in range(8)]
            results = await asyncio.gather(*(asummarize(t, backend=backend) for t in texts))
            return [r.brief.headline for r in results]

        headlines = asyncio.run(many())
    assert headlines == [f"Story {i}" for i in range(8)]
    assert server.max_in_flight == 8 and len(server.requests) == 8


def test_the_blocking_wrapper_shares_one_loop_and_client_across_threads(seed_path: Path) -> None:
    """Sync calls from several threads run on the backend's one loop thread: one client
    (one connection pool) serves them all, and their requests overlap there."""
    import threading

    from summarizer.pipeline import summarize

    with FakeOpenAIServer(latency=0.3) as server:
        backend = OpenAIBackend(model="fake", base_url=server.url, api_key="x", mode="tools")
        got: list[str] = []
        threads = [threading.Thread(target=lambda: got.append(
            summarize(seed_path, backend=backend).brief.headline)) for _ in range(4)]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
    assert len(got) == 4 and server.max_in_flight == 4
    assert len(backend._clients) == 1  # one loop, one client


def test_a_coroutine_may_not_block_on_its_own_loop_thread() -> None:
    from summarizer.backends.loop import LoopThread

    loop = LoopThread()

    async def inner() -> int:
        return 1

    async def outer() -> int:
        return loop.run(inner)  # would wait for itself

    with pytest.raises(RuntimeError, match="its own event loop"):
        loop.run(outer)
    assert loop.run(inner) == 1
    loop.close()


def test_a_batch_runs_inside_a_running_event_loop(tmp_path: Path) -> None:
    """run_batch from a Jupyter cell: the engine's loop cannot be the cell's."""
    src = tmp_path / "in"
    src.mkdir()
    for i in range(4):
        (src / f"s{i}.txt").write_text(f"Story {i} of the run\nPolice arrested {i} men.\n")

    async def cell() -> int:
        with FakeOpenAIServer() as server:
            backend = OpenAIBackend(model="fake", base_url=server.url, api_key="x",
                                    mode="tools")
            summary, code = run_batch([str(src)], RunOptions(out=tmp_path / "out", quiet=True,
                                                             use_cache=False, concurrency=4),
                                      backend=backend)
        assert code == 0
        return summary.briefed

    assert asyncio.run(cell()) == 4


def test_close_stops_the_loop_thread_and_a_later_call_starts_it_again(seed_path: Path) -> None:
    import threading

    from summarizer.pipeline import summarize

    def loop_threads() -> int:
        return sum(t.name == "openai-loop" for t in threading.enumerate())

    with FakeOpenAIServer() as server:
        backend = OpenAIBackend(model="fake", base_url=server.url, api_key="x", mode="tools")
        before = loop_threads()
        assert summarize(seed_path, backend=backend).brief.headline
        assert loop_threads() == before + 1
        backend.close()
        assert loop_threads() == before
        assert summarize(seed_path, backend=backend).brief.headline
        backend.close()
    assert len(server.requests) == 2
