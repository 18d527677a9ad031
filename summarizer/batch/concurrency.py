"""How many requests a run keeps in flight: at most `--concurrency`, fewer under rate limits.

The limit gates each request to the server, retries included (a backend's transport retry
takes a slot per attempt, backends/retry.py), so a request refused with a 429 waits for a
slot under the lowered limit before it goes again. Under 429s:

- *One decrease per window.* A window opens when a request sent since the last decrease is
  refused (a 429, or an answer with a Retry-After); its members are the requests sent in the
  same span that are still in flight then. Their own 429s never lower the limit again (they
  were sent before anyone knew). When the last member has answered, the window closes and
  lowers the limit once, by half the share of its members refused: all refused halves it, a
  random 1 in 20 costs 2.5 % (at least one slot), so random refusals do not collapse it.
- *Retry-After is honoured by every request*: backends/retry.py's shared pause.
- *The decrease takes effect* once the requests sent above the new limit have drained;
  429s of requests sent before then open no window.
- *Additive climb*: each run of `limit` successes raises the limit by one, up to the ceiling;
  the step back to the limit the last window opened at takes `PROBE` times as many, so a
  server at capacity is probed (one 429, one pause for all) rarely, not every round trip.
- *Slow start*: a run starts at `INITIAL` (or the ceiling, if lower) and adds one a success
  (doubling each round trip) until a window shows the server full -- at least `FULL` of its
  members and `FULL_REFUSED` requests refused; the limit then drops to what the server took
  in that window (its members accepted, at least a quarter of the limit). A server at its
  capacity so sees one burst of 429s at the start, not one at every `--concurrency` step.

`path` records every change (seconds since the start, limit), so run.json can show it.
"""

from __future__ import annotations

import asyncio
import math
import time
from collections.abc import AsyncIterator, Awaitable, Callable, Sequence
from contextlib import asynccontextmanager
from dataclasses import dataclass
from typing import Any, TypeVar

T = TypeVar("T")

MAX_PATH = 200  # changes kept for run.json; a long run's later changes are counted, not kept
INITIAL = 8  # the limit a run starts at, doubling each window (slow start) to the ceiling
FULL = 0.25  # a window with this share refused shows the server full: slow start ends
FULL_REFUSED = 4  # ... and at least this many (one random 429 in a small window is not it)
PROBE = 8  # back at the limit the last window opened at, a step up takes PROBE x limit successes


@dataclass(eq=False)  # compared and hashed by identity: a window holds its members
class Ticket:
    """One request under the limit: the window it was sent in, and how it ended."""

    epoch: int = -1  # windows opened and closed before it was sent (-1: not sent)
    refused: bool = False  # a 429 (or a Retry-After): set by the caller before it leaves


@dataclass
class _Window:
    members: set[Ticket]  # the requests in flight when the first 429 of the burst came back
    size: int  # those and the refused request that opened it
    refused: int = 0


class AdaptiveLimit:
    """An async semaphore whose size follows the server's rate limits."""

    def __init__(self, ceiling: int, clock: Callable[[], float] = time.monotonic, *,
                 slow_start: bool = True) -> None:
        self.ceiling = max(1, ceiling)
        self.limit = min(self.ceiling, INITIAL) if slow_start else self.ceiling
        self.in_flight = 0
        self.lowered = 0  # windows that lowered the limit
        self.refused = 0  # requests answered 429
        self.slow_start = slow_start  # +1 a success until a window shows the server full
        self._clock = clock
        self._start = clock()
        self._successes = 0
        self._epoch = 0
        self._flight: set[Ticket] = set()
        self._window: _Window | None = None
        self._draining = False
        self._refused_at = self.ceiling + 1  # the limit the last window opened at
        self._changed = asyncio.Condition()
        self.path: list[tuple[float, int]] = [(0.0, self.limit)]

    def _record(self) -> None:
        if len(self.path) < MAX_PATH:
            self.path.append((round(self._clock() - self._start, 3), self.limit))

    def _set(self, limit: int) -> None:
        if limit != self.limit:
            self.limit = limit
            self._record()

    # -- the events ------------------------------------------------------------------------

    def sent(self, ticket: Ticket) -> None:
        """`ticket`'s request goes to the server now (after any shared pause)."""
        ticket.epoch = self._epoch
        self._flight.add(ticket)

    def _answered(self, ticket: Ticket, ok: bool) -> None:
        if ticket not in self._flight:  # a slot whose body sent nothing (or was cancelled)
            if ok:
                self._succeeded()
            return
        self._flight.discard(ticket)
        window = self._window
        if ticket.refused:
            self.refused += 1
            # The first 429 of a burst: of a request sent since the last window closed.
            if window is None and not self._draining and ticket.epoch == self._epoch:
                members = {t for t in self._flight if t.epoch == self._epoch}
                window = self._window = _Window(members, len(members) + 1, refused=1)
                self._refused_at = self.limit
                self._epoch += 1
                self._successes = 0
        elif ok:
            self._succeeded()
        if window is not None and ticket in window.members:
            window.members.discard(ticket)
            window.refused += ticket.refused
        if window is not None and not window.members:
            self._window = None
            self._close(window)
            self._draining = True
        if self._draining and self.in_flight <= self.limit:
            # The decrease takes effect once what was sent above the new limit has drained:
            # 429s of requests sent before then do not open a window.
            self._draining = False
            self._epoch += 1

    def _close(self, window: _Window) -> None:
        """Lower the limit once for a whole window (see the module docstring)."""
        share = window.refused / window.size
        if self.slow_start and share >= FULL and window.refused >= FULL_REFUSED:
            # Slow start outgrew the server: take what it was seen to take at once.
            self.slow_start = False
            new = max(window.size - window.refused, self.limit // 4)
        else:
            new = math.floor(self.limit * (1 - share / 2))
        new = max(1, min(self.limit - 1, new))
        if new < self.limit:
            self.lowered += 1
            self._set(new)

    def _succeeded(self) -> None:
        self._successes += 1
        # Back to the limit the last window opened at, the climb probes slowly.
        need = self.limit * (PROBE if self.limit + 1 >= self._refused_at else 1)
        if self.limit < self.ceiling and (self.slow_start or self._successes >= need):
            self._successes = 0
            self._set(self.limit + 1)

    # -- the gate --------------------------------------------------------------------------

    @asynccontextmanager
    async def slot(self) -> AsyncIterator[Ticket]:
        """Hold one of `limit` slots for one request. The body calls `sent(ticket)` when the
        request leaves and sets `ticket.refused` on a 429; a body that returns is a success."""
        async with self._changed:
            await self._changed.wait_for(lambda: self.in_flight < self.limit)
            self.in_flight += 1
        ticket = Ticket()
        ok = False
        try:
            yield ticket
            ok = True
        finally:
            async with self._changed:
                self.in_flight -= 1
                self._answered(ticket, ok)
                free = self.limit - self.in_flight
                if free > 0:
                    self._changed.notify(free)

    def report(self) -> dict[str, Any]:
        """run.json's `concurrency`: the ceiling, windows that lowered it, 429s, the path."""
        return {"ceiling": self.ceiling, "lowered": self.lowered, "refused": self.refused,
                "path": [list(p) for p in self.path]}


async def gather_under(limit: AdaptiveLimit, share: Callable[[AdaptiveLimit | None], bool],
                       jobs: Sequence[Callable[[], Awaitable[T]]]) -> list[T]:
    """Run `jobs` at once under `limit`. `share` is the backend's `share_limit`: when it
    takes the limit, each of its requests holds a slot (retries too); else each job does.
    The backend lets go of the limit at the end."""
    per_request = share(limit)

    async def one(job: Callable[[], Awaitable[T]]) -> T:
        if per_request:
            return await job()
        async with limit.slot():
            return await job()

    try:
        return list(await asyncio.gather(*(one(job) for job in jobs)))
    finally:
        share(None)
