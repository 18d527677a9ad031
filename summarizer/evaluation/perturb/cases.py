"""A labeled case, and when a flag counts for it.

A case carries its touched fact's path and a *scope*: the touched path plus the path of the
touched record's `evidence` list (a fact stands on its quotes, so an unlocated quote is a
failure of that fact). A flag counts when its path equals a scope path or lies under one.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from ...article import Article
from ...brief import BriefDraft

__all__ = ["CLASSES", "Case", "counts_for", "under"]

CLASSES = {
    "counts": ("correct", "number_changed", "quote_swapped", "part_as_total", "side_swapped",
               "incident_moved"),
    "names": ("correct", "name_replaced", "quote_swapped"),
}


@dataclass(frozen=True)
class Case:
    """One labeled perturbation: grounding should flag the touched fact iff `expected`."""

    article_id: str
    article: Article
    draft: BriefDraft
    kind: str  # "counts" | "names"
    cls: str  # one of CLASSES[kind]
    path: str  # the touched fact, in `draft`
    scope: tuple[str, ...]  # flags at or under these paths count for this case
    expected: bool  # True: the fact is wrong and should be flagged
    note: str  # what was done, for a reader of the misses
    gold_path: str  # the fact's path in the gold brief (actors[3] for a name case's actors[0])


def under(path: str, prefix: str) -> bool:
    """`path` is `prefix` or lies under it: continues it with "." or "["."""
    return path == prefix or path.startswith((prefix + ".", prefix + "["))


def counts_for(case: Case, flags: Iterable[Any]) -> list[Any]:
    """The flags that count for `case` (at or under one of its scope paths)."""
    return [f for f in flags if any(under(f.path, s) for s in case.scope)]
