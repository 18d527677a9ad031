"""What the provider backends (anthropic, gemini, ollama) share, around the one call each
provider writes: the validation re-ask, the transport retries, SDK errors translated into
ours, usage summed over attempts, and the record/replay seam.

Layers, outermost first:
  re-ask (at most settings.max_reasks; the validation error is fed back, as local.py does)
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
from pydantic import ValidationError

from ..article import Article
from ..brief import BriefDraft
from ..concurrency import AdaptiveLimit
from ..errors import (
    BackendError,
    BackendTimeout,
    ExtractionFailed,
    RateLimited,
    SummarizerError,
    describe_validation_error,
)
from ..prompts import PromptTemplate
from ..salvage import salvage
from .base import Backend, Extraction, Message, Settings, Usage
from .providers import qualified
from .recording import AsyncRecordingTransport, Recorder, RecordingTransport
from .retry import RETRYABLE_STATUS, RetryableError, TransportRetry, our_error


@dataclass
class Reply:
    """One answer: the JSON the model wrote, its usage, and whether max_tokens cut it off."""

    text: str
    usage: Usage
    truncated: bool = False


@dataclass
class Failure:
    """An SDK's error, read once: HTTP status (None: no answer came), message, response."""

    status: int | None
    message: str
    response: Any = None  # its headers may carry Retry-After
    timeout: bool = False


class Attempts:
    """The validation re-ask, shared by the sync and async paths: a reply that does not
    validate (or was cut off) is asked again with the reason, at most max_reasks times."""

    def __init__(self, messages: list[Message], settings: Settings) -> None:
        self.messages, self.settings = messages, settings
        self.usage = Usage()
        self.count = 0
        self.error = ""
        self.raw = ""
        self.draft: BriefDraft | None = None
        self.invalid = False  # the last answer was whole but did not validate

    def next(self) -> list[Message] | None:
        """The messages of the next attempt, or None when done (valid, or out of re-asks)."""
        if self.draft is not None or self.count > self.settings.max_reasks:
            return None
        self.count += 1
        if self.count == 1:
            return self.messages
        # The original prompt plus a short note, never the failed output (as local.py does).
        return [*self.messages, {"role": "user", "content": "Your previous brief was not "
                                 f"valid: {self.error}. Write the brief again, correctly."}]

    def take(self, reply: Reply) -> None:
        self.usage = self.usage + reply.usage
        self.raw = reply.text
        self.invalid = not reply.truncated
        if reply.truncated:
            self.error = (f"the output was cut off at max_tokens={self.settings.max_tokens}: "
                          "write a shorter brief, with fewer records and shorter quotes")
            return
        try:
            self.draft = BriefDraft.model_validate_json(reply.text)
        except ValidationError as exc:
            self.error = describe_validation_error(exc, limit=5)

    def salvaged(self, model: str, mode: str) -> Extraction | None:
        """The last answer kept by salvage (summarizer/salvage.py), if it can be."""
        if self.draft is not None or not self.invalid:
            return None
        if (kept := salvage(BriefDraft, self.raw)) is None:
            return None
        return Extraction(draft=kept.value, usage=self.usage, attempts=self.count, model=model,
                          mode=mode, raw=self.raw, notes=[kept.note()], flags=kept.flags)

    def result(self, model: str, mode: str) -> Extraction:
        if self.draft is None and (kept := self.salvaged(model, mode)) is not None:
            return kept
        if self.draft is None:
            raise ExtractionFailed(f"no valid brief after {self.count} attempt(s): "
                                   f"{self.error[:300]}", attempts=self.count,
                                   last_error=self.raw[-2000:], usage=self.usage)
        return Extraction(draft=self.draft, usage=self.usage, attempts=self.count, model=model,
                          mode=mode, raw=self.raw)


@dataclass
class ProviderBackend(Backend):
    """A provider's API through its SDK. A subclass builds the clients (sync and async, over
    the httpx transports given here), makes one call, and reads its SDK's errors."""

    remote: ClassVar[bool] = True
    decoding: ClassVar[str]  # the structured-output mode provenance reports

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
    def _send(self, client: Any, messages: list[Message], settings: Settings) -> Reply:
        """One call; SDK errors propagate."""

    @abstractmethod
    async def _asend(self, client: Any, messages: list[Message], settings: Settings) -> Reply:
        """One call on the async client."""

    @abstractmethod
    def _failure(self, exc: BaseException) -> Failure | None:
        """The SDK's error read as a Failure; None for anything else."""

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

    def _retryable(self, exc: BaseException) -> RetryableError | None:
        failure = self._failure(exc)
        if failure is None or failure.status not in (None, *RETRYABLE_STATUS):
            return None
        return RetryableError(failure.message, status_code=failure.status,
                              response=failure.response, timeout=failure.timeout)

    def _once(self, client: Any, messages: list[Message], settings: Settings) -> Reply:
        try:
            return self._send(client, messages, settings)
        except Exception as exc:
            if (wrapped := self._retryable(exc)) is not None and our_error(exc) is None:
                raise wrapped from exc
            raise

    async def _aonce(self, client: Any, messages: list[Message], settings: Settings) -> Reply:
        try:
            return await self._asend(client, messages, settings)
        except Exception as exc:
            if (wrapped := self._retryable(exc)) is not None and our_error(exc) is None:
                raise wrapped from exc
            raise

    def _ours(self, exc: BaseException) -> SummarizerError | None:
        """SDK errors become ours at this boundary; callers never import an SDK."""
        if (ours := our_error(exc)) is not None:
            return ours
        if isinstance(exc, RetryableError):
            failure: Failure | None = Failure(exc.status_code, str(exc), exc.response,
                                              exc.timeout)
        else:
            failure = self._failure(exc)
        if failure is None:
            return None
        if failure.timeout:
            return BackendTimeout("the server timed out on every attempt", backend=self.name)
        if failure.status == 429:
            return RateLimited(f"rate limited until the retry budget ran out: {failure.message}",
                               backend=self.name, status=429)
        if failure.status is None:
            return BackendError(f"connection failed: {failure.message}", backend=self.name)
        return BackendError(f"HTTP {failure.status}: {failure.message}", backend=self.name,
                            status=failure.status)

    def extract(self, article: Article, prompt: PromptTemplate, settings: Settings,
                followup: Sequence[Message] = ()) -> Extraction:
        attempts = Attempts(self.render(article, prompt, followup), settings)
        client = self.client()
        while (asked := attempts.next()) is not None:
            try:
                reply = self.retry.call(self._once, client, asked, settings)
            except Exception as exc:
                if (ours := self._ours(exc)) is None:
                    raise
                raise ours from None
            attempts.take(reply)
        return attempts.result(self.model, self.decoding)

    async def aextract(self, article: Article, prompt: PromptTemplate, settings: Settings,
                       followup: Sequence[Message] = ()) -> Extraction:
        attempts = Attempts(self.render(article, prompt, followup), settings)
        client = self.aclient()
        while (asked := attempts.next()) is not None:
            try:
                reply = await self.retry.acall(self._aonce, client, asked, settings)
            except Exception as exc:
                if (ours := self._ours(exc)) is None:
                    raise
                raise ours from None
            attempts.take(reply)
        return attempts.result(self.model, self.decoding)


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
