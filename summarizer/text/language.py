"""Whether a text is in English, the one language the rules read, and if not, a guess of which.

The share of a text's words that are English function words ("the", "of", "was") is about a
fifth to a half in English news and near none in other languages; a text in another script has
few Latin letters at all. A guess of the language (from its own function words, or its script)
only names the reason in the brief; it decides nothing.
"""

from __future__ import annotations

import re

__all__ = ["unread_language"]

_WORD = re.compile(r"[^\W\d_]+")
_ENGLISH = frozenset(
    "the of and to in a is was were are be been has have had by for on with that at as from "
    "it its he she they his her their this an or not but who which said after into than".split())
_OTHERS = {  # a few frequent function words each, none of them English words
    "French": "le la les des du une est dans pour qui sur avec ont été par aux selon".split(),
    "Spanish": "el los las del una por con para según fue han sus entre como".split(),
    "Portuguese": "os das dos uma não foi pelo pela com para segundo são".split(),
    "German": "der die das und ist nicht mit den dem des wurde sind eine von".split(),
    "Italian": "il gli della delle di che sono stato nella secondo per con".split(),
    "Indonesian": "yang dan di ke dari ini itu dengan untuk tidak oleh pada".split(),
    "Turkish": "ve bir bu için ile olarak da de çok sonra".split(),
}
_SCRIPTS = [("Arabic script", "\u0600", "\u06ff"), ("Cyrillic script", "\u0400", "\u04ff"),
            ("Devanagari script", "\u0900", "\u097f"), ("Chinese or Japanese script", "\u3040",
                                                        "\u9fff"),
            ("Hangul script", "\uac00", "\ud7af"), ("Hebrew script", "\u0590", "\u05ff"),
            ("Greek script", "\u0370", "\u03ff"), ("Thai script", "\u0e00", "\u0e7f")]
_MIN_WORDS = 20  # shorter texts are too few words to judge: read as English
_ENGLISH_SHARE = 0.12


def unread_language(text: str) -> str | None:
    """None for English (or too short to tell); else the language or script it seems to be
    in ("French", "Arabic script", "a language other than English")."""
    letters = [ch for ch in text if ch.isalpha()]
    if len(letters) >= 100:
        latin = sum(ch.isascii() or "\u00c0" <= ch <= "\u024f" for ch in letters)
        if latin < 0.5 * len(letters):
            counts = {name: sum(lo <= ch <= hi for ch in letters) for name, lo, hi in _SCRIPTS}
            best = max(counts, key=lambda k: counts[k])
            return best if counts[best] else "a script other than Latin"
    words = [w.lower() for w in _WORD.findall(text)]
    if len(words) < _MIN_WORDS:
        return None
    if sum(w in _ENGLISH for w in words) >= _ENGLISH_SHARE * len(words):
        return None
    scores = {name: sum(w in set(stop) for w in words) for name, stop in _OTHERS.items()}
    best = max(scores, key=lambda k: scores[k])
    return best if scores[best] >= 0.05 * len(words) else "a language other than English"
