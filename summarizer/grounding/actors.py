"""Checking a brief's names: actors, aliases and perpetrators are the article's, and an
actor's quotes mention it.

    name_not_found             an actor (or perpetrator) name and its aliases are not in the text
    alias_not_found            one alias of an actor is not in the text
    name_not_in_evidence       an actor's quotes do not mention it (a name swapped for another)
    perpetrator_role_mismatch  a perpetrator names an actor the brief gives another role
"""

from __future__ import annotations

from ..brief import ActorRole, Brief
from ..text.normalize import label_key
from .flags import FlagSink
from .names import mentions_actor, name_occurs, tied_aliases
from .source import ArticleSource, Spans

__all__ = ["check_names"]


def check_names(brief: Brief, source: ArticleSource, spans: Spans, flag: FlagSink) -> None:
    """Flag every actor, alias and perpetrator name the article does not support."""
    roles = {}
    for i, actor in enumerate(brief.actors):
        path = f"actors[{i}]"
        names = [actor.name, *actor.aliases]
        for n in names:
            roles[label_key(n)] = actor.role
        found = [name_occurs(n, source.full, source.sentences) for n in names]
        if not any(found):
            flag("name_not_found", f"{path}.name",
                 f"neither {actor.name!r} nor its aliases occur in the article")
            continue
        for k, alias in enumerate(actor.aliases):
            if not found[k + 1]:
                flag("alias_not_found", f"{path}.aliases[{k}]",
                     f"alias {alias!r} does not occur in the article")
        _check_actor_evidence(path, actor.name, actor.aliases, len(actor.evidence),
                              source, spans, flag)
    for i, rec in enumerate(brief.casualties):
        if rec.perpetrator is None:
            continue
        path = f"casualties[{i}].perpetrator"
        if not name_occurs(rec.perpetrator, source.full, source.sentences) and not _known(
                rec.perpetrator, brief):
            flag("name_not_found", path,
                 f"perpetrator {rec.perpetrator!r} does not occur in the article")
        role = roles.get(label_key(rec.perpetrator))
        if role not in (None, ActorRole.perpetrator, ActorRole.other):
            flag("perpetrator_role_mismatch", path,
                 f"perpetrator {rec.perpetrator!r} is an actor with role {role}")


def _check_actor_evidence(path: str, name: str, aliases: list[str], n: int,
                          source: ArticleSource, spans: Spans, flag: FlagSink) -> None:
    located = [spans[p][0] for j in range(n) if (p := f"{path}.evidence[{j}]") in spans]
    if not located:
        return  # nothing located to check against (quote_not_found says so)
    tied = tied_aliases(name, aliases, source.full)
    if not any(mentions_actor(name, tied, span) for span in located):
        flag("name_not_in_evidence", f"{path}.name",
             f"{name!r} is not mentioned in its evidence quotes")


def _known(name: str, brief: Brief) -> bool:
    """A perpetrator that names an actor found in the article by one of its aliases."""
    key = label_key(name)
    return any(key in {label_key(n) for n in (a.name, *a.aliases)} for a in brief.actors)
