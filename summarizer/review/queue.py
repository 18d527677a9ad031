"""The review queue of a run: every brief once, flagged and uncertain ones first, each found
again by its output key without holding the run in memory (a byte offset into briefs.jsonl,
or the per-brief file of a run killed before it wrote that)."""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ..view.corpus import check_run_folder
from .store import brief_hash


@dataclass(frozen=True, slots=True)
class Entry:
    output: str
    headline: str
    flagged: bool
    unsure: bool
    base: str  # the machine brief's hash
    where: tuple[str, int]  # (file, byte offset; -1: the whole file)

    @property
    def first(self) -> bool:
        return self.flagged or self.unsure


def _unsure(brief: dict[str, Any]) -> bool:
    totals = brief.get("totals") or {}
    return any(isinstance(t, dict) and t.get("certain") is False for t in totals.values())


def _rows(out: Path) -> Iterator[tuple[dict[str, Any], tuple[str, int]]]:
    jsonl = out / "briefs.jsonl"
    if jsonl.is_file() and jsonl.stat().st_size:
        with jsonl.open("rb") as fh:
            while True:
                at = fh.tell()
                line = fh.readline()
                if not line:
                    return
                try:
                    row = json.loads(line)
                except ValueError:
                    continue  # a torn last line: not a brief yet
                if isinstance(row, dict):
                    yield row, (str(jsonl), at)
        return
    for path in sorted((out / "briefs").rglob("*.json")):
        try:
            row = json.loads(path.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            continue
        if isinstance(row, dict):
            yield row, (str(path), -1)


class Queue:
    """The run's briefs in review order (flagged or uncertain first, then the run's order)."""

    def __init__(self, out: Path) -> None:
        check_run_folder(out)
        self.out = out
        entries = []
        for row, where in _rows(out):
            brief = row.get("brief")
            if not isinstance(brief, dict) or not row.get("output"):
                continue
            entries.append(Entry(str(row["output"]), str(brief.get("headline", "")),
                                 bool(brief.get("flags")), _unsure(brief), brief_hash(brief),
                                 where))
        self.entries = sorted(entries, key=lambda e: not e.first)  # stable: run order kept
        self.by_output = {e.output: e for e in self.entries}
        self.position = {e.output: i for i, e in enumerate(self.entries)}

    def __len__(self) -> int:
        return len(self.entries)

    def record(self, output: str) -> dict[str, Any] | None:
        entry = self.by_output.get(output)
        if entry is None:
            return None
        path, at = entry.where
        with open(path, "rb") as fh:
            if at < 0:
                return dict(json.loads(fh.read()))
            fh.seek(at)
            return dict(json.loads(fh.readline()))

    def after(self, output: str | None, done: set[str]) -> str | None:
        """The next brief not yet done after `output` in the queue (from the top when None),
        wrapping round; None when every brief is done."""
        start = 0
        if output is not None and output in self.by_output:
            start = self.position[output] + 1
        n = len(self.entries)
        for k in range(n):
            e = self.entries[(start + k) % n]
            if e.output not in done and e.output != output:
                return e.output
        return None
