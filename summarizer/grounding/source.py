"""The article as grounding reads it: normalized once, split into sentences, quotes looked up.

Counts and names are checked against the *article's* text at a located quote, never the
model's copy of it (a model that misquotes "ten" for "four" must not support itself): the
walk records, per evidence path, that text and where it stands (`Spans`).
"""

from __future__ import annotations

from functools import cached_property

from ..article import Article
from ..text.incident import states_no_death
from ..text.normalize import normalize_with_offsets
from ..text.sentences import sentence_texts, sentences
from .quotes import Located, Norm, locate_both

__all__ = ["ArticleSource", "Spans", "Where"]

Where = tuple[str, int]
"""Where a located quote starts: ("text", offset) or ("title", offset into the title)."""

Spans = dict[str, tuple[str, Where]]
"""Per evidence path ("casualties[0].evidence[1]"): the article's text at the quote, and
where it starts (to tell one number of the article used twice)."""

class ArticleSource:
    """The article, normalized once, with the lookups grounding needs."""

    def __init__(self, article: Article) -> None:
        self.text = article.text
        self.title = article.title or ""
        self.full = f"{self.title}\n{self.text}" if self.title else self.text
        self._no_death: bool | None = None
        self._bounds = [(x.start, x.end) for x in sentences(self.text, max_len=len(self.text) + 1)]

    @cached_property
    def sentences(self) -> list[str]:
        """The sentences of the title and text (read when a brief names someone)."""
        return sentence_texts(self.full)

    @cached_property
    def _norm_text(self) -> Norm:
        # made only when a quote is not in the text word for word (most are: this cost more
        # than locating every quote of a brief)
        return normalize_with_offsets(self.text)

    @cached_property
    def _norm_title(self) -> Norm:
        return normalize_with_offsets(self.title)  # read when a quote is not in the text

    def states_no_death(self) -> bool:
        """Whether the article is an incident report telling injuries or damage and no death
        (a killed count of 0 is stated there, as the rules read it)."""
        if self._no_death is None:
            self._no_death = states_no_death(self.text)
        return self._no_death

    def before(self, where: Where) -> str:
        """The sentence of the text before the one a located quote starts in ("" if none)."""
        if where[0] != "text":
            return ""
        k = next((k for k, (s, e) in enumerate(self._bounds) if s <= where[1] < e), 0)
        return self.text[slice(*self._bounds[k - 1])] if k > 0 else ""

    def around(self, where: Where, length: int) -> tuple[str, int] | None:
        """The whole sentence(s) of the text a located quote stands in, and where they start:
        the words around the quote that say what its numbers count."""
        if where[0] != "text":
            return None
        start, end = where[1], where[1] + length
        inside = [(s, e) for s, e in self._bounds if s < end and start < e]
        if not inside:
            return None
        lo, hi = min(start, inside[0][0]), max(end, inside[-1][1])
        return self.text[lo:hi], lo

    def locate(self, quote: str) -> tuple[Located | None, str]:
        """Where the quote is (in the text, else in the title), and the article's own words
        there (what numbers are read from)."""
        found = locate_both(quote, self.text, lambda: self._norm_text, self.title,
                            lambda: self._norm_title)
        if found is None:
            return None, ""
        assert found.start is not None and found.end is not None
        string = self.title if found.where == "title" else self.text
        return found, string[found.start:found.end]
