"""Which structured-output mode a server takes: one probe per base URL per process.

The probe is one strict json_schema request whose schema is named `probe`. A 200 means the
server decodes under a strict schema: `json_schema` mode. Any other answer (llama.cpp's
server answers 500, others 400) means it does not: forced tool calls (`tools`), which every
OpenAI-compatible server we know takes.

Single-flight: the first caller for a base URL sends the probe; every other caller, from any
thread or event loop, waits for its answer (a `concurrent.futures.Future` per URL, awaited
through `asyncio.wrap_future` from async code). The verdict is kept for the process.

The probe goes through the run's transport policy (TransportRetry: connection errors,
timeouts, 429, 502/503/504), so a busy server's dropped connection costs a retry, not an
article. A 500 is not retried here: it is an answer (the server read the request and refused
it). No article fails because of the probe: if the server cannot be reached once the retries
are spent (or refuses the key, 401/403), the mode falls back to `tools` for this backend, the
verdict is not kept (the next backend probes again), and each article's own request, under
the same retry policy, then reports what is wrong with the server in its own error line --
rather than every article failing on "cannot reach" before it was even sent.
"""

from __future__ import annotations

import asyncio
import logging
import threading
from collections.abc import Awaitable, Callable
from concurrent.futures import Future
from typing import Any, cast

import httpx
import openai

from .retry import RETRYABLE_STATUS, TransportRetry

log = logging.getLogger(__name__)

PROBE_NAME = "probe"
FALLBACK_MODE = "tools"
PROBE_SCHEMA: dict[str, Any] = {"type": "object", "properties": {"ok": {"type": "boolean"}},
                                "required": ["ok"], "additionalProperties": False}

_PROBES: dict[str, Future[str]] = {}
_LOCK = threading.Lock()


class _Abandoned(Exception):
    """The caller that was probing stopped (cancelled, interrupted) before any answer."""


def probe_request(model: str) -> dict[str, Any]:
    return {"model": model, "max_tokens": 8,
            "messages": [{"role": "user", "content": 'Reply with {"ok": true}.'}],
            "response_format": {"type": "json_schema", "json_schema": {
                "name": PROBE_NAME, "strict": True, "schema": PROBE_SCHEMA}}}


def forget_probes() -> None:
    """Drop every kept verdict (tests; a process whose servers changed behind a URL)."""
    with _LOCK:
        _PROBES.clear()


def _claim(base_url: str) -> tuple[Future[str], bool]:
    """The URL's future, and whether this caller owns it (must probe and settle it)."""
    with _LOCK:
        fut = _PROBES.get(base_url)
        if fut is not None:
            return fut, False
        fut = Future()
        fut.set_running_or_notify_cancel()  # a waiter's cancellation cannot cancel it
        _PROBES[base_url] = fut
        return fut, True


def _settle(base_url: str, fut: Future[str], verdict: tuple[str, bool] | None) -> None:
    keep = verdict is not None and verdict[1]
    if not keep:
        with _LOCK:
            if _PROBES.get(base_url) is fut:
                del _PROBES[base_url]
    if verdict is None:
        fut.set_exception(_Abandoned())
    else:
        fut.set_result(verdict[0])


def _poster(client: openai.OpenAI | openai.AsyncOpenAI) -> Callable[..., Any]:
    """The probe's POST, sent as built, as the briefs' requests are: `chat.completions.create`
    would first import the SDK's chat resources and types (~0.5 s of a run's start)."""
    def post(**request: Any) -> Any:
        return client.post("/chat/completions", body=request, cast_to=httpx.Response)

    return post


def _answered(create: Callable[..., Any]) -> Callable[..., Any]:
    """Wrap a create call so that a 500 comes back as a value: no retry for a refusal."""

    def call(**request: Any) -> Any:
        try:
            return create(**request)
        except openai.InternalServerError as exc:
            if exc.status_code == 500:
                return exc
            raise

    return call


def _aanswered(create: Callable[..., Awaitable[Any]]) -> Callable[..., Awaitable[Any]]:
    async def call(**request: Any) -> Any:
        try:
            return await create(**request)
        except openai.InternalServerError as exc:
            if exc.status_code == 500:
                return exc
            raise

    return call


def _verdict(answer: Any) -> tuple[str, bool]:
    return ("tools" if isinstance(answer, openai.APIStatusError) else "json_schema"), True


def _failed(base_url: str, exc: openai.OpenAIError) -> tuple[str, bool]:
    """A refusal (400, 404, 422...) is the server's answer; anything else says nothing
    about json_schema (unreachable, still failing after the retries, or a bad key)."""
    status = exc.status_code if isinstance(exc, openai.APIStatusError) else None
    if status is not None and status not in RETRYABLE_STATUS | {401, 403}:
        return "tools", True
    log.warning("could not probe %s (%s); using %s mode, the articles' own requests will "
                "report the problem", base_url, type(exc).__name__, FALLBACK_MODE)
    return FALLBACK_MODE, False


def _probe(base_url: str, api_key: str, model: str, timeout: float, retry: TransportRetry,
           http_client: httpx.Client | None) -> tuple[str, bool]:
    client = openai.OpenAI(base_url=base_url, api_key=api_key, max_retries=0, timeout=timeout,
                           http_client=cast(Any, http_client))
    try:
        return _verdict(retry.call(_answered(_poster(client)), **probe_request(model)))
    except openai.OpenAIError as exc:
        return _failed(base_url, exc)
    finally:
        if http_client is None:  # ours to close; a caller's client is the caller's
            client.close()


async def _aprobe(base_url: str, api_key: str, model: str, timeout: float,
                  retry: TransportRetry, http_client: httpx.AsyncClient | None
                  ) -> tuple[str, bool]:
    client = openai.AsyncOpenAI(base_url=base_url, api_key=api_key, max_retries=0,
                                timeout=timeout, http_client=cast(Any, http_client))
    try:
        return _verdict(await retry.acall(_aanswered(_poster(client)),
                                          **probe_request(model)))
    except openai.OpenAIError as exc:
        return _failed(base_url, exc)
    finally:
        if http_client is None:
            await client.close()


def probe_mode(base_url: str, api_key: str, model: str, *, timeout: float = 120.0,
               retry: TransportRetry | None = None,
               http_client: httpx.Client | None = None) -> str:
    """The mode for `base_url`: probed once per process, concurrent callers wait for it.
    Not for a thread that runs an event loop: use `aprobe_mode` there."""
    while True:
        fut, owner = _claim(base_url)
        if not owner:
            try:
                return fut.result()
            except _Abandoned:
                continue  # its prober gave up before any answer: probe ourselves
        verdict = None
        try:
            verdict = _probe(base_url, api_key, model, timeout, retry or TransportRetry(),
                             http_client)
        finally:
            _settle(base_url, fut, verdict)
        return verdict[0]


async def aprobe_mode(base_url: str, api_key: str, model: str, *, timeout: float = 120.0,
                      retry: TransportRetry | None = None,
                      http_client: httpx.AsyncClient | None = None) -> str:
    """`probe_mode` for async code: waits without blocking the event loop."""
    while True:
        fut, owner = _claim(base_url)
        if not owner:
            try:
                return await asyncio.wrap_future(fut)
            except _Abandoned:
                continue
        verdict = None
        try:
            verdict = await _aprobe(base_url, api_key, model, timeout,
                                    retry or TransportRetry(), http_client)
        finally:
            _settle(base_url, fut, verdict)
        return verdict[0]
