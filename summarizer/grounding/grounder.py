"""The `ground` entry point: locate every quote of a draft, then run the count and name checks.

Pure: an `Article` and a `BriefDraft` in, a `Brief` (offsets filled, totals derived) and a
list of `Flag`s out. No model, no I/O, no policy (policy.py holds what the pipeline does
with the flags).

    quote_not_found  an evidence quote is nowhere in the article
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

from ..article import Article
from ..brief import Brief, BriefDraft, Flag, derive_totals
from .actors import check_names
from .counts import check_counts, check_parts
from .flags import FlagSink
from .incidents import check_incidents
from .sides import check_sides
from .source import ArticleSource, Spans

__all__ = ["GroundingResult", "ground"]


@dataclass(frozen=True)
class GroundingResult:
    """A grounded Brief (its `flags` are `flags`) and the flags, deterministically ordered."""

    brief: Brief
    flags: list[Flag] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.flags


def ground(article: Article, draft: BriefDraft) -> GroundingResult:
    """Ground a draft in its article: locate quotes, check counts and names.

    Returns the Brief (offsets and match tiers filled, totals derived, `flags` set) and the
    flags, ordered by path then code. Never raises on a bad draft: everything it cannot
    support becomes a flag, and the pipeline decides what to do with them.
    """
    return _Grounder(article, draft).run()


class _Grounder:
    def __init__(self, article: Article, draft: BriefDraft) -> None:
        self.source = ArticleSource(article)
        # The draft as data, lifted into a Brief once its quotes are located (one validation,
        # not one for the lift and one for the located evidence).
        self.data = draft.model_dump(mode="json")
        self.flag = FlagSink()
        # Per evidence path: the article's text at the quote and where it starts.
        self.spans: Spans = {}

    def run(self) -> GroundingResult:
        data = self.data
        for path, evidence in _evidence_lists(data):
            evidence[:] = [self._ground_quote(f"{path}.evidence[{j}]", ev)
                           for j, ev in enumerate(evidence)]
        brief = Brief.model_validate(data)
        check_counts(brief, self.spans, self.flag, self.source)
        check_parts(brief, self.flag)
        check_sides(brief, self.spans, self.source, self.flag)
        check_incidents(brief, self.spans, self.source, self.flag)
        check_names(brief, self.source, self.spans, self.flag)
        flags = self.flag.ordered()
        brief = brief.model_copy(update={"flags": flags, "totals": derive_totals(brief)})
        return GroundingResult(brief=brief, flags=flags)

    def _ground_quote(self, path: str, ev: dict[str, Any]) -> dict[str, Any]:
        found, span = self.source.locate(ev["quote"])
        if found is None:
            self.flag("quote_not_found", path, f"quote not found in the article: "
                      f"{_clip(ev['quote'])!r}")
            return {**ev, "where": "text", "start": None, "end": None, "match": "unlocated"}
        assert found.start is not None
        self.spans[path] = (span, (found.where, found.start))
        return {**ev, "where": found.where, "start": found.start, "end": found.end,
                "match": found.match}


def _evidence_lists(data: dict[str, Any]) -> Iterator[tuple[str, list[dict[str, Any]]]]:
    for section in ("actors", "casualties", "arrests"):
        for i, rec in enumerate(data[section]):
            yield f"{section}[{i}]", rec["evidence"]
    yield "diplomatic_significance", data["diplomatic_significance"]["evidence"]


def _clip(text: str, n: int = 120) -> str:
    return text if len(text) <= n else text[: n - 3] + "..."
