"""The `rules` backend: a brief read from the text itself, no model.

Deterministic and instant. It is the floor a model must beat, a baseline column in the eval
report and a second opinion for grounding. What it writes:

- headline: the article's title (else its first sentence, cut at a word);
- summary: the first sentence or two;
- casualties and arrests: `candidates.count_candidates` (digits, number words, ordinals as
  in "wounding a fifth", "dozens"), one record per incident, victim group and outcome. For
  casualties, where the text states a toll that other figures add up to ("killing eight",
  then six and two), the victims' record is the largest figure rather than a sum of
  restatements; for arrests, a figure given as the sum of others ("bringing the total to
  eight") is left to the derived totals instead of becoming a record of its own;
- actors: `candidates.name_candidates` whose kind a cue gives (people, bodies, forces, armed
  groups, organizations), aliases merged;
- diplomatic significance: a level from how many diplomatic cues the text has.

Every quote is a verbatim sentence (or clause) of `Article.text`, so grounding locates it
exactly.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any, ClassVar

from ..article import Article
from ..brief import (
    ActorDraft,
    ActorKind,
    ActorRole,
    ArrestDraft,
    ArrestStatus,
    Attribution,
    BriefDraft,
    CasualtyDraft,
    Count,
    Qualifier,
    Quote,
    Side,
    SignificanceDraft,
    SignificanceLevel,
)
from ..candidates import (
    CountCandidate,
    NameCandidate,
    Sentence,
    count_candidates,
    name_candidates,
    sentences,
)
from ..numbers import NumberKind
from .base import Extraction, Settings, Usage

__all__ = ["RulesBackend", "rules_draft"]

MAX_ACTORS = 8


@dataclass
class RulesBackend:
    """No model: `extract` reads the article with `rules_draft` and ignores the prompt."""

    name: ClassVar[str] = "rules"
    remote: ClassVar[bool] = False
    model: str = "rules-v1"

    def extract(self, article: Article, messages: list[dict[str, Any]],
                settings: Settings) -> Extraction:
        return Extraction(draft=rules_draft(article), usage=Usage(), attempts=1,
                          model=self.model, mode="rules")


def rules_draft(article: Article) -> BriefDraft:
    """A BriefDraft read from the article's text by rules alone."""
    return _Reader(article).draft()


# --- cues --------------------------------------------------------------------------------

_EVENT = re.compile(r"\b(attack|assault|ambush|bombings?|blast|explosion|shooting|raid|clash\w*|"
                    r"capsiz\w*|crash|fire|strike|siege|stampede|collapse|flood\w*|seizure|"
                    r"haul|protest)\b", re.I)
_DATE_TEXT = re.compile(r"\b(?:on|last|this|early|late)\s+(?:(?:Monday|Tuesday|Wednesday|"
                        r"Thursday|Friday|Saturday|Sunday)(?:\s+(?:morning|afternoon|evening|"
                        r"night))?|(?:January|February|March|April|May|June|July|August|"
                        r"September|October|November|December)\s+\d{1,2}|week|month|night)\b")
_ISO_DATE = re.compile(r"\b\d{4}-\d{2}-\d{2}\b")
_ATTRIBUTED = re.compile(r"\b(?:attributed|blamed)\b[^.;]{0,40}?\b(?:to|on)\b", re.I)
_ATTRIBUTED_BY = re.compile(
    r"((?:[A-Z][\w.]*\s+)?(?:officials|authorities|police|army|military|government|ministry|"
    r"prosecutors))\s+(?:have\s+|has\s+|had\s+)?(?:attributed|blamed)", re.I)
_UNCLAIMED = re.compile(r"\b(?:no|nobody|no\s+one|not)\b[^.;]{0,30}\bclaimed\b", re.I)
_CLAIMED = re.compile(r"\bclaimed\s+responsibility\b", re.I)
_SUSPECTED = re.compile(r"\bsuspected\b|\bbelieved\s+to\s+be\b", re.I)
_SAID = re.compile(r"(?:^|,\s*|\s)((?:the\s+)?(?:[\w.'’-]+\s+){0,3}?(?:officials?|police|"
                   r"authorities|ministry|prosecutors|spokes\w+|minister|army|military|"
                   r"sources?|agency|office|service|[A-Z][\w'’-]+))\s+(?:said|reported|"
                   r"told|confirmed|stated)\b")
_ARRESTERS = re.compile(r"\b(?:[A-Z][\w.]*\s+)?(?:police|authorities|Authorities|security "
                        r"forces|troops|soldiers|army|officers|agents|prosecutors)\b")
_PLACE_AFTER = re.compile(r"^\s+(?:province|city|region|district|county|state|town|"
                          r"village|area|governorate)\b")
_DIPLOMATIC = re.compile(
    r"\b(?:diplomat\w*|condolence\w*|talks|summit|ambassador\w*|embass\w*|treat(?:y|ies)|"
    r"bilateral|ceasefire|cease-fire|sanctions|negotiat\w*|envoy\w*|foreign\s+minist\w*|"
    r"cooperation|agreement|accord|rapprochement|relations|outreach|capitals?|"
    r"counterterrorism|counter-terrorism)\b", re.I)
# Nationality adjectives are names to the eye but not actors ("Syrian", "Dutch").
_DEMONYM = re.compile(r"(?:ian|ean|ese|ish|ic|i)$|^(?:American|Dutch|Arab|Thai|Swiss|French|"
                      r"Afghan|Greek|Czech|Welsh|Scots?)$")
_COUNTRIES = {"Syria": "Syria", "Syrian": "Syria", "U.S.": "United States",
              "American": "United States", "Russian": "Russia", "Iranian": "Iran",
              "Iraqi": "Iraq", "Israeli": "Israel", "Turkish": "Turkey", "Dutch": "Netherlands",
              "British": "United Kingdom", "French": "France", "German": "Germany",
              "Chinese": "China", "Somali": "Somalia", "Nigerian": "Nigeria",
              "Congolese": "Democratic Republic of Congo", "Colombian": "Colombia",
              "Brazilian": "Brazil", "Vietnamese": "Vietnam", "Kyrgyz": "Kyrgyzstan",
              "Tajik": "Tajikistan", "Ivorian": "Ivory Coast"}
_KINDS = {k.value: k for k in ActorKind}


def _cut(text: str, n: int) -> str:
    if len(text) <= n:
        return text
    cut = text.rfind(" ", 0, n)
    return text[:cut if cut > 0 else n].rstrip(" ,;:—-")


class _Reader:
    def __init__(self, article: Article) -> None:
        self.article = article
        self.text = article.text
        self.pieces = sentences(self.text)  # <= 300 chars: what quotes are made of
        self.whole = sentences(self.text, max_len=10_000)  # what counts are read from
        self.names = name_candidates(self.text)
        self.counts = count_candidates(self.text)
        self.actors = self._actors()

    def draft(self) -> BriefDraft:
        return BriefDraft(
            headline=self._headline(), summary=self._summary(),
            actors=[a for a, _ in self.actors][:MAX_ACTORS],
            casualties=self._casualties()[:10], arrests=self._arrests()[:8],
            diplomatic_significance=self._significance())

    # -- helpers ----------------------------------------------------------------------------

    def _quotes(self, start: int, end: int, limit: int = 1) -> list[Quote]:
        """The sentence pieces covering text[start:end], as verbatim quotes."""
        hits = [p for p in self.pieces if p.start <= start and end <= p.end] or [
            p for p in self.pieces if p.start < end and start < p.end]
        return [Quote(quote=p.text) for p in hits[:limit]]

    def _window(self, sent: Sentence) -> list[Sentence]:
        """A sentence and those after it, up to the next one that gives another figure."""
        i = next(k for k, s in enumerate(self.whole) if s.start == sent.start)
        window = [sent]
        for s in self.whole[i + 1:i + 4]:
            if any(c.sentence.start == s.start for c in self.counts):
                break
            window.append(s)
        return window

    def _location(self, sent: Sentence) -> str | None:
        best: tuple[int, int, str] | None = None
        for c in self.names:
            if _DEMONYM.search(c.text) or c.kind not in (None, "place"):
                continue
            for s, e in c.spans:
                if sent.start <= s < sent.end:
                    score = 2 if _PLACE_AFTER.match(self.text[e:e + 20]) else (
                        1 if c.kind == "place" or re.search(
                            r"\b(?:in|near|at|of|on|to)\s+(?:the\s+)?(?:\w+\s+)?$",
                            self.text[max(0, s - 30):s]) else 0)
                    if score and (best is None or (score, s) > best[:2]):
                        best = (score, s, c.text)
        return best[2] if best else None

    def _canonical(self, name: str) -> str:
        for actor, names in self.actors:
            if name in names:
                return actor.name
        return name

    # -- fields -----------------------------------------------------------------------------

    def _headline(self) -> str:
        title = (self.article.title or "").strip().strip("\"“”‘’'").strip()
        return _cut(title or (self.pieces[0].text if self.pieces else "Untitled"), 120)

    def _summary(self) -> str:
        parts: list[str] = []
        for s in self.whole[:3]:
            if parts and len(" ".join(parts)) + len(s.text) > 450:
                break
            parts.append(s.text)
            if len(" ".join(parts)) > 200:
                break
        return _cut(" ".join(parts) or self._headline(), 600)

    def _actors(self) -> list[tuple[ActorDraft, set[str]]]:
        groups = _merge(self.names)
        out: list[tuple[ActorDraft, set[str]]] = []
        diplomatic = len(_DIPLOMATIC.findall(self.text)) >= 2
        perpetrators = self._perpetrator_names()
        for members in groups:
            kinds = [c.kind for c in members if c.kind in _KINDS]
            if not kinds:
                continue
            kind = _KINDS[kinds[0]]
            name = _best_name(members, kind)
            names = {c.text for c in members} | {a for c in members for a in c.aliases}
            first = min((s for c in members for s in c.spans), key=lambda sp: sp[0])
            role = self._role(kind, names, members, diplomatic, perpetrators)
            aliases = sorted(n for n in names if n != name and len(n) <= 80)[:5]
            actor = ActorDraft(name=name, aliases=aliases, kind=kind, role=role,
                               affiliation=self._affiliation(members),
                               evidence=self._quotes(*first))
            out.append((actor, names))
        return out

    def _role(self, kind: ActorKind, names: set[str], members: list[NameCandidate],
              diplomatic: bool, perpetrators: set[str]) -> ActorRole:
        if names & perpetrators or kind is ActorKind.armed_group:
            return ActorRole.perpetrator
        said = any(re.match(r",?\s+(?:said|says|told|stated|confirmed|announced)\b",
                            self.text[e:e + 20]) for c in members for _, e in c.spans)
        if kind in (ActorKind.person, ActorKind.state) and diplomatic:
            return ActorRole.diplomatic_party
        if said:
            return ActorRole.official_source
        if kind in (ActorKind.security_force, ActorKind.government_body):
            return ActorRole.responder
        return ActorRole.other

    def _affiliation(self, members: list[NameCandidate]) -> str | None:
        # A nationality in the name or just before it: "Syrian President Ahmed al-Sharaa",
        # "U.S. President Donald Trump", "Syrian security forces".
        for c in members:
            for s, _ in c.spans:
                before = self.text[max(0, s - 20):s].split()[-1:]
                for word in [*before, *c.text.split()]:
                    if word.strip(",") in _COUNTRIES:
                        return _COUNTRIES[word.strip(",")]
        return None

    def _perpetrator_names(self) -> set[str]:
        out = set()
        for sent in self.whole:
            m = _ATTRIBUTED.search(sent.text)
            if m:
                name = self._armed_after(sent, m.end())
                if name:
                    out.add(name)
        return out

    def _armed_after(self, sent: Sentence, offset: int) -> str | None:
        at = sent.start + offset
        hits = [(s, c.text) for c in self.names if c.kind == "armed group"
                for s, _ in c.spans if at <= s < sent.end]
        return min(hits)[1] if hits else None

    def _casualties(self) -> list[CasualtyDraft]:
        records: list[CasualtyDraft] = []
        seen: set[tuple[str, int]] = set()
        # Per outcome: where the text states a toll ("killing eight people") and its other
        # figures do not add up to it (they restate or revise it: "six were dead" by morning,
        # "two more bodies"), the victims' record is the largest figure, not a sum; else each
        # part is a record. A breakdown ("among them two children") is never a record.
        parts: list[CountCandidate] = []
        for outcome in ("killed", "wounded"):
            mine = [c for c in self.counts if c.outcome == outcome]
            victims = [c for c in mine if c.side is Side.victims and not c.subset]
            pieces = [c for c in mine if not c.total] or mine
            toll = max(victims, key=lambda c: c.value) if any(c.total for c in victims) else None
            split = {c.value for c in pieces if c.side is Side.victims}
            if toll is not None and sum(split) != toll.value:
                parts.append(toll)
                parts += [c for c in pieces if c.side is not Side.victims]
            else:
                parts += pieces
        parts.sort(key=lambda c: c.mention.start)
        for sent, cands in _by_sentence(parts):
            for group in _records(cands):
                fresh = [c for c in group if (c.outcome, c.value) not in seen or c.value == 0]
                if not fresh:
                    continue  # the same figure again ("eleven bodies" after "eleven dead")
                seen.update((c.outcome, c.value) for c in fresh)
                records.append(self._casualty(sent, fresh))
        return records

    def _casualty(self, sent: Sentence, cands: list[CountCandidate]) -> CasualtyDraft:
        window = self._window(sent)
        location = self._location(sent)
        event = _event_word(sent.text) or _event_word(" ".join(s.text for s in window))
        incident = " ".join(x for x in (location, event) if x) or "incident"
        date_text = next((m.group() for s in window for m in [_DATE_TEXT.search(s.text)] if m),
                         None)
        iso = _ISO_DATE.search(sent.text)
        attribution, perpetrator, attributed_by = self._attribution(window)
        killed = next((c for c in cands if c.outcome == "killed"), None)
        wounded = next((c for c in cands if c.outcome == "wounded"), None)
        group = next((c.group for c in cands if c.group), "") or "people"
        start = min(c.mention.start for c in cands)
        end = max(c.mention.end for c in cands)
        side = cands[0].side
        return CasualtyDraft(
            incident=_cut(incident, 80), location=location, date_text=date_text,
            date=iso.group() if iso else None, group=_cut(group, 100), side=side,
            killed=_count(killed), wounded=_count(wounded), reported_by=_said(sent.text),
            perpetrator=perpetrator if side.value == "victims" else None,
            attribution=attribution, attributed_by=attributed_by,
            evidence=self._quotes(start, end, limit=2))

    def _attribution(self, window: list[Sentence]) -> tuple[Attribution, str | None, str | None]:
        for s in window:
            m = _ATTRIBUTED.search(s.text)
            if m:
                by = _ATTRIBUTED_BY.search(s.text)
                name = self._armed_after(s, m.end())
                return (Attribution.attributed, self._canonical(name) if name else None,
                        by.group(1) if by else None)
            if _UNCLAIMED.search(s.text):
                return Attribution.unclaimed, None, None
            if _CLAIMED.search(s.text):
                name = self._armed_after(s, 0)
                return Attribution.claimed, self._canonical(name) if name else None, None
            if _SUSPECTED.search(s.text):
                name = self._armed_after(s, 0)
                if name:
                    return Attribution.suspected, self._canonical(name), None
        return Attribution.unknown, None, None

    def _arrests(self) -> list[ArrestDraft]:
        cands = [c for c in self.counts if c.outcome == "arrested"]
        parts = [c for c in cands if not c.total]
        out = []
        for c in cands:
            if c.total and parts:
                continue  # the text's own total of records already listed
            before = self.text[c.sentence.start:c.mention.start]
            by = list(_ARRESTERS.finditer(before))
            location = self._location(c.sentence)
            out.append(ArrestDraft(
                count=_count(c), who=_cut(c.group or "people", 100),
                by=by[-1].group() if by else None, status=c.status or ArrestStatus.other,
                incident=f"{location} {_event_word(c.sentence.text)}".strip() if location
                else None,
                reported_by=_said(c.sentence.text),
                evidence=self._quotes(c.mention.start, c.mention.end)))
        return out

    def _significance(self) -> SignificanceDraft:
        scored = sorted(((len(_DIPLOMATIC.findall(p.text)), -p.start, p) for p in self.pieces),
                        key=lambda t: (t[0], t[1]), reverse=True)
        cues = sum(n for n, _, _ in scored)
        level = (SignificanceLevel.none if cues == 0 else SignificanceLevel.low if cues <= 2
                 else SignificanceLevel.moderate if cues <= 5 else SignificanceLevel.high)
        best = [p for n, _, p in scored[:2] if n]
        best.sort(key=lambda p: p.start)
        parties: list[str] = []
        for p in best:
            for c in self.names:
                if (c.kind in (None, "place", "state") and not _DEMONYM.search(c.text)
                        and any(p.start <= s < p.end for s, _ in c.spans)
                        and c.text not in parties):
                    parties.append(c.text)
        return SignificanceDraft(
            level=level, summary=_cut(best[0].text, 400) if best else "",
            parties=parties[:8], evidence=[Quote(quote=p.text) for p in best])


# --- grouping --------------------------------------------------------------------------------


def _by_sentence(cands: Any) -> list[tuple[Sentence, list[CountCandidate]]]:
    out: dict[int, tuple[Sentence, list[CountCandidate]]] = {}
    for c in cands:
        out.setdefault(c.sentence.start, (c.sentence, []))[1].append(c)
    return list(out.values())


def _records(cands: list[CountCandidate]) -> list[list[CountCandidate]]:
    """Figures of one sentence grouped into records: a killed and a wounded figure for the
    same group (or for no group) are one record."""
    records: list[list[CountCandidate]] = []
    for c in cands:
        home = next((r for r in records if all(o.outcome != c.outcome for o in r)
                     and r[0].side == c.side
                     and (not c.group or not r[0].group or c.group == r[0].group)), None)
        if home is None:
            records.append([c])
        else:
            home.append(c)
    return records


def _merge(names: list[NameCandidate]) -> list[list[NameCandidate]]:
    """Candidates joined by alias links or by containment ("Ahmed al-Sharaa" in "Syrian
    President Ahmed al-Sharaa"), in order of first appearance."""
    parent = list(range(len(names)))

    def find(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    index = {c.text: i for i, c in enumerate(names)}
    for i, c in enumerate(names):
        for alias in c.aliases:
            if alias in index:
                parent[find(index[alias])] = find(i)
        for j, o in enumerate(names):
            if i != j and c.kind == o.kind == "person" and c.text.endswith(" " + o.text):
                parent[find(i)] = find(j)
    groups: dict[int, list[NameCandidate]] = {}
    for i, c in enumerate(names):
        groups.setdefault(find(i), []).append(c)
    return sorted(groups.values(), key=lambda g: min(c.first for c in g))


def _best_name(members: list[NameCandidate], kind: ActorKind) -> str:
    # The fullest name without a title: "Ahmed al-Sharaa", not "Syrian President Ahmed ...".
    plain = [c.text for c in members if not re.search(
        r"\b(?:President|Minister|Secretary|Governor|Mayor|General|King|Prince)\b", c.text)
        or kind is not ActorKind.person]
    pool = plain or [c.text for c in members]
    return max(pool, key=lambda n: (len(n.split()) if len(n) > 4 else 0, -pool.index(n)))


def _count(c: CountCandidate | None) -> Count | None:
    if c is None:
        return None
    m = c.mention
    if m.kind is NumberKind.vague:  # "dozens": the least it can mean
        return Count(value=m.low, qualifier=Qualifier.at_least)
    return Count(value=min(m.low, 100_000), qualifier=m.qualifier)


def _said(text: str) -> str | None:
    m = _SAID.search(text)
    return _cut(m.group(1), 100) if m else None


def _event_word(text: str) -> str:
    m = _EVENT.search(text.replace("opened fire", "shooting"))
    return m.group(1).lower() if m else ""
