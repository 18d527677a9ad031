"""What a score holds: additive counts under the keys `metrics.METRICS` divides, and a
field-level diff with an error category for every scored element."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from ...brief import Count, Total

__all__ = ["ArticleScore", "FieldDiff", "plain", "show"]


@dataclass(frozen=True)
class FieldDiff:
    """One scored element: where it is, how it went, and both sides as short text."""

    field: str
    path: str
    category: str
    gold: str | None = None
    pred: str | None = None


@dataclass
class ArticleScore:
    """One article's additive counts and diffs, as the section scorers add them."""

    article_id: str
    valid: bool
    counts: dict[str, float] = field(default_factory=dict)
    diffs: list[FieldDiff] = field(default_factory=list)

    def add(self, key: str, amount: float = 1.0) -> None:
        self.counts[key] = self.counts.get(key, 0.0) + amount

    def diff(self, field_: str, path: str, category: str, gold: Any = None,
             pred: Any = None) -> None:
        self.diffs.append(FieldDiff(field_, path, category, show(gold), show(pred)))


def show(value: Any) -> str | None:
    if value is None:
        return None
    if isinstance(value, Count):
        qual = "" if value.qualifier.value == "exact" else f"{value.qualifier.value} "
        return f"{qual}{value.value}"
    if isinstance(value, Total):
        text = str(value.low) if value.low == value.high else f"{value.low}-{value.high}"
        return f"at least {text}" if value.at_least else text
    return str(value)


def plain(value: Any) -> Any:
    return getattr(value, "value", value)  # enum members show as their value
