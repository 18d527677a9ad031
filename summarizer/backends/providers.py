"""Which provider a model string names: the one place a provider prefix is read.

    openai/gpt-4o-mini           the openai backend     OPENAI_API_KEY, OPENAI_BASE_URL
    anthropic/claude-haiku-4-5   the anthropic backend  ANTHROPIC_API_KEY, ANTHROPIC_BASE_URL
    gemini/gemini-2.5-flash      the gemini backend     GEMINI_API_KEY, GOOGLE_GEMINI_BASE_URL
    ollama/llama3.2              the ollama backend     OLLAMA_HOST (OLLAMA_API_KEY for its cloud)

Only these four prefixes route, and only when no backend is named. Every other string keeps
the meaning it had: a bare name or an `org/model` (as vLLM names them) goes to the configured
OpenAI-compatible server, a GGUF path or `hf:ORG/REPO/FILE` to the local model. A named
backend takes the string as it is, so `--backend openai --model openai/gpt-oss-20b` (vLLM) or
`anthropic/claude-haiku-4.5` (OpenRouter) still reach an OpenAI-compatible server unchanged.

Prices follow the same reading (costs.py): a prefixed string is priced by its provider's list,
any other by OpenAI's (a name OpenAI does not list, a local model's, has no price).
"""

from __future__ import annotations

import importlib.util
from dataclasses import dataclass

from ..errors import ConfigurationError, MissingExtraError


@dataclass(frozen=True)
class Provider:
    name: str  # the prefix, and its backend's name
    price_id: str | None  # genai-prices' provider id; None: a self-hosted server, no list price
    default_model: str
    extra: str | None = None  # the pip extra that installs its SDK; None: core suffices
    sdk: str | None = None  # the module that extra installs


PROVIDERS: dict[str, Provider] = {p.name: p for p in (
    Provider("openai", "openai", "gpt-4o-mini"),
    Provider("anthropic", "anthropic", "claude-haiku-4-5", "anthropic", "anthropic"),
    Provider("gemini", "google", "gemini-2.5-flash", "gemini", "google.genai"),
    Provider("ollama", None, "llama3.2"),
)}
# Providers with a backend of their own here; openai's is the OpenAI-compatible backend.
PROVIDER_BACKENDS = ("anthropic", "gemini", "ollama")


def split_model(model: str | None) -> tuple[Provider | None, str | None]:
    """(provider, the name without its prefix) for a prefixed string, else (None, model)."""
    if model:
        prefix, sep, rest = model.partition("/")
        if sep and rest and prefix in PROVIDERS:
            return PROVIDERS[prefix], rest
    return None, model


def route(backend: str | None, model: str | None) -> tuple[str | None, str | None]:
    """(backend name, model string for it). With no backend named, a provider prefix names
    one and is taken off; otherwise both pass as given (None: the configured default)."""
    provider, bare = split_model(model)
    if backend is None and provider is not None:
        return provider.name, bare
    return backend, model


def qualified(provider: str, model: str | None) -> str:
    """`provider/model`, the identity a provider backend keeps (result keys, prices,
    provenance); the model's own name goes on the wire. No model: the provider's default."""
    found, bare = split_model(model)
    if found is not None and found.name == provider:
        model = bare
    return f"{provider}/{model or PROVIDERS[provider].default_model}"


def price_ref(model: str) -> tuple[str | None, str]:
    """(genai-prices provider id, model name) that a model string is priced under."""
    provider, bare = split_model(model)
    if provider is None:
        return "openai", model
    return provider.price_id, bare or model


def check_provider(name: str, mode: str | None) -> None:
    """Refuse, in one line, what the anthropic, gemini or ollama backend cannot be built with:
    a --mode (openai's), or its SDK's extra not installed."""
    provider = PROVIDERS[name]
    if mode:
        raise ConfigurationError(f"--mode applies to the openai backend, not to {name}")
    if provider.sdk and not _importable(provider.sdk):
        assert provider.extra is not None
        raise MissingExtraError(provider.extra, f"--model {name}/...")


def _importable(module: str) -> bool:
    try:
        return importlib.util.find_spec(module) is not None
    except ImportError:  # a parent package ("google") is missing
        return False
