"""Past one machine: the pipeline on Ray Data (extra `ray`: pip install 'summarizer[ray]').

    ds = read_articles(["articles/"])                     # one row per input, as discovered
    out = ds.map_batches(Briefer, fn_constructor_kwargs={"spec": BriefSpec(model="gpt-4o-mini"),
                                                         "concurrency": 16},
                         concurrency=4, batch_size=64, batch_format="pyarrow")

`Briefer` builds its Configuration once per actor (in `__init__`), then briefs each batch with
the same pipeline as a local run: a remote backend's calls on the actor's own event loop under
an adaptive limit of `concurrency` (a 429 halves it), an in-process model one article at a
time. Each input row comes back as one row: `record` holds the briefs.jsonl row (a
BriefRecord as JSON), or `error` the errors.jsonl row, with the actor that made it.

`summarizer run ... --engine ray` (`brief_on_ray`) keeps plan and reuse (resume, cache) on the
driver in BatchRun, sends Ray only the articles still to brief, and records each answer with
BatchRun's own `_briefed` / `_failed`, so the outputs and result keys are a local run's.
"""

from __future__ import annotations

import asyncio
import contextlib
import dataclasses
import importlib.util
import json
import logging
import os
import socket
import sys
import time
import warnings
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ..article import MAX_BYTES, Article
from ..backends import backend_for
from ..backends.base import Settings, Usage
from ..backends.recording import DEFAULT_DIR
from ..concurrency import AdaptiveLimit
from ..configuration import Configuration, Policy, configure
from ..discovery import Item, discover
from ..errors import ArticleError, ConfigurationError, MissingExtraError, SummarizerError
from ..pipeline import BriefResult, abrief_article, brief_article
from ..progress import Progress
from ..records import BriefRecord, ErrorRecord

if TYPE_CHECKING:
    from ..batch import BatchRun, RunOptions

__all__ = ["ARTICLE_COLUMNS", "OUT_COLUMNS", "BriefSpec", "Briefer", "article_table",
           "brief_on_ray", "check_engine_options", "connect_ray", "read_articles"]

ARTICLE_COLUMNS = ("output", "error", *Article.model_fields)  # output key, load error, Article
OUT_COLUMNS = ("output", "source", "record", "error", "actor", "node", "pid",
               "transport_retries", "rate_limited")
# The driver's provider and summarizer variables travel with the job to every actor.
FORWARDED_ENV = ("OPENAI_", "ANTHROPIC_", "GEMINI_", "GOOGLE_API_KEY", "GOOGLE_GEMINI_",
                 "GOOGLE_GENAI_", "OLLAMA_", "SUMMARIZER_")


@dataclass(frozen=True)
class BriefSpec:
    """What each actor builds its Configuration from: names, not objects (an actor is a
    process of its own, perhaps on another machine). `env` is set in the actor first."""

    backend: str | None = None
    model: str | None = None
    mode: str | None = None
    recording: str | None = None
    recordings_dir: str | None = None
    timeout: float | None = None
    settings: Settings = field(default_factory=Settings)
    policy: Policy = "flag"
    env: dict[str, str] = field(default_factory=dict)
    n_ctx: int = 0  # a local model's context, as the driver sized it for the whole run

    def configure(self) -> Configuration:
        return configure(self.backend, model=self.model, mode=self.mode,
                         recording=self.recording, recordings_dir=self.recordings_dir,
                         timeout=self.timeout, settings=self.settings, policy=self.policy,
                         n_ctx=self.n_ctx)

    @classmethod
    def of(cls, options: RunOptions) -> BriefSpec:
        """A run's spec: the backend as the driver resolved it (so an actor's own
        environment cannot pick another), folders absolute, provider variables forwarded."""
        name, model = backend_for(options.backend, options.model)
        recording = options.recording or os.environ.get("SUMMARIZER_RECORDINGS") or None
        folder = None
        if recording:
            folder = str(Path(options.recordings_dir
                              or os.environ.get("SUMMARIZER_RECORDINGS_DIR") or DEFAULT_DIR)
                         .resolve())
        env = {k: v for k, v in os.environ.items() if k.startswith(FORWARDED_ENV)}
        return cls(backend=name, model=model, mode=options.mode, recording=options.recording,
                   recordings_dir=folder, timeout=options.timeout, settings=options.settings,
                   policy=options.policy, env=env)


# -- reading -----------------------------------------------------------------------------

def _article_row(item: Item) -> dict[str, Any]:
    row: dict[str, Any] = dict.fromkeys(ARTICLE_COLUMNS)
    row.update(output=item.key, source=item.source)
    if item.article is not None:
        row.update(item.article.model_dump())
    else:
        row["error"] = item.error.reason if item.error else "unreadable"
    return row


def article_table(items: Sequence[Item]) -> Any:
    """Items as a pyarrow Table of ARTICLE_COLUMNS (every one a nullable string)."""
    import pyarrow as pa

    schema = pa.schema([(name, pa.string()) for name in ARTICLE_COLUMNS])
    return pa.Table.from_pylist([_article_row(it) for it in items], schema=schema)


def _blocks(table: Any, size: int) -> list[Any]:
    """One block per batch, so that Ray Data spreads the batches over the actors."""
    return [table.slice(i, size) for i in range(0, table.num_rows, size)] or [table]


def read_articles(paths: Sequence[str], *, include: Sequence[str] = (),
                  exclude: Sequence[str] = (), max_bytes: int = MAX_BYTES,
                  follow_symlinks: bool = False, rows_per_block: int = 64) -> Any:
    """The CLI's inputs (files, folders, JSONL, "-") as a Ray Dataset, one row per input as
    `summarizer run` discovers them: ARTICLE_COLUMNS; a load failure has `error` set."""
    ray = import_ray(local=False)
    items = discover(paths, include, exclude, max_bytes, None, follow_symlinks)
    return ray.data.from_arrow(_blocks(article_table(items), max(1, rows_per_block)))


# -- briefing: one actor -----------------------------------------------------------------

def _whoami() -> tuple[str, str, int]:
    """(actor id, node address, pid) of this process; "local" outside a Ray actor."""
    ray: Any = sys.modules.get("ray")  # imported in an actor; never imported here for this
    with contextlib.suppress(Exception):
        actor = ray.get_runtime_context().get_actor_id() if ray and ray.is_initialized() else None
        if actor:
            return str(actor), str(ray.util.get_node_ip_address()), os.getpid()
    return "local", socket.gethostname(), os.getpid()


def _failure(exc: BaseException) -> tuple[str, str, Usage | None]:
    """(stage, reason, usage spent) as BatchRun._failed would record them."""
    reason = " ".join(str(exc).split()) or type(exc).__name__
    if isinstance(exc, ArticleError) and reason.startswith(exc.source + ": "):
        reason = reason[len(exc.source) + 2:]
    usage = getattr(exc, "usage", None)
    stage = "extract" if isinstance(exc, SummarizerError) else "internal"
    return stage, reason[:500], usage if isinstance(usage, Usage) else None


class Briefer:
    """A callable class for `Dataset.map_batches` (batch_format="pyarrow"): rows of
    ARTICLE_COLUMNS in, rows of OUT_COLUMNS out, one for one."""

    def __init__(self, spec: BriefSpec | None = None, concurrency: int = 4) -> None:
        spec = spec or BriefSpec()
        os.environ.update(spec.env)
        self.config = spec.configure()
        backend = self.config.backend
        self.limit = AdaptiveLimit(concurrency if backend.remote else 1)
        # A remote backend takes a slot per request (retries too); else a slot per brief.
        self.per_request = backend.share_limit(self.limit)
        self.loop = asyncio.new_event_loop() if backend.remote else None
        self.actor, self.node, self.pid = _whoami()

    def __call__(self, batch: Any) -> Any:
        import pyarrow as pa

        rows = batch.to_pylist() if hasattr(batch, "to_pylist") else _dict_rows(batch)
        schema = pa.schema([(c, pa.int64() if c in ("pid", "transport_retries", "rate_limited")
                             else pa.string()) for c in OUT_COLUMNS])
        return pa.Table.from_pylist(self.brief_rows(rows), schema=schema)

    def brief_rows(self, rows: Sequence[dict[str, Any]]) -> list[dict[str, Any]]:
        """The work of one batch, without Ray: rows in, rows out, in the same order."""
        articles = {i: Article(**{k: row[k] for k in Article.model_fields})
                    for i, row in enumerate(rows) if not row.get("error")}
        config = self.config
        if articles:
            config.backend.prepare(list(articles.values()), config.prompt, config.settings)
        if self.loop is not None:
            got = self.loop.run_until_complete(self._abrief(list(articles.values())))
        else:
            got = [_attempt(a, config) for a in articles.values()]
        results = dict(zip(articles, got, strict=True))
        return [self._row(row, articles.get(i), results.get(i)) for i, row in enumerate(rows)]

    async def _abrief(self, articles: Sequence[Article]) -> list[Any]:
        async def attempt(article: Article) -> Any:
            try:
                return await abrief_article(article, self.config)
            except Exception as exc:  # recorded as its error row, as BatchRun does
                return exc

        async def one(article: Article) -> Any:
            if self.per_request:
                return await attempt(article)
            async with self.limit.slot():
                return await attempt(article)

        return list(await asyncio.gather(*(one(a) for a in articles)))

    def _row(self, row: dict[str, Any], article: Article | None, got: Any) -> dict[str, Any]:
        out: dict[str, Any] = {
            "output": row["output"], "source": row["source"], "record": None, "error": None,
            "actor": self.actor, "node": self.node, "pid": self.pid,
            "transport_retries": self.config.backend.transport_retries,
            "rate_limited": self.limit.lowered}
        if article is None:
            error = ErrorRecord(file=row["source"], output=row["output"], stage="load",
                                reason=row.get("error") or "unreadable")
            out["error"] = error.model_dump_json()
        elif isinstance(got, BaseException):
            stage, reason, usage = _failure(got)
            out["error"] = json.dumps({**ErrorRecord(file=row["source"], output=row["output"],
                                                     stage=stage, reason=reason).model_dump(),
                                       "usage": dataclasses.asdict(usage) if usage else None})
        else:
            record = BriefRecord.of(got, output=row["output"],
                                    result_key=self.config.result_key(article),
                                    article_text=article.text)
            out["record"] = record.model_copy(update={"source": row["source"]}).model_dump_json()
        return out


def _attempt(article: Article, config: Configuration) -> Any:
    try:
        return brief_article(article, config)
    except Exception as exc:  # recorded as its error row, as BatchRun does
        return exc


def _dict_rows(batch: Any) -> list[dict[str, Any]]:
    """Rows of a batch given as a dict of columns (numpy or lists)."""
    columns = {k: (v.tolist() if hasattr(v, "tolist") else list(v)) for k, v in batch.items()}
    n = len(next(iter(columns.values()), []))
    return [{k: v[i] for k, v in columns.items()} for i in range(n)]


# -- the engine of `summarizer run --engine ray` -------------------------------------------

class RemoteFailure(SummarizerError):
    """A failure an actor reported, as the driver records it (reason and usage as sent)."""

    def __init__(self, reason: str, usage: Usage | None) -> None:
        self.usage = usage
        super().__init__(reason)


def check_engine_options(options: RunOptions, batch_api: bool = False) -> None:
    """Refuse what cannot run on Ray, in one line, before anything is read or started."""
    if batch_api or getattr(options, "batch_api", None):
        raise ConfigurationError("--engine ray and --batch-api do not go together: a Batch API "
                                 "job runs on the provider's side, with nothing for Ray to "
                                 "spread; choose one")
    if options.ray_actors < 1 or (options.ray_concurrency or 1) < 1:
        raise ConfigurationError("--ray-actors and --ray-concurrency must be at least 1")
    if importlib.util.find_spec("ray") is None:
        raise MissingExtraError("ray", "--engine ray")


@contextlib.contextmanager
def _env(**values: str) -> Iterator[None]:
    saved = {k: os.environ.get(k) for k in values}
    os.environ.update(values)
    try:
        yield
    finally:
        for k, v in saved.items():
            if v is None:
                os.environ.pop(k, None)
            else:
                os.environ[k] = v


def import_ray(local: bool) -> Any:
    """Ray, imported quietly: no usage statistics; for a local Ray, Ray's single-node switch
    (its default on macOS) so that every Ray process binds 127.0.0.1 only."""
    if importlib.util.find_spec("ray") is None:
        raise MissingExtraError("ray", "--engine ray")
    os.environ.setdefault("RAY_USAGE_STATS_ENABLED", "0")
    with _env(**({"RAY_ENABLE_WINDOWS_OR_OSX_CLUSTER": "0"} if local else {})):
        import ray
        import ray.data
    return ray


def connect_ray(address: str | None, actors: int = 1,
                num_cpus: int | None = None) -> tuple[Any, bool]:
    """(ray, whether this call started it). A Ray already up is used as it is; else the
    cluster at `address`, or a local Ray (no dashboard, loopback only, one CPU an actor at
    least) that the caller shuts down. Ray's own log lines stay in its log files."""
    ray = import_ray(local=address is None)
    if ray.is_initialized():
        return ray, False
    quiet: dict[str, Any] = {"log_to_driver": False, "logging_level": logging.ERROR}
    if address:
        ray.init(address=address, **quiet)
    else:
        with _env(RAY_ENABLE_WINDOWS_OR_OSX_CLUSTER="0"):
            ray.init(num_cpus=num_cpus or max(os.cpu_count() or 1, actors),
                     include_dashboard=False, **quiet)
    return ray, True


@contextlib.contextmanager
def _quiet_data(ray: Any) -> Iterator[None]:
    """No progress bars, banners or tracebacks from Ray Data on the terminal (its log file
    keeps them), and none of the deprecation warnings Ray raises about its own settings."""
    warnings.filterwarnings("ignore", category=DeprecationWarning, module="ray")  # its own
    ctx = ray.data.DataContext.get_current()
    logger = logging.getLogger("ray.data")
    saved = (ctx.enable_progress_bars, getattr(ctx, "print_on_execution_start", None),
             logger.level)
    ctx.enable_progress_bars = False
    if saved[1] is not None:
        ctx.print_on_execution_start = False
    logger.setLevel(logging.CRITICAL)  # its errors reach the user as our one line
    try:
        yield
    finally:
        ctx.enable_progress_bars = saved[0]
        if saved[1] is not None:
            ctx.print_on_execution_start = saved[1]
        logger.setLevel(saved[2])


def _same_configuration(spec: BriefSpec, run: BatchRun, items: Sequence[Item]) -> None:
    """The actors' Configuration, built here from the spec, must give the run's keys."""
    article = next((it.article for it in items if it.article is not None), None)
    if article is None:
        return
    if spec.configure().result_key(article) != run.config.result_key(article):
        raise ConfigurationError(
            f"--engine ray builds the backend on every actor from its name ({spec.backend}, "
            f"model {spec.model}); this run's backend cannot be rebuilt that way")


def brief_on_ray(run: BatchRun, items: Sequence[Item], progress: Progress) -> None:
    """BatchRun.brief on Ray Data: `items` (this run's todo, no duplicates, within budget)
    go to `ray_actors` actors; each answer is recorded here as it arrives."""
    o = run.options
    check_engine_options(o)
    spec = replace(BriefSpec.of(o),  # the driver's context size: it is in the result key
                   n_ctx=int(run.config.backend.identity().get("n_ctx") or 0))
    _same_configuration(spec, run, items)
    per_actor = o.ray_concurrency or o.concurrency
    engine: dict[str, Any] = {"name": "ray", "address": o.ray_address or "local",
                              "actors_requested": o.ray_actors,
                              "concurrency_per_actor": per_actor, "actors": []}
    run.summary.engine = engine
    if not items:
        return  # nothing left to brief: no Ray to start
    size = max(1, min(4 * per_actor, -(-len(items) // o.ray_actors)))
    started = time.perf_counter()
    ray, ours = connect_ray(o.ray_address, o.ray_actors)
    try:
        cpus = ray.cluster_resources().get("CPU", 0)
        if cpus < o.ray_actors:
            raise ConfigurationError(f"--ray-actors {o.ray_actors}: the Ray cluster has "
                                     f"{cpus:g} CPUs, and each actor takes one")
        engine.update(ray_version=ray.__version__, batch_size=size,
                      start_s=round(time.perf_counter() - started, 3))
        with warnings.catch_warnings(), _quiet_data(ray):
            data = ray.data.from_arrow(_blocks(article_table(items), size))
            answers = data.map_batches(Briefer, fn_constructor_kwargs={
                "spec": spec, "concurrency": per_actor}, batch_size=size,
                batch_format="pyarrow", concurrency=o.ray_actors, num_cpus=1)
            _collect(run, items, answers, progress, engine)
        engine["brief_s"] = round(time.perf_counter() - started - engine["start_s"], 3)
    except SummarizerError:
        raise
    except Exception as exc:  # Ray's own (an actor that cannot start, a lost cluster)
        raise SummarizerError(f"the Ray engine stopped: {_last_line(exc)}; the briefs made "
                              "so far are in OUT, a rerun makes the rest") from exc
    finally:
        if ours:
            ray.shutdown()


def _last_line(exc: BaseException) -> str:
    """Ray's errors carry the remote traceback; its last line names the cause."""
    lines = [line.strip() for line in str(exc).splitlines() if line.strip()]
    return (lines[-1] if lines else type(exc).__name__)[:300]


def _collect(run: BatchRun, items: Sequence[Item], answers: Any, progress: Progress,
             engine: dict[str, Any]) -> None:
    """Record every answer once through BatchRun; an item with none is an error."""
    by_key = {it.key: it for it in items}
    seen: set[str] = set()
    actors: dict[tuple[str, int], dict[str, Any]] = {}
    started = time.perf_counter()  # the dataset runs as it is read: actors start now
    for batch in answers.iter_batches(batch_size=None, batch_format="pyarrow"):
        engine.setdefault("first_answer_s", round(time.perf_counter() - started, 3))
        for row in batch.to_pylist():
            item = by_key.get(row["output"])
            if item is None or item.key in seen:
                continue  # not ours, or a retried batch's second answer: recorded once
            seen.add(item.key)
            actor = actors.setdefault((row["actor"], row["pid"]), {
                "actor": row["actor"], "node": row["node"], "pid": row["pid"], "articles": 0,
                "transport_retries": 0, "rate_limited": 0})
            actor["articles"] += 1
            for counter in ("transport_retries", "rate_limited"):  # cumulative per actor
                actor[counter] = max(actor[counter], row[counter])
            _record(run, item, row, progress)
    for item in items:
        if item.key not in seen:
            run._failed(item, RuntimeError("the Ray engine returned no answer"), progress)
    engine["actors"] = sorted(actors.values(), key=lambda a: (a["node"], a["actor"], a["pid"]))
    run.summary.transport_retries += sum(a["transport_retries"] for a in actors.values())


def _record(run: BatchRun, item: Item, row: dict[str, Any], progress: Progress) -> None:
    """One answer through BatchRun's own recording, as a local run records it."""
    assert item.article is not None
    if row["record"]:
        record = BriefRecord.model_validate_json(row["record"])
        if record.result_key != run.config.result_key(item.article):
            run._failed(item, ConfigurationError(
                "an actor's configuration differs from the driver's (another result key): "
                "give the actors the same backend, model and prompt"), progress)
            return
        fields = {name: getattr(record, name) for name in BriefResult.model_fields}
        run._briefed(item, BriefResult(**fields), progress)
        return
    error = json.loads(row["error"])
    if error["stage"] == "extract":
        usage = Usage(**error["usage"]) if error.get("usage") else None
        run._failed(item, RemoteFailure(error["reason"], usage), progress)
    else:
        run._failed(item, RuntimeError(error["reason"]), progress)
