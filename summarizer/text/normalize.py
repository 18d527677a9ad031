"""Text folded for matching, with a map back to the offsets of the text it came from.

Models change the spacing, quote marks, dashes and case of what they copy. Matching on the
folded form and mapping back keeps every offset an offset of the article's own text. One
folding table (`FOLD`) serves grounding (quotes, names), the scorers and the perturbation
labels.
"""

from __future__ import annotations

from functools import lru_cache

__all__ = ["FOLD", "fold", "label_key", "normalize", "normalize_with_offsets"]

FOLD = str.maketrans({
    "\u2018": "'", "\u2019": "'", "\u201a": "'", "\u201b": "'", "\u2032": "'", "`": "'",
    "\u201c": '"', "\u201d": '"', "\u201e": '"', "\u201f": '"', "\u2033": '"',
    "\u00ab": '"', "\u00bb": '"',
    "\u2010": "-", "\u2011": "-", "\u2012": "-", "\u2013": "-", "\u2014": "-", "\u2015": "-",
    "\u2212": "-", "\u00ad": "",
    "\u2026": "...",
})
"""Curly quotes to straight, every dash to "-", the soft hyphen out, the ellipsis to dots."""


def fold(text: str) -> str:
    """`FOLD` applied, case folded, whitespace runs as one space, stripped: the comparison
    form of a quote or a name ("“Idlib”  attack" and '"idlib" attack' are one)."""
    return " ".join(text.translate(FOLD).casefold().split())


@lru_cache(maxsize=1024)
def normalize_with_offsets(text: str) -> tuple[str, tuple[int, ...]]:
    """Lowercased text with `FOLD` applied, no space around dashes and single spaces -- plus,
    for each output character, the offset it came from.

    Cached: a character loop in Python, and name checks ask for the same article text once
    per name and alias (and the perturbation measure grounds one article many times)."""
    out: list[str] = []
    index: list[int] = []
    for i, ch in enumerate(text):
        if ch.isspace():
            # A space next to a dash is dropped: "Syria—an" and "Syria - an" are one text.
            if out and out[-1] not in (" ", "-"):
                out.append(" ")
                index.append(i)
            continue
        for c in ch.translate(FOLD).lower():
            if c == "-" and out and out[-1] == " ":
                out.pop()
                index.pop()
            out.append(c)
            index.append(i)
    while out and out[-1] == " ":
        out.pop()
        index.pop()
    return "".join(out), tuple(index)


def normalize(text: str) -> str:
    """The folded text alone (see `normalize_with_offsets`)."""
    return normalize_with_offsets(text)[0]


def label_key(text: str | None) -> str:
    """A label as a comparison key: lowercased, single-spaced ("Idlib  Attack" = "idlib
    attack"), so records and names the brief writes twice are recognized as one."""
    return " ".join((text or "").lower().split())
