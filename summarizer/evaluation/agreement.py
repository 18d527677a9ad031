"""Agreement between two labelings of the same articles (issue 8, item 3).

A second labeler writes `evals/gold-second/` from the text and the labeling guide alone, with
the same file names as `evals/gold/`. Labeling B is scored as a prediction against labeling A
by the harness's own scorer (`score_article`), so "agreement" means exactly what the eval's
metrics mean. Where that scoring is one-sided (a count's exactness is divided by A's figures),
the symmetric F1 is reported beside it: 2 * matches / (A's items + B's items), the same figure
whichever labeling is called gold.

    agreement_report("evals")  # None when there is no gold-second/ folder

Fields: actors by name (F1), casualty killed and wounded per record (exact, symmetric F1),
totals (exact, per article), arrest presence (agreement and F1) and the significance level
(agreement), each with numerator and denominator, over the `n_articles` both labeled. The
second folder may be partial or being written: files that do not load yet are listed under
`unreadable`, files with no counterpart under `only_a` / `only_b`, and neither stops the report.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from rich.table import Table

from ..article import load_article
from ..errors import ConfigurationError
from .gold import Gold, gold_to_brief, load_gold
from .scorers import ArticleScore, score_article
from .similarity import LexicalSimilarity

__all__ = ["SECOND", "agreement", "agreement_report", "render_markdown", "render_table"]

SECOND = "gold-second"


def _ratio(num: float, den: float) -> dict[str, Any]:
    return {"num": num, "den": den, "value": num / den if den else None}


def _sum(scores: list[ArticleScore], key: str) -> float:
    return sum(s.counts.get(key, 0.0) for s in scores)


def agreement(pairs: list[tuple[str, Gold, Gold, Any]]) -> dict[str, dict[str, Any]]:
    """Per-field agreement of labelings (article id, A, B, article), B scored against A."""
    # Text fields are not reported, so the cheap lexical similarity is enough to run the
    # scorer (e5 would load a model for nothing).
    sim = LexicalSimilarity()
    scores = [score_article(aid, a.brief, a.totals, gold_to_brief(b.brief), article, sim)
              for aid, a, b, article in pairs]

    def s(key: str) -> float:
        return _sum(scores, key)

    n = float(len(scores))
    fields: dict[str, dict[str, Any]] = {
        "actors.name.f1": _ratio(2 * s("actors.name.tp"), s("actors.gold") + s("actors.pred")),
    }
    for slot in ("killed", "wounded"):
        p = f"casualties.{slot}"
        fields[f"{p}.exact"] = _ratio(s(f"{p}.exact"), s(f"{p}.gold"))
        fields[f"{p}.exact_f1"] = _ratio(2 * s(f"{p}.exact"), s(f"{p}.gold") + s(f"{p}.pred"))
    p = "arrests.count"
    fields[f"{p}.exact"] = _ratio(s(f"{p}.exact"), s(f"{p}.gold"))
    fields[f"{p}.exact_f1"] = _ratio(2 * s(f"{p}.exact"), s(f"{p}.gold") + s(f"{p}.pred"))
    for total in ("killed", "wounded", "arrested"):
        fields[f"totals.{total}.exact"] = _ratio(s(f"totals.{total}.exact"), n)
    tp, ga, gb = s("arrests.presence.tp"), s("arrests.presence.gold"), s("arrests.presence.pred")
    # Articles where both say arrests, plus those where neither does.
    fields["arrests.presence.agreement"] = _ratio(tp + (n - ga - gb + tp), n)
    fields["arrests.presence.f1"] = _ratio(2 * tp, ga + gb)
    fields["significance.level.agreement"] = _ratio(s("significance.level_ok"), n)
    return fields


def agreement_report(dataset: str | Path, second: str = SECOND) -> dict[str, Any] | None:
    """The "agreement" section for `dataset/gold/` against `dataset/<second>/`; None when the
    second folder does not exist."""
    root = Path(dataset)
    dir_a, dir_b = root / "gold", root / second
    if not dir_b.is_dir():
        return None
    names_a = {p.name for p in dir_a.glob("*.json")}
    names_b = {p.name for p in dir_b.glob("*.json")}
    pairs, unreadable = [], []
    for name in sorted(names_a & names_b):
        try:  # the second labeler may be writing this file right now
            a, b = load_gold(dir_a / name), load_gold(dir_b / name)
            if a.article != b.article:
                raise ConfigurationError(f"{name}: labels {a.article} and {b.article}")
            article = load_article(root / "articles" / a.article)
        except (ConfigurationError, OSError) as exc:
            unreadable.append(f"{name}: {str(exc)[:200]}")
            continue
        pairs.append((a.article_id, a, b, article))
    return {
        "a": str(dir_a), "b": str(dir_b),
        "n_articles": len(pairs),
        "articles": [p[0] for p in pairs],
        "only_a": sorted(names_a - names_b),
        "only_b": sorted(names_b - names_a),
        "unreadable": unreadable,
        "fields": agreement(pairs) if pairs else {},
    }


def _fmt(r: dict[str, Any]) -> str:
    value = "n/a" if r["value"] is None else f"{r['value']:.3f}"
    return f"{r['num']:g}/{r['den']:g} = {value}"


def render_markdown(section: dict[str, Any]) -> list[str]:
    """The report.md lines for the "agreement" section."""
    lines = ["", "## Agreement between two labelings", "",
             f"- `{section['a']}` (A) against `{section['b']}` (B, scored as a prediction): "
             f"{section['n_articles']} articles labeled by both; `_f1` figures are symmetric",
             f"- only in A: {len(section['only_a'])}, only in B: {len(section['only_b'])}, "
             f"not readable yet: {len(section['unreadable'])}", "",
             "| field | agreement |", "|---|---|"]
    lines += [f"| {k} | {_fmt(r)} |" for k, r in section["fields"].items()]
    return lines


def render_table(section: dict[str, Any]) -> Table:
    """The terminal table for the "agreement" section."""
    table = Table(title=f"agreement between two labelings: {section['n_articles']} articles")
    table.add_column("field")
    table.add_column("agreement", justify="right")
    for k, r in section["fields"].items():
        table.add_row(k, _fmt(r))
    return table
