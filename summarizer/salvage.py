"""Salvage: the last answer of a brief whose re-asks ran out, kept when only bounds failed.

Every backend's re-ask loop (backends/remote.py, backends/openai.py, backends/local.py) and
each provider's Batch API reader call `salvage` once, after the last attempt failed
validation. The answer is kept when each of its problems is one of these:

    a free-text string past its `max_length` (headline, summary, labels, names, aliases,
    parties, date_text...)     cut at a word boundary to fit     flag `text_cut`
    a `date` that is not ISO (YYYY-MM-DD)                        set to null     flag `date_nulled`

Each flag names the field (its path in the brief) and says what was done. Anything else --
a quote past its bound, a count out of range, an unknown enum value, a missing or extra key,
a list with too many items, an empty required string, JSON that does not parse -- is never
salvaged: the brief fails as before. What is returned validates as the model asked for, so
the stored `Brief` satisfies every bound of its schema.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Generic, TypeVar

from pydantic import BaseModel, ValidationError

if TYPE_CHECKING:
    from .brief import Flag

M = TypeVar("M", bound=BaseModel)

NEVER_CUT = frozenset({"quote"})  # evidence must stay verbatim and whole
ISO_DATES = frozenset({"date"})  # fields set to null when they hold no ISO date
_TRAILING = " \t\n,;:-–—(/"


@dataclass
class Salvaged(Generic[M]):
    """A draft kept by salvage, and the flags that say what was cut or dropped."""

    value: M
    flags: list[Flag] = field(default_factory=list)

    def note(self) -> str:
        """One line for the provenance."""
        cut = sum(f.code == "text_cut" for f in self.flags)
        dates = sum(f.code == "date_nulled" for f in self.flags)
        return (f"salvaged after the last re-ask: {cut} over-long text field(s) cut, "
                f"{dates} non-ISO date(s) set to null")


def salvage(model: type[M], raw: str | None) -> Salvaged[M] | None:
    """`raw` (the last answer's JSON) as a valid `model`, when its only problems are the
    ones this module repairs; None when there is nothing to salvage or it cannot be."""
    if not raw:
        return None
    try:
        data = json.loads(raw, strict=False)
    except ValueError:
        return None
    if not isinstance(data, dict):
        return None
    from .grounding.flags import FlagSink  # not at import: grounding loads text tooling

    sink = FlagSink()
    for _ in range(3):  # a repair never creates a new problem; bounded all the same
        try:
            value = model.model_validate(data)
        except ValidationError as exc:
            errors = exc.errors()
        else:
            return Salvaged(value, sink.ordered()) if sink.flags else None
        if not all(_repair(data, error, sink) for error in errors):
            return None
    return None


def _repair(data: dict[str, Any], error: Any, flag: Any) -> bool:
    """Repair one validation error in place (and flag it); False when it may not be."""
    loc = tuple(error.get("loc") or ())
    names = [part for part in loc if isinstance(part, str)]
    if not names or error.get("type") not in ("string_too_long", "string_pattern_mismatch"):
        return False
    parent, key = _locate(data, loc)
    if parent is None or not isinstance(parent[key], str):
        return False
    text: str = parent[key]
    path = _path(loc)
    if names[-1] in ISO_DATES and loc[-1] == names[-1]:
        parent[key] = None
        flag("date_nulled", path, f"not an ISO date (YYYY-MM-DD): {text[:60]!r}; set to null")
        return True
    if error["type"] != "string_too_long" or names[-1] in NEVER_CUT:
        return False
    bound = int((error.get("ctx") or {}).get("max_length", 0))
    if bound <= 0:
        return False
    parent[key] = cut_at_word(text, bound)
    flag("text_cut", path, f"{len(text)} characters, over its bound of {bound}: cut at a "
                           f"word boundary to {len(parent[key])}")
    return True


def cut_at_word(text: str, bound: int) -> str:
    """`text` shortened to at most `bound` characters, at the last word boundary that fits
    (a single word longer than the bound is cut inside it)."""
    if len(text) <= bound:
        return text
    head = text[:bound]
    if not text[bound].isspace():
        space = max(head.rfind(" "), head.rfind("\n"), head.rfind("\t"))
        if space > 0:
            head = head[:space]
    return head.rstrip(_TRAILING) or text[:bound]


def _locate(data: Any, loc: tuple[Any, ...]) -> tuple[Any, Any]:
    """(the container holding `loc`'s value, its key or index), or (None, None)."""
    node = data
    for part in loc[:-1]:
        try:
            node = node[part]
        except (KeyError, IndexError, TypeError):
            return None, None
    last = loc[-1] if loc else None
    if isinstance(node, dict) and last in node:
        return node, last
    if isinstance(node, list) and isinstance(last, int) and 0 <= last < len(node):
        return node, last
    return None, None


def _path(loc: tuple[Any, ...]) -> str:
    """A brief path as flags write it: casualties[0].date_text, actors[1].aliases[0]."""
    out = ""
    for part in loc:
        out += f"[{part}]" if isinstance(part, int) else (f".{part}" if out else str(part))
    return out
