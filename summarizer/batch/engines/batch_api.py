"""`summarizer run ... --batch-api`: a provider's Batch API as an engine (batch_api/flow.py).
A batch is submitted whole, so this engine holds the items it was given (a provider takes at
most 50,000 requests a batch) until their results are in."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ...batch_api.flow import Flow, batch_provider
from ...batch_api.options import BatchAPIOptions
from ...configuration import Configuration
from ..discovery import Item
from . import Accept

if TYPE_CHECKING:
    from ..options import RunOptions


class BatchAPIEngine:
    def __init__(self, config: Configuration, options: RunOptions, out: Path,
                 note: Callable[[str], None]) -> None:
        self.config, self.options, self.out, self.note = config, options, out, note
        self.seen: dict[str, Any] | None = None

    def brief(self, items: Iterable[Item], accept: Accept) -> None:
        provider = batch_provider(self.config)  # a one-line refusal before anything is sent
        o = self.options
        flow = Flow(self.config, self.out, provider, o.batch_api or BatchAPIOptions(), accept,
                    fresh=o.force, concurrency=o.concurrency, note=self.note)
        todo = list(items)
        if todo:
            provider.check()
            flow.go(todo)
        self.seen = flow.report()

    def report(self) -> dict[str, Any]:
        return {} if self.seen is None else {"batch_api": self.seen}
