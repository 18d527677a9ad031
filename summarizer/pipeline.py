"""One article: backend.extract -> ground -> apply policy -> BriefResult.

`summarize()` / `asummarize()` are the library's entry points; `brief_article()` is the step
the batch and the eval drive with a Configuration built once. The backend renders its own
prompt and owns its validation re-ask; the pipeline owns the re-ask that grounding asks for
(policy `reask`).
"""

from __future__ import annotations

import datetime as _dt
import os
import time
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ConfigDict, Field

from ._version import __version__
from .article import SUFFIXES, Article, load_article
from .backends.base import Backend, Extraction, Message, Settings
from .brief import Brief, BriefDraft, Flag
from .configuration import POLICIES, Configuration, Policy, configure
from .errors import ArticleError
from .grounding import describe_failures, drop_flagged, ground
from .grounding.flags import ordered
from .prompts import PromptTemplate
from .situate import situate

__all__ = ["POLICIES", "BriefResult", "Policy", "Provenance", "abrief_article", "asummarize",
           "brief_article", "brief_from_extraction", "summarize"]


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


def _reask_turns(ext: Extraction, flags: list[Flag]) -> list[Message]:
    return [{"role": "assistant", "content": ext.raw or ext.draft.model_dump_json()},
            {"role": "user", "content": "Some facts in your brief are not supported by the "
             "article:\n" + describe_failures(flags) + "\nRewrite the whole brief: copy quotes "
             "word for word from the article, and use null for any figure it does not give."}]


def _as_article(given: object, caller: str) -> Article:
    """An Article as it is, a path (`os.PathLike`) loaded, a `str` taken as the article's
    text. A one-line `str` that names a file, or looks like a path, is refused: reading
    whatever path a caller hands over as text (`summarize("/etc/passwd")`) is not ours to
    guess."""
    if isinstance(given, Article):
        return given
    if isinstance(given, os.PathLike):
        return load_article(Path(given))
    if not isinstance(given, str):
        raise TypeError(f"{caller}(): article must be an Article, a str of article text or "
                        f"a pathlib.Path (os.PathLike), not {type(given).__name__}")
    one_line = "\n" not in given and len(given) < 1024
    if one_line and _is_file(given):  # never read: the caller meant it as a path?
        raise TypeError(f"{caller}(): article {given!r} is a str, which is taken as the "
                        f"article's text, and it names a file: to read the file, pass "
                        f"pathlib.Path({given!r})")
    if one_line and _looks_like_path(given):
        raise ArticleError(given, f"no such file (and a str is taken as the article's text; "
                                  f"{caller}() reads a file given as a pathlib.Path)")
    return Article.from_text(given)


def _is_file(text: str) -> bool:
    try:
        return Path(text).is_file()
    except OSError:  # a line of text longer than a file name may be (ENAMETOOLONG)
        return False


def _looks_like_path(text: str) -> bool:
    return " " not in text and (Path(text).suffix.lower() in SUFFIXES
                                or text.startswith(("/", "./", "../", "~/")))


# Backends whose totals are the rules' own reading (hybrid: the rules' records, a model's text)
_READ_BY_RULES = frozenset({"rules", "hybrid"})


class _Briefing:
    """One article's way from the first extraction to a BriefResult; the sync and async
    entry points differ only in how they call the backend."""

    def __init__(self, article: Article, config: Configuration, ext: Extraction,
                 started: float) -> None:
        self.article, self.config, self.started = article, config, started
        self.ext, self.usage, self.attempts = ext, ext.usage, ext.attempts
        self.notes = list(ext.notes)
        self.brief, self.flags = _ground(article, ext.draft)

    def reask(self) -> list[Message] | None:
        """The follow-up turns of a grounding re-ask, when the policy wants one."""
        if self.config.policy == "reask" and self.flags:
            return _reask_turns(self.ext, self.flags)
        return None

    def take(self, again: Extraction) -> None:
        """The re-asked extraction: kept when it has no more flags than the first."""
        self.usage, self.attempts = self.usage + again.usage, self.attempts + again.attempts
        brief2, flags2 = _ground(self.article, again.draft)
        self.notes.append(f"grounding re-ask: {len(self.flags)} flag(s) before, "
                          f"{len(flags2)} after")
        if len(flags2) <= len(self.flags):
            self.ext, self.brief, self.flags = again, brief2, flags2

    def result(self) -> BriefResult:
        config, article = self.config, self.article
        brief = situate(article, _apply_policy(self.brief, self.flags, config.policy))
        if self.ext.flags:  # salvage's (what the backend cut or set to null): never dropped on
            brief = brief.model_copy(update={"flags": ordered([*brief.flags, *self.ext.flags])})
        if config.backend.name in _READ_BY_RULES or config.backend.second_opinion:
            brief = _rules_read(article, brief, config.backend.second_opinion)
        provenance = Provenance(
            backend=config.backend.name, model=self.ext.model, mode=self.ext.mode,
            prompt_id=config.prompt.id, schema_id=config.schema_id,
            settings=config.settings.key(), policy=config.policy, usage=self.usage.as_dict(),
            attempts=self.attempts, latency_s=round(time.perf_counter() - self.started, 4),
            created_at=_dt.datetime.now(_dt.UTC).isoformat(timespec="seconds"),
            notes=self.notes)
        return BriefResult(id=article.id, source=article.source,
                           content_hash=article.content_hash, title=article.title,
                           brief=brief, provenance=provenance)


def _rules_read(article: Article, brief: Brief, advise: bool) -> Brief:
    """The rules' reading of the text beside a brief: with `advise`, their advisory flags
    (second_opinion.py, after the policy, never dropped on); always, how sure each total is
    (certainty.py). Imported here: a remote backend's run never reads the rules, and their
    modules cost it ~50 ms of start-up."""
    from .rules.certainty import annotate, rules_reading
    from .second_opinion import second_opinion

    if advise:
        brief = brief.model_copy(update={"flags": [*brief.flags,
                                                   *second_opinion(article, brief)]})
    return brief.model_copy(update={"totals": annotate(brief.totals, rules_reading(article))})


def brief_article(article: Article, config: Configuration) -> BriefResult:
    """Brief one Article under a Configuration built once (the batch's and eval's step)."""
    backend, prompt, settings = config.backend, config.prompt, config.settings
    started = time.perf_counter()
    step = _Briefing(article, config, backend.extract(article, prompt, settings), started)
    if (followup := step.reask()) is not None:
        step.take(backend.extract(article, prompt, settings, followup=followup))
    return step.result()


def brief_from_extraction(article: Article, config: Configuration, extraction: Extraction,
                          started: float) -> BriefResult:
    """The grounding, policy and provenance of `brief_article` for an extraction made
    elsewhere (a provider's Batch API). No grounding re-ask: that is another model call."""
    return _Briefing(article, config, extraction, started).result()


async def abrief_article(article: Article, config: Configuration,
                         pace: Callable[[], Awaitable[None]] | None = None) -> BriefResult:
    """`brief_article` on an event loop: the backend's native async call (no thread for a
    remote backend), then the same grounding and policy. `pace`, when given, is awaited
    after each answer and before its grounding (the batch's turns, batch/engines/turns.py)."""
    backend, prompt, settings = config.backend, config.prompt, config.settings
    started = time.perf_counter()
    first = await backend.aextract(article, prompt, settings)
    if pace is not None:
        await pace()
    step = _Briefing(article, config, first, started)
    if (followup := step.reask()) is not None:
        again = await backend.aextract(article, prompt, settings, followup=followup)
        if pace is not None:
            await pace()
        step.take(again)
    return step.result()


def summarize(article: Article | str | os.PathLike[str], *, backend: Backend | str | None = None,
              settings: Settings | None = None, policy: Policy = "flag",
              prompt: PromptTemplate | None = None) -> BriefResult:
    """Brief one article. `article` is an Article, the article's text as a `str`, or a file
    as a `pathlib.Path` (any `os.PathLike`). A one-line `str` naming a file is refused with
    a TypeError (pass a Path to read it); any other type is a TypeError too.

    `backend` is a Backend, a backend name (openai | local | constrained | hybrid | rules) or
    None for the configured default (SUMMARIZER_BACKEND; else openai when OPENAI_API_KEY or
    OPENAI_BASE_URL is set; else the offline default, the rules).
    """
    article = _as_article(article, "summarize")
    config = configure(backend, settings=settings, policy=policy, prompt=prompt)
    return brief_article(article, config)


async def asummarize(article: Article | str | os.PathLike[str], *,
                     backend: Backend | str | None = None, settings: Settings | None = None,
                     policy: Policy = "flag", prompt: PromptTemplate | None = None) -> BriefResult:
    """`summarize` for async callers. A remote backend is called natively async (no thread
    per call); an in-process model runs in a worker thread, so the loop stays free."""
    article = _as_article(article, "asummarize")
    config = configure(backend, settings=settings, policy=policy, prompt=prompt)
    return await abrief_article(article, config)
