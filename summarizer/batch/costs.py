"""What a run will cost, before it runs (--dry-run, --max-cost) and after (run.json).

Token counts before a call are estimates (4 characters a token); after a call they are the
server's, cached input tokens apart (billed lower). Prices come from genai-prices, the table
Pydantic maintains and ships inside its wheel: read from the installed package, never
fetched (its auto-update, `UpdatePrices`, is a separate opt-in that nothing here starts).
A model string is priced as `providers.price_ref` reads it; a model the table does not list
has no price, "unknown", never $0. In-process backends cost nothing, and say so.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass
from typing import Literal

from ..article import Article
from ..backends.base import Backend
from ..backends.providers import price_ref
from ..prompts import PromptTemplate

EST_OUTPUT_TOKENS = 900  # a full brief, for planning
CostStatus = Literal["priced", "unknown", "free"]


@dataclass(frozen=True)
class Cost:
    """USD, or None when unknown; `status` says which ("free": in process, no API)."""

    usd: float | None
    status: CostStatus

    def label(self) -> str:
        if self.status == "free":
            return "$0 (in process)"
        return "unknown price" if self.usd is None else f"~${self.usd:.4f}"


def estimate_tokens(article: Article, prompt: PromptTemplate) -> int:
    """Rough prompt tokens for planning; not billing."""
    return sum(len(m["content"]) for m in prompt.render(article)) // 4 + 16


@functools.lru_cache(maxsize=1024)  # a budget check prices every article of a run
def _price(provider_id: str, model: str, prompt_tokens: int, completion_tokens: int,
           cached_tokens: int, batch: bool = False) -> float | None:
    from genai_prices import Usage, calc_price  # 0.4 s to import: only when pricing

    usage = Usage(input_tokens=prompt_tokens, cache_read_tokens=min(cached_tokens, prompt_tokens),
                  output_tokens=completion_tokens)
    context = {"processing": "batch"} if batch else None  # the table's batch rates
    try:
        return float(calc_price(usage, model, provider_id=provider_id,
                                price_context=context).total_price)
    except LookupError:  # no such provider or model in the table
        return None


def estimate_cost(model: str, prompt_tokens: int, completion_tokens: int,
                  cached_tokens: int = 0, *, batch: bool = False) -> float | None:
    """USD for these tokens (`cached_tokens` of the prompt read from a cache), or None when
    the model's price is unknown. `batch`: at the table's batch rate where it lists one
    (batch_api/pricing.py decides what to do where it does not)."""
    provider_id, ref = price_ref(model)
    if provider_id is None:
        return None
    return _price(provider_id, ref, prompt_tokens, completion_tokens, cached_tokens, batch)


def backend_cost(backend: Backend, prompt_tokens: int, completion_tokens: int,
                 cached_tokens: int = 0) -> Cost:
    """What these tokens cost on this backend: free in process, else priced or unknown."""
    if not backend.remote:
        return Cost(0.0, "free")
    usd = estimate_cost(backend.model, prompt_tokens, completion_tokens, cached_tokens)
    return Cost(usd, "unknown" if usd is None else "priced")
