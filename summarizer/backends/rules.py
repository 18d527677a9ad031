"""The `rules` backend: a brief read from the text itself, no model.

Deterministic and instant. It is the floor a model must beat, a baseline column in the eval
report and a second opinion for grounding. What the rules write, and how, is in
`summarizer.rules`; this module is the backend over them.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import ClassVar

from ..article import Article
from ..prompts import PromptTemplate
from ..rules import rules_draft
from ..rules.certainty import rules_reading
from .base import Extraction, InProcessBackend, Message, Settings, Usage

__all__ = ["RulesBackend", "rules_draft"]


@dataclass
class RulesBackend(InProcessBackend):
    """No model: `extract` reads the article with `rules_draft` and ignores the prompt."""

    name: ClassVar[str] = "rules"
    model: str = "rules-v1"

    def extract(self, article: Article, prompt: PromptTemplate, settings: Settings,
                followup: Sequence[Message] = ()) -> Extraction:
        return Extraction(draft=rules_reading(article).draft, usage=Usage(), attempts=1,
                          model=self.model, mode="rules")
