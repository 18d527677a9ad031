"""Score one prediction against one gold brief: additive counts plus a field-level diff.

Pure and model-free (the text similarity is injected), so every scorer is tested on
constructed cases. A prediction of `None` (the run failed, or its output did not validate) is
scored as an empty brief: everything gold holds is missing, and the schema-valid rate drops.

The counts' keys are the ones `metrics.METRICS` divides; the diff entries carry an error
category (correct, partial, incorrect, missing, spurious) for every scored element.

Modules, one job each: record (ArticleScore, FieldDiff), counts (count slots and totals),
evidence (quotes and stated figures), records (aligned actors, casualties, arrests,
significance), prediction (`score_article`, free text, the entry point).
"""

from .counts import score_count, within_tolerance
from .evidence import quote_in_article, quotes_overlap, stated_figures
from .prediction import TEXT_FIELDS, Judge, predicted_totals, score_article
from .record import ArticleScore, FieldDiff

__all__ = [
    "TEXT_FIELDS",
    "ArticleScore",
    "FieldDiff",
    "Judge",
    "predicted_totals",
    "quote_in_article",
    "quotes_overlap",
    "score_article",
    "score_count",
    "stated_figures",
    "within_tolerance",
]
