"""A quote that is its whole sentence is read once: what the second read would add, it adds
nothing, over every sentence of the evaluation articles."""

from __future__ import annotations

from pathlib import Path

from summarizer.article import Article, load_article
from summarizer.grounding.figures import _CLOSING, _read, _with_own_reading, numbers_in
from summarizer.grounding.source import ArticleSource

ARTICLES = [p for p in sorted((Path(__file__).resolve().parents[1] / "evals" / "articles")
                              .iterdir()) if p.name != "README.md"]


def test_a_whole_sentence_quote_reads_as_with_both_readings() -> None:
    checked = 0
    for path in ARTICLES:
        article = load_article(path)
        source = ArticleSource(article)
        for start, end in source._bounds:
            sentence = article.text[start:end]
            quote = sentence.strip().rstrip(_CLOSING)  # as a model copies it: no full stop
            if not quote:
                continue
            where = ("text", start + sentence.index(quote))
            context = source.around(where, len(quote))
            assert context is not None
            text, offset = context
            lo = where[1] - offset
            wide = [n for n in _read(text, ("text", offset))
                    if lo <= n.key[1] - offset
                    and n.key[1] - offset + len(n.mention.text) <= lo + len(quote)]
            assert numbers_in(quote, where, context) == _with_own_reading(wide, quote, where), (
                path.name, quote)
            checked += 1
    assert checked > 1000


def _reads(quote: str, article: Article) -> int:
    """How many texts grounding reads for `quote` (a miss of the per-text cache is one read)."""
    source = ArticleSource(article)
    where = ("text", article.text.index(quote))
    context = source.around(where, len(quote))
    assert context is not None
    _read.cache_clear()
    numbers_in(quote, where, context)
    return _read.cache_info().misses


def test_only_a_quote_shorter_than_its_sentence_is_read_again_on_its_own() -> None:
    article = Article.from_text("Gunmen killed 12 children -- and wounded 30 others, police "
                                "said. The school was closed.")
    assert _reads("Gunmen killed 12 children -- and wounded 30 others, police said", article) == 1
    assert _reads("Gunmen killed 12 children", article) == 2  # the sentence, then the quote
