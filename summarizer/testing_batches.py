"""Loopback fakes of two providers' Batch APIs, beside their live endpoints (which count
live calls): OpenAI's Files + Batches and Anthropic's Message Batches.

    with FakeOpenAIBatchServer(line_rates={"500": 0.1}) as server:
        env["OPENAI_BASE_URL"] = server.url     # ANTHROPIC_BASE_URL: FakeAnthropicBatchServer
        ...
    server.live_calls == 0; server.submitted["<custom_id>"] <= 2; server.batches

A batch ends when polled `processing_s` seconds after it was created, never while `hold`
is set. The fate of each line is drawn when its batch is created, in order: `line_script`
first, then seeded `line_rates` ("500": a failed line, "invalid": a 200 whose brief fails
the draft schema), else "ok" (the brief echoes the article's title, as the live fakes do).
`batch_script` gives each new batch's fate: "ok", "expired" or "cancelled" (the first half
of its lines done, the rest never run). Each fake checks what its API checks: OpenAI fails a
batch whose file breaks a rule (one model, the endpoint, unique custom_ids, a strict schema
inside the subset, 50,000 lines, 200 MB); Anthropic answers 400 to a bad custom_id or a
batch over 100,000 requests or 256 MB, and errors a request the live API would refuse.
"""

from __future__ import annotations

import email.parser
import email.policy
import itertools
import json
import random
import re
import threading
import time
from collections import Counter
from dataclasses import dataclass, field
from typing import Any

from .testing import FakeOpenAIServer, _fake_brief
from .testing_providers import _INVALID, Answer, FakeAnthropicServer

_CUSTOM_ID = re.compile(r"^[a-zA-Z0-9_-]{1,64}$")


@dataclass
class _Book:
    """What both fakes keep: batches, the fates of their lines, what was submitted."""

    line_rates: dict[str, float] = field(default_factory=dict)
    line_script: list[str] = field(default_factory=list)
    batch_script: list[str] = field(default_factory=list)
    processing_s: float = 0.0
    hold: bool = False
    line_seed: int = 0
    submitted: Counter[str] = field(default_factory=Counter)  # custom_id -> times
    batches: dict[str, dict[str, Any]] = field(default_factory=dict)
    polls: int = 0

    def _start_book(self) -> None:
        self._rng = random.Random(self.line_seed)
        self._book_lock = threading.Lock()
        self._ids = itertools.count(1)

    def _fate(self) -> str:
        if self.line_script:
            return self.line_script.pop(0)
        roll, acc = self._rng.random(), 0.0
        for name, rate in sorted(self.line_rates.items()):
            acc += rate
            if roll < acc:
                return name
        return "ok"

    def _new_batch(self, prefix: str, lines: list[tuple[str, dict[str, Any]]],
                   **extra: Any) -> dict[str, Any]:
        """`lines`: (custom_id, request body) in order."""
        with self._book_lock:
            batch_id = f"{prefix}_{next(self._ids):04d}"
            fate = self.batch_script.pop(0) if self.batch_script else "ok"
            fates = [self._fate() for _ in lines]
            half = len(lines) // 2
            if fate in ("expired", "cancelled"):
                fates = fates[:half] + [fate] * (len(lines) - half)
            self.submitted.update(cid for cid, _ in lines)
            record = {"id": batch_id, "fate": fate, "created": time.monotonic(),
                      "lines": [(cid, f, body) for (cid, body), f in zip(lines, fates,
                                                                          strict=True)],
                      "ended": False, **extra}
            self.batches[batch_id] = record
            return record

    def _ended(self, record: dict[str, Any]) -> bool:
        with self._book_lock:
            self.polls += 1
            if not record["ended"] and not self.hold and \
                    time.monotonic() - record["created"] >= self.processing_s:
                record["ended"] = True
            return bool(record["ended"])


@dataclass
class FakeOpenAIBatchServer(_Book, FakeOpenAIServer):
    """/v1/files, /v1/batches and /v1/chat/completions (live calls, counted)."""

    files: dict[str, bytes] = field(default_factory=dict)

    def __post_init__(self) -> None:
        FakeOpenAIServer.__post_init__(self)
        self._start_book()

    @property
    def live_calls(self) -> int:
        return sum(1 for r in self.requests if r["path"].endswith("/chat/completions"))

    def _file(self, data: bytes, purpose: str, name: str) -> dict[str, Any]:
        with self._book_lock:
            file_id = f"file-{next(self._ids):04d}"
            self.files[file_id] = data
        return {"id": file_id, "object": "file", "bytes": len(data), "created_at": 0,
                "filename": name, "purpose": purpose, "status": "processed"}

    def upload(self, content_type: str, raw: bytes) -> tuple[int, Any]:
        message = email.parser.BytesParser(policy=email.policy.HTTP).parsebytes(
            f"Content-Type: {content_type}\r\n\r\n".encode() + raw)
        parts: dict[Any, Any] = {p.get_param("name", header="content-disposition"): p
                                 for p in message.iter_parts()}
        if "file" not in parts or "purpose" not in parts:
            return 400, {"error": {"message": "file and purpose are required"}}
        purpose = bytes(parts["purpose"].get_payload(decode=True)).decode()
        data = bytes(parts["file"].get_payload(decode=True))
        return 200, self._file(data, purpose, parts["file"].get_filename() or "upload")

    def _problem(self, data: bytes) -> str | None:
        lines = [json.loads(t) for t in data.splitlines() if t.strip()]
        if len(lines) > 50_000 or len(data) > 200_000_000:
            return "the file is over 50,000 requests or 200 MB"
        ids = [row.get("custom_id") for row in lines]
        if len(set(ids)) != len(ids) or not all(ids):
            return "custom_id values must be unique and present"
        if len({row.get("body", {}).get("model") for row in lines}) != 1:
            return "all requests of a batch must use the same model"
        for n, row in enumerate(lines, 1):
            if row.get("method") != "POST" or row.get("url") != "/v1/chat/completions":
                return f"line {n}: method POST and url /v1/chat/completions expected"
            rf = row["body"].get("response_format") or {}
            js = rf.get("json_schema") or {}
            if rf.get("type") == "json_schema" and (refused := self._refusal(js)):
                return f"line {n}: {json.loads(refused[1])['error']['message']}"
        return None

    def create(self, body: dict[str, Any]) -> tuple[int, Any]:
        data = self.files.get(str(body.get("input_file_id")))
        if data is None or body.get("endpoint") != "/v1/chat/completions" \
                or body.get("completion_window") != "24h":
            return 400, {"error": {"message": "input_file_id, endpoint or window invalid"}}
        problem = self._problem(data)
        rows = [] if problem else [json.loads(t) for t in data.splitlines() if t.strip()]
        record = self._new_batch("batch", [(r["custom_id"], r["body"]) for r in rows],
                                 input_file_id=body["input_file_id"], problem=problem)
        return 200, self._batch(record)

    def _batch(self, record: dict[str, Any]) -> dict[str, Any]:
        ended = self._ended(record)
        status = "failed" if record["problem"] else "in_progress"
        if ended and not record["problem"]:
            status = {"ok": "completed"}.get(record["fate"], record["fate"])
            if "output_file_id" not in record:
                self._write_results(record)
        counts = Counter(f for _, f, _ in record["lines"])
        failed = counts["500"] + counts["expired"] + counts["cancelled"] if ended else 0
        return {"id": record["id"], "object": "batch", "endpoint": "/v1/chat/completions",
                "errors": {"object": "list", "data": [{"code": "invalid_request", "line": 1,
                                                       "message": record["problem"]}]}
                if record["problem"] else None,
                "input_file_id": record["input_file_id"], "completion_window": "24h",
                "status": status, "output_file_id": record.get("output_file_id"),
                "error_file_id": record.get("error_file_id"), "created_at": 0,
                "request_counts": {"total": len(record["lines"]),
                                   "completed": len(record["lines"]) - failed if ended else 0,
                                   "failed": failed}, "metadata": {}}

    def _write_results(self, record: dict[str, Any]) -> None:
        out: list[str] = []
        errors: list[str] = []
        for n, (cid, fate, body) in enumerate(record["lines"]):
            row: dict[str, Any] = {"id": f"batch_req_{n}", "custom_id": cid, "error": None}
            if fate in ("expired", "cancelled"):
                row["response"] = None
                row["error"] = {"code": f"batch_{fate}", "message": "This request was not run."}
            elif fate == "500":
                row["response"] = {"status_code": 500, "request_id": f"req_{n}", "body": {
                    "error": {"message": "The server had an error processing your request.",
                              "type": "server_error"}}}
            else:
                row["response"] = {"status_code": 200, "request_id": f"req_{n}",
                                   "body": self._completion(body, fate == "invalid")}
            (out if fate in ("ok", "invalid") else errors).append(json.dumps(row))
        for key, rows in (("output_file_id", out), ("error_file_id", errors)):
            if rows:
                record[key] = self._file("\n".join(rows).encode() + b"\n", "batch_output",
                                         "results.jsonl")["id"]

    def get(self, path: str) -> tuple[int, Any]:
        path = path.split("?")[0]
        if path.endswith("/batches"):
            return 200, {"object": "list", "data": [], "has_more": False}
        if m := re.search(r"/batches/([^/]+)$", path):
            record = self.batches.get(m.group(1))
            return (200, self._batch(record)) if record else (404, {"error": {
                "message": "No batch found"}})
        if (m := re.search(r"/files/([^/]+)/content$", path)) and m.group(1) in self.files:
            return 200, self.files[m.group(1)]
        return 404, {"error": {"message": f"unknown path {path}"}}

    def _handler(self) -> Any:
        fake, base = self, super()._handler()

        class Handler(base):  # type: ignore[valid-type, misc]
            def _reply(self, status: int, payload: Any) -> None:
                data = payload if isinstance(payload, bytes) else json.dumps(payload).encode()
                self._send(status, data)

            def do_GET(self) -> None:  # noqa: N802 - http.server's naming
                self._reply(*fake.get(self.path))

            def do_POST(self) -> None:  # noqa: N802
                if not self.path.endswith(("/files", "/batches")):
                    super().do_POST()  # a live call
                    return
                raw = self.rfile.read(int(self.headers.get("Content-Length", 0)))
                if self.path.endswith("/files"):
                    return self._reply(*fake.upload(self.headers["Content-Type"], raw))
                return self._reply(*fake.create(json.loads(raw or b"{}")))

        return Handler


@dataclass
class FakeAnthropicBatchServer(_Book, FakeAnthropicServer):
    """/v1/messages/batches (create, retrieve, results) and /v1/messages (live, counted)."""

    def __post_init__(self) -> None:
        FakeAnthropicServer.__post_init__(self)
        self._start_book()

    @property
    def live_calls(self) -> int:
        return sum(1 for r in self.requests if r["path"].endswith("/v1/messages"))

    def answer(self, path: str, headers: dict[str, str], body: dict[str, Any]) -> Answer:
        if not path.endswith("/v1/messages/batches"):
            return super().answer(path, headers, body)
        requests = body.get("requests")
        if not isinstance(requests, list) or not requests:
            return self.error("400", "requests: a non-empty list is required")
        if len(requests) > 100_000 or int(headers.get("Content-Length", 0)) > 256_000_000:
            return self.error("400", "a batch holds at most 100,000 requests and 256 MB")
        ids = [r.get("custom_id") for r in requests]
        if len(set(ids)) != len(ids) or not all(_CUSTOM_ID.match(str(i)) for i in ids):
            return self.error("400", "custom_id: unique, 1-64 of [a-zA-Z0-9_-]")
        record = self._new_batch("msgbatch", [(r["custom_id"], r.get("params") or {})
                                              for r in requests], root=self.root)
        return 200, self._batch(record), {}

    def _batch(self, record: dict[str, Any]) -> dict[str, Any]:
        ended = self._ended(record)
        counts = Counter(f for _, f, _ in record["lines"])
        bad = counts["500"]
        return {"id": record["id"], "type": "message_batch",
                "processing_status": "ended" if ended else "in_progress",
                "request_counts": {
                    "processing": 0 if ended else len(record["lines"]),
                    "succeeded": len(record["lines"]) - bad - counts["expired"]
                    - counts["cancelled"] if ended else 0, "errored": bad if ended else 0,
                    "canceled": counts["cancelled"] if ended else 0,
                    "expired": counts["expired"] if ended else 0},
                "ended_at": "2026-01-01T00:00:00Z" if ended else None,
                "created_at": "2026-01-01T00:00:00Z", "expires_at": "2026-01-02T00:00:00Z",
                "cancel_initiated_at": None, "archived_at": None,
                "results_url": f"{record['root']}/v1/messages/batches/{record['id']}/results"
                if ended else None}

    def _result(self, fate: str, params: dict[str, Any]) -> dict[str, Any]:
        why = self.problem("/v1/messages", params)
        if fate == "500" or why:
            kind, message = ("invalid_request_error", why) if why else \
                ("api_error", "Internal server error")
            return {"type": "errored", "error": {"type": "error", "error": {
                "type": kind, "message": message}}}
        if fate in ("expired", "cancelled"):
            return {"type": "expired" if fate == "expired" else "canceled"}
        brief = _INVALID if fate == "invalid" else \
            (self.brief_fn or _fake_brief)(self.messages(params))
        return {"type": "succeeded", "message": self.ok(params, brief, False)}

    def get(self, path: str) -> tuple[int, bytes]:
        found = re.search(r"/v1/messages/batches/([^/]+?)(/results)?$", path.split("?")[0])
        record = self.batches.get(found.group(1)) if found else None
        if record is None:
            return 404, json.dumps(self.error("404", "not found")[1]).encode()
        if not found or not found.group(2):
            return 200, json.dumps(self._batch(record)).encode()
        rows = [{"custom_id": cid, "result": self._result(fate, params)}
                for cid, fate, params in record["lines"]]
        return 200, "".join(json.dumps(r) + "\n" for r in rows).encode()

    def _handler(self) -> Any:
        fake, base = self, super()._handler()

        class Handler(base):  # type: ignore[valid-type, misc]
            def do_GET(self) -> None:  # noqa: N802 - http.server's naming
                status, data = fake.get(self.path)
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

        return Handler
