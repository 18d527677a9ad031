"""A batch record turned into what the briefs page shows: facts, quotes, flags, plain counts.

Kept apart from the page writer so the logic (which flag belongs to which fact, how a range
reads) is testable without HTML. Everything here is plain text; escaping is the template's.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from ..brief import Brief, Count, Evidence, Flag, Total

_FACT_PATH = re.compile(r"^(actors|casualties|arrests)\[(\d+)\]")
_EVIDENCE_PATH = re.compile(r"\.evidence\[(\d+)\]$")


def plain_total(total: Total | None) -> str:
    """A derived total as a reader says it: "12", "at least 12", "7–9"; "" when absent."""
    if total is None:
        return ""
    text = str(total.low) if total.low == total.high else f"{total.low}–{total.high}"
    return f"at least {text}" if total.at_least else text


def plain_count(count: Count | None) -> str:
    """One record's count with its qualifier: "at least 12", "about 30", "not reported"."""
    if count is None:
        return "not reported"
    words = {"exact": "", "at least": "at least ", "approximately": "about ",
             "up to": "up to "}
    return f"{words.get(count.qualifier.value, '')}{count.value}"


@dataclass
class QuoteView:
    qid: str
    quote: str
    start: int | None
    end: int | None
    match: str
    flag: str | None = None  # the message of a flag on this very quote
    marked: bool = False  # a <mark> for it is in the article text (or title) on the page
    where: str = "text"  # the string its offsets index: the article's text or its title

    @property
    def located(self) -> bool:
        return self.start is not None and self.end is not None and self.start < self.end


@dataclass
class FactView:
    fid: str
    path: str  # as in flag paths: casualties[0], diplomatic_significance
    label: str
    detail: str
    quotes: list[QuoteView] = field(default_factory=list)
    flags: list[Flag] = field(default_factory=list)


@dataclass
class Section:
    title: str
    facts: list[FactView]


def _quotes(bid: str, evidence: list[Evidence], counter: list[int],
            flags: list[Flag]) -> list[QuoteView]:
    """The fact's quotes, numbered across the brief, with any flag on a quote itself."""
    by_index: dict[int, str] = {}
    for f in flags:
        m = _EVIDENCE_PATH.search(f.path)
        if m:
            by_index.setdefault(int(m.group(1)), f.message)
    out = []
    for j, ev in enumerate(evidence):
        counter[0] += 1
        out.append(QuoteView(f"{bid}-q{counter[0]}", ev.quote, ev.start, ev.end, ev.match,
                             by_index.get(j), where=ev.where))
    return out


def fact_path(flag_path: str) -> str | None:
    """The fact a flag belongs to: "casualties[0].killed" -> "casualties[0]"; None when the
    flag is about the brief as a whole (headline, totals)."""
    m = _FACT_PATH.match(flag_path)
    if m:
        return m.group(0)
    if flag_path.startswith("diplomatic_significance"):
        return "diplomatic_significance"
    return None


def _casualty_detail(c: Any) -> str:
    bits = [f"killed {plain_count(c.killed)}", f"wounded {plain_count(c.wounded)}"]
    if c.reported_by:
        bits.append(f"per {c.reported_by}")
    if c.perpetrator or c.attribution.value != "unknown":
        by = f" by {c.attributed_by}" if c.attributed_by else ""
        bits.append(f"perpetrator {c.perpetrator or 'unknown'} ({c.attribution.value}{by})")
    if c.superseded:
        bits.append("superseded by a later figure")
    return "; ".join(bits)


def sections(bid: str, brief: Brief) -> tuple[list[Section], list[Flag]]:
    """The brief's facts by section, each with its quotes and flags, and the flags that
    belong to no single fact."""
    by_fact: dict[str, list[Flag]] = {}
    loose: list[Flag] = []
    for f in brief.flags:
        path = fact_path(f.path)
        if path is None:
            loose.append(f)
        else:
            by_fact.setdefault(path, []).append(f)
    counter = [0]

    def fact(kind: str, path: str, label: str, detail: str, evidence: list[Evidence]
             ) -> FactView:
        flags = by_fact.get(path, [])
        index = path[path.find("[") + 1:-1] if "[" in path else ""
        return FactView(f"{bid}-{kind}{index}", path, label, detail,
                        _quotes(bid, evidence, counter, flags), flags)

    cas = [fact("cas", f"casualties[{i}]", f"{c.incident} — {c.group} ({c.side.value})",
                _casualty_detail(c), c.evidence) for i, c in enumerate(brief.casualties)]
    arr = [fact("arr", f"arrests[{i}]",
                f"{plain_count(a.count) if a.count else 'unstated number'} {a.status.value}: "
                f"{a.who}", f"by {a.by}" if a.by else "", a.evidence)
           for i, a in enumerate(brief.arrests)]
    act = [fact("act", f"actors[{i}]", a.name,
                f"{a.kind.value}, {a.role.value}"
                + (f"; also {', '.join(a.aliases)}" if a.aliases else "")
                + (f"; {a.affiliation}" if a.affiliation else ""), a.evidence)
           for i, a in enumerate(brief.actors)]
    d = brief.diplomatic_significance
    sig = [fact("sig", "diplomatic_significance", f"significance: {d.level.value}",
                d.summary + (f" Parties: {', '.join(d.parties)}." if d.parties else ""),
                d.evidence)]
    return [Section("Casualties", cas), Section("Arrests", arr), Section("Actors", act),
            Section("Diplomatic significance", sig)], loose
