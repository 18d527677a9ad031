"""What decides a run's backend, as one frozen, picklable value: the `Spec`.

`spec_from_env(**flags)` is the one place in the library that reads the environment for
configuration; a flag given (not None) wins over its variable, a variable over the default:

    SUMMARIZER_BACKEND         backend: openai | anthropic | gemini | ollama | local |
                               constrained | hybrid | rules (unset: a model's provider prefix,
                               else openai when its key or URL is set, else the offline default)
    SUMMARIZER_MODEL           model
    SUMMARIZER_RECORDINGS      recording: record | replay
    SUMMARIZER_RECORDINGS_DIR  recordings_dir (unset: evals/recordings)
    OPENAI_API_KEY, OPENAI_BASE_URL             the openai endpoint
    OPENAI_ORG_ID, OPENAI_PROJECT_ID            its account headers, as the openai SDK sends
    ANTHROPIC_API_KEY, ANTHROPIC_BASE_URL       the anthropic endpoint
    GOOGLE_API_KEY or GEMINI_API_KEY, GOOGLE_GEMINI_BASE_URL   the gemini endpoint
    OLLAMA_HOST, OLLAMA_API_KEY                 the ollama endpoint

`configure(spec)` (configuration.py) builds a Configuration from it; `RunOptions` and
`EvalOptions` embed one; Ray actors receive it as it is and build their backend from it. The
API keys it carries never show in its repr, and a result key never holds them (it holds the
backend's identity: base URL, mode, context size).
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from pathlib import Path

from .backends.base import Settings
from .backends.names import BACKENDS, OFFLINE_DEFAULT, canonical_name
from .backends.providers import route
from .errors import ConfigurationError
from .policies import POLICIES, Policy

__all__ = ["ENV_PREFIXES", "SDK_PREFIXES", "Endpoint", "Spec", "spec_from_env"]

RECORDING_MODES = ("record", "replay")
# The variables a spec reads come from these families; a secret-looking one among them
# (KEY, TOKEN, SECRET in its name) is kept for redaction in recordings.
ENV_PREFIXES = ("OPENAI_", "ANTHROPIC_", "GEMINI_", "GOOGLE_", "OLLAMA_", "SUMMARIZER_")
_SECRET_WORDS = ("KEY", "TOKEN", "SECRET")
# Variables the providers' SDKs read themselves (OPENAI_ORG_ID, ANTHROPIC_AUTH_TOKEN,
# GOOGLE_GENAI_USE_VERTEXAI, ...): kept so that a process elsewhere (a Ray actor) is given
# them by Ray (runtime_env); what the spec reads into fields is not among them.
SDK_PREFIXES = ("OPENAI_", "ANTHROPIC_", "GEMINI_", "GOOGLE_GEMINI_", "GOOGLE_GENAI_",
                "OLLAMA_")
READ_INTO_FIELDS = frozenset({
    "OPENAI_API_KEY", "OPENAI_BASE_URL", "ANTHROPIC_API_KEY", "ANTHROPIC_BASE_URL",
    "GEMINI_API_KEY", "GOOGLE_API_KEY", "GOOGLE_GEMINI_BASE_URL", "OLLAMA_HOST",
    "OLLAMA_API_KEY"})


@dataclass(frozen=True)
class Endpoint:
    """A provider's server and credential (the key never in a repr)."""

    base_url: str | None = None
    api_key: str = field(default="", repr=False)
    # Headers of the account the key belongs to (OpenAI's organization and project).
    headers: tuple[tuple[str, str], ...] = ()

    @property
    def configured(self) -> bool:
        return bool(self.base_url or self.api_key)


@dataclass(frozen=True)
class Spec:
    """Everything that decides which backend briefs, and how: names and values, never
    objects, so that it pickles (a Ray actor gets it as it is) and compares."""

    backend: str | None = None  # None: a provider prefix on `model`, else the default
    model: str | None = None
    mode: str | None = None  # openai's structured-output mode; None: probed per server
    recording: str | None = None  # record | replay
    recordings_dir: Path | None = None  # None: evals/recordings
    timeout: float | None = None  # seconds per HTTP request; None: the backend's default
    n_ctx: int = 0  # a local model's context, fixed elsewhere (a Ray driver's); 0: sized
    settings: Settings = field(default_factory=Settings)
    policy: Policy = "flag"
    prompt: str = "brief"  # a packaged prompt's name (_prompts/NAME.toml), or a .toml path
    runtime_logs: bool = False  # llama.cpp's own log lines on stderr (--verbose)
    openai: Endpoint = field(default_factory=Endpoint)
    anthropic: Endpoint = field(default_factory=Endpoint)
    gemini: Endpoint = field(default_factory=Endpoint)
    ollama: Endpoint = field(default_factory=Endpoint)  # base_url: OLLAMA_HOST as given
    redact: tuple[str, ...] = field(default=(), repr=False)  # more values kept out of recordings
    sdk_env: tuple[tuple[str, str], ...] = field(default=(), repr=False)  # see SDK_PREFIXES

    def route(self) -> tuple[str, str | None]:
        """(backend name, model for it): the named backend, else the model's provider prefix
        (taken off), else openai when its endpoint is configured, else the offline default."""
        name, model = route(canonical_name(self.backend) if self.backend else None, self.model)
        if name is None:
            name = "openai" if self.openai.configured else OFFLINE_DEFAULT
        return canonical_name(name), model

    def resolved(self) -> Spec:
        """This spec with its backend and model as `route()` reads them: a process that
        builds from it (a Ray actor) cannot pick another."""
        name, model = self.route()
        return replace(self, backend=name, model=model)

    def check(self) -> Spec:
        """Refuse, in one line, what no backend can be built from. Returns the spec."""
        name, _ = self.route()
        if name not in BACKENDS:
            raise ConfigurationError(f"unknown backend {name!r}; choose one of "
                                     f"{', '.join(BACKENDS)}")
        if self.policy not in POLICIES:
            raise ConfigurationError(f"unknown policy {self.policy!r}; choose one of "
                                     f"{', '.join(POLICIES)}")
        if self.recording is not None and self.recording not in RECORDING_MODES:
            raise ConfigurationError(f"recording mode must be record or replay, not "
                                     f"{self.recording!r} (SUMMARIZER_RECORDINGS)")
        return self

    def secrets(self) -> tuple[str, ...]:
        """The values a recording must never hold: every endpoint's key, and the rest."""
        keys = (self.openai.api_key, self.anthropic.api_key, self.gemini.api_key,
                self.ollama.api_key, *self.redact)
        return tuple(dict.fromkeys(k for k in keys if k))


def _endpoints(env: Mapping[str, str]) -> dict[str, Endpoint]:
    def get(name: str) -> str:
        return env.get(name, "").strip()

    return {
        # The openai SDK sends these two as headers when set; our client does the same.
        "openai": Endpoint(get("OPENAI_BASE_URL") or None, get("OPENAI_API_KEY"), tuple(
            (header, get(name)) for header, name in (("OpenAI-Organization", "OPENAI_ORG_ID"),
                                                     ("OpenAI-Project", "OPENAI_PROJECT_ID"))
            if get(name))),
        "anthropic": Endpoint(get("ANTHROPIC_BASE_URL") or None, get("ANTHROPIC_API_KEY")),
        "gemini": Endpoint(get("GOOGLE_GEMINI_BASE_URL") or None,
                           get("GOOGLE_API_KEY") or get("GEMINI_API_KEY")),
        "ollama": Endpoint(get("OLLAMA_HOST") or None, get("OLLAMA_API_KEY")),
    }


def _redact(env: Mapping[str, str]) -> tuple[str, ...]:
    """Secret-looking values of the provider families: a recording is scrubbed of them."""
    return tuple(v for k, v in sorted(env.items())
                 if k.startswith(ENV_PREFIXES) and len(v) >= 8
                 and any(w in k.upper() for w in _SECRET_WORDS))


def _sdk_env(env: Mapping[str, str]) -> tuple[tuple[str, str], ...]:
    return tuple((k, v) for k, v in sorted(env.items())
                 if k.startswith(SDK_PREFIXES) and k not in READ_INTO_FIELDS)


def spec_from_env(environ: Mapping[str, str] | None = None, *, backend: str | None = None,
                  model: str | None = None, mode: str | None = None,
                  recording: str | None = None, recordings_dir: str | Path | None = None,
                  timeout: float | None = None, n_ctx: int = 0,
                  settings: Settings | None = None, policy: Policy | None = None,
                  prompt: str | None = None, runtime_logs: bool = False) -> Spec:
    """The Spec of the flags given (None: not given) over the environment (`environ`, or the
    process's), resolved and checked: its backend is named, never left to a later reader."""
    env = os.environ if environ is None else environ
    model = model or env.get("SUMMARIZER_MODEL", "").strip() or None
    if not backend and route(None, model)[0] is None:  # a provider prefix beats the variable
        backend = env.get("SUMMARIZER_BACKEND", "").strip() or None
    folder = recordings_dir or env.get("SUMMARIZER_RECORDINGS_DIR", "").strip() or None
    spec = Spec(backend=backend, model=model, mode=mode,
                recording=recording or env.get("SUMMARIZER_RECORDINGS", "").strip() or None,
                recordings_dir=Path(folder) if folder else None, timeout=timeout, n_ctx=n_ctx,
                settings=settings or Settings(), policy=policy or "flag",
                prompt=prompt or "brief", runtime_logs=runtime_logs, redact=_redact(env),
                sdk_env=_sdk_env(env), **_endpoints(env))
    return spec.resolved().check()
