"""Evidence: is a quote the article's, does it agree with gold's, which figures does the
article state (a predicted figure it never states is invented)."""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import Any

from rapidfuzz import fuzz

from ...article import Article
from ...text.implied import readings
from ...text.incident import states_no_death
from ...text.normalize import fold
from ...text.numbers import find_numbers
from ...text.sentences import sentences
from .record import ArticleScore

__all__ = ["all_quotes", "predicted_figures", "quote_in_article", "quotes_of",
           "quotes_overlap", "score_agreement", "stated_figures"]

def quote_in_article(quote: str, article: Article) -> bool:
    """Verbatim in the text or title, or after folding case, quotes, dashes and spaces."""
    if quote in article.text or (article.title and quote in article.title):
        return True
    q = fold(quote)
    return bool(q) and (q in fold(article.text) or q in fold(article.title or ""))


def quotes_overlap(pred: str, gold: Iterable[str]) -> bool:
    """A predicted quote agrees with gold when it shares a span with a gold quote."""
    p = fold(pred)
    return any(p in g or g in p or fuzz.partial_ratio(p, g) >= 90
               for g in (fold(q) for q in gold))


def quotes_of(item: Any) -> list[str]:
    return [e.quote for e in getattr(item, "evidence", [])]


_LIST = re.compile(r"((?:[^,;.:]{1,60},\s+)+)[^,;.:]{1,60}?,?\s+and\s")


def stated_figures(text: str) -> set[int]:
    """Every value the text states: a number (any value of a range it gives: "dozens" is
    24-99), "none" as 0, "a"/"an" as 1, the length of a list of three or more, the figures
    told without a number ("nobody was hurt", "the guard was killed"), and 0 where an
    incident report tells injuries or damage and no death (LABELING.md, "Zero, stated
    carefully")."""
    out: set[int] = set()
    for m in find_numbers(text, indefinite=True):
        out.update(range(m.low, min(m.high, m.low + 1_000) + 1))
    out.update(m.group(1).count(",") + 2 for m in _LIST.finditer(text))
    out.update(r.value for s in sentences(text, max_len=10_000) for r in readings(s.text))
    if 0 not in out and states_no_death(text):
        out.add(0)
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
