"""OUT/index.html: every brief of a batch run on one self-contained page.

The page is static (works from file://, no network): a sortable, filterable table of the
briefs, then each brief with its facts beside the article text, every located quote a
`<mark>` linked to the fact it supports. Article and model text only ever reaches the page
through Jinja2's autoescape (or `markupsafe.escape` in `highlight`), so an article holding
`<script>` shows it as text.
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from markupsafe import Markup
from pydantic import BaseModel, ValidationError

from ..article import Article, iter_jsonl, load_article
from ..brief import Brief, Flag
from ..errors import ArticleError, ConfigurationError
from .highlight import Span, highlight, valid_spans
from .model import Section, plain_total, sections
from .render import render, script, write_page

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
    flags: list[Flag] = field(default_factory=list)  # every flag of the brief
    loose_flags: list[Flag] = field(default_factory=list)  # those of no single fact
    sections: list[Section] = field(default_factory=list)
    article_html: Markup = field(default_factory=Markup)
    note: str | None = None  # why the article text or its highlights are missing
    located: int = 0
    unlocated: int = 0
    search: str = ""
    problem: str | None = None  # the record could not be read as a brief


@dataclass
class RunView:
    title: str
    briefs: list[BriefView]
    errors: list[dict[str, str]]
    run: dict[str, Any]
    flagged: int = 0
    lines: list[str] = field(default_factory=list)


def _read_jsonl(path: Path) -> list[dict[str, Any]]:
    if not path.is_file():
        return []
    rows = []
    for line in path.read_text(encoding="utf-8").splitlines():
        if line.strip():
            try:
                row = json.loads(line)
            except ValueError:
                continue  # a damaged line: the rest of the page still helps
            if isinstance(row, dict):
                rows.append(row)
    return rows


def load_run(out: Path) -> tuple[list[dict[str, Any]], list[dict[str, str]], dict[str, Any]]:
    """(records, errors, run.json) of a batch output folder. Without briefs.jsonl (a run
    killed before the end) the per-article files in briefs/ are read instead."""
    if not out.is_dir():
        raise ConfigurationError(f"{out}: no such folder (give a `summarizer run --out` DIR)")
    records = _read_jsonl(out / "briefs.jsonl")
    if not records and (out / "briefs").is_dir():
        for path in sorted((out / "briefs").glob("*.json")):
            try:
                rec = json.loads(path.read_text(encoding="utf-8"))
            except (OSError, ValueError):
                continue
            if isinstance(rec, dict) and "brief" in rec:
                records.append(rec)
    errors = _read_jsonl(out / "errors.jsonl")
    if not records and not errors and not (out / "run.json").is_file():
        raise ConfigurationError(f"{out}: no briefs.jsonl, briefs/ or run.json: not the output "
                                 "folder of `summarizer run`")
    try:
        run = json.loads((out / "run.json").read_text(encoding="utf-8"))
    except (OSError, ValueError):
        run = {}
    return records, errors, run if isinstance(run, dict) else {}


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
    spans = [Span(q.qid, fact.fid, q.start, q.end, bool(q.flag or fact.flags),
                  f"{fact.path}: {fact.label}")
             for fact, q in quotes if q.start is not None and q.end is not None]
    if text is None or view.note:  # stale text: offsets would mark the wrong words
        spans = []
    marked = {s.qid for s in valid_spans(text or "", spans)}
    for _, q in quotes:
        q.marked = q.qid in marked
    view.located, view.unlocated = len(marked), len(quotes) - len(marked)
    view.article_html = highlight(text, spans) if text is not None else Markup("")
    view.headline, view.summary, view.flags = brief.headline, brief.summary, list(brief.flags)
    view.totals = {k: plain_total(getattr(brief.totals, k))
                   for k in ("killed", "wounded", "arrested")}
    view.sort = {k: _sort_value(v) for k, v in view.totals.items()}
    view.search = " ".join([brief.headline, view.source, view.output, view.backend,
                            *(f.code for f in brief.flags)]).lower()
    return view


def run_view(records: Sequence[Mapping[str, Any]], errors: Sequence[Mapping[str, Any]],
             run: Mapping[str, Any], title: str = "Briefs") -> RunView:
    briefs = [brief_view(n, rec) for n, rec in enumerate(records, start=1)]
    rows = sorted(errors, key=lambda e: str(e.get("output", "")))
    view = RunView(title=title, briefs=briefs,
                   errors=[{k: str(v) for k, v in e.items()} for e in rows], run=dict(run))
    view.flagged = sum(1 for b in briefs if b.flags)
    if run:
        backend = f" with {run['backend']}" if run.get("backend") else ""
        model = f" / {run['model']}" if run.get("model") else ""
        view.lines.append(f"{run.get('found', len(records))} inputs{backend}{model}: "
                          f"{run.get('briefed', 0)} briefed, {run.get('cached', 0)} from the "
                          f"cache, {run.get('skipped', 0)} already done, "
                          f"{run.get('duplicates', 0)} duplicates, {run.get('failed', 0)} "
                          f"failed; {run.get('model_calls', 0)} model calls, "
                          f"{run.get('wall_s', 0)} s")
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


def write_index(out: str | Path, records: Sequence[Mapping[str, Any] | BaseModel] | None = None,
                errors: Sequence[Mapping[str, Any] | BaseModel] | None = None,
                run: Mapping[str, Any] | None = None) -> Path:
    """Write OUT/index.html (atomically) and return its path. What is not given is read
    from the folder: `summarizer view OUT` passes nothing, a batch run passes what it holds."""
    out = Path(out)
    if records is None or errors is None or run is None:
        got_records, got_errors, got_run = load_run(out)
        records = got_records if records is None else records
        errors = got_errors if errors is None else errors
        run = got_run if run is None else run
    path = out / INDEX
    page = render_briefs_page([_plain(r) for r in records], [_plain(e) for e in errors], run,
                              f"Briefs: {out.resolve().name}")
    return write_page(path, page)
