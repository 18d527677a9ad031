"""OpenAI's Batch API: one JSONL file of /v1/chat/completions requests uploaded (Files,
purpose "batch"), one batch created on it (24 h window), polled, and its output and error
files downloaded. Each line is the body a live call sends (the live backend's OpenAICodec:
strict json_schema named BriefDraft unless --mode says otherwise), and each answer is read by
the same codec through the one re-ask loop (reask.py), whose re-ask turns the retry carries.

Limits (platform.openai.com/docs/guides/batch): 50,000 requests and 200 MB a file.

For a server other than api.openai.com, `check` asks GET /batches first: an
OpenAI-compatible server without the Batch API (vLLM, llama.cpp, most proxies) is refused in
one line. Nothing here calls /chat/completions, so the mode is never probed: the strict
json_schema a batch on OpenAI takes, or the --mode given.
"""

from __future__ import annotations

import json
from collections.abc import Awaitable, Callable, Iterator
from typing import Any, ClassVar, Literal, TypeVar, cast

import httpx
import openai

from ..backends.base import Message, Settings
from ..backends.openai import OpenAIBackend, OpenAICodec, is_openai_host
from ..errors import BackendError, ConfigurationError
from .base import BatchProvider, Outcome, Status, answered

T = TypeVar("T")
ENDPOINT: Literal["/v1/chat/completions"] = "/v1/chat/completions"
ENDED = ("completed", "expired", "cancelled", "failed")
_FINAL = {"batch_expired": "expired before this request ran (the 24 h window)",
          "batch_cancelled": "was cancelled before this request ran"}


class OpenAIBatches(BatchProvider):
    name: ClassVar[str] = "openai"
    max_requests: ClassVar[int] = 50_000
    max_bytes: ClassVar[int] = 200_000_000

    def __init__(self, backend: OpenAIBackend, settings: Settings) -> None:
        super().__init__(settings)
        self.backend = backend
        self.mode = backend.mode or "json_schema"
        self.codec = OpenAICodec(self.mode)
        # Its own client, not the live one: the recording seam is for chat completions.
        http = httpx.AsyncClient(transport=backend.transport, timeout=backend.timeout) \
            if backend.transport is not None else None
        self.client = openai.AsyncOpenAI(base_url=backend.base_url, api_key=backend.api_key,
                                         max_retries=0, timeout=backend.timeout,
                                         http_client=cast(Any, http))

    def _call(self, make: Callable[[], Awaitable[T]], only: tuple[int, ...] | None = None) -> T:
        """Under the transport retries, waited for here; SDK errors become ours."""
        return self.backend.sync_loop().run(lambda: self.backend.call(make, only))

    def check(self) -> None:
        if is_openai_host(self.backend.base_url):
            return
        try:
            self._call(lambda: self.client.batches.list(limit=1))
        except BackendError as exc:
            why = f"HTTP {exc.status}" if exc.status else " ".join(str(exc).split())[:200]
            raise ConfigurationError(f"--batch-api: the OpenAI-compatible server at "
                                     f"{self.backend.base_url} has no Batch API (GET /batches: "
                                     f"{why})") from None

    def line(self, custom_id: str, messages: list[Message]) -> bytes:
        body = self.codec.request(self.backend.model, messages, self.settings)
        return json.dumps({"custom_id": custom_id, "method": "POST", "url": ENDPOINT,
                           "body": body}, ensure_ascii=False).encode()

    def submit(self, lines: list[bytes]) -> tuple[str, dict[str, str]]:
        data = b"\n".join(lines) + b"\n"
        uploaded = self._call(lambda: self.client.files.create(
            file=("summarizer-batch.jsonl", data, "application/jsonl"), purpose="batch"))

        # Not idempotent: only a refusal (429) is tried again.
        batch = self._call(lambda: self.client.batches.create(
            input_file_id=uploaded.id, endpoint=ENDPOINT, completion_window="24h",
            metadata={"by": "summarizer"}), only=(429,))
        return str(batch.id), {"input_file_id": str(uploaded.id)}

    def poll(self, batch_id: str) -> Status:
        b = self._call(lambda: self.client.batches.retrieve(batch_id))
        counts = b.request_counts
        done = (counts.completed + counts.failed) if counts else 0
        missing = ""
        if b.status in ("expired", "cancelled"):
            missing = f"openai batch {batch_id} {_FINAL['batch_' + b.status]}"
        elif b.status == "failed":
            first = b.errors.data[0] if b.errors and b.errors.data else None
            why = f"line {first.line}: {first.message}" if first else "no reason given"
            missing = f"openai batch {batch_id} was refused ({why})"
        files = {k: v for k, v in (("output", b.output_file_id), ("error", b.error_file_id))
                 if v}
        return Status(b.status, b.status in ENDED, done, counts.total if counts else 0,
                      missing, files)

    def results(self, batch_id: str, status: Status) -> Iterator[Outcome]:
        for kind in ("output", "error"):
            if (file_id := status.files.get(kind)) is None:
                continue
            raw = self._download(file_id)
            for text in raw.splitlines():
                if text.strip():
                    yield self._outcome(dict(json.loads(text)), batch_id)

    def _download(self, file_id: str) -> bytes:
        async def download() -> bytes:
            return (await self.client.files.content(file_id)).content

        return self._call(download)

    def _outcome(self, row: dict[str, Any], batch_id: str) -> Outcome:
        cid = str(row.get("custom_id") or "")
        response = row.get("response") or {}
        if response.get("status_code") == 200:
            return self._answer(cid, dict(response.get("body") or {}), batch_id)
        if error := row.get("error"):
            code = str(error.get("code") or "")
            if code in _FINAL:
                return Outcome(cid, reason=f"openai batch {batch_id} {_FINAL[code]}")
            return Outcome(cid, reason=f"{code or 'error'}: {error.get('message')}", retry=True)
        message = ((response.get("body") or {}).get("error") or {}).get("message")
        return Outcome(cid, reason=f"HTTP {response.get('status_code')}: {message}", retry=True)

    def _answer(self, cid: str, data: dict[str, Any], batch_id: str) -> Outcome:
        return answered(cid, self.codec.answer(data), self.settings, self.backend.model,
                        self.mode, f"openai batch {batch_id}")
