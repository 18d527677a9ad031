"""Loopback fakes of three providers' APIs, with their error shapes: Anthropic's Messages API,
Gemini's generateContent and Ollama's /api/chat. Library code, like testing.py's
FakeOpenAIServer, so tests and demos share them.

    with FakeAnthropicServer(script=["429:7", "overload", "ok"]) as server:
        env["ANTHROPIC_BASE_URL"] = server.url

Scripted answers, in arrival order, then "ok" for good:
  429[:N]    rate limited, retry after N seconds (Gemini says it as RetryInfo in the body)
  overload   Anthropic's 529 overloaded_error, Gemini's 503 UNAVAILABLE, Ollama's 503 busy
  500        a server error;  400  an invalid request;  hang  no answer for `hang_seconds`
  invalid    a 200 whose brief fails the draft schema
  truncated  a 200 cut off at the token limit (max_tokens / MAX_TOKENS / length)
Each fake also checks a request as its API does, answering 400 in its own shape: Anthropic
wants max_tokens, no system turn among the messages, the forced tool among the tools and its
input_schema inside the structured-output subset; Gemini wants JSON output with a
responseJsonSchema inside its documented subset (nothing beside a $ref); Ollama wants
`stream: false` and an object schema as `format`. Answers are gzip-compressed when the
client accepts it, as the real APIs' are. Loopback only; stops with the context manager.
"""

from __future__ import annotations

import gzip
import json
import threading
import time
from collections import Counter
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

from .testing import _fake_brief

Answer = tuple[int, Any, dict[str, str]]  # status, JSON body, headers
_INVALID = {"headline": 42, "casualties": "many"}  # fails the draft schema


def _nodes(schema: Any, path: str = "") -> Iterator[tuple[str, dict[str, Any]]]:
    """Every sub-schema with where it is (property and $defs names are names, not schemas)."""
    if not isinstance(schema, dict):
        return
    yield path, schema
    for key, value in schema.items():
        if key in ("properties", "$defs") and isinstance(value, dict):
            for name, sub in value.items():
                yield from _nodes(sub, f"{path}.{key}.{name}")
        elif key in ("items", "additionalProperties", "not"):
            yield from _nodes(value, f"{path}.{key}")
        elif key in ("anyOf", "allOf", "oneOf", "prefixItems") and isinstance(value, list):
            for i, sub in enumerate(value):
                yield from _nodes(sub, f"{path}.{key}.{i}")


def schema_problems(schema: Any, allowed: frozenset[str]) -> list[str]:
    """Keywords outside `allowed`, each with where it is."""
    return [f"{where or '(root)'}: '{key}' is not supported" for where, node in _nodes(schema)
            for key in node if key not in allowed]


@dataclass
class _FakeAPI:
    """The shared server: scripted faults, a log of requests, loopback HTTP with gzip."""

    script: list[str] = field(default_factory=list)
    hang_seconds: float = 30.0
    requests: list[dict[str, Any]] = field(default_factory=list)  # path, headers, body, fault
    served: Counter[str] = field(default_factory=Counter)
    # What an answer holds, from the request's messages (default: a small valid brief).
    brief_fn: Callable[[list[dict[str, Any]]], dict[str, Any]] | None = None

    def __post_init__(self) -> None:
        self._lock = threading.Lock()
        self._httpd: ThreadingHTTPServer | None = None

    @property
    def root(self) -> str:
        assert self._httpd is not None, "server not started"
        return f"http://127.0.0.1:{self._httpd.server_address[1]}"

    # -- what each API writes ----------------------------------------------------------

    def problem(self, path: str, body: dict[str, Any]) -> str | None:
        raise NotImplementedError

    def error(self, kind: str, arg: str) -> Answer:
        raise NotImplementedError

    def ok(self, body: dict[str, Any], brief: dict[str, Any], truncated: bool) -> Any:
        raise NotImplementedError

    def messages(self, body: dict[str, Any]) -> list[dict[str, Any]]:
        return list(body.get("messages") or [])

    # -- the shared part -----------------------------------------------------------------

    def answer(self, path: str, headers: dict[str, str], body: dict[str, Any]) -> Answer:
        why = self.problem(path, body)
        with self._lock:
            fault = "rejected" if why else (self.script.pop(0) if self.script else "ok")
            self.served[fault.partition(":")[0]] += 1
            self.requests.append({"path": path, "headers": headers, "body": body,
                                  "fault": fault, "t": time.monotonic()})
        if why:
            return self.error("400", why)
        kind, _, arg = fault.partition(":")
        if kind == "hang":
            time.sleep(self.hang_seconds)
            kind = "500"
        if kind in ("ok", "invalid", "truncated"):
            brief = _INVALID if kind == "invalid" else \
                (self.brief_fn or _fake_brief)(self.messages(body))
            return 200, self.ok(body, brief, kind == "truncated"), {}
        return self.error(kind, arg)

    def _handler(self) -> type[BaseHTTPRequestHandler]:
        fake = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, *args: Any) -> None:  # keep test output clean
                pass

            def do_POST(self) -> None:  # noqa: N802 - http.server's naming
                raw = self.rfile.read(int(self.headers.get("Content-Length", 0)))
                try:
                    body = json.loads(raw or b"{}")
                except ValueError:
                    body = {}
                status, payload, headers = fake.answer(self.path, dict(self.headers), body)
                data = json.dumps(payload).encode()
                gzipped = "gzip" in self.headers.get("Accept-Encoding", "")
                data = gzip.compress(data) if gzipped else data
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                if gzipped:
                    self.send_header("Content-Encoding", "gzip")
                for key, value in headers.items():
                    self.send_header(key, value)
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

        return Handler

    def start(self) -> Any:
        self._httpd = ThreadingHTTPServer(("127.0.0.1", 0), self._handler())
        self._httpd.daemon_threads = True
        # serve_forever's default poll of 0.5 s is what stop() waits out; a fake stops at once
        threading.Thread(target=self._httpd.serve_forever, kwargs={"poll_interval": 0.02},
                         daemon=True).start()
        return self

    def stop(self) -> None:
        if self._httpd is not None:
            self._httpd.shutdown()
            self._httpd.server_close()

    def __enter__(self) -> Any:
        return self.start()

    def __exit__(self, *exc: Any) -> None:
        self.stop()


# Anthropic's structured outputs ("JSON Schema limitations"): no string lengths, no numeric
# bounds, minItems only 0 or 1, objects closed.
ANTHROPIC_KEYWORDS = frozenset({"type", "description", "title", "enum", "const", "anyOf",
                                "allOf", "$ref", "$defs", "definitions", "properties",
                                "required", "additionalProperties", "items", "format",
                                "default", "minItems"})


@dataclass
class FakeAnthropicServer(_FakeAPI):
    """POST /v1/messages. `url` is what ANTHROPIC_BASE_URL takes."""

    @property
    def url(self) -> str:
        return self.root

    def problem(self, path: str, body: dict[str, Any]) -> str | None:
        if not path.endswith("/v1/messages"):
            return f"unknown path {path}"
        if not isinstance(body.get("max_tokens"), int):
            return "max_tokens: Field required"
        if any(m.get("role") not in ("user", "assistant") for m in self.messages(body)):
            return "messages: Unexpected role \"system\". Use the top-level `system` parameter"
        tools = {t.get("name"): t for t in body.get("tools") or []}
        choice = body.get("tool_choice") or {}
        if choice.get("type") == "tool" and choice.get("name") not in tools:
            return f"tool_choice: tool {choice.get('name')!r} not found in tools"
        for name, one in tools.items():
            schema = one.get("input_schema")
            problems = schema_problems(schema, ANTHROPIC_KEYWORDS)
            problems += [f"{w}: minItems must be 0 or 1" for w, n in _nodes(schema)
                         if n.get("minItems", 0) > 1]
            if problems:
                return f"tools.{name}.custom.input_schema: {problems[0]}"
        return None

    def error(self, kind: str, arg: str) -> Answer:
        status, kind_name, message, headers = {
            "429": (429, "rate_limit_error", "Number of request tokens has exceeded your "
                    "per-minute rate limit", {"retry-after": arg or "1"}),
            "overload": (529, "overloaded_error", "Overloaded", {}),
            "500": (500, "api_error", "Internal server error", {}),
        }.get(kind, (400, "invalid_request_error", arg or "invalid request", {}))
        return status, {"type": "error", "error": {"type": kind_name, "message": message},
                        "request_id": "req_fake"}, {"request-id": "req_fake", **headers}

    def ok(self, body: dict[str, Any], brief: dict[str, Any], truncated: bool) -> Any:
        name = (body.get("tool_choice") or {}).get("name", "BriefDraft")
        content = [] if truncated else [{"type": "tool_use", "id": "toolu_fake", "name": name,
                                         "input": brief}]
        return {"id": "msg_fake", "type": "message", "role": "assistant",
                "model": body.get("model"), "content": content,
                "stop_reason": "max_tokens" if truncated else "tool_use", "stop_sequence": None,
                "usage": {"input_tokens": 60, "cache_read_input_tokens": 40,
                          "cache_creation_input_tokens": 0, "output_tokens": 50}}


GEMINI_KEYWORDS = frozenset({"$id", "$defs", "$ref", "$anchor", "type", "format", "title",
                             "description", "enum", "items", "prefixItems", "minItems",
                             "maxItems", "minimum", "maximum", "anyOf", "oneOf", "properties",
                             "additionalProperties", "required", "propertyOrdering"})


@dataclass
class FakeGeminiServer(_FakeAPI):
    """POST /v1beta/models/MODEL:generateContent. `url` is what GOOGLE_GEMINI_BASE_URL takes."""

    @property
    def url(self) -> str:
        return self.root

    def messages(self, body: dict[str, Any]) -> list[dict[str, Any]]:
        return [{"role": c.get("role"), "content": "".join(p.get("text", "")
                                                           for p in c.get("parts") or [])}
                for c in body.get("contents") or []]

    def problem(self, path: str, body: dict[str, Any]) -> str | None:
        if not path.split("?")[0].endswith(":generateContent"):
            return f"unknown path {path}"
        config = body.get("generationConfig") or {}
        schema = config.get("responseJsonSchema")
        if config.get("responseMimeType") != "application/json" or schema is None:
            return "responseMimeType application/json with a responseJsonSchema expected"
        problems = schema_problems(schema, GEMINI_KEYWORDS)
        problems += [f"{w}: no other keyword may stand beside $ref" for w, n in _nodes(schema)
                     if "$ref" in n and any(not k.startswith("$") for k in n)]
        if problems:
            return f"Invalid JSON payload received. generation_config.response_json_schema " \
                   f"{problems[0]}"
        return None

    def error(self, kind: str, arg: str) -> Answer:
        status, name, message = {
            "429": (429, "RESOURCE_EXHAUSTED", "Resource has been exhausted (e.g. check quota)."),
            "overload": (503, "UNAVAILABLE", "The model is overloaded. Please try again later."),
            "500": (500, "INTERNAL", "An internal error has occurred."),
        }.get(kind, (400, "INVALID_ARGUMENT", arg or "Request contains an invalid argument."))
        error: dict[str, Any] = {"code": status, "message": message, "status": name}
        if kind == "429":
            error["details"] = [{"@type": "type.googleapis.com/google.rpc.RetryInfo",
                                 "retryDelay": f"{arg or '1'}s"}]
        return status, {"error": error}, {}

    def ok(self, body: dict[str, Any], brief: dict[str, Any], truncated: bool) -> Any:
        text = json.dumps(brief)
        return {"candidates": [{"content": {"role": "model", "parts": [
                    {"text": text[: len(text) // 2] if truncated else text}]},
                    "finishReason": "MAX_TOKENS" if truncated else "STOP", "index": 0}],
                "usageMetadata": {"promptTokenCount": 100, "cachedContentTokenCount": 40,
                                  "candidatesTokenCount": 45, "thoughtsTokenCount": 5,
                                  "totalTokenCount": 150},
                "modelVersion": "fake", "responseId": "fake"}


@dataclass
class FakeOllamaServer(_FakeAPI):
    """POST /api/chat. `host` is what OLLAMA_HOST takes."""

    @property
    def host(self) -> str:
        return self.root

    def problem(self, path: str, body: dict[str, Any]) -> str | None:
        if path != "/api/chat":
            return f"unknown path {path}"
        if body.get("stream") is not False:
            return "this fake answers only stream: false"
        fmt = body.get("format")
        if not (fmt == "json" or (isinstance(fmt, dict) and fmt.get("type") == "object")):
            return "invalid format: expected \"json\" or a JSON schema"
        return None

    def error(self, kind: str, arg: str) -> Answer:
        if kind == "429":
            return 429, {"error": "too many requests"}, {"retry-after": arg or "1"}
        if kind == "overload":
            return 503, {"error": "server busy, please try again.  maximum pending requests "
                         "exceeded"}, {}
        if kind == "500":
            return 500, {"error": "llama runner process has terminated"}, {}
        return 400, {"error": arg or "invalid request"}, {}

    def ok(self, body: dict[str, Any], brief: dict[str, Any], truncated: bool) -> Any:
        text = json.dumps(brief)
        return {"model": body.get("model"), "created_at": "2025-01-01T00:00:00Z",
                "message": {"role": "assistant",
                            "content": text[: len(text) // 2] if truncated else text},
                "done": True, "done_reason": "length" if truncated else "stop",
                "prompt_eval_count": 100, "eval_count": 50}
