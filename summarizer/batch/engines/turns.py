"""Answers finished together: the async engine's briefs, once the model has answered, wait
for the next turn, and every brief of a turn is grounded and written in the same pass of
the event loop, one after another.

Why: answers arrive one by one, and work done right after the loop wakes from idle runs on
cold caches. Briefed as each answer came, a 1,000-article run at --concurrency 16 (100 ms
latency, 2 cores) spent ~4.0 s of CPU; finished in turns of at most 30 ms, ~2.9 s, the same
work (issue 32, docs/benchmarks.md). No request waits for a turn: the slot under the
concurrency limit is given back when the answer arrives, so the wall moves by one turn at
most.
"""

from __future__ import annotations

import asyncio

__all__ = ["TURN", "Turns"]

TURN = 0.030  # seconds: a brief waits at most this long after its answer


class Turns:
    """Turns of at most `every` seconds on the running loop: the first caller after a
    turn opens the next; every caller waiting when it ends goes on together."""

    def __init__(self, every: float = TURN) -> None:
        self.every = every
        self._next: asyncio.Future[None] | None = None

    async def wait(self) -> None:
        loop = asyncio.get_running_loop()
        # a turn of another loop (an engine used again on a new loop) is not this loop's
        if self._next is None or self._next.get_loop() is not loop:
            self._next = loop.create_future()
            loop.call_later(self.every, self._end, self._next)
        # shielded: one caller cancelled (the run stopping) leaves the turn to the others
        await asyncio.shield(self._next)

    def _end(self, turn: asyncio.Future[None]) -> None:
        if self._next is turn:
            self._next = None
        if not turn.done():
            turn.set_result(None)
