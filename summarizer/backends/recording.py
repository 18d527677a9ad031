"""Record and replay at the chat-completions seam, around any LLM backend.

One JSON file per call under the recordings folder, named by the call key: a hash of the
canonical request (backend, model, messages, wire schema, decoding parameters). A changed
prompt or schema changes the key, so a stale recording is a loud miss, never a silent reuse.
Recordings hold the request without secrets, the raw response and provenance. Only real
backend calls are written here; hand-made fixtures live in tests/fixtures.
"""

from __future__ import annotations

import datetime as _dt
import hashlib
import json
import platform
from collections.abc import Sequence
from dataclasses import dataclass, field
from importlib import metadata
from pathlib import Path
from typing import Any, Literal

import httpx

from ..atomic import atomic_write_text
from ..errors import ConfigurationError, ReplayMissError

RecordMode = Literal["record", "replay"]
DEFAULT_DIR = Path("evals") / "recordings"
# Never written: anything that authenticates or identifies an account.
_SECRET_HEADERS = {"authorization", "api-key", "x-api-key", "openai-organization",
                   "openai-project", "cookie", "set-cookie", "proxy-authorization"}
_KEPT_RESPONSE_HEADERS = {"content-type", "retry-after", "x-request-id"}
# The body handed on is decoded already: headers about its encoding would decode it twice.
_ENCODING_HEADERS = {"content-encoding", "content-length", "transfer-encoding"}


def _versions() -> dict[str, str]:
    out = {"python": platform.python_version()}
    for dist in ("summarizer", "openai", "instructor", "anthropic", "google-genai",
                 "llama-cpp-python", "pydantic"):
        try:
            out[dist] = metadata.version(dist)
        except metadata.PackageNotFoundError:
            continue
    return out


def canonical(request: dict[str, Any]) -> str:
    return json.dumps(request, sort_keys=True, separators=(",", ":"), ensure_ascii=False)


def call_key(request: dict[str, Any]) -> str:
    """The call key: sha256 of the canonical request, shortened (collisions are not a risk
    at corpus sizes, and short names keep the folder readable)."""
    return hashlib.sha256(canonical(request).encode()).hexdigest()[:24]


def _scrub(obj: Any, secrets: list[str]) -> Any:
    """Remove any known secret value wherever it appears (defense in depth)."""
    if isinstance(obj, str):
        for s in secrets:
            obj = obj.replace(s, "[REDACTED]")
        return obj
    if isinstance(obj, dict):
        return {k: _scrub(v, secrets) for k, v in obj.items()}
    if isinstance(obj, list):
        return [_scrub(v, secrets) for v in obj]
    return obj


@dataclass
class Recorder:
    """Looks up and writes recordings in one folder."""

    directory: Path
    mode: RecordMode
    backend: str
    rerecord_hint: str = "summarizer run ARTICLE --backend BACKEND --record"
    extra_provenance: dict[str, Any] = field(default_factory=dict)
    # Values no recording may hold (API keys: Spec.secrets()), replaced wherever they appear.
    secrets: Sequence[str] = field(default=(), repr=False)
    hits: int = 0
    written: int = 0

    def __post_init__(self) -> None:
        self.directory = Path(self.directory)
        if self.mode not in ("record", "replay"):
            raise ConfigurationError(f"recording mode must be record or replay, not {self.mode!r}")

    def path(self, key: str) -> Path:
        return self.directory / f"{key}.json"

    def replay(self, request: dict[str, Any]) -> dict[str, Any]:
        """The recorded response for a request, or a loud miss naming the re-record command."""
        key = call_key(request)
        path = self.path(key)
        if not path.is_file():
            raise ReplayMissError(key, str(self.directory), self.rerecord_hint)
        self.hits += 1
        return dict(json.loads(path.read_text(encoding="utf-8"))["response"])

    def record(self, request: dict[str, Any], response: dict[str, Any], *,
               model: str, mode: str | None) -> Path:
        """Write one call: request (no secrets), raw response, provenance. Atomic."""
        secrets = [s for s in self.secrets if s]
        key = call_key(request)
        doc = {
            "key": key,
            "provenance": {
                "backend": self.backend,
                "model": model,
                "mode": mode,
                "recorded_at": _dt.datetime.now(_dt.UTC).isoformat(timespec="seconds"),
                "versions": _versions(),
                **self.extra_provenance,
            },
            "request": _scrub(request, secrets),
            "response": _scrub(response, secrets),
        }
        atomic_write_text(self.path(key),
                          json.dumps(doc, indent=1, ensure_ascii=False, sort_keys=True) + "\n")
        self.written += 1
        return self.path(key)

    def recorded_modes(self, model: str) -> set[str]:
        """Structured-output modes found in recordings of this backend and model."""
        modes: set[str] = set()
        for path in sorted(self.directory.glob("*.json")):
            try:
                prov = json.loads(path.read_text(encoding="utf-8"))["provenance"]
            except (OSError, ValueError, KeyError):
                continue
            if prov.get("backend") == self.backend and prov.get("model") == model:
                if prov.get("mode"):
                    modes.add(str(prov["mode"]))
        return modes


# --- the HTTP seam for the openai SDK ---------------------------------------------------------


def http_request_key(request: httpx.Request) -> dict[str, Any]:
    """The canonical form of an HTTP request: path and JSON body, never host or headers
    (a recording made against 127.0.0.1:8001 replays against any base URL)."""
    try:
        body = json.loads(request.content or b"{}")
    except ValueError:
        body = request.content.decode("utf-8", "replace")
    path = request.url.path
    for prefix in ("/v1/", "/openai/v1/"):
        if prefix in path:
            path = "/" + path.split(prefix, 1)[1]
    return {"method": request.method, "path": path, "body": body}


class _Seam:
    def __init__(self, recorder: Recorder, model: str, mode: str | None) -> None:
        self.recorder = recorder
        self.model = model
        self.mode = mode

    def _replayed(self, request: httpx.Request) -> httpx.Response:
        resp = self.recorder.replay(http_request_key(request))
        return httpx.Response(resp["status"], headers=resp.get("headers", {}),
                              content=json.dumps(resp["body"]).encode(), request=request)

    def _passed_on(self, request: httpx.Request, response: httpx.Response,
                   content: bytes) -> httpx.Response:
        """The answer as the client gets it: the decoded body, without encoding headers
        (a gzip-compressed answer from a real API read once, not twice)."""
        headers = [(k, v) for k, v in response.headers.multi_items()
                   if k.lower() not in _ENCODING_HEADERS]
        return httpx.Response(response.status_code, headers=headers, content=content,
                              request=request)

    def _save(self, request: httpx.Request, response: httpx.Response, content: bytes) -> None:
        if response.status_code >= 400:
            return  # transient failures are not recorded; only what the model answered
        try:
            body: Any = json.loads(content)
        except ValueError:
            body = content.decode("utf-8", "replace")
        headers = {k: v for k, v in response.headers.items()
                   if k.lower() in _KEPT_RESPONSE_HEADERS and k.lower() not in _SECRET_HEADERS}
        self.recorder.record(http_request_key(request),
                             {"status": response.status_code, "headers": headers, "body": body},
                             model=self.model, mode=self.mode)


class RecordingTransport(httpx.BaseTransport, _Seam):
    """httpx transport that records real calls or replays them without touching the network."""

    def __init__(self, recorder: Recorder, model: str, mode: str | None,
                 inner: httpx.BaseTransport | None = None) -> None:
        _Seam.__init__(self, recorder, model, mode)
        self.inner = inner or httpx.HTTPTransport()

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        if self.recorder.mode == "replay":
            return self._replayed(request)
        response = self.inner.handle_request(request)
        content = response.read()
        self._save(request, response, content)
        return self._passed_on(request, response, content)

    def close(self) -> None:
        self.inner.close()


class AsyncRecordingTransport(httpx.AsyncBaseTransport, _Seam):
    def __init__(self, recorder: Recorder, model: str, mode: str | None,
                 inner: httpx.AsyncBaseTransport | None = None) -> None:
        _Seam.__init__(self, recorder, model, mode)
        self.inner = inner or httpx.AsyncHTTPTransport()

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        if self.recorder.mode == "replay":
            return self._replayed(request)
        response = await self.inner.handle_async_request(request)
        content = await response.aread()
        self._save(request, response, content)
        return self._passed_on(request, response, content)

    async def aclose(self) -> None:
        await self.inner.aclose()
