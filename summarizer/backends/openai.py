"""The `openai` backend: the openai SDK, for OpenAI or any compatible server, sync or async.

Layers, outermost first:
  validation re-ask (reask.py, the one loop)  ->  TransportRetry (tenacity; 429/5xx/
  timeouts)  ->  openai SDK (max_retries=0)  ->  httpx transport (record/replay seam)  ->  server

Building the request and reading the answer are plain functions (chat_wire.py), shared with
anything that sends the same requests another way. The re-ask is instructor's behaviour
(bounded, the validation error fed back to the model) without instructor in the hot path:
the committed benchmark of issue 6 (docs/benchmarks.md) measured 4.0 ms of client CPU an
article for the SDK plus a pydantic parse and 16.1 ms through instructor.

The structured-output mode is chosen per server: strict JSON schema for OpenAI itself; for
any other server one probe per base URL per process (probe.py: single-flight, under the
transport policy) tells whether it takes a strict `response_format: json_schema`, else a
forced tool call is used. In json_schema mode every request carries `strict: true` and the
wire schema (wire_schema.py: OpenAI's strict subset, bounds in the descriptions); pydantic
enforces every bound on receipt.
"""

from __future__ import annotations

import asyncio
import json
import threading
import weakref
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, ClassVar, cast

import httpx
import openai

from ..article import Article
from ..batch.concurrency import AdaptiveLimit
from ..brief import BriefDraft
from ..errors import (
    BackendError,
    ConfigurationError,
    ReplayMissError,
)
from ..prompts import PromptTemplate
from .base import Backend, Extraction, Message, Settings
from .chat_wire import MODES, read_answer, request_body
from .codec import Failure, ours
from .probe import aprobe_mode, forget_probes, probe_mode
from .reask import Answer, Reask
from .recording import AsyncRecordingTransport, Recorder, RecordingTransport
from .retry import TransportRetry, our_error

if TYPE_CHECKING:
    from ..spec import Endpoint

__all__ = ["DEFAULT_MODEL", "MODES", "OpenAIBackend", "aprobe_mode", "forget_probes",
           "OpenAICodec", "is_openai_host", "probe_mode", "translate"]

DEFAULT_MODEL = "gpt-4o-mini"


def is_openai_host(base_url: str | None) -> bool:
    return base_url is None or httpx.URL(base_url).host.endswith("api.openai.com")


@dataclass(frozen=True)
class OpenAICodec:
    """Chat completions as data (codec.py) in one structured-output mode: the body is
    chat_wire's, a reply is the answer's JSON."""

    mode: str

    @property
    def decoding(self) -> str:
        return self.mode

    def request(self, model: str, messages: list[Message], settings: Settings) -> dict[str, Any]:
        return request_body(model, messages, settings, self.mode)

    def answer(self, reply: Any) -> Answer:
        return read_answer(dict(reply), self.mode)

    @staticmethod
    def failure(exc: BaseException) -> Failure | None:
        if isinstance(exc, openai.APITimeoutError | httpx.TimeoutException):
            return Failure(None, "timed out", timeout=True)
        if isinstance(exc, openai.APIStatusError):
            return Failure(exc.status_code, exc.message, exc.response)
        if isinstance(exc, openai.APIConnectionError | httpx.HTTPError):
            return Failure(None, str(exc))
        return None


@dataclass
class OpenAIBackend(Backend):
    """Chat completions through the openai SDK. Build with `from_config()` or inject a
    transport (tests: a fault server, an httpx.MockTransport)."""

    name: ClassVar[str] = "openai"
    remote: ClassVar[bool] = True

    model: str = DEFAULT_MODEL
    base_url: str | None = None
    api_key: str = field(default="", repr=False)
    mode: str | None = None  # None: chosen per server (see module docstring)
    timeout: float = 120.0
    recorder: Recorder | None = None
    retry: TransportRetry = field(default_factory=TransportRetry)
    transport: httpx.BaseTransport | None = None
    async_transport: httpx.AsyncBaseTransport | None = None
    _client: openai.OpenAI | None = field(default=None, init=False, repr=False)
    # One async client per event loop (an httpx pool is bound to its loop); weak keys, so a
    # closed loop's client goes with it and a new loop never meets a stale one.
    _aclients: weakref.WeakKeyDictionary[asyncio.AbstractEventLoop, openai.AsyncOpenAI] = \
        field(default_factory=weakref.WeakKeyDictionary, init=False, repr=False)
    _alocks: weakref.WeakKeyDictionary[asyncio.AbstractEventLoop, asyncio.Lock] = \
        field(default_factory=weakref.WeakKeyDictionary, init=False, repr=False)
    _lock: threading.Lock = field(default_factory=threading.Lock, init=False, repr=False,
                                  compare=False)

    def __post_init__(self) -> None:
        self._asked_mode = self.mode  # `mode` becomes the probed one once a client exists

    def identity(self) -> dict[str, Any]:
        """The server and the mode asked for (None: probed per server, so the server's URL,
        also in the key, decides it)."""
        return {"base_url": self.base_url or "https://api.openai.com/v1",
                "mode": self._asked_mode}

    @classmethod
    def from_config(cls, endpoint: Endpoint | None = None, *, model: str | None = None,
                    mode: str | None = None, recorder: Recorder | None = None,
                    **kwargs: Any) -> OpenAIBackend:
        """From a Spec's openai endpoint (OPENAI_BASE_URL, OPENAI_API_KEY, as the openai
        SDK reads them; spec.py reads them)."""
        base_url = endpoint.base_url if endpoint else None
        api_key = endpoint.api_key if endpoint else ""
        if not api_key and is_openai_host(base_url) and not (recorder and
                                                             recorder.mode == "replay"):
            raise ConfigurationError("the openai backend needs OPENAI_API_KEY, or "
                                     "OPENAI_BASE_URL for a local OpenAI-compatible server")
        return cls(model=model or DEFAULT_MODEL, base_url=base_url,
                   api_key=api_key or "not-needed", mode=mode, recorder=recorder, **kwargs)

    # -- the structured-output mode ------------------------------------------------------------

    def _known_mode(self) -> str | None:
        """The mode without asking the server, or None when it must be probed."""
        if self.mode:
            if self.mode not in MODES:
                raise ConfigurationError(f"unknown mode {self.mode!r}; one of {sorted(MODES)}")
            return self.mode
        if is_openai_host(self.base_url):
            return "json_schema"
        if self.recorder and self.recorder.mode == "replay":
            # No server to probe: take the mode the recordings were made with.
            found = self.recorder.recorded_modes(self.model)
            return found.pop() if len(found) == 1 else "tools"
        return None

    def resolved_mode(self) -> str:
        if (mode := self._known_mode()) is not None:
            return mode
        assert self.base_url is not None
        http = httpx.Client(transport=self.transport, timeout=self.timeout) \
            if self.transport is not None else None
        return probe_mode(self.base_url, self.api_key, self.model, timeout=self.timeout,
                          retry=self.retry, http_client=http)

    async def aresolved_mode(self) -> str:
        """`resolved_mode` for async code: the probe is awaited, the loop never blocks."""
        if (mode := self._known_mode()) is not None:
            return mode
        assert self.base_url is not None
        http = httpx.AsyncClient(transport=self.async_transport, timeout=self.timeout) \
            if self.async_transport is not None else None
        return await aprobe_mode(self.base_url, self.api_key, self.model,
                                 timeout=self.timeout, retry=self.retry, http_client=http)

    # -- clients -------------------------------------------------------------------------------

    def client(self) -> openai.OpenAI:
        with self._lock:  # workers share one backend: one client, one probe wait
            if self._client is None:
                self.mode = self.resolved_mode()
                transport: httpx.BaseTransport = self.transport or httpx.HTTPTransport()
                if self.recorder is not None:
                    transport = RecordingTransport(self.recorder, self.model, self.mode,
                                                   inner=transport)
                self._client = openai.OpenAI(
                    base_url=self.base_url, api_key=self.api_key, max_retries=0,
                    timeout=self.timeout,
                    # cast: openai 3 types its client as httpx2's; httpx's works
                    http_client=cast(Any, httpx.Client(transport=transport,
                                                       timeout=self.timeout)))
            return self._client

    async def aclient(self) -> openai.AsyncOpenAI:
        """The async client of the running event loop (an httpx pool is bound to one)."""
        loop = asyncio.get_running_loop()
        if loop in self._aclients:
            return self._aclients[loop]
        async with self._alocks.setdefault(loop, asyncio.Lock()):  # workers wait for one
            if loop not in self._aclients:
                self._aclients[loop] = await self._abuild()
        return self._aclients[loop]

    async def _abuild(self) -> openai.AsyncOpenAI:
        mode = await self.aresolved_mode()
        self.mode = mode
        http: Any = None  # the SDK's own pool: its per-request cost stays flat at c=64
        if self.recorder is not None or self.async_transport is not None:
            transport = self.async_transport or httpx.AsyncHTTPTransport()
            if self.recorder is not None:
                transport = AsyncRecordingTransport(self.recorder, self.model, mode,
                                                    inner=transport)
            http = httpx.AsyncClient(transport=transport, timeout=self.timeout)
        return openai.AsyncOpenAI(base_url=self.base_url, api_key=self.api_key, max_retries=0,
                                  timeout=self.timeout, http_client=http)

    @property
    def transport_retries(self) -> int:
        return self.retry.retries

    def on_rate_limit(self, callback: Callable[[], None]) -> None:
        self.retry.backoff.listeners.append(callback)

    def share_limit(self, limit: AdaptiveLimit | None) -> bool:
        self.retry.gate = limit
        return True

    # -- send: one request body, one answer as JSON data --------------------------------------

    def send(self, body: dict[str, Any]) -> dict[str, Any]:
        client = self.client()

        def post() -> dict[str, Any]:
            # The body is ours and final: `post` sends it as is, where `create` would walk
            # it again (~3 ms an article of the SDK's param transforms, schema included).
            raw = client.post("/chat/completions", body=body, cast_to=httpx.Response)
            return dict(json.loads(raw.content))

        return self.retry.call(post)

    async def asend(self, body: dict[str, Any]) -> dict[str, Any]:
        client = await self.aclient()

        async def post() -> dict[str, Any]:
            raw = await client.post("/chat/completions", body=body, cast_to=httpx.Response)
            return dict(json.loads(raw.content))

        return await self.retry.acall(post)

    # -- extract ---------------------------------------------------------------------------------

    def extract(self, article: Article, prompt: PromptTemplate, settings: Settings,
                followup: Sequence[Message] = ()) -> Extraction:
        attempts: Reask[BriefDraft] = Reask(self.render(article, prompt, followup), settings)
        try:
            self.client()
            codec = OpenAICodec(self.mode or "tools")
            while (asked := attempts.next()) is not None:
                body = codec.request(self.model, asked, settings)
                attempts.take(codec.answer(self.send(body)))
        except (openai.OpenAIError, httpx.HTTPError) as exc:
            raise translate(exc) from None
        return attempts.finish().extraction(self.model, codec.mode)

    async def aextract(self, article: Article, prompt: PromptTemplate, settings: Settings,
                       followup: Sequence[Message] = ()) -> Extraction:
        attempts: Reask[BriefDraft] = Reask(self.render(article, prompt, followup), settings)
        try:
            await self.aclient()
            codec = OpenAICodec(self.mode or "tools")
            while (asked := attempts.next()) is not None:
                body = codec.request(self.model, asked, settings)
                attempts.take(codec.answer(await self.asend(body)))
        except (openai.OpenAIError, httpx.HTTPError) as exc:
            raise translate(exc) from None
        return attempts.finish().extraction(self.model, codec.mode)


def translate(exc: BaseException) -> Exception:
    """An SDK or transport error as ours: callers never import an SDK."""
    if (found := our_error(exc)) is not None and isinstance(found, ReplayMissError | BackendError):
        return found
    return ours(OpenAICodec.failure(exc) or Failure(None, str(exc)), "openai")
