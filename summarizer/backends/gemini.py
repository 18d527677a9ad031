"""The `gemini` backend: the Gemini API through Google's SDK, google-genai (the `gemini` extra).

The brief comes back as JSON under a response schema: `responseMimeType: application/json`
with `responseJsonSchema`, the draft's wire schema (wire_schema.py) cut to the keywords the
API documents for it ($defs, $ref with nothing beside it, type, format, title, description,
enum, items, min/maxItems, minimum/maximum, anyOf, properties, additionalProperties,
required; GenerateContentConfig.response_json_schema in the SDK). The wire schema already
leaves out string lengths and says its bounds in the descriptions; pydantic checks them.

Usage: `promptTokenCount` includes `cachedContentTokenCount` (the cached tokens here);
thinking tokens (`thoughtsTokenCount`) are billed as output and counted as completion.

The key is GEMINI_API_KEY (or GOOGLE_API_KEY, which the SDK prefers when both are set); the
endpoint GOOGLE_GEMINI_BASE_URL, which the SDK itself honours, for tests and proxies.
"""

from __future__ import annotations

from functools import cache
from typing import TYPE_CHECKING, Any, ClassVar, cast

import httpx
from google import genai
from google.genai import errors as genai_errors
from google.genai import types as genai_types

from ..brief import BriefDraft
from ..errors import ConfigurationError
from .base import Message, Settings, Usage
from .codec import Failure
from .http import http_failure
from .reask import Answer
from .recording import Recorder
from .remote import ProviderBackend, split_system, subset_schema
from .wire_schema import strict_schema

if TYPE_CHECKING:
    from ..spec import Endpoint

KEYWORDS = frozenset({"$id", "$defs", "$ref", "$anchor", "type", "format", "title",
                      "description", "enum", "items", "prefixItems", "minItems", "maxItems",
                      "minimum", "maximum", "anyOf", "oneOf", "properties",
                      "additionalProperties", "required", "propertyOrdering"})


@cache
def response_schema() -> dict[str, Any]:
    """The draft's schema as Gemini takes it: shared, do not mutate."""
    schema: dict[str, Any] = subset_schema(strict_schema(BriefDraft), KEYWORDS)
    return schema


def _contents(turns: list[Message]) -> list[genai_types.Content]:
    return [genai_types.Content(role="model" if m["role"] == "assistant" else "user",
                                parts=[genai_types.Part(text=str(m["content"]))])
            for m in turns]


def _retry_delay(details: Any) -> str | None:
    """Seconds from the error's google.rpc.RetryInfo ("retryDelay": "7s"), which the Gemini
    API sends with a 429 in place of a Retry-After header."""
    error = details.get("error", details) if isinstance(details, dict) else {}
    found = error.get("details") if isinstance(error, dict) else None
    for item in found if isinstance(found, list) else []:
        delay = item.get("retryDelay") if isinstance(item, dict) else None
        if isinstance(delay, str) and delay.endswith("s"):
            return delay[:-1]
    return None


class GeminiCodec:
    """generateContent as data (codec.py); a reply is the SDK's GenerateContentResponse."""

    decoding = "json_schema"  # the structured-output mode provenance reports

    def request(self, model: str, messages: list[Message], settings: Settings) -> dict[str, Any]:
        system, turns = split_system(messages)
        config = genai_types.GenerateContentConfig(
            system_instruction=system or None, response_mime_type="application/json",
            response_json_schema=response_schema(), temperature=settings.temperature,
            max_output_tokens=settings.max_tokens, seed=settings.seed)
        return {"model": model, "contents": _contents(turns), "config": config}

    def answer(self, reply: Any) -> Answer:
        response = cast(genai_types.GenerateContentResponse, reply)
        meta = response.usage_metadata
        usage = Usage(calls=1)
        if meta is not None:
            usage = Usage(prompt_tokens=meta.prompt_token_count or 0,
                          completion_tokens=(meta.candidates_token_count or 0)
                          + (meta.thoughts_token_count or 0),
                          calls=1, cached_tokens=meta.cached_content_token_count or 0)
        first = response.candidates[0] if response.candidates else None
        truncated = first is not None and first.finish_reason == genai_types.FinishReason.MAX_TOKENS
        return Answer(response.text or "", usage, truncated=truncated)

    def failure(self, exc: BaseException) -> Failure | None:
        if isinstance(exc, genai_errors.APIError):
            headers = dict(getattr(exc.response, "headers", None) or {})
            if "retry-after" not in {k.lower() for k in headers}:
                if (delay := _retry_delay(exc.details)) is not None:
                    headers["retry-after"] = delay
            return Failure(exc.code, exc.message or str(exc),
                           httpx.Response(exc.code, headers=headers))
        return http_failure(exc)


class GeminiBackend(ProviderBackend):
    """generateContent with a JSON response schema. Build with `from_config()`."""

    name: ClassVar[str] = "gemini"
    codec: ClassVar[GeminiCodec] = GeminiCodec()

    @classmethod
    def from_config(cls, endpoint: Endpoint | None = None, *, model: str | None = None,
                    recorder: Recorder | None = None, **kwargs: Any) -> GeminiBackend:
        """From a Spec's gemini endpoint (GOOGLE_API_KEY or GEMINI_API_KEY,
        GOOGLE_GEMINI_BASE_URL)."""
        api_key = endpoint.api_key if endpoint else ""
        if not api_key and not (recorder and recorder.mode == "replay"):
            raise ConfigurationError("--model gemini/... needs GEMINI_API_KEY")
        return cls(model=model or "", base_url=endpoint.base_url if endpoint else None,
                   api_key=api_key or "not-needed", recorder=recorder, **kwargs)

    def _options(self, **clients: Any) -> genai_types.HttpOptions:
        # retry_options None: the SDK makes one attempt; TransportRetry owns the retries.
        return genai_types.HttpOptions(base_url=self.base_url, timeout=int(self.timeout * 1000),
                                       retry_options=None, **clients)

    def _build(self, http: httpx.AsyncBaseTransport | None) -> Any:
        # Given an httpx async client the SDK uses it, not aiohttp (even when installed).
        client = httpx.AsyncClient(transport=http, timeout=self.timeout)
        return genai.Client(api_key=self.api_key,
                            http_options=self._options(httpx_async_client=client)).aio

    async def _send(self, client: Any, request: Any) -> Any:
        return await cast(Any, client).models.generate_content(**request)  # its AsyncClient
