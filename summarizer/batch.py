"""Many articles: a run in four steps, each a method of `BatchRun`.

    plan   inputs -> Items (discovery.py), this shard's, duplicates marked
    reuse  what OUT (resume) or the cache already holds
    brief  the rest, with bounded concurrency and a budget; `brief_one` is one article's work
           and touches shared state only through `_done` / `_fail`, so an async driver can
           replace the thread pool without changing it
    write  duplicates, then the run-level files

Crash safety: each brief is written atomically to OUT/briefs/<key>.md, then <key>.json (the
"done" mark) the moment it is made, and the run-level files (briefs.jsonl, briefs.csv,
errors.jsonl, run.json) are rewritten atomically at the end. A rerun after a crash or a full
disk finds the finished briefs (same result key), writes any Markdown that is missing, and
makes model calls only for the rest. One bad article never stops a batch; a file OUT cannot
take ends it (OutputError, exit code 3), and one run at a time holds OUT (outdir.py).
"""

from __future__ import annotations

import asyncio
import functools
import gc
import json
import sys
import threading
import time
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, BinaryIO

from .article import MAX_BYTES
from .atomic import atomic_write_text
from .backends.base import Backend, Settings, Usage
from .batch_api import BatchAPIOptions
from .cache import ResultCache
from .concurrency import AdaptiveLimit, gather_under
from .configuration import Configuration, Policy, configure
from .costs import (
    EST_OUTPUT_TOKENS,
    Cost,
    CostStatus,
    backend_cost,
    estimate_cost,
    estimate_tokens,
)
from .discovery import Item, discover, in_shard, output_key
from .errors import ArticleError, ConfigurationError, SummarizerError
from .outdir import OutputLock, check_shard, has_content, output_errors
from .output import write_csv, write_json, write_jsonl, write_markdown
from .pipeline import BriefResult, abrief_article, brief_article
from .progress import Progress
from .records import BriefRecord, ErrorRecord
from .tables import write_tables
from .view import write_index

__all__ = ["BatchRun", "RunOptions", "RunSummary", "output_key", "run_batch"]


@dataclass
class RunOptions:
    out: Path | None = None
    backend: str | None = None
    model: str | None = None
    mode: str | None = None
    recording: str | None = None
    recordings_dir: Path | None = None
    include: Sequence[str] = ()
    exclude: Sequence[str] = ()
    shard: tuple[int, int] = (1, 1)
    force: bool = False
    use_cache: bool = True
    cache_dir: Path | None = None
    dry_run: bool = False
    max_cost: float | None = None
    concurrency: int = 4
    timeout: float | None = None  # seconds per HTTP request (openai backend); None: its default
    policy: Policy = "flag"
    quiet: bool = False
    max_bytes: int = MAX_BYTES
    follow_symlinks: bool = False  # links leading outside the given paths are refused
    engine: str = "local"  # "ray": brief on Ray Data actors (integrations/ray.py)
    ray_address: str | None = None  # None: a local Ray, started and stopped with the run
    ray_actors: int = 2
    ray_concurrency: int | None = None  # calls in flight per actor; None: `concurrency`
    settings: Settings = field(default_factory=Settings)
    batch_api: BatchAPIOptions | None = None  # --batch-api: the provider's Batch API

    def configuration(self, backend: Backend | None = None) -> Configuration:
        """The run's Configuration; `backend` (built by the caller) wins over the names."""
        return configure(backend or self.backend, model=self.model, mode=self.mode,
                         recording=self.recording, recordings_dir=self.recordings_dir,
                         timeout=self.timeout, settings=self.settings, policy=self.policy)


@dataclass
class RunSummary:
    found: int = 0
    briefed: int = 0
    cached: int = 0
    skipped: int = 0  # already in OUT from an earlier (perhaps interrupted) run
    duplicates: int = 0
    failed: int = 0
    not_run: int = 0  # left out by --max-cost
    model_calls: int = 0
    transport_retries: int = 0
    prompt_tokens: int = 0
    completion_tokens: int = 0
    cached_tokens: int = 0  # of prompt_tokens, read from a provider's cache
    estimated_cost_usd: float | None = None
    cost_status: CostStatus | None = None  # priced | unknown (cost null, never $0) | free
    wall_s: float = 0.0
    backend: str = ""
    model: str = ""
    engine: dict[str, Any] | None = None  # --engine ray: its actors; None for a local run
    concurrency: dict[str, Any] | None = None  # remote runs: the adaptive limit's path
    batch_api: dict[str, Any] | None = None  # --batch-api: its batches; cost beside live
    shard: str = "1/1"  # K/N: each shard is a run of its own, in a folder of its own

    def add_usage(self, usage: Usage) -> None:
        self.model_calls += usage.calls
        self.prompt_tokens += usage.prompt_tokens
        self.completion_tokens += usage.completion_tokens
        self.cached_tokens += usage.cached_tokens

    def as_dict(self) -> dict[str, Any]:
        d = dict(self.__dict__)
        d["total_tokens"] = self.prompt_tokens + self.completion_tokens
        return d

    def line(self) -> str:
        cost = "" if self.cost_status is None else \
            f", {Cost(self.estimated_cost_usd, self.cost_status).label()}"
        return (f"{self.found} found: {self.briefed} briefed, {self.cached} cached, "
                f"{self.skipped} already done, {self.duplicates} duplicate, {self.failed} "
                f"failed" + (f", {self.not_run} not run (budget)" if self.not_run else "")
                + f"; {self.model_calls} model calls, {self.prompt_tokens + self.completion_tokens}"
                f" tokens{cost}; {self.wall_s:.1f}s")


_COUNTER = {"briefed": "briefed", "cached": "cached", "duplicate": "duplicates"}


def _reason(exc: BaseException) -> str:
    reason = " ".join(str(exc).split()) or type(exc).__name__
    if isinstance(exc, ArticleError) and reason.startswith(exc.source + ": "):
        reason = reason[len(exc.source) + 2:]
    return reason[:500]


class BatchRun:
    """One run over `paths` into `options.out` under one Configuration."""

    def __init__(self, paths: Sequence[str], options: RunOptions,
                 backend: Backend | None = None, stdin: BinaryIO | None = None) -> None:
        if options.out is None and not options.dry_run:
            raise ConfigurationError("run_batch needs an output folder (--out DIR)")
        self.paths, self.options, self.stdin = paths, options, stdin
        self.config = options.configuration(backend)
        self.out = Path(options.out or ".")  # a dry run writes nothing
        self.briefs_dir = self.out / "briefs"
        self.cache = ResultCache(options.cache_dir) if options.use_cache else None
        self.summary = RunSummary(backend=self.config.backend.name, model=self.config.backend.model,
                                  shard="/".join(map(str, options.shard)))
        self.items: list[Item] = []
        self.records: dict[str, BriefRecord] = {}
        self.rows: dict[str, str] = {}  # each record's JSON text, made once
        self.errors: list[ErrorRecord] = []
        self._lock = threading.Lock()
        self._started = time.perf_counter()

    # -- plan ------------------------------------------------------------------------------

    def plan(self) -> list[Item]:
        """Every input of this shard, load failures recorded, duplicates marked."""
        o = self.options
        self.items = [it for it in discover(self.paths, o.include, o.exclude, o.max_bytes,
                                            self.stdin, o.follow_symlinks, out=o.out)
                      if in_shard(it, o.shard)]
        self.summary.found = len(self.items)
        first_by_hash: dict[str, str] = {}
        for it in self.items:
            if it.error is not None:
                self._fail(it, "load", it.error)
            elif it.article is not None:
                # Same content twice: the second is an output of its own pointing at the first.
                h = it.article.content_hash
                it.duplicate_of = first_by_hash.setdefault(h, it.key)
                if it.duplicate_of == it.key:
                    it.duplicate_of = None
        return self.items

    def dry_run(self) -> RunSummary:
        """Articles, estimated tokens and cost, with no model call."""
        articles = [it.article for it in self.items if it.article is not None]
        s = self.summary
        s.prompt_tokens = sum(estimate_tokens(a, self.config.prompt) for a in articles)
        s.completion_tokens = EST_OUTPUT_TOKENS * len(articles)
        cost = backend_cost(self.config.backend, s.prompt_tokens, s.completion_tokens)
        s.estimated_cost_usd, s.cost_status = cost.usd, cost.status
        s.wall_s = time.perf_counter() - self._started
        return s

    # -- reuse -----------------------------------------------------------------------------

    def reuse(self) -> list[Item]:
        """Take what OUT (resume) or the cache already holds; return what is left to do."""
        todo = []
        for it in self.items:
            if it.article is None:
                continue
            key = self.config.result_key(it.article)
            if not self.options.force:
                if self._resumed(it, key):
                    self.summary.skipped += 1
                    continue
                hit = self.cache.get(key) if self.cache and it.duplicate_of is None else None
                if hit is not None and (record := _as_record(hit)) is not None:
                    self._done(it, record.situated(it.article), "cached")
                    continue
            todo.append(it)
        return todo

    def _resumed(self, it: Item, key: str) -> bool:
        done = self.briefs_dir / f"{it.key}.json"
        if not done.is_file():
            return False
        try:
            prev = json.loads(done.read_text(encoding="utf-8"))
        except ValueError:
            return False  # damaged: brief again
        if prev.get("result_key") != key or prev.get("duplicate_of"):
            return False
        record = _as_record(prev)
        if record is not None:
            self.records[it.key] = record
            self.rows[it.key] = record.model_dump_json()
            if not has_content(markdown := self.briefs_dir / f"{it.key}.md"):
                write_markdown(markdown, record)  # lost to a full disk: no model call for it
        return record is not None

    # -- brief -----------------------------------------------------------------------------

    def prepare(self) -> None:
        """The backend sees the run's articles before any key (a local model's context)."""
        articles = [it.article for it in self.items
                    if it.article is not None and it.duplicate_of is None]
        if articles:
            self.config.backend.prepare(articles, self.config.prompt, self.config.settings)

    def brief(self, todo: Sequence[Item]) -> None:
        """Brief every item of `todo` that is no duplicate, within the budget: a remote
        backend on one event loop under an adaptive limit, an in-process one in turn."""
        primaries = [it for it in todo if it.duplicate_of is None]
        backend = self.config.backend
        progress = Progress(len(primaries), self.options.quiet)
        items = self._within_budget(primaries)
        try:
            if self.options.engine == "ray":  # plan, reuse and write stay here
                from .integrations.ray import brief_on_ray

                brief_on_ray(self, items, progress)
            elif self.options.batch_api is not None:  # the provider's Batch API
                from .batch_api.flow import run_batches

                run_batches(self, items, progress)
            elif backend.remote:
                asyncio.run(self._abrief_all(items, progress))
            else:  # one model on these cores: never two articles at once
                for it in items:
                    self.brief_one(it, progress)
        finally:
            progress.close()

    async def _abrief_all(self, items: Sequence[Item], progress: Progress) -> None:
        limit = AdaptiveLimit(self.options.concurrency)
        await gather_under(limit, self.config.backend.share_limit,
                           [functools.partial(self.abrief_one, it, progress) for it in items])
        self.summary.concurrency = limit.report()

    def _within_budget(self, items: Sequence[Item]) -> list[Item]:
        limit = self.options.max_cost
        if limit is None:
            return list(items)
        model, planned, kept = self.config.backend.model, 0.0, []
        for it in items:
            assert it.article is not None
            guess = estimate_cost(model, estimate_tokens(it.article, self.config.prompt),
                                  EST_OUTPUT_TOKENS) or 0.0
            if planned + guess > limit:
                self.summary.not_run += 1
                self.errors.append(ErrorRecord(file=it.source, output=it.key, stage="budget",
                                               reason=f"not run: --max-cost {limit} would be "
                                                      "exceeded"))
                continue
            planned += guess
            kept.append(it)
        return kept

    def brief_one(self, item: Item, progress: Progress | None = None) -> None:
        """One article: brief it, cache it, write it; a failure becomes an error record."""
        assert item.article is not None
        try:
            result = brief_article(item.article, self.config)
        except Exception as exc:
            self._failed(item, exc, progress)
        else:
            self._briefed(item, result, progress)

    async def abrief_one(self, item: Item, progress: Progress | None = None) -> None:
        """`brief_one` on the event loop: only the model call is awaited."""
        assert item.article is not None
        try:
            result = await abrief_article(item.article, self.config)
        except Exception as exc:
            self._failed(item, exc, progress)
        else:
            self._briefed(item, result, progress)

    def _briefed(self, item: Item, result: BriefResult, progress: Progress | None) -> None:
        assert item.article is not None
        record = BriefRecord.of(result, output=item.key,
                                result_key=self.config.result_key(item.article),
                                article_text=item.article.text)
        self._done(item, record, "briefed", usage=result.provenance.usage)
        if progress is not None:
            progress.step(item.key, "briefed")

    def _failed(self, item: Item, exc: Exception, progress: Progress | None) -> None:
        if isinstance(exc, SummarizerError):
            usage = getattr(exc, "usage", None)
            if isinstance(usage, Usage):  # the failed attempts' tokens were spent too
                with self._lock:
                    self.summary.add_usage(usage)
            stage = "extract"
        else:  # a bug must not lose the batch: record it and go on
            stage = "internal"
        reason = self._fail(item, stage, exc, announce=progress is None)
        if progress is not None:
            progress.step(item.key, "failed", reason=f"{item.source}: {reason}")

    def _done(self, item: Item, record: BriefRecord, outcome: str,
              usage: dict[str, int] | None = None) -> None:
        """Write `record` as `item`'s output and count it as briefed, cached or duplicate."""
        record = record.model_copy(update={
            "output": item.key, "duplicate_of": item.duplicate_of, "source": item.source,
            **({"id": item.article.id} if item.article else {})})
        text = record.model_dump_json()  # once: the brief's file, its JSONL row, the cache
        if outcome == "briefed" and self.cache is not None:
            try:  # first: if OUT then fails, the rerun finds the brief here
                self.cache.put_text(record.result_key, text)
            except OSError:
                pass  # a cache that cannot take it costs a call later, never the run
        write_markdown(self.briefs_dir / f"{item.key}.md", record)
        atomic_write_text(self.briefs_dir / f"{item.key}.json", text + "\n")  # the done mark
        with self._lock:
            self.records[item.key] = record
            self.rows[item.key] = text
            setattr(self.summary, _COUNTER[outcome], getattr(self.summary, _COUNTER[outcome]) + 1)
            if usage is not None:
                self.summary.add_usage(Usage(usage["prompt_tokens"],
                                             usage["completion_tokens"], usage["calls"],
                                             usage.get("cached_tokens", 0)))

    def _fail(self, item: Item, stage: str, exc: BaseException, announce: bool = True) -> str:
        """Record a failed input and return why; `announce` names it on the console."""
        reason = _reason(exc)
        with self._lock:
            self.errors.append(ErrorRecord(file=item.source, output=item.key, stage=stage,
                                           reason=reason))
            self.summary.failed += 1
            if announce and not self.options.quiet:
                print(f"failed: {item.source}: {reason}", file=sys.stderr, flush=True)
        return reason

    # -- write -----------------------------------------------------------------------------

    def write(self) -> RunSummary:
        """Duplicates take their first's brief; then briefs.jsonl, csv, errors, run.json."""
        for it in self.items:
            if it.duplicate_of is None or it.key in self.records:
                continue
            primary = self.records.get(it.duplicate_of)
            if primary is None:
                self._fail(it, "duplicate", SummarizerError(
                    f"same content as {it.duplicate_of}, which has no brief"))
                continue
            self._done(it, primary, "duplicate")
        s, backend = self.summary, self.config.backend
        s.transport_retries += backend.transport_retries  # plus any the Ray actors made
        cost = backend_cost(backend, s.prompt_tokens, s.completion_tokens, s.cached_tokens)
        s.estimated_cost_usd, s.cost_status = cost.usd, cost.status
        s.wall_s = round(time.perf_counter() - self._started, 3)
        if s.batch_api is not None:  # at the batch rate (batch_api/pricing.py)
            s.estimated_cost_usd = s.batch_api["cost_usd"]
        ordered = [self.records[it.key] for it in self.items if it.key in self.records]
        atomic_write_text(self.out / "briefs.jsonl",
                          "".join(self.rows[r.output] + "\n" for r in ordered))
        write_csv(self.out / "briefs.csv", ordered)
        write_tables(self.out, ordered)  # casualties.csv, arrests.csv, actors.csv
        errors: list[ErrorRecord] = sorted(self.errors, key=lambda e: e.output)
        write_jsonl(self.out / "errors.jsonl", errors)
        write_json(self.out / "run.json", s.as_dict())
        write_index(self.out, ordered, self.errors, s.as_dict())  # index.html: the viewer
        return s

    def run(self) -> tuple[RunSummary, int]:
        """plan -> reuse -> brief -> write, holding OUT. Returns (summary, exit code)."""
        if self.options.dry_run:
            self.plan()
            return self.dry_run(), 0
        backend = self.config.backend
        if (self.options.max_cost is not None and backend.remote
                and estimate_cost(backend.model, 1, 1) is None):
            raise ConfigurationError(f"--max-cost: no price known for model {backend.model!r}")
        with output_errors(self.out), OutputLock(self.out):
            check_shard(self.out, self.summary.shard)
            self.plan()
            return self._locked_run()

    def _locked_run(self) -> tuple[RunSummary, int]:
        self.briefs_dir.mkdir(parents=True, exist_ok=True)
        # What exists by now (modules, clients, the articles) outlives the run: frozen, the
        # cyclic GC stops walking it on every full collection, and a larger first generation
        # makes collections rarer: GC time over 1,000 remote briefs 0.8-0.95 -> 0.4 s.
        gc.freeze()
        threshold = gc.get_threshold()
        gc.set_threshold(max(threshold[0], 10_000), *threshold[1:])
        try:
            self.prepare()
            self.brief(self.reuse())
            summary = self.write()
        finally:
            gc.set_threshold(*threshold)
            gc.unfreeze()
        return summary, (1 if summary.failed or summary.not_run else 0)


def _as_record(data: dict[str, Any]) -> BriefRecord | None:
    """A stored record, or None when it is from an incompatible version (brief it again)."""
    try:
        return BriefRecord.model_validate(data)
    except ValueError:
        return None


def run_batch(paths: Sequence[str], options: RunOptions, backend: Backend | None = None,
              stdin: BinaryIO | None = None) -> tuple[RunSummary, int]:
    """Brief every article under `paths` into `options.out`. Returns (summary, exit code)."""
    return BatchRun(paths, options, backend, stdin).run()
