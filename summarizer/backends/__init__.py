"""Backends and the one place that chooses among them (configuration, one way).

    --backend / SUMMARIZER_BACKEND: openai | anthropic | gemini | ollama | local | constrained |
    hybrid | rules
    --model with a provider prefix (openai/, anthropic/, gemini/, ollama/) and no --backend:
    that provider's backend (providers.py, the one place a prefix is read)
    (constrained, formerly "grounded", which stays an alias: the local model under a
    per-article grammar that allows only the article's own sentences, names and numbers)
    unset: openai when OPENAI_API_KEY or OPENAI_BASE_URL is set, else the offline default
    (rules: chosen by the committed dev measurements, see evaluation/default_choice.py)
    --record / --replay (or SUMMARIZER_RECORDINGS=record|replay) wrap the chosen LLM backend
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

from ..errors import ConfigurationError
from .base import Backend, Extraction, Settings, Usage
from .providers import PROVIDER_BACKENDS, check_provider, route

BACKENDS = ("openai", *PROVIDER_BACKENDS, "local", "constrained", "hybrid", "rules")
REMOTE_BACKENDS = ("openai", *PROVIDER_BACKENDS)  # HTTP clients: --timeout applies
LOCAL_MODEL_BACKENDS = ("local", "constrained", "hybrid")  # llama.cpp in process: n_ctx
ALIASES = {"grounded": "constrained"}  # the old name of constrained decoding
# The configuration with the best dev mean over the three totals' exact match and headline
# similarity, ties broken by seconds per article (tests/test_default_choice.py recomputes it
# from evals/baselines/): the rules, which also need no compiler and no model.
OFFLINE_DEFAULT = "rules"

__all__ = ["ALIASES", "BACKENDS", "LOCAL_MODEL_BACKENDS", "REMOTE_BACKENDS", "Backend",
           "Extraction", "Settings", "Usage", "backend_for", "canonical_name",
           "default_backend_name", "resolve_backend"]


def canonical_name(name: str) -> str:
    """A backend name as given (any case, an old alias) as the name it now has."""
    name = name.strip().lower()
    return ALIASES.get(name, name)


def default_backend_name() -> str:
    name = os.environ.get("SUMMARIZER_BACKEND", "").strip().lower()
    if name:
        return name
    if os.environ.get("OPENAI_API_KEY") or os.environ.get("OPENAI_BASE_URL"):
        return "openai"
    return OFFLINE_DEFAULT


def backend_for(name: str | None, model: str | None) -> tuple[str, str | None]:
    """(backend name, model for it): the named backend, else the model's provider prefix,
    else the configured default."""
    name, model = route(canonical_name(name) if name else None, model)
    return canonical_name(name or default_backend_name()), model


def resolve_backend(name: str | None = None, *, model: str | None = None,
                    mode: str | None = None, recording: str | None = None,
                    recordings_dir: str | Path | None = None, **kwargs: Any) -> Backend:
    """Build the configured backend. Raises ConfigurationError with one clear line."""
    name, model = backend_for(name, model)
    if name not in BACKENDS:
        raise ConfigurationError(f"unknown backend {name!r}; choose one of {', '.join(BACKENDS)}")
    recording = recording or os.environ.get("SUMMARIZER_RECORDINGS") or None
    recorder = None
    if recording and name != "rules":
        from .recording import DEFAULT_DIR, Recorder  # httpx: only when calls are recorded
  # rules make no model calls: nothing to record
        directory = Path(recordings_dir or os.environ.get("SUMMARIZER_RECORDINGS_DIR")
                         or DEFAULT_DIR)
        recorder = Recorder(directory, recording, backend=name,  # type: ignore[arg-type]
                            rerecord_hint=f"summarizer run ARTICLE --backend {name}"
                            + (f" --model {model}" if model else "") + " --record")
    if name == "openai":
        from .openai import OpenAIBackend

        return OpenAIBackend.from_env(model=model, mode=mode, recorder=recorder, **kwargs)
    if name in PROVIDER_BACKENDS:
        check_provider(name, mode)
        if name == "anthropic":
            from .anthropic import AnthropicBackend

            return AnthropicBackend.from_env(model=model, recorder=recorder, **kwargs)
        if name == "gemini":
            from .gemini import GeminiBackend

            return GeminiBackend.from_env(model=model, recorder=recorder, **kwargs)
        from .ollama import OllamaBackend

        return OllamaBackend.from_env(model=model, recorder=recorder, **kwargs)
    if name == "local":
        from .local import LocalBackend

        return LocalBackend.from_config(model=model, recorder=recorder, **kwargs)
    if name == "constrained":
        from .constrained import ConstrainedBackend

        return ConstrainedBackend.from_config(model=model, recorder=recorder, **kwargs)
    if name == "hybrid":
        from .hybrid import HybridBackend
        from .local import LocalBackend

        return HybridBackend(LocalBackend.from_config(model=model, recorder=recorder, **kwargs))
    from .rules import RulesBackend

    return RulesBackend()
