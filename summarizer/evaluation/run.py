"""One eval run, as `summarizer eval` does it: brief the gold corpus with each configuration,
score each split apart (dev and test side by side, never pooled), write the reports, and
optionally check them against committed ones.
"""

from __future__ import annotations

import json
import sys
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any, TextIO

from rich.console import Console

from ..article import Article
from ..atomic import atomic_write_text
from ..backends import canonical_name
from ..brief import Brief
from ..configuration import Configuration, from_spec
from ..errors import BackendError, ExtractionFailed
from ..pipeline import brief_article
from ..spec import Spec, spec_from_env
from .agreement import agreement_report
from .events import evaluate_events, is_events_dataset, load_events_gold, render_events_markdown
from .harness import EvalCase, evaluate, load_dataset, predict_all
from .perturb import build_cases, grounding_rate, perturbation_report
from .report import FLOAT_TOLERANCE, check_reproduces, load_report, report_to_json, write_reports


@dataclass
class EvalOptions:
    """What `summarizer eval` takes."""

    out: Path
    dataset: Path = Path("evals")
    split: str | None = None  # None: every split
    backends: Sequence[str] = ()  # configurations, one column each; () the spec's one
    # The rest of what decides each column's backend (model, mode, recording, settings):
    # the CLI's flags over the environment, read once; a column replaces its backend name.
    spec: Spec = field(default_factory=spec_from_env)
    baseline: Path | None = None
    check: Path | None = None  # a report.json, or a folder of <split>/report.json
    seed: int = 20240601


def _configurations(options: EvalOptions,
                    articles: Sequence[Article]) -> dict[str, Configuration]:
    configs = {}
    for name in options.backends or [options.spec.route()[0]]:
        config = from_spec(replace(options.spec, backend=name))
        # One context size for the whole corpus, as a batch sizes it for its articles.
        config.backend.prepare(list(articles), config.prompt, config.settings)
        configs[canonical_name(name)] = config
    return configs


def _predict(cases: Sequence[EvalCase],
             configs: dict[str, Configuration]) -> dict[str, dict[str, Brief | None]]:
    def briefs(config: Configuration) -> dict[str, Brief | None]:
        try:
            return predict_all(cases, lambda article: brief_article(article, config).brief)
        finally:
            config.backend.close()  # built here: its loaded model goes back now

    return {name: briefs(config) for name, config in configs.items()}


def _check(split: str, report: dict[str, Any], check: Path, err: TextIO) -> bool:
    committed = check / split / "report.json" if check.is_dir() else check
    problems = check_reproduces(report, load_report(committed))
    if problems:
        print(f"summarizer: eval does not reproduce {committed}:", file=err)
        print("\n".join(problems[:20]), file=err)
        return False
    print(f"reproduces {committed} (counts exactly, similarities within {FLOAT_TOLERANCE})",
          file=err)
    return True


def run_eval(options: EvalOptions, console: Console | None = None,
             err: TextIO | None = None) -> int:
    """Brief, score and report; returns 1 when `check` finds a difference, else 0."""
    console = console or Console()
    err = err or sys.stderr
    if is_events_dataset(options.dataset):  # multi-article gold: event grouping
        return run_events_eval(options, console)
    cases = load_dataset(options.dataset, split=options.split)
    predictions = _predict(cases, _configurations(options, [c.article for c in cases]))
    splits = sorted({c.gold.split for c in cases})
    ok = True
    for split in splits:
        sub = [c for c in cases if c.gold.split == split]
        ids = {c.id for c in sub}
        preds = {n: {k: v for k, v in p.items() if k in ids} for n, p in predictions.items()}
        report = evaluate(sub, preds, split=split, seed=options.seed)
        # Grounding on labeled perturbations of this gold (seconds, model-free), the
        # grounding rate of each configuration's briefs, and agreement with a second labeling.
        grounding = perturbation_report(build_cases(sub, seed=options.seed))
        grounding["recorded"] = {n: grounding_rate(p.values()) for n, p in preds.items()}
        sections = {"grounding": grounding, "agreement": agreement_report(options.dataset)}
        out = options.out / split if len(splits) > 1 else options.out
        console.print(f"\n== {split} split: {len(sub)} articles ==")
        write_reports(report, out, baseline=options.baseline, console=console,
                      sections=sections)
        if options.check is not None:
            ok = _check(split, report_to_json(report), options.check, err) and ok
    return 0 if ok else 1


def _event_rows(articles: Sequence[Article], config: Configuration) -> dict[str, dict[str, Any]]:
    """briefs.jsonl-like rows of the articles (a failed article has none)."""
    rows: dict[str, dict[str, Any]] = {}
    for article in articles:
        try:
            result = brief_article(article, config)
        except (ExtractionFailed, BackendError):
            continue
        rows[article.id] = {"id": article.id, "output": article.id, "title": article.title,
                            "article_text": article.text,
                            "brief": result.brief.model_dump(mode="json")}
    config.backend.close()  # built for this eval: its loaded model goes back now
    return rows


def run_events_eval(options: EvalOptions, console: Console) -> int:
    """Brief an events dataset with each configuration, group and score (evaluation/events.py);
    writes OUT/events-report.json and OUT/events-report.md."""
    gold = load_events_gold(options.dataset)
    splits = [options.split] if options.split else gold.splits()
    rows = {name: _event_rows(gold.articles, config)
            for name, config in _configurations(options, gold.articles).items()}
    reports = {split: {name: evaluate_events(gold.split(split), got, options.seed)
                       for name, got in rows.items()} for split in splits}
    options.out.mkdir(parents=True, exist_ok=True)
    data = {"dataset": str(options.dataset), "seed": options.seed, "splits": reports}
    atomic_write_text(options.out / "events-report.json",
                      json.dumps(data, indent=2, ensure_ascii=False) + "\n")
    markdown = f"# Event grouping: {options.dataset}\n\n" + "\n".join(
        render_events_markdown(f"{split} split, {name}", rep)
        for split, by_config in reports.items() for name, rep in by_config.items())
    atomic_write_text(options.out / "events-report.md", markdown)
    console.print(markdown, markup=False, highlight=False, soft_wrap=True)
    return 0
