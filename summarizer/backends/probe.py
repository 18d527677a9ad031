"""Which structured-output mode a server takes: one probe per server and model, kept by the
`Probes` object that owns the verdicts (a backend holds one).

The probe is one strict json_schema request whose schema is named `probe`. A 200 means the
server decodes under a strict schema: `json_schema` mode. Any other answer (llama.cpp's
server answers 500, others 400) means it does not: forced tool calls (`tools`), which every
OpenAI-compatible server we know takes.

Single-flight: the first caller for a (base URL, model) sends the probe; every other caller,
from any thread or event loop, waits for its answer (a `concurrent.futures.Future` per key,
awaited through `asyncio.wrap_future`). The verdict is kept as long as its `Probes` is.

The probe goes through the run's transport policy (TransportRetry: connection errors,
timeouts, 429, 502/503/504), so a busy server's dropped connection costs a retry, not an
article. A 500 is not retried here: it is an answer (the server read the request and refused
it). No article fails because of the probe: if the server cannot be reached once the retries
are spent (or refuses the key, 401/403), the mode falls back to `tools`, and each
article's own request, under the same retry policy, then reports what is wrong with the
server in its own error line -- rather than every article failing on "cannot reach" before
it was even sent. The fallback is kept by its `Probes` like a verdict, so its backend
probes once, not once an article (a server that is down would cost every article the
probe's retries); another backend, with a `Probes` of its own, probes again.
"""

from __future__ import annotations

import asyncio
import logging
import threading
from concurrent.futures import Future
from typing import Any

import httpx
import httpx2

from .http import bearer, is_http_error, json_client, post_json, status_of
from .retry import RETRYABLE_STATUS, TransportRetry

log = logging.getLogger(__name__)

PROBE_NAME = "probe"
FALLBACK_MODE = "tools"
PROBE_SCHEMA: dict[str, Any] = {"type": "object", "properties": {"ok": {"type": "boolean"}},
                                "required": ["ok"], "additionalProperties": False}


class _Abandoned(Exception):
    """The caller that was probing stopped (cancelled, interrupted) before any answer."""


def probe_request(model: str) -> dict[str, Any]:
    return {"model": model, "max_tokens": 8,
            "messages": [{"role": "user", "content": 'Reply with {"ok": true}.'}],
            "response_format": {"type": "json_schema", "json_schema": {
                "name": PROBE_NAME, "strict": True, "schema": PROBE_SCHEMA}}}


def _failed(base_url: str, exc: Exception) -> str:
    """A refusal (400, 404, 422...) is the server's answer; anything else says nothing
    about json_schema (unreachable, still failing after the retries, or a bad key)."""
    status = status_of(exc)
    if status is not None and status not in RETRYABLE_STATUS | {401, 403}:
        return "tools"
    log.warning("could not probe %s (%s); using %s mode, the articles' own requests will "
                "report the problem", base_url, type(exc).__name__, FALLBACK_MODE)
    return FALLBACK_MODE


async def probe(base_url: str, api_key: str, model: str, *, timeout: float = 120.0,
                retry: TransportRetry | None = None,
                transport: httpx.AsyncBaseTransport | None = None,
                headers: tuple[tuple[str, str], ...] = ()) -> str:
    """The mode, from one probe under the transport policy (the fallback when none came)."""
    async def post() -> str:
        try:
            await post_json(client, "/chat/completions", probe_request(model))
        except httpx2.HTTPStatusError as exc:
            if exc.response.status_code == 500:  # an answer: no retry for a refusal
                return "tools"
            raise
        return "json_schema"

    async with json_client(base_url, bearer(api_key, headers), timeout,
                           transport) as client:
        try:
            return await (retry or TransportRetry()).call(post)
        except Exception as exc:
            if not is_http_error(exc):
                raise
            return _failed(base_url, exc)


class Probes:
    """Probe verdicts, owned: one probe per (base URL, model) however many callers ask at
    once, from whichever threads and event loops."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._kept: dict[tuple[str, str], Future[str]] = {}

    def forget(self) -> None:
        """Drop every kept verdict (a server changed behind its URL)."""
        with self._lock:
            self._kept.clear()

    def kept(self, base_url: str, model: str) -> str | None:
        """The verdict for this server and model when one is kept, without waiting."""
        fut = self._kept.get((base_url, model))
        if fut is None or not fut.done() or fut.exception() is not None:
            return None
        return fut.result()

    def _claim(self, key: tuple[str, str]) -> tuple[Future[str], bool]:
        """The key's future, and whether this caller owns it (must probe and settle it)."""
        with self._lock:
            fut = self._kept.get(key)
            if fut is not None:
                return fut, False
            fut = Future()
            fut.set_running_or_notify_cancel()  # a waiter's cancellation cannot cancel it
            self._kept[key] = fut
            return fut, True

    def _settle(self, key: tuple[str, str], fut: Future[str], verdict: str | None) -> None:
        if verdict is not None:
            fut.set_result(verdict)
            return
        with self._lock:  # stopped before any answer or fallback: the next caller probes
            if self._kept.get(key) is fut:
                del self._kept[key]
        fut.set_exception(_Abandoned())

    async def mode(self, base_url: str, api_key: str, model: str, *, timeout: float = 120.0,
                   retry: TransportRetry | None = None,
                   transport: httpx.AsyncBaseTransport | None = None,
                   headers: tuple[tuple[str, str], ...] = ()) -> str:
        """The mode for this server and model: probed once, concurrent callers wait for it."""
        key = (base_url, model)
        while True:
            fut, owner = self._claim(key)
            if not owner:
                try:
                    return fut.result() if fut.done() else await asyncio.wrap_future(fut)
                except _Abandoned:
                    continue  # its prober gave up before any answer: probe ourselves
            verdict: str | None = None
            try:
                verdict = await probe(base_url, api_key, model, timeout=timeout, retry=retry,
                                      transport=transport, headers=headers)
            finally:
                self._settle(key, fut, verdict)
            return verdict
