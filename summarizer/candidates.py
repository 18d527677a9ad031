"""Reading an article without a model: sentences, name candidates and count candidates.

Pure text analysis shared by the `rules` backend (which turns candidates into a draft) and by
grounded decoding (which lets a model choose only among them). Every span is a verbatim slice
of the text it was read from, with offsets, so a quote built from a `Sentence` is located
exactly by grounding.

    sentences(text)          sentences (long ones cut at clause breaks), each <= 300 chars
    name_candidates(text)    capitalized sequences, acronyms and known descriptive patterns
    count_candidates(text)   killed / wounded / arrested figures with group, side and status
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field

from .brief import ArrestStatus, Side
from .numbers import NumberKind, NumberMention, find_numbers

__all__ = [
    "MAX_SENTENCE",
    "CountCandidate",
    "NameCandidate",
    "Sentence",
    "count_candidates",
    "name_candidates",
    "sentences",
]

MAX_SENTENCE = 300  # the longest evidence quote the schema allows


# --- sentences -----------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Sentence:
    """A verbatim span of the text: `text == source[start:end]`."""

    start: int
    end: int
    text: str


# Abbreviations whose period does not end a sentence ("U.S. President", "Mr. Smith").
_ABBREV = re.compile(r"(?:\b(?:[A-Z]\.){1,3}|\b(?:Mr|Mrs|Ms|Dr|Gen|Lt|Col|Sgt|Capt|St|Rep|Sen|"
                     r"Gov|Jr|Sr|No|Inc|Corp|Ltd|vs|etc|Prof|Maj|Adm|Rev)\.)$")
_BOUNDARY = re.compile(r"(?<=[.!?])[\"”’)]?\s+(?=[\"“‘(]?[A-Z0-9])|\n+")
_CLAUSE = re.compile(r"(?<=[;,:])\s+|\s*[—–]\s*|\s+-\s+")


def sentences(text: str, max_len: int = MAX_SENTENCE) -> list[Sentence]:
    """The text's sentences in order, each a verbatim span of at most `max_len` characters.

    Periods after abbreviations ("U.S.", "Mr.") do not end a sentence. A sentence longer than
    `max_len` is cut at clause breaks (";", ",", dashes), so every piece can be an evidence
    quote as it stands.
    """
    out: list[Sentence] = []
    start = 0
    for m in _BOUNDARY.finditer(text):
        # A closing quote mark stays with its sentence.
        end = m.start() + len(m.group()) - len(m.group().lstrip("\"”’)"))
        if "\n" not in m.group() and _ABBREV.search(text[start:m.start()]):
            continue
        out.extend(_pieces(text, start, end, max_len))
        start = m.end()
    out.extend(_pieces(text, start, len(text), max_len))
    return out


def _pieces(text: str, start: int, end: int, max_len: int) -> list[Sentence]:
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    if start >= end:
        return []
    if end - start <= max_len:
        return [Sentence(start, end, text[start:end])]
    # Cut at the clause break nearest the middle, then recurse on both halves.
    mid = (start + end) // 2
    breaks = [m for m in _CLAUSE.finditer(text, start, end) if start < m.start() < end - 1]
    if breaks:
        m = min(breaks, key=lambda b: abs(b.start() - mid))
        left_end, right_start = m.start(), m.end()
        if text[m.start() - 1:m.start()] in ";,:":
            left_end = m.start()
    else:  # no clause break: cut at a space
        left_end = text.rfind(" ", start, start + max_len)
        left_end = left_end if left_end > start else start + max_len
        right_start = left_end
    return [*_pieces(text, start, left_end, max_len), *_pieces(text, right_start, end, max_len)]


# --- names ---------------------------------------------------------------------------------


@dataclass
class NameCandidate:
    """A named span: its text as written, where it occurs, and what the context suggests."""

    text: str
    spans: list[tuple[int, int]] = field(default_factory=list)
    kind: str | None = None  # an ActorKind value, when a cue says so
    aliases: list[str] = field(default_factory=list)

    @property
    def first(self) -> int:
        return self.spans[0][0] if self.spans else 0


# A capitalized word, an initialism ("U.S."), or an Arabic name particle ("al-Sharaa"). Words
# join across single spaces only (never a line break), and never after a possessive.
_CAP = r"(?:(?:[A-Z]\.){2,}|[A-Z][\w'’-]*\w|[A-Z]|(?:al|el|ad|as|ash|bin|ibn|abu)-[A-Z][\w'’-]*)"
_LINK = r"(?:of|de|del|da|di|du|van|der|von|al|bin|ibn|la|le)"
_NAME_RE = re.compile(rf"(?<![\w'’.-]){_CAP}(?:(?<!['’]s)(?: {_LINK})? {_CAP})*")
# Capitalized only because they start a sentence or are common function words.
_FUNCTION = {
    "a", "an", "the", "in", "on", "at", "of", "for", "to", "by", "with", "from", "as", "but",
    "and", "or", "if", "it", "its", "this", "that", "these", "those", "there", "their", "they",
    "he", "she", "we", "i", "his", "her", "our", "after", "before", "during", "despite",
    "according", "although", "though", "however", "yet", "even", "while", "when", "where",
    "among", "initial", "notably", "meanwhile", "also", "still", "since", "some", "all",
    "both", "many", "most", "no", "not", "one", "two", "three", "four", "five", "authorities",
    "police", "officials", "survivors", "rescue", "boat", "divers", "prosecutors", "what",
    "who", "why", "how", "every", "each", "criminal", "people", "residents", "witnesses",
    "nobody", "monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday",
    "january", "february", "march", "april", "may", "june", "july", "august", "september",
    "october", "november", "december", "president", "minister", "mr.", "mrs.", "ms.", "dr.",
}
_TITLES = re.compile(
    r"(?:President|Prime\s+Minister|Minister|Secretary|Governor|Mayor|General|Gen\.|Colonel|"
    r"Col\.|Captain|Mr\.|Mrs\.|Ms\.|Dr\.|King|Queen|Prince|Sheikh|Senator|Sen\.|Rep\.|Judge|"
    r"Chancellor|Commissioner|Ambassador|Pope)\s+$|(?:minister|spokes\w+|commander|chief|"
    r"leader|director|head|official|envoy|ambassador|governor|mayor|secretary),?\s+$"
)
_SAYS = re.compile(r"^,?\s+(?:said|says|told|stated|added|confirmed|announced)\b")
_PATTERNS = [
    # "the interior ministry", "Syrian security forces", "the U.S.-led international coalition"
    (re.compile(r"(?<![\w'’])(?-i:[A-Z][\w.]*\s+)?(?:interior|defen[cs]e|foreign|health|justice|"
                r"information|finance|transport)\s+ministry\b", re.I), "government body"),
    (re.compile(r"\b(?:[A-Z][\w.]*\s+)?(?:security|armed|police|military|government)\s+"
                r"forces\b"), "security force"),
    (re.compile(r"\b(?:[\w.]+-led\s+)?(?:international\s+)?coalition(?:\s+forces)?\b"),
     "security force"),
    # Unnamed attackers are an actor when they act: "armed assailants opened fire".
    (re.compile(r"\b(?:(?:armed|unidentified|unknown|masked)\s+)?(?:assailants|gunmen|"
                r"attackers|militants|insurgents|bombers?)(?=\s+(?:\w+\s+)?(?:opened|attacked|"
                r"stormed|killed|shot|detonated|ambushed|raided|seized|abducted|fired)\b)"),
     "armed group"),
    (re.compile(r"\b(?:[A-Z][\w.]*\s+)?(?:police|customs officers|coast guard)\b"),
     "security force"),
    (re.compile(r"\b(?:[A-Z][\w.]*\s+)?prosecutors\b"), "government body"),
]
_ARMED = re.compile(r"\b(?:State|Qaeda|Shabaab|Haram|Taliban|Hamas|Hezbollah|Daesh|ISIS|ISIL|"
                    r"Front|Brigades?|Militia|Liberation|Rebels?|Cartel)\b|^IS$")
_BODY = re.compile(r"\b(?:Ministry|Office|Council|Parliament|Service|Prosecution|Government|"
                   r"Department|Agency|Commission|Court|Senate|Congress|Cabinet|Presidency)\b")
_FORCE = re.compile(r"\b(?:Police|Army|Forces|Guard|Military|Navy|Coalition|Troops|Gendarmerie)\b")
_ORG = re.compile(r"\b(?:United Nations|UN|NATO|EU|European Union|African Union|Red Cross|"
                  r"Red Crescent|WHO|UNICEF|ICRC|OSCE|ASEAN|World Bank|IMF)\b")
_PLACE_BEFORE = re.compile(r"(?:\b(?:in|near|at|on|from|into|across|outside|city\s+of|"
                           r"province\s+of|town\s+of|village\s+of|port\s+of|island\s+of)"
                           r"\s+(?:the\s+)?(?:[a-z]+\s+)?)$")
_ACRONYM_FOR = re.compile(r"\b(?:acronym|name|term|word)\s+for\s+(?:the\s+)?$")


def name_candidates(text: str) -> list[NameCandidate]:
    """Named spans in order of first appearance: capitalized sequences ("Ahmed al-Sharaa",
    "Islamic State"), acronyms ("IS"), and descriptive patterns ("the interior ministry",
    "armed assailants"). Each carries its occurrences, a kind when a cue gives one, and aliases
    the text ties to it ("Islamic State (IS)", a surname after the full name, "Daesh ... the
    acronym for IS")."""
    found: dict[str, NameCandidate] = {}

    def add(name: str, start: int, kind: str | None = None) -> NameCandidate:
        cand = found.setdefault(name, NameCandidate(name))
        cand.spans.append((start, start + len(name)))
        cand.kind = cand.kind or kind
        return cand

    for m in _NAME_RE.finditer(text):
        tokens = list(re.finditer(r"\S+", m.group()))
        # Drop leading words that are capitalized only by position ("In", "The", "According").
        while tokens and tokens[0].group().lower().strip(".,") in _FUNCTION - {"president",
                                                                              "minister"}:
            tokens = tokens[1:]
        if not tokens:
            continue
        start = m.start() + tokens[0].start()
        name = text[start:m.end()]
        name = re.sub(r"(?:['’]s|['’])$", "", name).rstrip(".") if not re.search(
            r"\b(?:[A-Z]\.){2,}$", name) else name
        if len(name) < 2 or len(name) > 80 or name.lower() in _FUNCTION:
            continue
        add(name, start)
        # "U.S. President Donald Trump": the person inside the titled span is a name too.
        titled = re.match(r"(?:.*\s)?(?:President|Minister|Secretary|Governor|Mayor|General|"
                          r"King|Prince|Sheikh|Senator)\s+(?=\S)", name)
        if titled:
            add(name[titled.end():], start + titled.end(), "person")
    for pattern, kind in _PATTERNS:
        for m in pattern.finditer(text):
            first = m.group().split()[0]
            skip = len(first) + 1 if first.lower() in _FUNCTION and " " in m.group() else 0
            add(m.group()[skip:], m.start() + skip, kind)
    cands = [c for c in found.values() if not _overlapped(c, found.values())]
    for c in cands:
        c.kind = c.kind or _kind(c, text)
    _tie_aliases(cands, text)
    return sorted(cands, key=lambda c: c.first)


def _overlapped(cand: NameCandidate, all_: Iterable[NameCandidate]) -> bool:
    # A span that only ever occurs inside a longer candidate's span is part of it, not a
    # name of its own ("Donald" inside "Donald Trump").
    longer = [(s, e) for o in all_ if len(o.text) > len(cand.text) for s, e in o.spans]
    return all(any(s <= a and b <= e for s, e in longer) for a, b in cand.spans) and bool(
        longer) and cand.kind is None


def _kind(cand: NameCandidate, text: str) -> str | None:
    name = cand.text
    if re.search(r"\b(?:President|Minister|Secretary|Governor|Mayor|General|King|Prince|"
                 r"Sheikh|Senator)\b", name) and not _BODY.search(name):
        return "person"
    if _ORG.search(name):
        return "international organization"
    if _ARMED.search(name):
        return "armed group"
    if _BODY.search(name):
        return "government body"
    if _FORCE.search(name):
        return "security force"
    for s, e in cand.spans:
        if _TITLES.search(text[max(0, s - 40):s]) or (
                " " in name and _SAYS.match(text[e:e + 20])):
            return "person"
    if all(_PLACE_BEFORE.search(text[max(0, s - 40):s]) for s, _ in cand.spans):
        return "place"
    return None


def _tie_aliases(cands: list[NameCandidate], text: str) -> None:
    by_text = {c.text: c for c in cands}
    for c in cands:
        for s, e in c.spans:
            # "Islamic State (IS)"
            m = re.match(r"\s*\(([A-Z][\w.-]{1,10})\)", text[e:e + 16])
            if m and m.group(1) in by_text and m.group(1) not in c.aliases:
                c.aliases.append(m.group(1))
            # "Daesh, ... the Arabic acronym for IS": the name before is the one after's alias.
            m2 = re.search(r"\b(?:acronym|name|term|word)\s+for\s+(?:the\s+)?$",
                           text[max(0, s - 40):s])
            if m2:
                sentence_start = max(text.rfind(".", 0, s - 120), 0)
                before = [o for o in cands if o is not c and any(
                    sentence_start <= a < s - 40 for a, _ in o.spans)]
                if before:
                    other = max(before, key=lambda o: max(a for a, _ in o.spans if a < s))
                    if other.text not in c.aliases:
                        c.aliases.append(other.text)
        if c.kind == "person" and " " in c.text:
            last = c.text.split()[-1]
            for o in cands:
                if o is not c and o.text.lower() == last.lower() and o.text not in c.aliases:
                    c.aliases.append(o.text)
                    o.kind = "person"


# --- counts --------------------------------------------------------------------------------


@dataclass(frozen=True)
class CountCandidate:
    """A figure the text gives for one outcome, read from one sentence.

    `outcome` is killed, wounded or arrested; `group` the words it counts ("U.S. service
    members", or the group of the figure it continues: "wounding a fifth" counts one more of
    the officers just killed); `side` victims or attackers; `status` for arrests; `total`
    when the text states it as a total of other figures ("bringing the total to eight").
    """

    outcome: str
    mention: NumberMention  # offsets index the whole text
    sentence: Sentence
    group: str
    side: Side
    status: ArrestStatus | None = None
    total: bool = False  # not one more record: a total of other figures, or a part of one
    subset: bool = False  # the part of a figure given elsewhere ("among them two children")

    @property
    def value(self) -> int:
        return self.mention.low


_OUTCOMES = {
    "killed": r"kill\w*|dead|deaths?|died|die|dying|lives|fatalit\w*|bodies|slain|murdered|"
              r"executed|perished|drowned|toll",
    "wounded": r"wound\w*|injur\w*|hurt|hospitali[sz]ed",
    "arrested": r"arrest\w*|detain\w*|detention|detainees?|apprehended|custody|captured|"
                r"charged|released|questioning",
    # Not outcomes we count, but they claim the numbers next to them ("46 rescued alive").
    "other": r"missing|rescued|alive|survived|survivors|evacuated|displaced|passengers|"
             r"carrying|freed|unharmed|sentenced|convicted|fled",
}
_OUTCOME_RE = re.compile("|".join(rf"(?P<{k}>\b(?:{v})\b)" for k, v in _OUTCOMES.items()),
                         re.I)
_REACH = 80  # characters between a figure and its verb; farther, the verb is about another
_BREAK = re.compile(r"[;:()]|(?<![A-Z])\.\s|\n|\bwhile\b|\bbut\b|\bafter\b|\bas\b", re.I)
_STATUS = [
    (re.compile(r"charged", re.I), ArrestStatus.charged),
    (re.compile(r"released|freed", re.I), ArrestStatus.released),
    (re.compile(r"detain|detention|detainee|custody|questioning|held", re.I),
     ArrestStatus.detained),
    (re.compile(r"arrest|apprehended|captured", re.I), ArrestStatus.arrested),
]
_ATTACKERS = re.compile(r"\b(?:gunm[ae]n|assailants?|attackers?|militants?|insurgents?|"
                        r"bombers?|fighters?|perpetrators?|terrorists?|hijackers?|"
                        r"kidnappers?|raiders?)\b", re.I)
_UNITS = re.compile(r"^[\s-]*(?:%|percent|per\s+cent|kilo\w*|kg|tonnes?|tons?|pounds?|grams?|"
                    r"euros?|dollars?|pounds|yuan|rupees?|naira|shillings?|francs?|"
                    r"kilometres?|kilometers?|km|miles?|metres?|meters?|feet|hours?|minutes?|"
                    r"seconds?|days?|weeks?|months?|years?|decades?|times|containers?|"
                    r"vehicles?|cars?|trucks?|homes?|houses?|buildings?|rounds?|shots?|"
                    r"bags?|boats?|ships?|votes?|seats?|points?|storey|story|floors?)\b", re.I)
_NOT_BEFORE = re.compile(r"\b(?:aged|age|ages|between|route|number|no\.|page|chapter|"
                         r"article|resolution|flight)\s+$", re.I)
# "Wilner Jean-Baptiste, 44, was shot dead"; "aged six and eleven": ages, not counts.
_AGE_APPOSITIVE = re.compile(r"[A-Z][\w'’.-]+,\s*$")
_AGED = re.compile(r"\b(?:aged|ages)\s+(?:[\w-]+(?:,|\s+and|\s+to)\s+){0,3}$", re.I)
# Figures of other, earlier events ("more than 5,000 were killed ... last year", "the
# insurgency, which began in 2017, has killed thousands"). Not a bare "in 2026": that may be
# the year of the story's own event.
_BACKGROUND = re.compile(r"\b(?:last|previous|past)\s+(?:year|decade)s?\b|\byears\s+ago\b|"
                         r"\b(?:since|(?:began|started|erupted)\s+in)\s+(?:19|20)\d\d\b|"
                         r"\bdozens\s+of\s+times\b", re.I)
_TOTAL = re.compile(r"\b(?:total|in\s+all|altogether|overall|combined|bringing)\b", re.I)
_PERSON_HEAD = re.compile(r"^\s*(?:[\w.'’-]+\s+){0,3}?(?:people|persons?|men|women|man|woman|"
                          r"child(?:ren)?|boys?|girls?|soldiers?|officers?|police\w*|"
                          r"civilians?|suspects?|members?|personnel|troops?|workers?|"
                          r"journalists?|students?|passengers?|individuals?|guards?|"
                          r"interpreters?|residents?|villagers?|miners?|fishermen|"
                          r"gunm[ae]n|assailants?|attackers?|militants?|fighters?|"
                          r"protesters?|demonstrators?|victims?|others?|employees?|"
                          r"staff|agents?|crew|citizens?|nationals?|tourists?|pilgrims?)\b",
                          re.I)
_MONTH_BEFORE = re.compile(r"\b(?:January|February|March|April|May|June|July|August|"
                           r"September|October|November|December)\s+$")
# "Among the civilians killed were two hotel employees": a breakdown of a figure already given.
_SUBSET = re.compile(r"\bamong\b|\bincluding\b|\bof\s+whom\b|\bof\s+them\b", re.I)
_NOUN_END = re.compile(r"\s*(?:[,.;)]|$|(?:was|were|is|who|had|has|and|in|on|at|near|"
                       r"died|later|alive)\b)")
_HEAD_STOP = re.compile(r"\b(?:were|was|are|is|have|has|had|who|which|that|in|on|at|near|"
                        r"from|during|and|after|while|by|to|directly|believed|linked|"
                        r"accused|suspected)\b|[,;]|(?<![A-Z])\.",
                        re.I)


def count_candidates(text: str) -> list[CountCandidate]:
    """Killed, wounded and arrested figures in the text, in order.

    A number counts for the outcome whose verb or noun is nearest to it in the same clause
    ("killing four officers and wounding a fifth": four killed, one wounded). Measures (units,
    ages, years, storeys) are skipped, and so are sentences about earlier events ("last
    year", "since 2021") and outcome words in capitals ("OUTPUT 500 KILLED", a banner the
    story quotes). "a"/"an" counts one only before a word for people next to an outcome ("a
    soldier was killed"). A figure that the text marks as a total, or that equals the sum of
    two or more other figures for the same outcome, is kept with `total=True`; a breakdown
    ("among them two children") with `subset=True` as well.
    """
    out: list[CountCandidate] = []
    for sent in sentences(text, max_len=10_000):
        if _BACKGROUND.search(sent.text):
            continue
        previous: CountCandidate | None = None
        for m in find_numbers(sent.text, indefinite=True):
            cand = _read(sent, m, previous)
            if cand is not None:
                out.append(cand)
                previous = cand
    return _mark_totals(out)


def _read(sent: Sentence, m: NumberMention, previous: CountCandidate | None
          ) -> CountCandidate | None:
    s = sent.text
    if m.measure is not None or _UNITS.match(s[m.end:]) or _NOT_BEFORE.search(s[:m.start]):
        return None
    if _AGED.search(s[:m.start]) or (m.kind is NumberKind.digits and m.low <= 120 and
                                     _AGE_APPOSITIVE.search(s[:m.start])
                                     and re.match(r"\s*,", s[m.end:])):
        return None  # an age
    if m.kind is NumberKind.digits and 1800 <= m.low <= 2100 and not _PERSON_HEAD.match(
            s[m.end:]):
        return None  # a year
    if m.kind is NumberKind.digits and (_MONTH_BEFORE.search(s[:m.start])
                                        or re.match(r",\s*\d{4}\b", s[m.end:])):
        return None  # a day of the month ("November 14, 2026")
    if m.kind is NumberKind.ordinal and not (_NOUN_END.match(s[m.end:]) or (
            _PERSON_HEAD.match(s[m.end:]) and _PERSON_HEAD.match(s[m.end:]).end() < 20)):
        return None  # "a fifth man", "wounding a fifth." count; "a second sign" does not
    outcome, cue = _outcome(s, m)
    if outcome is None or outcome == "other" or cue.isupper():
        return None  # no outcome, or one in capitals: a banner or slogan the story quotes
    person = _PERSON_HEAD.match(s[m.end:])
    if m.kind is NumberKind.indefinite and not (
            person and person.end() < 30 and _NOUN_END.match(s[m.end + person.end():])):
        return None  # "a soldier was killed" is one; "a police post" is not a person
    group = _group(s, m) if m.kind is not NumberKind.ordinal else ""
    if not group and previous is not None and m.kind in (NumberKind.ordinal,
                                                         NumberKind.indefinite):
        group = previous.group  # "wounding a fifth": one more of the same group
    if not group and m.kind is NumberKind.ordinal:
        group = _group(s, m)
    side = Side.attackers if _ATTACKERS.search(group) else Side.victims
    status = None
    if outcome == "arrested":
        status = next((st for p, st in _STATUS if p.search(cue)), ArrestStatus.other)
    subset = bool(_SUBSET.search(s[max(0, m.start - 60):m.start]))
    total = subset or bool(_TOTAL.search(s[max(0, m.start - 40):m.start]) or re.match(
        r"\s*(?:in\s+all|in\s+total|altogether)\b", s[m.end:]))
    absolute = NumberMention(
        low=m.low, high=m.high, qualifier=m.qualifier, start=sent.start + m.start,
        end=sent.start + m.end, text=m.text, kind=m.kind, ordinal=m.ordinal, measure=m.measure)
    return CountCandidate(outcome, absolute, sent, group, side, status, total, subset)


def _outcome(s: str, m: NumberMention) -> tuple[str | None, str]:
    best: tuple[int, int, str, str] | None = None
    for cue in _OUTCOME_RE.finditer(s):
        if cue.end() <= m.start:
            gap, after = s[cue.end():m.start], 0
        elif cue.start() >= m.end:
            gap, after = s[m.end:cue.start()], 1
        else:
            continue
        if len(gap) > _REACH or _BREAK.search(gap):
            continue
        # The nearest verb or noun either side wins; one across an "and" belongs to the
        # other half of the clause ("eleven drowned and more than twenty are missing").
        near = len(gap) + (20 if re.search(r"\band\b", gap) else 0)
        rank = (near, after, cue.lastgroup or "", cue.group())
        if best is None or rank < best:
            best = rank
    return (best[2], best[3]) if best else (None, "")


def _group(s: str, m: NumberMention) -> str:
    rest = s[m.end:]
    of = re.match(r"\s+of\s+(?:the|them|those)\b", rest)
    if of:  # "three of the gunmen"
        rest = rest[of.end():]
    stop = _HEAD_STOP.search(rest)
    phrase = rest[:stop.start()] if stop else rest
    person = _PERSON_HEAD.match(phrase)
    if person:  # "U.S. service members directly linked...": up to the word for people
        phrase = phrase[:person.end()]
    return " ".join(phrase.split()[:5]).strip(" ,;:\"'“”’")


def _mark_totals(cands: list[CountCandidate]) -> list[CountCandidate]:
    from itertools import combinations

    out = []
    for c in cands:
        if not c.total and c.mention.value:
            same = [o.value for o in cands if o is not c and o.outcome == c.outcome
                    and o.side == c.side and o.mention.value and not o.total
                    and (c.outcome != "arrested" or o.status in (ArrestStatus.arrested,
                                                                  ArrestStatus.detained))][:12]
            if any(sum(combo) == c.value for n in range(2, len(same) + 1)
                   for combo in combinations(same, n)):
                c = CountCandidate(c.outcome, c.mention, c.sentence, c.group, c.side,
                                   c.status, total=True, subset=c.subset)
        out.append(c)
    return out
