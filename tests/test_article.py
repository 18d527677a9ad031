import json

import pytest

from summarizer.article import Article, iter_jsonl, load_article, parse_article
from summarizer.errors import ArticleError


def test_seed_title_and_body(seed_path):
    art = load_article(seed_path)
    assert art.title.startswith("Syrian President Al-Sharaa Reaches Out to Trump")
    assert not art.title.startswith("“")
    assert art.text.startswith("In a striking gesture")
    assert art.id == "palmyra-condolences"
    assert art.source == str(seed_path)


def test_id_is_stable_and_content_hash_tracks_text(seed_path):
    a, b = load_article(seed_path), load_article(seed_path)
    assert a.id == b.id and a.content_hash == b.content_hash
    other = Article.from_text("Title Here\nSomething else happened today.")
    assert other.content_hash != a.content_hash


@pytest.mark.parametrize("raw,codec", [
    ("Café bombing in Zürich\nPolice said «two» died.".encode(), "utf-8"),
    ("\ufeffCafé bombing in Zürich\nPolice said two died.".encode(), "utf-8-sig"),
    ("Café bombing in Zürich\nPolice said “two” died.".encode("cp1252"), "cp1252"),
    ("Café bombing in Zürich\nPolice said two died.".encode("utf-16"), "utf-16"),
])
def test_decoding_chain(raw, codec):
    art = parse_article(raw, f"x.{codec}.txt")
    assert art.title == "Café bombing in Zürich"
    assert "two" in art.text


def test_latin1_only_bytes_decode():
    # 0x81 is undefined in cp1252, so this must fall through to latin-1.
    raw = "Title of the story\nA caf\xe9 \x81 here.".encode("latin-1")
    assert "café" in parse_article(raw, "x.txt").text


@pytest.mark.parametrize("raw,reason", [
    (b"%PDF-1.7\n%\xe2\xe3\xcf\xd3 1 0 obj", "PDF"),
    (b"\x89PNG\r\n\x1a\n\x00\x00", "PNG"),
    (b"hello\x00world\x00" * 10, "NUL"),
    (bytes(range(1, 32)) * 20, "control"),
])
def test_binary_is_refused_before_decoding(raw, reason, tmp_path):
    path = tmp_path / "bad.txt"
    path.write_bytes(raw)
    with pytest.raises(ArticleError) as err:
        load_article(path)
    assert str(path) in str(err.value) and reason in str(err.value)
    assert "\n" not in str(err.value)


def test_gibberish_latin1_is_undecodable():
    raw = bytes([0x80 + (i % 32) for i in range(400)]) + b" some text"
    with pytest.raises(ArticleError, match="undecodable"):
        parse_article(raw, "g.txt")


@pytest.mark.parametrize("content", [b"", b"   \n\n  ", "\u200b\u200b\n\u200d\ufeff".encode(),
                                     "\u2060 \u00a0\n\u200b".encode()])
def test_empty_is_refused(content, tmp_path):
    path = tmp_path / "empty.txt"
    path.write_bytes(content)
    with pytest.raises(ArticleError, match="empty"):
        load_article(path)


def test_too_large_is_refused(tmp_path):
    path = tmp_path / "big.txt"
    path.write_bytes(b"word " * 1000)
    with pytest.raises(ArticleError, match="too large"):
        load_article(path, max_bytes=100)


HTML = """<!doctype html><html><head><title>Site | Blast hits market</title>
<style>body{color:red}</style><script>var tracking = "do not include";</script></head>
<body><nav class="top-nav"><a href="/">Home</a><a href="/world">World news</a></nav>
<header><div class="logo">DAILY PAPER</div></header>
<main><article><h1>Blast hits market in Kabul</h1>
<p>A blast tore through a <b>crowded</b> market on Friday,<br>killing at least 12 people.</p>
<div class="share-buttons">Share on X</div>
<p>Police said 30 were wounded.</p></article>
<aside>Related: other stories</aside></main>
<footer>Copyright 2026 Daily Paper. All rights reserved.</footer></body></html>"""


def test_html_keeps_only_visible_article_text(tmp_path):
    path = tmp_path / "page.html"
    path.write_text(HTML, encoding="utf-8")
    art = load_article(path)
    assert art.title == "Blast hits market in Kabul"
    assert "A blast tore through a crowded market on Friday," in art.text
    assert "killing at least 12 people." in art.text
    assert "Police said 30 were wounded." in art.text
    for junk in ("tracking", "color:red", "World news", "DAILY PAPER", "Share on X",
                 "Related", "Copyright"):
        assert junk not in art.text


def test_markdown_heading_becomes_title(tmp_path):
    path = tmp_path / "a.md"
    path.write_text("# Floods in Valencia\n\nRescuers found 3 bodies.\n", encoding="utf-8")
    art = load_article(path)
    assert art.title == "Floods in Valencia" and art.text == "Rescuers found 3 bodies."


def test_sentence_first_line_is_not_a_title():
    art = Article.from_text("Police in the northern city said on Monday that they had arrested "
                            "four men after the raid.\nMore details followed.")
    assert art.title is None
    assert art.text.startswith("Police in the northern city")


def test_json_article(tmp_path):
    path = tmp_path / "a.json"
    path.write_text(json.dumps({"id": "story 7", "title": "Raid in Lagos", "body": "Police "
                                "arrested 9.", "date": "2026-01-02", "url": "https://x"}))
    art = load_article(path)
    assert (art.id, art.title, art.text, art.date) == ("story-7", "Raid in Lagos",
                                                       "Police arrested 9.", "2026-01-02")


@pytest.mark.parametrize("content,reason", [("{nope", "invalid JSON"),
                                            ('{"title": "x"}', "no 'body'"),
                                            ("[1, 2]", "must be an object")])
def test_bad_json_is_one_line_error(content, reason, tmp_path):
    path = tmp_path / "a.json"
    path.write_text(content)
    with pytest.raises(ArticleError, match=reason) as err:
        load_article(path)
    assert str(path) in str(err.value)


def test_jsonl_yields_articles_and_errors(tmp_path):
    path = tmp_path / "many.jsonl"
    path.write_text('{"title": "One thing", "text": "It happened."}\n{bad\n\n'
                    '{"id": "b", "body": "Another."}\n')
    items = list(iter_jsonl(path))
    assert isinstance(items[0], Article) and items[0].id == "many-1"
    assert isinstance(items[1], ArticleError) and items[1].source.endswith("#2")
    assert isinstance(items[2], Article) and items[2].id == "b"
