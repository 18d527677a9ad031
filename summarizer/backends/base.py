"""The one narrow backend interface: an Article in, a validated BriefDraft (plus usage) out.

A backend owns its call and the validation re-ask of that call. Capabilities are attributes
(`remote`, `grammar`), never isinstance checks. A new backend is one small file.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, ClassVar, Protocol, runtime_checkable

from ..article import Article
from ..brief import BriefDraft


@dataclass(frozen=True)
class Settings:
    """Decoding parameters; part of the result key and of every recorded request."""

    temperature: float = 0.0
    max_tokens: int = 2048
    max_reasks: int = 2  # validation re-asks after the first attempt
    seed: int = 0

    def key(self) -> dict[str, Any]:
        return {"temperature": self.temperature, "max_tokens": self.max_tokens,
                "max_reasks": self.max_reasks, "seed": self.seed}


@dataclass
class Usage:
    """Token usage, summed over every attempt (failed ones included)."""

    prompt_tokens: int = 0
    completion_tokens: int = 0
    calls: int = 0  # chat-completion calls made, re-asks included

    @property
    def total_tokens(self) -> int:
        return self.prompt_tokens + self.completion_tokens

    def __add__(self, other: Usage) -> Usage:
        return Usage(self.prompt_tokens + other.prompt_tokens,
                     self.completion_tokens + other.completion_tokens,
                     self.calls + other.calls)

    def as_dict(self) -> dict[str, int]:
        return {"prompt_tokens": self.prompt_tokens, "completion_tokens": self.completion_tokens,
                "total_tokens": self.total_tokens, "calls": self.calls}


@dataclass
class Extraction:
    """What a backend returns for one article."""

    draft: BriefDraft
    usage: Usage
    attempts: int
    model: str
    mode: str | None = None  # structured-output mode (json_schema, tools, grammar...)
    raw: str | None = None  # the last raw model output, for debugging
    notes: list[str] = field(default_factory=list)  # e.g. "article truncated to 7,000 tokens"


@runtime_checkable
class Backend(Protocol):
    """Turn an Article into an Extraction. Implementations live one per file here."""

    name: ClassVar[str]
    remote: ClassVar[bool]  # calls a server: worth concurrency and transport retries
    model: str

    def extract(self, article: Article, messages: list[dict[str, Any]],
                settings: Settings) -> Extraction:
        """Extract a validated draft. `messages` is the rendered prompt (the recording seam's
        input for LLM backends; a rules backend may ignore it). Raises BackendError or
        ExtractionFailed."""
        ...


def wants_second_opinion(backend: object) -> bool:
    """Whether briefs of `backend` get the rules' second opinion on their totals (its
    `second_opinion`; default no)."""
    return bool(getattr(backend, "second_opinion", False))


def wants_example(backend: object) -> bool:
    """Whether `backend` is shown the prompt's worked example (its `few_shot`; default no)."""
    return bool(getattr(backend, "few_shot", False))
