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


def test_a_quote_inside_its_sentence_still_gets_its_own_reading() -> None:
    article = Article.from_text("Gunmen killed 12 children -- and wounded 30 others, police "
                                "said.")
    source = ArticleSource(article)
    quote = "Gunmen killed 12 children"
    where = ("text", 0)
    context = source.around(where, len(quote))
    assert context is not None
    got = [(n.mention.text, n.tag) for n in numbers_in(quote, where, context)]
    assert ("12", "killed") in got
    assert all(text != "30" for text, _ in got)  # outside the quote

