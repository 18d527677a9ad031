"""Provider Batch APIs (`summarizer run ... --batch-api`): OpenAI's Files + Batches and
Anthropic's Message Batches, at about half the price of live calls, results within 24 h.

    options.py    BatchAPIOptions: retry mode, polling, the providers' limits (tests: tiny)
    base.py       what a provider writes: one request line, submit, poll, read results
    openai.py     Files + Batches over the openai SDK (chat_wire.py's requests and parsing)
    anthropic.py  Message Batches over the anthropic SDK (the live backend's request)
    state.py      OUT/batches.json: batch ids written as soon as they exist (resume)
    flow.py       split, submit, poll, collect, retry once, price; results through BatchRun
"""

from __future__ import annotations

from .options import BatchAPIOptions

__all__ = ["BatchAPIOptions"]
