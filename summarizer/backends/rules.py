"""The `rules` backend: a brief read from the text itself, no model.

Deterministic and instant. It is the floor a model must beat, a baseline column in the eval
report and a second opinion for grounding. What the rules write, and how, is in
`summarizer.rules`; this module is the backend over them.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, ClassVar

from ..article import Article
from ..rules import rules_draft
from .base import Extraction, Settings, Usage

__all__ = ["RulesBackend", "rules_draft"]


@dataclass
class RulesBackend:
    """No model: `extract` reads the article with `rules_draft` and ignores the prompt."""

    name: ClassVar[str] = "rules"
    remote: ClassVar[bool] = False
    model: str = "rules-v1"

    def extract(self, article: Article, messages: list[dict[str, Any]],
                settings: Settings) -> Extraction:
        return Extraction(draft=rules_draft(article), usage=Usage(), attempts=1,
                          model=self.model, mode="rules")
