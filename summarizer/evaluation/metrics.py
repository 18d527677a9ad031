"""The metric registry: every reported number, as a ratio of per-article counts.

The scorers (the `scorers` package) emit additive counts per article under the keys named
here; this module says how counts become metrics. Keeping them apart means a new metric is one
line, and the bootstrap (stats.py) never needs to know what a metric means.

Conventions: `higher_is_better=False` marks error rates (omitted, hallucinated), which the
oracle scores 0.0; every other metric the oracle scores 1.0. `optional` metrics (the LLM judge)
are left out of a report when no configuration has a case.
"""

from __future__ import annotations

from dataclasses import dataclass

from .stats import Ratio

TOLERANCE = 0.10
"""A count within 10 % of gold (rounded down: small counts must be exact) is within tolerance,
unless the gold labels an explicit range, which then decides."""


@dataclass(frozen=True)
class Metric:
    name: str
    ratio: Ratio
    description: str
    higher_is_better: bool = True
    optional: bool = False

    @property
    def field(self) -> str:
        return self.name.rsplit(".", 1)[0]


def _terms(t: str | dict[str, float]) -> dict[str, float]:
    return {t: 1.0} if isinstance(t, str) else t


def _r(num: str | dict[str, float], den: str | dict[str, float]) -> Ratio:
    return Ratio(_terms(num), _terms(den))


def _prf(prefix: str, tp: str, n_gold: str, n_pred: str, what: str) -> list[Metric]:
    return [
        Metric(f"{prefix}.precision", _r(tp, n_pred), f"{what}: matched / predicted"),
        Metric(f"{prefix}.recall", _r(tp, n_gold), f"{what}: matched / gold"),
        Metric(f"{prefix}.f1", _r({tp: 2.0}, {n_gold: 1.0, n_pred: 1.0}), f"{what}: F1"),
    ]


def _counts(prefix: str, what: str) -> list[Metric]:
    return [
        Metric(f"{prefix}.exact", _r(f"{prefix}.exact", f"{prefix}.gold"),
               f"{what}: gold figures predicted exactly"),
        Metric(f"{prefix}.within_tolerance", _r(f"{prefix}.within", f"{prefix}.gold"),
               f"{what}: gold figures predicted within tolerance or the labeled range"),
        Metric(f"{prefix}.omitted", _r(f"{prefix}.omitted", f"{prefix}.gold"),
               f"{what}: gold figures predicted as null or not at all", higher_is_better=False),
        Metric(f"{prefix}.hallucinated", _r(f"{prefix}.hallucinated", f"{prefix}.pred"),
               f"{what}: predicted figures where gold has none", higher_is_better=False),
    ]


def _similarity(field: str, what: str) -> list[Metric]:
    return [
        Metric(f"{field}.similarity", _r(f"{field}.sim", f"{field}.cases"),
               f"{what}: mean semantic similarity to gold"),
        Metric(f"{field}.judge", _r(f"{field}.judge", f"{field}.judge_cases"),
               f"{what}: mean LLM-judge score", optional=True),
    ]


METRICS: dict[str, Metric] = {
    m.name: m
    for m in [
        Metric("schema.valid_rate", _r("schema.valid", "articles"),
               "predictions that exist and validate against the Brief schema"),
        *_similarity("headline", "headline"),
        *_similarity("summary", "summary"),
        *_prf("actors.name", "actors.name.tp", "actors.gold", "actors.pred", "actors by name"),
        *_prf("actors.name_kind", "actors.name_kind.tp", "actors.gold", "actors.pred",
              "actors by name and kind"),
        *_prf("actors.name_kind_role", "actors.name_kind_role.tp", "actors.gold", "actors.pred",
              "actors by name, kind and role"),
        *_prf("casualties.records", "casualties.tp", "casualties.gold", "casualties.pred",
              "casualty records aligned"),
        *_counts("casualties.killed", "killed per record"),
        *_counts("casualties.wounded", "wounded per record"),
        Metric("casualties.side.accuracy", _r("casualties.side_ok", "casualties.tp"),
               "aligned records with the right side (victims / attackers)"),
        Metric("casualties.attribution.accuracy", _r("casualties.attribution_ok",
               "casualties.tp"), "aligned records with the right attribution"),
        Metric("casualties.perpetrator.accuracy", _r("casualties.perpetrator_ok",
               "casualties.tp"), "aligned records naming the right perpetrator (or none)"),
        Metric("arrests.presence.precision", _r("arrests.presence.tp", "arrests.presence.pred"),
               "articles with predicted arrests that have gold arrests"),
        Metric("arrests.presence.recall", _r("arrests.presence.tp", "arrests.presence.gold"),
               "articles with gold arrests that have predicted arrests"),
        *_prf("arrests.records", "arrests.tp", "arrests.gold", "arrests.pred",
              "arrest records aligned"),
        *_counts("arrests.count", "arrest counts per record"),
        Metric("arrests.status.accuracy", _r("arrests.status_ok", "arrests.tp"),
               "aligned arrest records with the right status"),
        *[Metric(f"totals.{t}.exact", _r(f"totals.{t}.exact", "articles"),
                 f"articles whose derived {t} total equals gold (null = null counts)")
          for t in ("killed", "wounded", "arrested")],
        *[Metric(f"totals.{t}.certain_precision",
                 _r(f"totals.{t}.certain_exact", f"totals.{t}.certain"),
                 f"derived {t} totals marked certain (or not judged) that equal gold")
          for t in ("killed", "wounded", "arrested")],
        *[Metric(f"totals.{t}.certain_coverage",
                 _r(f"totals.{t}.certain_of_gold", f"totals.{t}.gold"),
                 f"articles whose gold gives a total {t} and whose predicted total is "
                 "marked certain (or not judged)")
          for t in ("killed", "wounded", "arrested")],
        *[Metric(f"totals.{t}.claimed_precision",
                 _r(f"totals.{t}.claimed_exact", f"totals.{t}.claimed"),
                 f"derived {t} totals marked certain (or not judged), a judged null ('none "
                 "told': not in totals.uncounted) included, that equal gold (null = null)")
          for t in ("killed", "wounded", "arrested")],
        *[Metric(f"totals.{t}.claimed_coverage",
                 _r(f"totals.{t}.claimed", "articles"),
                 f"articles whose {t} total is marked certain (or not judged), a judged null "
                 "('none told') included")
          for t in ("killed", "wounded", "arrested")],
        Metric("significance.level.accuracy", _r("significance.level_ok", "articles"),
               "diplomatic significance level equal to gold"),
        *_prf("significance.parties", "significance.parties.tp", "significance.parties.gold",
              "significance.parties.pred", "diplomatic parties"),
        *_similarity("significance.summary", "significance summary"),
        Metric("evidence.grounded", _r("evidence.grounded", "evidence.quotes"),
               "predicted quotes found verbatim (or after normalizing) in the article"),
        Metric("evidence.agrees", _r("evidence.agrees", "evidence.aligned_quotes"),
               "quotes of aligned records that overlap a gold quote of the same record"),
        Metric("counts.invented", _r("counts.invented", "counts.figures"),
               "predicted killed, wounded and arrested figures that no number in the article "
               "states (made up, not misread)", higher_is_better=False),
    ]
}

CATEGORIES = ("correct", "partial", "incorrect", "missing", "spurious")
"""Error categories, per element of a field: right; partly right (e.g. a count within
tolerance, an actor with the wrong role); wrong; in gold but not predicted; predicted but not
in gold."""
