"""Many articles: a run as one stream, each step a method of `BatchRun`.

    plan   inputs -> Items, read one at a time (discovery.py), this shard's, duplicates
           marked (a dict of content hashes: the one map here that grows with the corpus)
    reuse  skip what has a whole row in briefs.jsonl (resume); take what the cache holds
    brief  the rest, within the budget, through an engine (engines/): it pulls the items as
           it has room and hands each outcome to `accept`, the run's one public door
    write  each outcome as it arrives (stream.py); at the end duplicates, run.json and the
           viewer, read back from the files a page at a time

So the memory of a run does not grow with its corpus: no brief, article or row is kept once
written. Crash safety: a whole briefs.jsonl row marks an article done; a rerun after a crash
or a full disk trims a torn last line, writes any per-brief file a done row lacks, and makes
model calls only for the rest. One bad article never stops a batch; a file OUT cannot take
ends it (OutputError, exit code 3), and one run at a time holds OUT (outdir.py).
"""

from __future__ import annotations

import sys
import threading
import time
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, BinaryIO

from ..backends.base import Backend, Usage
from ..errors import ConfigurationError
from ..view import write_index
from .cache import ResultCache
from .costs import (
    EST_OUTPUT_TOKENS,
    Cost,
    CostStatus,
    backend_cost,
    estimate_cost,
    estimate_tokens,
)
from .discovery import Item, in_shard, iter_items, output_key
from .engines import Engine
from .options import RunOptions
from .outdir import OutputLock, check_shard, output_errors
from .output import write_json
from .progress import Progress
from .records import Briefed, BriefRecord, ErrorRecord, Outcome, failed
from .stream import BRIEFS, Outputs, iter_rows

__all__ = ["BatchRun", "RunOptions", "RunSummary", "output_key", "run_batch"]


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


class BatchRun:
    """One run over `paths` into `options.out` under one Configuration."""

    def __init__(self, paths: Sequence[str], options: RunOptions,
                 backend: Backend | None = None, stdin: BinaryIO | None = None) -> None:
        if options.out is None and not options.dry_run:
            raise ConfigurationError("run_batch needs an output folder (--out DIR)")
        self.paths, self.options, self.stdin = paths, options, stdin
        self.config = options.configuration(backend)
        self.owns_backend = backend is None  # a caller's backend stays the caller's
        self.out = Path(options.out or ".")  # a dry run writes nothing
        self.cache = ResultCache(options.cache_dir) if options.use_cache else None
        self.summary = RunSummary(backend=self.config.backend.name, model=self.config.backend.model,
                                  shard="/".join(map(str, options.shard)))
        self.outputs = Outputs(self.out, options.brief_files)
        # content hash (its first 64 bits) -> the first output with it: what grows here
        self.first_by_hash: dict[int, str] = {}
        self.waiting: dict[str, list[Item]] = {}  # primary output -> its duplicates (no text)
        self.superseded: set[str] = set()  # done rows briefed again under a new result key
        self.progress: Progress | None = None
        self._ids: dict[str, str] = {}  # a waiting duplicate's article id
        self._planned = 0.0  # --max-cost: the estimate of what was sent so far
        self._lock = threading.Lock()
        self._started = time.perf_counter()

    # -- plan ------------------------------------------------------------------------------

    def plan(self) -> Iterator[Item]:
        """This shard's inputs, one at a time: load failures recorded, duplicates marked."""
        o = self.options
        for it in iter_items(self.paths, o.include, o.exclude, o.max_bytes, self.stdin,
                             o.follow_symlinks, out=o.out):
            if not in_shard(it, o.shard):
                continue
            self.summary.found += 1
            if it.error is not None:
                self.accept(failed(it, it.error, stage="load"))
                continue
            assert it.article is not None
            # Same content twice: the second is an output of its own pointing at the first.
            first = self.first_by_hash.setdefault(int(it.article.content_hash[:16], 16),
                                                  it.key)
            it.duplicate_of = None if first == it.key else first
            yield it

    def dry_run(self) -> RunSummary:
        """Articles, estimated tokens and cost, with no model call."""
        s, prompt = self.summary, self.config.prompt
        for it in self.plan():
            assert it.article is not None
            s.prompt_tokens += estimate_tokens(it.article, prompt)
            s.completion_tokens += EST_OUTPUT_TOKENS
        cost = backend_cost(self.config.backend, s.prompt_tokens, s.completion_tokens)
        s.estimated_cost_usd, s.cost_status = cost.usd, cost.status
        s.wall_s = time.perf_counter() - self._started
        return s

    def prepare(self) -> None:
        """An in-process model sizes its context window from every article it will brief,
        before the first (backend.prepare): for such a backend alone, a first pass reads
        this shard's articles and holds them for that call (a run of an in-process model
        is hours per thousand articles; a remote or rules backend has nothing to prepare and
        no pass is made). The size is in the result key, so this comes before any key; on
        Ray the actors are given it. stdin, read once, is left to the model's own sizing."""
        backend = self.config.backend
        if type(backend).prepare is Backend.prepare or "-" in self.paths:
            return
        o = self.options
        articles = [it.article for it in iter_items(self.paths, o.include, o.exclude,
                                                    o.max_bytes, self.stdin,
                                                    o.follow_symlinks, out=o.out)
                    if it.article is not None and in_shard(it, o.shard)]
        if articles:
            backend.prepare(articles, self.config.prompt, self.config.settings)

    # -- reuse -----------------------------------------------------------------------------

    def reuse(self, items: Iterable[Item]) -> Iterator[Item]:
        """Skip what has a whole row for this configuration; take what the cache holds;
        keep duplicates for the end (they take their first's brief); yield the rest."""
        done = self.outputs.done
        for it in items:
            assert it.article is not None
            key = it.result_key = self.config.result_key(it.article)
            if not self.options.force and done.get(it.key) == key:
                self.summary.skipped += 1
                continue
            if it.key in done:
                self.superseded.add(it.key)
            if it.duplicate_of is not None:
                light = Item(it.key, it.source, duplicate_of=it.duplicate_of)
                self.waiting.setdefault(it.duplicate_of, []).append(light)
                self._ids[it.key] = it.article.id
                continue
            hit = self.cache.get(key) if self.cache and not self.options.force else None
            if hit is not None and (record := _as_record(hit)) is not None:
                self._write(it, record.situated(it.article), "cached", None)
                continue
            yield it

    # -- brief -----------------------------------------------------------------------------

    def engine(self) -> Engine:
        """The way this run briefs: Ray, a provider's Batch API, or in process."""
        o = self.options
        if o.engine == "ray":
            from .engines.ray import RayEngine

            return RayEngine(self.config, o)
        if o.batch_api is not None:
            from .engines.batch_api import BatchAPIEngine

            return BatchAPIEngine(self.config, o, self.out, self._note)
        from .engines.local import AsyncEngine, SequentialEngine

        if self.config.backend.remote:
            return AsyncEngine(self.config, o.concurrency)
        return SequentialEngine(self.config)  # one model on these cores: one at a time

    def brief(self, todo: Iterable[Item]) -> None:
        """Brief every item of `todo` within the budget, through the run's engine."""
        engine = self.engine()
        self.progress = Progress(None, self.options.quiet)
        try:
            engine.brief(self._within_budget(todo), self.accept)
        finally:
            self.progress.close()
            self.progress = None
        for name, value in engine.report().items():
            if name == "transport_retries":
                self.summary.transport_retries += value
            else:
                setattr(self.summary, name, value)

    def _within_budget(self, items: Iterable[Item]) -> Iterator[Item]:
        limit = self.options.max_cost
        if limit is None:
            yield from items
            return
        model = self.config.backend.model
        for it in items:
            assert it.article is not None
            guess = estimate_cost(model, estimate_tokens(it.article, self.config.prompt),
                                  EST_OUTPUT_TOKENS) or 0.0
            if self._planned + guess > limit:
                self.summary.not_run += 1
                self.outputs.error(ErrorRecord(file=it.source, output=it.key, stage="budget",
                                               reason=f"not run: --max-cost {limit} would be "
                                                      "exceeded"))
                continue
            self._planned += guess
            yield it

    def accept(self, outcome: Outcome) -> None:
        """One article's outcome, from any engine: written now, counted, shown."""
        if isinstance(outcome, Briefed):
            self._write(outcome.item, outcome.record, "briefed", outcome.usage)
        else:
            self._fail(outcome.error, outcome.usage)

    def _note(self, text: str) -> None:
        if self.progress is not None:
            self.progress.note(text)

    def _write(self, item: Item, record: BriefRecord, outcome: str,
               usage: Usage | None) -> None:
        """Write `record` as `item`'s output and count it as briefed, cached or duplicate."""
        update: dict[str, Any] = {"output": item.key, "duplicate_of": item.duplicate_of,
                                  "source": item.source}
        if item.article is not None:
            update["id"] = item.article.id
        elif item.key in self._ids:
            update["id"] = self._ids.pop(item.key)
        record = record.model_copy(update=update)
        text = record.model_dump_json()  # once: the brief's file, its JSONL row, the cache
        if outcome == "briefed" and self.cache is not None:
            try:  # first: if OUT then fails, the rerun finds the brief here
                self.cache.put_text(record.result_key, text)
            except OSError:
                pass  # a cache that cannot take it costs a call later, never the run
        with self._lock:
            self.outputs.brief(record, text)
            setattr(self.summary, _COUNTER[outcome], getattr(self.summary, _COUNTER[outcome]) + 1)
            if usage is not None:
                self.summary.add_usage(usage)
            if self.progress is not None:
                self.progress.step(item.key, outcome)

    def _fail(self, error: ErrorRecord, usage: Usage | None = None) -> None:
        """Record a failed input; say so on the console."""
        with self._lock:
            if not self.options.dry_run:  # a dry run writes nothing
                self.outputs.error(error)
            self.summary.failed += 1
            if usage is not None:
                self.summary.add_usage(usage)
            why = f"{error.file}: {error.reason}"
            if self.progress is not None and error.stage not in ("load", "duplicate"):
                self.progress.step(error.output, "failed", reason=why)
            elif not self.options.quiet:
                print(f"failed: {why}", file=sys.stderr, flush=True)

    # -- write -----------------------------------------------------------------------------

    def _duplicates(self) -> None:
        """Each waiting duplicate takes its first's brief, read back from briefs.jsonl."""
        if not self.waiting:
            return
        found: list[tuple[Item, BriefRecord]] = []
        for _, row in iter_rows(self.out / BRIEFS):
            dups = self.waiting.pop(row.get("output", ""), None) if row else None
            if dups and row is not None and not row.get("duplicate_of"):
                primary = _as_record(row)
                found += [(d, primary) for d in dups if primary is not None]
        for dup, primary in found:
            self._write(dup, primary, "duplicate", None)
        for first, dups in self.waiting.items():
            for dup in dups:
                self._fail(ErrorRecord(file=dup.source, output=dup.key, stage="duplicate",
                                       reason=f"same content as {first}, which has no brief"))
        self.waiting.clear()

    def write(self) -> RunSummary:
        """Duplicates, then close the streams; run.json and the viewer from the files."""
        self._duplicates()
        self.outputs.close()
        if self.superseded:
            self.outputs.compact(self.superseded)
        s, backend = self.summary, self.config.backend
        s.transport_retries += backend.transport_retries  # plus any the Ray actors made
        cost = backend_cost(backend, s.prompt_tokens, s.completion_tokens, s.cached_tokens)
        s.estimated_cost_usd, s.cost_status = cost.usd, cost.status
        s.wall_s = round(time.perf_counter() - self._started, 3)
        if s.batch_api is not None:  # at the batch rate (batch_api/pricing.py)
            s.estimated_cost_usd = s.batch_api["cost_usd"]
        write_json(self.out / "run.json", s.as_dict())
        write_index(self.out, run=s.as_dict())  # index.html: the viewer, a page at a time
        return s

    def run(self) -> tuple[RunSummary, int]:
        """plan -> reuse -> brief -> write, holding OUT. Returns (summary, exit code)."""
        if self.options.dry_run:
            return self.dry_run(), 0
        backend = self.config.backend
        if (self.options.max_cost is not None and backend.remote
                and estimate_cost(backend.model, 1, 1) is None):
            raise ConfigurationError(f"--max-cost: no price known for model {backend.model!r}")
        with output_errors(self.out), OutputLock(self.out):
            check_shard(self.out, self.summary.shard)
            return self._locked_run()

    def _locked_run(self) -> tuple[RunSummary, int]:
        # The GC is the process's: the `summarizer` command tunes its own (cli.py), a
        # library caller's is left as it is.
        self.out.mkdir(parents=True, exist_ok=True)
        try:
            self.outputs.open(fresh=self.options.force)
            self.prepare()
            try:
                self.brief(self.reuse(self.plan()))
                summary = self.write()
            except BaseException:
                self.outputs.close(quiet=True)  # the first failure is the one to report
                raise
        finally:
            if self.owns_backend:  # built here from the spec: its loaded model goes now
                self.config.backend.close()
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
