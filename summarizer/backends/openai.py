"""The `openai` backend: instructor over the openai SDK, for OpenAI or any compatible server.

Layers, outermost first:
  instructor (validation re-ask, bounded)  ->  TransportRetry (tenacity; 429/5xx/timeouts)
  ->  openai SDK (max_retries=0)  ->  httpx transport (the record/replay seam)  ->  server

The structured-output mode is chosen per server: strict JSON schema for OpenAI itself; for
any other server one probe per base URL per process (probe.py: single-flight, under the
transport policy) tells whether it takes a strict `response_format: json_schema`, else a
forced tool call is used. In json_schema mode every request carries `strict: true` and the
wire schema (wire_schema.py: OpenAI's strict subset, bounds in the descriptions); instructor
builds its own non-strict response_format, which the create call below swaps for it, and
keeps its bounded re-ask; pydantic enforces every bound on receipt.
"""

from __future__ import annotations

import os
import threading
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any, ClassVar, cast

import httpx
import instructor
import openai
from instructor.core.exceptions import InstructorRetryException
from pydantic import BaseModel

from ..article import Article
from ..brief import BriefDraft
from ..errors import (
    BackendError,
    BackendTimeout,
    ConfigurationError,
    ExtractionFailed,
    RateLimited,
    ReplayMissError,
    describe_validation_error,
)
from ..prompts import PromptTemplate
from .base import Backend, Extraction, Message, Settings, Usage
from .probe import aprobe_mode, forget_probes, probe_mode
from .recording import Recorder, RecordingTransport
from .retry import TransportRetry, our_error
from .wire_schema import strict_response_format

__all__ = ["DEFAULT_MODEL", "MODES", "OpenAIBackend", "aprobe_mode", "forget_probes",
           "is_openai_host", "probe_mode", "strict_wire"]

DEFAULT_MODEL = "gpt-4o-mini"
MODES = {"json_schema": instructor.Mode.JSON_SCHEMA, "tools": instructor.Mode.TOOLS,
         "json": instructor.Mode.JSON, "md_json": instructor.Mode.MD_JSON}
STRICT_MODELS: dict[str, type[BaseModel]] = {BriefDraft.__name__: BriefDraft}


def is_openai_host(base_url: str | None) -> bool:
    return base_url is None or httpx.URL(base_url).host.endswith("api.openai.com")


def strict_wire(kwargs: dict[str, Any]) -> dict[str, Any]:
    """A request's kwargs with instructor's response_format for one of our models swapped for
    the strict wire format (a new dict: instructor keeps its own for the re-ask)."""
    fmt = kwargs.get("response_format")
    if isinstance(fmt, dict) and fmt.get("type") == "json_schema":
        model = STRICT_MODELS.get(str((fmt.get("json_schema") or {}).get("name")))
        if model is not None:
            return {**kwargs, "response_format": strict_response_format(model)}
    return kwargs


@dataclass
class OpenAIBackend(Backend):
    """Chat completions through instructor. Build with `from_env()` or inject a client."""

    name: ClassVar[str] = "openai"
    remote: ClassVar[bool] = True

    model: str = DEFAULT_MODEL
    base_url: str | None = None
    api_key: str = field(default="", repr=False)
    mode: str | None = None  # None: chosen per server (see module docstring)
    timeout: float = 120.0
    recorder: Recorder | None = None
    retry: TransportRetry = field(default_factory=TransportRetry)
    transport: httpx.BaseTransport | None = None  # injected in tests (e.g. a fault server)
    _client: instructor.Instructor | None = field(default=None, init=False, repr=False)
    _lock: threading.Lock = field(default_factory=threading.Lock, init=False, repr=False,
                                  compare=False)

    @classmethod
    def from_env(cls, *, model: str | None = None, mode: str | None = None,
                 recorder: Recorder | None = None, **kwargs: Any) -> OpenAIBackend:
        """Credentials and endpoint from the environment, as the openai SDK reads them."""
        base_url = os.environ.get("OPENAI_BASE_URL") or None
        api_key = os.environ.get("OPENAI_API_KEY", "")
        if not api_key and is_openai_host(base_url) and not (recorder and
                                                             recorder.mode == "replay"):
            raise ConfigurationError("the openai backend needs OPENAI_API_KEY, or "
                                     "OPENAI_BASE_URL for a local OpenAI-compatible server")
        model = model or os.environ.get("SUMMARIZER_MODEL") or DEFAULT_MODEL
        return cls(model=model, base_url=base_url, api_key=api_key or "not-needed", mode=mode,
                   recorder=recorder, **kwargs)

    # -- wiring ------------------------------------------------------------------------------

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
        return await aprobe_mode(self.base_url, self.api_key, self.model,
                                 timeout=self.timeout, retry=self.retry)

    def client(self) -> instructor.Instructor:
        with self._lock:  # workers share one backend: one client, one probe wait
            if self._client is None:
                self._client = self._build(self.resolved_mode())
        return self._client

    def _build(self, mode: str) -> instructor.Instructor:
        self.mode = mode
        transport: httpx.BaseTransport = self.transport or httpx.HTTPTransport()
        if self.recorder is not None:
            transport = RecordingTransport(self.recorder, self.model, mode, inner=transport)
        raw = openai.OpenAI(base_url=self.base_url, api_key=self.api_key, max_retries=0,
                            timeout=self.timeout,
                            # cast: openai 3 types its client as httpx2's; httpx's works
                            http_client=cast(Any, httpx.Client(transport=transport,
                                                               timeout=self.timeout)))
        strict = mode == "json_schema"

        def create(*args: Any, **kwargs: Any) -> Any:
            return self.retry.call(raw.chat.completions.create, *args,
                                   **(strict_wire(kwargs) if strict else kwargs))

        imode = MODES[mode]
        return instructor.Instructor(
            client=raw, create=instructor.patch(create=create, mode=imode), mode=imode)

    # -- the one method ----------------------------------------------------------------------

    @property
    def transport_retries(self) -> int:
        return self.retry.retries

    def extract(self, article: Article, prompt: PromptTemplate, settings: Settings,
                followup: Sequence[Message] = ()) -> Extraction:
        messages = self.render(article, prompt, followup)
        usage = Usage()

        def on_response(response: Any) -> None:
            u = getattr(response, "usage", None)
            usage.calls += 1
            if u is not None:
                usage.prompt_tokens += u.prompt_tokens or 0
                usage.completion_tokens += u.completion_tokens or 0

        client = self.client()
        hooks = instructor.hooks.Hooks()
        hooks.on("completion:response", on_response)
        try:
            draft, completion = client.chat.completions.create_with_completion(
                model=self.model,
                messages=messages,  # type: ignore[arg-type]
                response_model=BriefDraft,
                max_retries=settings.max_reasks,
                temperature=settings.temperature,
                max_tokens=settings.max_tokens,
                seed=settings.seed,
                hooks=hooks,
            )
        except InstructorRetryException as exc:
            raise _translate(exc.__cause__ or exc, usage, exc.n_attempts) from None
        except Exception as exc:  # an SDK error raised before instructor's loop
            raise _translate(exc, usage, usage.calls) from None
        raw = None
        if completion is not None and completion.choices:
            msg = completion.choices[0].message
            raw = msg.content or (msg.tool_calls[0].function.arguments if msg.tool_calls else None)
        return Extraction(draft=draft, usage=usage, attempts=max(usage.calls, 1),
                          model=self.model, mode=self.mode, raw=raw)


def _translate(exc: BaseException, usage: Usage, attempts: int) -> Exception:
    """SDK errors become ours at this boundary; callers never import an SDK."""
    if (ours := our_error(exc)) is not None and isinstance(ours, ReplayMissError | BackendError):
        return ours
    if isinstance(exc, openai.RateLimitError):
        return RateLimited(f"rate limited until the retry budget ran out: {exc.message}",
                           backend="openai", status=429)
    if isinstance(exc, openai.APITimeoutError):
        return BackendTimeout("the server timed out on every attempt", backend="openai")
    if isinstance(exc, openai.APIStatusError):
        return BackendError(f"HTTP {exc.status_code}: {exc.message}", backend="openai",
                            status=exc.status_code)
    if isinstance(exc, openai.APIConnectionError):
        return BackendError(f"connection failed: {exc}", backend="openai")
    why = describe_validation_error(exc)  # "casualties[0].killed.value: input should be ..."
    return ExtractionFailed(f"no valid brief after {attempts} attempt(s): {why[:300]}",
                            attempts=attempts, last_error=str(exc)[:2000], usage=usage)
