"""What a run is asked to do: `RunOptions` (the CLI's flags, or a library caller's), with the
Spec (spec.py) that decides its backend."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

from ..article import MAX_BYTES
from ..backends.base import Backend
from ..batch_api import BatchAPIOptions
from ..configuration import Configuration, from_spec
from ..spec import Spec, spec_from_env


@dataclass
class RunOptions:
    out: Path | None = None
    # What decides the backend (name, model, mode, recording, timeout, settings, policy):
    # the CLI's flags over the environment, read once; by default the environment's.
    spec: Spec = field(default_factory=spec_from_env)
    include: Sequence[str] = ()
    exclude: Sequence[str] = ()
    shard: tuple[int, int] = (1, 1)
    force: bool = False
    use_cache: bool = True
    cache_dir: Path | None = None
    dry_run: bool = False
    max_cost: float | None = None
    concurrency: int = 4
    quiet: bool = False
    max_bytes: int = MAX_BYTES
    follow_symlinks: bool = False  # links leading outside the given paths are refused
    engine: str = "local"  # "ray": brief on Ray Data actors (integrations/ray.py)
    ray_address: str | None = None  # None: a local Ray, started and stopped with the run
    ray_actors: int = 2
    ray_concurrency: int | None = None  # calls in flight per actor; None: `concurrency`
    batch_api: BatchAPIOptions | None = None  # --batch-api: the provider's Batch API
    brief_files: bool = True  # OUT/briefs/NNNNN/<key>.md and .json beside briefs.jsonl

    def configuration(self, backend: Backend | None = None) -> Configuration:
        """The run's Configuration; `backend` (built by the caller) wins over the spec's."""
        return from_spec(self.spec, backend=backend)
