"""Reading the article so a label stays honest: what it writes, what a sentence might state,
whom a text might name. A perturbation that might be right after all is left out.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from functools import lru_cache
from itertools import combinations
from typing import Any

from ...article import Article
from ...text.cues import OUTCOME_RE
from ...text.normalize import fold
from ...text.numbers import find_numbers
from ..align import NAME_THRESHOLD, name_similarity, normalize_name

__all__ = ["fold", "may_mention", "may_state", "names_of", "same_actor", "written"]


def written(name: str, article: Article) -> bool:
    """The name occurs in the article as written (case, quote marks and spacing aside)."""
    hay = fold(f"{article.title or ''}\n{article.text}")
    return re.search(rf"(?<!\w){re.escape(fold(name))}(?!\w)", hay) is not None


def may_state(sentence: str, value: int, outcome: str) -> bool:
    """The sentence might support the figure: it states it, two of its figures add up to it,
    or (for 1) it has an outcome word, where "a soldier was killed" counts one."""
    values = [m for m in find_numbers(sentence) if m.measure is None]
    if any(m.contains(value) for m in values):
        return True
    exact = [m.value for m in values if m.value is not None][:12]
    if any(a + b == value for a, b in combinations(exact, 2)):
        return True
    return value == 1 and OUTCOME_RE[outcome].search(sentence) is not None


@lru_cache(maxsize=8192)
def _norm_name(text: str) -> str:
    return normalize_name(text)


@lru_cache(maxsize=8192)
def _words_of(text: str) -> frozenset[str]:
    return frozenset(_norm_name(text).split())


def names_of(actor: Any) -> list[str]:
    return [actor.name, *actor.aliases]


def _distinct_words(names: Iterable[str]) -> set[str]:
    """Words that stand for the actor on their own ("Trump", "Sharaa", "Daesh")."""
    return {w for n in names for w in _words_of(n) if len(w) >= 4}


def may_mention(text: str, names: Sequence[str]) -> bool:
    """Whether `text` might name the actor: any of its names (acronyms as written, others
    folded) or any of its distinctive words. Errs towards yes."""
    folded = fold(text)
    for name in names:
        if len(name) <= 4:
            if re.search(rf"(?<!\w){re.escape(name)}(?!\w)", text):
                return True
        elif re.search(rf"(?<!\w){re.escape(fold(name))}(?!\w)", folded):
            return True
    return bool(_distinct_words(names) & _words_of(text))


def same_actor(candidate: str, names: Sequence[str]) -> bool:
    if not _norm_name(candidate):
        return True
    if any(name_similarity(candidate, n) >= NAME_THRESHOLD for n in names):
        return True
    return bool(_distinct_words([candidate]) & _distinct_words(names))
