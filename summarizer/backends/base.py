"""The one narrow backend interface: an Article in, a validated BriefDraft (plus usage) out.

A backend owns its prompt, its call and the validation re-ask of that call. Capabilities are
class attributes declared on `Backend` (`remote`, `few_shot`, `second_opinion`), never found
with getattr or isinstance. A new backend is one small file.
"""

from __future__ import annotations

import asyncio
from abc import ABC, abstractmethod
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, ClassVar

if TYPE_CHECKING:  # annotations only: the command line reads Settings without pydantic
    from ..article import Article
    from ..batch.concurrency import AdaptiveLimit
    from ..brief import BriefDraft, Flag
    from ..prompts import PromptTemplate


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
    # Of prompt_tokens, those the provider read from its prompt cache (billed lower).
    cached_tokens: int = 0

    @property
    def total_tokens(self) -> int:
        return self.prompt_tokens + self.completion_tokens

    def __add__(self, other: Usage) -> Usage:
        return Usage(self.prompt_tokens + other.prompt_tokens,
                     self.completion_tokens + other.completion_tokens,
                     self.calls + other.calls, self.cached_tokens + other.cached_tokens)

    def as_dict(self) -> dict[str, int]:
        """The counts; `cached_tokens` only when a provider reported cache reads."""
        out = {"prompt_tokens": self.prompt_tokens, "completion_tokens": self.completion_tokens,
               "total_tokens": self.total_tokens, "calls": self.calls}
        if self.cached_tokens:
            out["cached_tokens"] = self.cached_tokens
        return out


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
    # Salvage's flags (summarizer/salvage.py): what was cut or set to null to keep the draft.
    flags: list[Flag] = field(default_factory=list)


Message = dict[str, Any]  # one chat message: {"role": ..., "content": ...}


class Backend(ABC):
    """Turns an Article into an Extraction. One file per implementation; this base declares
    what a backend can do, so callers never probe it with getattr.

    A backend owns its prompt: it renders the messages from (article, prompt, settings), so
    a backend that must shorten an article cuts the article, never the rendered text.
    """

    name: ClassVar[str]
    remote: ClassVar[bool] = False  # calls a server: worth concurrency and transport retries
    few_shot: ClassVar[bool] = False  # shown the prompt's worked example before the article
    second_opinion: ClassVar[bool] = False  # briefs get the rules' advisory reading of totals
    model: str

    def render(self, article: Article, prompt: PromptTemplate,
               followup: Sequence[Message] = (), *, text: str | None = None) -> list[Message]:
        """The chat messages for `article`, plus `followup` turns (a grounding re-ask);
        `text` replaces the article's text when a backend had to shorten it."""
        return [*prompt.render(article, example=self.few_shot, text=text), *followup]

    def prepare(self, articles: Sequence[Article], prompt: PromptTemplate,
                settings: Settings) -> None:
        """Called once before a run's first brief with every article it will brief (an
        in-process model sizes its context window here). Default: nothing to do."""
        return None

    @property
    def transport_retries(self) -> int:
        """Transport retries made so far (429, 5xx, timeouts); 0 for in-process backends."""
        return 0

    def on_rate_limit(self, callback: Callable[[], None]) -> None:
        """Call `callback` whenever a server rate-limits this backend (a 429). In-process
        backends are never rate-limited: nothing to do."""
        return None

    def identity(self) -> dict[str, Any]:
        """What else decides this backend's answers, beyond its name and model: it joins the
        result key, so a change makes a new call (the server, the structured-output mode,
        the local context size). Default: nothing else."""
        return {}

    def close(self) -> None:
        """Release what this backend holds across calls (an in-process model's loaded
        weights). Its owner calls it; a later call may load again. Default: nothing held."""
        return None

    def share_limit(self, limit: AdaptiveLimit | None) -> bool:
        """Take a slot of `limit` for each request this backend sends from now on (None:
        stop); False when it sends none (in process), so the caller bounds whole briefs."""
        return False

    @abstractmethod
    def extract(self, article: Article, prompt: PromptTemplate, settings: Settings,
                followup: Sequence[Message] = ()) -> Extraction:
        """A validated draft for `article`. Raises BackendError or ExtractionFailed."""

    async def aextract(self, article: Article, prompt: PromptTemplate, settings: Settings,
                       followup: Sequence[Message] = ()) -> Extraction:
        """`extract` for an event loop. Remote backends override it with a native async
        client (no thread per call); in-process ones run `extract` in a worker thread."""
        return await asyncio.to_thread(self.extract, article, prompt, settings, followup)
