"""`summarizer run ... --engine ray`: Ray actors brief, the driver writes.

Plan and reuse (resume, cache) stay on the driver; the articles still to brief go to
`ray_actors` actors (integrations/ray.py's `Briefer`, one CPU each) in batches of
4 x `concurrency` articles, two batches queued per actor. Each answer row comes back as an
outcome the moment its batch ends: the driver holds at most two batches an actor, whatever
the corpus. A brief changes form twice on the way (record -> JSON row -> record).
"""

from __future__ import annotations

import json
import time
import warnings
from collections.abc import Iterable, Iterator
from dataclasses import replace
from itertools import chain
from typing import TYPE_CHECKING, Any

from ...backends.base import Usage
from ...backends.recording import DEFAULT_DIR
from ...configuration import Configuration, from_spec
from ...errors import ConfigurationError, SummarizerError
from ...integrations.ray import (
    Briefer,
    article_row,
    check_engine_options,
    connect_ray,
    quiet_data,
)
from ..discovery import Item
from ..records import Briefed, BriefRecord, ErrorRecord, Failed, Outcome, failed
from . import Accept, chunks

if TYPE_CHECKING:
    from ...spec import Spec
    from ..options import RunOptions

QUEUED = 2  # batches queued per actor: one briefing, one waiting


class BrieferActor:
    """A Ray actor around a Briefer. Its methods are plain ones: a class with any `async def`
    (Briefer has one) would become an asyncio actor, whose methods cannot run their own loop."""

    def __init__(self, spec: Spec, concurrency: int) -> None:
        self.briefer = Briefer(spec, concurrency)

    def brief_rows(self, rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
        return self.briefer.brief_rows(rows)


def actor_spec(config: Configuration, options: RunOptions) -> Spec:
    """The run's Spec as the actors get it: resolved (an actor cannot pick another backend),
    the recordings folder absolute, and the driver's context size (BatchRun.prepare sized
    it; it is in the result key). The values the backend needs travel inside it."""
    spec = options.spec.resolved()
    folder = (spec.recordings_dir or DEFAULT_DIR).resolve() if spec.recording else None
    return replace(spec, recordings_dir=folder,
                   n_ctx=int(config.backend.identity().get("n_ctx") or 0))


def actor_options(spec: Spec) -> dict[str, Any]:
    """Ray's options for a Briefer actor: one CPU; and the variables the providers' SDKs read
    themselves (the spec's sdk_env: an organisation, a Vertex AI switch), which Ray sets in
    the actor's process (runtime_env), so no code of ours sets a variable there."""
    options: dict[str, Any] = {"num_cpus": 1}
    if spec.sdk_env:
        options["runtime_env"] = {"env_vars": dict(spec.sdk_env)}
    return options


class RayEngine:
    def __init__(self, config: Configuration, options: RunOptions) -> None:
        check_engine_options(options)
        self.config, self.options = config, options
        self.spec = actor_spec(config, options)
        self.per_actor = options.ray_concurrency or options.concurrency
        self.info: dict[str, Any] = {
            "name": "ray", "address": options.ray_address or "local",
            "actors_requested": options.ray_actors, "concurrency_per_actor": self.per_actor,
            "actors": []}
        self.actors: dict[tuple[str, int], dict[str, Any]] = {}

    def report(self) -> dict[str, Any]:
        self.info["actors"] = sorted(self.actors.values(),
                                     key=lambda a: (a["node"], a["actor"], a["pid"]))
        return {"engine": self.info, "transport_retries": sum(
            a["transport_retries"] for a in self.actors.values())}

    def brief(self, items: Iterable[Item], accept: Accept) -> None:
        it = iter(items)
        first = next(it, None)
        if first is None:
            return  # nothing left to brief: no Ray to start
        self._same_configuration(first)
        o, started = self.options, time.perf_counter()
        ray, ours = connect_ray(o.ray_address, o.ray_actors)
        try:
            cpus = ray.cluster_resources().get("CPU", 0)
            if cpus < o.ray_actors:
                raise ConfigurationError(f"--ray-actors {o.ray_actors}: the Ray cluster has "
                                         f"{cpus:g} CPUs, and each actor takes one")
            size = max(1, 4 * self.per_actor)
            self.info.update(ray_version=ray.__version__, batch_size=size,
                             start_s=round(time.perf_counter() - started, 3))
            with warnings.catch_warnings(), quiet_data(ray):
                self._drive(ray, chunks(chain([first], it), size), accept)
            self.info["brief_s"] = round(time.perf_counter() - started
                                         - self.info["start_s"], 3)
        except (SummarizerError, OSError):  # ours, or a write OUT cannot take (exit 3)
            raise
        except Exception as exc:  # Ray's own (an actor that cannot start, a lost cluster)
            raise SummarizerError(f"the Ray engine stopped: {_last_line(exc)}; the briefs made "
                                  "so far are in OUT, a rerun makes the rest") from exc
        finally:
            if ours:
                ray.shutdown()

    def _drive(self, ray: Any, batches: Iterator[list[Item]], accept: Accept) -> None:
        """Keep QUEUED batches at each actor; record each batch's answers as it ends."""
        actor_class = ray.remote(**actor_options(self.spec))(BrieferActor)
        actors = [actor_class.remote(self.spec, self.per_actor)
                  for _ in range(self.options.ray_actors)]
        out: dict[Any, tuple[Any, list[Item]]] = {}

        def send(actor: Any) -> None:
            batch = next(batches, None)
            if batch is not None:
                rows = [article_row(item) for item in batch]
                out[actor.brief_rows.remote(rows)] = (actor, batch)

        for actor in actors:
            for _ in range(QUEUED):
                send(actor)
        started = time.perf_counter()  # the actors start with their first batch
        while out:
            ready, _ = ray.wait(list(out), num_returns=1)
            actor, batch = out.pop(ready[0])
            rows = ray.get(ready[0])
            self.info.setdefault("first_answer_s", round(time.perf_counter() - started, 3))
            send(actor)
            by_key = {row["output"]: row for row in rows}
            for item in batch:
                row = by_key.get(item.key)
                accept(self._outcome(item, row) if row is not None else
                       failed(item, RuntimeError("the Ray engine returned no answer")))

    def _outcome(self, item: Item, row: dict[str, Any]) -> Outcome:
        assert item.article is not None
        actor = self.actors.setdefault((row["actor"], row["pid"]), {
            "actor": row["actor"], "node": row["node"], "pid": row["pid"], "articles": 0,
            "transport_retries": 0, "rate_limited": 0})
        actor["articles"] += 1
        for counter in ("transport_retries", "rate_limited"):  # cumulative per actor
            actor[counter] = max(actor[counter], row[counter])
        if row["record"]:
            record = BriefRecord.model_validate_json(row["record"])
            if record.result_key != self.config.result_key(item.article):
                return failed(item, ConfigurationError(
                    "an actor's configuration differs from the driver's (another result key):"
                    " give the actors the same backend, model and prompt"))
            u = record.provenance.usage
            return Briefed(item, record, Usage(u["prompt_tokens"], u["completion_tokens"],
                                               u["calls"], u.get("cached_tokens", 0)))
        error = json.loads(row["error"])
        spent = error.pop("usage", None)
        usage = Usage(**spent) if spent else Usage()
        return Failed(item, ErrorRecord(**error), usage)

    def _same_configuration(self, item: Item) -> None:
        """The actors' Configuration, built from the spec, must give the run's keys."""
        assert item.article is not None
        if from_spec(self.spec).result_key(item.article) != self.config.result_key(
                item.article):
            raise ConfigurationError(
                f"--engine ray builds the backend on every actor from its name "
                f"({self.spec.backend}, model {self.spec.model}); this run's backend cannot be "
                "rebuilt that way")


def _last_line(exc: BaseException) -> str:
    """Ray's errors carry the remote traceback; its last line names the cause."""
    lines = [line.strip() for line in str(exc).splitlines() if line.strip()]
    return (lines[-1] if lines else type(exc).__name__)[:300]
