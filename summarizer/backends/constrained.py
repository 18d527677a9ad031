"""The `constrained` backend (formerly `grounded`): the local model decoding under a grammar
made for each article, so quotes, names and counts can only be the article's own.

Constrained decoding happens before the model writes; grounding (summarizer/grounding) checks
a brief after it is written. This backend is the first: it stops invented figures, not
misread ones (see README, "Which model writes the brief").
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, ClassVar

from ..article import Article
from ..brief import BriefDraft
from ..constrained import grounded_schema
from .local import LocalBackend, compile_grammar


@dataclass
class ConstrainedBackend(LocalBackend):
    """LocalBackend with a per-article grammar (constrained.grounded_schema)."""

    name: ClassVar[str] = "constrained"
    decoding: ClassVar[str] = "constrained grammar"
    _per_article: dict[str, tuple[Any, str]] = field(default_factory=dict, init=False,
                                                     repr=False)

    def grammar(self, article: Article | None = None) -> tuple[Any, str]:
        if article is None:
            return super().grammar()
        key = article.content_hash
        if key not in self._per_article:
            self._per_article[key] = compile_grammar(
                grounded_schema(article, BriefDraft.model_json_schema()))
        return self._per_article[key]
