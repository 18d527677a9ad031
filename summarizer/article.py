"""Articles: one input file (or JSON record) turned into clean text with a title and a stable id.

Binary input is detected from the raw bytes *before* decoding: a decoding chain that ends in
latin-1 never fails, so failing to decode cannot be the test. Text is decoded by BOM, then
UTF-8, then cp1252, then latin-1 (refused when the result is mostly control characters).
HTML is reduced to the visible article text.
"""

from __future__ import annotations

import errno
import hashlib
import json
import re
import stat
import unicodedata
from collections.abc import Iterator
from pathlib import Path
from typing import Any, cast

from pydantic import BaseModel, ConfigDict, Field

from .errors import ArticleError

MAX_BYTES = 5_000_000  # a news article is ~10-100 KB; past this it is not an article
TEXT_SUFFIXES = {".txt", ".md", ".markdown", ".text"}
HTML_SUFFIXES = {".html", ".htm", ".xhtml"}
JSON_SUFFIXES = {".json"}
JSONL_SUFFIXES = {".jsonl", ".ndjson"}
SUFFIXES = TEXT_SUFFIXES | HTML_SUFFIXES | JSON_SUFFIXES | JSONL_SUFFIXES

_MAGIC = {
    b"%PDF": "a PDF document",
    b"\x89PNG": "a PNG image",
    b"\xff\xd8\xff": "a JPEG image",
    b"GIF8": "a GIF image",
    b"PK\x03\x04": "a ZIP archive (docx/xlsx/epub?)",
    b"\x1f\x8b": "gzip-compressed data",
    b"\x7fELF": "an executable",
    b"\xd0\xcf\x11\xe0": "a legacy Office document",
    b"SQLite format 3": "an SQLite database",
}
_BOMS = [
    (b"\xef\xbb\xbf", "utf-8-sig"),
    (b"\xff\xfe", "utf-16"),
    (b"\xfe\xff", "utf-16"),
]


class Article(BaseModel):
    """One article, as rendered into the prompt. Evidence offsets index `text`."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    id: str = Field(description="Stable id: the record's own id, else derived from the source.")
    source: str = Field(description="Where it came from: a path, or path#line for JSONL.")
    title: str | None = None
    text: str = Field(min_length=1)
    date: str | None = None
    url: str | None = None

    @property
    def content_hash(self) -> str:
        """sha256 of what the model sees (title and text); the cache keys on it."""
        blob = f"{self.title or ''}\n\n{self.text}".encode()
        return hashlib.sha256(blob).hexdigest()

    @classmethod
    def from_text(cls, text: str, *, source: str = "<text>", title: str | None = None,
                  id: str | None = None, date: str | None = None,
                  url: str | None = None) -> Article:
        """Build an Article from text in memory (the library entry point)."""
        text = _normalize_text(text)
        if title is None:
            title, text = _split_title(text)
        if not has_visible_text(text):
            raise ArticleError(source, "empty article: no visible character after decoding")
        return cls(id=id or _id_from(source, text), source=source, title=title, text=text,
                   date=date, url=url)


def has_visible_text(text: str) -> bool:
    """Whether any character would show: not whitespace, not a control or format character
    (zero-width spaces and joiners, BOMs, bidi marks are category Cf), not unassigned."""
    return any(not ch.isspace() and unicodedata.category(ch) not in _INVISIBLE for ch in text)


_INVISIBLE = frozenset({"Cc", "Cf", "Cs", "Co", "Cn", "Zs", "Zl", "Zp", "Mn", "Me"})


# --- bytes -> str -----------------------------------------------------------------------


def sniff_binary(raw: bytes) -> str | None:
    """Why these bytes are not text, or None. Runs before any decoding."""
    for magic, what in _MAGIC.items():
        if raw.startswith(magic):
            return f"binary input ({what})"
    if any(raw.startswith(bom) for bom, _ in _BOMS):
        return None  # UTF-16 text carries NUL bytes legitimately
    head = raw[:8192]
    if b"\x00" in head:
        return "binary input (NUL bytes)"
    controls = sum(1 for b in head if b < 32 and b not in (9, 10, 12, 13))
    if head and controls / len(head) > 0.05:
        return "binary input (control bytes)"
    return None


def decode(raw: bytes, source: str) -> str:
    """Decode text bytes: BOM, UTF-8, cp1252, latin-1 -- refusing binary and gibberish."""
    why = sniff_binary(raw)
    if why:
        raise ArticleError(source, why)
    for bom, codec in _BOMS:
        if raw.startswith(bom):
            try:
                return raw.decode(codec)
            except UnicodeDecodeError as exc:
                reason = f"undecodable text: bad {codec} ({exc.reason})"
                raise ArticleError(source, reason) from None
    for codec in ("utf-8", "cp1252"):
        try:
            return raw.decode(codec)
        except UnicodeDecodeError:
            continue
    text = raw.decode("latin-1")
    c1 = sum(1 for ch in text if "\x80" <= ch <= "\x9f")
    if c1 > max(3, len(text) // 100):  # a stray C1 byte is tolerable; many are gibberish
        raise ArticleError(source, "undecodable text: not UTF-8, cp1252 or latin-1")
    return text


# --- text cleanup ---------------------------------------------------------------------------


def _normalize_text(text: str) -> str:
    text = unicodedata.normalize("NFC", text).replace("\r\n", "\n").replace("\r", "\n")
    text = text.replace("\u00a0", " ")
    lines = [re.sub(r"[ \t\f\v]+", " ", line).strip() for line in text.split("\n")]
    return re.sub(r"\n{3,}", "\n\n", "\n".join(lines)).strip()


_QUOTES = "\"'“”‘’«»"


def _split_title(text: str) -> tuple[str | None, str]:
    """A first line that reads as a title becomes the title: short, not a sentence, and
    followed by more text."""
    first, _, rest = text.partition("\n")
    line = first.strip().lstrip("#").strip()
    if not rest.strip() or not line or len(line) > 200:
        return None, text
    bare = line.strip(_QUOTES).strip()
    sentence_like = bare.endswith((".", ",", ";", ":")) and len(bare.split()) > 12
    if sentence_like or len(bare.split()) < 2:
        return None, text
    return bare, rest.strip()


def _slug(text: str) -> str:
    slug = re.sub(r"[^A-Za-z0-9._-]+", "-", unicodedata.normalize("NFKD", text))
    return slug.strip("-._")[:80] or "article"


def _id_from(source: str, text: str) -> str:
    if source.startswith("<"):
        return "text-" + hashlib.sha256(text.encode()).hexdigest()[:12]
    return _slug(Path(source.split("#", 1)[0]).stem)


# --- HTML -----------------------------------------------------------------------------------

_DROP_TAGS = ["script", "style", "noscript", "template", "svg", "iframe", "nav", "footer",
              "header", "aside", "form", "button", "figure", "menu", "dialog"]
_BLOCK_TAGS = ["p", "div", "section", "article", "main", "li", "ul", "ol", "blockquote", "pre",
               "h1", "h2", "h3", "h4", "h5", "h6", "tr", "table", "dd", "dt", "figcaption"]
_BOILERPLATE = re.compile(r"(^|[\s_-])(nav|menu|footer|sidebar|cookie|subscribe|share|social|"
                          r"related|comments?|advert|ad-slot|promo|newsletter|breadcrumb)", re.I)


def html_to_text(html: str) -> tuple[str | None, str]:
    """The visible article text of an HTML page, and its title."""
    from bs4 import BeautifulSoup

    soup = BeautifulSoup(html, "html.parser")
    for tag in soup(_DROP_TAGS):
        tag.decompose()
    for tag in soup.find_all(None, attrs={"aria-hidden": "true"}):
        tag.decompose()
    for tag in soup.find_all(True):
        if tag.attrs is None:  # already removed with a parent
            continue
        classes = cast("list[str]", tag.get("class") or [])
        marks = " ".join([*classes, cast(str, tag.get("id", "")), cast(str, tag.get("role", ""))])
        if tag.name not in ("body", "html", "article", "main") and _BOILERPLATE.search(marks):
            tag.decompose()
    title = None
    meta = soup.find("meta", attrs={"property": "og:title"})
    h1 = soup.find("h1")
    if h1 and h1.get_text(strip=True):
        title = h1.get_text(" ", strip=True)
        h1.decompose()
    elif meta and meta.get("content"):
        title = str(meta["content"]).strip()
    elif soup.title and soup.title.string:
        title = soup.title.string.strip()
    root = soup.find("article") or soup.find("main") or soup.body or soup
    for br in root.find_all("br"):
        br.replace_with("\n")
    for tag in root.find_all(_BLOCK_TAGS):
        tag.insert_before("\n\n")
        tag.insert_after("\n\n")
    return title, _normalize_text(root.get_text())


# --- files ----------------------------------------------------------------------------------


def _article_from_record(rec: Any, source: str, fallback_id: str) -> Article:
    if not isinstance(rec, dict):
        raise ArticleError(source, "JSON article must be an object with a 'body' or 'text' field")
    body = rec.get("body") or rec.get("text") or rec.get("content")
    if not isinstance(body, str) or not body.strip():
        raise ArticleError(source, "JSON article has no 'body' or 'text' string")
    title = rec.get("title")
    rid = rec.get("id")
    return Article.from_text(
        body,
        source=source,
        title=str(title).strip() if title else None,
        id=_slug(str(rid)) if rid not in (None, "") else fallback_id,
        date=str(rec["date"]) if rec.get("date") else None,
        url=str(rec["url"]) if rec.get("url") else None,
    )


def _regular_size(path: Path) -> int:
    """The size of a regular file, from one stat (a FIFO or a folder is refused before any
    open); what `Path.is_file` reads as "no file" is not a regular file here either."""
    try:
        info = path.stat()
    except OSError as exc:
        if exc.errno in _NO_FILE:
            raise ArticleError(str(path), "not a regular file") from None
        raise
    if not stat.S_ISREG(info.st_mode):
        raise ArticleError(str(path), "not a regular file")
    return info.st_size


_NO_FILE = frozenset({errno.ENOENT, errno.ENOTDIR, errno.EBADF, errno.ELOOP})


def read_bytes(path: Path, max_bytes: int = MAX_BYTES) -> bytes:
    """Read a file, refusing what is not a readable regular file or is too large."""
    source = str(path)
    try:
        size = _regular_size(path)
        if size > max_bytes:
            raise ArticleError(source, f"too large: {size:,} bytes (limit {max_bytes:,})")
        raw = path.read_bytes()
    except OSError as exc:
        raise ArticleError(source, f"cannot read: {exc.strerror or exc}") from None
    if not raw.strip():
        raise ArticleError(source, "empty file")
    return raw


def parse_article(raw: bytes, source: str, suffix: str = ".txt") -> Article:
    """Turn one file's bytes into an Article by its suffix (.txt/.md/.html/.json)."""
    text = decode(raw, source)
    suffix = suffix.lower()
    if suffix in HTML_SUFFIXES or (suffix not in JSON_SUFFIXES and _looks_like_html(text)):
        title, body = html_to_text(text)
        if not body:
            raise ArticleError(source, "HTML page has no visible article text")
        from .text.dates import html_published

        return Article.from_text(body, source=source, title=title or None,
                                 date=html_published(text))
    if suffix in JSON_SUFFIXES:
        try:
            rec = json.loads(text)
        except json.JSONDecodeError as exc:
            raise ArticleError(source, f"invalid JSON: {exc.msg} at line {exc.lineno}") from None
        return _article_from_record(rec, source, _id_from(source, text))
    return Article.from_text(text, source=source)


def _looks_like_html(text: str) -> bool:
    head = text.lstrip()[:200].lower()
    return head.startswith(("<!doctype html", "<html"))


def load_article(path: str | Path, max_bytes: int = MAX_BYTES) -> Article:
    """Load one article file. Raises ArticleError naming the file and the reason."""
    path = Path(path)
    if path.suffix.lower() in JSONL_SUFFIXES:
        raise ArticleError(str(path), "a JSONL file holds many articles: use iter_jsonl()")
    return parse_article(read_bytes(path, max_bytes), str(path), path.suffix)


def iter_jsonl(path: str | Path, max_bytes: int = 50 * MAX_BYTES
               ) -> Iterator[Article | ArticleError]:
    """Articles of a JSONL file, one per line; a bad line yields its error, not a stop."""
    path = Path(path)
    text = decode(read_bytes(path, max_bytes), str(path))
    for lineno, line in enumerate(text.splitlines(), start=1):
        if line.strip():
            yield jsonl_article(line, path, lineno)


def jsonl_article(line: str, path: Path, lineno: int) -> Article | ArticleError:
    """Line `lineno` of the JSONL file `path` as an Article, or the reason it is none."""
    source = f"{path}#{lineno}"
    try:
        return _article_from_record(json.loads(line), source, f"{_slug(path.stem)}-{lineno}")
    except json.JSONDecodeError as exc:
        return ArticleError(source, f"invalid JSON: {exc.msg}")
    except ArticleError as exc:
        return exc
