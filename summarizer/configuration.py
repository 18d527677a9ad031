"""The one place that builds what briefing needs: a backend, the prompt, decoding settings and
the grounding policy. `summarize`, the batch and the eval all start here, from a Spec (spec.py:
the CLI's flags over the environment, read once), from names (a library caller's, read over
the environment the same way) or from ready objects (a test's fake backend).
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from functools import cached_property
from pathlib import Path

from .article import Article
from .backends import build_backend
from .backends.base import Backend, Settings
from .batch.cache import result_key
from .brief import Brief, BriefDraft, schema_id
from .errors import ConfigurationError
from .policies import POLICIES as POLICIES  # re-exported: callers import them from here
from .policies import Policy as Policy
from .prompts import PromptTemplate, load_prompt
from .spec import Spec, spec_from_env


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


def configure(backend: Backend | Spec | str | None = None, *, model: str | None = None,
              mode: str | None = None, recording: str | None = None,
              recordings_dir: str | Path | None = None, timeout: float | None = None,
              settings: Settings | None = None, policy: Policy | None = None,
              prompt: PromptTemplate | None = None, n_ctx: int = 0) -> Configuration:
    """A Configuration from a Spec, a ready Backend, or a backend name (None: the configured
    default) and its options read over the environment (`spec_from_env`). With a Spec, a
    keyword given (settings, policy, prompt) wins over the spec's. Raises ConfigurationError
    in one line."""
    if isinstance(backend, Backend):
        chosen = policy or "flag"
        if chosen not in POLICIES:
            raise ConfigurationError(f"unknown policy {chosen!r}; choose one of "
                                     f"{', '.join(POLICIES)}")
        return Configuration(backend=backend, prompt=prompt or load_prompt(),
                             settings=settings or Settings(), policy=chosen)
    if isinstance(backend, Spec):
        spec = replace(backend, settings=settings or backend.settings,
                       policy=policy or backend.policy)
    else:
        spec = spec_from_env(backend=backend, model=model, mode=mode, recording=recording,
                             recordings_dir=recordings_dir, timeout=timeout,
                             settings=settings, policy=policy, n_ctx=n_ctx)
    return from_spec(spec, prompt=prompt)


def from_spec(spec: Spec, *, backend: Backend | None = None,
              prompt: PromptTemplate | None = None) -> Configuration:
    """The Configuration a Spec describes: its backend built from the values it carries (or
    `backend`, built by the caller), its prompt, settings and policy."""
    spec.check()
    return Configuration(backend=backend or build_backend(spec),
                         prompt=prompt or load_prompt(spec.prompt), settings=spec.settings,
                         policy=spec.policy)
