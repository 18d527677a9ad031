"""The in-process engines: a remote backend's calls on one event loop under an adaptive
limit, or an in-process model's briefs one at a time (one model on these cores). The run
has called backend.prepare (BatchRun.prepare) before any item arrives."""

from __future__ import annotations

import asyncio
from collections.abc import Iterable
from typing import Any

from ...configuration import Configuration
from ...pipeline import abrief_article, brief_article
from ..concurrency import AdaptiveLimit
from ..discovery import Item
from ..records import Outcome, briefed, failed
from . import Accept
from .turns import Turns


class SequentialEngine:
    """One article at a time, in order: an in-process model."""

    def __init__(self, config: Configuration) -> None:
        self.config = config

    def brief(self, items: Iterable[Item], accept: Accept) -> None:
        for item in items:
            accept(self.one(item))

    def one(self, item: Item) -> Outcome:
        assert item.article is not None
        try:
            result = brief_article(item.article, self.config)
        except Exception as exc:  # one bad article never stops a batch
            return failed(item, exc)
        return briefed(item, result, _key(self.config, item))

    def report(self) -> dict[str, Any]:
        return {}


class AsyncEngine:
    """A remote backend: calls on one event loop, at most `concurrency` in flight (an
    adaptive limit: a 429 lowers it). Items are pulled as slots free up, so no more than
    twice the limit's ceiling of articles is held at once. Answers are grounded and
    written in turns (turns.py)."""

    def __init__(self, config: Configuration, concurrency: int) -> None:
        self.config, self.concurrency = config, concurrency
        self.limit: AdaptiveLimit | None = None
        self.turns = Turns()

    def brief(self, items: Iterable[Item], accept: Accept) -> None:
        try:
            asyncio.get_running_loop()
        except RuntimeError:  # the command, a script: this thread's own loop
            asyncio.run(self.abrief(items, accept))
            return
        # A caller already in an event loop (a Jupyter cell): the backend's loop thread.
        self.config.backend.sync_loop().run(lambda: self.abrief(items, accept))

    async def abrief(self, items: Iterable[Item], accept: Accept) -> None:
        limit = self.limit = AdaptiveLimit(self.concurrency)
        backend = self.config.backend
        # A remote backend takes a slot for each request (retries too); else each brief does.
        per_request = backend.share_limit(limit)
        room = max(2 * limit.ceiling, 1)  # briefs begun at once (their articles in memory)
        running: set[asyncio.Task[None]] = set()
        try:
            for item in items:
                while len(running) >= room:
                    done, running = await asyncio.wait(running,
                                                       return_when=asyncio.FIRST_COMPLETED)
                    await _raise_first(done, running)
                running.add(asyncio.ensure_future(self._one(item, per_request, accept)))
            if running:
                done, _ = await asyncio.wait(running)
                await _raise_first(done, set())
        finally:
            backend.share_limit(None)

    async def _one(self, item: Item, per_request: bool, accept: Accept) -> None:
        assert item.article is not None and self.limit is not None
        if per_request:
            outcome = await self._brief(item)
        else:
            async with self.limit.slot():
                outcome = await self._brief(item)
        accept(outcome)

    async def _brief(self, item: Item) -> Outcome:
        assert item.article is not None
        try:
            result = await abrief_article(item.article, self.config, self.turns.wait)
        except Exception as exc:  # one bad article never stops a batch
            return failed(item, exc)
        return briefed(item, result, _key(self.config, item))

    def report(self) -> dict[str, Any]:
        return {} if self.limit is None else {"concurrency": self.limit.report()}


def _key(config: Configuration, item: Item) -> str:
    """The item's result key: the one the run's reuse step made, else made now."""
    assert item.article is not None
    return item.result_key or config.result_key(item.article)


async def _raise_first(done: set[asyncio.Task[None]],
                       running: set[asyncio.Task[None]]) -> None:
    """A task's own failure is its article's outcome; what escapes one (a write that OUT
    cannot take) ends the run, as it would in turn: the tasks still out are cancelled and
    awaited, every task's exception is taken (none is left for the collector to report),
    and the first is raised."""
    failures = [exc for task in done if (exc := task.exception()) is not None]
    if not failures:
        return
    for task in running:
        task.cancel()
    await asyncio.gather(*running, return_exceptions=True)
    raise failures[0]
