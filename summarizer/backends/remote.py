"""The one remote backend: what every provider (openai, anthropic, gemini, ollama) shares
around its codec: the client, the validation re-ask, the transport retries, SDK errors
translated into ours, usage summed over attempts, and the record/replay seam. Written once,
async; a blocking caller goes through `Backend.extract` (base.py, loop.py).

Layers, outermost first:
  re-ask (reask.py: the one loop; the failed answer and its error fed back)
  -> TransportRetry (tenacity: 429 with Retry-After, 529/503 overload, 5xx, timeouts)
  -> the client: httpx2 itself (http.py: openai, ollama) or a provider's SDK (anthropic,
     gemini; its own retries off) -> httpx transport (record/replay) -> server
"""

from __future__ import annotations

import asyncio
import threading
import weakref
from abc import abstractmethod
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass, field
from functools import partial
from typing import Any, ClassVar, TypeVar

import httpx

from ..article import Article
from ..batch.concurrency import AdaptiveLimit
from ..brief import BriefDraft
from ..errors import SummarizerError
from ..prompts import PromptTemplate
from .base import Backend, Extraction, Message, Settings
from .codec import Codec, Failure, ours
from .providers import qualified
from .reask import Reask
from .recording import AsyncRecordingTransport, Recorder
from .retry import RETRYABLE_STATUS, RetryableError, TransportRetry, our_error

T = TypeVar("T")

@dataclass
class ProviderBackend(Backend):
    """A provider's API. A subclass names its codec (codec.py: the request, the reply read,
    the errors read), builds its async client (http.py's, or its SDK's) over the httpx
    transport given here, and sends one request with it."""

    remote: ClassVar[bool] = True
    codec: ClassVar[Codec]

    model: str  # `provider/model`: the identity; `api_model` goes on the wire
    base_url: str | None = None
    api_key: str = field(default="", repr=False)
    timeout: float = 120.0
    recorder: Recorder | None = None
    retry: TransportRetry = field(default_factory=TransportRetry)
    transport: httpx.AsyncBaseTransport | None = None  # injected in tests
    # One client per event loop (an httpx pool belongs to the loop it ran on); weak keys, so
    # a closed loop's client goes with it and a new loop never meets a stale one.
    _clients: weakref.WeakKeyDictionary[asyncio.AbstractEventLoop, Any] = field(
        default_factory=weakref.WeakKeyDictionary, init=False, repr=False, compare=False)
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
    def _build(self, http: httpx.AsyncBaseTransport | None) -> Any:
        """The async client over this transport (None: the client's own pool), retries off."""

    @abstractmethod
    async def _send(self, client: Any, request: Any) -> Any:
        """One request as the codec built it; the reply as the codec reads it. SDK errors
        propagate."""

    async def codec_now(self) -> Codec:
        """The codec of this call (the OpenAI-compatible backend's depends on the server)."""
        return self.codec

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

    def _http(self, decoding: str) -> httpx.AsyncBaseTransport | None:
        """The transport under the client: the injected one, the recording seam around it,
        or None (the SDK's own)."""
        if self.recorder is None:
            return self.transport
        return AsyncRecordingTransport(self.recorder, self.model, decoding,
                                       inner=self.transport or httpx.AsyncHTTPTransport())

    def client(self, decoding: str | None = None) -> Any:
        """The async client of the running event loop, made on its first call there."""
        loop = asyncio.get_running_loop()
        if (found := self._clients.get(loop)) is None:
            with self._lock:
                if (found := self._clients.get(loop)) is None:
                    found = self._clients[loop] = self._build(
                        self._http(decoding or self.decoding))
        return found

    def request(self, messages: list[Message], settings: Settings,
                codec: Codec | None = None) -> Any:
        """The codec's request for these messages, this backend's model on the wire."""
        return (codec or self.codec).request(self.api_model, messages, settings)

    def retryable(self, exc: BaseException) -> RetryableError | None:
        """The error as the transport retries take it, when it is worth another try."""
        failure = self.codec.failure(exc)
        if failure is None or failure.status not in (None, *RETRYABLE_STATUS):
            return None
        return RetryableError(failure.message, status_code=failure.status,
                              response=failure.response, timeout=failure.timeout)

    async def call(self, make: Callable[[], Awaitable[T]],
                   only: tuple[int, ...] | None = None) -> T:
        """`await make()` under the transport retries (`only`: retry just these statuses,
        for a call that is not idempotent); a failure comes out as our error."""
        async def once() -> T:
            try:
                return await make()
            except Exception as exc:
                if our_error(exc) is not None:
                    raise
                wrapped = self.retryable(exc)
                if only is not None and (wrapped is None or wrapped.status_code not in only):
                    raise self.ours(exc) or exc from None
                if wrapped is not None:
                    raise wrapped from exc
                raise

        try:
            return await self.retry.call(once)
        except Exception as exc:
            if (found := self.ours(exc)) is None:
                raise
            raise found from None

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

    async def aextract(self, article: Article, prompt: PromptTemplate, settings: Settings,
                       followup: Sequence[Message] = ()) -> Extraction:
        attempts: Reask[BriefDraft] = Reask(self.render(article, prompt, followup), settings)
        codec = await self.codec_now()
        client = self.client(codec.decoding)
        while (asked := attempts.next()) is not None:
            request = self.request(asked, settings, codec)
            attempts.take(codec.answer(await self.call(partial(self._send, client, request))))
        return attempts.finish().extraction(self.model, codec.decoding)


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
