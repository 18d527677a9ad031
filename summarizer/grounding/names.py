"""Whether a name occurs in a text, and which aliases demonstrably name the same actor.

Names are matched as written, normalized (case, quotes, dashes), fuzzily (`NAME_THRESHOLD`)
or with all their words in one sentence; acronyms only as written, else "IS" is everywhere.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from functools import lru_cache

from rapidfuzz import fuzz, utils

from ..text.normalize import normalize
from ..text.sentences import sentence_texts

__all__ = ["NAME_THRESHOLD", "mentions_actor", "name_occurs", "tied_aliases"]

NAME_THRESHOLD = 90.0  # same for names, against the text and against each sentence


def _word_re(needle: str) -> re.Pattern[str]:
    return re.compile(rf"(?<!\w){re.escape(needle)}(?!\w)")


def name_occurs(name: str, text: str, sentences: Iterable[str] | None = None) -> bool:
    """Whether a name occurs in `text`: as written, normalized (case, quotes, dashes), fuzzily
    (`NAME_THRESHOLD`), or with all its words in one sentence in any order."""
    name = name.strip()
    if not name:
        return False
    if len(name) <= 4:  # acronyms ("IS", "UN") match as written, else "is" is everywhere
        return bool(_word_re(name).search(text))
    needle, haystack = normalize(name), normalize(text)
    if _word_re(needle).search(haystack):
        return True
    if fuzz.partial_ratio(needle, haystack, score_cutoff=NAME_THRESHOLD):
        return True
    pool = sentence_texts(text) if sentences is None else sentences
    return any(fuzz.token_set_ratio(needle, normalize(s), processor=utils.default_process,
                                    score_cutoff=NAME_THRESHOLD) for s in pool)


_GENERIC = {
    "the", "of", "and", "for", "in", "al", "state", "states", "group", "forces", "force",
    "ministry", "government", "president", "minister", "army", "police", "security",
    "united", "national", "international", "coalition", "council", "department", "office",
    "officials", "official", "people", "republic", "federal", "interior", "defense",
    "foreign", "affairs", "military", "syrian", "american", "u.s.", "us", "led", "u.s.-led",
}


def _tokens(name: str) -> set[str]:
    return {t for t in re.findall(r"[\w.'-]+", normalize(name)) if t}


def _distinctive(name: str) -> set[str]:
    """Words of a name that identify it on their own ("Trump" in "Donald Trump")."""
    return {t.strip(".'-") for t in _tokens(name)
            if len(t) >= 4 and t.strip(".'-") not in _GENERIC}


def _initials(name: str) -> str:
    return "".join(w[0] for w in re.findall(r"[A-Z][\w-]*", name))


def tied_aliases(name: str, aliases: list[str], text: str) -> list[str]:
    """Aliases that demonstrably name the same actor: part of the name, its initials, or
    written right next to the name (or to an alias already tied), as in "Islamic State (IS)".
    An alias that is merely listed proves nothing when the name itself was swapped."""
    tied = [name]
    pending = list(aliases)
    changed = True
    while pending and changed:
        changed = False
        for alias in list(pending):
            if (_tokens(alias) <= _tokens(name) or alias == _initials(name)
                    or any(_near(alias, t, text) for t in tied)):
                tied.append(alias)
                pending.remove(alias)
                changed = True
    return tied[1:]


_NEAR = 60  # characters between two names written as one ("IS ... Daesh" in one clause)


@lru_cache(maxsize=4096)  # asked again for every alias pair of every actor
def _positions(name: str, text: str) -> tuple[tuple[int, int], ...]:
    body = r"\s+".join(re.escape(w) for w in name.split())
    flags = 0 if len(name) <= 4 else re.I  # acronyms as written, like name_occurs
    pattern = re.compile(rf"(?<!\w){body}(?!\w)", flags)
    return tuple((m.start(), m.end()) for m in pattern.finditer(text))


def _near(a: str, b: str, text: str) -> bool:
    spans_b = _positions(b, text)
    return any(max(sa - eb, sb - ea) <= _NEAR
               for sa, ea in _positions(a, text) for sb, eb in spans_b)


def mentions_actor(name: str, aliases: list[str], span: str) -> bool:
    """Whether a quote names the actor: by its name, a (tied) alias, or a distinctive word."""
    if name_occurs(name, span, [span]) or any(name_occurs(a, span, [span]) for a in aliases):
        return True
    words = set(re.findall(r"[\w-]+", normalize(span)))
    return bool(_distinctive(name) & words)
