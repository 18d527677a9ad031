"""One event record from the items linked into it.

- `date`: the earliest and latest resolved day of the members' main incidents ({"start",
  "end"}), or null when no member resolves a day.
- `place`: the place most members name (the first member's on a tie).
- `perpetrators`: every perpetrator a member names, the most often named first.
- `killed` / `wounded` / `arrested`: `by_source` holds every member's figure; `low`/`high`
  span the figures that count. A figure is revised by a later one: only the members published
  on the latest publication day among those giving the figure count (all of them when none
  has a publication date); where they disagree, the range of what they say.
- `sources`: independent sources. Near-duplicate copies of one story (a syndicated wire copy,
  a lede whose rapidfuzz ratio with another member's is at least `COPY_RATIO`) count once.
- `articles`: the members' ids, as in briefs.jsonl.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from collections import Counter
from collections.abc import Sequence
from typing import Any

from rapidfuzz import fuzz

from .items import Item

__all__ = ["COPY_RATIO", "consolidate", "independent_sources"]

COPY_RATIO = 90.0


def _iso(day: int | None) -> str | None:
    return dt.date.fromordinal(day).isoformat() if day is not None else None


def independent_sources(members: Sequence[Item]) -> int:
    """How many members are not near-duplicate copies of another (copies are one source)."""
    parent = list(range(len(members)))

    def find(i: int) -> int:
        while parent[i] != i:
            i = parent[i]
        return i

    for a in range(len(members)):
        for b in range(a + 1, len(members)):
            if find(a) != find(b) and fuzz.ratio(members[a].lede, members[b].lede) >= COPY_RATIO:
                parent[find(b)] = find(a)
    return len({find(i) for i in range(len(members))})


def _figure(members: Sequence[Item], key: str) -> dict[str, Any] | None:
    given = [(m, v) for m in members if (v := getattr(m, key)) is not None]
    if not given:
        return None
    dates = [m.published for m, _ in given if m.published is not None]
    latest = max(dates) if dates else None
    counting = [v for m, v in given if latest is None or m.published == latest]
    return {"low": min(counting), "high": max(counting),
            "by_source": [{"article_id": m.article_id, "value": v} for m, v in given]}


def event_id(members: Sequence[Item]) -> str:
    """Stable for the same members, whatever else the run holds."""
    first = min(m.output for m in members)
    return "ev-" + hashlib.sha256(first.encode()).hexdigest()[:12]


def consolidate(members: Sequence[Item]) -> dict[str, Any]:
    """The event record (the module docstring says how each field is made)."""
    days = [m.day for m in members if m.day is not None]
    places = Counter(m.place for m in members if m.place)
    place = None
    if places:
        top = max(places.values())
        place = next(m.place for m in members if m.place and places[m.place] == top)
    perps = Counter(p for m in members for p in m.perpetrators)
    first_seen = {p: k for k, p in enumerate(p for m in members for p in m.perpetrators)}
    return {
        "id": event_id(members),
        "date": {"start": _iso(min(days)), "end": _iso(max(days))} if days else None,
        "place": place,
        "perpetrators": sorted(perps, key=lambda p: (-perps[p], first_seen[p])),
        "killed": _figure(members, "killed"),
        "wounded": _figure(members, "wounded"),
        "arrested": _figure(members, "arrested"),
        "sources": independent_sources(members),
        "articles": [m.article_id for m in members],
    }
