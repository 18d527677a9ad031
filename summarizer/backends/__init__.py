"""Backends and the one place that builds one from a Spec (configuration, one way).

    --backend / SUMMARIZER_BACKEND: openai | anthropic | gemini | ollama | local | constrained |
    hybrid | rules
    --model with a provider prefix (openai/, anthropic/, gemini/, ollama/) and no --backend:
    that provider's backend (providers.py, the one place a prefix is read)
    (constrained, formerly "grounded", which stays an alias: the local model under a
    per-article grammar that allows only the article's own sentences, names and numbers)
    unset: openai when OPENAI_API_KEY or OPENAI_BASE_URL is set, else the offline default
    (rules: chosen by the committed dev measurements, see evaluation/default_choice.py)
    --record / --replay (or SUMMARIZER_RECORDINGS=record|replay) wrap the chosen LLM backend

The environment is read by `spec_from_env` (spec.py) alone; `build_backend` takes the values
the Spec carries.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

from ..errors import ConfigurationError
from .base import Backend, Extraction, Settings, Usage
from .names import (
    ALIASES,
    BACKENDS,
    LOCAL_MODEL_BACKENDS,
    OFFLINE_DEFAULT,
    REMOTE_BACKENDS,
    canonical_name,
)
from .providers import PROVIDER_BACKENDS, check_provider

if TYPE_CHECKING:
    from ..spec import Spec
    from .recording import Recorder

__all__ = ["ALIASES", "BACKENDS", "LOCAL_MODEL_BACKENDS", "OFFLINE_DEFAULT", "REMOTE_BACKENDS",
           "Backend", "Extraction", "Settings", "Usage", "backend_for", "build_backend",
           "canonical_name", "default_backend_name", "resolve_backend"]


def default_backend_name() -> str:
    """The backend the environment names when no flag does."""
    from ..spec import spec_from_env

    return spec_from_env().route()[0]


def backend_for(name: str | None, model: str | None) -> tuple[str, str | None]:
    """(backend name, model for it): the named backend, else the model's provider prefix,
    else the configured default (the environment's)."""
    from ..spec import spec_from_env

    return spec_from_env(backend=name, model=model).route()


def resolve_backend(name: str | None = None, *, model: str | None = None,
                    mode: str | None = None, recording: str | None = None,
                    recordings_dir: str | Path | None = None, timeout: float | None = None,
                    n_ctx: int = 0) -> Backend:
    """The backend these names give over the environment (`spec_from_env`, then
    `build_backend`). Raises ConfigurationError with one clear line."""
    from ..spec import spec_from_env

    return build_backend(spec_from_env(backend=name, model=model, mode=mode,
                                       recording=recording, recordings_dir=recordings_dir,
                                       timeout=timeout, n_ctx=n_ctx))


def _recorder(spec: Spec, name: str, model: str | None) -> Recorder | None:
    if not spec.recording or name == "rules":  # rules make no model calls: nothing to record
        return None
    from .recording import DEFAULT_DIR, Recorder  # httpx: only when calls are recorded

    return Recorder(spec.recordings_dir or DEFAULT_DIR, spec.recording,  # type: ignore[arg-type]
                    backend=name, secrets=spec.secrets(),
                    rerecord_hint=f"summarizer run ARTICLE --backend {name}"
                    + (f" --model {model}" if model else "") + " --record")


def build_backend(spec: Spec) -> Backend:
    """The backend a Spec names, built from the values it carries (nothing is read from the
    environment here). Raises ConfigurationError with one clear line."""
    name, model = spec.check().route()
    extra: dict[str, Any] = {}
    if spec.timeout is not None:
        if name not in REMOTE_BACKENDS:
            raise ConfigurationError("--timeout applies to the backends that call a server "
                                     f"({', '.join(REMOTE_BACKENDS)})")
        extra["timeout"] = spec.timeout
    if name in LOCAL_MODEL_BACKENDS:
        extra.update(n_ctx=spec.n_ctx, runtime_logs=spec.runtime_logs)
    recorder = _recorder(spec, name, model)
    if name == "openai":
        from .openai import OpenAIBackend

        return OpenAIBackend.from_config(spec.openai, model=model, mode=spec.mode,
                                         recorder=recorder, **extra)
    if name in PROVIDER_BACKENDS:
        check_provider(name, spec.mode)
        if name == "anthropic":
            from .anthropic import AnthropicBackend

            return AnthropicBackend.from_config(spec.anthropic, model=model, recorder=recorder,
                                                **extra)
        if name == "gemini":
            from .gemini import GeminiBackend

            return GeminiBackend.from_config(spec.gemini, model=model, recorder=recorder,
                                             **extra)
        from .ollama import OllamaBackend

        return OllamaBackend.from_config(spec.ollama, model=model, recorder=recorder, **extra)
    return _in_process(name, model, recorder, extra)


def _in_process(name: str, model: str | None, recorder: Recorder | None,
                extra: dict[str, Any]) -> Backend:
    if name == "local":
        from .local import LocalBackend

        return LocalBackend.from_config(model=model, recorder=recorder, **extra)
    if name == "constrained":
        from .constrained import ConstrainedBackend

        return ConstrainedBackend.from_config(model=model, recorder=recorder, **extra)
    if name == "hybrid":
        from .hybrid import HybridBackend
        from .local import LocalBackend

        return HybridBackend(LocalBackend.from_config(model=model, recorder=recorder, **extra))
    from .rules import RulesBackend

    return RulesBackend()
