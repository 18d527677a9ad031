"""Which items tell of the same incident: blocking, pair scores, deterministic linking.

Blocking: every item is filed under a key per place it names, per perpetrator and per named
victim. Within a block, items are sorted by day and each is compared only with the next
`NEIGHBOURS` items whose day lies within `WINDOW_DAYS` (a sorted neighbourhood), so the number
of pairs grows with the number of items, never with its square, however large a city's block.

Score (points, summed; `pair_score`):
- place: a shared place key +2; else a place of one in the other's area ("Soweto" and
  "Orlando East, Soweto"), or a shared area, +1; places named on both sides and none shared -2
- day: the same resolved day +2, one day apart +1, two or three 0, more -4 (days from
  publication dates alone: within two days +0.5, more than a week -4)
- perpetrator: a shared one +1; a victim's name shared +2.5; a victim's age shared +0.5
- figures: the same killed figure +1 (only when it is not 0), wounded likewise +0.5;
  figures far apart (one more than three times the other, both over 2) -1
- wording: rapidfuzz token-set ratio of the two ledes >= 80 +1.5, >= 60 +0.5

Linking: pairs at or above `THRESHOLD` (3.5) are joined in order of score (highest first, then
by the articles' output names), union-find style, unless the joined event would span more
than `MAX_SPAN_DAYS` resolved days. The result does not depend on the order of blocks.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Iterator, Sequence

from rapidfuzz import fuzz

from .items import Item

__all__ = ["MAX_SPAN_DAYS", "NEIGHBOURS", "THRESHOLD", "WINDOW_DAYS", "candidate_pairs",
           "link", "pair_score"]

THRESHOLD = 3.5
WINDOW_DAYS = 7
NEIGHBOURS = 20
MAX_SPAN_DAYS = 3
MAX_BLOCK_KEY_ITEMS = 200_000  # a key this common ("police") says nothing: not a block


def _when(item: Item) -> int | None:
    return item.day if item.day is not None else item.published


def _keys(item: Item) -> Iterable[str]:
    for p in item.places | item.areas:
        yield "p:" + p
    for p in item.perp_keys:
        yield "x:" + p
    for v in item.victims:
        yield "v:" + v


def candidate_pairs(items: Sequence[Item]) -> Iterator[tuple[int, int]]:
    """Positions (i < j) of the pairs worth scoring, each once."""
    blocks: dict[str, list[int]] = defaultdict(list)
    for pos, item in enumerate(items):
        for key in _keys(item):
            blocks[key].append(pos)
    seen: set[int] = set()  # i * n + j: a small int per pair, not a tuple
    n = len(items)
    for key in sorted(blocks):
        members = blocks[key]
        if len(members) < 2 or len(members) > MAX_BLOCK_KEY_ITEMS:
            continue
        dated = sorted((w, pos) for pos in members if (w := _when(items[pos])) is not None)
        undated = [pos for pos in members if _when(items[pos]) is None]
        near: list[tuple[int, int]] = []
        for a, (day, i) in enumerate(dated):
            for day2, j in dated[a + 1:a + 1 + NEIGHBOURS]:
                if day2 - day > WINDOW_DAYS:
                    break
                near.append((i, j))
        for a, i in enumerate(undated):  # no day at all: compare with a few neighbours
            near.extend((i, j) for j in undated[a + 1:a + 1 + NEIGHBOURS])
        for i, j in near:
            i, j = min(i, j), max(i, j)
            if (code := i * n + j) not in seen:
                seen.add(code)
                yield i, j


def _day_points(a: Item, b: Item) -> float:
    if a.day is not None and b.day is not None:
        gap = abs(a.day - b.day)
        return 2.0 if gap == 0 else 1.0 if gap == 1 else 0.0 if gap <= 3 else -4.0
    wa, wb = _when(a), _when(b)
    if wa is None or wb is None:
        return 0.0
    gap = abs(wa - wb)
    return 0.5 if gap <= 2 else 0.0 if gap <= 7 else -4.0


def _figure_points(x: int | None, y: int | None, weight: float) -> float:
    if x is None or y is None:
        return 0.0
    if x == y and x > 0:
        return weight
    low, high = min(x, y), max(x, y)
    return -1.0 if low > 2 and high > 3 * low else 0.0


def pair_score(a: Item, b: Item) -> float:
    """The points of one pair (module docstring)."""
    score = 0.0
    if a.places & b.places:
        score += 2.0
    elif (a.places | a.areas) & (b.places | b.areas):
        score += 1.0
    elif a.places and b.places:
        score -= 2.0
    score += _day_points(a, b)
    if a.perp_keys & b.perp_keys:
        score += 1.0
    if a.victims & b.victims:
        score += 2.5
    if a.ages & b.ages:
        score += 0.5
    score += _figure_points(a.killed, b.killed, 1.0) + _figure_points(a.wounded, b.wounded, 0.5)
    words = fuzz.token_set_ratio(a.lede, b.lede)
    score += 1.5 if words >= 80 else 0.5 if words >= 60 else 0.0
    return score


class _Groups:
    """Union-find with each group's span of resolved days."""

    def __init__(self, items: Sequence[Item]) -> None:
        self.parent = list(range(len(items)))
        self.span = [(it.day, it.day) for it in items]

    def find(self, i: int) -> int:
        while self.parent[i] != i:
            self.parent[i] = self.parent[self.parent[i]]
            i = self.parent[i]
        return i

    def join(self, i: int, j: int) -> None:
        ri, rj = self.find(i), self.find(j)
        if ri == rj:
            return
        (a0, a1), (b0, b1) = self.span[ri], self.span[rj]
        days = [d for d in (a0, a1, b0, b1) if d is not None]
        if days and max(days) - min(days) > MAX_SPAN_DAYS:
            return
        low, high = (min(days), max(days)) if days else (None, None)
        root, other = (ri, rj) if ri < rj else (rj, ri)
        self.parent[other] = root
        self.span[root] = (low, high)


def link(items: Sequence[Item], threshold: float = THRESHOLD) -> list[list[int]]:
    """The events: lists of item positions, each sorted, in order of their first item."""
    scored: list[tuple[float, str, str, int, int]] = []
    for i, j in candidate_pairs(items):
        if (s := pair_score(items[i], items[j])) >= threshold:
            first, second = sorted((items[i].output, items[j].output))
            scored.append((-s, first, second, i, j))
    scored.sort()
    groups = _Groups(items)
    for _, _, _, i, j in scored:
        groups.join(i, j)
    members: dict[int, list[int]] = defaultdict(list)
    for pos in range(len(items)):
        members[groups.find(pos)].append(pos)
    return sorted(members.values(), key=lambda m: m[0])
