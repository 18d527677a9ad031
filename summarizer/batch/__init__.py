"""A run over many articles, and everything it is made of (one package, one job: the run).

    discovery.py    inputs -> Items, read one at a time
    records.py      what a run writes, as types; outcomes (a brief or an error, with usage)
    engines/        the ways a run briefs, behind one protocol (engines/__init__.py)
    run.py          BatchRun: plan -> reuse -> brief (an engine) -> write, streamed
    stream.py       OUT's files written as outcomes arrive, and read back on resume
    cache.py, costs.py, concurrency.py, progress.py, output.py, outdir.py, merge.py

The names below load on first use, so `from summarizer.batch.outdir import ...` (the CLI's
front door) does not import the pipeline.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from .discovery import output_key
    from .options import RunOptions
    from .run import BatchRun, RunSummary, run_batch

__all__ = ["BatchRun", "RunOptions", "RunSummary", "output_key", "run_batch"]

_WHERE = {"BatchRun": "run", "RunOptions": "options", "RunSummary": "run", "run_batch": "run",
          "output_key": "discovery"}


def __getattr__(name: str) -> Any:
    if name in _WHERE:
        return getattr(importlib.import_module(f"{__name__}.{_WHERE[name]}"), name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
