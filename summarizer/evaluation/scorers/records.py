"""Scoring aligned records: actors, casualties, arrests and diplomatic significance.

Gold and predicted records are aligned one-to-one (Hungarian, above a threshold); a pair is
scored field by field, an unaligned gold record is missing and an unaligned prediction
spurious.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from ...brief import Count, SignificanceLevel
from ..align import (
    NAME_THRESHOLD,
    RECORD_THRESHOLD,
    align,
    label_similarity,
    names_similarity,
    normalize_name,
)
from ..gold import GoldActor, GoldArrest, GoldBrief, GoldCasualty
from .counts import score_count
from .evidence import score_agreement
from .record import ArticleScore, plain

__all__ = ["AliasIndex", "score_actors", "score_arrests", "score_casualties",
           "score_significance"]


class AliasIndex:
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


_LEVELS = [SignificanceLevel.none, SignificanceLevel.low, SignificanceLevel.moderate,
           SignificanceLevel.high]


def _same_count(gold: Count | None, pred: Count | None) -> bool:
    if gold is None or pred is None:
        return gold is None and pred is None
    return gold.value == pred.value


def _count_agreement(pairs: Sequence[tuple[Count | None, Count | None]]) -> float:
    return sum(_same_count(g, p) for g, p in pairs) / len(pairs)


def score_actors(score: ArticleScore, gold: GoldBrief, view: Any) -> None:
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
        score_agreement(score, g, p)
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


def score_casualties(score: ArticleScore, gold: GoldBrief, view: Any,
                      aliases: AliasIndex) -> None:
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
                       plain(getattr(g, name)), plain(getattr(p, name)))
        score.diff("casualties", path, _record_category(checks), g.group, p.group)
        score_agreement(score, g, p)
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


def score_arrests(score: ArticleScore, gold: GoldBrief, view: Any) -> None:
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
        score_agreement(score, g, p)
    for i in result.missing:
        g, path = g_recs[i], f"arrests[{i}]"
        score.diff("arrests", path, "missing", g.who, None)
        score_count(score, "arrests.count", f"{path}.count", g.count, None)
    for j in result.spurious:
        p, path = p_recs[j], f"arrests[+{j}]"
        score.diff("arrests", path, "spurious", None, p.who)
        score_count(score, "arrests.count", f"{path}.count", None, p.count)


def score_significance(score: ArticleScore, gold: GoldBrief, view: Any,
                        aliases: AliasIndex) -> None:
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
        score_agreement(score, g, p)
