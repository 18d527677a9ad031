"""summarizer: structured, evidence-backed briefs of news articles.

    from pathlib import Path
    from summarizer import summarize
    result = summarize(Path("article.txt"))    # BriefResult: .brief, .provenance
    result = summarize("Headline\n\nText.")   # a str is the article's text, never a path

The names below are loaded when first used (PEP 562): `import summarizer` and
`summarizer --help` do not pay for pydantic models, the pipeline or any SDK they never touch.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

from ._version import __version__

if TYPE_CHECKING:  # what a type checker and an IDE see; at run time, __getattr__ below
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
    from .spec import Spec, spec_from_env

# public name -> the module (relative to this package) that defines it
_LAZY: dict[str, str] = {
    "Article": "article", "load_article": "article",
    "BACKENDS": "backends", "resolve_backend": "backends",
    "Backend": "backends.base", "Settings": "backends.base",
    "Brief": "brief", "BriefDraft": "brief", "Totals": "brief", "derive_totals": "brief",
    "ArticleError": "errors", "BackendError": "errors", "ConfigurationError": "errors",
    "ExtractionFailed": "errors", "ReplayMissError": "errors", "SummarizerError": "errors",
    "BriefResult": "pipeline", "Provenance": "pipeline", "asummarize": "pipeline",
    "summarize": "pipeline", "Spec": "spec", "spec_from_env": "spec",
}

# written out (not derived from _LAZY) so that linters and type checkers read it
__all__ = ["BACKENDS", "Article", "ArticleError", "Backend", "BackendError", "Brief",
    "BriefDraft", "BriefResult", "ConfigurationError", "ExtractionFailed", "Provenance",
    "ReplayMissError", "Settings", "Spec", "SummarizerError", "Totals", "__version__",
    "asummarize", "derive_totals", "load_article", "resolve_backend", "spec_from_env",
    "summarize"]


def __getattr__(name: str) -> Any:
    module = _LAZY.get(name)
    if module is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    value = getattr(importlib.import_module(f".{module}", __name__), name)
    globals()[name] = value  # the next lookup is an ordinary attribute
    return value


def __dir__() -> list[str]:
    return sorted({*globals(), *_LAZY})
