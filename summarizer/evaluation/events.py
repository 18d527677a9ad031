"""Scoring event grouping against gold: `summarizer eval --dataset evals/events`.

An events dataset is a folder with `articles/` (one JSON article each: id, title, date, text)
and `gold.json`: `{"events": [{"id", "split", "articles": [ids], "killed", "wounded",
"arrested", "sources"}], "no_event": [ids]}` -- every article in exactly one gold event, or in
`no_event` (it tells of no incident). Each split (dev, test) is grouped and scored apart, as a
corpus of its own. A figure is the consolidated total the articles support
by the rule in summarizer/events/consolidate.py (the latest figure where one revises another),
or null when no article gives one.

Metrics, each with a 95% percentile bootstrap CI (`stats.DEFAULT_RESAMPLES` resamples, seeded):

- B-cubed precision, recall and F1 of article -> event grouping (each article's main
  incident), over the articles of gold events; an article the briefs give no incident is its
  own singleton. Per article: precision = |its predicted event ∩ its gold event| / |its
  predicted event| (predicted events cut to the scored articles), recall the same over its
  gold event; the corpus value is the mean over articles, the CI resamples articles.
- Exact match of the consolidated totals (killed, wounded) and of `sources`: for each gold
  event that states it, the predicted event holding most of its articles must give exactly
  that figure (low == high == gold). Resampled over gold events.

Two reference groupings are scored beside each configuration: every article alone, and
articles grouped by their first place and their publication date.
"""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

from ..article import Article, load_article
from ..errors import ConfigurationError
from ..events import group_items, item_of
from ..events.items import Item
from . import stats

__all__ = ["EventsGold", "bcubed", "evaluate_events", "is_events_dataset",
           "load_events_gold", "totals_match"]

FIGURES = ("killed", "wounded")


@dataclass(frozen=True)
class EventsGold:
    articles: list[Article]
    event_of: dict[str, str]  # article id -> gold event id
    events: dict[str, dict[str, Any]]  # gold event id -> its record
    no_event: frozenset[str]

    def splits(self) -> list[str]:
        return sorted({str(ev.get("split", "dev")) for ev in self.events.values()})

    def split(self, name: str) -> EventsGold:
        """The events of one split and their articles (`no_event` articles go with dev): a
        corpus of its own, grouped apart."""
        events = {k: ev for k, ev in self.events.items() if ev.get("split", "dev") == name}
        event_of = {a: e for a, e in self.event_of.items() if e in events}
        no_event = self.no_event if name == "dev" else frozenset()
        keep = set(event_of) | no_event
        return EventsGold([a for a in self.articles if a.id in keep], event_of, events,
                          no_event)


def is_events_dataset(folder: Path) -> bool:
    return (folder / "gold.json").is_file() and (folder / "articles").is_dir()


def load_events_gold(folder: str | Path) -> EventsGold:
    """The dataset, checked: every article in one gold event or in `no_event`."""
    folder = Path(folder)
    path = folder / "gold.json"
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise ConfigurationError(f"{path}: cannot read events gold ({exc})") from None
    articles = [load_article(p) for p in sorted((folder / "articles").glob("*.json"))]
    ids = {a.id for a in articles}
    event_of: dict[str, str] = {}
    events: dict[str, dict[str, Any]] = {}
    for ev in data.get("events") or []:
        events[ev["id"]] = ev
        for aid in ev["articles"]:
            if aid in event_of:
                raise ConfigurationError(f"{path}: article {aid} is in two events")
            if aid not in ids:
                raise ConfigurationError(f"{path}: event {ev['id']} names article {aid}, "
                                         f"which is not in {folder / 'articles'}")
            event_of[aid] = ev["id"]
    no_event = frozenset(data.get("no_event") or [])
    loose = ids - set(event_of) - no_event
    if loose:
        raise ConfigurationError(f"{path}: articles in no event and not in no_event: "
                                 f"{', '.join(sorted(loose)[:5])}")
    return EventsGold(articles, event_of, events, no_event)


def bcubed(gold: Mapping[str, str], predicted: Mapping[str, str]
           ) -> tuple[np.ndarray, np.ndarray]:
    """Per-article B-cubed precision and recall over the articles of `gold` (an article
    missing from `predicted` is alone)."""
    items = list(gold)
    pred = {a: predicted.get(a, f"alone:{a}") for a in items}
    gold_members: dict[str, set[str]] = {}
    pred_members: dict[str, set[str]] = {}
    for a in items:
        gold_members.setdefault(gold[a], set()).add(a)
        pred_members.setdefault(pred[a], set()).add(a)
    p = np.array([len(pred_members[pred[a]] & gold_members[gold[a]]) / len(pred_members[pred[a]])
                  for a in items])
    r = np.array([len(pred_members[pred[a]] & gold_members[gold[a]]) / len(gold_members[gold[a]])
                  for a in items])
    return p, r


def _ci(values: np.ndarray, idx: np.ndarray) -> tuple[float, float] | None:
    return stats.bootstrap_ci(values, np.ones_like(values), idx)


def _f1(p: float, r: float) -> float:
    return 2 * p * r / (p + r) if p + r else 0.0


def _grouping_scores(gold: Mapping[str, str], predicted: Mapping[str, str],
                     idx: np.ndarray) -> dict[str, Any]:
    p, r = bcubed(gold, predicted)
    out: dict[str, Any] = {"precision": float(p.mean()), "recall": float(r.mean())}
    out["f1"] = _f1(out["precision"], out["recall"])
    out["precision_ci"], out["recall_ci"] = _ci(p, idx), _ci(r, idx)
    f1s = np.array([_f1(float(a), float(b)) for a, b in zip(p[idx].mean(axis=1),
                                                             r[idx].mean(axis=1), strict=True)])
    lo, hi = np.percentile(f1s, [2.5, 97.5])
    out["f1_ci"] = (float(lo), float(hi))
    return out


def totals_match(gold: EventsGold, events: Sequence[Mapping[str, Any]]) -> dict[str, np.ndarray]:
    """Per gold event that states it: 1.0 when the predicted event holding most of its
    articles gives exactly the gold figure, else 0.0 (`killed`, `wounded`, `sources`)."""
    holder: dict[str, Mapping[str, Any]] = {a: ev for ev in events for a in ev["articles"]}
    out: dict[str, list[float]] = {k: [] for k in (*FIGURES, "sources")}
    for gev in gold.events.values():
        votes = Counter(id(holder[a]) for a in gev["articles"] if a in holder)
        best = next((holder[a] for a in gev["articles"]
                     if a in holder and votes and id(holder[a]) == votes.most_common(1)[0][0]),
                    None)
        for key in FIGURES:
            if gev.get(key) is None:
                continue
            fig = best.get(key) if best else None
            out[key].append(float(fig is not None and fig["low"] == fig["high"] == gev[key]))
        if gev.get("sources") is not None:
            out["sources"].append(float(best is not None and best["sources"] == gev["sources"]))
    return {k: np.array(v) for k, v in out.items()}


def _place_day(items: Sequence[Item]) -> dict[str, str]:
    """The reference grouping: an article's first place and its publication date."""
    return {it.article_id: f"{sorted(it.places)[0] if it.places else it.article_id}|"
            f"{it.published}" for it in items}


def evaluate_events(gold: EventsGold, rows: Mapping[str, Mapping[str, Any]],
                    seed: int = stats.DEFAULT_SEED) -> dict[str, Any]:
    """Score one configuration's brief rows (article id -> a briefs.jsonl-like row; a
    failed article is absent) against the gold."""
    items = [it for n, a in enumerate(gold.articles)  # positions: the order of the folder
             if a.id in rows and (it := item_of(n, rows[a.id])) is not None]
    events = group_items(items)
    predicted = {aid: ev["id"] for ev in events for aid in ev["articles"]}
    scored = {a: e for a, e in gold.event_of.items()}
    idx = stats.resample_indices(len(scored), seed=seed)
    report: dict[str, Any] = {
        "articles": len(scored), "gold_events": len(gold.events),
        "predicted_events": len(events), "grouping": _grouping_scores(scored, predicted, idx),
        "references": {
            "each article alone": _grouping_scores(scored, {}, idx),
            "first place and publication date": _grouping_scores(scored, _place_day(items),
                                                                 idx)},
        "totals": {}, "no_event_grouped": sorted(a for a in gold.no_event if a in predicted)}
    for key, hits in totals_match(gold, events).items():
        eidx = stats.resample_indices(len(hits), seed=seed)
        report["totals"][key] = {"exact": float(hits.mean()) if hits.size else None,
                                 "n": int(hits.size),
                                 "ci": _ci(hits, eidx) if hits.size else None}
    report["events"] = events
    return report


def render_events_markdown(name: str, report: Mapping[str, Any]) -> str:
    def fmt(v: float | None, ci: Sequence[float] | None) -> str:
        if v is None:
            return "n/a"
        return f"{v:.3f}" + (f" [{ci[0]:.3f}, {ci[1]:.3f}]" if ci else "")

    lines = [f"## {name}", "",
             f"{report['articles']} articles in {report['gold_events']} gold events; "
             f"{report['predicted_events']} predicted events.", "",
             "| grouping | B-cubed precision | recall | F1 |", "|---|---|---|---|"]
    rows = {"events (this configuration)": report["grouping"], **report["references"]}
    for label, g in rows.items():
        lines.append(f"| {label} | {fmt(g['precision'], g['precision_ci'])} | "
                     f"{fmt(g['recall'], g['recall_ci'])} | {fmt(g['f1'], g['f1_ci'])} |")
    lines += ["", "| consolidated figure | exact match | gold events |", "|---|---|---|"]
    for key, t in report["totals"].items():
        lines.append(f"| {key} | {fmt(t['exact'], t['ci'])} | {t['n']} |")
    if report["no_event_grouped"]:
        lines += ["", "Articles with no incident that were put in an event: "
                  + ", ".join(report["no_event_grouped"])]
    return "\n".join(lines) + "\n"
