"""What a run writes, as types: one `BriefRecord` per output (a row of briefs.jsonl, a file in
OUT/briefs/, a cache entry) and one `ErrorRecord` per failed input (a row of errors.jsonl);
and the `Outcome` an engine hands the run for each article (`Briefed` or `Failed`, each with
its typed usage).

The row keys are a contract others build on (`id`, `output`, `source`, `brief`, ...): add
keys, never rename them.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from pydantic import BaseModel, ConfigDict

from ..article import Article
from ..backends.base import Usage
from ..brief import Brief
from ..errors import ArticleError, ExtractionFailed, SummarizerError
from ..pipeline import BriefResult, Provenance
from ..situate import situate
from .discovery import Item


class BriefRecord(BaseModel):
    """One brief as the run stores it: the BriefResult plus where it was written."""

    model_config = ConfigDict(extra="forbid")

    output: str  # the output key: OUT/briefs/<output>.json
    duplicate_of: str | None = None  # the output whose article had the same content
    result_key: str  # cache and resume key (configuration.Configuration.result_key)
    id: str
    source: str
    content_hash: str
    title: str | None = None
    brief: Brief
    provenance: Provenance
    article_text: str | None = None  # the text the offsets index (for viewers)

    @classmethod
    def of(cls, result: BriefResult, *, output: str, result_key: str,
           article_text: str | None = None) -> BriefRecord:
        fields: dict[str, Any] = {name: getattr(result, name)
                                  for name in BriefResult.model_fields}
        return cls(output=output, result_key=result_key, article_text=article_text, **fields)

    def situated(self, article: Article) -> BriefRecord:
        """This record for `article`: the cache keys on the text, so a cached brief may come
        from an input with another date (or from before code read dates and places)."""
        return self.model_copy(update={"brief": situate(article, self.brief)})


class ErrorRecord(BaseModel):
    """One input that has no brief, and why (one line)."""

    model_config = ConfigDict(extra="forbid")

    file: str
    output: str
    stage: str  # load | extract | internal | duplicate | budget
    reason: str


# -- outcomes: what an engine hands the run, one per article, as each completes -------------

@dataclass(frozen=True, slots=True)
class Briefed:
    """An article's brief, with the tokens it took (the failed attempts' included)."""

    item: Item
    record: BriefRecord
    usage: Usage


@dataclass(frozen=True, slots=True)
class Failed:
    """An article with no brief: its error record, with the tokens spent on it anyway."""

    item: Item
    error: ErrorRecord
    usage: Usage


Outcome = Briefed | Failed


def briefed(item: Item, result: BriefResult, result_key: str) -> Briefed:
    """The outcome of a BriefResult made for `item` (whose article is loaded)."""
    assert item.article is not None
    record = BriefRecord.of(result, output=item.key, result_key=result_key,
                            article_text=item.article.text)
    u = result.provenance.usage
    return Briefed(item, record, Usage(u["prompt_tokens"], u["completion_tokens"], u["calls"],
                                       u.get("cached_tokens", 0)))


def reason(exc: BaseException) -> str:
    """An exception as one line of at most 500 characters, its source not repeated."""
    why = " ".join(str(exc).split()) or type(exc).__name__
    if isinstance(exc, ArticleError) and why.startswith(exc.source + ": "):
        why = why[len(exc.source) + 2:]
    return why[:500]


def failed(item: Item, exc: BaseException, stage: str | None = None) -> Failed:
    """The outcome of `exc` raised while briefing `item`: a SummarizerError is the article's
    ("extract"), anything else a bug recorded as "internal" so that the run goes on."""
    usage = exc.usage if isinstance(exc, ExtractionFailed) else None
    stage = stage or ("extract" if isinstance(exc, SummarizerError) else "internal")
    return Failed(item, ErrorRecord(file=item.source, output=item.key, stage=stage,
                                    reason=reason(exc)),
                  usage if isinstance(usage, Usage) else Usage())
