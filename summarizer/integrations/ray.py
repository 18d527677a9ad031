"""Past one machine: the pipeline on Ray Data (extra `ray`: pip install 'summarizer[ray]').

    ds = read_articles(["articles/"])                     # one row per input, as discovered
    spec = spec_from_env(model="gpt-4o-mini")            # read here, on the driver, once
    out = ds.map_batches(Briefer, fn_constructor_kwargs={"spec": spec, "concurrency": 16},
                         concurrency=4, batch_size=64, batch_format="pyarrow")

`Briefer` builds its Configuration once per actor (in `__init__`) from the Spec it is given
as it is (spec.py: picklable, its endpoints and keys inside; an actor reads no environment
and changes none), then briefs each batch with
the same pipeline as a local run: a remote backend's calls on the actor's own event loop under
an adaptive limit of `concurrency` (a 429 halves it), an in-process model one article at a
time. Each input row comes back as one row: `record` holds the briefs.jsonl row (a
BriefRecord as JSON), or `error` the errors.jsonl row, with the actor that made it.

`summarizer run ... --engine ray` (batch/engines/ray.py) keeps plan and reuse (resume, cache)
on the driver, sends Ray actors only the articles still to brief, in batches, and hands each
answer to the run as an outcome, so the outputs and result keys are a local run's.

Ray reads two switches from the environment only, when it is imported: its usage statistics
and its single-node mode (RAY_ENABLE_WINDOWS_OR_OSX_CLUSTER=0, the default on macOS: every
Ray process on 127.0.0.1; ray.init's node address cannot ask for loopback, Ray swaps it for
the machine's). The `summarizer` command sets both in its own process before Ray is imported
(command_process.py); a library caller's environment is left as it is, so its local Ray
follows Ray's defaults unless it sets them.
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
import warnings
from collections.abc import Iterator, Sequence
from typing import TYPE_CHECKING, Any

from ..article import MAX_BYTES, Article
from ..batch.concurrency import AdaptiveLimit
from ..batch.discovery import Item, discover
from ..batch.records import BriefRecord, ErrorRecord, failed
from ..configuration import Configuration, from_spec
from ..errors import ConfigurationError, MissingExtraError
from ..pipeline import abrief_article, brief_article

if TYPE_CHECKING:
    from ..batch.options import RunOptions
    from ..spec import Spec

__all__ = ["ARTICLE_COLUMNS", "OUT_COLUMNS", "Briefer", "article_table",
           "check_engine_options", "connect_ray", "read_articles"]

ARTICLE_COLUMNS = ("output", "error", *Article.model_fields)  # output key, load error, Article
OUT_COLUMNS = ("output", "source", "record", "error", "actor", "node", "pid",
               "transport_retries", "rate_limited")
# -- reading -----------------------------------------------------------------------------

def article_row(item: Item) -> dict[str, Any]:
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
    return pa.Table.from_pylist([article_row(it) for it in items], schema=schema)


def _blocks(table: Any, size: int) -> list[Any]:
    """One block per batch, so that Ray Data spreads the batches over the actors."""
    return [table.slice(i, size) for i in range(0, table.num_rows, size)] or [table]


def read_articles(paths: Sequence[str], *, include: Sequence[str] = (),
                  exclude: Sequence[str] = (), max_bytes: int = MAX_BYTES,
                  follow_symlinks: bool = False, rows_per_block: int = 64) -> Any:
    """The CLI's inputs (files, folders, JSONL, "-") as a Ray Dataset, one row per input as
    `summarizer run` discovers them: ARTICLE_COLUMNS; a load failure has `error` set."""
    ray = import_ray()
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


class Briefer:
    """A callable class for `Dataset.map_batches` (batch_format="pyarrow"): rows of
    ARTICLE_COLUMNS in, rows of OUT_COLUMNS out, one for one."""

    def __init__(self, spec: Spec, concurrency: int = 4) -> None:
        self.config = from_spec(spec)
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
            lost = failed(Item(row["output"], row["source"]), got)  # as a local run records it
            out["error"] = json.dumps({**lost.error.model_dump(),
                                       "usage": dataclasses.asdict(lost.usage)})
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


def import_ray() -> Any:
    """Ray and Ray Data, or the extra named in one line."""
    if importlib.util.find_spec("ray") is None:
        raise MissingExtraError("ray", "--engine ray")
    import ray
    import ray.data

    return ray


def connect_ray(address: str | None, actors: int = 1,
                num_cpus: int | None = None) -> tuple[Any, bool]:
    """(ray, whether this call started it). A Ray already up is used as it is; else the
    cluster at `address`, or a local Ray (no dashboard, loopback only, one CPU an actor at
    least) that the caller shuts down. Ray's own log lines stay in its log files."""
    ray = import_ray()
    if ray.is_initialized():
        return ray, False
    quiet: dict[str, Any] = {"log_to_driver": False, "logging_level": logging.ERROR}
    if address:
        ray.init(address=address, **quiet)
    else:
        ray.init(num_cpus=num_cpus or max(os.cpu_count() or 1, actors),
                 include_dashboard=False, **quiet)
    return ray, True


@contextlib.contextmanager
def quiet_data(ray: Any) -> Iterator[None]:
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
