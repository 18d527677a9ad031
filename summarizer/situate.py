"""When and where, as code reads them for a grounded Brief: the article's publication date and
dateline, and each casualty record's resolved day and place (text/dates.py, text/places.py).

Pure and cheap (regular expressions over the lede and the records' quotes); it fills only
fields the model never sees, so recordings and the draft schema are untouched.
"""

from __future__ import annotations

from collections.abc import Sequence

from .article import Article
from .brief import Brief
from .text.dates import incident_day, iso_date, publication_date, resolve_day
from .text.places import dateline_place, places_in

__all__ = ["lede", "record_day", "record_places", "situate", "situate_text"]


LEDE_CHARS = 1000  # the opening of the story: where its incident is told


def lede(text: str) -> str:
    """The article's opening, cut at a sentence end within `LEDE_CHARS`."""
    head = text[:LEDE_CHARS]
    cut = max(head.rfind(". "), head.rfind(".\n"))
    return head[:cut + 1] if cut > 100 else head


def record_places(location: str | None, quotes: Sequence[str], opening: str,
                  dateline: str | None) -> list[str]:
    """Every place a record's incident is told in, the most specific first: the record's
    location, the places its quotes name, the dateline's, those of the article's opening."""
    found = [location] if location else []
    for q in quotes:
        found.extend(places_in(q))
    if dateline:
        found.append(dateline)
    found.extend(places_in(opening))
    return list(dict.fromkeys(found))


def record_day(date: str | None, date_text: str | None, quotes: Sequence[str], opening: str,
               published: str | None) -> str | None:
    """A record's day (text/dates.py states the rule): `date`, else the first day its quotes
    tell as the incident's, else its date text's (unless a quote holds it, where it was read
    in its sentence and found to date something else), else the article opening's."""
    if exact := iso_date(date):
        return exact
    if day := incident_day(list(quotes), published):
        return day
    if date_text and not any(date_text in q for q in quotes):
        if day := resolve_day(None, date_text, published):
            return day
    return incident_day([opening], published)


def situate_text(brief: Brief, text: str, given_date: str | None) -> Brief:
    """The brief with `published`, `dateline` and each record's `date_resolved` and `place`
    read afresh from the article's text and the date its input gave (a cached brief of the
    same text may come from an input with another date)."""
    published = publication_date(given_date, text)
    dateline = dateline_place(text)
    opening = lede(text)
    casualties = []
    for rec in brief.casualties:
        quotes = [ev.quote for ev in rec.evidence]
        places = record_places(rec.location, quotes, opening, dateline)
        casualties.append(rec.model_copy(update={
            "date_resolved": record_day(rec.date, rec.date_text, quotes, opening, published),
            "place": places[0][:120] if places else None}))
    return brief.model_copy(update={"published": published, "dateline": dateline,
                                    "casualties": casualties})


def situate(article: Article, brief: Brief) -> Brief:
    """`situate_text` for an Article."""
    return situate_text(brief, article.text, article.date)
