"""Sentences as verbatim spans, long ones cut at clause breaks so each can be a quote.

The one sentence splitter: the rules, grounding (its pool of sentences for names), the
constrained grammar and the perturbation builder all split here. A period after an
abbreviation ("U.S. President", "Mr.", "Gen."), an initial ("J. Smith") or inside a decimal
("2.5 million") does not end a sentence. Every `Sentence` is a slice of the text it was read
from, with offsets, so a quote built from one is located exactly by grounding.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

__all__ = ["MAX_SENTENCE", "Sentence", "clauses", "sentence_texts", "sentences"]

MAX_SENTENCE = 300  # the longest evidence quote the schema allows


@dataclass(frozen=True, slots=True)
class Sentence:
    """A verbatim span of the text: `text == source[start:end]`."""

    start: int
    end: int
    text: str


# Abbreviations and initials whose period does not end a sentence ("U.S. President",
# "Mr. Smith", "J. Smith"). A decimal never ends one: a boundary needs a space after it.
_ABBREV = re.compile(r"(?:\b(?:[A-Z]\.){1,3}|\b(?:Mr|Mrs|Ms|Dr|Gen|Lt|Col|Sgt|Capt|St|Rep|Sen|"
                     r"Gov|Jr|Sr|No|Inc|Corp|Ltd|vs|etc|Prof|Maj|Adm|Rev|Cpl|Supt|Insp|Hon|"
                     r"Mt|Ft|Jan|Feb|Aug|Sept|Oct|Nov|Dec)\.)$")
_BOUNDARY = re.compile(r"(?<=[.!?])[\"”’)]?\s+(?=[\"“‘(]?[A-Z0-9])|\n+")
_CLAUSE = re.compile(r"(?<=[;,:])\s+|\s*[—–]\s*|\s+-\s+")


def sentences(text: str, max_len: int = MAX_SENTENCE) -> list[Sentence]:
    """The text's sentences in order, each a verbatim span of at most `max_len` characters.

    Periods after abbreviations ("U.S.", "Mr.") do not end a sentence. A sentence longer than
    `max_len` is cut at clause breaks (";", ",", dashes), so every piece can be an evidence
    quote as it stands.
    """
    out: list[Sentence] = []
    start = 0
    for m in _BOUNDARY.finditer(text):
        # A closing quote mark stays with its sentence.
        end = m.start() + len(m.group()) - len(m.group().lstrip("\"”’)"))
        if "\n" not in m.group() and _ABBREV.search(text[start:m.start()]):
            continue
        out.extend(_pieces(text, start, end, max_len))
        start = m.end()
    out.extend(_pieces(text, start, len(text), max_len))
    return out


def clauses(text: str) -> list[str]:
    """The text cut at every clause break (";", ",", ":", dashes), each piece verbatim."""
    return _CLAUSE.split(text)


def sentence_texts(text: str) -> list[str]:
    """The text's whole sentences as strings (no length cut): the pool grounding looks for
    a name's words in."""
    return [s.text for s in sentences(text, max_len=len(text) + 1)]


def _pieces(text: str, start: int, end: int, max_len: int) -> list[Sentence]:
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    if start >= end:
        return []
    if end - start <= max_len:
        return [Sentence(start, end, text[start:end])]
    # Cut at the clause break nearest the middle, then recurse on both halves.
    mid = (start + end) // 2
    breaks = [m for m in _CLAUSE.finditer(text, start, end) if start < m.start() < end - 1]
    if breaks:
        m = min(breaks, key=lambda b: abs(b.start() - mid))
        left_end, right_start = m.start(), m.end()
        if text[m.start() - 1:m.start()] in ";,:":
            left_end = m.start()
    else:  # no clause break: cut at a space
        left_end = text.rfind(" ", start, start + max_len)
        left_end = left_end if left_end > start else start + max_len
        right_start = left_end
    return [*_pieces(text, start, left_end, max_len), *_pieces(text, right_start, end, max_len)]
