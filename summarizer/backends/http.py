"""HTTP for the remote backends: the client of a provider spoken to as JSON (openai's chat
completions, ollama's /api/chat), the bridge that puts an httpx transport (the record/replay
seam, a test's) behind an httpx2 client, and the errors of both read as one `Failure`.

The client is httpx2's, as the openai and anthropic SDKs' are: httpcore's pool (httpx) walks
every waiting request on each one that ends, which at concurrency 64 cost a run ~6 ms of CPU
an article; httpcore2's does not. The openai SDK itself is not on this path: its import costs
a run's start 0.85 s of CPU, more than a thousand briefs' own requests take (issue 32,
docs/benchmarks.md). Exception classes carry the same names in both libraries, so one
reading serves both families.
"""

from __future__ import annotations

import json
import ssl
from functools import cache
from typing import Any

import httpx
import httpx2

from .._version import __version__
from .codec import Failure

__all__ = ["Bridge", "bearer", "checked", "error_message", "http_failure", "is_http_error",
           "json_client", "own_pool", "post_json", "status_of", "tls"]

# The openai SDK's pool limits: at concurrency 64 every connection is kept alive.
LIMITS = httpx2.Limits(max_connections=1000, max_keepalive_connections=100)
_JSON = {"Content-Type": "application/json"}
_DROPPED_HEADERS = {"content-encoding", "content-length", "transfer-encoding"}
_FAMILIES = (httpx, httpx2)


class Bridge(httpx2.AsyncBaseTransport):
    """httpx2 in front, an httpx transport behind (the recording seam, a test's fake); bodies
    are read whole, and a transport error comes out as httpx2's of the same name."""

    def __init__(self, inner: httpx.AsyncBaseTransport) -> None:
        self.inner = inner

    async def handle_async_request(self, request: httpx2.Request) -> httpx2.Response:
        try:
            response = await self.inner.handle_async_request(httpx.Request(
                request.method, str(request.url), headers=request.headers.raw,
                content=request.content, extensions=dict(request.extensions)))
            content = await response.aread()
        except httpx.TransportError as exc:
            kind = getattr(httpx2, type(exc).__name__, httpx2.TransportError)
            raise kind(str(exc), request=request) from exc
        headers = [(k, v) for k, v in response.headers.multi_items()
                   if k.lower() not in _DROPPED_HEADERS]  # the content is decoded already
        return httpx2.Response(response.status_code, headers=headers, content=content,
                               request=request)

    async def aclose(self) -> None:
        await self.inner.aclose()


@cache
def tls() -> ssl.SSLContext:
    """The one TLS context of this process's clients, as httpx2 makes it by default (the
    system's certificates, SSL_CERT_FILE/SSL_CERT_DIR honoured): each client made its own,
    ~17 ms of CPU apiece (a run makes two, the probe's and the briefs')."""
    return httpx2.create_ssl_context()


def own_pool(transport: httpx.AsyncBaseTransport | None) -> dict[str, Any]:
    """An httpx2 client's transport arguments: the bridge to `transport`, or httpx2's own
    pool under the process's TLS context."""
    return {"transport": Bridge(transport)} if transport is not None else {"verify": tls()}


def json_client(base_url: str, headers: dict[str, str], timeout: float,
                transport: httpx.AsyncBaseTransport | None) -> httpx2.AsyncClient:
    """The client of a provider whose wire is a POST of the body its codec built."""
    return httpx2.AsyncClient(base_url=base_url, timeout=timeout, limits=LIMITS,
                              headers={"User-Agent": f"summarizer/{__version__}", **headers},
                              **own_pool(transport))


def bearer(api_key: str, extra: tuple[tuple[str, str], ...] = ()) -> dict[str, str]:
    """The key as a bearer token (none when there is no key), and the account's headers
    (OpenAI-Organization, OpenAI-Project)."""
    return {**({"Authorization": f"Bearer {api_key}"} if api_key else {}), **dict(extra)}


async def post_json(client: httpx2.AsyncClient, path: str, body: Any) -> httpx2.Response:
    """POST `body` as JSON; a refusal is raised in the server's words (`checked`)."""
    return checked(await client.post(path, content=json.dumps(body).encode(), headers=_JSON))


def error_message(response: httpx.Response | httpx2.Response) -> str:
    """The server's own words for a refusal: `{"error": {"message": ...}}` (OpenAI's shape,
    which compatible servers copy), `{"error": "..."}` or `{"message": ...}`, else the start
    of its body."""
    try:
        body = response.json()
    except ValueError:
        body = None
    if isinstance(body, dict):
        error = body.get("error", body)
        if isinstance(error, dict) and isinstance(error.get("message"), str):
            return str(error["message"])
        if isinstance(error, str):
            return error
    return " ".join(response.text.split())[:300] or response.reason_phrase


def checked(response: httpx2.Response) -> httpx2.Response:
    """The response, or an `HTTPStatusError` in the server's words when it refused."""
    if response.is_success:
        return response
    raise httpx2.HTTPStatusError(error_message(response), request=response.request,
                                 response=response)


def status_of(exc: BaseException | None) -> int | None:
    """The HTTP status an error carries: its own (ours, an SDK's) or its response's."""
    status = getattr(exc, "status_code", None)
    if status is None and isinstance(exc, httpx.HTTPStatusError | httpx2.HTTPStatusError):
        status = exc.response.status_code
    return status if isinstance(status, int) else None


def http_failure(exc: BaseException) -> Failure | None:
    """An HTTP error of either family (a refusal read by `checked`, a timeout, a connection
    that failed) as a Failure; None for anything else."""
    for lib in _FAMILIES:
        if isinstance(exc, lib.HTTPStatusError):
            return Failure(exc.response.status_code, str(exc), exc.response)
        if isinstance(exc, lib.TimeoutException):
            return Failure(None, "timed out", timeout=True)
        if isinstance(exc, lib.TransportError):
            return Failure(None, str(exc) or type(exc).__name__)
    return None


def is_http_error(exc: BaseException) -> bool:
    """An error of either HTTP family (what an SDK-less client raises)."""
    return isinstance(exc, httpx.HTTPError | httpx2.HTTPError)
