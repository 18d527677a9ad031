"""The `ollama` backend: Ollama's own /api/chat over plain httpx (no extra needed).

The brief comes back as JSON under `format`, the draft's JSON Schema: Ollama turns it into a
grammar, so the whole pydantic schema goes, bounds included (as the local backend's grammar
does), and pydantic checks the answer on receipt. Usage is `prompt_eval_count` and
`eval_count`; Ollama reports no cache reads.

The endpoint is OLLAMA_HOST, read as the ollama CLI and client read it ("127.0.0.1:11434",
"http://gpu-box", "0.0.0.0" meaning this machine); OLLAMA_API_KEY, when set, is sent as a
bearer token (ollama.com's hosted models).
"""

from __future__ import annotations

from functools import cache
from typing import TYPE_CHECKING, Any, ClassVar, cast
from urllib.parse import urlsplit

import httpx

from ..brief import BriefDraft
from .base import Message, Settings, Usage
from .codec import Failure
from .http import bearer, http_failure, json_client, post_json
from .reask import Answer
from .recording import Recorder
from .remote import ProviderBackend

if TYPE_CHECKING:
    from ..spec import Endpoint

DEFAULT_PORT = 11434


def ollama_url(host: str | None) -> str:
    """OLLAMA_HOST as a base URL: scheme http and port 11434 unless given, 0.0.0.0 (a
    listening address) as 127.0.0.1."""
    host = (host or "").strip()
    scheme, sep, rest = host.partition("://")
    if sep:
        port = 443 if scheme == "https" else 80
    else:
        scheme, rest, port = "http", host, DEFAULT_PORT
    split = urlsplit(f"{scheme}://{rest}")
    hostname = split.hostname or "127.0.0.1"
    hostname = "127.0.0.1" if hostname == "0.0.0.0" else hostname
    hostname = f"[{hostname}]" if ":" in hostname else hostname
    return f"{scheme}://{hostname}:{split.port or port}{split.path.rstrip('/')}"


@cache
def format_schema() -> dict[str, Any]:
    """The draft's JSON Schema as `format`: shared, do not mutate."""
    return BriefDraft.model_json_schema()


class OllamaCodec:
    """/api/chat as data (codec.py): the JSON body; a reply is the HTTP response."""

    decoding = "format"  # the structured-output mode provenance reports

    def request(self, model: str, messages: list[Message], settings: Settings) -> dict[str, Any]:
        return {"model": model, "stream": False, "format": format_schema(),
                "messages": [{"role": m["role"], "content": str(m["content"])}
                             for m in messages],
                "options": {"temperature": settings.temperature,
                            "num_predict": settings.max_tokens, "seed": settings.seed}}

    def answer(self, reply: Any) -> Answer:
        data = cast(httpx.Response, reply).json()
        usage = Usage(prompt_tokens=int(data.get("prompt_eval_count") or 0),
                      completion_tokens=int(data.get("eval_count") or 0), calls=1)
        text = str((data.get("message") or {}).get("content") or "")
        return Answer(text, usage, truncated=data.get("done_reason") == "length")

    def failure(self, exc: BaseException) -> Failure | None:
        return http_failure(exc)  # post_json raised a refusal in Ollama's words


class OllamaBackend(ProviderBackend):
    """Ollama's chat API with a `format` schema. Build with `from_config()`."""

    name: ClassVar[str] = "ollama"
    codec: ClassVar[OllamaCodec] = OllamaCodec()

    @classmethod
    def from_config(cls, endpoint: Endpoint | None = None, *, model: str | None = None,
                    recorder: Recorder | None = None, **kwargs: Any) -> OllamaBackend:
        """From a Spec's ollama endpoint (OLLAMA_HOST as given, OLLAMA_API_KEY)."""
        return cls(model=model or "", base_url=ollama_url(endpoint.base_url if endpoint
                                                          else None),
                   api_key=endpoint.api_key if endpoint else "", recorder=recorder, **kwargs)

    def _build(self, http: httpx.AsyncBaseTransport | None) -> Any:
        return json_client(self.base_url or ollama_url(None), bearer(self.api_key), self.timeout,
                           http)

    async def _send(self, client: Any, request: Any) -> Any:
        return await post_json(client, "/api/chat", request)
