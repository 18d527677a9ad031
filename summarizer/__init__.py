"""summarizer: structured, evidence-backed briefs of news articles."""

__version__ = "0.1.0"

from .article import Article, load_article
from .brief import Brief, BriefDraft, Totals, derive_totals
from .errors import (
    ArticleError,
    BackendError,
    ConfigurationError,
    ExtractionFailed,
    SummarizerError,
)

__all__ = [
    "Article",
    "ArticleError",
    "BackendError",
    "Brief",
    "BriefDraft",
    "ConfigurationError",
    "ExtractionFailed",
    "SummarizerError",
    "Totals",
    "derive_totals",
    "load_article",
]
