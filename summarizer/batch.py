"""Many articles: discovery, sharding, de-duplication, cache and resume, bounded concurrency,
progress, and a complete set of outputs. One bad article never stops a batch.

Crash safety: each brief is written atomically to OUT/briefs/<key>.json the moment it is
made, and the run-level files (briefs.jsonl, briefs.csv, errors.jsonl, run.json) are
rewritten atomically at the end. A rerun after a crash finds the finished briefs (same result
key) and makes model calls only for the rest.
"""

from __future__ import annotations

import fnmatch
import hashlib
import json
import os
import re
import sys
import threading
import time
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import ThreadPoolExecutor, as_completed
from dataclasses import dataclass, field
from functools import partial
from pathlib import Path
from typing import Any

from .article import (
    JSONL_SUFFIXES,
    MAX_BYTES,
    SUFFIXES,
    Article,
    iter_jsonl,
    parse_article,
    read_bytes,
)
from .backends import default_backend_name, resolve_backend
from .backends.base import Backend, Settings, wants_example
from .brief import BriefDraft, schema_id
from .cache import ResultCache, result_key
from .errors import ArticleError, ConfigurationError, SummarizerError
from .output import to_markdown, write_csv, write_json, write_jsonl
from .pipeline import Policy, summarize
from .prompts import PromptTemplate, load_prompt
from .view import write_index

# USD per 1M tokens (input, output), for --dry-run and --max-cost estimates.
PRICES = {"gpt-4o-mini": (0.15, 0.60), "gpt-4o": (2.50, 10.00), "gpt-4.1": (2.00, 8.00),
          "gpt-4.1-mini": (0.40, 1.60), "gpt-4.1-nano": (0.10, 0.40)}
EST_OUTPUT_TOKENS = 900


@dataclass
class Item:
    """One article to brief, or one input that failed before it became an article."""

    key: str  # output name: unique in the run, safe as a file name
    source: str
    article: Article | None = None
    error: ArticleError | None = None
    duplicate_of: str | None = None


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
    settings: Settings = field(default_factory=Settings)


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
    estimated_cost_usd: float | None = None
    wall_s: float = 0.0
    backend: str = ""
    model: str = ""

    def as_dict(self) -> dict[str, Any]:
        d = dict(self.__dict__)
        d["total_tokens"] = self.prompt_tokens + self.completion_tokens
        return d

    def line(self) -> str:
        cost = "" if self.estimated_cost_usd is None else f", ~${self.estimated_cost_usd:.4f}"
        return (f"{self.found} found: {self.briefed} briefed, {self.cached} cached, "
                f"{self.skipped} already done, {self.duplicates} duplicate, {self.failed} "
                f"failed" + (f", {self.not_run} not run (budget)" if self.not_run else "")
                + f"; {self.model_calls} model calls, {self.prompt_tokens + self.completion_tokens}"
                f" tokens{cost}; {self.wall_s:.1f}s")


# --- discovery ----------------------------------------------------------------------------

_UNSAFE = re.compile(r"[^\w.+=@-]+", re.UNICODE)


def output_key(rel: str) -> str:
    """A file-name-safe key from a relative source path: no separators, no '..'."""
    parts = [p for p in re.split(r"[\\/]+", rel) if p not in ("", ".", "..")]
    key = "__".join(_UNSAFE.sub("_", p).strip("_") or "_" for p in parts) or "article"
    return key.lstrip(".")[:150] or "article"


def _matches(rel: str, patterns: Sequence[str]) -> bool:
    name = rel.rsplit("/", 1)[-1]
    return any(fnmatch.fnmatch(rel, p) or fnmatch.fnmatch(name, p) for p in patterns)


def _walk(root: Path) -> Iterator[tuple[Path | None, str, str | None]]:
    """(path, relative name, error) for files under root; follows symlinked folders once,
    reporting loops instead of circling."""
    seen: set[str] = set()
    for dirpath, dirnames, filenames in os.walk(root, followlinks=True):
        real = os.path.realpath(dirpath)
        if real in seen:
            rel = os.path.relpath(dirpath, root)
            yield None, rel, "symlink loop: this folder was already visited"
            dirnames[:] = []
            continue
        seen.add(real)
        dirnames.sort()
        for name in sorted(filenames):
            path = Path(dirpath) / name
            yield path, os.path.relpath(path, root), None


def discover(paths: Sequence[str], include: Sequence[str] = (), exclude: Sequence[str] = (),
             max_bytes: int = MAX_BYTES, stdin: Any = None) -> list[Item]:
    """Every input as an Item, in a deterministic order."""
    items: list[Item] = []

    def add_file(path: Path, rel: str, explicit: bool) -> None:
        suffix = path.suffix.lower()
        if not explicit and suffix not in SUFFIXES:
            return
        if include and not _matches(rel, include):
            return
        if exclude and _matches(rel, exclude):
            return
        if suffix in JSONL_SUFFIXES:
            try:
                for got in iter_jsonl(path, max_bytes=50 * max_bytes):
                    key = output_key(f"{rel}-L{got.source.rsplit('#', 1)[-1]}")
                    if isinstance(got, ArticleError):
                        items.append(Item(key, got.source, error=got))
                    else:
                        items.append(Item(key, got.source, article=got))
            except ArticleError as exc:
                items.append(Item(output_key(rel), str(path), error=exc))
            return
        try:
            article = parse_article(read_bytes(path, max_bytes), str(path), suffix)
            items.append(Item(output_key(rel), str(path), article=article))
        except ArticleError as exc:
            items.append(Item(output_key(rel), str(path), error=exc))

    for spec in paths:
        if spec == "-":
            raw = (stdin or sys.stdin.buffer).read()
            try:
                items.append(Item("stdin", "<stdin>", article=parse_article(raw, "<stdin>")))
            except ArticleError as exc:
                items.append(Item("stdin", "<stdin>", error=exc))
            continue
        path = Path(spec)
        try:
            path.resolve(strict=True)
        except (OSError, RuntimeError) as exc:
            reason = "symlink loop" if "loop" in str(exc).lower() else "no such file or folder"
            items.append(Item(output_key(spec), spec, error=ArticleError(spec, reason)))
            continue
        if path.is_dir():
            for file, inner, err in _walk(path):
                rel = f"{path.name}/{inner}" if len(paths) > 1 else inner
                if file is None:
                    where = str(path / inner)
                    items.append(Item(output_key(rel), where,
                                      error=ArticleError(where, err or "unreadable")))
                elif file.is_symlink() and not file.exists():
                    items.append(Item(output_key(rel), str(file), error=ArticleError(
                        str(file), "broken symlink or symlink loop")))
                else:
                    add_file(file, rel, explicit=False)
        else:
            add_file(path, path.name, explicit=True)
    return _unique_keys(items)


def _unique_keys(items: list[Item]) -> list[Item]:
    counts: dict[str, int] = {}
    for it in items:
        counts[it.key] = counts.get(it.key, 0) + 1
    for it in items:
        if counts[it.key] > 1:  # e.g. "a b.txt" and "a_b.txt": tell them apart by source
            it.key = f"{it.key}-{hashlib.sha256(it.source.encode()).hexdigest()[:8]}"
    return items


def in_shard(item: Item, shard: tuple[int, int]) -> bool:
    k, n = shard
    ident = item.article.id if item.article else item.source
    return int(hashlib.sha256(ident.encode()).hexdigest(), 16) % n == k - 1


def estimate_tokens(article: Article, prompt: PromptTemplate) -> int:
    """Rough prompt tokens (4 characters a token) for planning; not billing."""
    return sum(len(m["content"]) for m in prompt.render(article)) // 4 + 16


def estimate_cost(model: str, prompt_tokens: int, completion_tokens: int) -> float | None:
    price = PRICES.get(model)
    if price is None:
        return None
    return (prompt_tokens * price[0] + completion_tokens * price[1]) / 1_000_000


def _backend(options: RunOptions) -> Backend:
    extra: dict[str, Any] = {}
    if options.timeout is not None:
        if (options.backend or default_backend_name()) != "openai":
            raise ConfigurationError("--timeout applies to the openai backend (an HTTP client)")
        extra["timeout"] = options.timeout
    return resolve_backend(options.backend, model=options.model, mode=options.mode,
                           recording=options.recording, recordings_dir=options.recordings_dir,
                           **extra)


# --- the run ------------------------------------------------------------------------------


class _Progress:
    """A rich progress bar on a terminal, plain lines otherwise, nothing with --quiet."""

    def __init__(self, total: int, quiet: bool) -> None:
        self.quiet = quiet
        self.bar: Any = None
        self.done = 0
        self.total = total
        self._lock = threading.Lock()
        if not quiet and sys.stderr.isatty():
            from rich.progress import Progress

            self.bar = Progress(transient=False)
            self.task = self.bar.add_task("briefing", total=total)
            self.bar.start()

    def step(self, key: str, status: str) -> None:
        with self._lock:  # called from every worker
            self.done += 1
            if self.bar is not None:
                self.bar.update(self.task, advance=1, description=f"{status}: {key[:40]}")
            elif not self.quiet:
                print(f"[{self.done}/{self.total}] {status}: {key}", file=sys.stderr,
                      flush=True)

    def close(self) -> None:
        if self.bar is not None:
            self.bar.stop()


def run_batch(paths: Sequence[str], options: RunOptions,
              backend: Backend | None = None, stdin: Any = None) -> tuple[RunSummary, int]:
    """Brief every article under `paths` into `options.out`. Returns (summary, exit code)."""
    started = time.perf_counter()
    if options.out is None:
        raise ConfigurationError("run_batch needs an output folder (--out DIR)")
    out = Path(options.out)
    prompt = load_prompt()
    items = [it for it in discover(paths, options.include, options.exclude, options.max_bytes,
                                   stdin) if in_shard(it, options.shard)]
    summary = RunSummary(found=len(items))
    backend = backend or _backend(options)
    summary.backend, summary.model = backend.name, backend.model
    articles = [it for it in items if it.article is not None]

    if options.dry_run:
        tokens = sum(estimate_tokens(it.article, prompt) for it in articles if it.article)
        summary.prompt_tokens = tokens
        summary.completion_tokens = EST_OUTPUT_TOKENS * len(articles)
        summary.estimated_cost_usd = estimate_cost(backend.model, tokens,
                                                   summary.completion_tokens)
        summary.failed = len(items) - len(articles)
        summary.wall_s = time.perf_counter() - started
        return summary, 0
    if options.max_cost is not None and estimate_cost(backend.model, 1, 1) is None \
            and backend.remote:
        raise ConfigurationError(f"--max-cost: no price known for model {backend.model!r}")

    # Same content twice: the second is an output of its own that points at the first.
    first_by_hash: dict[str, str] = {}
    for it in articles:
        assert it.article is not None
        h = it.article.content_hash
        if h in first_by_hash:
            it.duplicate_of = first_by_hash[h]
        else:
            first_by_hash[h] = it.key

    draft_schema = schema_id(BriefDraft)  # ~20 ms a call (pydantic builds the schema): once

    def key_for(article: Article) -> str:
        return result_key(content_hash=article.content_hash, backend=backend.name,
                          model=backend.model, prompt_id=prompt.id,
                          schema_id=draft_schema, settings=options.settings.key(),
                          policy=options.policy,
                          extra={"grounded": bool(getattr(backend, "grounded", False))})

    briefs_dir = out / "briefs"
    briefs_dir.mkdir(parents=True, exist_ok=True)
    cache = ResultCache(options.cache_dir) if options.use_cache else None
    records: dict[str, dict[str, Any]] = {}
    errors: list[dict[str, str]] = []
    lock = threading.Lock()

    def finish(item: Item, record: dict[str, Any]) -> None:
        record = {"output": item.key, "duplicate_of": item.duplicate_of, **record,
                  "id": item.article.id if item.article else record.get("id"),
                  "source": item.source,  # the text, for index.html's highlights:
                  "article_text": item.article.text if item.article else record.get(
                      "article_text")}
        write_json(briefs_dir / f"{item.key}.json", record)
        (briefs_dir / f"{item.key}.md").write_text(to_markdown(record), encoding="utf-8")
        with lock:
            records[item.key] = record

    def fail(item: Item, stage: str, exc: BaseException) -> None:
        reason = " ".join(str(exc).split()) or type(exc).__name__
        if isinstance(exc, ArticleError) and reason.startswith(exc.source + ": "):
            reason = reason[len(exc.source) + 2:]
        with lock:
            errors.append({"file": item.source, "output": item.key, "stage": stage,
                           "reason": reason[:500]})
            summary.failed += 1

    for it in items:
        if it.error is not None:
            fail(it, "load", it.error)

    # Reuse what is already done: in OUT (resume) or in the cache.
    todo: list[Item] = []
    for it in articles:
        assert it.article is not None
        rkey = key_for(it.article)
        done = briefs_dir / f"{it.key}.json"
        if not options.force and done.is_file():
            try:
                prev = json.loads(done.read_text(encoding="utf-8"))
                if prev.get("result_key") == rkey and not prev.get("duplicate_of"):
                    records[it.key] = prev
                    summary.skipped += 1
                    continue
            except ValueError:
                pass  # damaged: brief again
        if it.duplicate_of is None and cache is not None and not options.force:
            hit = cache.get(rkey)
            if hit is not None:
                finish(it, hit)
                summary.cached += 1
                continue
        todo.append(it)

    primaries = [it for it in todo if it.duplicate_of is None]
    if hasattr(backend, "reserve_context") and primaries:
        messages_for = partial(prompt.render, example=wants_example(backend))
        backend.reserve_context([it.article for it in primaries], messages_for,  # type: ignore
                                options.settings)
    progress = _Progress(len(primaries), options.quiet)
    planned = 0.0  # estimated cost of everything submitted, for --max-cost

    def brief_one(item: Item) -> None:
        assert item.article is not None
        try:
            result = summarize(item.article, backend=backend, settings=options.settings,
                               policy=options.policy, prompt=prompt)
        except SummarizerError as exc:
            usage = getattr(exc, "usage", None)
            with lock:
                if usage is not None:
                    summary.model_calls += usage.calls
                    summary.prompt_tokens += usage.prompt_tokens
                    summary.completion_tokens += usage.completion_tokens
            fail(item, "extract", exc)
            progress.step(item.key, "failed")
            return
        except Exception as exc:  # a bug must not lose the batch: record it and go on
            fail(item, "internal", exc)
            progress.step(item.key, "failed")
            return
        record = {"result_key": key_for(item.article), **result.model_dump(mode="json")}
        usage = result.provenance.usage
        with lock:
            summary.model_calls += usage["calls"]
            summary.prompt_tokens += usage["prompt_tokens"]
            summary.completion_tokens += usage["completion_tokens"]
            summary.briefed += 1
        if cache is not None:
            cache.put(record["result_key"], record)
        finish(item, record)
        progress.step(item.key, "briefed")

    workers = max(1, options.concurrency) if backend.remote else 1
    try:
        with ThreadPoolExecutor(max_workers=workers) as pool:
            futures = []
            for it in primaries:
                if options.max_cost is not None and it.article is not None:
                    guess = estimate_cost(backend.model, estimate_tokens(it.article, prompt),
                                          EST_OUTPUT_TOKENS) or 0.0
                    if planned + guess > options.max_cost:
                        summary.not_run += 1
                        errors.append({"file": it.source, "output": it.key, "stage": "budget",
                                       "reason": f"not run: --max-cost {options.max_cost} "
                                                 "would be exceeded"})
                        continue
                    planned += guess
                futures.append(pool.submit(brief_one, it))
            for fut in as_completed(futures):
                fut.result()
    finally:
        progress.close()

    # Duplicates reuse the brief of the first file with the same content.
    for it in todo:
        if it.duplicate_of is None:
            continue
        primary = records.get(it.duplicate_of)
        if primary is None:
            fail(it, "duplicate", SummarizerError(f"same content as {it.duplicate_of}, "
                                                  "which has no brief"))
            continue
        finish(it, {k: v for k, v in primary.items() if k not in ("output", "duplicate_of")})
        summary.duplicates += 1

    retry = getattr(backend, "retry", None)
    summary.transport_retries = getattr(retry, "retries", 0)
    summary.estimated_cost_usd = estimate_cost(backend.model, summary.prompt_tokens,
                                               summary.completion_tokens)
    if not backend.remote:
        summary.estimated_cost_usd = 0.0
    summary.wall_s = round(time.perf_counter() - started, 3)
    ordered = [records[it.key] for it in items if it.key in records]
    write_jsonl(out / "briefs.jsonl", ordered)
    write_csv(out / "briefs.csv", ordered)
    write_jsonl(out / "errors.jsonl", sorted(errors, key=lambda e: e["output"]))
    write_json(out / "run.json", summary.as_dict())
    write_index(out, ordered, errors, summary.as_dict())  # index.html: the viewer
    return summary, (1 if summary.failed or summary.not_run else 0)


def brief_single(path: str, options: RunOptions,
                 emit: Callable[[str], None] = print) -> int:
    """`summarizer run FILE` without --out: the brief as JSON on stdout."""
    items = discover([path], max_bytes=options.max_bytes)
    if len(items) != 1 or items[0].article is None:
        if items and items[0].error is not None:
            raise items[0].error
        raise ConfigurationError(f"{path}: give --out DIR to brief more than one article")
    backend = _backend(options)
    result = summarize(items[0].article, backend=backend, settings=options.settings,
                       policy=options.policy)
    emit(result.model_dump_json(indent=2))
    return 0
