"""The `hybrid` backend: facts from the rules, prose from the local model.

The bundled 135M model cannot be trusted with facts -- under a full brief grammar it invents
counts and loops until max_tokens -- but it can write a headline and a summary. So the rules
backend reads casualties, arrests, actors and evidence from the text, and the model writes
only the headline, the summary and the diplomatic significance (level and summary) under a
small grammar: one short generation per article, sharing the same prompt prefix.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any, ClassVar

from pydantic import BaseModel, ConfigDict, Field

from ..article import Article
from ..brief import SignificanceLevel
from ..errors import ExtractionFailed
from ..prompts import PromptTemplate
from ..rules.certainty import rules_reading
from .base import Backend, Extraction, Message, Settings, Usage
from .local import LocalBackend, compile_grammar
from .rules import RulesBackend


class ProseDraft(BaseModel):
    """What the model writes in the hybrid: prose only."""

    model_config = ConfigDict(extra="forbid")

    headline: str = Field(min_length=1, max_length=120,
                          description="A factual headline; no name or number not in the article.")
    summary: str = Field(min_length=1, max_length=400,
                         description="One to three sentences summarizing the article.")
    significance_level: SignificanceLevel = Field(
        description="Diplomatic significance of the events: none, low, moderate or high.")
    significance_summary: str = Field(max_length=300,
                                      description="One sentence on why it matters diplomatically.")


@dataclass
class HybridBackend(Backend):
    """Rules for the facts, the local model for headline, summary and significance."""

    name: ClassVar[str] = "hybrid"

    local: LocalBackend
    model: str = ""
    _grammar: Any = field(default=None, init=False, repr=False)

    def __post_init__(self) -> None:
        self.model = self.model or f"{RulesBackend.model}+{self.local.model}"

    def prepare(self, articles: Sequence[Article], prompt: PromptTemplate,
                settings: Settings) -> None:
        self.local.reserve_context(articles, lambda a: self.render(a, prompt), settings)

    def identity(self) -> dict[str, Any]:
        return self.local.identity()

    def close(self) -> None:
        self.local.close()

    def extract(self, article: Article, prompt: PromptTemplate, settings: Settings,
                followup: Sequence[Message] = ()) -> Extraction:
        def render(text: str | None) -> list[Message]:
            return self.render(article, prompt, followup, text=text)

        facts = rules_reading(article).draft  # the pipeline marks its totals from it too
        if self._grammar is None:
            self._grammar = compile_grammar(ProseDraft.model_json_schema())
        try:
            prose = self.local.generate(article, render, settings, ProseDraft, self._grammar)
        except ExtractionFailed as exc:
            # The facts stand on their own: keep the rules' headline (the title) and summary
            # rather than lose the whole brief, and say so in the provenance.
            usage = exc.usage if isinstance(exc.usage, Usage) else Usage()
            return Extraction(draft=facts, usage=usage, attempts=exc.attempts,
                              model=self.model, mode="rules+prose grammar",
                              notes=[f"model prose failed: {str(exc)[:120]}; "
                                     "headline and summary are the rules'"])
        p = prose.value
        significance = facts.diplomatic_significance.model_copy(
            update={"level": p.significance_level,
                    "summary": p.significance_summary or facts.diplomatic_significance.summary})
        draft = facts.model_copy(update={"headline": p.headline, "summary": p.summary,
                                         "diplomatic_significance": significance})
        flags = [f.model_copy(update={"path": _PROSE_PATHS.get(f.path, f.path)})
                 for f in prose.flags]  # salvage's, in the brief's paths
        return Extraction(draft=draft, usage=prose.usage, attempts=prose.attempts,
                          model=self.model, mode="rules+prose grammar", raw=prose.raw,
                          notes=prose.notes, flags=flags)


_PROSE_PATHS = {"significance_summary": "diplomatic_significance.summary"}
