"""How sure the rules' reading of each total is, from signals of the reading itself.

A total read from a full-length story is wrong more often than not where the story restates
its toll in ways the reading cannot line up; it is nearly always right where the story gives
one figure, up top, as the headline does. The signals (no model):

    conflicting_figures  the text gives a larger figure of the same outcome that the merge
                         set aside, or two sources that the total spans as a range
    headline_disagrees   the headline states a figure of the outcome that the total is not
    records_merged       the total adds up several records (groups, incidents, people) that
                         the text does not itself mark as more people ("two more died")
    perpetrator_fate_untold  a suicide attack, a part of the dead shot by the security
                         forces ("Two of them were ringleaders ... shot by soldiers"), or a
                         clash, told with no death of the attackers (or of either side of a
                         clash) read: they may be inside the victims' figure
    another_incident     a round-up headline, or a figure told of a separate event ("in a
                         separate attack", "elsewhere")
    loose_figure         a figure of the total that names no one and reads like an age
                         ("The wounded man, who is 24, ..."): a number, not a count
    late_figure          no killed figure in the lede (its first 700 characters): the
                         story is about something else, or recalls a toll
    not_read             the text is in a language the rules do not read

A null total is judged too: it is the reading's certain "none told" where the text has no word
of its outcome (no death, injury or arrest word outside what the reading masks and quotes); it
is `uncounted` (Totals.uncounted) where the text tells of the outcome and no figure was read
("scores of displaced people have lost their lives"), or, for a model's null, where the rules
read a figure.

A headline that tells the total's own figure as a toll ("Fourteen dead in stampede", "toll
rises to seven", "kills 11"; not "mother of three among dead") answers `records_merged` and
`late_figure`: the story adds its records up, and is about that toll, the way the reading
does. It answers no other code.

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
from ..text.cues import OUTCOME_CUES, OUTCOME_RE
from ..text.headline import disagrees, headline_figures
from ..text.language import unread_language
from ..text.masking import unquoted
from ..text.numbers import NumberKind
from .reader import RulesReader

__all__ = ["OUTCOMES", "Reading", "annotate", "rules_reading"]

OUTCOMES = ("killed", "wounded", "arrested")

_SUICIDE = re.compile(r"\bsuicide\s+(?:bomb\w*|attack\w*|vest|blast|car|truck)|"
                      r"\bblew\s+(?:him|her|them)sel(?:f|ves)\s+up\b", re.I)
_SEPARATE = re.compile(r"\b(?:in\s+a\s+separate|separately|elsewhere|in\s+another\s+"
                       r"(?:attack|incident|raid|blast|bombing|shooting))\b", re.I)
_AGE_BEFORE = re.compile(r"\b(?:who\s+(?:is|was)|aged?|ages)\s+$", re.I)
_TOP = 700  # characters: a story's lede, where its toll is told
# "Two of them ... were ringleaders ... who were shot by soldiers", "among the dead were two
# gunmen killed by police": a part of the dead on the other side of the security forces.
_PART_BY_FORCES = re.compile(
    r"\b(?:\w+\s+of\s+(?:them|the\s+dead|those\s+killed|the\s+victims)|among\s+(?:them|the\s+"
    r"dead))\b[^.;]{0,100}?\b(?:shot|killed|gunned\s+down)\s+(?:dead\s+)?by\s+(?:the\s+)?"
    r"(?:[\w'-]+\s+){0,3}?(?:soldiers|troops|police|policemen|officers|guards|security\s+forces|"
    r"forces|army|gendarmes)\b", re.I)
_NEW_BEFORE = re.compile(r"\b(?:another|an\s+additional|a\s+further)\s+$", re.I)
_NEW_AFTER = re.compile(r"\s+(?:more|additional|further|new)\b", re.I)
# the dead of a clash may be of either side ("soldiers and illegal miners clash")
# (not "an exchange of fire": robbers who storm a bank and shoot the guard are no clash)
_CLASH = re.compile(r"\bclash(?:ed|es|ing)?\b|\bfighting\s+between\b|\bgun\s?battles?\b",
                    re.I)
_ROUNDUP = re.compile(r"\b(?:round-?up|live|latest|updates?|what\s+we\s+know|day\s+\d+|"
                      r"week\s+in)\b", re.I)


@dataclass(frozen=True)
class Reading:
    """The rules' draft, their totals, and why each total is unsure (empty: certain)."""

    draft: BriefDraft
    totals: Totals
    why: dict[str, list[str]] = field(default_factory=dict)
    not_read: str | None = None
    uncounted: tuple[str, ...] = ()  # outcomes told in the text with no total read


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
        return Reading(draft, totals, {o: ["not_read"] for o in OUTCOMES}, reason, OUTCOMES)
    why = {o: _why(o, reader, draft, getattr(totals, o), _whole(o, totals)) for o in OUTCOMES}
    plain = unquoted(reader.tally.masked)
    told = tuple(o for o in OUTCOMES if getattr(totals, o) is None and OUTCOME_RE[o].search(plain))
    return Reading(draft, totals, why, uncounted=told)


def _whole(outcome: str, totals: Totals) -> int | None:
    """Every death of the events, where the reading put some of them on the attackers' side
    ("eleven dead ... Two of them were ringleaders shot by soldiers": 9 victims, 11 in all): a
    figure or headline of that whole toll agrees with the victims' total."""
    both, ours = totals.killed_all_sides, totals.killed
    if outcome != "killed" or both is None or ours is None or both.low == both.high == ours.high:
        return None
    return both.high if both.low == both.high else None


def _why(outcome: str, reader: RulesReader, draft: BriefDraft, total: Total | None,
         whole: int | None = None) -> list[str]:
    if total is None:
        return []
    codes: list[str] = []
    raw = [c for c in _raw(outcome, reader) if c.value != whole]
    if total.low != total.high or any(c.value > total.high for c in raw):
        codes.append("conflicting_figures")
    title = reader.article.title or ""
    heads = _headline_figures(outcome, title)
    said = [c.value for c in heads]
    # the headline read in its own grammar ("Teen killed, two others wounded"), as the rules
    # read it for a source; a person told without a number is a lower bound (text/headline.py)
    if disagrees(_headline_read(outcome, title), total.low, total.high) and (
            whole is None or disagrees(_headline_read(outcome, title), whole, whole)):
        codes.append("headline_disagrees")
    # the headline tells the total's own figure as a toll (module doc)
    agrees = any(_told_as_toll(title, c, outcome) for c in heads) and all(
        v == total.low == total.high for v in said)
    if outcome != "arrested" and _records(outcome, draft) > 1 and not agrees and _told_apart(
            outcome, reader) > 1:
        codes.append("records_merged")
    if outcome == "killed" and (_SUICIDE.search(reader.text) or any(
            _PART_BY_FORCES.search(s.text) for s in reader.whole) or any(
            _CLASH.search(c.sentence.text) for c in raw) or _CLASH.search(title)) and not any(
            c.outcome == "killed" and c.side in (Side.attackers, Side.unknown)
            for c in reader.tally.figures):
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
    if outcome == "killed" and first is not None and first > _TOP and not agrees:
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


def _told_apart(outcome: str, reader: RulesReader) -> int:
    """How many of the victims' figures of the outcome the text does not mark as new people:
    "Two more died overnight", "another officer was killed", "a third ... died" add to a
    figure by the text's own word; figures of other groups, places or sentences add by the
    reading's."""
    return sum(1 for c in reader.tally.figures
               if c.outcome == outcome and c.side is Side.victims and not _more_of(c, reader))


def _more_of(c: CountCandidate, reader: RulesReader) -> bool:
    """Whether the text marks the figure as more people of its own outcome: "another", "two
    more", an ordinal, right after a figure of the same outcome ("killing five women ... and
    three more women were wounded" is more women, not more wounded)."""
    if not (c.mention.kind is NumberKind.ordinal
            or _NEW_BEFORE.search(reader.text, c.sentence.start, c.mention.start)
            or _NEW_AFTER.match(reader.text, c.mention.end)):
        return False
    before = [o for o in reader.tally.counts if o.outcome in ("killed", "wounded")
              and o.mention.end <= c.mention.start]
    return bool(before) and max(before, key=lambda o: o.mention.end).outcome == c.outcome


def _told_as_toll(title: str, c: CountCandidate, outcome: str) -> bool:
    """Whether the headline gives the figure as a toll: right before its outcome's word
    ("Fourteen dead", "two U.S. soldiers killed") or after one ("kills 11", "toll rises to
    seven") -- not "mother of three among dead"."""
    cue = OUTCOME_CUES[outcome]
    before, after = title[:c.mention.start], title[c.mention.end:]
    if re.search(r"\bof\s+$", before, re.I):
        return False
    return bool(re.match(rf"\s+(?:(?!(?:among|of|in|at|on|after|as|and)\b)[\w.'-]+\s+){{0,2}}?"
                         rf"(?:{cue})\b", after, re.I) or re.search(
        rf"(?:\btoll\b[^,;:]{{0,60}}?\b(?:to|at|of)|\b(?:{cue}))\s+(?:(?:at\s+least|about|some|"
        rf"nearly|over|more\s+than)\s+)?$", before, re.I))


def _headline_figures(outcome: str, title: str) -> list[CountCandidate]:
    if not title.strip():
        return []
    return [c for c in count_candidates(title) if c.outcome == outcome and c.value > 0
            and (outcome == "arrested" or c.side is Side.victims)]


def _headline_read(outcome: str, title: str) -> list[CountCandidate]:
    """The headline's figures of the outcome for the cross-check: killed and wounded read in a
    headline's grammar (text/headline.py: none for a recalling, court or round-up headline),
    arrests as the title's count candidates."""
    if outcome == "arrested":
        return _headline_figures(outcome, title)
    return [c for c in headline_figures(title) if c.outcome == outcome and c.value > 0
            and c.side is Side.victims]


def _records(outcome: str, draft: BriefDraft) -> int:
    if outcome == "arrested":
        return sum(a.count is not None and a.status in (ArrestStatus.arrested,
                                                        ArrestStatus.detained)
                   for a in draft.arrests)
    return sum(getattr(r, outcome) is not None and r.side is Side.victims and not r.superseded
               for r in draft.casualties)


def annotate(totals: Totals, reading: Reading) -> Totals:
    """`totals` with each total marked certain or not: the reading's reasons where the total
    is the reading's own figure; `readings_differ` where it is another figure. A null total is
    listed in `uncounted` where the text tells of its outcome and the reading has no figure,
    or where the reading has one."""
    update: dict[str, object] = {"not_read": reading.not_read}
    uncounted: list[str] = []
    for outcome in OUTCOMES:
        total: Total | None = getattr(totals, outcome)
        if total is None:
            if outcome in reading.uncounted or getattr(reading.totals, outcome) is not None:
                uncounted.append(outcome)
            continue
        ours: Total | None = getattr(reading.totals, outcome)
        why = list(reading.why.get(outcome, []))
        if ours is None or (ours.low, ours.high) != (total.low, total.high):
            why = why if reading.not_read else [*why, "readings_differ"]
        update[outcome] = total.model_copy(update={"certain": not why, "why": why})
    update["uncounted"] = uncounted
    return totals.model_copy(update=update)
