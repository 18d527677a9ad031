"""What a provider is, as data: a codec builds the request for one brief, reads a reply into
what the re-ask loop takes (reask.Answer: the draft's text, usage, cut off or not), and reads
a failure (an SDK's or the transport's error; http.py reads HTTP's) as a `Failure`. No I/O:
the live backends (remote.py, openai.py) and the Batch API code (batch_api/) send what a
codec builds and read what comes back through it, so both speak one wire.

`ours` turns a Failure into our error, the same words for every provider.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Protocol

from ..errors import BackendError, BackendTimeout, RateLimited, SummarizerError
from .base import Message, Settings
from .reask import Answer


@dataclass
class Failure:
    """An error read once: HTTP status (None: no answer came), message, response."""

    status: int | None
    message: str
    response: Any = None  # its headers may carry Retry-After
    timeout: bool = False


class Codec(Protocol):
    @property
    def decoding(self) -> str:
        """The structured-output mode it asks for, as provenance reports it."""

    def request(self, model: str, messages: list[Message], settings: Settings) -> Any:
        """The request for one brief (`model`: the name on the wire)."""

    def answer(self, reply: Any) -> Answer:
        """One reply (the SDK's object or the parsed JSON) as the re-ask loop reads it."""

    def failure(self, exc: BaseException) -> Failure | None:
        """The error read as a Failure; None for anything this codec does not know."""


def ours(failure: Failure, backend: str) -> SummarizerError:
    """A failure as our error, in one line."""
    if failure.timeout:
        return BackendTimeout("the server timed out on every attempt", backend=backend)
    if failure.status == 429:
        return RateLimited(f"rate limited until the retry budget ran out: {failure.message}",
                           backend=backend, status=429)
    if failure.status is None:
        return BackendError(f"connection failed: {failure.message}", backend=backend)
    return BackendError(f"HTTP {failure.status}: {failure.message}", backend=backend,
                        status=failure.status)
