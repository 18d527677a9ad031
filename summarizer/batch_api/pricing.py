"""What a batch cost, beside what the same tokens cost live.

genai-prices (0.2.3 and later) lists batch rates as a price variant (`processing: batch`)
for the providers that publish them, OpenAI's and Anthropic's models included. A model the
table prices but with no batch rate is charged the providers' documented Batch API discount,
50 % of the list price (platform.openai.com/docs/guides/batch, docs.claude.com "Batch
processing"), and run.json says which of the two it used. A model with no price: unknown.
"""

from __future__ import annotations

from typing import Any

from ..backends.base import Usage
from ..batch.costs import estimate_cost

DISCOUNT = 0.5
_PROBE = 1_000_000  # tokens: enough for a batch rate to differ from the list rate


def batch_rate_listed(model: str) -> bool:
    """Whether genai-prices has a batch rate for `model` (below its list rate)."""
    standard = estimate_cost(model, _PROBE, _PROBE)
    batch = estimate_cost(model, _PROBE, _PROBE, batch=True)
    return standard is not None and batch is not None and batch < standard


def batch_prices(model: str, batch: Usage, live: Usage) -> dict[str, Any]:
    """USD of `batch` tokens at the batch rate plus `live` tokens (live retries) at the list
    rate, and what all of them would have cost live."""
    listed = batch_rate_listed(model)
    standard = estimate_cost(model, batch.prompt_tokens, batch.completion_tokens,
                             batch.cached_tokens)
    if standard is None:
        return {"cost_usd": None, "live_cost_usd": None,
                "price": f"unknown: genai-prices has no price for {model}"}
    if listed:
        batch_usd = estimate_cost(model, batch.prompt_tokens, batch.completion_tokens,
                                  batch.cached_tokens, batch=True) or 0.0
        source = "genai-prices batch rate"
    else:
        batch_usd = standard * DISCOUNT
        source = ("50 % of the genai-prices list price: the provider's documented Batch API "
                  "discount (the table has no batch rate for this model)")
    live_usd = estimate_cost(model, live.prompt_tokens, live.completion_tokens,
                             live.cached_tokens) or 0.0
    all_live = standard + live_usd
    return {"cost_usd": round(batch_usd + live_usd, 6), "batch_cost_usd": round(batch_usd, 6),
            "live_retry_cost_usd": round(live_usd, 6), "live_cost_usd": round(all_live, 6),
            "price": source}
