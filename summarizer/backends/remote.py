"""What the provider backends (anthropic, gemini, ollama) share, around the one call each
provider writes: the validation re-ask, the transport retries, SDK errors translated into
ours, usage summed over attempts, and the record/replay seam.

Layers, outermost first:
  re-ask (reask.py: the one loop; the failed answer and its error fed back)
  -> TransportRetry (tenacity: 429 with Retry-After, 529/503 overload, 5xx, timeouts)
  -> the provider's SDK (its own retries off) -> httpx transport (record/replay) -> server
"""

from __future__ import annotations

import asyncio
import threading
import weakref
from abc import abstractmethod
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any, ClassVar

import httpx

from ..article import Article
from ..batch.concurrency import AdaptiveLimit
from ..brief import BriefDraft
from ..errors import SummarizerError
from ..prompts import PromptTemplate
from .base import Backend, Extraction, Message, Settings
from .codec import Codec, Failure, ours
from .providers import qualified
from .reask import Answer, Reask
from .recording import AsyncRecordingTransport, Recorder, RecordingTransport
from .retry import RETRYABLE_STATUS, RetryableError, TransportRetry, our_error


@dataclass
class ProviderBackend(Backend):
    """A provider's API through its SDK. A subclass names its codec (codec.py: the request,
    the reply read, the errors read) and builds the clients (sync and async, over the httpx
    transports given here) and makes one call with them."""

    remote: ClassVar[bool] = True
    codec: ClassVar[Codec]

    model: str  # `provider/model`: the identity; `api_model` goes on the wire
    base_url: str | None = None
    api_key: str = field(default="", repr=False)
    timeout: float = 120.0
    recorder: Recorder | None = None
    retry: TransportRetry = field(default_factory=TransportRetry)
    transport: httpx.BaseTransport | None = None  # injected in tests
    atransport: httpx.AsyncBaseTransport | None = None
    _client: Any = field(default=None, init=False, repr=False)
    _aclients: weakref.WeakKeyDictionary[asyncio.AbstractEventLoop, Any] = field(
        default_factory=weakref.WeakKeyDictionary, init=False, repr=False)
    _lock: threading.Lock = field(default_factory=threading.Lock, init=False, repr=False,
                                  compare=False)

    def __post_init__(self) -> None:
        self.model = qualified(self.name, self.model)

    @property
    def decoding(self) -> str:
        """The structured-output mode provenance reports: the codec's."""
        return self.codec.decoding

    @property
    def api_model(self) -> str:
        return self.model.split("/", 1)[1]

    @property
    def replaying(self) -> bool:
        return self.recorder is not None and self.recorder.mode == "replay"

    # -- what a provider writes ------------------------------------------------------------

    @abstractmethod
    def _build(self, http: httpx.BaseTransport) -> Any:
        """The SDK's sync client over this transport (SDK retries off)."""

    @abstractmethod
    def _abuild(self, http: httpx.AsyncBaseTransport) -> Any:
        """The SDK's async client over this transport."""

    @abstractmethod
    def _send(self, client: Any, messages: list[Message], settings: Settings) -> Answer:
        """One call of `request(...)`, its reply read by the codec; SDK errors propagate."""

    @abstractmethod
    async def _asend(self, client: Any, messages: list[Message], settings: Settings) -> Answer:
        """One call on the async client."""

    # -- the shared part -------------------------------------------------------------------

    @property
    def transport_retries(self) -> int:
        return self.retry.retries

    def identity(self) -> dict[str, Any]:
        """The server (None: the provider's own endpoint) and the one structured mode."""
        return {"base_url": self.base_url, "mode": self.decoding}

    def on_rate_limit(self, callback: Callable[[], None]) -> None:
        self.retry.backoff.listeners.append(callback)

    def share_limit(self, limit: AdaptiveLimit | None) -> bool:
        self.retry.gate = limit
        return True

    def _http(self) -> httpx.BaseTransport:
        inner = self.transport or httpx.HTTPTransport()
        if self.recorder is None:
            return inner
        return RecordingTransport(self.recorder, self.model, self.decoding, inner=inner)

    def _ahttp(self) -> httpx.AsyncBaseTransport:
        inner = self.atransport or httpx.AsyncHTTPTransport()
        if self.recorder is None:
            return inner
        return AsyncRecordingTransport(self.recorder, self.model, self.decoding, inner=inner)

    def client(self) -> Any:
        with self._lock:  # workers share one backend: one client
            if self._client is None:
                self._client = self._build(self._http())
        return self._client

    def aclient(self) -> Any:
        """One async client per event loop (an httpx pool belongs to the loop it ran on)."""
        loop = asyncio.get_running_loop()
        if (client := self._aclients.get(loop)) is None:
            client = self._aclients[loop] = self._abuild(self._ahttp())
        return client

    def request(self, messages: list[Message], settings: Settings) -> Any:
        """The codec's request for these messages, this backend's model on the wire."""
        return self.codec.request(self.api_model, messages, settings)

    def retryable(self, exc: BaseException) -> RetryableError | None:
        """The error as the transport retries take it, when it is worth another try."""
        failure = self.codec.failure(exc)
        if failure is None or failure.status not in (None, *RETRYABLE_STATUS):
            return None
        return RetryableError(failure.message, status_code=failure.status,
                              response=failure.response, timeout=failure.timeout)

    def _once(self, client: Any, messages: list[Message], settings: Settings) -> Answer:
        try:
            return self._send(client, messages, settings)
        except Exception as exc:
            if (wrapped := self.retryable(exc)) is not None and our_error(exc) is None:
                raise wrapped from exc
            raise

    async def _aonce(self, client: Any, messages: list[Message], settings: Settings) -> Answer:
        try:
            return await self._asend(client, messages, settings)
        except Exception as exc:
            if (wrapped := self.retryable(exc)) is not None and our_error(exc) is None:
                raise wrapped from exc
            raise

    def ours(self, exc: BaseException) -> SummarizerError | None:
        """SDK errors become ours at this boundary; callers never import an SDK."""
        if (found := our_error(exc)) is not None:
            return found
        if isinstance(exc, RetryableError):
            failure: Failure | None = Failure(exc.status_code, str(exc), exc.response,
                                              exc.timeout)
        else:
            failure = self.codec.failure(exc)
        return None if failure is None else ours(failure, self.name)

    def extract(self, article: Article, prompt: PromptTemplate, settings: Settings,
                followup: Sequence[Message] = ()) -> Extraction:
        attempts: Reask[BriefDraft] = Reask(self.render(article, prompt, followup), settings)
        client = self.client()
        while (asked := attempts.next()) is not None:
            try:
                reply = self.retry.call(self._once, client, asked, settings)
            except Exception as exc:
                if (ours := self.ours(exc)) is None:
                    raise
                raise ours from None
            attempts.take(reply)
        return attempts.finish().extraction(self.model, self.decoding)

    async def aextract(self, article: Article, prompt: PromptTemplate, settings: Settings,
                       followup: Sequence[Message] = ()) -> Extraction:
        attempts: Reask[BriefDraft] = Reask(self.render(article, prompt, followup), settings)
        client = self.aclient()
        while (asked := attempts.next()) is not None:
            try:
                reply = await self.retry.acall(self._aonce, client, asked, settings)
            except Exception as exc:
                if (ours := self.ours(exc)) is None:
                    raise
                raise ours from None
            attempts.take(reply)
        return attempts.finish().extraction(self.model, self.decoding)


def split_system(messages: Sequence[Message]) -> tuple[str, list[Message]]:
    """(the system instructions, the other turns): the providers that take the system
    prompt as a parameter of its own (Anthropic, Gemini)."""
    system = "\n\n".join(str(m["content"]) for m in messages if m["role"] == "system")
    return system, [m for m in messages if m["role"] != "system"]


def subset_schema(node: Any, keywords: frozenset[str]) -> Any:
    """A JSON Schema with every keyword outside `keywords` removed, at every level (property
    names and $defs names are kept: they are names, not keywords)."""
    if isinstance(node, list):
        return [subset_schema(v, keywords) for v in node]
    if not isinstance(node, dict):
        return node
    out: dict[str, Any] = {}
    for key, value in node.items():
        if key in ("properties", "$defs") and isinstance(value, dict):
            out[key] = {name: subset_schema(v, keywords) for name, v in value.items()}
        elif key in keywords:
            out[key] = subset_schema(value, keywords) if key not in ("enum", "const",
                                                                      "required") else value
    return out
