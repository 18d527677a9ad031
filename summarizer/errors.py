"""One rooted exception tree. Everything the library raises on purpose is a SummarizerError.

    SummarizerError
    ├── ConfigurationError          the user's setup is wrong (flags, env, missing extra)
    │   └── MissingExtraError       an optional dependency group is not installed
    ├── ArticleError                one input cannot become an Article (names the file)
    ├── OutputError                 the output folder cannot be written (names the path)
    │   └── OutputInUse             another run holds the output folder (names its pid)
    ├── BackendError                a model call failed after the transport retries
    │   ├── BackendTimeout
    │   ├── RateLimited
    │   └── ReplayMissError         replay mode found no recording for a request
    └── ExtractionFailed            the model never produced a valid draft (re-asks exhausted)

SDK exceptions (openai, httpx, llama.cpp) are translated into this tree at the backend
boundary; callers never need to import an SDK to catch our failures.
"""

from __future__ import annotations


class SummarizerError(Exception):
    """Base of every error this package raises on purpose."""


class ConfigurationError(SummarizerError):
    """The configuration (flags, environment, files) cannot work as given."""


class MissingExtraError(ConfigurationError):
    """An optional dependency group is needed but not installed."""

    def __init__(self, extra: str, feature: str) -> None:
        self.extra = extra
        self.feature = feature
        super().__init__(
            f"{feature} needs the '{extra}' extra: pip install 'summarizer[{extra}]'"
        )


class ArticleError(SummarizerError):
    """An input file (or record) cannot be turned into an Article."""

    def __init__(self, source: str, reason: str) -> None:
        self.source = source
        self.reason = reason
        super().__init__(f"{source}: {reason}")


class OutputError(SummarizerError):
    """A file in the output folder cannot be written: the path and the OS's reason."""


class OutputInUse(OutputError):
    """Another process is running into the same output folder."""

    def __init__(self, out: str, pid: int | None) -> None:
        self.out = out
        self.pid = pid
        holder = f"pid {pid}" if pid is not None else "a process whose pid is not known yet"
        super().__init__(f"{out}: in use by another summarizer run ({holder}); wait for it "
                         "to finish or give another --out")


class BackendError(SummarizerError):
    """A model call failed for a reason other than the model's output."""

    def __init__(self, message: str, *, backend: str = "", status: int | None = None) -> None:
        self.backend = backend
        self.status = status
        super().__init__(message)


class BackendTimeout(BackendError):
    """The model call timed out on every transport attempt."""


class RateLimited(BackendError):
    """The server kept answering 429 until the retry budget ran out."""


class ReplayMissError(BackendError):
    """Replay mode met a request that has no recording."""

    def __init__(self, key: str, directory: str, rerecord: str) -> None:
        self.key = key
        self.directory = directory
        super().__init__(
            f"no recording for call key {key} in {directory} "
            f"(the prompt, schema, model or parameters changed?); re-record with: {rerecord}",
            backend="replay",
        )


class ExtractionFailed(SummarizerError):
    """The model's output never validated against the draft schema within the re-ask budget."""

    def __init__(self, message: str, *, attempts: int, last_error: str = "",
                 usage: object | None = None) -> None:
        self.attempts = attempts
        self.last_error = last_error
        self.usage = usage  # tokens spent on the failed attempts, when known
        super().__init__(message)


def describe_validation_error(exc: object, limit: int = 3) -> str:
    """One line naming each invalid field and the problem, from a pydantic ValidationError
    (anything with `.errors()`): "casualties[0].killed.value: input should be greater than
    or equal to 0". Falls back to the first line of the exception's text."""
    errors = getattr(exc, "errors", None)
    try:
        found = list(errors()) if callable(errors) else []
    except Exception:  # not pydantic's: say what it says
        found = []
    if not found:
        text = str(exc).strip()
        return text.splitlines()[0] if text else type(exc).__name__
    parts = []
    for err in found[:limit]:
        path = "".join(f"[{p}]" if isinstance(p, int) else f".{p}" for p in err.get("loc", ()))
        msg = str(err.get("msg", "invalid"))
        parts.append(f"{path.lstrip('.') or '(whole brief)'}: {msg[:1].lower()}{msg[1:]}")
    more = len(found) - limit
    return "; ".join(parts) + (f" (and {more} more)" if more > 0 else "")
