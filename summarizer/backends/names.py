"""The backends by name: which exist, which call a server, which load a model in process,
the old names kept as aliases, and the offline default. Names only: no backend is imported."""

from __future__ import annotations

from .providers import PROVIDER_BACKENDS

BACKENDS = ("openai", *PROVIDER_BACKENDS, "local", "constrained", "hybrid", "rules")
REMOTE_BACKENDS = ("openai", *PROVIDER_BACKENDS)  # HTTP clients: --timeout applies
LOCAL_MODEL_BACKENDS = ("local", "constrained", "hybrid")  # llama.cpp in process: n_ctx
ALIASES = {"grounded": "constrained"}  # the old name of constrained decoding
# The configuration with the best dev mean over the three totals' exact match and headline
# similarity, ties broken by seconds per article (tests/test_default_choice.py recomputes it
# from evals/baselines/): the rules, which also need no compiler and no model.
OFFLINE_DEFAULT = "rules"


def canonical_name(name: str) -> str:
    """A backend name as given (any case, an old alias) as the name it now has."""
    name = name.strip().lower()
    return ALIASES.get(name, name)
