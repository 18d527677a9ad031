"""Score one prediction against one gold brief: every field, through the section scorers.

A prediction of `None` (the run failed, or its output did not validate) is scored as an
empty brief: everything gold holds is missing, and the schema-valid rate drops.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from ...article import Article
from ...brief import Brief, BriefDraft, Totals, derive_totals
from ..gold import GoldBrief
from ..similarity import Similarity
from .counts import score_totals
from .evidence import all_quotes, predicted_figures, quote_in_article, stated_figures
from .record import ArticleScore
from .records import (
    AliasIndex,
    score_actors,
    score_arrests,
    score_casualties,
    score_significance,
)

__all__ = ["TEXT_FIELDS", "Judge", "predicted_totals", "score_article"]

Judge = Callable[[str, str, str], float]
"""An optional LLM judge: (field, gold text, predicted text) -> score in [0, 1]."""

TEXT_FIELDS = ("headline", "summary", "significance.summary")


class _Empty:
    """What a failed prediction contributes: nothing."""

    headline = summary = ""
    actors: list[Any] = []
    casualties: list[Any] = []
    arrests: list[Any] = []
    diplomatic_significance = None


def predicted_totals(pred: BriefDraft | None) -> Totals:
    """A Brief carries its derived totals; a bare draft gets them derived here."""
    if pred is None:
        return Totals()
    return pred.totals if isinstance(pred, Brief) else derive_totals(pred)


def score_article(
    article_id: str,
    gold: GoldBrief,
    gold_totals: Totals,
    pred: BriefDraft | None,
    article: Article | None,
    similarity: Similarity,
    judge: Judge | None = None,
) -> ArticleScore:
    """Every field of one article. `article` feeds the grounding check (skipped when None)."""
    score = ArticleScore(article_id, valid=pred is not None)
    score.add("articles")
    score.add("schema.valid", float(pred is not None))
    view: Any = pred if pred is not None else _Empty()
    aliases = AliasIndex(gold.actors)

    _score_text(score, gold, view, similarity, judge)
    score_actors(score, gold, view)
    score_casualties(score, gold, view, aliases)
    score_arrests(score, gold, view)
    score_totals(score, gold_totals, predicted_totals(pred))
    score_significance(score, gold, view, aliases)
    if article is not None:
        for quote in all_quotes(view):
            score.add("evidence.quotes")
            score.add("evidence.grounded", float(quote_in_article(quote, article)))
        # a headline's figure is stated too ("3 dead, 2 hurt in ...")
        stated = stated_figures(article.text) | stated_figures(article.title or "")
        for value in predicted_figures(view):
            score.add("counts.figures")
            score.add("counts.invented", float(value not in stated))
    return score


def _score_text(score: ArticleScore, gold: GoldBrief, view: Any, similarity: Similarity,
                judge: Judge | None) -> None:
    sig = view.diplomatic_significance
    texts = {
        "headline": (gold.headline, view.headline),
        "summary": (gold.summary, view.summary),
        "significance.summary": (gold.diplomatic_significance.summary,
                                 sig.summary if sig is not None else ""),
    }
    # A gold significance with no summary ("none" level) is no case for similarity.
    cases = {k: v for k, v in texts.items() if v[0].strip()}
    sims = similarity.scores(list(cases.values()))
    for (name, (g, p)), sim in zip(cases.items(), sims, strict=True):
        score.add(f"{name}.cases")
        score.add(f"{name}.sim", sim)
        if judge is not None:
            score.add(f"{name}.judge_cases")
            score.add(f"{name}.judge", float(judge(name, g, p)) if p else 0.0)
