"""How sure the rules' reading of each total is, from signals of the reading itself.

A total read from a full-length story is wrong more often than not where the story restates
its toll in ways the reading cannot line up; it is nearly always right where the story gives
one figure, up top, as the headline does. The signals (no model):

    conflicting_figures  the text gives a larger figure of the same outcome that the merge
                         set aside, or two sources that the total spans as a range
    headline_disagrees   the headline states a figure of the outcome that the total is not
    records_merged       the total adds up several records (groups, incidents, new people)
    perpetrator_fate_untold  a suicide attack told with no attacker death read: the
                         attacker may be inside the victims' figure
    another_incident     a round-up headline, or a figure told of a separate event ("in a
                         separate attack", "elsewhere")
    loose_figure         a figure of the total that names no one and reads like an age
                         ("The wounded man, who is 24, ..."): a number, not a count
    late_figure          no killed figure in the lede (its first 700 characters): the
                         story is about something else, or recalls a toll
    not_read             the text is in a language the rules do not read

`rules_reading(article)` is the rules' draft with, per total, its list of reasons (empty: the
reading is certain); `annotate(totals, reading)` puts them on a brief's totals (a model's
total that is not the rules' figure gets `readings_differ` besides).
"""

from __future__ import annotations

import re
import threading
from collections import OrderedDict
from dataclasses import dataclass, field

from ..article import Article
from ..brief import ArrestStatus, BriefDraft, Side, Total, Totals, derive_totals
from ..text import CountCandidate, count_candidates
from ..text.headline import disagrees, headline_figures
from ..text.language import unread_language
from .reader import RulesReader

__all__ = ["OUTCOMES", "Reading", "annotate", "rules_reading"]

OUTCOMES = ("killed", "wounded", "arrested")

_SUICIDE = re.compile(r"\bsuicide\s+(?:bomb\w*|attack\w*|vest|blast|car|truck)|"
                      r"\bblew\s+(?:him|her|them)sel(?:f|ves)\s+up\b", re.I)
_SEPARATE = re.compile(r"\b(?:in\s+a\s+separate|separately|elsewhere|in\s+another\s+"
                       r"(?:attack|incident|raid|blast|bombing|shooting))\b", re.I)
_AGE_BEFORE = re.compile(r"\b(?:who\s+(?:is|was)|aged?|ages)\s+$", re.I)
_TOP = 700  # characters: a story's lede, where its toll is told
_ROUNDUP = re.compile(r"\b(?:round-?up|live|latest|updates?|what\s+we\s+know|day\s+\d+|"
                      r"week\s+in)\b", re.I)


@dataclass(frozen=True)
class Reading:
    """The rules' draft, their totals, and why each total is unsure (empty: certain)."""

    draft: BriefDraft
    totals: Totals
    why: dict[str, list[str]] = field(default_factory=dict)
    not_read: str | None = None


def rules_reading(article: Article) -> Reading:
    """The rules' reading of `article`, with how sure each of its totals is (the last few
    are kept: the backend, the pipeline and the second opinion ask for the same article in
    turn; threads of a batch share them under a lock)."""
    key = (article.text, article.title or "")
    with _LOCK:
        if key in _RECENT:
            _RECENT.move_to_end(key)
            return _RECENT[key]
    reading = _read(article)  # outside the lock: another thread may read the same, harmlessly
    with _LOCK:
        _RECENT[key] = reading
        while len(_RECENT) > _KEEP:
            _RECENT.popitem(last=False)
    return reading


_KEEP = 32
_LOCK = threading.Lock()
_RECENT: OrderedDict[tuple[str, str], Reading] = OrderedDict()


def _read(article: Article) -> Reading:
    reader = RulesReader(article)
    draft = reader.draft()
    totals = derive_totals(draft)
    language = unread_language(article.text)
    if language is not None:
        reason = f"written in {language}, which the rules do not read"
        return Reading(draft, totals, {o: ["not_read"] for o in OUTCOMES}, reason)
    why = {o: _why(o, reader, draft, getattr(totals, o)) for o in OUTCOMES}
    return Reading(draft, totals, why)


def _why(outcome: str, reader: RulesReader, draft: BriefDraft, total: Total | None) -> list[str]:
    if total is None:
        return []
    codes: list[str] = []
    raw = _raw(outcome, reader)
    if total.low != total.high or any(c.value > total.high for c in raw):
        codes.append("conflicting_figures")
    said = _headline_figures(outcome, reader.article.title or "")
    if disagrees(said, total.low, total.high):
        codes.append("headline_disagrees")
    if outcome != "arrested" and _records(outcome, draft) > 1:
        codes.append("records_merged")
    if outcome == "killed" and _SUICIDE.search(reader.text) and not any(
            c.outcome == "killed" and c.side is Side.attackers for c in reader.tally.figures):
        codes.append("perpetrator_fate_untold")
    if _ROUNDUP.search(reader.article.title or "") or any(
            _SEPARATE.search(c.sentence.text) for c in raw):
        codes.append("another_incident")
    if outcome != "arrested" and any(
            c.outcome == outcome and c.side is Side.victims and not c.group.strip()
            and _AGE_BEFORE.search(reader.text, max(0, c.mention.start - 20), c.mention.start)
            for c in reader.tally.figures):
        codes.append("loose_figure")
    first = min((c.mention.start for c in reader.tally.figures if c.outcome == outcome),
                default=None) if outcome != "arrested" else None
    if outcome == "killed" and first is not None and first > _TOP:
        codes.append("late_figure")
    return codes


def _raw(outcome: str, reader: RulesReader) -> list[CountCandidate]:
    """Every figure of the outcome the text gives for the victims (arrests: arrested or
    detained), before the merge."""
    if outcome == "arrested":
        return [c for c in reader.counts if c.outcome == "arrested" and not c.total
                and c.status in (ArrestStatus.arrested, ArrestStatus.detained)]
    return [c for c in reader.tally.counts if c.outcome == outcome and c.side is Side.victims
            and not c.total and not c.subset]


def _headline_figures(outcome: str, title: str) -> list[CountCandidate]:
    if not title.strip():
        return []
    if outcome != "arrested":  # read in a headline's grammar, as the rules read it
        return [c for c in headline_figures(title) if c.outcome == outcome and c.value > 0
                and c.side is Side.victims]
    return [c for c in count_candidates(title) if c.outcome == outcome and c.value > 0]


def _records(outcome: str, draft: BriefDraft) -> int:
    if outcome == "arrested":
        return sum(a.count is not None and a.status in (ArrestStatus.arrested,
                                                        ArrestStatus.detained)
                   for a in draft.arrests)
    return sum(getattr(r, outcome) is not None and r.side is Side.victims and not r.superseded
               for r in draft.casualties)


def annotate(totals: Totals, reading: Reading) -> Totals:
    """`totals` with each total marked certain or not: the reading's reasons where the total
    is the reading's own figure; `readings_differ` where it is another figure."""
    update: dict[str, object] = {"not_read": reading.not_read}
    for outcome in OUTCOMES:
        total: Total | None = getattr(totals, outcome)
        if total is None:
            continue
        ours: Total | None = getattr(reading.totals, outcome)
        why = list(reading.why.get(outcome, []))
        if ours is None or (ours.low, ours.high) != (total.low, total.high):
            why = why if reading.not_read else [*why, "readings_differ"]
        update[outcome] = total.model_copy(update={"certain": not why, "why": why})
    return totals.model_copy(update=update)
