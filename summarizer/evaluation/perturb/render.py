"""The "grounding" section of the eval report: Markdown lines and a terminal table."""

from __future__ import annotations

from typing import Any

from rich.table import Table

from .scoring import ratio_text

__all__ = ["render_markdown", "render_table"]

def _fmt(r: dict[str, Any]) -> str:
    return ratio_text(r).removeprefix("flagged ")


def render_markdown(section: dict[str, Any]) -> list[str]:
    """The report.md lines for the "grounding" section."""
    t = section["targets"]
    lines = ["", "## Grounding on labeled perturbations", "",
             f"- {section['n_cases']} cases over {section['n_articles']} articles; targets: "
             f"wrong facts flagged >= {t['wrong_flagged_min']}, correct facts flagged <= "
             f"{t['correct_flagged_max']}, both at once",
             f"- {section['flag_rule']}", "",
             "| kind | wrong facts flagged | correct facts flagged | meets targets |",
             "|---|---|---|---|"]
    for kind, k in section["kinds"].items():
        lines.append(f"| {kind} | {ratio_text(k['wrong_flagged'])} | "
                     f"{ratio_text(k['correct_flagged'])} | "
                     f"{'yes' if k['meets_targets'] else 'no'} |")
    lines += ["", "| kind | class | flagged / cases |", "|---|---|---|"]
    for kind, k in section["kinds"].items():
        lines += [f"| {kind} | {c} | {_fmt(r)} |" for c, r in k["classes"].items()]
    if section["misses"]:
        lines += ["", "First misses (wrong unflagged, or correct flagged):", "",
                  "| article | class | path | perturbation | flags |", "|---|---|---|---|---|"]
        lines += [f"| {m['article']} | {m['kind']}/{m['class']} | {m['path']} | "
                  f"{m['note'].replace('|', '/')} | {'; '.join(m['flags']) or '—'} |"
                  for m in section["misses"]]
    recorded = section.get("recorded")
    if recorded:
        lines += ["", "Grounding rate of the evaluated briefs:", "",
                  "| configuration | briefs | quotes located | facts unflagged |",
                  "|---|---|---|---|"]
        lines += [f"| {c} | {r['briefs']} | {_fmt(r['quotes_located'])} | "
                  f"{_fmt(r['facts_unflagged'])} |" for c, r in recorded.items()]
    return lines


def render_table(section: dict[str, Any]) -> Table:
    """The terminal table for the "grounding" section."""
    table = Table(title=f"grounding on labeled perturbations: {section['n_cases']} cases, "
                  f"{section['n_articles']} articles (targets: wrong >= "
                  f"{section['targets']['wrong_flagged_min']}, correct <= "
                  f"{section['targets']['correct_flagged_max']})")
    for col in ("kind", "class", "flagged"):
        table.add_column(col, justify="right" if col == "flagged" else "left")
    for kind, k in section["kinds"].items():
        table.add_row(kind, "wrong facts", ratio_text(k["wrong_flagged"]))
        table.add_row(kind, "correct facts", ratio_text(k["correct_flagged"]))
        table.add_row(kind, "meets targets", "yes" if k["meets_targets"] else "no")
        for c, r in k["classes"].items():
            table.add_row("", f"  {c}", ratio_text(r))
    for config, r in (section.get("recorded") or {}).items():
        table.add_row(config, "quotes located", _fmt(r["quotes_located"]))
        table.add_row(config, "facts unflagged", _fmt(r["facts_unflagged"]))
    return table
