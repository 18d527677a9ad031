"""Grouping candidates into records: figures of one sentence into casualty records, names
into actors; and a candidate figure as a brief's `Count`."""

from __future__ import annotations

import re
from dataclasses import replace
from typing import Any

from ..brief import ActorKind, Count, Qualifier
from ..text import CountCandidate, NameCandidate, Sentence
from ..text.numbers import NumberKind

__all__ = ["best_name", "by_sentence", "count_records", "merge_names", "to_count"]


def by_sentence(cands: Any) -> list[tuple[Sentence, list[CountCandidate]]]:
    out: dict[int, tuple[Sentence, list[CountCandidate]]] = {}
    for c in cands:
        out.setdefault(c.sentence.start, (c.sentence, []))[1].append(c)
    return list(out.values())


# A figure's "group" read from the words after its number is no group of people when it opens
# with a word that cannot open one: "wounding 22 before they were shot dead" has no group.
_NOT_A_GROUP = re.compile(r"(?:before|after|when|while|as|since|until|during|because|they|he|"
                          r"she|it|we|and|but|or|in|on|at|to|by|with|from|for)\b", re.I)


def people_group(c: CountCandidate) -> CountCandidate:
    """`c` with no group where the words read as its group are no noun phrase."""
    return replace(c, group="") if c.group and _NOT_A_GROUP.match(c.group) else c


def count_records(cands: list[CountCandidate]) -> list[list[CountCandidate]]:
    """Figures of one sentence grouped into records: a killed and a wounded figure for the
    same group (or for no group) are one record."""
    records: list[list[CountCandidate]] = []
    for c in cands:
        home = next((r for r in records if all(o.outcome != c.outcome for o in r)
                     and r[0].side == c.side
                     and (not c.group or not r[0].group or c.group == r[0].group)), None)
        if home is None:
            records.append([c])
        else:
            home.append(c)
    return records


def merge_names(names: list[NameCandidate]) -> list[list[NameCandidate]]:
    """Candidates joined by alias links or by containment ("Ahmed al-Sharaa" in "Syrian
    President Ahmed al-Sharaa"), in order of first appearance."""
    parent = list(range(len(names)))

    def find(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    index = {c.text: i for i, c in enumerate(names)}
    for i, c in enumerate(names):
        for alias in c.aliases:
            if alias in index:
                parent[find(index[alias])] = find(i)
        for j, o in enumerate(names):
            if i != j and c.kind == o.kind == "person" and c.text.endswith(" " + o.text):
                parent[find(i)] = find(j)
    groups: dict[int, list[NameCandidate]] = {}
    for i, c in enumerate(names):
        groups.setdefault(find(i), []).append(c)
    return sorted(groups.values(), key=lambda g: min(c.first for c in g))


def best_name(members: list[NameCandidate], kind: ActorKind) -> str:
    # The fullest name without a title: "Ahmed al-Sharaa", not "Syrian President Ahmed ...".
    plain = [c.text for c in members if not re.search(
        r"\b(?:President|Minister|Secretary|Governor|Mayor|General|King|Prince)\b", c.text)
        or kind is not ActorKind.person]
    pool = plain or [c.text for c in members]
    return max(pool, key=lambda n: (len(n.split()) if len(n) > 4 else 0, -pool.index(n)))


def to_count(c: CountCandidate | None) -> Count | None:
    if c is None:
        return None
    m = c.mention
    if m.kind is NumberKind.vague:  # "dozens": the least it can mean
        return Count(value=m.low, qualifier=Qualifier.at_least)
    return Count(value=min(m.low, 100_000), qualifier=m.qualifier)
