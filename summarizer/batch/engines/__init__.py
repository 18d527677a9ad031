"""The ways a run briefs, behind one protocol.

An engine takes the planned items (an iterator: it pulls them as it has room, so a corpus of
any size is never in memory at once) and hands each article's `Outcome` (records.py: a
`Briefed` record or a `Failed` error record, each with its typed usage) to `accept` as it
completes. The run (run.py) passes its one public method, `BatchRun.accept`; an engine knows
nothing else of the run.

    local.py      in-process: `AsyncEngine` (remote backends, one event loop under an
                  adaptive limit), `SequentialEngine` (in-process models, one at a time)
    ray.py        Ray actors, given articles in batches (integrations/ray.py's Briefer)
    batch_api.py  a provider's Batch API (batch_api/flow.py)
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from itertools import islice
from typing import Any, Protocol, TypeVar

from ..discovery import Item
from ..records import Outcome

__all__ = ["Accept", "Engine", "chunks"]

Accept = Callable[[Outcome], None]
T = TypeVar("T")


class Engine(Protocol):
    """Brief `items`, each outcome to `accept` as it completes (in completion order)."""

    def brief(self, items: Iterable[Item], accept: Accept) -> None: ...

    def report(self) -> dict[str, Any]:
        """What run.json says of this engine: RunSummary fields (`engine`, `concurrency`,
        `batch_api`, `transport_retries`), only those it has."""
        ...


def chunks(items: Iterable[T], size: int) -> Iterator[list[T]]:
    """`items` in lists of `size` (the last shorter), pulled one list at a time."""
    it = iter(items)
    while chunk := list(islice(it, size)):
        yield chunk
