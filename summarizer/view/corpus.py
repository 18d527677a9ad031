"""A run of any size as pages: the records read one at a time, cut into pages of at most
`PAGE_BRIEFS` briefs (and about `PAGE_BYTES` of records, so long articles make shorter
pages), and an overview that is counted as the pages go. Nothing here holds more than one
page of briefs: a corpus of a million briefs costs the memory of one page.

The pieces are plain data; briefs_page.py renders them.
"""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..errors import ConfigurationError

PAGE_BRIEFS = 1000
# Estimated from each record's article text and facts; a page's HTML is about this size plus
# its markup, well under 5 MB.
PAGE_BYTES = 2_500_000
PAGES_DIR = "pages"
# Buckets of a total's low end, for the overview's distributions.
BUCKETS: tuple[tuple[int, int | None, str], ...] = (
    (0, 0, "0"), (1, 1, "1"), (2, 4, "2–4"), (5, 9, "5–9"), (10, 49, "10–49"), (50, None, "50+"))
TOTALS = ("killed", "wounded", "arrested")


def iter_jsonl_rows(path: Path) -> Iterator[dict[str, Any]]:
    """The JSON objects of a JSONL file, one line at a time; a damaged line is skipped (the
    rest of the view still helps)."""
    if not path.is_file():
        return
    with path.open(encoding="utf-8") as fh:
        for line in fh:
            if not line.strip():
                continue
            try:
                row = json.loads(line)
            except ValueError:
                continue
            if isinstance(row, dict):
                yield row


def iter_records(out: Path) -> Iterator[dict[str, Any]]:
    """A run's brief records: briefs.jsonl, else (a run killed before it wrote that) the
    per-article JSON files under briefs/, in any subfolder."""
    rows = iter_jsonl_rows(out / "briefs.jsonl")
    first = next(rows, None)
    if first is not None:
        yield first
        yield from rows
        return
    folder = out / "briefs"
    if not folder.is_dir():
        return
    for path in sorted(folder.rglob("*.json")):
        try:
            rec = json.loads(path.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            continue
        if isinstance(rec, dict) and "brief" in rec:
            yield rec


def check_run_folder(out: Path) -> None:
    if not out.is_dir():
        raise ConfigurationError(f"{out}: no such folder (give a `summarizer run --out` DIR)")
    if not any((out / name).exists() for name in ("briefs.jsonl", "briefs", "errors.jsonl",
                                                   "run.json")):
        raise ConfigurationError(f"{out}: no briefs.jsonl, briefs/ or run.json: not the output "
                                 "folder of `summarizer run`")


def read_run_json(out: Path) -> dict[str, Any]:
    try:
        run = json.loads((out / "run.json").read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    return run if isinstance(run, dict) else {}


def weight(record: Mapping[str, Any]) -> int:
    """About how many bytes a record adds to a page: its article text (shown whole, with
    marks) and its facts."""
    text = record.get("article_text")
    brief = record.get("brief")
    facts = 0
    if isinstance(brief, Mapping):
        facts = sum(len(brief.get(k) or ()) for k in ("actors", "casualties", "arrests"))
    else:
        facts = sum(len(getattr(brief, k, ()) or ()) for k in ("actors", "casualties",
                                                                 "arrests"))
    return int(len(text) * 1.3 if isinstance(text, str) else 2000) + 1500 + 700 * facts


def paginate(records: Iterable[Mapping[str, Any]], page_briefs: int = PAGE_BRIEFS,
             page_bytes: int = PAGE_BYTES) -> Iterator[list[Mapping[str, Any]]]:
    """Records in pages of at most `page_briefs`, and of about `page_bytes` (a page holds
    at least one record, however long)."""
    page: list[Mapping[str, Any]] = []
    size = 0
    for rec in records:
        w = weight(rec)
        if page and (len(page) >= page_briefs or size + w > page_bytes):
            yield page
            page, size = [], 0
        page.append(rec)
        size += w
    if page:
        yield page


def page_name(number: int) -> str:
    return f"page-{number:05d}.html"


@dataclass
class PageLink:
    number: int
    href: str  # from the overview
    briefs: int
    flagged: int
    first: str
    last: str


@dataclass
class Distribution:
    """How many briefs give a total in each bucket (or none at all), and how many of those
    totals are unsure (their reading not certain, or the text not read)."""

    buckets: Counter[str] = field(default_factory=Counter)
    none: int = 0
    unsure: int = 0

    def add(self, low: float, unsure: bool = False) -> None:
        self.unsure += unsure
        if low < 0:
            self.none += 1
            return
        for lo, hi, label in BUCKETS:
            if low >= lo and (hi is None or low <= hi):
                self.buckets[label] += 1
                return


@dataclass
class Overview:
    """What the overview page shows, counted one page of briefs at a time."""

    briefs: int = 0
    flagged: int = 0
    unreadable: int = 0
    duplicates: int = 0
    totals: dict[str, Distribution] = field(
        default_factory=lambda: {k: Distribution() for k in TOTALS})
    flag_codes: Counter[str] = field(default_factory=Counter)
    backends: Counter[str] = field(default_factory=Counter)
    pages: list[PageLink] = field(default_factory=list)
    # (output, page number): the overview's "find a brief" and its redirect of old deep links
    where: list[tuple[str, int]] = field(default_factory=list)

    def add_page(self, number: int, views: list[Any]) -> None:
        flagged = 0
        for v in views:
            self.briefs += 1
            self.where.append((v.output, number))
            self.backends[v.backend or "unknown"] += 1
            if v.duplicate_of:
                self.duplicates += 1
            if v.problem:
                self.unreadable += 1
                continue
            if v.flags:
                flagged += 1
            self.flag_codes.update(f.code for f in v.flags)
            for key in TOTALS:
                self.totals[key].add(v.sort.get(key, -1.0),
                                     unsure=key in v.unsure or bool(v.not_read))
        self.flagged += flagged
        self.pages.append(PageLink(number, f"{PAGES_DIR}/{page_name(number)}", len(views),
                                   flagged, views[0].output if views else "",
                                   views[-1].output if views else ""))
