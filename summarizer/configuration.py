"""The one place that builds what briefing needs: a backend, the prompt, decoding settings and
the grounding policy. `summarize`, the batch and the eval all start here, from names (the CLI,
the environment) or from ready objects (a library caller, a test's fake backend).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from typing import Any

from .article import Article
from .backends import LOCAL_MODEL_BACKENDS, REMOTE_BACKENDS, backend_for, resolve_backend
from .backends.base import Backend, Settings
from .batch.cache import result_key
from .brief import Brief, BriefDraft, schema_id
from .errors import ConfigurationError
from .policies import POLICIES as POLICIES  # re-exported: callers import them from here
from .policies import Policy as Policy
from .prompts import PromptTemplate, load_prompt


@dataclass(frozen=True)
class Configuration:
    """Everything that decides what brief an article gets (and so its result key)."""

    backend: Backend
    prompt: PromptTemplate = field(default_factory=load_prompt)
    settings: Settings = field(default_factory=Settings)
    policy: Policy = "flag"

    @cached_property
    def schema_id(self) -> str:
        return schema_id(BriefDraft)

    def result_key(self, article: Article) -> str:
        """The cache and resume key: the article's content and everything above."""
        return result_key(content_hash=article.content_hash, backend=self.backend.name,
                          model=self.backend.model, prompt_id=self.prompt.id,
                          schema_id=self.schema_id, settings=self.settings.key(),
                          policy=self.policy,
                          # what is stored too: a result cached before the Brief gained a
                          # field (a certainty, a place) is briefed again, not served without
                          extra={**(self.backend.identity() or {}), "brief": schema_id(Brief)})


def configure(backend: Backend | str | None = None, *, model: str | None = None,
              mode: str | None = None, recording: str | None = None,
              recordings_dir: str | Path | None = None, timeout: float | None = None,
              settings: Settings | None = None, policy: Policy = "flag",
              prompt: PromptTemplate | None = None, n_ctx: int = 0) -> Configuration:
    """A Configuration from a Backend, or a backend name (None: the configured default,
    see backends/__init__.py) and its options. Raises ConfigurationError in one line."""
    if policy not in POLICIES:
        raise ConfigurationError(f"unknown policy {policy!r}; choose one of {', '.join(POLICIES)}")
    if not isinstance(backend, Backend):
        extra: dict[str, Any] = {}
        if timeout is not None:
            if backend_for(backend, model)[0] not in REMOTE_BACKENDS:
                raise ConfigurationError("--timeout applies to the backends that call a server "
                                         f"({', '.join(REMOTE_BACKENDS)})")
            extra["timeout"] = timeout
        if n_ctx and backend_for(backend, model)[0] in LOCAL_MODEL_BACKENDS:
            extra["n_ctx"] = n_ctx  # a context size fixed elsewhere (a Ray driver's)
        backend = resolve_backend(backend, model=model, mode=mode, recording=recording,
                                  recordings_dir=recordings_dir, **extra)
    return Configuration(backend=backend, prompt=prompt or load_prompt(),
                         settings=settings or Settings(), policy=policy)

