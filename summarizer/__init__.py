"""summarizer: structured, evidence-backed briefs of news articles.

    from pathlib import Path
    from summarizer import summarize
    result = summarize(Path("article.txt"))    # BriefResult: .brief, .provenance
    result = summarize("Headline\n\nText.")   # a str is the article's text, never a path
"""

from ._version import __version__
from .article import Article, load_article
from .backends import BACKENDS, resolve_backend
from .backends.base import Backend, Settings
from .brief import Brief, BriefDraft, Totals, derive_totals
from .errors import (
    ArticleError,
    BackendError,
    ConfigurationError,
    ExtractionFailed,
    ReplayMissError,
    SummarizerError,
)
from .pipeline import BriefResult, Provenance, asummarize, summarize

__all__ = [
    "BACKENDS",
    "Article",
    "ArticleError",
    "Backend",
    "BackendError",
    "Brief",
    "BriefDraft",
    "BriefResult",
    "ConfigurationError",
    "ExtractionFailed",
    "Provenance",
    "ReplayMissError",
    "Settings",
    "SummarizerError",
    "Totals",
    "__version__",
    "asummarize",
    "derive_totals",
    "load_article",
    "resolve_backend",
    "summarize",
]
