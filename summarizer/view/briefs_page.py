"""OUT/index.html: the briefs of a batch run as self-contained pages.

A small run (up to one page of briefs, corpus.py) is one page, as it always was. A larger one
gets an overview in index.html (counts, the totals' distributions, flags, failures, links to
the pages, a finder by file name) and pages/page-NNNNN.html of at most 1,000 briefs each,
read from the folder one page at a time, so the viewer's memory does not grow with the run.

Every page is static (works from file://, no network): a sortable, filterable table of the
briefs, then each brief with its facts beside the article text, every located quote a
`<mark>` linked to the fact it supports. Article and model text only ever reaches the page
through Jinja2's autoescape (or `markupsafe.escape` in `highlight`), so an article holding
`<script>` shows it as text.
"""

from __future__ import annotations

import gc
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from itertools import chain
from pathlib import Path
from typing import Any

from markupsafe import Markup, escape
from pydantic import BaseModel, ValidationError

from ..article import Article, iter_jsonl, load_article
from ..brief import Brief, Flag
from ..errors import ArticleError
from ..unsure import outcome_unsure
from .corpus import (
    BUCKETS,
    PAGE_BRIEFS,
    PAGE_BYTES,
    PAGES_DIR,
    TOTALS,
    Overview,
    check_run_folder,
    iter_jsonl_rows,
    iter_records,
    page_name,
    paginate,
    read_run_json,
)
from .events_page import with_events_link
from .highlight import Span, highlight, valid_spans
from .model import Section, plain_total, sections
from .render import render, script, write_page
from .svg import PALETTE, Bar, bars

INDEX = "index.html"


@dataclass
class BriefView:
    """One record as the page shows it."""

    bid: str
    anchor: str
    output: str
    source: str
    backend: str
    model: str
    duplicate_of: str | None
    headline: str = ""
    summary: str = ""
    totals: dict[str, str] = field(default_factory=dict)  # killed / wounded / arrested, plainly
    sort: dict[str, float] = field(default_factory=dict)  # the same as numbers (-1: none)
    unsure: dict[str, str] = field(default_factory=dict)  # a total not certain: why, in words
    not_read: str | None = None  # why the text was not read (its totals are unknown)
    flags: list[Flag] = field(default_factory=list)  # every flag of the brief
    loose_flags: list[Flag] = field(default_factory=list)  # those of no single fact
    sections: list[Section] = field(default_factory=list)
    article_html: Markup = field(default_factory=Markup)
    title_html: Markup = field(default_factory=Markup)  # the article's title, quotes marked
    note: str | None = None  # why the article text or its highlights are missing
    located: int = 0
    unlocated: int = 0
    search: str = ""
    problem: str | None = None  # the record could not be read as a brief

    def cell(self, key: str, empty: str) -> Markup:
        """A total as the table and the summary line show it: `?` when the text was not
        read, the figure and `?` when unsure (why, on hover), else the figure or `empty`.
        Built here, not in a template macro: six a brief, ~15 % of a page's rendering."""
        if self.not_read:
            return Markup('<span class="unsure" title="not read: {}">?</span>').format(
                self.not_read)
        if key in self.unsure:
            return Markup('<span class="unsure" title="unsure: {}">{}?</span>').format(
                self.unsure[key], self.totals.get(key))
        return escape(self.totals.get(key) or empty)


@dataclass
class Nav:
    """A page's place among the pages of a large run (links relative to the page)."""

    number: int
    overview: str = "../index.html"
    previous: str | None = None
    next: str | None = None


@dataclass
class RunView:
    title: str
    briefs: list[BriefView]
    errors: list[dict[str, str]]
    run: dict[str, Any]
    flagged: int = 0
    lines: list[str] = field(default_factory=list)
    nav: Nav | None = None
    # where a brief's anchor resolves: "" on a one-page run; the overview (which sends a
    # deep link on to the brief's page) from a page of a large run
    home: str = ""


def _reload(source: str) -> Article:
    """The article a record was made from, read again from its source (older runs kept no
    text). `path#N` is line N of a JSONL file."""
    path, _, line = source.rpartition("#")
    if path and line.isdigit() and not Path(source).exists():
        for got in iter_jsonl(path):
            if got.source == source:
                if isinstance(got, ArticleError):
                    raise got
                return got
        raise ArticleError(source, "no such line in the JSONL file")
    return load_article(source)


def article_text(record: Mapping[str, Any]) -> tuple[str | None, str | None]:
    """(text, note): the record's `article_text`, else its source read again, provided its
    content hash still matches (offsets index the text the brief was made from)."""
    text = record.get("article_text")
    if isinstance(text, str):
        return text, None
    source = str(record.get("source", ""))
    if not source or source.startswith("<"):
        return None, "The article text was not kept with this brief."
    try:
        article = _reload(source)
    except (ArticleError, OSError) as exc:
        return None, f"The article text is not available: {exc}"
    want = record.get("content_hash")
    if want and article.content_hash != want:
        return article.text, ("The source file has changed since this brief was made: shown "
                              "without highlights.")
    return article.text, None


def _sort_value(text: str) -> float:
    digits = text.replace("at least ", "").split("–")[0]
    return float(digits) if digits.isdigit() else -1.0


def brief_view(n: int, record: Mapping[str, Any]) -> BriefView:
    """One batch record as the page shows it (a record that is not a brief says why)."""
    output = str(record.get("output") or record.get("id") or f"b{n}")
    prov = record.get("provenance") or {}
    dup = record.get("duplicate_of")
    view = BriefView(f"b{n}", f"brief-{output}", output, str(record.get("source", "")),
                     str(prov.get("backend", "")), str(prov.get("model", "")),
                     str(dup) if dup else None)
    given = record.get("brief")
    try:  # a run passes its Brief objects; a folder read again has JSON data
        brief = given if isinstance(given, Brief) else Brief.model_validate(given)
    except ValidationError as exc:
        view.headline = str(record.get("title") or output)
        view.problem = f"not a readable brief: {exc.error_count()} problems"
        return view
    view.sections, view.loose_flags = sections(view.bid, brief)
    text, view.note = article_text(record)
    quotes = [(fact, q) for s in view.sections for fact in s.facts for q in fact.quotes]
    title = record.get("title")
    title = title if isinstance(title, str) else None
    spans: dict[str, list[Span]] = {"text": [], "title": []}
    for fact, q in quotes:
        if q.start is not None and q.end is not None and q.where in spans:
            spans[q.where].append(Span(q.qid, fact.fid, q.start, q.end,
                                       bool(q.flag or fact.flags), f"{fact.path}: {fact.label}"))
    if text is None or view.note:  # stale text: offsets would mark the wrong words
        spans = {"text": [], "title": []}
    marked = {s.qid for s in valid_spans(text or "", spans["text"])} | {
        s.qid for s in valid_spans(title or "", spans["title"])}
    for _, q in quotes:
        q.marked = q.qid in marked
    view.located, view.unlocated = len(marked), len(quotes) - len(marked)
    view.article_html = highlight(text, spans["text"]) if text is not None else Markup("")
    view.title_html = highlight(title, spans["title"]) if title else Markup("")
    view.headline, view.summary, view.flags = brief.headline, brief.summary, list(brief.flags)
    view.totals = {k: plain_total(getattr(brief.totals, k))
                   for k in ("killed", "wounded", "arrested")}
    view.sort = {k: _sort_value(v) for k, v in view.totals.items()}
    view.unsure = {k: why for k in view.totals if (why := outcome_unsure(brief.totals, k))}
    view.not_read = brief.totals.not_read
    view.search = " ".join([brief.headline, view.source, view.output, view.backend,
                            *(f.code for f in brief.flags)]).lower()
    return view


def run_line(run: Mapping[str, Any], records: int) -> str:
    """run.json in one line."""
    backend = f" with {run['backend']}" if run.get("backend") else ""
    model = f" / {run['model']}" if run.get("model") else ""
    return (f"{run.get('found', records)} inputs{backend}{model}: "
            f"{run.get('briefed', 0)} briefed, {run.get('cached', 0)} from the "
            f"cache, {run.get('skipped', 0)} already done, "
            f"{run.get('duplicates', 0)} duplicates, {run.get('failed', 0)} "
            f"failed; {run.get('model_calls', 0)} model calls, "
            f"{run.get('wall_s', 0)} s")


def _error_rows(errors: Iterable[Mapping[str, Any]]) -> list[dict[str, str]]:
    rows = sorted(errors, key=lambda e: str(e.get("output", "")))
    return [{k: str(v) for k, v in e.items()} for e in rows]


def run_view(records: Sequence[Mapping[str, Any]], errors: Sequence[Mapping[str, Any]],
             run: Mapping[str, Any], title: str = "Briefs", first: int = 1) -> RunView:
    briefs = [brief_view(n, rec) for n, rec in enumerate(records, start=first)]
    view = RunView(title=title, briefs=briefs, errors=_error_rows(errors), run=dict(run))
    view.flagged = sum(1 for b in briefs if b.flags)
    if run:
        view.lines.append(run_line(run, len(records)))
    return view


def render_briefs_page(records: Sequence[Mapping[str, Any]],
                       errors: Sequence[Mapping[str, Any]] = (),
                       run: Mapping[str, Any] | None = None, title: str = "Briefs") -> str:
    """The page as a string (see the module docstring)."""
    return render("briefs.html.j2", view=run_view(records, errors, run or {}, title),
                  script=script("briefs.js"))


def _plain(row: Mapping[str, Any] | BaseModel) -> Mapping[str, Any]:
    """A row as JSON data, whether the run holds dicts or record models; a record's Brief
    stays the object it is (dumping and validating it again cost more than its page)."""
    if not isinstance(row, BaseModel):
        return row
    brief = getattr(row, "brief", None)
    if not isinstance(brief, Brief):
        return row.model_dump(mode="json")
    return {**row.model_dump(mode="json", exclude={"brief"}), "brief": brief}


def _remove_pages(out: Path) -> None:
    """The pages of an earlier, larger run of this folder: a one-page run has none."""
    folder = out / PAGES_DIR
    for stale in folder.glob("page-*.html"):
        stale.unlink(missing_ok=True)
    if folder.is_dir() and not any(folder.iterdir()):
        folder.rmdir()


def _lookahead(pages: Iterator[list[Mapping[str, Any]]]
               ) -> Iterator[tuple[list[Mapping[str, Any]], bool]]:
    """Each page with whether another follows (a page links to its next one)."""
    current = next(pages, None)
    while current is not None:
        following = next(pages, None)
        yield current, following is not None
        current = following


def _write_pages(out: Path, pages: Iterator[list[Mapping[str, Any]]], run: Mapping[str, Any],
                 title: str) -> Overview:
    """pages/page-NNNNN.html, one page of briefs in memory at a time; the overview's counts."""
    overview, first = Overview(), 1
    folder = out / PAGES_DIR
    for number, (records, more) in enumerate(_lookahead(pages), start=1):
        view = run_view(records, (), run, f"{title} · page {number}", first=first)
        view.lines = [f"briefs {first}–{first + len(records) - 1}"]
        view.home = "../index.html"
        view.nav = Nav(number, previous=page_name(number - 1) if number > 1 else None,
                       next=page_name(number + 1) if more else None)
        write_page(folder / page_name(number),
                   render("briefs.html.j2", view=view, script=script("briefs.js")))
        overview.add_page(number, view.briefs)
        first += len(records)
        # A page's views and its rendering leave reference cycles; the command runs with a
        # large first GC generation, so without this they pile up page after page (peak RSS
        # at 50,000 briefs 224 MB without this, 126 MB with it). After the last page no
        # other follows to pile up on: a full collection there (tens of ms) bought nothing.
        del view
        if more:
            gc.collect()
    for stale in folder.glob("page-*.html"):  # left by an earlier, longer run of this folder
        if stale.name > page_name(len(overview.pages)):
            stale.unlink(missing_ok=True)
    return overview


def _charts(overview: Overview) -> list[tuple[str, Any]]:
    """One small bar chart per total: the share of briefs in each bucket, and with none."""
    charts = []
    n = max(overview.briefs - overview.unreadable, 1)
    for key in TOTALS:
        dist = overview.totals[key]
        rows = [Bar("none", dist.none / n, text=f"{dist.none:,}")]
        rows += [Bar(label, dist.buckets[label] / n, text=f"{dist.buckets[label]:,}")
                 for _, _, label in BUCKETS]
        # how many of these totals are unsure (issue 35): a bar of its own, in another colour
        rows.append(Bar("unsure", dist.unsure / n, text=f"{dist.unsure:,}", color=PALETTE[1]))
        charts.append((key, bars(rows, f"{key}: briefs by total", label_w=50, plot_w=150,
                                 text_w=60, row_h=15)))
    return charts


def render_overview(overview: Overview, errors: Sequence[Mapping[str, Any]],
                    run: Mapping[str, Any], title: str) -> str:
    lines = [run_line(run, overview.briefs)] if run else []
    return render("overview.html.j2", title=title, overview=overview, lines=lines,
                  charts=_charts(overview), errors=_error_rows(errors[:MAX_ERRORS_SHOWN]),
                  errors_total=len(errors), max_errors=MAX_ERRORS_SHOWN,
                  where=[[output, number] for output, number in overview.where],
                  script=script("overview.js"))


MAX_ERRORS_SHOWN = 1000  # the overview lists these; errors.jsonl has every one


def write_index(out: str | Path,
                records: Iterable[Mapping[str, Any] | BaseModel] | None = None,
                errors: Sequence[Mapping[str, Any] | BaseModel] | None = None,
                run: Mapping[str, Any] | None = None, *, page_briefs: int = PAGE_BRIEFS,
                page_bytes: int = PAGE_BYTES) -> Path:
    """Write OUT/index.html (and, for a run larger than one page, OUT/pages/) atomically
    and return its path. What is not given is read from the folder, one record at a time:
    `summarizer view OUT` and a finished batch run pass nothing but the run's summary."""
    out = Path(out)
    if records is None:
        check_run_folder(out)
        records = iter_records(out)
    rows = [_plain(e) for e in errors] if errors is not None else list(
        iter_jsonl_rows(out / "errors.jsonl"))
    run = read_run_json(out) if run is None else run
    title = f"Briefs: {out.resolve().name}"
    pages = paginate((_plain(r) for r in records), page_briefs, page_bytes)
    first = next(pages, [])
    second = next(pages, None)
    if second is None:  # a small run: one page, as it always was
        _remove_pages(out)
        return write_page(out / INDEX, with_events_link(
            out, render_briefs_page(first, rows, run, title)))
    overview = _write_pages(out, chain([first, second], pages), run, title)
    return write_page(out / INDEX, with_events_link(
        out, render_overview(overview, rows, run, title)))
