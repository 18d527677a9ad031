"""The in-process engines: a remote backend's calls on one event loop under an adaptive
limit, or an in-process model's briefs one at a time (one model on these cores)."""

from __future__ import annotations

import asyncio
from collections.abc import Iterable
from typing import Any

from ...configuration import Configuration
from ...pipeline import abrief_article, brief_article
from ..concurrency import AdaptiveLimit
from ..discovery import Item
from ..records import Outcome, briefed, failed
from . import Accept, chunks

PREPARE_EVERY = 256  # articles shown to backend.prepare at once (it sizes a context window)


class SequentialEngine:
    """One article at a time, in order: an in-process model."""

    def __init__(self, config: Configuration) -> None:
        self.config = config

    def brief(self, items: Iterable[Item], accept: Accept) -> None:
        config = self.config
        for chunk in chunks(items, PREPARE_EVERY):
            config.backend.prepare([it.article for it in chunk if it.article], config.prompt,
                                   config.settings)
            for item in chunk:
                accept(self.one(item))

    def one(self, item: Item) -> Outcome:
        assert item.article is not None
        try:
            result = brief_article(item.article, self.config)
        except Exception as exc:  # one bad article never stops a batch
            return failed(item, exc)
        return briefed(item, result, self.config.result_key(item.article))

    def report(self) -> dict[str, Any]:
        return {}


class AsyncEngine:
    """A remote backend: calls on one event loop, at most `concurrency` in flight (an
    adaptive limit: a 429 lowers it). Items are pulled as slots free up, so no more than
    twice the limit's ceiling of articles is held at once."""

    def __init__(self, config: Configuration, concurrency: int) -> None:
        self.config, self.concurrency = config, concurrency
        self.limit: AdaptiveLimit | None = None

    def brief(self, items: Iterable[Item], accept: Accept) -> None:
        asyncio.run(self.abrief(items, accept))

    async def abrief(self, items: Iterable[Item], accept: Accept) -> None:
        limit = self.limit = AdaptiveLimit(self.concurrency)
        self.config.backend.on_rate_limit(limit.rate_limited)
        room = max(2 * limit.ceiling, 1)
        running: set[asyncio.Task[None]] = set()
        for chunk in chunks(items, PREPARE_EVERY):
            self.config.backend.prepare([it.article for it in chunk if it.article],
                                        self.config.prompt, self.config.settings)
            for item in chunk:
                while len(running) >= room:
                    done, running = await asyncio.wait(running,
                                                       return_when=asyncio.FIRST_COMPLETED)
                    _raise_first(done)
                running.add(asyncio.ensure_future(self._one(item, limit, accept)))
        if running:
            done, _ = await asyncio.wait(running)
            _raise_first(done)

    async def _one(self, item: Item, limit: AdaptiveLimit, accept: Accept) -> None:
        assert item.article is not None
        async with limit.slot():
            try:
                result = await abrief_article(item.article, self.config)
            except Exception as exc:  # one bad article never stops a batch
                outcome: Outcome = failed(item, exc)
            else:
                outcome = briefed(item, result, self.config.result_key(item.article))
        accept(outcome)

    def report(self) -> dict[str, Any]:
        if self.limit is None:
            return {}
        limit = self.limit
        return {"concurrency": {"ceiling": limit.ceiling, "lowered": limit.lowered,
                                "path": [list(p) for p in limit.path]}}


def _raise_first(done: set[asyncio.Task[None]]) -> None:
    """A task's own failure is its article's outcome; what escapes one (a write that OUT
    cannot take) ends the run, as it would in turn: the tasks still out are cancelled."""
    for task in done:
        task.result()
