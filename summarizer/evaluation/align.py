"""One-to-one alignment of predicted records with gold records, and name matching.

Lists in a brief have no canonical order, so before any field is scored each predicted record
is paired with at most one gold record by the Hungarian algorithm (scipy's
`linear_sum_assignment`) on a similarity matrix. Pairs below a threshold stay unpaired: an
unpaired gold record is *missing*, an unpaired prediction *spurious*.

Names match through aliases (either side's) and normalized fuzzy similarity (rapidfuzz).
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from typing import TypeVar

import numpy as np
from rapidfuzz import fuzz

from ..errors import MissingExtraError

G = TypeVar("G")
P = TypeVar("P")

NAME_THRESHOLD = 0.85
"""Two names are the same actor at or above this similarity (0-1). Strict on purpose: "U.S.
officials" and "U.S. forces" are different actors; aliases carry the legitimate variants."""

RECORD_THRESHOLD = 0.5
"""A casualty or arrest pair is kept at or above this composite similarity."""

# Titles and honorifics the article may or may not put before a name.
_TITLES = {
    "president", "prime", "minister", "foreign", "interior", "defense", "defence", "secretary",
    "gen", "general", "col", "colonel", "mr", "mrs", "ms", "dr", "king", "queen", "sheikh",
    "spokesman", "spokeswoman", "spokesperson", "sen", "senator", "rep", "gov", "governor",
}


def normalize_name(name: str) -> str:
    """Case, accents, punctuation, possessives and a leading "the" do not make a new name."""
    text = unicodedata.normalize("NFKD", name)
    text = "".join(ch for ch in text if not unicodedata.combining(ch)).casefold()
    text = re.sub(r"['’]s\b", "", text)
    text = re.sub(r"[^\w\s]", " ", text)
    words = text.split()
    if words and words[0] == "the":
        words = words[1:]
    return " ".join(words)


def _strip_titles(norm: str) -> str:
    words = norm.split()
    while len(words) > 1 and words[0] in _TITLES:
        words = words[1:]
    return " ".join(words)


def name_similarity(a: str, b: str) -> float:
    """Similarity of two single names in [0, 1]: 1.0 when they normalize alike."""
    na, nb = normalize_name(a), normalize_name(b)
    if not na or not nb:
        return 0.0
    if na == nb or _strip_titles(na) == _strip_titles(nb):
        return 1.0
    return max(fuzz.ratio(na, nb), fuzz.token_sort_ratio(na, nb)) / 100.0


def names_similarity(gold_names: Iterable[str], pred_names: Iterable[str]) -> float:
    """Best similarity between any gold name (or alias) and any predicted name (or alias)."""
    gold, pred = list(gold_names), list(pred_names)
    return max((name_similarity(g, p) for g in gold for p in pred), default=0.0)


def label_similarity(a: str | None, b: str | None) -> float:
    """Lenient similarity of descriptive labels ("two U.S. service members" vs "U.S. service
    members"): token-set ratio, so a label that adds words still matches. Both empty is 1.0."""
    na, nb = normalize_name(a or ""), normalize_name(b or "")
    if not na and not nb:
        return 1.0
    if not na or not nb:
        return 0.0
    return fuzz.token_set_ratio(na, nb) / 100.0


@dataclass(frozen=True)
class Pair:
    gold: int
    pred: int
    score: float


@dataclass(frozen=True)
class Alignment:
    """The result of aligning two lists: index pairs plus what stayed unpaired."""

    pairs: list[Pair] = field(default_factory=list)
    missing: list[int] = field(default_factory=list)
    """Gold indices with no prediction."""
    spurious: list[int] = field(default_factory=list)
    """Prediction indices with no gold."""


def align(
    gold: Sequence[G],
    pred: Sequence[P],
    similarity: Callable[[G, P], float],
    threshold: float,
) -> Alignment:
    """Pair gold and predicted items one-to-one, maximizing total similarity.

    Similarities under the threshold are zeroed *before* the assignment, so a weak pair never
    pulls a strong one apart; zero-score pairs are then dropped.
    """
    if not gold or not pred:
        return Alignment(missing=list(range(len(gold))), spurious=list(range(len(pred))))
    try:  # the eval extra: briefing articles never needs scipy
        from scipy.optimize import linear_sum_assignment  # type: ignore[import-untyped,unused-ignore]
    except ImportError:
        raise MissingExtraError("eval", "aligning records in the eval") from None
    scores = np.array([[similarity(g, p) for p in pred] for g in gold], dtype=float)
    scores[scores < threshold] = 0.0
    rows, cols = linear_sum_assignment(scores, maximize=True)
    pairs = [Pair(int(r), int(c), float(scores[r, c])) for r, c in zip(rows, cols, strict=True)
             if scores[r, c] > 0.0]
    paired_g = {p.gold for p in pairs}
    paired_p = {p.pred for p in pairs}
    return Alignment(
        pairs=sorted(pairs, key=lambda p: p.gold),
        missing=[i for i in range(len(gold)) if i not in paired_g],
        spurious=[j for j in range(len(pred)) if j not in paired_p],
    )
