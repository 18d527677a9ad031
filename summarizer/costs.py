"""What a run will cost, before it runs (--dry-run, --max-cost) and after (run.json).

Token counts before a call are estimates (4 characters a token); after a call they are the
server's. Prices are USD per million tokens.
"""

from __future__ import annotations

from .article import Article
from .backends.base import Backend
from .prompts import PromptTemplate

# USD per 1M tokens (input, output).
PRICES = {"gpt-4o-mini": (0.15, 0.60), "gpt-4o": (2.50, 10.00), "gpt-4.1": (2.00, 8.00),
          "gpt-4.1-mini": (0.40, 1.60), "gpt-4.1-nano": (0.10, 0.40)}
EST_OUTPUT_TOKENS = 900  # a full brief, for planning


def estimate_tokens(article: Article, prompt: PromptTemplate) -> int:
    """Rough prompt tokens for planning; not billing."""
    return sum(len(m["content"]) for m in prompt.render(article)) // 4 + 16


def estimate_cost(model: str, prompt_tokens: int, completion_tokens: int) -> float | None:
    """USD for these tokens, or None when the model's price is unknown."""
    price = PRICES.get(model)
    if price is None:
        return None
    return (prompt_tokens * price[0] + completion_tokens * price[1]) / 1_000_000


def run_cost(backend: Backend, prompt_tokens: int, completion_tokens: int) -> float | None:
    """What a finished run cost: nothing for an in-process backend."""
    if not backend.remote:
        return 0.0
    return estimate_cost(backend.model, prompt_tokens, completion_tokens)
