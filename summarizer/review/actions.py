"""A reviewer's moves on a brief (accept, reject, correct, add from a selection) as changes to
its JSON data. Every move is checked here and the result validated as a Brief by the caller:
a move that does not fit is a ValueError with one line saying why."""

from __future__ import annotations

import copy
import re
from typing import Any

from ..brief import ActorRole, ArrestStatus, Qualifier, Side

_FACT = re.compile(r"^/(casualties|arrests|actors)/(\d+)$")
_DIGITS = re.compile(r"\d+")

# what may be corrected, per kind of fact: field -> what its value must be
_COUNT, _QUALIFIER, _TEXT = "count", "qualifier", "text"
FIELDS: dict[str, dict[str, Any]] = {
    "casualties": {"killed": _COUNT, "killed.qualifier": _QUALIFIER, "wounded": _COUNT,
                   "wounded.qualifier": _QUALIFIER, "side": [s.value for s in Side],
                   "group": _TEXT, "incident": _TEXT},
    "arrests": {"count": _COUNT, "count.qualifier": _QUALIFIER,
                "status": [s.value for s in ArrestStatus], "who": _TEXT},
    "actors": {"role": [r.value for r in ActorRole], "name": _TEXT},
}
QUALIFIERS = [q.value for q in Qualifier]
KINDS = {"casualty": "casualties", "arrest": "arrests", "actor": "actors"}


def fact_of(pointer: object) -> tuple[str, int]:
    m = _FACT.match(pointer) if isinstance(pointer, str) else None
    if m is None:
        raise ValueError(f"{pointer!r} is not a fact (e.g. /casualties/0)")
    return m.group(1), int(m.group(2))


def _renumber(accepted: list[str], kind: str, gone: int) -> list[str]:
    """The accepted pointers once fact `gone` of `kind` is removed (later ones move up)."""
    out = []
    for p in accepted:
        k, i = fact_of(p)
        if k == kind and i == gone:
            continue
        out.append(f"/{k}/{i - 1}" if k == kind and i > gone else p)
    return out


def _count(value: object) -> int | None:
    if value is None or value == "":
        return None
    if isinstance(value, bool) or not isinstance(value, int | str) or not str(value).isdigit():
        raise ValueError(f"a count is a whole number or empty, not {value!r}")
    return int(value)


def _set(fact: dict[str, Any], field: str, rule: Any, value: object) -> None:
    if rule == _COUNT:
        n = _count(value)
        if n is None:
            fact[field] = None
        else:
            old = fact.get(field) or {"qualifier": "exact"}
            fact[field] = {"value": n, "qualifier": old["qualifier"]}
    elif rule == _QUALIFIER:
        slot = field.split(".")[0]
        if value not in QUALIFIERS:
            raise ValueError(f"a qualifier is one of {', '.join(QUALIFIERS)}")
        if fact.get(slot) is None:
            raise ValueError(f"{slot} has no figure to qualify: give it a number first")
        fact[slot] = {**fact[slot], "qualifier": value}
    elif rule == _TEXT:  # its length is the Brief's to check
        if not isinstance(value, str) or not value.strip():
            raise ValueError(f"{field} is some text")
        fact[field] = " ".join(value.split())
    else:
        if value not in rule:
            raise ValueError(f"{field} is one of {', '.join(rule)}")
        fact[field] = value


def _added(brief: dict[str, Any], kind: str, quote: str, start: int, end: int
           ) -> dict[str, Any]:
    """A new fact stating `quote`: its words stand in for its text fields (the reviewer
    corrects them), a figure in digits is taken as its count."""
    evidence = [{"quote": quote, "where": "text", "start": start, "end": end, "match": "exact"}]
    words = " ".join(quote.split())
    m = _DIGITS.search(quote)
    figure = {"value": int(m.group()), "qualifier": "exact"} if m else None
    if kind == "casualties":
        same = brief["casualties"][0]["incident"] if brief["casualties"] else "added in review"
        return {"incident": same, "group": words[:100], "side": "victims", "killed": figure,
                "wounded": None, "evidence": evidence}
    if kind == "arrests":
        return {"count": figure, "who": words[:100], "status": "arrested", "evidence": evidence}
    return {"name": words[:80], "kind": "other", "role": "other", "evidence": evidence}


def apply(brief: dict[str, Any], accepted: list[str], move: object, text: str | None
          ) -> tuple[dict[str, Any], list[str]]:
    """(brief, accepted) after one move; the inputs are left as they were."""
    if not isinstance(move, dict):
        raise ValueError("a move is a JSON object")
    brief, accepted = copy.deepcopy(brief), list(accepted)
    do = move.get("do")
    if do == "add":
        kind = KINDS.get(str(move.get("kind")))
        start, end = move.get("start"), move.get("end")
        if kind is None:
            raise ValueError(f"add one of {', '.join(KINDS)}")
        if text is None:
            raise ValueError("this brief's article text is not available to quote from")
        if not (isinstance(start, int) and isinstance(end, int) and 0 <= start < end
                <= len(text)):
            raise ValueError("the selection is not a span of the article")
        quote = text[start:end]
        if not quote.strip() or end - start > 300:
            raise ValueError("select a quote of 1 to 300 characters")
        brief[kind].append(_added(brief, kind, quote, start, end))
        return brief, accepted
    kind, index = fact_of(move.get("fact"))
    facts = brief.get(kind, [])
    if index >= len(facts):
        raise ValueError(f"the brief has no {move.get('fact')}")
    pointer = f"/{kind}/{index}"
    if do == "accept":
        if pointer not in accepted:
            accepted.append(pointer)
    elif do == "reject":
        del facts[index]
        accepted = _renumber(accepted, kind, index)
    elif do == "set":
        field = str(move.get("field"))
        rule = FIELDS[kind].get(field)
        if rule is None:
            raise ValueError(f"{field!r} cannot be corrected on {kind}")
        _set(facts[index], field, rule, move.get("value"))
        accepted = [p for p in accepted if p != pointer]  # changed: to be accepted again
    else:
        raise ValueError(f"{do!r} is not a move (accept, reject, set, add)")
    return brief, accepted
