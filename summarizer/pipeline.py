"""One article: render prompt -> backend.extract -> ground -> apply policy -> BriefResult.

`summarize()` / `asummarize()` are the library's entry points. The pipeline owns the re-ask
that grounding asks for (policy `reask`); the backend owns its own validation re-ask.
"""

from __future__ import annotations

import asyncio
import datetime as _dt
import time
from pathlib import Path
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field

from . import __version__
from .article import SUFFIXES, Article, load_article
from .backends import resolve_backend
from .backends.base import (
    Backend,
    Extraction,
    Settings,
    Usage,
    wants_example,
    wants_second_opinion,
)
from .brief import Brief, BriefDraft, Flag, schema_id
from .errors import ArticleError
from .grounding import describe_failures, drop_flagged, ground
from .prompts import PromptTemplate, load_prompt
from .second_opinion import second_opinion

Policy = Literal["flag", "drop", "reask"]
POLICIES: tuple[Policy, ...] = ("flag", "drop", "reask")


class Provenance(BaseModel):
    """What produced a brief: enough to reproduce it and to audit its cost."""

    model_config = ConfigDict(extra="forbid", protected_namespaces=())

    backend: str
    model: str
    mode: str | None = None
    prompt_id: str
    schema_id: str
    settings: dict[str, Any]
    policy: Policy
    usage: dict[str, int]
    attempts: int = Field(description="Model calls for this brief, every re-ask included.")
    latency_s: float
    created_at: str
    summarizer_version: str = __version__
    notes: list[str] = Field(default_factory=list)


class BriefResult(BaseModel):
    """A validated Brief plus where it came from and how it was made."""

    model_config = ConfigDict(extra="forbid")

    id: str
    source: str
    content_hash: str
    title: str | None = None
    brief: Brief
    provenance: Provenance

    @property
    def flags(self) -> list[Flag]:
        return self.brief.flags


def _ground(article: Article, draft: BriefDraft) -> tuple[Brief, list[Flag]]:
    """Grounding is pure: text + draft in, Brief with offsets + flags out."""
    result = ground(article, draft)
    return result.brief, list(result.flags)


def _apply_policy(brief: Brief, flags: list[Flag], policy: Policy) -> Brief:
    if policy == "drop" and flags:
        brief = drop_flagged(brief, flags)
    return brief.model_copy(update={"flags": flags})


def _reask_messages(messages: list[dict[str, Any]], ext: Extraction,
                    flags: list[Flag]) -> list[dict[str, Any]]:
    return [*messages,
            {"role": "assistant", "content": ext.raw or ext.draft.model_dump_json()},
            {"role": "user", "content": "Some facts in your brief are not supported by the "
             "article:\n" + describe_failures(flags) + "\nRewrite the whole brief: copy quotes "
             "word for word from the article, and use null for any figure it does not give."}]


def _as_article(given: str | Path) -> Article:
    """A path (str or Path) is loaded; a string that is not one is the article's text. A
    string that looks like a path but names no file is an error, not a one-line article."""
    if isinstance(given, Path):
        return load_article(given)
    one_line = "\n" not in given and len(given) < 1024
    if one_line and Path(given).is_file():
        return load_article(given)
    if one_line and (Path(given).suffix.lower() in SUFFIXES or given.startswith(("/", "./"))):
        raise ArticleError(given, "no such file")
    return Article.from_text(given)


def summarize(article: Article | str | Path, *, backend: Backend | str | None = None,
              settings: Settings | None = None, policy: Policy = "flag",
              prompt: PromptTemplate | None = None) -> BriefResult:
    """Brief one article. `article` is an Article, a path, or raw text.

    `backend` is a Backend, a backend name (openai | local | rules) or None for the configured
    default (SUMMARIZER_BACKEND; else openai when OPENAI_API_KEY or OPENAI_BASE_URL is set;
    else the embedded local model).
    """
    if not isinstance(article, Article):
        article = _as_article(article)
    if not isinstance(backend, Backend):
        backend = resolve_backend(backend)
    settings = settings or Settings()
    prompt = prompt or load_prompt()
    messages = prompt.render(article, example=wants_example(backend))

    started = time.perf_counter()
    ext = backend.extract(article, messages, settings)
    usage: Usage = ext.usage
    attempts = ext.attempts
    notes = list(ext.notes)
    brief, flags = _ground(article, ext.draft)
    if policy == "reask" and flags:
        again = backend.extract(article, _reask_messages(messages, ext, flags), settings)
        usage, attempts = usage + again.usage, attempts + again.attempts
        brief2, flags2 = _ground(article, again.draft)
        notes.append(f"grounding re-ask: {len(flags)} flag(s) before, {len(flags2)} after")
        if len(flags2) <= len(flags):
            ext, brief, flags = again, brief2, flags2
    brief = _apply_policy(brief, flags, policy)
    if wants_second_opinion(backend):  # advisory: after the policy, never dropped on
        brief = brief.model_copy(update={"flags": [*brief.flags,
                                                   *second_opinion(article, brief)]})
    provenance = Provenance(
        backend=backend.name,
        model=ext.model,
        mode=ext.mode,
        prompt_id=prompt.id,
        schema_id=schema_id(BriefDraft),
        settings=settings.key(),
        policy=policy,
        usage=usage.as_dict(),
        attempts=attempts,
        latency_s=round(time.perf_counter() - started, 4),
        created_at=_dt.datetime.now(_dt.UTC).isoformat(timespec="seconds"),
        notes=notes,
    )
    return BriefResult(id=article.id, source=article.source, content_hash=article.content_hash,
                       title=article.title, brief=brief, provenance=provenance)


async def asummarize(article: Article | str | Path, **kwargs: Any) -> BriefResult:
    """`summarize` for async callers: runs in a worker thread, so the event loop stays free."""
    return await asyncio.to_thread(summarize, article, **kwargs)
