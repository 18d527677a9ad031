"""Locating an evidence quote in the article, in tiers, as offsets of the original text.

Exact, then normalized (whitespace, curly quotes, dashes, case), then fuzzy (rapidfuzz's
partial-ratio alignment above `FUZZY_THRESHOLD`). A quote not in the text is looked for in the
title (a headline that states the toll): it is then located `where="title"`, its offsets
indexing the title. The title is tried before a fuzzy match in the text: a headline quoted word
for word is the headline, not a near miss in the body.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, replace

from rapidfuzz import fuzz

from ..text.normalize import normalize, normalize_with_offsets

__all__ = ["FUZZY_THRESHOLD", "Located", "Norm", "locate", "locate_both", "locate_in"]

FUZZY_THRESHOLD = 90.0  # partial-ratio score (0-100) a quote needs to count as found
_MIN_FUZZY_CHARS = 12  # below this, a fuzzy match is mostly chance


@dataclass(frozen=True, slots=True)
class Located:
    """Where a quote was found: offsets into `Article.text`, or into `Article.title` where
    `where` is "title"."""

    start: int | None
    end: int | None
    match: str  # "exact" | "normalized" | "fuzzy"
    score: float = 100.0
    where: str = "text"  # "text" | "title"


Norm = tuple[str, tuple[int, ...]]
"""A text's `normalize_with_offsets`: the normalized text and each character's offset."""


def locate_in(quote: str, text: str, norm: Norm | Callable[[], Norm],
              fuzzy: bool = True) -> Located | None:
    """`quote` in `text` (whose `normalize_with_offsets` is `norm`, or what `norm()` returns:
    a quote found word for word never needs it), by the first tier that finds it (the fuzzy
    one only with `fuzzy`); None if none does."""
    start = text.find(quote)
    if start >= 0:
        return Located(start, start + len(quote), "exact")
    # Models change the spacing, quote marks, dashes and case, or wrap the quote in marks.
    haystack, index = norm() if callable(norm) else norm
    needle = normalize(quote)
    for candidate in (needle, needle.strip(" \"'.")):
        pos = haystack.find(candidate) if candidate else -1
        if pos >= 0:
            return Located(index[pos], index[pos + len(candidate) - 1] + 1, "normalized")
    needle = needle.strip(" \"'.")
    if not fuzzy or len(needle) < _MIN_FUZZY_CHARS or not haystack:
        return None
    hit = fuzz.partial_ratio_alignment(needle, haystack, score_cutoff=FUZZY_THRESHOLD)
    if hit is None or hit.dest_end <= hit.dest_start:
        return None
    start, end = _widen(text, index[hit.dest_start], index[hit.dest_end - 1] + 1)
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    return Located(start, end, "fuzzy", round(hit.score, 1))


def _widen(text: str, start: int, end: int) -> tuple[int, int]:
    """Grow a fuzzy span to whole words, so a number at its edge is read in full."""
    while start > 0 and text[start - 1].isalnum():
        start -= 1
    while end < len(text) and text[end].isalnum():
        end += 1
    return start, end


def locate(quote: str, text: str, title: str | None = None) -> Located | None:
    """Find `quote` in `text` (exact, normalized), else in `title` (exact, normalized), else
    fuzzily in the text, then in the title; None if nowhere."""
    return locate_both(quote, text, lambda: normalize_with_offsets(text), title or "",
                       lambda: normalize_with_offsets(title or ""))


def locate_both(quote: str, text: str, norm_text: Callable[[], Norm], title: str,
                norm_title: Callable[[], Norm]) -> Located | None:
    """`locate` with the text's and the title's normalizations given, each made only when
    a tier needs it (most quotes are found word for word: no normalization at all)."""
    found = locate_in(quote, text, norm_text, fuzzy=False)
    if found is not None:
        return found
    if title:
        found = locate_in(quote, title, norm_title, fuzzy=False)
        if found is not None:
            return replace(found, where="title")
    found = locate_in(quote, text, norm_text)
    if found is not None or not title:
        return found
    found = locate_in(quote, title, norm_title)
    return None if found is None else replace(found, where="title")
