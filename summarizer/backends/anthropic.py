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

The SDK speaks httpx2, with its own pool; when the record/replay seam or a test gives an
httpx transport, http.Bridge carries each request to it and the answer back.
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
from .http import LIMITS, own_pool
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


@cache
def tool() -> dict[str, Any]:
    """The one tool the model must call: shared, do not mutate."""
    return {"name": TOOL, "description": "Record the brief of the article.",
            "input_schema": subset_schema(strict_schema(BriefDraft), KEYWORDS)}


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

    def _build(self, http: httpx.AsyncBaseTransport | None) -> Any:
        return anthropic.AsyncAnthropic(
            api_key=self.api_key, base_url=self.base_url, max_retries=0, timeout=self.timeout,
            http_client=httpx2.AsyncClient(timeout=self.timeout, limits=LIMITS,
                                           **own_pool(http)))

    async def _send(self, client: Any, request: Any) -> Any:
        return await cast(anthropic.AsyncAnthropic, client).messages.create(**request)
