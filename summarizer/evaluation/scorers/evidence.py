"""Evidence: is a quote the article's, does it agree with gold's, which figures does the
article state (a predicted figure it never states is invented)."""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import Any

from rapidfuzz import fuzz

from ...article import Article
from ...numbers import find_numbers
from .record import ArticleScore

__all__ = ["all_quotes", "predicted_figures", "quote_in_article", "quotes_of",
           "quotes_overlap", "score_agreement", "stated_figures"]

_SPACE = re.compile(r"\s+")
_FOLD = str.maketrans({"“": '"', "”": '"', "‘": "'", "’": "'", "–": "-", "—": "-"})


def _norm_text(text: str) -> str:
    return _SPACE.sub(" ", text.translate(_FOLD)).strip().casefold()


def quote_in_article(quote: str, article: Article) -> bool:
    """Verbatim in the text or title, or after folding case, quotes, dashes and spaces."""
    if quote in article.text or (article.title and quote in article.title):
        return True
    q = _norm_text(quote)
    return bool(q) and (q in _norm_text(article.text) or q in _norm_text(article.title or ""))


def quotes_overlap(pred: str, gold: Iterable[str]) -> bool:
    """A predicted quote agrees with gold when it shares a span with a gold quote."""
    p = _norm_text(pred)
    return any(p in g or g in p or fuzz.partial_ratio(p, g) >= 90
               for g in (_norm_text(q) for q in gold))


def quotes_of(item: Any) -> list[str]:
    return [e.quote for e in getattr(item, "evidence", [])]


_LIST = re.compile(r"((?:[^,;.:]{1,60},\s+)+)[^,;.:]{1,60}?,?\s+and\s")


def stated_figures(text: str) -> set[int]:
    """Every value the text states: a number (any value of a range it gives: "dozens" is
    24-99), "none" as 0, "a"/"an" as 1, and the length of a list of three or more."""
    out: set[int] = set()
    for m in find_numbers(text, indefinite=True):
        out.update(range(m.low, min(m.high, m.low + 1_000) + 1))
    out.update(m.group(1).count(",") + 2 for m in _LIST.finditer(text))
    return out


def predicted_figures(view: Any) -> list[int]:
    counts = [c for rec in view.casualties for c in (rec.killed, rec.wounded)]
    counts += [a.count for a in view.arrests]
    return [c.value for c in counts if c is not None]


def all_quotes(view: Any) -> list[str]:
    items = [*view.actors, *view.casualties, *view.arrests]
    if view.diplomatic_significance is not None:
        items.append(view.diplomatic_significance)
    return [q for item in items for q in quotes_of(item)]


def score_agreement(score: ArticleScore, gold_item: Any, pred_item: Any) -> None:
    gold_quotes = quotes_of(gold_item)
    if not gold_quotes:
        return
    for quote in quotes_of(pred_item):
        score.add("evidence.aligned_quotes")
        score.add("evidence.agrees", float(quotes_overlap(quote, gold_quotes)))
