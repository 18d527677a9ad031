"""What a provider's Batch API module writes; the flow (flow.py) does the rest.

A provider turns one article's messages into one request line keyed by its `custom_id` (the
result key), submits a list of lines as one batch, reads a batch's status, and reads the
results of an ended batch as `Outcome`s: an Extraction validated exactly as a live answer
is, or a failure with its reason, whether it is worth the one retry, and the follow-up turns
of that retry (the validation re-ask of the live backend).
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import ClassVar

from ..backends.base import Extraction, Message, Settings, Usage
from ..backends.reask import Answer, Reask
from ..brief import BriefDraft


@dataclass
class Status:
    """A batch as the provider reports it."""

    state: str  # the provider's word: in_progress, completed, expired, ended...
    ended: bool
    done: int = 0
    total: int = 0
    # Why a request with no line in the results has none (expired, cancelled, refused).
    missing: str = ""
    files: dict[str, str] = field(default_factory=dict)  # OpenAI: output and error file ids


@dataclass
class Outcome:
    """One request's result."""

    custom_id: str
    extraction: Extraction | None = None
    reason: str = ""
    retry: bool = False  # a failed line or an invalid answer: worth the one retry
    followup: list[Message] = field(default_factory=list)  # the retry's extra turns
    usage: Usage = field(default_factory=Usage)
    # An invalid answer as salvage keeps it (summarizer/salvage.py): briefed when no retry
    # is left for it, as a live run keeps its last answer after the re-asks.
    salvaged: Extraction | None = None


class BatchProvider(ABC):
    name: ClassVar[str]
    max_requests: ClassVar[int]  # the provider's limits on one batch
    max_bytes: ClassVar[int]

    def __init__(self, settings: Settings) -> None:
        self.settings = settings

    def check(self) -> None:
        """Raise ConfigurationError (one line) when this server has no Batch API."""
        return None

    @abstractmethod
    def line(self, custom_id: str, messages: list[Message]) -> bytes:
        """One request, JSON-encoded, as the batch carries it."""

    @abstractmethod
    def submit(self, lines: list[bytes]) -> tuple[str, dict[str, str]]:
        """Submit one batch; its id and what else is worth keeping (an input file id)."""

    @abstractmethod
    def poll(self, batch_id: str) -> Status:
        """The batch's status now."""

    @abstractmethod
    def results(self, batch_id: str, status: Status) -> Iterator[Outcome]:
        """Every line of an ended batch."""


def fits(lines: list[bytes], max_requests: int, max_bytes: int) -> Iterator[list[int]]:
    """Indexes of `lines` in consecutive groups within both limits (a line over `max_bytes`
    alone is the caller's to refuse)."""
    group: list[int] = []
    size = 0
    for i, line in enumerate(lines):
        if group and (len(group) >= max_requests or size + len(line) + 1 > max_bytes):
            yield group
            group, size = [], 0
        group.append(i)
        size += len(line) + 1
    if group:
        yield group


def answered(custom_id: str, answer: Answer, settings: Settings, model: str, mode: str,
             where: str) -> Outcome:
    """One batch answer read as a live call's first attempt is (reask.py): a valid draft, or
    the reason, the re-ask turns of the one retry, and salvage's keep of the answer."""
    attempts: Reask[BriefDraft] = Reask([], settings)
    attempts.next()
    attempts.take(answer)
    if attempts.value is not None:
        extraction = attempts.finish().extraction(model, mode, [where])
        return Outcome(custom_id, extraction, usage=attempts.usage)
    kept = attempts.salvaged()
    return Outcome(custom_id, reason=f"no valid brief: {attempts.error}",
                   retry=settings.max_reasks > 0, followup=attempts.followup,
                   usage=attempts.usage,
                   salvaged=None if kept is None else kept.extraction(model, mode, [where]))
