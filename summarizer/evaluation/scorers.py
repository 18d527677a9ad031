"""Score one prediction against one gold brief: additive counts plus a field-level diff.

Pure and model-free (the text similarity is injected), so every scorer is tested on
constructed cases. A prediction of `None` (the run failed, or its output did not validate) is
scored as an empty brief: everything gold holds is missing, and the schema-valid rate drops.

The counts' keys are the ones `metrics.METRICS` divides; the diff entries carry an error
category (correct, partial, incorrect, missing, spurious) for every scored element.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from rapidfuzz import fuzz

from ..article import Article
from ..brief import (
    Brief,
    BriefDraft,
    Count,
    SignificanceLevel,
    Total,
    Totals,
    derive_totals,
)
from ..numbers import find_numbers
from .align import (
    NAME_THRESHOLD,
    RECORD_THRESHOLD,
    align,
    label_similarity,
    names_similarity,
    normalize_name,
)
from .gold import GoldActor, GoldArrest, GoldBrief, GoldCasualty, GoldCount
from .metrics import TOLERANCE
from .similarity import Similarity

Judge = Callable[[str, str, str], float]
"""An optional LLM judge: (field, gold text, predicted text) -> score in [0, 1]."""

TEXT_FIELDS = ("headline", "summary", "significance.summary")
_LEVELS = [SignificanceLevel.none, SignificanceLevel.low, SignificanceLevel.moderate,
           SignificanceLevel.high]


@dataclass(frozen=True)
class FieldDiff:
    """One scored element: where it is, how it went, and both sides as short text."""

    field: str
    path: str
    category: str
    gold: str | None = None
    pred: str | None = None


@dataclass
class ArticleScore:
    article_id: str
    valid: bool
    counts: dict[str, float] = field(default_factory=dict)
    diffs: list[FieldDiff] = field(default_factory=list)

    def add(self, key: str, amount: float = 1.0) -> None:
        self.counts[key] = self.counts.get(key, 0.0) + amount

    def diff(self, field_: str, path: str, category: str, gold: Any = None,
             pred: Any = None) -> None:
        self.diffs.append(FieldDiff(field_, path, category, _show(gold), _show(pred)))


def _show(value: Any) -> str | None:
    if value is None:
        return None
    if isinstance(value, Count):
        qual = "" if value.qualifier.value == "exact" else f"{value.qualifier.value} "
        return f"{qual}{value.value}"
    if isinstance(value, Total):
        text = str(value.low) if value.low == value.high else f"{value.low}-{value.high}"
        return f"at least {text}" if value.at_least else text
    return str(value)


def _plain(value: Any) -> Any:
    return getattr(value, "value", value)  # enum members show as their value


# --- counts -------------------------------------------------------------------------------


def within_tolerance(gold: GoldCount, value: int) -> bool:
    """Inside the labeled range; with no range, within TOLERANCE of the gold figure."""
    if gold.has_range:
        low, high = gold.bounds
        return low <= value <= high
    return abs(value - gold.value) <= int(TOLERANCE * gold.value)


def score_count(score: ArticleScore, prefix: str, path: str, gold: GoldCount | None,
                pred: Count | None) -> bool:
    """Score one count slot; returns True when it is exactly right (null = null included).

    0 is a number: a predicted 0 where gold is null is hallucinated, a null where gold says 0
    is omitted.
    """
    if gold is None and pred is None:
        return True
    if gold is not None:
        score.add(f"{prefix}.gold")
    if pred is not None:
        score.add(f"{prefix}.pred")
    if gold is None:
        score.add(f"{prefix}.hallucinated")
        score.diff(prefix, path, "spurious", None, pred)
        return False
    if pred is None:
        score.add(f"{prefix}.omitted")
        score.diff(prefix, path, "missing", gold, None)
        return False
    exact = pred.value == gold.value
    within = exact or within_tolerance(gold, pred.value)
    score.add(f"{prefix}.exact", float(exact))
    score.add(f"{prefix}.within", float(within))
    if exact and pred.qualifier == gold.qualifier:
        category = "correct"
    else:
        category = "partial" if within else "incorrect"
    score.diff(prefix, path, category, gold, pred)
    return exact


def _same_count(gold: Count | None, pred: Count | None) -> bool:
    if gold is None or pred is None:
        return gold is None and pred is None
    return gold.value == pred.value


def _count_agreement(pairs: Sequence[tuple[Count | None, Count | None]]) -> float:
    return sum(_same_count(g, p) for g, p in pairs) / len(pairs)


# --- names --------------------------------------------------------------------------------


class _AliasIndex:
    """Expands a name to every name of the gold actor it belongs to (IS -> Islamic State)."""

    def __init__(self, actors: Sequence[GoldActor]) -> None:
        self._groups: dict[str, list[str]] = {}
        for actor in actors:
            names = [actor.name, *actor.aliases]
            for name in names:
                self._groups.setdefault(normalize_name(name), names)

    def expand(self, name: str) -> list[str]:
        return self._groups.get(normalize_name(name), [name])

    def same(self, a: str | None, b: str | None) -> bool:
        if a is None or b is None:
            return a is None and b is None
        return names_similarity(self.expand(a), self.expand(b)) >= NAME_THRESHOLD


# --- evidence -----------------------------------------------------------------------------

_SPACE = re.compile(r"\s+")
_FOLD = str.maketrans({"“": '"', "”": '"', "‘": "'", "’": "'", "–": "-", "—": "-"})


def _norm_text(text: str) -> str:
    return _SPACE.sub(" ", text.translate(_FOLD)).strip().casefold()


def quote_in_article(quote: str, article: Article) -> bool:
    """Verbatim in the text or title, or after folding case, quotes, dashes and spaces."""
    if quote in article.text or (article.title and quote in article.title):
        return True
    q = _norm_text(quote)
    return bool(q) and (q in _norm_text(article.text) or q in _norm_text(article.title or ""))


def quotes_overlap(pred: str, gold: Iterable[str]) -> bool:
    """A predicted quote agrees with gold when it shares a span with a gold quote."""
    p = _norm_text(pred)
    return any(p in g or g in p or fuzz.partial_ratio(p, g) >= 90
               for g in (_norm_text(q) for q in gold))


def _quotes(item: Any) -> list[str]:
    return [e.quote for e in getattr(item, "evidence", [])]


# --- the article scorer -------------------------------------------------------------------


class _Empty:
    """What a failed prediction contributes: nothing."""

    headline = summary = ""
    actors: list[Any] = []
    casualties: list[Any] = []
    arrests: list[Any] = []
    diplomatic_significance = None


def predicted_totals(pred: BriefDraft | None) -> Totals:
    """A Brief carries its derived totals; a bare draft gets them derived here."""
    if pred is None:
        return Totals()
    return pred.totals if isinstance(pred, Brief) else derive_totals(pred)


def score_article(
    article_id: str,
    gold: GoldBrief,
    gold_totals: Totals,
    pred: BriefDraft | None,
    article: Article | None,
    similarity: Similarity,
    judge: Judge | None = None,
) -> ArticleScore:
    """Every field of one article. `article` feeds the grounding check (skipped when None)."""
    score = ArticleScore(article_id, valid=pred is not None)
    score.add("articles")
    score.add("schema.valid", float(pred is not None))
    view: Any = pred if pred is not None else _Empty()
    aliases = _AliasIndex(gold.actors)

    _score_text(score, gold, view, similarity, judge)
    _score_actors(score, gold, view)
    _score_casualties(score, gold, view, aliases)
    _score_arrests(score, gold, view)
    _score_totals(score, gold_totals, predicted_totals(pred))
    _score_significance(score, gold, view, aliases)
    if article is not None:
        for quote in _all_quotes(view):
            score.add("evidence.quotes")
            score.add("evidence.grounded", float(quote_in_article(quote, article)))
        stated = stated_figures(article.text)
        for value in _figures(view):
            score.add("counts.figures")
            score.add("counts.invented", float(value not in stated))
    return score


# "the captain, the chief engineer and the first officer were arrested" states three.
_LIST = re.compile(r"((?:[^,;.:]{1,60},\s+)+)[^,;.:]{1,60}?,?\s+and\s")


def stated_figures(text: str) -> set[int]:
    """Every value the text states: a number (any value of a range it gives: "dozens" is
    24-99), "none" as 0, "a"/"an" as 1, and the length of a list of three or more."""
    out: set[int] = set()
    for m in find_numbers(text, indefinite=True):
        out.update(range(m.low, min(m.high, m.low + 1_000) + 1))
    out.update(m.group(1).count(",") + 2 for m in _LIST.finditer(text))
    return out


def _figures(view: Any) -> list[int]:
    counts = [c for rec in view.casualties for c in (rec.killed, rec.wounded)]
    counts += [a.count for a in view.arrests]
    return [c.value for c in counts if c is not None]


def _all_quotes(view: Any) -> list[str]:
    items = [*view.actors, *view.casualties, *view.arrests]
    if view.diplomatic_significance is not None:
        items.append(view.diplomatic_significance)
    return [q for item in items for q in _quotes(item)]


def _agree(score: ArticleScore, gold_item: Any, pred_item: Any) -> None:
    gold_quotes = _quotes(gold_item)
    if not gold_quotes:
        return
    for quote in _quotes(pred_item):
        score.add("evidence.aligned_quotes")
        score.add("evidence.agrees", float(quotes_overlap(quote, gold_quotes)))


def _score_text(score: ArticleScore, gold: GoldBrief, view: Any, similarity: Similarity,
                judge: Judge | None) -> None:
    sig = view.diplomatic_significance
    texts = {
        "headline": (gold.headline, view.headline),
        "summary": (gold.summary, view.summary),
        "significance.summary": (gold.diplomatic_significance.summary,
                                 sig.summary if sig is not None else ""),
    }
    # A gold significance with no summary ("none" level) is no case for similarity.
    cases = {k: v for k, v in texts.items() if v[0].strip()}
    sims = similarity.scores(list(cases.values()))
    for (name, (g, p)), sim in zip(cases.items(), sims, strict=True):
        score.add(f"{name}.cases")
        score.add(f"{name}.sim", sim)
        if judge is not None:
            score.add(f"{name}.judge_cases")
            score.add(f"{name}.judge", float(judge(name, g, p)) if p else 0.0)


def _score_actors(score: ArticleScore, gold: GoldBrief, view: Any) -> None:
    g_actors, p_actors = gold.actors, view.actors
    result = align(
        g_actors, p_actors,
        lambda g, p: names_similarity([g.name, *g.aliases], [p.name, *p.aliases]),
        NAME_THRESHOLD,
    )
    score.add("actors.gold", len(g_actors))
    score.add("actors.pred", len(p_actors))
    for pair in result.pairs:
        g, p = g_actors[pair.gold], p_actors[pair.pred]
        kind_ok, role_ok = g.kind == p.kind, g.role == p.role
        score.add("actors.name.tp")
        score.add("actors.name_kind.tp", float(kind_ok))
        score.add("actors.name_kind_role.tp", float(kind_ok and role_ok))
        category = "correct" if kind_ok and role_ok else "partial"
        score.diff("actors", f"actors[{pair.gold}]", category,
                   f"{g.name} ({g.kind.value}, {g.role.value})",
                   f"{p.name} ({p.kind.value}, {p.role.value})")
        _agree(score, g, p)
    for i in result.missing:
        score.diff("actors", f"actors[{i}]", "missing", g_actors[i].name, None)
    for j in result.spurious:
        score.diff("actors", f"actors[+{j}]", "spurious", None, p_actors[j].name)


def _casualty_similarity(g: GoldCasualty, p: Any) -> float:
    where_g = f"{g.incident} {g.location or ''}"
    where_p = f"{p.incident} {p.location or ''}"
    return (0.45 * label_similarity(g.group, p.group)
            + 0.25 * label_similarity(where_g, where_p)
            + 0.15 * _count_agreement([(g.killed, p.killed), (g.wounded, p.wounded)])
            + 0.15 * float(g.side == p.side))


def _score_casualties(score: ArticleScore, gold: GoldBrief, view: Any,
                      aliases: _AliasIndex) -> None:
    g_recs, p_recs = gold.casualties, view.casualties
    result = align(g_recs, p_recs, _casualty_similarity, RECORD_THRESHOLD)
    score.add("casualties.gold", len(g_recs))
    score.add("casualties.pred", len(p_recs))
    for pair in result.pairs:
        g, p = g_recs[pair.gold], p_recs[pair.pred]
        path = f"casualties[{pair.gold}]"
        score.add("casualties.tp")
        checks = [
            score_count(score, "casualties.killed", f"{path}.killed", g.killed, p.killed),
            score_count(score, "casualties.wounded", f"{path}.wounded", g.wounded, p.wounded),
        ]
        for name, ok in (("side", g.side == p.side),
                         ("attribution", g.attribution == p.attribution),
                         ("perpetrator", aliases.same(g.perpetrator, p.perpetrator))):
            score.add(f"casualties.{name}_ok", float(ok))
            checks.append(ok)
            score.diff(f"casualties.{name}", f"{path}.{name}", "correct" if ok else "incorrect",
                       _plain(getattr(g, name)), _plain(getattr(p, name)))
        score.diff("casualties", path, _record_category(checks), g.group, p.group)
        _agree(score, g, p)
    for i in result.missing:
        g, path = g_recs[i], f"casualties[{i}]"
        score.diff("casualties", path, "missing", g.group, None)
        score_count(score, "casualties.killed", f"{path}.killed", g.killed, None)
        score_count(score, "casualties.wounded", f"{path}.wounded", g.wounded, None)
    for j in result.spurious:
        p, path = p_recs[j], f"casualties[+{j}]"
        score.diff("casualties", path, "spurious", None, p.group)
        score_count(score, "casualties.killed", f"{path}.killed", None, p.killed)
        score_count(score, "casualties.wounded", f"{path}.wounded", None, p.wounded)


def _record_category(checks: Sequence[bool]) -> str:
    if all(checks):
        return "correct"
    return "incorrect" if not any(checks) else "partial"


def _arrest_similarity(g: GoldArrest, p: Any) -> float:
    return (0.5 * label_similarity(g.who, p.who)
            + 0.2 * label_similarity(g.by, p.by)
            + 0.15 * _count_agreement([(g.count, p.count)])
            + 0.15 * float(g.status == p.status))


def _score_arrests(score: ArticleScore, gold: GoldBrief, view: Any) -> None:
    g_recs, p_recs = gold.arrests, view.arrests
    g_has, p_has = bool(g_recs), bool(p_recs)
    score.add("arrests.presence.gold", float(g_has))
    score.add("arrests.presence.pred", float(p_has))
    score.add("arrests.presence.tp", float(g_has and p_has))
    result = align(g_recs, p_recs, _arrest_similarity, RECORD_THRESHOLD)
    score.add("arrests.gold", len(g_recs))
    score.add("arrests.pred", len(p_recs))
    for pair in result.pairs:
        g, p = g_recs[pair.gold], p_recs[pair.pred]
        path = f"arrests[{pair.gold}]"
        score.add("arrests.tp")
        count_ok = score_count(score, "arrests.count", f"{path}.count", g.count, p.count)
        status_ok = g.status == p.status
        score.add("arrests.status_ok", float(status_ok))
        score.diff("arrests.status", f"{path}.status", "correct" if status_ok else "incorrect",
                   g.status.value, p.status.value)
        score.diff("arrests", path, _record_category([count_ok, status_ok]), g.who, p.who)
        _agree(score, g, p)
    for i in result.missing:
        g, path = g_recs[i], f"arrests[{i}]"
        score.diff("arrests", path, "missing", g.who, None)
        score_count(score, "arrests.count", f"{path}.count", g.count, None)
    for j in result.spurious:
        p, path = p_recs[j], f"arrests[+{j}]"
        score.diff("arrests", path, "spurious", None, p.who)
        score_count(score, "arrests.count", f"{path}.count", None, p.count)


def _score_totals(score: ArticleScore, gold: Totals, pred: Totals) -> None:
    for name in ("killed", "wounded", "arrested"):
        g, p = getattr(gold, name), getattr(pred, name)
        exact = (g is None and p is None) or (
            g is not None and p is not None and (g.low, g.high) == (p.low, p.high))
        score.add(f"totals.{name}.exact", float(exact))
        if g is None and p is None:
            continue
        if exact:
            category = "correct"
        elif g is None:
            category = "spurious"
        elif p is None:
            category = "missing"
        else:
            overlap = p.low <= g.high and g.low <= p.high
            category = "partial" if overlap else "incorrect"
        score.diff(f"totals.{name}", f"totals.{name}", category, g, p)


def _score_significance(score: ArticleScore, gold: GoldBrief, view: Any,
                        aliases: _AliasIndex) -> None:
    g = gold.diplomatic_significance
    p = view.diplomatic_significance
    p_level = p.level if p is not None else None
    ok = p_level == g.level
    score.add("significance.level_ok", float(ok))
    if ok:
        category = "correct"
    elif p_level is None:
        category = "missing"
    else:
        near = abs(_LEVELS.index(p_level) - _LEVELS.index(g.level)) == 1
        category = "partial" if near else "incorrect"
    score.diff("significance.level", "diplomatic_significance.level", category, g.level.value,
               p_level.value if p_level is not None else None)

    p_parties = list(p.parties) if p is not None else []
    result = align(g.parties, p_parties,
                   lambda a, b: names_similarity(aliases.expand(a), aliases.expand(b)),
                   NAME_THRESHOLD)
    score.add("significance.parties.gold", len(g.parties))
    score.add("significance.parties.pred", len(p_parties))
    score.add("significance.parties.tp", len(result.pairs))
    for pair in result.pairs:
        score.diff("significance.parties", f"diplomatic_significance.parties[{pair.gold}]",
                   "correct", g.parties[pair.gold], p_parties[pair.pred])
    for i in result.missing:
        score.diff("significance.parties", f"diplomatic_significance.parties[{i}]", "missing",
                   g.parties[i], None)
    for j in result.spurious:
        score.diff("significance.parties", f"diplomatic_significance.parties[+{j}]",
                   "spurious", None, p_parties[j])
    if p is not None:
        _agree(score, g, p)
