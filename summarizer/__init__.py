"""summarizer: structured, evidence-backed briefs of news articles.

    from summarizer import summarize
    result = summarize("article.txt")          # BriefResult: .brief, .provenance
"""

__version__ = "0.1.0"

from .article import Article, load_article  # noqa: E402
from .backends import BACKENDS, resolve_backend  # noqa: E402
from .backends.base import Backend, Settings  # noqa: E402
from .brief import Brief, BriefDraft, Totals, derive_totals  # noqa: E402
from .errors import (  # noqa: E402
    ArticleError,
    BackendError,
    ConfigurationError,
    ExtractionFailed,
    ReplayMissError,
    SummarizerError,
)
from .pipeline import BriefResult, Provenance, asummarize, summarize  # noqa: E402

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
