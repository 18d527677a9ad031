"""The `anthropic` backend: Claude through Anthropic's SDK (the `anthropic` extra).

The brief comes back as one forced tool call: the request offers a single tool, `BriefDraft`,
whose `input_schema` is the draft's wire schema, and `tool_choice` names it, so the answer is
that tool's `input`. The wire schema (wire_schema.py: no length or range keywords, the bounds
said in the descriptions, every object closed) sits inside what Anthropic's structured
outputs take; keywords outside that subset would be removed here, and pydantic checks every
bound on receipt. Tools are not marked `strict`: strict tools limit how many optional and
union-typed fields a schema may have, and the draft has many. No temperature and no seed
are sent: the SDK (2.x) takes neither, recent models fix their own sampling, and the API
has no seed.

Usage: Anthropic counts `input_tokens` after the cache; the prompt tokens here are the whole
input (plus cache reads and writes), `cached_tokens` the reads.

The SDK speaks httpx2; `_Bridge` carries each request to the httpx transports the
record/replay seam and the tests use, and the answer back.
"""

from __future__ import annotations

import json
from functools import cache
from typing import TYPE_CHECKING, Any, ClassVar, cast

import anthropic
import httpx
import httpx2

from ..brief import BriefDraft
from ..errors import ConfigurationError
from .base import Message, Settings, Usage
from .codec import Failure
from .reask import Answer
from .recording import Recorder
from .remote import ProviderBackend, split_system, subset_schema
from .wire_schema import strict_schema

if TYPE_CHECKING:
    from ..spec import Endpoint

TOOL = BriefDraft.__name__
# What Anthropic's structured outputs take (platform.claude.com, "JSON Schema limitations"):
# no minLength/maxLength, no numeric bounds, minItems only 0 or 1 (the wire schema has none).
KEYWORDS = frozenset({"type", "description", "title", "enum", "const", "anyOf", "allOf", "$ref",
                      "$defs", "properties", "required", "additionalProperties", "items",
                      "format", "default"})
_DROPPED_HEADERS = {"content-encoding", "content-length", "transfer-encoding"}


@cache
def tool() -> dict[str, Any]:
    """The one tool the model must call: shared, do not mutate."""
    return {"name": TOOL, "description": "Record the brief of the article.",
            "input_schema": subset_schema(strict_schema(BriefDraft), KEYWORDS)}


def _to_httpx(request: httpx2.Request) -> httpx.Request:
    return httpx.Request(request.method, str(request.url), headers=request.headers.raw,
                         content=request.content, extensions=dict(request.extensions))


def _to_httpx2(response: httpx.Response, content: bytes,
               request: httpx2.Request) -> httpx2.Response:
    headers = [(k, v) for k, v in response.headers.multi_items()
               if k.lower() not in _DROPPED_HEADERS]  # the content is decoded already
    return httpx2.Response(response.status_code, headers=headers, content=content,
                           request=request)


class _Bridge(httpx2.BaseTransport):
    """httpx2 (the SDK's) in front, an httpx transport behind; bodies are read whole."""

    def __init__(self, inner: httpx.BaseTransport) -> None:
        self.inner = inner

    def handle_request(self, request: httpx2.Request) -> httpx2.Response:
        try:
            response = self.inner.handle_request(_to_httpx(request))
            content = response.read()
        except httpx.TimeoutException as exc:  # the SDK reads httpx2's as a timeout
            raise httpx2.ReadTimeout(str(exc), request=request) from exc
        return _to_httpx2(response, content, request)

    def close(self) -> None:
        self.inner.close()


class _AsyncBridge(httpx2.AsyncBaseTransport):
    def __init__(self, inner: httpx.AsyncBaseTransport) -> None:
        self.inner = inner

    async def handle_async_request(self, request: httpx2.Request) -> httpx2.Response:
        try:
            response = await self.inner.handle_async_request(_to_httpx(request))
            content = await response.aread()
        except httpx.TimeoutException as exc:
            raise httpx2.ReadTimeout(str(exc), request=request) from exc
        return _to_httpx2(response, content, request)

    async def aclose(self) -> None:
        await self.inner.aclose()


def _turns(messages: list[Message]) -> list[dict[str, Any]]:
    return [{"role": m["role"], "content": str(m["content"])} for m in messages]


class AnthropicCodec:
    """The Messages API as data (codec.py): the params of one request, shared with Message
    Batches; a reply is the SDK's Message."""

    decoding = "tools"  # the structured-output mode provenance reports

    def request(self, model: str, messages: list[Message], settings: Settings) -> dict[str, Any]:
        system, turns = split_system(messages)
        return {"model": model, "system": system, "messages": _turns(turns),
                "max_tokens": settings.max_tokens, "tools": [tool()],
                "tool_choice": {"type": "tool", "name": TOOL}}

    def answer(self, reply: Any) -> Answer:
        u = reply.usage
        cached = u.cache_read_input_tokens or 0
        usage = Usage(prompt_tokens=u.input_tokens + cached + (u.cache_creation_input_tokens or 0),
                      completion_tokens=u.output_tokens, calls=1, cached_tokens=cached)
        called = next((b for b in reply.content if b.type == "tool_use" and b.name == TOOL),
                      None)
        text = json.dumps(called.input) if called is not None else None
        return Answer(text, usage, truncated=reply.stop_reason == "max_tokens")

    def failure(self, exc: BaseException) -> Failure | None:
        if isinstance(exc, anthropic.APIStatusError):
            return Failure(exc.status_code, exc.api_message or exc.message, exc.response)
        if isinstance(exc, anthropic.APITimeoutError):
            return Failure(None, "timed out", timeout=True)
        if isinstance(exc, anthropic.APIConnectionError):
            return Failure(None, str(exc.__cause__ or exc))
        return None


class AnthropicBackend(ProviderBackend):
    """Messages API with a forced tool call. Build with `from_config()`."""

    name: ClassVar[str] = "anthropic"
    codec: ClassVar[AnthropicCodec] = AnthropicCodec()

    @classmethod
    def from_config(cls, endpoint: Endpoint | None = None, *, model: str | None = None,
                    recorder: Recorder | None = None, **kwargs: Any) -> AnthropicBackend:
        """From a Spec's anthropic endpoint (ANTHROPIC_API_KEY, ANTHROPIC_BASE_URL)."""
        api_key = endpoint.api_key if endpoint else ""
        if not api_key and not (recorder and recorder.mode == "replay"):
            raise ConfigurationError("--model anthropic/... needs ANTHROPIC_API_KEY")
        return cls(model=model or "", base_url=endpoint.base_url if endpoint else None,
                   api_key=api_key or "not-needed", recorder=recorder, **kwargs)

    def _build(self, http: httpx.BaseTransport) -> Any:
        return anthropic.Anthropic(api_key=self.api_key, base_url=self.base_url, max_retries=0,
                                   timeout=self.timeout,
                                   http_client=httpx2.Client(transport=_Bridge(http),
                                                             timeout=self.timeout))

    def _abuild(self, http: httpx.AsyncBaseTransport) -> Any:
        return anthropic.AsyncAnthropic(
            api_key=self.api_key, base_url=self.base_url, max_retries=0, timeout=self.timeout,
            http_client=httpx2.AsyncClient(transport=_AsyncBridge(http), timeout=self.timeout))

    def _send(self, client: Any, messages: list[Message], settings: Settings) -> Answer:
        sdk = cast(anthropic.Anthropic, client)
        return self.codec.answer(sdk.messages.create(**self.request(messages, settings)))

    async def _asend(self, client: Any, messages: list[Message], settings: Settings) -> Answer:
        sdk = cast(anthropic.AsyncAnthropic, client)
        return self.codec.answer(await sdk.messages.create(**self.request(messages, settings)))
