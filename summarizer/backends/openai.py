"""The `openai` backend: chat completions, for OpenAI or any compatible server.

It is the one remote backend (remote.py) with the chat-completions codec: the re-ask loop,
the transport retries, the record/replay seam and the errors made ours are shared with every
provider. Building the request and reading the answer are plain functions (chat_wire.py),
shared with the Batch API code. The body is posted as built, as JSON (http.json_client): the
wire is one POST, and importing the openai SDK costs a run 0.85 s of CPU at its start
(issue 32). The SDK stays the Batch API's client (files, batches), and
its errors are read wherever they come from. The key goes as a bearer token, with
OPENAI_ORG_ID and OPENAI_PROJECT_ID as the SDK sends them.

The structured-output mode is chosen per server: strict JSON schema for OpenAI itself; for
any other server one probe per server and model (probe.py: single-flight, under the
transport policy, its verdict kept by this backend's `probes`) tells whether it takes a
strict `response_format: json_schema`, else a forced tool call is used. The backend's `mode`
stays what was asked for (None: probe). In json_schema mode every request carries
`strict: true` and the wire schema (wire_schema.py: OpenAI's strict subset, bounds in the
descriptions); pydantic enforces every bound on receipt.
"""

from __future__ import annotations

import sys
from dataclasses import dataclass, field
from functools import lru_cache
from typing import TYPE_CHECKING, Any, ClassVar

import httpx

from ..errors import ConfigurationError, SummarizerError
from .base import Message, Settings
from .chat_wire import MODES, read_answer, request_body
from .codec import Codec, Failure, ours
from .http import bearer, http_failure, is_http_error, json_client, post_json
from .probe import Probes
from .reask import Answer
from .recording import Recorder
from .remote import ProviderBackend
from .retry import RetryableError, is_transient

if TYPE_CHECKING:
    from ..spec import Endpoint

__all__ = ["DEFAULT_MODEL", "MODES", "OpenAIBackend", "OpenAICodec", "Probes",
           "is_openai_host"]

DEFAULT_MODEL = "gpt-4o-mini"
OPENAI_URL = "https://api.openai.com/v1"


def sdk_failure(exc: BaseException) -> Failure | None:
    """An openai SDK error (the Batch API's client) as a Failure. The SDK is looked up, not
    imported: its errors exist only in a process that imported it."""
    sdk = sys.modules.get("openai")
    if sdk is None:
        return None
    if isinstance(exc, sdk.APITimeoutError):
        return Failure(None, "timed out", timeout=True)
    if isinstance(exc, sdk.APIStatusError):
        return Failure(exc.status_code, exc.message, exc.response)
    if isinstance(exc, sdk.APIConnectionError):
        return Failure(None, str(exc))
    return None


@lru_cache(maxsize=64)
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
        return read_answer(reply, self.mode)

    @staticmethod
    def failure(exc: BaseException) -> Failure | None:
        return http_failure(exc) or sdk_failure(exc)


@dataclass
class OpenAIBackend(ProviderBackend):
    """Chat completions as JSON over HTTP. Build with `from_config()` or inject a transport
    (tests: a fault server, an httpx.MockTransport)."""

    name: ClassVar[str] = "openai"
    codec: ClassVar[Codec] = OpenAICodec("json_schema")  # the codec of a known mode

    model: str = DEFAULT_MODEL  # as it goes on the wire (no provider prefix here)
    mode: str | None = None  # None: chosen per server (see module docstring)
    probes: Probes = field(default_factory=Probes, repr=False, compare=False)
    headers: tuple[tuple[str, str], ...] = field(default=(), repr=False)  # org, project
    _codecs: dict[str, OpenAICodec] = field(default_factory=dict, init=False, repr=False,
                                            compare=False)
    # The mode known without a probe, read once: (what it was read from, the mode).
    _known: tuple[tuple[Any, ...], str | None] | None = field(default=None, init=False,
                                                              repr=False, compare=False)

    def __post_init__(self) -> None:
        return None  # a bare name or `org/model` (vLLM's) is the model as it is

    @property
    def api_model(self) -> str:
        return self.model

    @property
    def decoding(self) -> str:
        """The mode asked for, or the one known without asking (before a probe: tools)."""
        return self._known_mode() or "tools"

    def identity(self) -> dict[str, Any]:
        """The server and the mode asked for (None: probed per server, so the server's URL,
        also in the key, decides it)."""
        return {"base_url": self.base_url or "https://api.openai.com/v1", "mode": self.mode}

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
                   api_key=api_key or "not-needed", mode=mode, recorder=recorder,
                   headers=endpoint.headers if endpoint else (), **kwargs)

    # -- the structured-output mode ------------------------------------------------------------

    def _known_mode(self) -> str | None:
        """The mode without asking the server, or None when it must be probed (read once
        for this mode, server and recorder: a replay reads its recordings' modes)."""
        basis = (self.mode, self.base_url, id(self.recorder),
                 self.recorder and self.recorder.mode)
        if self._known is None or self._known[0] != basis:
            self._known = (basis, self._read_known_mode())
        return self._known[1]

    def _read_known_mode(self) -> str | None:
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

    async def resolved_mode(self) -> str:
        """The mode requests go in: asked for, known, or this server's probed verdict."""
        if (mode := self._known_mode()) is not None:
            return mode
        assert self.base_url is not None
        if (kept := self.probes.kept(self.base_url, self.model)) is not None:
            return kept
        return await self.probes.mode(self.base_url, self.api_key, self.model,
                                      timeout=self.timeout, retry=self.retry,
                                      transport=self.transport, headers=self.headers)

    async def codec_now(self) -> Codec:
        mode = await self.resolved_mode()
        if (codec := self._codecs.get(mode)) is None:
            codec = self._codecs[mode] = OpenAICodec(mode)
        return codec

    def retryable(self, exc: BaseException) -> RetryableError | None:
        """What the error says of itself decides (retry.is_transient)."""
        return super().retryable(exc) if is_transient(exc) else None

    def ours(self, exc: BaseException) -> SummarizerError | None:
        found = super().ours(exc)
        sdk = sys.modules.get("openai")
        if found is None and (is_http_error(exc) or (
                sdk is not None and isinstance(exc, sdk.OpenAIError))):
            return ours(Failure(None, str(exc) or type(exc).__name__), self.name)
        return found

    # -- the client and one request ------------------------------------------------------------

    def _build(self, http: httpx.AsyncBaseTransport | None) -> Any:
        return json_client(self.base_url or OPENAI_URL, bearer(self.api_key, self.headers),
                           self.timeout, http)

    async def _send(self, client: Any, request: Any) -> Any:
        return (await post_json(client, "/chat/completions", request)).json()
