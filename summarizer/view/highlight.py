"""Article text as HTML with every located evidence quote wrapped in a `<mark>`.

Quotes may nest (a short quote inside a longer one) or cross (one starts inside another and
ends after it). HTML elements cannot cross, so at every boundary the open marks are closed
back to the longest prefix still active and the rest reopened. A quote's first element is its
`<mark data-q=...>` (exactly one per located quote); a crossing quote continues in
`<mark data-cont=...>` elements. Nested and disjoint quotes are never split, so their one
`data-q` mark holds exactly `text[start:end]`.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from markupsafe import Markup, escape


@dataclass(frozen=True)
class Span:
    """One located quote: where it is, which mark it is and which fact it supports."""

    qid: str
    fact_id: str
    start: int
    end: int
    flagged: bool = False
    label: str = ""


def _open_tag(span: Span, first: bool) -> str:
    cls = "q flagged" if span.flagged else "q"
    attr = "data-q" if first else "data-cont"
    ident = f' id="{escape(span.qid)}"' if first else ""
    title = f' title="{escape(span.label)}"' if span.label else ""
    return (f'<mark{ident} class="{cls}" {attr}="{escape(span.qid)}" '
            f'data-fact="{escape(span.fact_id)}" data-start="{span.start}" '
            f'data-end="{span.end}"{title}>')


def valid_spans(text: str, spans: Sequence[Span]) -> list[Span]:
    """The spans that can be marked: inside the text and not empty."""
    return [s for s in spans if 0 <= s.start < s.end <= len(text)]


def highlight(text: str, spans: Sequence[Span]) -> Markup:
    """`text`, escaped, with a `<mark>` per span (see the module docstring for overlaps)."""
    ordered = sorted(valid_spans(text, spans), key=lambda s: (s.start, -s.end))
    bounds = sorted({0, len(text)} | {s.start for s in ordered} | {s.end for s in ordered})
    out: list[str] = []
    open_: list[Span] = []
    opened: set[str] = set()
    for a, b in zip(bounds, bounds[1:], strict=False):
        active = [s for s in ordered if s.start <= a and b <= s.end]
        keep = 0
        while keep < min(len(open_), len(active)) and open_[keep] is active[keep]:
            keep += 1
        out.append("</mark>" * (len(open_) - keep))
        for span in active[keep:]:
            out.append(_open_tag(span, span.qid not in opened))
            opened.add(span.qid)
        open_ = active
        out.append(str(escape(text[a:b])))
    out.append("</mark>" * len(open_))
    return Markup("".join(out))
