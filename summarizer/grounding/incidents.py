"""Checking which incident a casualty record's count belongs to, where a brief has several.

    incident_mismatch  the sentences around a record's quotes name another incident of the
                       brief and not its own ("the checkpoint" for a record of the market
                       bombing): a count moved to the wrong incident

An incident is named by the words of its label no other label has ("Kasuwan Shanu cattle
market bombing" against "Damboa road checkpoint bombing": market, cattle, ...). A record
whose sentences name neither is not judged.
"""

from __future__ import annotations

from ..brief import Brief
from ..text.normalize import label_key
from .figures import content_words
from .flags import FlagSink
from .source import ArticleSource, Spans

__all__ = ["check_incidents"]

_GENERIC = frozenset({"attack", "bombing", "blast", "strike", "shooting", "clash", "raid",
                      "killing", "incident", "violence", "fighting", "explosion", "ambush"})


def check_incidents(brief: Brief, spans: Spans, source: ArticleSource, flag: FlagSink) -> None:
    """Flag a record whose quotes' sentences name another incident and not its own."""
    labels = {label_key(r.incident): r.incident for r in brief.casualties}
    if len(labels) < 2:
        return
    words = {k: content_words(v) - _GENERIC for k, v in labels.items()}
    own = {k: w - frozenset().union(*(o for j, o in words.items() if j != k))
           for k, w in words.items()}
    for i, rec in enumerate(brief.casualties):
        path = f"casualties[{i}]"
        located = [located for p, located in spans.items() if p.startswith(f"{path}.evidence[")]
        around = [source.around(where, len(span)) for span, where in located]
        said = content_words(" ".join(a[0] for a in around if a is not None))
        key = label_key(rec.incident)
        named = {k for k, w in own.items() if said & w}
        if not named:  # the incident named in the sentence before: "At the market, ..."
            said = content_words(" ".join(source.before(where) for _, where in located))
            named = {k for k, w in own.items() if said & w}
        if key in named:
            continue
        other = [labels[k] for k in named]
        if other:
            flag("incident_mismatch", f"{path}.incident",
                 f"the quotes of this {rec.incident!r} record tell of {other[0]!r} "
                 f"({', '.join(sorted(said & own[label_key(other[0])])[:3])})")
