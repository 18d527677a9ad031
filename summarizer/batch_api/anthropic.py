"""Anthropic's Message Batches: one POST /v1/messages/batches of {custom_id, params}, where
the params are exactly the live backend's request (the forced BriefDraft tool over the wire
schema), polled until `ended`, then its results read. Each answer goes through the live
path's codec (backends/anthropic.py `AnthropicCodec`) and the one re-ask loop (reask.py),
its re-ask turns included.

Limits (docs.claude.com, "Batch processing"): 100,000 requests and 256 MB a batch; a
custom_id is 1-64 of [a-zA-Z0-9_-] (a result key is 64 hex digits). Creating a batch is not
idempotent: only a refusal (429, 529) is tried again.
"""

from __future__ import annotations

import json
from collections.abc import Awaitable, Callable, Iterator
from typing import Any, ClassVar, TypeVar

from ..backends.anthropic import AnthropicBackend
from ..backends.base import Message, Settings
from .base import BatchProvider, Outcome, Status, answered

T = TypeVar("T")
_REFUSALS = (429, 529)


class AnthropicBatches(BatchProvider):
    name: ClassVar[str] = "anthropic"
    max_requests: ClassVar[int] = 100_000
    max_bytes: ClassVar[int] = 256_000_000 - 1_000  # the envelope around the requests

    def __init__(self, backend: AnthropicBackend, settings: Settings) -> None:
        super().__init__(settings)
        self.backend = backend

    def _call(self, make: Callable[[Any], Awaitable[T]],
              only: tuple[int, ...] | None = None) -> T:
        """`make(client)` under the transport retries (`only`: just these statuses), waited
        for here; SDK errors become ours."""
        b = self.backend
        return b.sync_loop().run(lambda: b.call(lambda: make(b.client()), only))

    def line(self, custom_id: str, messages: list[Message]) -> bytes:
        params = self.backend.request(messages, self.settings)
        return json.dumps({"custom_id": custom_id, "params": params},
                          ensure_ascii=False).encode()

    def submit(self, lines: list[bytes]) -> tuple[str, dict[str, str]]:
        requests = [json.loads(line) for line in lines]
        batch = self._call(lambda c: c.messages.batches.create(requests=requests),
                           only=_REFUSALS)
        return str(batch.id), {}

    def poll(self, batch_id: str) -> Status:
        b = self._call(lambda c: c.messages.batches.retrieve(batch_id))
        c = b.request_counts
        done = c.succeeded + c.errored + c.canceled + c.expired
        return Status(b.processing_status, b.processing_status == "ended", done,
                      done + c.processing)

    def results(self, batch_id: str, status: Status) -> Iterator[Outcome]:
        async def rows_of(client: Any) -> list[Any]:
            return [row async for row in await client.messages.batches.results(batch_id)]

        rows = self._call(rows_of)
        for row in rows:
            yield self._outcome(row, batch_id)

    def _outcome(self, row: Any, batch_id: str) -> Outcome:
        cid, result = str(row.custom_id), row.result
        if result.type == "succeeded":
            return self._answer(cid, result.message, batch_id)
        if result.type == "errored":
            error = getattr(result.error, "error", result.error)
            return Outcome(cid, reason=f"{getattr(error, 'type', 'error')}: "
                                       f"{getattr(error, 'message', '')}", retry=True)
        word = "expired before this request ran (the 24 h window)" \
            if result.type == "expired" else "was cancelled before this request ran"
        return Outcome(cid, reason=f"anthropic batch {batch_id} {word}")

    def _answer(self, cid: str, message: Any, batch_id: str) -> Outcome:
        return answered(cid, self.backend.codec.answer(message), self.settings, self.backend.model,
                        self.backend.decoding, f"anthropic batch {batch_id}")
