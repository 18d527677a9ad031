"""Writers: a brief as JSON, as Markdown a person reads, as a CSV row; all files atomic.

Article text is hostile until shown otherwise: the Markdown escapes HTML (`<script>`,
`<img onerror=...>` stay text in any renderer), and a CSV text cell that a spreadsheet would
read as a formula (it starts with = + - @, a tab or a carriage return) is prefixed with `'`,
as OWASP's CSV-injection guidance says. The count columns are left as written: numbers.
"""

from __future__ import annotations

import csv
import html
import io
import json
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from pydantic import BaseModel

from ..atomic import atomic_write_text
from ..brief import Count, Total, Totals
from ..unsure import OUTCOMES, certain_cell, outcome_unsure, why_cell
from .records import BriefRecord

CSV_COLUMNS = ["output", "source", "headline", "killed", "wounded", "arrested", "actors",
               "significance", "flags", "duplicate_of", "backend", "model",
               # issue 35, appended at the end: how sure each total's reading is
               "killed_certain", "wounded_certain", "arrested_certain", "uncertain_why"]
NUMBER_COLUMNS = frozenset({"killed", "wounded", "arrested", "flags"})  # made by us: digits
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def neutral_cell(text: str) -> str:
    """A CSV text cell no spreadsheet evaluates: `'` before a formula's first character."""
    return f"'{text}" if text.startswith(_FORMULA_START) else text


def _e(text: object) -> str:
    """Text from an article or a model, safe in Markdown: HTML shows as text."""
    return html.escape(str(text), quote=False)


def fmt_total(total: Total | dict[str, Any] | None) -> str:
    if total is None:
        return ""
    t = total if isinstance(total, Total) else Total.model_validate(total)
    text = str(t.low) if t.low == t.high else f"{t.low}-{t.high}"
    return f"at least {text}" if t.at_least else text


def _md_total(totals: Totals, outcome: str) -> str:
    text = fmt_total(getattr(totals, outcome)) or "n/r"
    return f"{text} (?)" if outcome_unsure(totals, outcome) else text


def _fmt_count(count: Count | None) -> str:
    if count is None:
        return "not reported"
    q = count.qualifier.value
    return str(count.value) if q == "exact" else f"{q} {count.value}"


def _quotes(evidence: Iterable[Any], flagged: set[str], path: str) -> list[str]:
    lines = []
    for i, ev in enumerate(evidence):
        mark = " ⚠ not found in the article" if ev.match == "unlocated" else ""
        where = "" if ev.start is None else (
            f" (headline, chars {ev.start}-{ev.end})" if getattr(ev, "where", "text") == "title"
            else f" (chars {ev.start}-{ev.end})")
        if f"{path}.evidence[{i}]" in flagged:
            mark = mark or " ⚠ flagged"
        lines.append(f"  > “{_e(ev.quote)}”{where}{mark}")
    return lines


def to_markdown(record: BriefRecord) -> str:
    """One brief as Markdown, with its evidence quotes and any grounding flags visible."""
    brief, prov = record.brief, record.provenance
    flagged = {f.path for f in brief.flags}
    out = [f"# {_e(brief.headline)}", "", _e(brief.summary), ""]
    mode = f" ({_e(prov.mode)})" if prov.mode else ""
    out += [f"*Source:* {_e(record.source)}  ", f"*Made by:* {_e(prov.backend)}{mode} / "
            f"{_e(prov.model)} · prompt {_e(prov.prompt_id)} · {prov.usage['total_tokens']} "
            "tokens", ""]
    if record.duplicate_of:
        out += [f"*Same content as* {_e(record.duplicate_of)}.", ""]
    t = brief.totals
    out += ["## Totals", "", "| killed | wounded | arrested |", "|---|---|---|",
            "| " + " | ".join(_md_total(t, o) for o in OUTCOMES) + " |", ""]
    if t.not_read:
        out += [f"*Not read:* {_e(t.not_read)}; the totals are unknown, not none.", ""]
    unsure = [f"{o} ({outcome_unsure(t, o)})" for o in OUTCOMES if outcome_unsure(t, o)]
    if unsure:
        out += [f"*? Unsure:* {_e('; '.join(unsure))}.", ""]
    if brief.flags:
        out += ["## ⚠ Grounding flags", ""]
        out += [f"- {_e(f.path)} — {_e(f.message)} ({_e(f.code)})" for f in brief.flags]
        out.append("")
    out += ["## Casualties", ""]
    if not brief.casualties:
        out += ["None recorded.", ""]
    for i, c in enumerate(brief.casualties):
        bits = [f"killed {_fmt_count(c.killed)}", f"wounded {_fmt_count(c.wounded)}"]
        src = f"; per {_e(c.reported_by)}" if c.reported_by else ""
        old = " (superseded)" if c.superseded else ""
        out.append(f"- **{_e(c.incident)}** — {_e(c.group)} ({c.side.value}): "
                   f"{', '.join(bits)}{src}{old}")
        if c.perpetrator or c.attribution.value != "unknown":
            by = f" by {_e(c.attributed_by)}" if c.attributed_by else ""
            out.append(f"  - perpetrator: {_e(c.perpetrator or 'unknown')} "
                       f"({c.attribution.value}{by})")
        out += _quotes(c.evidence, flagged, f"casualties[{i}]")
    out += ["", "## Arrests", ""]
    if not brief.arrests:
        out += ["None recorded.", ""]
    for i, a in enumerate(brief.arrests):
        by = f" by {_e(a.by)}" if a.by else ""
        out.append(f"- {_fmt_count(a.count)} {a.status.value}: {_e(a.who)}{by}")
        out += _quotes(a.evidence, flagged, f"arrests[{i}]")
    out += ["", "## Actors", ""]
    for i, actor in enumerate(brief.actors):
        aka = f" (also {_e(', '.join(actor.aliases))})" if actor.aliases else ""
        out.append(f"- **{_e(actor.name)}**{aka} — {actor.kind.value}, {actor.role.value}")
        out += _quotes(actor.evidence, flagged, f"actors[{i}]")
    d = brief.diplomatic_significance
    out += ["", f"## Diplomatic significance: {d.level.value}", "", _e(d.summary or "")]
    if d.parties:
        out.append(f"Parties: {_e(', '.join(d.parties))}")
    out += _quotes(d.evidence, flagged, "diplomatic_significance")
    return "\n".join(out).rstrip() + "\n"


def csv_row(record: BriefRecord) -> dict[str, str]:
    """One CSV row: text cells neutralised, count columns as they are."""
    brief, prov = record.brief, record.provenance
    row = {
        "output": record.output, "source": record.source, "headline": brief.headline,
        "killed": fmt_total(brief.totals.killed), "wounded": fmt_total(brief.totals.wounded),
        "arrested": fmt_total(brief.totals.arrested),
        "actors": "; ".join(a.name for a in brief.actors),
        "significance": brief.diplomatic_significance.level.value,
        "flags": str(len(brief.flags)), "duplicate_of": record.duplicate_of or "",
        "backend": prov.backend, "model": prov.model,
        **{f"{o}_certain": certain_cell(brief.totals, o) for o in OUTCOMES},
        "uncertain_why": why_cell(brief.totals),
    }
    return {k: v if k in NUMBER_COLUMNS else neutral_cell(v) for k, v in row.items()}


def write_csv(path: Path, records: Iterable[BriefRecord]) -> None:
    buf = io.StringIO()
    writer = csv.DictWriter(buf, fieldnames=CSV_COLUMNS)
    writer.writeheader()
    for rec in records:
        writer.writerow(csv_row(rec))
    atomic_write_text(path, buf.getvalue())


def write_jsonl(path: Path, records: Iterable[BaseModel | dict[str, Any]]) -> None:
    atomic_write_text(path, "".join(json.dumps(_plain(r), ensure_ascii=False) + "\n"
                                    for r in records))


def write_json(path: Path, obj: Any) -> None:
    atomic_write_text(path, json.dumps(_plain(obj), indent=2, ensure_ascii=False) + "\n")


def write_markdown(path: Path, record: BriefRecord) -> None:
    atomic_write_text(path, to_markdown(record))


def _plain(obj: Any) -> Any:
    return obj.model_dump(mode="json") if isinstance(obj, BaseModel) else obj
