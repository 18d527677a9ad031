"""Transport retries (tenacity): 429 honoring Retry-After, 5xx, timeouts, connection errors.

This is the only transport retry loop: SDK clients are built with `max_retries=0`. The
validation re-ask is a different loop: backends/reask.py, the one every backend uses.

A `SharedBackoff` is shared by every worker of a batch: when one worker is told to wait
(429 + Retry-After), every worker waits before its next request, so a rate limit slows the
whole batch instead of each worker hammering the server in turn.

A batch also sets `gate`, its adaptive limit (concurrency.py): each attempt then
takes a slot of it, waits out the shared pause, goes, and tells the limit whether the
server refused it (a 429, or any answer with a Retry-After).
"""

from __future__ import annotations

import asyncio
import sys
import threading
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from email.utils import parsedate_to_datetime
from typing import Any, TypeVar

from tenacity import (
    AsyncRetrying,
    RetryCallState,
    retry_if_exception,
    stop_after_attempt,
    stop_after_delay,
    wait_random_exponential,
)

from ..batch.concurrency import AdaptiveLimit
from ..errors import SummarizerError
from .http import http_failure, status_of

T = TypeVar("T")

RETRYABLE_STATUS = {408, 409, 425, 429, 500, 502, 503, 504, 529}  # 529: Anthropic overloaded


class RetryableError(Exception):
    """A provider SDK's transient failure in the one shape this policy reads: `status_code`
    (None when no answer came) and `response`, whose headers may carry Retry-After. The openai
    SDK's errors are read as they are; backends over other SDKs wrap theirs in this."""

    def __init__(self, message: str, *, status_code: int | None = None, response: Any = None,
                 timeout: bool = False) -> None:
        super().__init__(message)
        self.status_code = status_code
        self.response = response
        self.timeout = timeout


def our_error(exc: BaseException | None) -> SummarizerError | None:
    """Our own error inside an SDK wrapper (the SDK wraps what a transport raises)."""
    seen = 0
    while exc is not None and seen < 10:
        if isinstance(exc, SummarizerError):
            return exc
        exc, seen = exc.__cause__ or exc.__context__, seen + 1
    return None


def is_transient(exc: BaseException) -> bool:
    """Worth another try: rate limits, server errors, timeouts, dropped connections."""
    if our_error(exc) is not None:  # e.g. a replay miss: no retry will help
        return False
    if isinstance(exc, RetryableError):
        return True
    if (failure := http_failure(exc)) is not None:  # http.checked's refusal, a timeout...
        return failure.status is None or failure.status in RETRYABLE_STATUS
    # The openai SDK's errors (the Batch API's client), when the SDK was imported at all.
    if (sdk := sys.modules.get("openai")) is not None:
        if isinstance(exc, sdk.APIStatusError):
            return exc.status_code in RETRYABLE_STATUS
        return isinstance(exc, sdk.APIConnectionError)
    return False


def is_refusal(exc: BaseException) -> bool:
    """A rate limit: a 429, or a transient failure that says when to come back."""
    if not is_transient(exc):
        return False
    return status_of(exc) == 429 or retry_after_seconds(exc) is not None


def retry_after_seconds(exc: BaseException | None) -> float | None:
    """The server's Retry-After (seconds or HTTP date; also retry-after-ms), if any."""
    response = getattr(exc, "response", None)
    if response is None:
        return None
    headers = response.headers
    if ms := headers.get("retry-after-ms"):
        try:
            return max(float(ms) / 1000.0, 0.0)
        except ValueError:
            pass
    value = headers.get("retry-after")
    if not value:
        return None
    try:
        return max(float(value), 0.0)
    except ValueError:
        try:
            return max(parsedate_to_datetime(value).timestamp() - time.time(), 0.0)
        except (TypeError, ValueError):
            return None


@dataclass
class SharedBackoff:
    """A 'not before' instant shared by all workers of a run."""

    clock: Callable[[], float] = time.monotonic
    _until: float = 0.0
    _lock: threading.Lock = field(default_factory=threading.Lock)
    pauses: int = 0  # how many times a server asked everyone to back off
    # Told of every pause (e.g. the batch's adaptive concurrency limit, which then drops).
    listeners: list[Callable[[], None]] = field(default_factory=list)

    def push(self, seconds: float) -> None:
        with self._lock:
            self._until = max(self._until, self.clock() + seconds)
            self.pauses += 1
        for listener in list(self.listeners):
            listener()

    def remaining(self) -> float:
        return max(self._until - self.clock(), 0.0)


@dataclass
class TransportRetry:
    """The retry policy for one run; sleeps are injectable so tests wait zero seconds."""

    max_attempts: int = 6
    max_delay: float = 300.0  # total budget in seconds for one request's retries
    max_wait: float = 60.0  # cap on a single wait, Retry-After included
    backoff: SharedBackoff = field(default_factory=SharedBackoff)
    asleep: Callable[[float], Awaitable[None]] = asyncio.sleep
    retries: int = 0  # transport retries made in this run (for run.json)
    waits: list[float] = field(default_factory=list)  # each wait chosen, for tests and reports
    gate: AdaptiveLimit | None = None  # a batch's adaptive limit: one slot per attempt
    _exp: Any = field(default_factory=lambda: wait_random_exponential(multiplier=0.5, max=20))
    _lock: threading.Lock = field(default_factory=threading.Lock, repr=False)

    def _wait(self, state: RetryCallState) -> float:
        exc = state.outcome.exception() if state.outcome else None
        hinted = retry_after_seconds(exc)
        wait = hinted if hinted is not None else float(self._exp(state))
        wait = min(wait, self.max_wait)
        # A rate limit is about the whole client, not this request: every worker pauses,
        # with or without a Retry-After hint. Other faults back off this worker alone.
        if hinted is not None or status_of(exc) == 429:
            self.backoff.push(wait)
        with self._lock:
            self.waits.append(wait)
        return wait

    def _count(self, state: RetryCallState) -> None:
        with self._lock:  # workers share this policy; `+=` on an attribute is not atomic
            self.retries += 1

    def _policy(self, spent: float) -> dict[str, Any]:
        return {
            "stop": stop_after_attempt(self.max_attempts)
            | stop_after_delay(self.max_delay - spent),
            "wait": self._wait,
            "retry": retry_if_exception(is_transient),
            "before_sleep": self._count,
            "reraise": True,
        }

    async def call(self, fn: Callable[..., Awaitable[T]], *args: Any, **kwargs: Any) -> T:
        """`await fn(*args, **kwargs)` under this policy: the one transport retry loop
        (a blocking caller runs it on its loop thread, loop.py). The first attempt goes
        without tenacity's machinery (~0.1 ms of CPU a request, and most requests need no
        second); a transient failure enters the loop as its first attempt, so the attempts,
        waits and budget are the policy's exactly."""
        started = time.monotonic()
        try:
            return await self._attempt(fn, args, kwargs)
        except Exception as exc:
            if not is_transient(exc):
                raise
            first: Exception | None = exc
        async for attempt in AsyncRetrying(sleep=self.asleep,
                                           **self._policy(time.monotonic() - started)):
            with attempt:
                if first is not None:
                    failed, first = first, None
                    raise failed
                return await self._attempt(fn, args, kwargs)
        raise AssertionError("unreachable: tenacity reraises")  # pragma: no cover

    async def _attempt(self, fn: Callable[..., Awaitable[T]], args: tuple[Any, ...],
                       kwargs: dict[str, Any]) -> T:
        """One attempt: a slot of the gate (when a batch set one), the shared pause waited
        out, then the call; a refusal is told to the gate."""
        if (gate := self.gate) is None:
            if (pause := self.backoff.remaining()) > 0:
                await self.asleep(pause)
            return await fn(*args, **kwargs)
        async with gate.slot() as ticket:
            if (pause := self.backoff.remaining()) > 0:
                await self.asleep(pause)
            gate.sent(ticket)
            try:
                return await fn(*args, **kwargs)
            except Exception as exc:
                ticket.refused = is_refusal(exc)
                raise
