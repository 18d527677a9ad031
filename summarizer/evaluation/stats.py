"""Micro-averages and article-level bootstrap confidence intervals.

Every metric is a ratio of sums of per-article counts (F1 too: 2TP / (2TP + FP + FN)), so the
corpus value is a micro-average and a bootstrap resample is just a re-weighting of articles:
draw articles with replacement, sum their counts, take the ratio. A ratio whose denominator
is 0 has no cases: it is `None` (shown as n/a), never 0 or 1.

The resample indices are drawn once per evaluation from a seeded generator and shared by every
metric and configuration, so CIs are reproducible to the last digit and the paired comparison
of two runs resamples the same articles for both.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import numpy as np

DEFAULT_RESAMPLES = 2000
DEFAULT_SEED = 20240601


@dataclass(frozen=True)
class Ratio:
    """A metric: sum(num keys) / sum(den keys) over articles, each key with a coefficient."""

    num: Mapping[str, float]
    den: Mapping[str, float]

    def keys(self) -> set[str]:
        return set(self.num) | set(self.den)


def _column(counts: Sequence[Mapping[str, float]], terms: Mapping[str, float]) -> np.ndarray:
    return np.array(
        [sum(coef * c.get(key, 0.0) for key, coef in terms.items()) for c in counts], dtype=float
    )


def columns(counts: Sequence[Mapping[str, float]], ratio: Ratio) -> tuple[np.ndarray, np.ndarray]:
    """Per-article numerator and denominator of a metric."""
    return _column(counts, ratio.num), _column(counts, ratio.den)


def value(num: np.ndarray, den: np.ndarray) -> float | None:
    """The micro-average, or None when there are no cases."""
    d = float(den.sum())
    return float(num.sum()) / d if d > 0 else None


def resample_indices(n_articles: int, n_resamples: int = DEFAULT_RESAMPLES,
                     seed: int = DEFAULT_SEED) -> np.ndarray:
    """A (resamples x articles) matrix of article indices drawn with replacement."""
    rng = np.random.default_rng(seed)
    if n_articles == 0:
        return np.zeros((0, 0), dtype=int)
    return rng.integers(0, n_articles, size=(n_resamples, n_articles))


def _resampled(num: np.ndarray, den: np.ndarray, idx: np.ndarray) -> np.ndarray:
    nums, dens = num[idx].sum(axis=1), den[idx].sum(axis=1)
    out = np.full(len(idx), np.nan)
    ok = dens > 0
    out[ok] = nums[ok] / dens[ok]
    return out


def _interval(samples: np.ndarray, alpha: float) -> tuple[float, float] | None:
    samples = samples[~np.isnan(samples)]
    if samples.size == 0:
        return None
    lo, hi = np.percentile(samples, [100 * alpha / 2, 100 * (1 - alpha / 2)])
    return float(lo), float(hi)


def bootstrap_ci(num: np.ndarray, den: np.ndarray, idx: np.ndarray,
                 alpha: float = 0.05) -> tuple[float, float] | None:
    """Percentile CI of the micro-average over article resamples (resamples with no cases are
    left out); None when no resample has a case."""
    if idx.size == 0:
        return None
    return _interval(_resampled(num, den, idx), alpha)


@dataclass(frozen=True)
class PairedDiff:
    """metric(A) - metric(B) on the same articles, with its bootstrap CI."""

    diff: float | None
    ci: tuple[float, float] | None
    p_value: float | None
    """Two-sided bootstrap p-value: twice the share of resamples on the far side of zero."""


def paired_bootstrap(a: tuple[np.ndarray, np.ndarray], b: tuple[np.ndarray, np.ndarray],
                     idx: np.ndarray, alpha: float = 0.05) -> PairedDiff:
    """Compare two runs scored on the same articles: resample articles once for both."""
    va, vb = value(*a), value(*b)
    diff = None if va is None or vb is None else va - vb
    if diff is None or idx.size == 0:
        return PairedDiff(diff, None, None)
    samples = _resampled(*a, idx) - _resampled(*b, idx)
    samples = samples[~np.isnan(samples)]
    if samples.size == 0:
        return PairedDiff(diff, None, None)
    p = 2 * min(float(np.mean(samples <= 0)), float(np.mean(samples >= 0)))
    return PairedDiff(diff, _interval(samples, alpha), min(1.0, p))
