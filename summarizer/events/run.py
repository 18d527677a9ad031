"""`summarizer events OUT`: a run's briefs grouped into events, written beside them.

    OUT/events.jsonl   one object per event (consolidate.py says what each field holds)
    OUT/events.csv     the same, flattened: lists joined by `;`, a figure's by_source as
                       `article_id=value;...`; text cells neutralised as in briefs.csv
    OUT/events.html    the events page (view/events_page.py), linked from OUT/index.html

briefs.jsonl is read one line at a time; what is held is one small Item per brief with an
incident. Files are written to a temporary name and renamed, so a reader sees the old file or
the new one.
"""

from __future__ import annotations

import csv
import json
import os
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..batch.output import neutral_cell
from ..errors import ConfigurationError
from ..exitcodes import ExitCode
from .consolidate import consolidate
from .items import Item, ReadStats, read_items
from .link import link

__all__ = ["EVENT_COLUMNS", "EventsSummary", "group_items", "write_events"]

FIGURES = ("killed", "wounded", "arrested")
EVENT_COLUMNS = ["id", "date_start", "date_end", "place", "perpetrators",
                 *[f"{k}_{part}" for k in FIGURES for part in ("low", "high", "by_source")],
                 "sources", "articles"]
_NUMBERS = frozenset({"killed_low", "killed_high", "wounded_low", "wounded_high",
                      "arrested_low", "arrested_high", "sources"})


@dataclass
class EventsSummary:
    briefs: int = 0
    with_incident: int = 0
    events: int = 0
    unreadable: list[str] = field(default_factory=list)

    @property
    def code(self) -> ExitCode:
        return ExitCode.INPUTS_FAILED if self.unreadable else ExitCode.OK

    def line(self) -> str:
        bad = f", {len(self.unreadable)} unreadable lines" if self.unreadable else ""
        return (f"{self.briefs} briefs, {self.with_incident} with an incident record, "
                f"{self.events} events{bad}")


def group_items(items: Sequence[Item]) -> list[dict[str, Any]]:
    """Event records of items, in order of their first member."""
    return [consolidate([items[i] for i in members]) for members in link(items)]


def csv_row(event: Mapping[str, Any]) -> dict[str, str]:
    date = event.get("date") or {}
    row = {"id": event["id"], "date_start": date.get("start") or "",
           "date_end": date.get("end") or "", "place": event.get("place") or "",
           "perpetrators": ";".join(event["perpetrators"]),
           "sources": str(event["sources"]), "articles": ";".join(event["articles"])}
    for key in FIGURES:
        fig = event.get(key)
        row[f"{key}_low"] = "" if fig is None else str(fig["low"])
        row[f"{key}_high"] = "" if fig is None else str(fig["high"])
        row[f"{key}_by_source"] = "" if fig is None else ";".join(
            f"{s['article_id']}={s['value']}" for s in fig["by_source"])
    return {k: v if k in _NUMBERS else neutral_cell(v) for k, v in row.items()}


def _replace(path: Path, write: Any) -> None:
    tmp = path.with_name(f".tmp-{path.name}")
    try:
        with tmp.open("w", encoding="utf-8", newline="") as fh:
            write(fh)
        os.replace(tmp, path)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise


def write_event_files(out: Path, events: Iterable[Mapping[str, Any]]) -> None:
    events = list(events)

    def jsonl(fh: Any) -> None:
        for ev in events:
            fh.write(json.dumps(ev, ensure_ascii=False) + "\n")

    def table(fh: Any) -> None:
        writer = csv.DictWriter(fh, fieldnames=EVENT_COLUMNS)
        writer.writeheader()
        writer.writerows(csv_row(ev) for ev in events)

    _replace(out / "events.jsonl", jsonl)
    _replace(out / "events.csv", table)


def write_events(out: str | Path, *, page: bool = True) -> EventsSummary:
    """Group OUT/briefs.jsonl into events; write events.jsonl, events.csv and (with `page`)
    events.html, and link that from index.html. Raises ConfigurationError for a folder that
    is not a run's."""
    out = Path(out)
    source = out / "briefs.jsonl"
    if not out.is_dir():
        raise ConfigurationError(f"{out}: no such folder (give a `summarizer run --out` DIR)")
    if not source.is_file():
        raise ConfigurationError(f"{source}: not found: not the output folder of a finished "
                                 "`summarizer run`")
    stats = ReadStats()
    items = list(read_items(source, stats))
    events = group_items(items)
    write_event_files(out, events)
    if page:
        from ..view.events_page import write_events_page

        write_events_page(out, events, items)
    return EventsSummary(briefs=stats.rows, with_incident=len(items), events=len(events),
                         unreadable=stats.unreadable)
