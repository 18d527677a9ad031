"""When and where, as code reads them for a grounded Brief: the article's publication date and
dateline, and each casualty record's resolved day and place (text/dates.py, text/places.py).

Pure and cheap (regular expressions over the lede and the records' quotes); it fills only
fields the model never sees, so recordings and the draft schema are untouched.
"""

from __future__ import annotations

from .article import Article
from .brief import Brief, Casualty
from .text.dates import publication_date, resolve_day
from .text.places import dateline_place, place_in

__all__ = ["situate", "situate_text"]


def _place(rec: Casualty, dateline: str | None) -> str | None:
    if rec.location:
        return rec.location
    for ev in rec.evidence:
        if place := place_in(ev.quote):
            return place
    return dateline


def _day(rec: Casualty, published: str | None) -> str | None:
    day = resolve_day(rec.date, rec.date_text, published)
    if day is None and not rec.date_text:
        for ev in rec.evidence:
            if day := resolve_day(None, ev.quote, published):
                break
    return day


def situate_text(brief: Brief, text: str, given_date: str | None) -> Brief:
    """The brief with `published`, `dateline` and each record's `date_resolved` and `place`
    filled from the article's text and the date its input gave."""
    published = brief.published or publication_date(given_date, text)
    dateline = brief.dateline or dateline_place(text)
    casualties = [rec.model_copy(update={"date_resolved": _day(rec, published),
                                         "place": _place(rec, dateline)})
                  for rec in brief.casualties]
    return brief.model_copy(update={"published": published, "dateline": dateline,
                                    "casualties": casualties})


def situate(article: Article, brief: Brief) -> Brief:
    """`situate_text` for an Article."""
    return situate_text(brief, article.text, article.date)
