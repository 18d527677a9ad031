"""Which configuration runs when nothing is configured: the one the committed measurements pick.

The rule (issue 14): the best dev-split mean over the killed, wounded and arrested totals'
exact match and headline similarity; a tie (within `TIE`) goes to fewer seconds per article.
Seconds per article come from `bench/offline_configs.py`, committed beside the reports.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from pathlib import Path
from typing import Any

CRITERIA = ("totals.killed.exact", "totals.wounded.exact", "totals.arrested.exact",
            "headline.similarity")
TIE = 0.005  # below the similarity gate's own noise band times a few: a tie, not a win


def scores(dev_report: Mapping[str, Any]) -> dict[str, float]:
    """Each configuration's mean over CRITERIA on the dev report (a missing value is 0)."""
    metrics = dev_report["metrics"]
    out = {}
    for config in dev_report["configs"]:
        values = [metrics[m]["values"].get(config, {}).get("value") or 0.0 for m in CRITERIA]
        out[config] = sum(values) / len(values)
    return out


def pick(dev_report: Mapping[str, Any], seconds_per_article: Mapping[str, float]) -> str:
    """The configuration to run by default."""
    by_score = scores(dev_report)
    best = max(by_score.values())
    tied = [c for c, s in by_score.items() if best - s <= TIE]
    return min(tied, key=lambda c: (seconds_per_article.get(c, float("inf")), c))


def load(baselines: str | Path) -> tuple[dict[str, Any], dict[str, float]]:
    """(dev report, seconds per article) from a baselines folder."""
    root = Path(baselines)
    report = json.loads((root / "dev" / "report.json").read_text(encoding="utf-8"))
    timing = json.loads((root / "timing.json").read_text(encoding="utf-8"))
    return report, {k: float(v) for k, v in timing["seconds_per_article"].items()}
