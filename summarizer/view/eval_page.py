"""report.html: the eval report as a page, written beside report.md from the same JSON.

Per-metric bars with 95% CIs for every configuration, the paired differences against the
first column as forest plots, the error categories of each field, grounding and agreement,
the baseline deltas and every article's diffs (in the page, and linked into diffs.md). The
charts are inline SVG drawn at write time from the numbers (view/svg.py): no script, no
network, nothing to install.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from markupsafe import Markup

from . import svg
from .render import render, write_page

REPORT_HTML = "report.html"
CATEGORY_ORDER = ("correct", "partial", "incorrect", "missing", "spurious")


def ratio(r: Mapping[str, Any] | None) -> str:
    """"0.412 (7/17)"; a mean of scores "0.958 (n=17)"; "n/a" when there are no cases."""
    if not r or r.get("value") is None:
        return "n/a"
    num, den = float(r.get("num", 0)), float(r.get("den", 0))
    count = f"{num:g}/{den:g}" if num.is_integer() else f"n={den:g}"
    return f"{r['value']:.3f} ({count})"


def gh_anchor(heading: str) -> str:
    """The anchor GitHub gives a Markdown heading (diffs.md has one per article)."""
    return re.sub(r"[^\w\- ]", "", heading.strip().lower()).replace(" ", "-")


def _ci(v: Mapping[str, Any]) -> tuple[float, float] | None:
    ci = v.get("ci")
    return (float(ci[0]), float(ci[1])) if ci else None


@dataclass
class MetricChart:
    name: str
    description: str
    lower_is_better: bool
    chart: Markup


def metric_charts(data: Mapping[str, Any], colors: Mapping[str, str]
                  ) -> list[tuple[str, list[MetricChart]]]:
    """Each metric as bars (one per configuration), grouped by field (the name's head)."""
    groups: dict[str, list[MetricChart]] = {}
    heads = [name.split(".")[0] for name in data["metrics"]]
    for name, metric in data["metrics"].items():
        rows = []
        for config in data["configs"]:
            v = metric["values"].get(config) or {"value": None}
            rows.append(svg.Bar(config, v["value"], _ci(v), ratio(v), colors[config]))
        chart = svg.bars(rows, f"{name} by configuration, 95% CI")
        head = name.split(".")[0]
        group = head if heads.count(head) > 1 else "overall"  # no lone chart on its row
        groups.setdefault(group, []).append(
            MetricChart(name, metric.get("description", ""),
                        not metric.get("higher_is_better", True), chart))
    return list(groups.items())


def comparison_charts(data: Mapping[str, Any]) -> list[tuple[str, Markup]]:
    """Per (A, B) pair, the paired bootstrap differences A - B of every metric."""
    pairs: dict[tuple[str, str], list[svg.Diff]] = {}
    metrics = data.get("metrics", {})
    for c in data.get("comparisons", []):
        up = metrics.get(c["metric"], {}).get("higher_is_better", True)
        ci = (float(c["ci"][0]), float(c["ci"][1])) if c.get("ci") else None
        text = "n/a" if c["diff"] is None else f"{c['diff']:+.3f}" + (
            f" [{ci[0]:+.3f}, {ci[1]:+.3f}]" if ci else "") + (
            f" p={c['p_value']:.3f}" if c.get("p_value") is not None else "")
        pairs.setdefault((c["a"], c["b"]), []).append(
            svg.Diff(c["metric"] + ("" if up else " ↓"), c["diff"], ci, text, up))
    return [(f"{a} − {b}", svg.forest(rows, f"paired differences {a} - {b}"))
            for (a, b), rows in pairs.items()]


def category_rows(data: Mapping[str, Any]) -> list[dict[str, Any]]:
    """The confusion-style tables: per field and configuration, counts per category with
    each count's share of the row for shading."""
    out = []
    for field, by_config in (data.get("categories") or {}).items():
        for config in data["configs"]:
            row = by_config.get(config, {})
            names = [c for c in CATEGORY_ORDER if c in row] + [c for c in row
                                                              if c not in CATEGORY_ORDER]
            counts = {c: int(row.get(c, 0)) for c in names or CATEGORY_ORDER}
            total = sum(counts.values())
            out.append({"field": field, "config": config, "counts": counts, "total": total,
                        "shares": {c: (n / total if total else 0.0) for c, n in counts.items()},
                        "bar": svg.stacked(counts, f"{field} {config}")})
    return out


def grounding_view(section: Mapping[str, Any] | None, colors: Mapping[str, str]
                   ) -> dict[str, Any] | None:
    """Charts of the "grounding" section: wrong and correct facts flagged per kind against
    the targets, per perturbation class, and the grounding rate of each configuration."""
    if not section:
        return None
    t = section.get("targets", {})
    kinds = []
    for kind, k in section.get("kinds", {}).items():
        wrong, right = k["wrong_flagged"], k["correct_flagged"]
        kinds.append({
            "kind": kind, "meets": k.get("meets_targets"),
            "wrong": svg.bars([svg.Bar("wrong", wrong["value"], None, ratio(wrong),
                                       "#15803d")], f"{kind}: wrong facts flagged",
                              target=t.get("wrong_flagged_min")),
            "correct": svg.bars([svg.Bar("correct", right["value"], None, ratio(right),
                                         "#b42318")], f"{kind}: correct facts flagged",
                                target=t.get("correct_flagged_max")),
            "classes": svg.bars([svg.Bar(c, r["value"], None, ratio(r), "#475569")
                                 for c, r in k.get("classes", {}).items()],
                                f"{kind}: flagged share per perturbation class",
                                label_w=120)})
    recorded = section.get("recorded") or {}
    rec_charts = [(what, svg.bars([svg.Bar(c, r[key]["value"], None, ratio(r[key]),
                                           colors.get(c, svg.PALETTE[0]))
                                   for c, r in recorded.items()], what))
                  for what, key in (("quotes located", "quotes_located"),
                                    ("facts unflagged", "facts_unflagged"))]
    return {"section": section, "kinds": kinds, "recorded": recorded if recorded else None,
            "recorded_charts": rec_charts if recorded else []}


def agreement_chart(section: Mapping[str, Any] | None) -> Markup | None:
    if not section or not section.get("fields"):
        return None
    return svg.bars([svg.Bar(k, r["value"], None, ratio(r), "#0f766e")
                     for k, r in section["fields"].items()],
                    "agreement between two labelings", label_w=210)


def article_rows(data: Mapping[str, Any]) -> list[dict[str, Any]]:
    """Every article with, per configuration, its diffs and a count per category."""
    out = []
    for article, by_config in (data.get("articles") or {}).items():
        configs = []
        order = [c for c in data["configs"] if c in by_config]  # the table's column order
        for config in order + [c for c in by_config if c not in order]:
            entry = by_config[config]
            counts: dict[str, int] = {}
            for d in entry.get("diffs", []):
                counts[d["category"]] = counts.get(d["category"], 0) + 1
            configs.append({"config": config, "valid": entry.get("valid", True),
                            "diffs": entry.get("diffs", []), "counts": counts})
        out.append({"id": article, "anchor": gh_anchor(article), "configs": configs,
                    "n_diffs": sum(len(c["diffs"]) for c in configs)})
    return out


def render_report_html(data: Mapping[str, Any]) -> str:
    """The page for one report.json's data."""
    colors = {c: svg.PALETTE[i % len(svg.PALETTE)] for i, c in enumerate(data["configs"])}
    return render(
        "report.html.j2", data=data, meta=data.get("meta", {}), configs=data["configs"],
        legend=svg.legend(colors), metric_groups=metric_charts(data, colors),
        comparisons=comparison_charts(data), categories=category_rows(data),
        category_legend=svg.legend(svg.CATEGORY_COLORS),
        grounding=grounding_view(data.get("grounding"), colors),
        agreement=data.get("agreement"), agreement_chart=agreement_chart(data.get("agreement")),
        baseline=(data.get("baseline") or {}).get("metrics"), articles=article_rows(data),
        ratio=ratio)


def write_report_html(data: Mapping[str, Any], out_dir: str | Path) -> Path:
    """Write report.html into `out_dir` (atomically) and return its path."""
    return write_page(Path(out_dir) / REPORT_HTML, render_report_html(data))
