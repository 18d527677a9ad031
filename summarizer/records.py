"""What a run writes, as types: one `BriefRecord` per output (a row of briefs.jsonl, a file in
OUT/briefs/, a cache entry) and one `ErrorRecord` per failed input (a row of errors.jsonl).

The row keys are a contract others build on (`id`, `output`, `source`, `brief`, ...): add
keys, never rename them.
"""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, ConfigDict

from .article import Article
from .brief import Brief
from .pipeline import BriefResult, Provenance
from .situate import situate


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
