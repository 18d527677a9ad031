"""The eval harness: gold files, per-field scorers, bootstrap statistics and reports.

    cases = load_dataset("evals", split="dev")
    report = evaluate(cases, {"openai": {case.id: brief_or_None, ...}, "rules": {...}})
    write_reports(report, "out/eval", baseline="evals/baselines/report.json", console=Console())

Modules, one job each: gold (the gold format), align (Hungarian alignment, name matching),
similarity (free-text similarity), scorers (one article), metrics (the registry), stats
(micro-averages, bootstrap CIs, paired comparison), oracles (self-test predictions), harness
(evaluate), report (JSON, Markdown, terminal table, baseline and reproduction checks).
"""

from .gold import GOLD_SCHEMA_FILE, Gold, GoldBrief, GoldCount, gold_json_schema, load_gold
from .harness import EvalCase, EvalReport, evaluate, load_dataset, predict_all
from .metrics import CATEGORIES, METRICS
from .oracles import ANTI_ORACLE_TOUCHES, anti_oracle, oracle
from .report import (
    check_reproduces,
    load_report,
    render_markdown,
    render_table,
    report_to_json,
    write_reports,
)
from .scorers import Judge
from .similarity import E5Similarity, LexicalSimilarity, Similarity, default_similarity

__all__ = [
    "ANTI_ORACLE_TOUCHES",
    "CATEGORIES",
    "E5Similarity",
    "EvalCase",
    "EvalReport",
    "GOLD_SCHEMA_FILE",
    "Gold",
    "GoldBrief",
    "GoldCount",
    "Judge",
    "LexicalSimilarity",
    "METRICS",
    "Similarity",
    "anti_oracle",
    "check_reproduces",
    "default_similarity",
    "evaluate",
    "gold_json_schema",
    "load_dataset",
    "load_gold",
    "load_report",
    "oracle",
    "predict_all",
    "render_markdown",
    "render_table",
    "report_to_json",
    "write_reports",
]
