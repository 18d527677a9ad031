"""Grounding: locate every evidence quote, check every count and name, flag what fails.

Pure: an `Article` and a `BriefDraft` in, a `Brief` (offsets filled, totals derived) and a
list of `Flag`s out. No model, no I/O, no policy: the pipeline decides whether flags are
shown (`flag`), removed (`drop`, with `drop_flagged`) or sent back to the model (`reask`, with
`describe_failures`).

Quotes are located in `Article.text` in tiers, each mapped back to offsets of the original
text: exact, then normalized (whitespace, curly quotes, dashes, case), then fuzzy
(rapidfuzz's partial-ratio alignment above `FUZZY_THRESHOLD`). A quote found only in the
title is matched as "title" with no offsets, because offsets index `Article.text`.

Counts are checked against the *article's* text at the located span, never the model's copy
of the quote (a model that misquotes "ten" for "four" must not support itself). A number
supports a count when it states that figure and is not tied to another outcome in the same
clause: in "killing four officers and wounding a fifth", "four" goes with killing and
"a fifth" (one more) with wounding.

Flag codes:

    quote_not_found            an evidence quote is nowhere in the article
    no_evidence                a casualty or arrest record gives a count but no quote
    count_unsupported          a count is not stated in its record's evidence
    part_as_total              a record's count is the sum of other records' (double count)
    name_not_found             an actor (or perpetrator) name and its aliases are not in the text
    alias_not_found            one alias of an actor is not in the text
    name_not_in_evidence       an actor's quotes do not mention it (a name swapped for another)
    perpetrator_role_mismatch  a perpetrator names an actor the brief gives another role

(The pipeline may add one more, advisory and not from here: `rules_disagree` on a total the
rules read differently; see second_opinion.py.)
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from functools import lru_cache
from itertools import combinations
from typing import Any

from rapidfuzz import fuzz, utils

from .article import Article
from .brief import (
    ActorRole,
    ArrestStatus,
    Brief,
    BriefDraft,
    Count,
    Flag,
    Qualifier,
    derive_totals,
)
from .numbers import NumberKind, NumberMention, find_numbers

__all__ = [
    "FUZZY_THRESHOLD",
    "NAME_THRESHOLD",
    "GroundingResult",
    "Located",
    "describe_failures",
    "drop_flagged",
    "ground",
    "locate",
    "name_occurs",
]

FUZZY_THRESHOLD = 90.0  # partial-ratio score (0-100) a quote needs to count as found
NAME_THRESHOLD = 90.0  # same for names, against the text and against each sentence
_MIN_FUZZY_CHARS = 12  # below this, a fuzzy match is mostly chance
_MAX_SUM_PARTS = 12  # subset sums over at most this many numbers (2**12 subsets)


@dataclass(frozen=True, slots=True)
class Located:
    """Where a quote was found: offsets into `Article.text` (None for a title match)."""

    start: int | None
    end: int | None
    match: str  # "exact" | "normalized" | "fuzzy" | "title"
    score: float = 100.0


@dataclass(frozen=True)
class GroundingResult:
    """A grounded Brief (its `flags` are `flags`) and the flags, deterministically ordered."""

    brief: Brief
    flags: list[Flag] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.flags


# --- normalization with an offset map --------------------------------------------------------

_CHAR_MAP = str.maketrans({
    "\u2018": "'", "\u2019": "'", "\u201a": "'", "\u201b": "'", "\u2032": "'", "`": "'",
    "\u201c": '"', "\u201d": '"', "\u201e": '"', "\u201f": '"', "\u2033": '"',
    "\u00ab": '"', "\u00bb": '"',
    "\u2010": "-", "\u2011": "-", "\u2012": "-", "\u2013": "-", "\u2014": "-", "\u2015": "-",
    "\u2212": "-", "\u00ad": "",
    "\u2026": "...",
})


@lru_cache(maxsize=1024)
def _normalize(text: str) -> tuple[str, tuple[int, ...]]:
    """Lowercased text with straight quotes, one kind of dash, no space around dashes and
    single spaces -- plus, for each output character, the offset it came from.

    Cached: a character loop in Python, and name checks ask for the same article text once
    per name and alias (and the perturbation measure grounds one article many times)."""
    out: list[str] = []
    index: list[int] = []
    for i, ch in enumerate(text):
        if ch.isspace():
            # A space next to a dash is dropped: "Syria—an" and "Syria - an" are one text.
            if out and out[-1] not in (" ", "-"):
                out.append(" ")
                index.append(i)
            continue
        for c in ch.translate(_CHAR_MAP).lower():
            if c == "-" and out and out[-1] == " ":
                out.pop()
                index.pop()
            out.append(c)
            index.append(i)
    while out and out[-1] == " ":
        out.pop()
        index.pop()
    return "".join(out), tuple(index)


def _norm(text: str) -> str:
    return _normalize(text)[0]


# --- locating quotes ---------------------------------------------------------------------------


def _locate_in(quote: str, text: str, norm: tuple[str, tuple[int, ...]]) -> Located | None:
    start = text.find(quote)
    if start >= 0:
        return Located(start, start + len(quote), "exact")
    # Models change the spacing, quote marks, dashes and case, or wrap the quote in marks.
    haystack, index = norm
    needle = _norm(quote)
    for candidate in (needle, needle.strip(" \"'.")):
        pos = haystack.find(candidate) if candidate else -1
        if pos >= 0:
            return Located(index[pos], index[pos + len(candidate) - 1] + 1, "normalized")
    needle = needle.strip(" \"'.")
    if len(needle) < _MIN_FUZZY_CHARS or not haystack:
        return None
    hit = fuzz.partial_ratio_alignment(needle, haystack, score_cutoff=FUZZY_THRESHOLD)
    if hit is None or hit.dest_end <= hit.dest_start:
        return None
    start, end = _widen(text, index[hit.dest_start], index[hit.dest_end - 1] + 1)
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    return Located(start, end, "fuzzy", round(hit.score, 1))


def _widen(text: str, start: int, end: int) -> tuple[int, int]:
    """Grow a fuzzy span to whole words, so a number at its edge is read in full."""
    while start > 0 and text[start - 1].isalnum():
        start -= 1
    while end < len(text) and text[end].isalnum():
        end += 1
    return start, end


def locate(quote: str, text: str, title: str | None = None) -> Located | None:
    """Find `quote` in `text` (exact, normalized, fuzzy), else in `title`; None if nowhere."""
    found = _locate_in(quote, text, _normalize(text))
    if found is None and title:
        in_title = _locate_in(quote, title, _normalize(title))
        if in_title is not None:
            return Located(None, None, "title", in_title.score)
    return found


class _Source:
    """The article, normalized once, with the lookups grounding needs."""

    def __init__(self, article: Article) -> None:
        self.text = article.text
        self.title = article.title or ""
        self._norm_text = _normalize(self.text)
        self._norm_title = _normalize(self.title)
        self.full = f"{self.title}\n{self.text}" if self.title else self.text
        self.sentences = _sentences(self.full)

    def locate(self, quote: str) -> tuple[Located | None, str]:
        """Where the quote is, and the article's own text there (what numbers are read from)."""
        found = _locate_in(quote, self.text, self._norm_text)
        if found is not None:
            assert found.start is not None and found.end is not None
            return found, self.text[found.start:found.end]
        if self.title:
            hit = _locate_in(quote, self.title, self._norm_title)
            if hit is not None:
                assert hit.start is not None and hit.end is not None
                return Located(None, None, "title", hit.score), self.title[hit.start:hit.end]
        return None, ""


_SENTENCE_END = re.compile(r"(?<=[.!?\"”’])\s+(?=[A-Z\"“‘])|\n+")


def _sentences(text: str) -> list[str]:
    return [s for s in _SENTENCE_END.split(text) if s.strip()]


# --- names -------------------------------------------------------------------------------------


def _word_re(needle: str) -> re.Pattern[str]:
    return re.compile(rf"(?<!\w){re.escape(needle)}(?!\w)")


def name_occurs(name: str, text: str, sentences: Iterable[str] | None = None) -> bool:
    """Whether a name occurs in `text`: as written, normalized (case, quotes, dashes), fuzzily
    (`NAME_THRESHOLD`), or with all its words in one sentence in any order."""
    name = name.strip()
    if not name:
        return False
    if len(name) <= 4:  # acronyms ("IS", "UN") match as written, else "is" is everywhere
        return bool(_word_re(name).search(text))
    needle, haystack = _norm(name), _norm(text)
    if _word_re(needle).search(haystack):
        return True
    if fuzz.partial_ratio(needle, haystack, score_cutoff=NAME_THRESHOLD):
        return True
    pool = _sentences(text) if sentences is None else sentences
    return any(fuzz.token_set_ratio(needle, _norm(s), processor=utils.default_process,
                                    score_cutoff=NAME_THRESHOLD) for s in pool)


_GENERIC = {
    "the", "of", "and", "for", "in", "al", "state", "states", "group", "forces", "force",
    "ministry", "government", "president", "minister", "army", "police", "security",
    "united", "national", "international", "coalition", "council", "department", "office",
    "officials", "official", "people", "republic", "federal", "interior", "defense",
    "foreign", "affairs", "military", "syrian", "american", "u.s.", "us", "led", "u.s.-led",
}


def _tokens(name: str) -> set[str]:
    return {t for t in re.findall(r"[\w.'-]+", _norm(name)) if t}


def _distinctive(name: str) -> set[str]:
    """Words of a name that identify it on their own ("Trump" in "Donald Trump")."""
    return {t.strip(".'-") for t in _tokens(name)
            if len(t) >= 4 and t.strip(".'-") not in _GENERIC}


def _initials(name: str) -> str:
    return "".join(w[0] for w in re.findall(r"[A-Z][\w-]*", name))


def _tied_aliases(name: str, aliases: list[str], text: str) -> list[str]:
    """Aliases that demonstrably name the same actor: part of the name, its initials, or
    written right next to the name (or to an alias already tied), as in "Islamic State (IS)".
    An alias that is merely listed proves nothing when the name itself was swapped."""
    tied = [name]
    pending = list(aliases)
    changed = True
    while pending and changed:
        changed = False
        for alias in list(pending):
            if (_tokens(alias) <= _tokens(name) or alias == _initials(name)
                    or any(_near(alias, t, text) for t in tied)):
                tied.append(alias)
                pending.remove(alias)
                changed = True
    return tied[1:]


_NEAR = 60  # characters between two names written as one ("IS ... Daesh" in one clause)


@lru_cache(maxsize=4096)  # asked again for every alias pair of every actor
def _positions(name: str, text: str) -> tuple[tuple[int, int], ...]:
    body = r"\s+".join(re.escape(w) for w in name.split())
    flags = 0 if len(name) <= 4 else re.I  # acronyms as written, like name_occurs
    pattern = re.compile(rf"(?<!\w){body}(?!\w)", flags)
    return tuple((m.start(), m.end()) for m in pattern.finditer(text))


def _near(a: str, b: str, text: str) -> bool:
    spans_b = _positions(b, text)
    return any(max(sa - eb, sb - ea) <= _NEAR
               for sa, ea in _positions(a, text) for sb, eb in spans_b)


def _mentions_actor(name: str, aliases: list[str], span: str) -> bool:
    if name_occurs(name, span, [span]) or any(name_occurs(a, span, [span]) for a in aliases):
        return True
    words = set(re.findall(r"[\w-]+", _norm(span)))
    return bool(_distinctive(name) & words)


# --- numbers -----------------------------------------------------------------------------------

# What a number in a clause counts is told by the nearest outcome word around it.
_CUES = {
    "killed": r"kill\w*|dead|deaths?|died|dies|dying|lives|life|fatalit\w*|fatal|bodies|slain|"
              r"murdered|executed|perished|toll",
    "wounded": r"wound\w*|injur\w*|hurt|hospitali[sz]ed",
    "arrested": r"arrest\w*|detain\w*|detention|detainees?|apprehended|custody|captured|"
                r"charged|released|questioning|held",
}
_CUE_RE = re.compile("|".join(rf"(?P<{k}>\b(?:{v})\b)" for k, v in _CUES.items()), re.I)
_CUE_REACH = 80  # characters: beyond this a verb is about something else
_AND = re.compile(r"\band\b", re.I)
_CLAUSE_BREAK = re.compile(r"[;:]|(?<![A-Z])\.\s|\n")


@dataclass(frozen=True, slots=True)
class _Number:
    """A number read from one located quote: its mention, outcome tag and article position."""

    mention: NumberMention
    tag: str | None
    key: tuple[str, int]  # where in the article it stands, to tell one number used twice
    head: frozenset[str]  # the words it counts: "two U.S. service members" -> service, member


def _tag(span: str, mention: NumberMention) -> str | None:
    best: tuple[int, int, str] | None = None
    for cue in _CUE_RE.finditer(span):
        if cue.end() <= mention.start:
            gap, side = span[cue.end():mention.start], 0
        elif cue.start() >= mention.end:
            gap, side = span[mention.end:cue.start()], 1
        else:
            continue
        if len(gap) > _CUE_REACH or _CLAUSE_BREAK.search(gap):
            continue
        # A cue across an "and" belongs to the other half of the clause: in "seven were
        # killed and four were injured", "four" goes with "injured" (as in candidates.py).
        near = len(gap) + (20 if _AND.search(gap) else 0)
        rank = (near, side, cue.lastgroup or "")
        if best is None or rank < best:
            best = rank
    return best[2] if best else None


def _numbers_in(span: str, where: tuple[str, int]) -> list[_Number]:
    numbers = []
    mentions = find_numbers(span, indefinite=True)
    for k, m in enumerate(mentions):
        if m.measure is not None:
            continue
        tag = _tag(span, m)
        if m.kind is NumberKind.indefinite and tag is None:
            continue  # "a" is one only next to an outcome: "a soldier was killed"
        stop = mentions[k + 1].start if k + 1 < len(mentions) else len(span)
        head = _words(" ".join(_CLAUSE_BREAK.split(span[m.end:stop])[0].split()[:6]))
        numbers.append(_Number(m, tag, (where[0], where[1] + m.start), head))
    return numbers


_STOP = {"the", "and", "for", "with", "near", "from", "were", "was", "have", "has", "been",
         "who", "that", "this", "their", "more", "other", "into", "after", "during", "some",
         # Words any group may use: they tie a number to no group in particular.
         "people", "person", "persons", "others"}


def _words(text: str) -> frozenset[str]:
    """Content words, crudely singular: enough to tell "members" from "interpreter"."""
    return frozenset(w.removesuffix("s") for w in re.findall(r"[a-z]{3,}", text.lower())
                     if w not in _STOP)


def _states(mention: NumberMention, count: Count) -> bool:
    if not mention.contains(count.value):
        return False
    # "dozens" supports a hedged figure, never an exact one.
    return mention.kind is not NumberKind.vague or count.qualifier is not Qualifier.exact


def _sums_to(value: int, parts: list[_Number]) -> bool:
    exact = [p.mention.value for p in parts[:_MAX_SUM_PARTS]
             if p.mention.value and p.mention.kind is not NumberKind.vague]
    return any(sum(c) == value for n in range(2, len(exact) + 1)
               for c in combinations(exact, n))


# --- the walk over a draft ---------------------------------------------------------------------


@dataclass
class _CountCheck:
    path: str
    field: str  # killed | wounded | arrested
    count: Count
    numbers: list[_Number]
    group: frozenset[str]  # content words of who is counted
    direct: set[tuple[str, int]] = field(default_factory=set)

    def fits(self, number: _Number, groups: set[frozenset[str]]) -> bool:
        """Whether a number can be this count's: tied to its outcome (or none), and not to
        another record's group when two records share a quote ("two members and one
        interpreter": "two" is not the interpreter's)."""
        if number.tag not in (self.field, None) or not _states(number.mention, self.count):
            return False
        if number.head & self.group:
            return True
        return not any(number.head & g for g in groups if g != self.group)


class _Grounder:
    def __init__(self, article: Article, draft: BriefDraft) -> None:
        self.source = _Source(article)
        self.brief = Brief.from_draft(draft)
        self.flags: list[Flag] = []
        # Per evidence path: the article's text at the quote and where it starts.
        self.spans: dict[str, tuple[str, tuple[str, int]]] = {}

    def flag(self, code: str, path: str, message: str) -> None:
        self.flags.append(Flag(code=code, path=path, message=message[:300]))

    def run(self) -> GroundingResult:
        data = self.brief.model_dump(mode="json")
        for path, evidence in _evidence_lists(data):
            evidence[:] = [self._ground_quote(f"{path}.evidence[{j}]", ev)
                           for j, ev in enumerate(evidence)]
        brief = Brief.model_validate(data)
        self._check_counts(brief)
        self._check_parts(brief)
        self._check_names(brief)
        flags = sorted(self.flags, key=lambda f: (_path_key(f.path), f.code, f.message))
        brief = brief.model_copy(update={"flags": flags, "totals": derive_totals(brief)})
        return GroundingResult(brief=brief, flags=flags)

    def _ground_quote(self, path: str, ev: dict[str, Any]) -> dict[str, Any]:
        found, span = self.source.locate(ev["quote"])
        if found is None:
            self.flag("quote_not_found", path, f"quote not found in the article: "
                      f"{_clip(ev['quote'])!r}")
            return {**ev, "start": None, "end": None, "match": "unlocated"}
        where = ("title", 0) if found.start is None else ("text", found.start)
        self.spans[path] = (span, where)
        return {**ev, "start": found.start, "end": found.end, "match": found.match}

    # counts

    def _counts(self, brief: Brief) -> Iterator[_CountCheck]:
        for i, rec in enumerate(brief.casualties):
            for name in ("killed", "wounded"):
                count = getattr(rec, name)
                if count is not None:
                    path = f"casualties[{i}]"
                    yield _CountCheck(f"{path}.{name}", name, count, self._numbers(path, rec),
                                      _words(rec.group))
        for i, arr in enumerate(brief.arrests):
            if arr.count is not None:
                path = f"arrests[{i}]"
                yield _CountCheck(f"{path}.count", "arrested", arr.count,
                                  self._numbers(path, arr), _words(arr.who))

    def _numbers(self, path: str, record: Any) -> list[_Number]:
        numbers = []
        for j in range(len(record.evidence)):
            located = self.spans.get(f"{path}.evidence[{j}]")
            if located is not None:
                numbers.extend(_numbers_in(*located))
        return numbers

    def _check_counts(self, brief: Brief) -> None:
        checks = list(self._counts(brief))
        groups = {c.group for c in checks}
        for c in checks:
            c.direct = {n.key for n in c.numbers if c.fits(n, groups)}
        for c in checks:
            record = c.path.rsplit(".", 1)[0]
            if not _record(brief, record).evidence:
                self.flag("no_evidence", f"{record}.evidence",
                          f"{c.field} {c.count.value} is given with no evidence quote")
                continue
            if c.direct:
                continue
            # A figure the article gives in parts ("two soldiers and one interpreter") is
            # their sum -- unless another record already counts one of those parts.
            claimed = set().union(*(o.direct for o in checks if o is not c))
            parts = [n for n in c.numbers if n.tag == c.field and n.key not in claimed]
            if _sums_to(c.count.value, parts):
                continue
            stated = sorted({n.mention.text for n in c.numbers})
            said = f" (its quotes state: {', '.join(stated)})" if stated else ""
            self.flag("count_unsupported", c.path,
                      f"{c.field} {c.count.value} is not stated in its evidence{said}")

    def _check_parts(self, brief: Brief) -> None:
        """Flag a record whose count is the sum of two or more others of the same kind: the
        article's total ("eight in all") recorded as if it were one more part."""
        arrests = [(f"arrests[{i}].count", a.count.value, _key(a.incident), _key(a.who))
                   for i, a in enumerate(brief.arrests)
                   if a.count is not None
                   and a.status in (ArrestStatus.arrested, ArrestStatus.detained)]
        self._flag_totals(arrests, "arrests")
        for name in ("killed", "wounded"):
            groups: dict[tuple[str, str], list[tuple[str, int, str, str]]] = {}
            for i, rec in enumerate(brief.casualties):
                count = getattr(rec, name)
                if count is None or rec.superseded:
                    continue
                # Attackers and victims never add up to each other's totals.
                key = (_key(rec.incident), rec.side.value)
                groups.setdefault(key, []).append(
                    (f"casualties[{i}].{name}", count.value, key[0], _key(rec.group)))
            for records in groups.values():
                self._flag_totals(records, f"{name} records")

    def _flag_totals(self, records: list[tuple[str, int, str, str]], what: str) -> None:
        for path, value, incident, group in records:
            others = [o for o in records if o[0] != path and o[1] > 0 and o[3] != group
                      and (not incident or not o[2] or o[2] == incident)]
            values = [o[1] for o in others][:_MAX_SUM_PARTS]
            for n in range(2, len(values) + 1):
                combo = next((c for c in combinations(values, n) if sum(c) == value), None)
                if value > 0 and combo:
                    parts = " + ".join(str(v) for v in combo)
                    self.flag("part_as_total", path, f"{value} is the sum of other {what} "
                              f"({parts}): a total recorded as a part")
                    break

    # names

    def _check_names(self, brief: Brief) -> None:
        src = self.source
        roles = {}
        for i, actor in enumerate(brief.actors):
            path = f"actors[{i}]"
            names = [actor.name, *actor.aliases]
            for n in names:
                roles[_key(n)] = actor.role
            found = [name_occurs(n, src.full, src.sentences) for n in names]
            if not any(found):
                self.flag("name_not_found", f"{path}.name",
                          f"neither {actor.name!r} nor its aliases occur in the article")
                continue
            for k, alias in enumerate(actor.aliases):
                if not found[k + 1]:
                    self.flag("alias_not_found", f"{path}.aliases[{k}]",
                              f"alias {alias!r} does not occur in the article")
            self._check_actor_evidence(path, actor.name, actor.aliases, len(actor.evidence))
        for i, rec in enumerate(brief.casualties):
            if rec.perpetrator is None:
                continue
            path = f"casualties[{i}].perpetrator"
            if not name_occurs(rec.perpetrator, src.full, src.sentences) and not _known(
                    rec.perpetrator, brief):
                self.flag("name_not_found", path,
                          f"perpetrator {rec.perpetrator!r} does not occur in the article")
            role = roles.get(_key(rec.perpetrator))
            if role not in (None, ActorRole.perpetrator, ActorRole.other):
                self.flag("perpetrator_role_mismatch", path,
                          f"perpetrator {rec.perpetrator!r} is an actor with role {role}")

    def _check_actor_evidence(self, path: str, name: str, aliases: list[str], n: int) -> None:
        spans = [self.spans[p][0] for j in range(n)
                 if (p := f"{path}.evidence[{j}]") in self.spans]
        if not spans:
            return  # nothing located to check against (quote_not_found says so)
        tied = _tied_aliases(name, aliases, self.source.full)
        if not any(_mentions_actor(name, tied, span) for span in spans):
            self.flag("name_not_in_evidence", f"{path}.name",
                      f"{name!r} is not mentioned in its evidence quotes")


def _known(name: str, brief: Brief) -> bool:
    """A perpetrator that names an actor found in the article by one of its aliases."""
    key = _key(name)
    return any(key in {_key(n) for n in (a.name, *a.aliases)} for a in brief.actors)


def _evidence_lists(data: dict[str, Any]) -> Iterator[tuple[str, list[dict[str, Any]]]]:
    for section in ("actors", "casualties", "arrests"):
        for i, rec in enumerate(data[section]):
            yield f"{section}[{i}]", rec["evidence"]
    yield "diplomatic_significance", data["diplomatic_significance"]["evidence"]


def _record(brief: Brief, path: str) -> Any:
    section, _, index = path.rstrip("]").partition("[")
    return getattr(brief, section)[int(index)]


def _key(text: str | None) -> str:
    return " ".join((text or "").lower().split())


def _clip(text: str, n: int = 120) -> str:
    return text if len(text) <= n else text[: n - 3] + "..."


_SECTION_ORDER = {"actors": 0, "casualties": 1, "arrests": 2, "diplomatic_significance": 3}


def _path_key(path: str) -> tuple[tuple[int, int | str], ...]:
    parts = re.findall(r"[A-Za-z_]+|\d+", path)
    head: tuple[int, int | str] = (0, _SECTION_ORDER.get(parts[0], 9)) if parts else (0, 9)
    return (head, *((1, int(p)) if p.isdigit() else (2, p) for p in parts[1:]))


# --- public entry points -------------------------------------------------------------------


def ground(article: Article, draft: BriefDraft) -> GroundingResult:
    """Ground a draft in its article: locate quotes, check counts and names.

    Returns the Brief (offsets and match tiers filled, totals derived, `flags` set) and the
    flags, ordered by path then code. Never raises on a bad draft: everything it cannot
    support becomes a flag, and the pipeline decides what to do with them.
    """
    return _Grounder(article, draft).run()


def describe_failures(flags: Iterable[Flag]) -> str:
    """The flags as a re-ask message for the model: one line per flag."""
    return "\n".join(f"- {f.path}: {f.message} [{f.code}]" for f in flags)


_DROP_RECORD = {"no_evidence", "part_as_total", "name_not_found", "name_not_in_evidence"}


def drop_flagged(brief: Brief, flags: Iterable[Flag]) -> Brief:
    """The brief without what the flags say is unsupported (the `drop` policy).

    An unsupported count becomes null (a missing number beats a hallucinated one), and a
    casualty record left with no count goes; a record without evidence, a part counted as a
    total and an actor whose name is not grounded go; an unlocated quote and an unfound
    alias are removed; an ungrounded perpetrator becomes null. Totals are derived again.
    Flags this function acted on are removed; any other flag is kept as it was.
    """
    data = brief.model_dump(mode="json")
    edits = _Edits()
    kept = [f for f in flags if not edits.apply(f, data)]
    for section, index, sub, item in sorted(edits.removed, reverse=True):
        owner = data[section] if index < 0 else data[section][index]
        del owner[sub][item]
    for section in ("actors", "casualties", "arrests"):
        data[section] = [r for i, r in enumerate(data[section]) if not edits.drops(section, i, r)]
    data["flags"] = [f.model_dump(mode="json") for f in kept]
    result = Brief.model_validate(data)
    return result.model_copy(update={"totals": derive_totals(result)})


_PATH = re.compile(r"(actors|casualties|arrests)\[(\d+)\]\.(\w+)(?:\[(\d+)\])?")
_SIGNIFICANCE_QUOTE = re.compile(r"diplomatic_significance\.evidence\[(\d+)\]")


@dataclass
class _Edits:
    """What `drop_flagged` does to a dumped brief, collected first so indices stay valid."""

    dropped: set[tuple[str, int]] = field(default_factory=set)
    nulled: set[tuple[str, int]] = field(default_factory=set)
    removed: set[tuple[str, int, str, int]] = field(default_factory=set)

    def drops(self, section: str, index: int, record: dict[str, Any]) -> bool:
        if (section, index) in self.dropped:
            return True
        # A casualty record whose only figures were unsupported has nothing left to say.
        return ((section, index) in self.nulled and section == "casualties"
                and record["killed"] is None and record["wounded"] is None)

    def apply(self, flag: Flag, data: dict[str, Any]) -> bool:
        """Carry out one flag; False when there is nothing to do for it."""
        sig = _SIGNIFICANCE_QUOTE.fullmatch(flag.path)
        if sig and flag.code == "quote_not_found":
            self.removed.add(("diplomatic_significance", -1, "evidence", int(sig.group(1))))
            return True
        m = _PATH.fullmatch(flag.path)
        if m is None:
            return False
        section, index, attr = m.group(1), int(m.group(2)), m.group(3)
        item = None if m.group(4) is None else int(m.group(4))
        if flag.code == "quote_not_found" and item is not None:
            self.removed.add((section, index, "evidence", item))
        elif flag.code == "alias_not_found" and item is not None:
            self.removed.add((section, index, "aliases", item))
        elif flag.code == "count_unsupported":
            data[section][index][attr] = None
            self.nulled.add((section, index))
        elif attr == "perpetrator" and flag.code in ("name_not_found",
                                                     "perpetrator_role_mismatch"):
            data[section][index]["perpetrator"] = None
        elif flag.code in _DROP_RECORD:
            self.dropped.add((section, index))
        else:
            return False
        return True
