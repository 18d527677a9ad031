"""How many calls a run keeps in flight: at most `--concurrency`, fewer after a rate limit.

Additive increase, multiplicative decrease (as TCP does): a 429 halves the live limit at once
(every worker also pauses for the server's Retry-After, see backends/retry.py), and each run
of `limit` successes raises it by one, back up to the ceiling. `path` records every change,
so run.json can show how the run adapted.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager

MAX_PATH = 200  # changes kept for run.json; a long run's later changes are counted, not kept


class AdaptiveLimit:
    """An async semaphore whose size follows the server's rate limits."""

    def __init__(self, ceiling: int, clock: Callable[[], float] = time.monotonic) -> None:
        self.ceiling = max(1, ceiling)
        self.limit = self.ceiling
        self.in_flight = 0
        self.lowered = 0  # rate limits that lowered the limit
        self._clock = clock
        self._start = clock()
        self._successes = 0
        self._changed = asyncio.Condition()
        self.path: list[tuple[float, int]] = [(0.0, self.limit)]

    def _record(self) -> None:
        if len(self.path) < MAX_PATH:
            self.path.append((round(self._clock() - self._start, 3), self.limit))

    def rate_limited(self) -> None:
        """A server said 429: halve the limit (calls already in flight finish)."""
        new = max(1, self.limit // 2)
        if new != self.limit:
            self.limit = new
            self.lowered += 1
            self._record()
        self._successes = 0

    def _succeeded(self) -> None:
        self._successes += 1
        if self.limit < self.ceiling and self._successes >= self.limit:
            self.limit += 1
            self._successes = 0
            self._record()

    @asynccontextmanager
    async def slot(self) -> AsyncIterator[None]:
        """Hold one of `limit` slots for the body; a body that returns counts as a success."""
        async with self._changed:
            await self._changed.wait_for(lambda: self.in_flight < self.limit)
            self.in_flight += 1
        ok = False
        try:
            yield
            ok = True
        finally:
            async with self._changed:
                self.in_flight -= 1
                if ok:
                    self._succeeded()
                free = self.limit - self.in_flight
                if free > 0:
                    self._changed.notify(free)
