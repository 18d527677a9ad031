"""Reports: report.json (the record), report.md, diffs.md and a terminal table.

Everything renders from the JSON form, so a committed report.json can be re-rendered and a
replayed evaluation compared with it (`check_reproduces`: counts and what is computed from
them exactly, embedding similarities within a stated tolerance; every float in report.json is
rounded to 4 places when written). Configurations are columns; a metric with
no cases shows `n/a`, never 0 or 1.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from rich.console import Console
from rich.table import Table

from ..atomic import atomic_write_text
from ..errors import ConfigurationError
from ..view.eval_page import write_report_html
from . import agreement, perturb
from .harness import EvalReport
from .metrics import CATEGORIES, METRICS

# Sections computed beside the metrics, each with its (markdown lines, terminal table).
_SECTIONS = {
    "grounding": (perturb.render_markdown, perturb.render_table),
    "agreement": (agreement.render_markdown, agreement.render_table),
}

REPORT_VERSION = "1"
PLACES = 4


def _round(obj: Any) -> Any:
    if isinstance(obj, float):
        return round(obj, PLACES)
    if isinstance(obj, Mapping):
        return {k: _round(v) for k, v in obj.items()}
    if isinstance(obj, list | tuple):
        return [_round(v) for v in obj]
    return obj


def report_to_json(report: EvalReport, baseline: Mapping[str, Any] | None = None,
                   sections: Mapping[str, Any] | None = None) -> dict[str, Any]:
    """The report as plain JSON data (floats rounded to 4 places). With a baseline report's
    JSON, a "baseline" section holds metric deltas and per-article changes against it.
    `sections` adds computed sections as they are ("grounding" from perturb.py, "agreement"
    from agreement.py); the renderers show the ones they know."""
    metrics = {
        name: {
            "description": METRICS[name].description,
            "higher_is_better": METRICS[name].higher_is_better,
            "values": {
                config: {"value": v.value, "ci": list(v.ci) if v.ci else None,
                         "num": v.num, "den": v.den}
                for config, v in row.items()
            },
        }
        for name, row in report.metrics.items()
    }
    articles: dict[str, dict[str, Any]] = {}
    for config, scores in report.scores.items():
        for s in scores:
            articles.setdefault(s.article_id, {})[config] = {
                "valid": s.valid,
                "diffs": [
                    {"path": d.path, "field": d.field, "category": d.category,
                     "gold": d.gold, "pred": d.pred}
                    for d in s.diffs if d.category != "correct"
                ],
            }
    data: dict[str, Any] = {
        "report_version": REPORT_VERSION,
        "meta": report.meta,
        "configs": report.configs,
        "metrics": metrics,
        "categories": report.categories,
        "comparisons": [
            {"a": c.a, "b": c.b, "metric": c.metric, "diff": c.result.diff,
             "ci": list(c.result.ci) if c.result.ci else None, "p_value": c.result.p_value}
            for c in report.comparisons
        ],
        "articles": dict(sorted(articles.items())),
        **{k: v for k, v in (sections or {}).items() if v is not None},
    }
    data = _round(data)
    if baseline is not None:
        data["baseline"] = compare_to_baseline(data, baseline)
    return data


def load_report(path: str | Path) -> dict[str, Any]:
    """Read a report.json (a baseline, or a committed report to reproduce)."""
    try:
        data = json.loads(Path(path).read_text(encoding="utf-8"))
    except (OSError, json.JSONDecodeError) as exc:
        raise ConfigurationError(f"cannot read report {path}: {exc}") from None
    if not isinstance(data, dict) or "metrics" not in data:
        raise ConfigurationError(f"{path} is not an eval report.json")
    return data


# --- baseline and reproduction --------------------------------------------------------------


def _baseline_config(config: str, baseline: Mapping[str, Any]) -> str | None:
    configs = baseline.get("configs", [])
    if config in configs:
        return config
    return configs[0] if len(configs) == 1 else None


def compare_to_baseline(current: Mapping[str, Any], baseline: Mapping[str, Any]
                        ) -> dict[str, Any]:
    """Metric deltas and per-article diff changes of each configuration against the baseline's
    configuration of the same name (or its only one)."""
    out: dict[str, Any] = {"metrics": {}, "articles": {}}
    for config in current["configs"]:
        base = _baseline_config(config, baseline)
        if base is None:
            continue
        for name, metric in current["metrics"].items():
            now = metric["values"][config]["value"]
            was = baseline["metrics"].get(name, {}).get("values", {}).get(base, {}).get("value")
            delta = None if now is None or was is None else round(now - was, PLACES)
            out["metrics"].setdefault(name, {})[config] = {
                "baseline": was, "current": now, "delta": delta}
        for article, by_config in current["articles"].items():
            now_diffs = {d["path"]: d for d in by_config[config]["diffs"]}
            base_entry = baseline.get("articles", {}).get(article, {}).get(base)
            if base_entry is None:
                continue
            was_diffs = {d["path"]: d for d in base_entry["diffs"]}
            changes = []
            for path in sorted(set(now_diffs) | set(was_diffs)):
                now_d, was_d = now_diffs.get(path), was_diffs.get(path)
                if now_d == was_d:
                    continue
                status = "fixed" if now_d is None else "new" if was_d is None else "changed"
                changes.append({
                    "path": path, "status": status,
                    "baseline": None if was_d is None else f"{was_d['category']}: {was_d['pred']}",
                    "current": None if now_d is None else f"{now_d['category']}: {now_d['pred']}",
                })
            if changes:
                out["articles"].setdefault(article, {})[config] = changes
    return out


# Embedding similarities are float work that differs between CPUs of the same kind in the
# fourth decimal; everything else in a replayed report is computed from counts and must match
# exactly. A mean similarity may move by this much (a 0.05 drop in one article's similarity
# moves a 17-article mean by ~0.003 and still fails; 0.0005 everywhere passes).
FLOAT_TOLERANCE = 0.001


def is_float_derived(metric: str) -> bool:
    """Metrics computed from model or embedding floats rather than from counts."""
    return metric.endswith(".similarity")


def check_reproduces(current: Mapping[str, Any], committed: Mapping[str, Any],
                     tolerance: float = FLOAT_TOLERANCE) -> list[str]:
    """Every metric value, CI and count of the committed report, reproduced: exactly (to the
    report's four rounded places) for count-based metrics, within `tolerance` on the mean
    (and `tolerance` x den on the sum) for float-derived ones. Returns the mismatches."""
    problems = []
    exact = 0.5 * 10 ** -PLACES
    for name, metric in committed["metrics"].items():
        loose = is_float_derived(name)
        for config, want in metric["values"].items():
            got = current["metrics"].get(name, {}).get("values", {}).get(config)
            if got is None:
                problems.append(f"{name} [{config}]: missing from the new report")
                continue
            for key in ("value", "num", "den", "ci"):
                a, b = want.get(key), got.get(key)
                tol = exact
                if loose and key in ("value", "ci"):
                    tol = tolerance
                elif loose and key == "num":
                    tol = tolerance * float(want.get("den") or 1)
                if not _close(a, b, tol):
                    problems.append(f"{name} [{config}] {key}: committed {a}, now {b}"
                                    + (f" (tolerance {tol:g})" if loose else " (exact)"))
    return problems


def _close(a: Any, b: Any, tol: float) -> bool:
    if a is None or b is None:
        return a is None and b is None
    if isinstance(a, list):
        return isinstance(b, list) and len(a) == len(b) and all(
            _close(x, y, tol) for x, y in zip(a, b, strict=True))
    return abs(float(a) - float(b)) <= tol + 1e-12


# --- rendering ------------------------------------------------------------------------------


def _fmt(v: Mapping[str, Any], with_ci: bool = True) -> str:
    if v["value"] is None:
        return "n/a"
    text = f"{v['value']:.3f}"
    if with_ci and v.get("ci"):
        text += f" [{v['ci'][0]:.3f}, {v['ci'][1]:.3f}]"
    return text


def render_table(data: Mapping[str, Any]) -> Table:
    """The terminal table: one row per metric, one column per configuration."""
    meta = data["meta"]
    table = Table(title=f"summarizer eval: {meta['n_articles']} articles ({meta['split']}), "
                  f"95% CI", caption=f"similarity: {meta['similarity']}")
    table.add_column("metric", style="bold")
    for config in data["configs"]:
        table.add_column(config, justify="right")
    for name, metric in data["metrics"].items():
        arrow = "" if metric["higher_is_better"] else " (lower is better)"
        table.add_row(name + arrow, *(_fmt(metric["values"][c]) for c in data["configs"]))
    return table


def render_markdown(data: Mapping[str, Any]) -> str:
    """report.md: metrics with CIs side by side, error categories, paired comparisons,
    baseline deltas."""
    meta, configs = data["meta"], data["configs"]
    lines = [
        "# summarizer eval report", "",
        f"- dataset: `{meta['dataset']}`, split: {meta['split']}, articles: "
        f"{meta['n_articles']}",
        f"- confidence intervals: {meta['ci']} ({meta['n_resamples']} resamples, "
        f"seed {meta['seed']})",
        f"- text similarity: {meta['similarity']}",
        "- `n/a`: the metric has no cases in this corpus; error rates are marked (lower is "
        "better)", "",
        "## Metrics", "",
        "| metric | " + " | ".join(configs) + " |",
        "|---|" + "---|" * len(configs),
    ]
    for name, metric in data["metrics"].items():
        label = name if metric["higher_is_better"] else f"{name} (lower is better)"
        cells = [f"{_fmt(metric['values'][c])} ({_ratio(metric['values'][c])})"
                 for c in configs]
        lines.append(f"| {label} | " + " | ".join(cells) + " |")
    lines += ["", "## Error categories", "",
              "| field | configuration | " + " | ".join(CATEGORIES) + " |",
              "|---|---|" + "---|" * len(CATEGORIES)]
    for field, by_config in data["categories"].items():
        for config in configs:
            row = by_config.get(config, {})
            lines.append(f"| {field} | {config} | "
                         + " | ".join(str(row.get(c, 0)) for c in CATEGORIES) + " |")
    if data["comparisons"]:
        lines += ["", "## Paired comparisons (A - B, paired bootstrap)", "",
                  "| metric | A | B | A - B | 95% CI | p |", "|---|---|---|---|---|---|"]
        for c in data["comparisons"]:
            diff = "n/a" if c["diff"] is None else f"{c['diff']:+.3f}"
            ci = "n/a" if c["ci"] is None else f"[{c['ci'][0]:+.3f}, {c['ci'][1]:+.3f}]"
            p = "n/a" if c["p_value"] is None else f"{c['p_value']:.3f}"
            lines.append(f"| {c['metric']} | {c['a']} | {c['b']} | {diff} | {ci} | {p} |")
    base = data.get("baseline")
    if base:
        lines += ["", "## Against the baseline", "",
                  "| metric | configuration | baseline | current | delta |",
                  "|---|---|---|---|---|"]
        for name, by_config in base["metrics"].items():
            for config, d in by_config.items():
                if d["delta"] not in (None, 0, 0.0) or (d["baseline"] is None) != (
                        d["current"] is None):
                    lines.append(f"| {name} | {config} | {_num(d['baseline'])} | "
                                 f"{_num(d['current'])} | {_num(d['delta'], signed=True)} |")
    for name, render in _SECTIONS.items():
        if data.get(name):
            lines += render[0](data[name])
    lines.append("")
    return "\n".join(lines)


def _ratio(v: Mapping[str, Any]) -> str:
    return f"{v['num']:g}/{v['den']:g}"


def _num(x: float | None, signed: bool = False) -> str:
    if x is None:
        return "n/a"
    return f"{x:+.4f}" if signed else f"{x:.4f}"


def render_diffs(data: Mapping[str, Any]) -> str:
    """diffs.md: per article and configuration, every element that is not correct against
    gold, then what changed against the baseline."""
    lines = ["# Per-article field diffs", ""]
    base = data.get("baseline", {}).get("articles", {})
    for article, by_config in data["articles"].items():
        lines += [f"## {article}", ""]
        for config, entry in by_config.items():
            valid = "" if entry["valid"] else " — no valid prediction"
            lines.append(f"### {config}{valid}")
            if not entry["diffs"]:
                lines.append("all scored fields match gold")
            else:
                lines += ["", "| path | category | gold | predicted |", "|---|---|---|---|"]
                lines += [f"| {d['path']} | {d['category']} | {_cell(d['gold'])} | "
                          f"{_cell(d['pred'])} |" for d in entry["diffs"]]
            changes = base.get(article, {}).get(config)
            if changes:
                lines += ["", "against the baseline:", "",
                          "| path | change | baseline | current |", "|---|---|---|---|"]
                lines += [f"| {c['path']} | {c['status']} | {_cell(c['baseline'])} | "
                          f"{_cell(c['current'])} |" for c in changes]
            lines.append("")
    return "\n".join(lines)


def _cell(text: str | None) -> str:
    return "—" if text is None else text.replace("|", "\\|").replace("\n", " ")


def write_reports(report: EvalReport, out_dir: str | Path, *,
                  baseline: str | Path | Mapping[str, Any] | None = None,
                  console: Console | None = None,
                  sections: Mapping[str, Any] | None = None) -> dict[str, Path]:
    """Write report.json, report.md and diffs.md into `out_dir` (atomically) and, given a
    console, print the table. `baseline` is a report.json path or its loaded data;
    `sections` as in `report_to_json`."""
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    base = load_report(baseline) if isinstance(baseline, str | Path) else baseline
    data = report_to_json(report, base, sections)
    paths = {"json": out / "report.json", "markdown": out / "report.md",
             "diffs": out / "diffs.md"}
    atomic_write_text(paths["json"], json.dumps(data, indent=2, ensure_ascii=False) + "\n")
    atomic_write_text(paths["markdown"], render_markdown(data))
    atomic_write_text(paths["diffs"], render_diffs(data))
    paths["html"] = write_report_html(data, out)  # report.html: the same data, with plots
    if console is not None:
        console.print(render_table(data))
        for name, render in _SECTIONS.items():
            if data.get(name):
                console.print(render[1](data[name]))
    return paths
