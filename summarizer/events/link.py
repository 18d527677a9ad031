"""Which items tell of the same incident: blocking, pair scores, deterministic linking.

Blocking: every item is filed under a key per town, area, street or building it names, per
perpetrator and per named victim. Within a block, items are sorted by day and each is compared
only with the next
`NEIGHBOURS` items whose day lies within `WINDOW_DAYS` (a sorted neighbourhood), so the number
of pairs grows with the number of items, never with its square, however large a city's block.

Score (points, summed; `pair_score`):
- place: a shared town +2 (or one inside the other: "Jos" and "Jos North"); else a town of one
  in the other's area ("Soweto" and "Orlando East, Soweto"), or a shared area, +1; towns named
  on both sides and none shared -3, unless they share a street or building (a neighbourhood
  and its city: "Englewood" and "Chicago", both on "South Halsted Street"); a shared street
  or building (or a town in the name of the other's: "Anarkali" and "Anarkali Bazaar") +1.5,
  streets or buildings named on both sides and none shared -2
- day: the same resolved day +2, one day apart +1, two or three 0, more -4 (days from
  publication dates alone: within two days +0.5, more than a week -4)
- perpetrator: a shared one +1; a victim's name shared +2.5; a victim's age shared +0.5
- figures: the same killed figure +1 (only when it is not 0), wounded likewise +0.5;
  figures far apart (differing by more than half the larger, both over 2) -1.5
- wording: rapidfuzz ratio of the two ledes >= 90 (a copy of one story) +2, >= 75 +0.5 (a
  formula that many reports share, "Gunmen killed N people in X on Monday, police said",
  says little)

Linking: pairs at or above `THRESHOLD` (3.5) are joined in order of score (highest first, then
by the articles' output names), union-find style, unless the joined event would span more
than `MAX_SPAN_DAYS` resolved days or put places together that no pair of them would allow
(`compatible`). The result does not depend on the order of blocks.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass

from rapidfuzz import fuzz

from .items import Item

__all__ = ["MAX_SPAN_DAYS", "NEIGHBOURS", "THRESHOLD", "WINDOW_DAYS", "candidate_pairs",
           "link", "pair_score"]

THRESHOLD = 3.5
WINDOW_DAYS = 7
NEIGHBOURS = 20
MAX_SPAN_DAYS = 3
COPY_WORDING = 90  # rapidfuzz ratio of two ledes: one story's copy
MAX_BLOCK_KEY_ITEMS = 200_000  # a key this common ("police") says nothing: not a block


def _when(item: Item) -> int | None:
    return item.day if item.day is not None else item.published


# Words of place names too common to block on.
_COMMON_WORDS = frozenset({"the", "city", "town", "new", "old", "north", "south", "east", "west",
                           "central", "upper", "lower", "san", "santa", "saint", "port", "fort",
                           "mount", "lake", "river", "beach", "district", "county", "state",
                           "province", "area"})


def _keys(item: Item) -> Iterable[str]:
    for p in item.places | item.areas:
        yield "p:" + p
        for word in p.split():  # "juarez" meets "ciudad juarez" (towns_match)
            if " " in p and len(word) > 2 and word not in _COMMON_WORDS:
                yield "p:" + word
    for f in item.facilities:
        yield "f:" + f
        for word in f.split()[:-1]:  # "anarkali bazaar" meets "anarkali"
            if len(word) > 2 and word not in _COMMON_WORDS:
                yield "p:" + word
    for p in item.perp_keys:
        yield "x:" + p
    for v in item.victims:
        yield "v:" + v


def candidate_pairs(items: Sequence[Item]) -> Iterator[tuple[int, int]]:
    """Positions (i < j) of the pairs worth scoring, block by block. A pair that shares
    several keys comes once per block it meets in: remembering every pair to say it once
    would cost more memory than scoring it again."""
    blocks: dict[str, list[int]] = defaultdict(list)
    for pos, item in enumerate(items):
        for key in _keys(item):
            blocks[key].append(pos)
    for key in sorted(blocks):
        members = blocks.pop(key)
        if len(members) < 2 or len(members) > MAX_BLOCK_KEY_ITEMS:
            continue
        dated = sorted((w, pos) for pos in members if (w := _when(items[pos])) is not None)
        undated = [pos for pos in members if _when(items[pos]) is None]
        for a, (day, i) in enumerate(dated):
            for day2, j in dated[a + 1:a + 1 + NEIGHBOURS]:
                if day2 - day > WINDOW_DAYS:
                    break
                yield (i, j) if i < j else (j, i)
        for a, i in enumerate(undated):  # no day at all: compare with a few neighbours
            for j in undated[a + 1:a + 1 + NEIGHBOURS]:
                yield (i, j) if i < j else (j, i)


def _day_points(a: Item, b: Item) -> float:
    for x, y in ((a, b), (b, a)):  # a report cannot tell of a day after it was published
        if x.day is not None and y.published is not None and x.day > y.published:
            return -4.0
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
    return -1.5 if low > 2 and high - low > high / 2 else 0.0


_FILLER = frozenset({"of", "the", "de", "la", "el", "al", "s"})


def towns_match(a: frozenset[str], b: frozenset[str]) -> bool:
    """Whether two sets of place keys share a place: the same key, or most of the shorter
    one's words in the other ("jos" and "jos north"; "mindanao state university gym" and
    "students of mindanao state university")."""
    for x in a:
        for y in b:
            if x == y:
                return True
            wx, wy = set(x.split()) - _FILLER, set(y.split()) - _FILLER
            if wx and wy and len(wx & wy) >= 0.6 * min(len(wx), len(wy)):
                return True
    return False


def _place_points(a: Item | Place, b: Item | Place) -> float:
    """Towns, areas, streets and buildings (module docstring)."""
    points = 0.0
    shared_facility = towns_match(a.facilities, b.facilities) or towns_match(
        a.places, b.facilities) or towns_match(a.facilities, b.places)
    if towns_match(a.places, b.places):
        points += 2.0
    elif (a.places | a.areas) & (b.places | b.areas):
        points += 1.0
    elif a.places and b.places and not shared_facility:
        points -= 3.0
    if shared_facility:
        points += 1.5
    elif a.facilities and b.facilities:
        points -= 2.0
    return points


def pair_score(a: Item, b: Item) -> float:
    """The points of one pair (module docstring)."""
    score = _place_points(a, b) + _day_points(a, b)
    if a.perp_keys & b.perp_keys:
        score += 1.0
    if a.victims & b.victims:
        score += 2.5
    if a.ages & b.ages:
        score += 0.5
    score += _figure_points(a.killed, b.killed, 1.0) + _figure_points(a.wounded, b.wounded, 0.5)
    words = fuzz.ratio(a.lede, b.lede)
    score += 2.0 if words >= COPY_WORDING else 0.5 if words >= 75 else 0.0
    return score


@dataclass
class Place:
    """Where a group of items (or one) says it happened."""

    places: frozenset[str]
    areas: frozenset[str]
    facilities: frozenset[str]


def compatible(a: Place, b: Place) -> bool:
    """Whether two groups may be one event by where they say it happened: not when both name
    streets or buildings and share none, nor when both name towns and share no town, area,
    street or building."""
    shared_facility = towns_match(a.facilities, b.facilities) or towns_match(
        a.places, b.facilities) or towns_match(a.facilities, b.places)
    if a.facilities and b.facilities and not towns_match(a.facilities, b.facilities):
        return False
    if a.places and b.places and not towns_match(a.places, b.places):
        return bool((a.places | a.areas) & (b.places | b.areas)) or shared_facility
    return True


class _Groups:
    """Union-find with each group's span of resolved days and its places: a join that would
    span more than `MAX_SPAN_DAYS` or put incompatible places together is refused, so no
    chain of pairs links what its ends would not."""

    def __init__(self, items: Sequence[Item]) -> None:
        self.parent = list(range(len(items)))
        self.span = [(it.day, it.day) for it in items]
        self.where = [Place(it.places, it.areas, it.facilities) for it in items]

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
        wa, wb = self.where[ri], self.where[rj]
        if not compatible(wa, wb):
            return
        low, high = (min(days), max(days)) if days else (None, None)
        root, other = (ri, rj) if ri < rj else (rj, ri)
        self.parent[other] = root
        self.span[root] = (low, high)
        self.where[root] = Place(wa.places | wb.places, wa.areas | wb.areas,
                                 wa.facilities | wb.facilities)


def link(items: Sequence[Item], threshold: float = THRESHOLD) -> list[list[int]]:
    """The events: lists of item positions, each sorted, in order of their first item."""
    linked: set[tuple[int, int]] = set()  # only the pairs at the threshold: few
    for i, j in candidate_pairs(items):
        if (i, j) not in linked and pair_score(items[i], items[j]) >= threshold:
            linked.add((i, j))
    scored: list[tuple[float, str, str, int, int]] = []
    for i, j in linked:
        first, second = sorted((items[i].output, items[j].output))
        scored.append((-pair_score(items[i], items[j]), first, second, i, j))
    scored.sort()
    groups = _Groups(items)
    for _, _, _, i, j in scored:
        groups.join(i, j)
    members: dict[int, list[int]] = defaultdict(list)
    for pos in range(len(items)):
        members[groups.find(pos)].append(pos)
    return sorted(members.values(), key=lambda m: m[0])
