"""Small inline SVG charts drawn from numbers: bars with confidence intervals, a forest plot
of paired differences, stacked category bars.

Written by hand rather than with matplotlib so the core install stays light and the report
renders the same everywhere, at write time, with no font or backend to find. Every label is
escaped; every number is formatted here.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from markupsafe import Markup, escape

PALETTE = ("#2563eb", "#d97706", "#059669", "#7c3aed", "#db2777", "#0891b2", "#65a30d",
           "#9f1239")
CATEGORY_COLORS = {"correct": "#16a34a", "partial": "#facc15", "incorrect": "#dc2626",
                   "missing": "#94a3b8", "spurious": "#f97316"}
_FONT = 'font-family="system-ui, sans-serif" font-size="11"'


@dataclass(frozen=True)
class Bar:
    label: str
    value: float | None
    ci: tuple[float, float] | None = None
    text: str = ""
    color: str = PALETTE[0]


def _svg(width: int, height: int, body: list[str], title: str) -> Markup:
    return Markup(f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" '
                  f'viewBox="0 0 {width} {height}" role="img" aria-label="{escape(title)}">'
                  f"<title>{escape(title)}</title>{''.join(body)}</svg>")


def _clamp(x: float, lo: float, hi: float) -> float:
    return max(lo, min(hi, x))


def bars(rows: Sequence[Bar], title: str, target: float | None = None,
         label_w: int = 80, plot_w: int = 190, text_w: int = 110, row_h: int = 17) -> Markup:
    """Horizontal bars on a 0..1 scale, one row each, with a CI whisker and the value as
    text; `target` draws a dashed line (e.g. a grounding goal)."""
    width, height = label_w + plot_w + text_w, row_h * len(rows) + 6
    x0 = label_w

    def x(v: float) -> float:
        return round(x0 + _clamp(v, 0.0, 1.0) * plot_w, 1)

    body = [f'<line x1="{x0}" y1="0" x2="{x0}" y2="{height}" stroke="#9aa4b2"/>',
            f'<line x1="{x(1)}" y1="0" x2="{x(1)}" y2="{height}" stroke="#e5e7eb" '
            'stroke-dasharray="2 2"/>']
    for i, r in enumerate(rows):
        y = 3 + i * row_h
        mid = y + row_h / 2
        body.append(f'<text x="{x0 - 6}" y="{mid + 4}" text-anchor="end" {_FONT}>'
                    f"{escape(r.label)}</text>")
        if r.value is None:
            body.append(f'<text x="{x0 + 4}" y="{mid + 4}" {_FONT} fill="#59636e">n/a</text>')
            continue
        body.append(f'<rect x="{x0}" y="{y + 3}" width="{x(r.value) - x0}" height="{row_h - 6}" '
                    f'fill="{r.color}" fill-opacity="0.75"/>')
        if r.ci is not None:
            lo, hi = x(r.ci[0]), x(r.ci[1])
            body.append(f'<path d="M{lo} {mid}H{hi}M{lo} {y + 4}V{y + row_h - 4}M{hi} {y + 4}'
                        f'V{y + row_h - 4}" stroke="#111827" stroke-width="1.2" fill="none"/>')
        body.append(f'<text x="{x0 + plot_w + 6}" y="{mid + 4}" {_FONT}>'
                    f"{escape(r.text)}</text>")
    if target is not None:
        body.append(f'<line x1="{x(target)}" y1="0" x2="{x(target)}" y2="{height}" '
                    'stroke="#b42318" stroke-dasharray="4 3"/>')
    return _svg(width, height, body, title)


@dataclass(frozen=True)
class Diff:
    label: str
    diff: float | None
    ci: tuple[float, float] | None = None
    text: str = ""
    higher_is_better: bool = True


def forest(rows: Sequence[Diff], title: str, label_w: int = 240, plot_w: int = 260,
           text_w: int = 250, row_h: int = 16) -> Markup:
    """Paired differences as points with CI lines around a zero line. A CI that excludes 0
    is green when the difference is an improvement (down, for an error rate) and red when
    it is a regression; one that includes 0 is grey."""
    width, height = label_w + plot_w + text_w, row_h * len(rows) + 22
    span = max([0.05] + [abs(v) for r in rows for v in ((r.diff or 0.0), *(r.ci or ()))])
    x0, mid0, half = label_w, label_w + plot_w / 2, plot_w / 2 - 8

    def x(v: float) -> float:
        return round(mid0 + _clamp(v / span, -1.0, 1.0) * half, 1)

    body = [f'<line x1="{mid0}" y1="14" x2="{mid0}" y2="{height}" stroke="#9aa4b2"/>',
            f'<text x="{x(-span)}" y="10" text-anchor="middle" {_FONT} fill="#59636e">'
            f"{-span:+.2f}</text>",
            f'<text x="{mid0}" y="10" text-anchor="middle" {_FONT} fill="#59636e">0</text>',
            f'<text x="{x(span)}" y="10" text-anchor="middle" {_FONT} fill="#59636e">'
            f"{span:+.2f}</text>"]
    for i, r in enumerate(rows):
        mid = 18 + i * row_h + row_h / 2
        body.append(f'<text x="{x0 - 6}" y="{mid + 4}" text-anchor="end" {_FONT}>'
                    f"{escape(r.label)}</text>")
        if r.diff is None:
            body.append(f'<text x="{mid0 + 4}" y="{mid + 4}" {_FONT} fill="#59636e">n/a</text>')
            continue
        clear = r.ci is not None and (r.ci[0] > 0 or r.ci[1] < 0)
        better = (r.diff > 0) == r.higher_is_better
        color = ("#15803d" if better else "#b42318") if clear else "#98a2b3"
        if r.ci is not None:
            body.append(f'<line x1="{x(r.ci[0])}" y1="{mid}" x2="{x(r.ci[1])}" y2="{mid}" '
                        f'stroke="{color}" stroke-width="2"/>')
        body.append(f'<circle cx="{x(r.diff)}" cy="{mid}" r="3.5" fill="{color}"/>')
        body.append(f'<text x="{x0 + plot_w + 8}" y="{mid + 4}" {_FONT}>{escape(r.text)}</text>')
    return _svg(width, height, body, title)


def stacked(counts: dict[str, int], title: str, width: int = 200, height: int = 12) -> Markup:
    """One bar split by category share (correct, partial, ...), colors as CATEGORY_COLORS."""
    total = sum(counts.values())
    body = [f'<rect x="0" y="0" width="{width}" height="{height}" fill="#f1f5f9"/>']
    x = 0.0
    for name, n in counts.items():
        if n <= 0 or total == 0:
            continue
        w = width * n / total
        color = CATEGORY_COLORS.get(name, "#64748b")
        body.append(f'<rect x="{x:.1f}" y="0" width="{w:.1f}" height="{height}" '
                    f'fill="{color}"><title>{escape(name)}: {n}</title></rect>')
        x += w
    return _svg(width, height, body, title)


def legend(colors: dict[str, str]) -> Markup:
    """A one-line legend as HTML (swatches are inline SVG squares)."""
    items = [f'<span class="legend-item"><svg width="10" height="10"><rect width="10" '
             f'height="10" fill="{c}"/></svg> {escape(name)}</span>'
             for name, c in colors.items()]
    return Markup(" ".join(items))
