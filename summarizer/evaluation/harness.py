"""The harness: a dataset of gold cases, predictions per configuration, one `EvalReport`.

Predictions are produced elsewhere (the pipeline, replayed recordings, a baseline file) and
handed in as `{configuration name: {article id: Brief | BriefDraft | None}}`: `None`, or an
article id left out, is a failed or schema-invalid prediction, scored as an empty brief.
`predict_all` turns a `predict(article)` callable into that mapping. Several configurations
are scored side by side on the same articles and the same bootstrap resamples, so they can be
compared pairwise.

Layout of a dataset directory (`evals/`): `gold/*.json` (one gold file per article) and
`articles/<file named by the gold's "article">`.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TypeVar

from ..article import Article, load_article
from ..brief import BriefDraft
from ..errors import BackendError, ConfigurationError, ExtractionFailed, ReplayMissError
from . import stats
from .gold import Gold, load_gold
from .metrics import CATEGORIES, METRICS
from .scorers import ArticleScore, Judge, score_article
from .similarity import Similarity, default_similarity

Predictions = Mapping[str, Mapping[str, BriefDraft | None]]

D = TypeVar("D", bound=BriefDraft)  # a draft, or a Brief (which is one)


@dataclass(frozen=True)
class EvalCase:
    """One article and its gold."""

    id: str
    article: Article
    gold: Gold


def load_dataset(dataset: str | Path, split: str | None = None) -> list[EvalCase]:
    """Every gold file under `dataset/gold/` with its article, sorted by id; `split` keeps
    only "dev" or "test"."""
    root = Path(dataset)
    gold_dir = root / "gold"
    if not gold_dir.is_dir():
        raise ConfigurationError(f"no gold/ directory in dataset {root}")
    cases: dict[str, EvalCase] = {}
    for path in sorted(gold_dir.glob("*.json")):
        gold = load_gold(path)
        if split is not None and gold.split != split:
            continue
        if gold.article_id in cases:
            raise ConfigurationError(f"two gold files for article {gold.article_id!r}")
        article = load_article(root / "articles" / gold.article)
        cases[gold.article_id] = EvalCase(gold.article_id, article, gold)
    return [cases[k] for k in sorted(cases)]


def predict_all(cases: Sequence[EvalCase], predict: Callable[[Article], D | None],
                ) -> dict[str, D | None]:
    """Run `predict` on every case; a failed or invalid output (ExtractionFailed, BackendError)
    becomes None and is scored as such. A replay miss and a configuration error stop the run
    (a stale recording must fail loudly, not score as a bad model); other exceptions are bugs
    and propagate."""
    out: dict[str, D | None] = {}
    for case in cases:
        try:
            out[case.id] = predict(case.article)
        except ReplayMissError:
            raise
        except (ExtractionFailed, BackendError):
            out[case.id] = None
    return out


@dataclass(frozen=True)
class MetricValue:
    value: float | None
    ci: tuple[float, float] | None
    num: float
    den: float


@dataclass(frozen=True)
class Comparison:
    """`metric(a) - metric(b)` by paired bootstrap on the same articles."""

    a: str
    b: str
    metric: str
    result: stats.PairedDiff


@dataclass
class EvalReport:
    """Everything one evaluation produced; report.py renders and writes it."""

    meta: dict[str, object]
    configs: list[str]
    scores: dict[str, list[ArticleScore]]
    metrics: dict[str, dict[str, MetricValue]] = field(default_factory=dict)
    categories: dict[str, dict[str, dict[str, int]]] = field(default_factory=dict)
    comparisons: list[Comparison] = field(default_factory=list)


def evaluate(
    dataset: str | Path | Sequence[EvalCase],
    predictions: Predictions,
    *,
    split: str | None = None,
    similarity: Similarity | None = None,
    judge: Judge | None = None,
    seed: int = stats.DEFAULT_SEED,
    n_resamples: int = stats.DEFAULT_RESAMPLES,
) -> EvalReport:
    """Score every configuration's predictions against the dataset's gold.

    `dataset` is a directory (see the module docstring) or already loaded cases. Each
    configuration's mapping is keyed by article id; ids missing from it count as failed
    predictions, ids not in the dataset are an error. The first configuration is the
    reference the others are compared to (paired bootstrap of the difference).
    """
    cases = load_dataset(dataset, split) if isinstance(dataset, str | Path) else list(dataset)
    if not predictions:
        raise ConfigurationError("no configurations to evaluate")
    known = {c.id for c in cases}
    for config, preds in predictions.items():
        unknown = sorted(set(preds) - known)
        if unknown:
            raise ConfigurationError(
                f"configuration {config!r} predicts articles not in the dataset: {unknown}")
    similarity = similarity or default_similarity()
    scores = {
        config: [
            score_article(c.id, c.gold.brief, c.gold.totals, preds.get(c.id), c.article,
                          similarity, judge)
            for c in cases
        ]
        for config, preds in predictions.items()
    }
    idx = stats.resample_indices(len(cases), n_resamples, seed)
    report = EvalReport(
        meta={
            "dataset": str(dataset) if isinstance(dataset, str | Path) else "<cases>",
            "split": split or "all",
            "articles": [c.id for c in cases],
            "n_articles": len(cases),
            "seed": seed,
            "n_resamples": n_resamples,
            "ci": "95% percentile bootstrap over articles",
            "similarity": similarity.name,
            "judge": getattr(judge, "name", repr(judge)) if judge is not None else None,
        },
        configs=list(predictions),
        scores=scores,
    )
    columns = {
        (config, name): stats.columns([s.counts for s in scores[config]], metric.ratio)
        for config in report.configs
        for name, metric in METRICS.items()
    }
    for name, metric in METRICS.items():
        row = {}
        for config in report.configs:
            num, den = columns[config, name]
            row[config] = MetricValue(stats.value(num, den), stats.bootstrap_ci(num, den, idx),
                                      float(num.sum()), float(den.sum()))
        if metric.optional and all(v.value is None for v in row.values()):
            continue
        report.metrics[name] = row
    report.categories = _categories(report)
    ref = report.configs[0]
    for other in report.configs[1:]:
        for name in report.metrics:
            report.comparisons.append(Comparison(
                other, ref, name,
                stats.paired_bootstrap(columns[other, name], columns[ref, name], idx)))
    return report


def _categories(report: EvalReport) -> dict[str, dict[str, dict[str, int]]]:
    out: dict[str, dict[str, dict[str, int]]] = {}
    for config, scores in report.scores.items():
        for score in scores:
            for d in score.diffs:
                row = out.setdefault(d.field, {}).setdefault(
                    config, dict.fromkeys(CATEGORIES, 0))
                row[d.category] += 1
    for by_config in out.values():
        for config in report.configs:
            by_config.setdefault(config, dict.fromkeys(CATEGORIES, 0))
    return dict(sorted(out.items()))
