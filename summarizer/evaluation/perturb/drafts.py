"""The drafts cases are written into: the gold as a draft, reduced to what one fact needs, and
the quote variants models produce (which grounding must still accept).
"""

from __future__ import annotations

import copy
import re
from collections.abc import Callable, Iterator, Sequence
from typing import Any

from ...article import Article
from ..gold import Gold
from .labels import written

__all__ = ["VARIANTS", "actor_draft", "base_draft", "counts_draft", "quote_variants", "quoted",
           "replace_record"]


def base_draft(gold: Gold, article: Article) -> dict[str, Any]:
    """The gold brief as draft JSON: ranges dropped, aliases the article writes (up to 5)."""
    data = gold.brief.model_dump(mode="json")
    for actor in data["actors"]:
        actor["aliases"] = [a for a in actor["aliases"] if written(a, article)][:5]
    for count in _count_dicts(data):
        count.pop("low", None)
        count.pop("high", None)
    for item in [*data["actors"], *data["casualties"], *data["arrests"],
                 data["diplomatic_significance"]]:
        for ev in item["evidence"]:
            ev.pop("where", None)  # a draft's quote is a quote: grounding finds where it is
    return data


def _count_dicts(data: dict[str, Any]) -> Iterator[dict[str, Any]]:
    for rec in data["casualties"]:
        yield from (rec[s] for s in ("killed", "wounded") if rec[s] is not None)
    yield from (a["count"] for a in data["arrests"] if a["count"] is not None)


def counts_draft(data: dict[str, Any]) -> dict[str, Any]:
    """What count cases ground: every casualty and arrest record (the count checks and the
    part-as-total check read them all), no actors, no significance quotes."""
    out = copy.deepcopy(data)
    out["actors"] = []
    out["diplomatic_significance"]["evidence"] = []
    return out


def actor_draft(data: dict[str, Any], actor: dict[str, Any]) -> dict[str, Any]:
    """What a name case grounds: the one actor, as `actors[0]`, and nothing else."""
    out = {**data, "actors": [copy.deepcopy(actor)], "casualties": [], "arrests": []}
    out["diplomatic_significance"] = {**data["diplomatic_significance"], "evidence": []}
    return out


# --- model-style quote variants (the correct class) -----------------------------------------

_TO_CURLY = str.maketrans({'"': "“", "'": "’"})
_TO_STRAIGHT = str.maketrans({"“": '"', "”": '"', "‘": "'", "’": "'"})


def _swap_marks(q: str) -> str:
    if any(c in q for c in "“”‘’"):
        return q.translate(_TO_STRAIGHT)
    out, opening = [], True
    for c in q:  # straight double quotes become an opening/closing pair
        if c == '"':
            out.append("“" if opening else "”")
            opening = not opening
        else:
            out.append(c.translate(_TO_CURLY))
    return "".join(out)


VARIANTS: dict[str, Callable[[str], str]] = {
    "verbatim": lambda q: q,
    "whitespace": lambda q: q.replace(", ", ",  ").replace(" ", "\n", 1),
    "quote_marks": _swap_marks,
    "case": str.lower,
    "trailing_period": lambda q: q[:-1] if q.endswith(".") else q + ".",
    "dashes": lambda q: re.sub(r"\s*[—–]\s*", " - ", q),
    "wrapped": lambda q: f'"{q}"',
}
"""Ways models copy a quote that grounding must still accept (a no-op variant is skipped)."""


def quoted(quotes: Sequence[str]) -> list[dict[str, str]]:
    """Quotes as evidence items, cut to the schema's 300 characters."""
    return [{"quote": q[:300]} for q in quotes]


def replace_record(base: dict[str, Any], section: str, i: int, **changes: Any) -> dict[str, Any]:
    """`base` with record `section[i]` changed; shares everything else (validation copies
    it into a new draft, so nothing is ever mutated)."""
    records = list(base[section])
    records[i] = {**records[i], **changes}
    return {**base, section: records}


def quote_variants(record: dict[str, Any]) -> Iterator[tuple[str, list[str]]]:
    """The record's quotes under each of `VARIANTS` that changes them (verbatim first)."""
    quotes = [e["quote"] for e in record["evidence"]]
    seen: set[tuple[str, ...]] = set()
    for name, fn in VARIANTS.items():
        changed = [fn(q) for q in quotes]
        if tuple(changed) not in seen:
            seen.add(tuple(changed))
            yield name, changed
