"""One `Item` per brief that tells of an incident: its main incident, reduced to what grouping
compares (day, places, perpetrators, victims' names, figures, wording).

Read from briefs.jsonl rows as plain dicts, one line at a time, never validated into a Brief
(a hundred thousand pydantic validations cost minutes); a row that is not a brief is counted,
not fatal. An older run's briefs, written before `published`, `date_resolved` and `place`
existed, are read from their article text the same way (summarizer/situate.py's readers).

The main incident: the brief's casualty records grouped by their incident label; the group
the article tells first (its earliest located quote) wins, the first in the brief's list when
no quote is located. A news story tells its own incident in the lede; a larger toll further
down is most often background ("the deadliest since the 2019 bombing that killed 50").
"""

from __future__ import annotations

import datetime as dt
import json
import re
import sys
import unicodedata
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..situate import lede, record_day, record_places
from ..text.dates import iso_date, publication_date
from ..text.places import dateline_place, facility_key, place_areas, place_keys

__all__ = ["Item", "ReadStats", "item_of", "read_items"]

LEDE_CHARS = 400  # of the article text: enough to tell a syndicated copy, small to hold
QUOTE_CHARS = 300  # of each of the main incident's first two quotes (for the events page)


@dataclass(slots=True)
class Item:
    """A brief's main incident, as grouping sees it."""

    index: int  # order in briefs.jsonl
    article_id: str
    output: str
    day: int | None  # resolved day of the incident (proleptic ordinal), or None
    published: int | None  # publication day (ordinal), or None
    place: str | None  # as the article writes it
    places: frozenset[str]  # keys (text/places.place_keys) of every place the incident names
    areas: frozenset[str]  # keys of what follows a comma in them (a city, or a country)
    facilities: frozenset[str]  # keys of the streets and buildings they name
    perpetrators: tuple[str, ...]  # as written
    perp_keys: frozenset[str]
    victims: frozenset[str]  # folded names of named victims
    ages: frozenset[int]  # victims' ages the quotes give ("Ada Obi, 34")
    killed: int | None
    wounded: int | None
    arrested: int | None
    lede: str  # the opening of the article (or headline + summary): wording and copies
    quotes: tuple[str, ...] = field(default=())  # the main incident's evidence, for the page
    headline: str = ""


@dataclass
class ReadStats:
    rows: int = 0
    unreadable: list[str] = field(default_factory=list)  # "briefs.jsonl:LINE: why"
    without_incident: int = 0


def fold(text: str) -> str:
    text = unicodedata.normalize("NFKD", text)
    text = "".join(ch for ch in text if not unicodedata.combining(ch)).lower()
    return " ".join(re.sub(r"[^\w\s]", " ", text).split())


_PERP_DROP = re.compile(r"^(?:the|suspected|alleged|unidentified|unknown|armed)\s+")
# A person's age as reports give it: "Grace Audu, 41," / "a 34-year-old" / "aged 19".
_AGE = re.compile(r"(?:\b[A-Z][a-z]+,\s+|\baged\s+)(\d{1,2})\b(?!\s*(?:people|were|killed))"
                  r"|\b(\d{1,2})-year-old\b")


# Words for attackers that name nobody: never a perpetrator to compare or to show.
GENERIC_PERPETRATORS = frozenset({
    "attackers", "attacker", "gunmen", "gunman", "assailants", "assailant", "militants",
    "militant", "bomber", "bombers", "suicide bomber", "suicide bombers", "insurgents",
    "fighters", "men", "shooter", "shooters", "terrorists", "bandits", "group", "people",
    "police", "suspects", "suspect", "killers", "raiders", "unknown"})


def _perp_key(name: str) -> str:
    key = fold(name)
    while (shorter := _PERP_DROP.sub("", key)) != key:
        key = shorter
    return "" if key in GENERIC_PERPETRATORS else key


def _count(c: Any) -> int | None:
    return int(c["value"]) if isinstance(c, Mapping) and isinstance(c.get("value"), int) else None


def _ordinal(day: str | None) -> int | None:
    return dt.date.fromisoformat(day).toordinal() if day and iso_date(day) == day else None


_NO_OFFSET = 1 << 62


def _main(casualties: list[Mapping[str, Any]]) -> list[Mapping[str, Any]]:
    groups: dict[str, list[Mapping[str, Any]]] = {}
    for rec in casualties:
        groups.setdefault(fold(str(rec.get("incident") or "")), []).append(rec)

    def told_at(recs: list[Mapping[str, Any]]) -> int:
        starts = [e["start"] for r in recs for e in r.get("evidence") or []
                  if isinstance(e, Mapping) and isinstance(e.get("start"), int)]
        return min(starts) if starts else _NO_OFFSET

    return min(groups.values(), key=told_at)  # min keeps the first of equals


def _figure(recs: list[Mapping[str, Any]], key: str) -> int | None:
    """The victims' figure of one incident: per group, the highest live figure; summed."""
    by_group: dict[str, int] = {}
    for r in recs:
        value = _count(r.get(key))
        if value is None or r.get("superseded") or r.get("side") != "victims":
            continue
        group = fold(str(r.get("group") or ""))
        by_group[group] = max(by_group.get(group, 0), value)
    return sum(by_group.values()) if by_group else None


class _Shared:
    """One object for equal key sets and strings across the items of a run: thousands of
    briefs from one city hold the same {"baghdad"}, once."""

    def __init__(self) -> None:
        self.sets: dict[frozenset[Any], frozenset[Any]] = {}

    def __call__(self, keys: Iterable[Any]) -> frozenset[Any]:
        got = frozenset(sys.intern(k) if isinstance(k, str) else k for k in keys)
        return self.sets.setdefault(got, got)


def _town_and_kind(facility: str, places: list[str]) -> bool:
    """Whether a "street or building" is a town and a kind of place ("a Memphis nightclub"),
    which names no building."""
    words = facility.split()[:-1]
    towns = {k for p in places for k in place_keys(p) | place_areas(p)}
    return bool(words) and " ".join(words) in towns


def item_of(index: int, row: Mapping[str, Any], shared: _Shared | None = None) -> Item | None:
    """The row's Item, or None when its brief has no casualty record. `shared` (one per
    run) makes equal key sets one object."""
    share = shared or _Shared()
    brief = row.get("brief")
    if not isinstance(brief, Mapping):
        raise ValueError("no brief object")
    casualties = [c for c in brief.get("casualties") or [] if isinstance(c, Mapping)]
    if not casualties:
        return None
    text = str(row.get("article_text") or "")
    published = brief.get("published") or publication_date(None, text)
    dateline = brief.get("dateline") or (dateline_place(text) if text else None)
    opening = lede(text)
    main = _main(casualties)
    days, places, quotes = [], [], []
    for rec in main:
        evidence = [str(e.get("quote", "")) for e in rec.get("evidence") or []
                    if isinstance(e, Mapping)]
        quotes.extend(evidence)
        day = rec.get("date_resolved") or record_day(
            rec.get("date"), rec.get("date_text"), evidence, opening, published)
        if day:
            days.append(day)
        if rec.get("place"):
            places.append(str(rec["place"]))
        places.extend(record_places(rec.get("location"), evidence, opening, dateline))
    if not text and dateline:
        places.append(str(dateline))
    places = list(dict.fromkeys(places))
    perps = [str(r["perpetrator"]) for r in casualties if r.get("perpetrator")]
    victims: set[str] = set()
    ages: set[int] = set()
    for actor in brief.get("actors") or []:
        if not isinstance(actor, Mapping):
            continue
        if actor.get("role") == "perpetrator" and actor.get("name"):
            perps.append(str(actor["name"]))
        elif actor.get("role") == "victim" and actor.get("kind") == "person" and actor.get("name"):
            victims.add(fold(str(actor["name"])))
    for q in quotes:
        ages.update(int(m.group(1) or m.group(2)) for m in _AGE.finditer(q))
    arrested = brief.get("totals", {}).get("arrested") if isinstance(brief.get("totals"),
                                                                      Mapping) else None
    headline = str(brief.get("headline") or row.get("title") or "")
    wording = text[:LEDE_CHARS] if text else f"{headline} {brief.get('summary') or ''}"
    perp_unique = [p for p in dict.fromkeys(perps) if _perp_key(p)]
    return Item(
        index=index, article_id=str(row.get("id") or row.get("output") or index),
        output=str(row.get("output") or row.get("id") or index),
        day=_ordinal(min(days)) if days else None, published=_ordinal(published),
        place=places[0] if places else None,
        places=share(k for p in places for k in place_keys(p)),
        areas=share(k for p in places for k in place_areas(p)),
        facilities=share(k for p in places if (k := facility_key(p))
                         and not _town_and_kind(k, places)),
        perpetrators=tuple(perp_unique), perp_keys=share(
            k for p in perp_unique if (k := _perp_key(p))),
        victims=share(victims), ages=share(ages),
        killed=_figure(main, "killed"), wounded=_figure(main, "wounded"),
        arrested=int(arrested["high"]) if isinstance(arrested, Mapping) else None,
        lede=wording, quotes=tuple(q[:QUOTE_CHARS] for q in list(dict.fromkeys(quotes))[:2]),
        headline=headline[:200])


def read_items(path: Path, stats: ReadStats) -> Iterator[Item]:
    """The Items of a briefs.jsonl, streamed; unreadable lines are counted in `stats`."""
    shared = _Shared()
    with path.open(encoding="utf-8") as fh:
        for lineno, line in enumerate(fh, start=1):
            if not line.strip():
                continue
            stats.rows += 1
            try:
                row = json.loads(line)
                if not isinstance(row, dict):
                    raise ValueError("not a JSON object")
                item = item_of(lineno - 1, row, shared)
            except (ValueError, TypeError, KeyError, AttributeError) as exc:
                why = exc.msg if isinstance(exc, json.JSONDecodeError) else str(exc)
                stats.unreadable.append(f"{path}:{lineno}: {why}")
                continue
            if item is None:
                stats.without_incident += 1
                continue
            yield item
