"""The eval harness: gold files, per-field scorers, bootstrap statistics and reports.

    cases = load_dataset("evals", split="dev")
    report = evaluate(cases, {"openai": {case.id: brief_or_None, ...}, "rules": {...}})
    write_reports(report, "out/eval", baseline="evals/baselines/report.json", console=Console())

Modules, one job each: gold (the gold format), align (Hungarian alignment, name matching),
similarity (free-text similarity), scorers (one article), metrics (the registry), stats
(micro-averages, bootstrap CIs, paired comparison), oracles (self-test predictions), harness
(evaluate), report (JSON, Markdown, terminal table, baseline and reproduction checks), perturb
(grounding on labeled perturbations of gold), agreement (two labelings of the same articles).
"""

from .agreement import agreement_report
from .gold import GOLD_SCHEMA_FILE, Gold, GoldBrief, GoldCount, gold_json_schema, load_gold
from .harness import EvalCase, EvalReport, evaluate, load_dataset, predict_all
from .metrics import CATEGORIES, METRICS
from .oracles import ANTI_ORACLE_TOUCHES, anti_oracle, oracle
from .perturb import build_cases, grounding_rate, perturbation_report
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
    "agreement_report",
    "anti_oracle",
    "build_cases",
    "check_reproduces",
    "default_similarity",
    "evaluate",
    "gold_json_schema",
    "grounding_rate",
    "load_dataset",
    "load_gold",
    "load_report",
    "oracle",
    "perturbation_report",
    "predict_all",
    "render_markdown",
    "render_table",
    "report_to_json",
    "write_reports",
]
