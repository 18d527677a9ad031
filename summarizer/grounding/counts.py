"""Checking a brief's counts: each stated in its record's evidence, no total recorded as a part.

    no_evidence        a casualty or arrest record gives a count but no quote
    count_unsupported  a count is not stated in its record's evidence
    part_as_total      a record's count is the sum of other records' (double count)
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from itertools import combinations
from typing import Any

from ..brief import ArrestStatus, Brief, Count
from ..text.normalize import label_key
from .figures import MAX_SUM_PARTS, SpanNumber, content_words, numbers_in, states, sums_to
from .flags import FlagSink
from .source import ArticleSource, Spans, Where

__all__ = ["check_counts", "check_parts"]


@dataclass
class _CountCheck:
    path: str
    outcome: str  # killed | wounded | arrested
    count: Count
    numbers: list[SpanNumber]
    group: frozenset[str]  # content words of who is counted
    quotes: list[str]  # the article's text at each located quote
    direct: set[Where] = field(default_factory=set)
    place: frozenset[str] = frozenset()  # content words of its incident ("market bombing")

    def fits(self, number: SpanNumber, groups: set[frozenset[str]]) -> bool:
        """Whether a number can be this count's: tied to its outcome (or none), and not to
        another record's group when two records share a quote ("two members and one
        interpreter": "two" is not the interpreter's)."""
        if number.tag not in (self.outcome, None) or not states(number.mention, self.count):
            return False
        if number.head & self.group:
            return True
        # A breakdown's figure is a part of the figure before it: the record's where it
        # names the record's people or place ("one bomber at the market and two men at the
        # checkpoint"), not otherwise ("31 killed, nine of them children": nine is not the
        # camp's toll).
        if number.part and number.head & self.place:
            return True
        if number.part and any(not n.part and n.tag == self.outcome for n in self.numbers):
            return False
        return not any(number.head & g for g in groups if g != self.group)


def _counts(brief: Brief, spans: Spans,
            source: ArticleSource | None) -> Iterator[_CountCheck]:
    for i, rec in enumerate(brief.casualties):
        for name in ("killed", "wounded"):
            count = getattr(rec, name)
            if count is not None:
                path = f"casualties[{i}]"
                yield _CountCheck(f"{path}.{name}", name, count, _numbers(spans, path, rec, source),
                                  content_words(rec.group), _quotes(spans, path, rec),
                                  place=content_words(rec.incident))
    for i, arr in enumerate(brief.arrests):
        if arr.count is not None:
            path = f"arrests[{i}]"
            yield _CountCheck(f"{path}.count", "arrested", arr.count,
                              _numbers(spans, path, arr, source), content_words(arr.who),
                              _quotes(spans, path, arr), place=content_words(arr.incident or ""))


def _quotes(spans: Spans, path: str, record: Any) -> list[str]:
    return [spans[p][0] for j in range(len(record.evidence))
            if (p := f"{path}.evidence[{j}]") in spans]


def _numbers(spans: Spans, path: str, record: Any,
             source: ArticleSource | None) -> list[SpanNumber]:
    numbers = []
    for j in range(len(record.evidence)):
        located = spans.get(f"{path}.evidence[{j}]")
        if located is not None:
            span, where = located
            context = source.around(where, len(span)) if source is not None else None
            numbers.extend(numbers_in(span, where, context))
    return numbers


def check_counts(brief: Brief, spans: Spans, flag: FlagSink,
                 source: ArticleSource | None = None) -> None:
    """Flag every count its record's located quotes do not state (nor give in parts); with
    the `source`, each quote's numbers are read in the sentence around it."""
    checks = list(_counts(brief, spans, source))
    groups = {c.group for c in checks}
    for c in checks:
        c.direct = {n.key for n in c.numbers if c.fits(n, groups)}
    for c in checks:
        record = c.path.rsplit(".", 1)[0]
        if not _record(brief, record).evidence:
            flag("no_evidence", f"{record}.evidence",
                 f"{c.outcome} {c.count.value} is given with no evidence quote")
            continue
        if c.direct or (c.outcome == "killed" and c.count.value == 0
                        and source is not None and source.states_no_death()):
            continue  # an incident report telling injuries and no death: 0 killed
        # A figure the article gives in parts ("two soldiers and one interpreter") is
        # their sum -- unless another record already counts one of those parts.
        claimed = set().union(*(o.direct for o in checks if o is not c))
        parts = [n for n in c.numbers if n.tag == c.outcome and n.key not in claimed]
        # A breakdown adds up to its own figures, never with the figure it breaks down
        # ("two protesters had died, one of them ...": not three).
        if any(sums_to(c.count.value, [n for n in parts if n.part is part])
               for part in (False, True)):
            continue
        flag("count_unsupported", c.path, _unsupported(c))


def _unsupported(c: _CountCheck) -> str:
    """The flag's message: the quote, what the text there says, and the brief's figure --
    'the quote "four officers were killed" says "four officers" killed; the brief says 5
    killed'."""
    said = list(dict.fromkeys(n.says() for n in c.numbers))[:4]
    what = f"says {', '.join(said)}" if said else f"states no figure of anyone {c.outcome}"
    quote = " / ".join(c.quotes)
    quote = quote if len(quote) <= 110 else quote[:107] + "..."
    return (f'the quote "{quote}" {what}; the brief says {c.count.value} {c.outcome}'
            f"{' (' + c.count.qualifier.value + ')' if c.count.qualifier.value != 'exact' else ''}")


def check_parts(brief: Brief, flag: FlagSink) -> None:
    """Flag a record whose count is the sum of two or more others of the same kind: the
    article's total ("eight in all") recorded as if it were one more part."""
    arrests = [(f"arrests[{i}].count", a.count.value, label_key(a.incident), label_key(a.who))
               for i, a in enumerate(brief.arrests)
               if a.count is not None
               and a.status in (ArrestStatus.arrested, ArrestStatus.detained)]
    _flag_totals(arrests, "arrests", flag)
    for name in ("killed", "wounded"):
        groups: dict[tuple[str, str], list[tuple[str, int, str, str]]] = {}
        for i, rec in enumerate(brief.casualties):
            count = getattr(rec, name)
            if count is None or rec.superseded:
                continue
            # Attackers and victims never add up to each other's totals.
            key = (label_key(rec.incident), rec.side.value)
            groups.setdefault(key, []).append(
                (f"casualties[{i}].{name}", count.value, key[0], label_key(rec.group)))
        for records in groups.values():
            _flag_totals(records, f"{name} records", flag)


def _flag_totals(records: list[tuple[str, int, str, str]], what: str, flag: FlagSink) -> None:
    for path, value, incident, group in records:
        others = [o for o in records if o[0] != path and o[1] > 0 and o[3] != group
                  and (not incident or not o[2] or o[2] == incident)]
        values = [o[1] for o in others][:MAX_SUM_PARTS]
        for n in range(2, len(values) + 1):
            combo = next((c for c in combinations(values, n) if sum(c) == value), None)
            if value > 0 and combo:
                parts = " + ".join(str(v) for v in combo)
                flag("part_as_total", path, f"{value} is the sum of other {what} "
                     f"({parts}): a total recorded as a part")
                break


def _record(brief: Brief, path: str) -> Any:
    section, _, index = path.rstrip("]").partition("[")
    return getattr(brief, section)[int(index)]
