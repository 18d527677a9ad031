"""OUT/batches.json: every batch a run submitted, written (atomically) the moment its id
exists, so a killed run resumes polling it and never submits those articles again.

    {"version": 1, "run": 2, "finished": false,
     "batches": [{"id": "batch_...", "provider": "openai", "run": 2, "round": 1,
                  "custom_ids": [...], "collected": false, "status": "submitted",
                  "failures": {"<custom_id>": {"reason": ..., "retry": true,
                                               "followup": [...], "usage": [p, c, calls, k]}},
                  "extra": {"input_file_id": "file-..."}}]}

A run's batches share its `run` number; when every batch of a run is collected the run is
`finished`, and the next `summarizer run` starts a new number (its failures are tried again,
as a live rerun's are). Entries of earlier runs stay as a record.
"""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from ..atomic import atomic_write_text
from ..backends.base import Usage
from ..errors import ConfigurationError

STATE_FILE = "batches.json"


@dataclass
class Entry:
    """One submitted batch."""

    id: str
    provider: str
    run: int
    round: int  # 1: first submission, 2: the one retry
    custom_ids: list[str]
    collected: bool = False
    status: str = "submitted"
    failures: dict[str, dict[str, Any]] = field(default_factory=dict)
    extra: dict[str, str] = field(default_factory=dict)


def usage_row(usage: Usage) -> list[int]:
    return [usage.prompt_tokens, usage.completion_tokens, usage.calls, usage.cached_tokens]


def row_usage(row: Any) -> Usage:
    return Usage(*(int(x) for x in row)) if isinstance(row, list) else Usage()


class BatchState:
    def __init__(self, path: Path, fresh: bool = False) -> None:
        self.path = path
        data: dict[str, Any] = {}
        if path.is_file():
            try:
                data = dict(json.loads(path.read_text(encoding="utf-8")))
                self.entries = [Entry(**e) for e in data.get("batches", [])]
            except (ValueError, TypeError) as exc:
                raise ConfigurationError(f"{path} is damaged ({exc}); it lists batches already "
                                         "submitted: repair it, or remove it to submit again"
                                         ) from None
        else:
            self.entries = []
        self.run = int(data.get("run", 1))
        if data.get("finished") or fresh and self.entries:
            self.run += 1
        self.finished = False

    def current(self) -> list[Entry]:
        return [e for e in self.entries if e.run == self.run]

    def pending(self, wanted: set[str]) -> list[Entry]:
        """This run's batches not yet collected that hold an article still wanted."""
        return [e for e in self.current()
                if not e.collected and not wanted.isdisjoint(e.custom_ids)]

    def latest(self) -> dict[str, Entry]:
        """custom_id -> the latest batch of this run that held it."""
        return {cid: e for e in self.current() for cid in e.custom_ids}

    def add(self, entry: Entry) -> None:
        self.entries.append(entry)
        self.save()

    def save(self) -> None:
        data = {"version": 1, "run": self.run, "finished": self.finished,
                "batches": [asdict(e) for e in self.entries]}
        atomic_write_text(self.path, json.dumps(data, ensure_ascii=False) + "\n")
