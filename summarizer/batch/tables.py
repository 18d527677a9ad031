"""Tidy tables of a run: one CSV row per casualty, arrest and actor record, beside briefs.csv.

    casualties.csv  arrests.csv  actors.csv

Each row carries the brief's `article_id` (its `id` in briefs.jsonl) and `output`, and
`record`, the record's index in its brief's list (from 0), so a row joins back to its brief
and to the flags that point into it. Counts are numbers (empty when the article gives none),
`superseded` is true/false, list cells are joined by `;`, and `evidence` is a JSON array of
{"start", "end", "quote"} (offsets into the article's text; a quote of the headline adds
"where": "title", its offsets then into the title). Text cells a spreadsheet would evaluate
are neutralised as in briefs.csv (output.neutral_cell). Columns that later work adds go at
the end of a row.

`TableWriter` appends each brief's rows as it arrives (a file's header is written once, when
the file is new or empty); `write_tables` writes a whole set of records at once, atomically.
"""

from __future__ import annotations

import csv
import json
import os
import re
from collections.abc import Callable, Iterable, Sequence
from pathlib import Path
from typing import IO, Any

from ..brief import Actor, Arrest, Brief, Casualty, Count, Evidence
from .output import neutral_cell
from .records import BriefRecord

CASUALTY_COLUMNS = ["article_id", "output", "record", "incident", "location", "date",
                    "date_text", "group", "side", "killed", "killed_qualifier", "wounded",
                    "wounded_qualifier", "reported_by", "superseded", "perpetrator",
                    "attribution", "attributed_by", "flags", "evidence", "date_resolved",
                    "place"]
ARREST_COLUMNS = ["article_id", "output", "record", "count", "count_qualifier", "who", "by",
                  "status", "incident", "reported_by", "flags", "evidence"]
ACTOR_COLUMNS = ["article_id", "output", "record", "name", "aliases", "kind", "role",
                 "affiliation", "flags", "evidence"]
# Cells we make from numbers or enums: never neutralised, so they stay what they are.
_OURS = frozenset({"record", "killed", "wounded", "count", "superseded"})


def _value(count: Count | None) -> str:
    return "" if count is None else str(count.value)


def _qualifier(count: Count | None) -> str:
    return "" if count is None else count.qualifier.value


def _evidence(evidence: Sequence[Evidence]) -> str:
    return json.dumps([{"start": e.start, "end": e.end, "quote": e.quote,
                        **({"where": "title"} if e.where == "title" else {})}
                       for e in evidence], ensure_ascii=False)


def _flags(brief: Brief, path: str) -> str:
    """The codes of the flags whose path points into `path` (casualties[0], ...)."""
    if not brief.flags:
        return ""  # most briefs: no pattern to make for each of their records
    inside = re.compile(re.escape(path) + r"(?:$|[.\[])")
    return ";".join(f.code for f in brief.flags if inside.match(f.path))


def _casualty(c: Casualty) -> dict[str, str]:
    return {"incident": c.incident, "location": c.location or "", "date": c.date or "",
            "date_text": c.date_text or "", "group": c.group, "side": c.side.value,
            "killed": _value(c.killed), "killed_qualifier": _qualifier(c.killed),
            "wounded": _value(c.wounded), "wounded_qualifier": _qualifier(c.wounded),
            "reported_by": c.reported_by or "", "superseded": str(c.superseded).lower(),
            "perpetrator": c.perpetrator or "", "attribution": c.attribution.value,
            "attributed_by": c.attributed_by or "", "date_resolved": c.date_resolved or "",
            "place": c.place or ""}


def _arrest(a: Arrest) -> dict[str, str]:
    return {"count": _value(a.count), "count_qualifier": _qualifier(a.count), "who": a.who,
            "by": a.by or "", "status": a.status.value, "incident": a.incident or "",
            "reported_by": a.reported_by or ""}


def _actor(a: Actor) -> dict[str, str]:
    return {"name": a.name, "aliases": ";".join(a.aliases), "kind": a.kind.value,
            "role": a.role.value, "affiliation": a.affiliation or ""}


# file name -> (columns, the brief's list, its name in flag paths, the record's own cells)
TABLES: dict[str, tuple[list[str], str, Callable[[Any], dict[str, str]]]] = {
    "casualties.csv": (CASUALTY_COLUMNS, "casualties", _casualty),
    "arrests.csv": (ARREST_COLUMNS, "arrests", _arrest),
    "actors.csv": (ACTOR_COLUMNS, "actors", _actor),
}


def table_rows(record: BriefRecord, table: str) -> list[dict[str, str]]:
    """The rows `record` adds to `table` (a key of TABLES), text cells neutralised."""
    _, field, cells = TABLES[table]
    brief = record.brief
    rows = []
    for i, item in enumerate(getattr(brief, field)):
        row = {"article_id": record.id, "output": record.output, "record": str(i),
               **cells(item), "flags": _flags(brief, f"{field}[{i}]"),
               "evidence": _evidence(item.evidence)}
        rows.append({k: v if k in _OURS else neutral_cell(v) for k, v in row.items()})
    return rows


class TableWriter:
    """Appends each record's rows to the three tables as the record arrives. `prefix` names
    the files being written (write_tables writes beside the tables, then renames)."""

    def __init__(self, out: Path, prefix: str = "") -> None:
        self.out, self.prefix = out, prefix
        self._files: dict[str, IO[str]] = {}
        self._writers: dict[str, csv.DictWriter[str]] = {}

    def path(self, table: str) -> Path:
        return self.out / f"{self.prefix}{table}"

    def _writer(self, table: str) -> csv.DictWriter[str]:
        if table not in self._writers:
            fh = self.path(table).open("a", encoding="utf-8", newline="")
            writer = csv.DictWriter(fh, fieldnames=TABLES[table][0])
            if fh.tell() == 0:
                writer.writeheader()
            self._files[table], self._writers[table] = fh, writer
        return self._writers[table]

    def add(self, record: BriefRecord) -> None:
        for table in TABLES:
            rows = table_rows(record, table)
            if rows:
                self._writer(table).writerows(rows)
        for fh in self._files.values():
            fh.flush()

    def headers(self) -> None:
        """Every table exists, with its header, rows or not."""
        for table in TABLES:
            self._writer(table)

    def close(self) -> None:
        for fh in self._files.values():
            fh.close()
        self._files.clear()
        self._writers.clear()

    def __enter__(self) -> TableWriter:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def write_tables(out: Path, records: Iterable[BriefRecord]) -> None:
    """The three tables of `records`, written anew: each to a temporary file beside it, then
    renamed over it, so a reader sees the old table or the new one, never half of one."""
    writer = TableWriter(out, prefix=".tmp-")
    try:
        for table in TABLES:
            writer.path(table).unlink(missing_ok=True)
        with writer:
            for record in records:
                writer.add(record)
            writer.headers()
        for table in TABLES:
            os.replace(writer.path(table), out / table)
    except BaseException:
        for table in TABLES:
            writer.path(table).unlink(missing_ok=True)
        raise
