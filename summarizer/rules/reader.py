"""Reading one article into a draft: each field of the brief from the candidates and cues."""

from __future__ import annotations

import re

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
    Quote,
    Side,
    SignificanceDraft,
    SignificanceLevel,
)
from ..text import (
    CountCandidate,
    NameCandidate,
    Sentence,
    count_candidates,
    name_candidates,
    sentences,
)
from ..text.cues import DEATH_WORD
from ..text.headline import headline_figures
from ..text.incident import VIOLENCE as _VIOLENCE
from ..text.incident import damage_sentence, states_no_death
from ..text.people import injured_uncounted
from ..text.tally import incident_counts, unquoted
from .actors import BLAMED, actor_names, perpetrator_names
from .arrests import arrested_groups, more_arrests, stated_no_arrests
from .cues import (
    ARRESTERS,
    ATTRIBUTED,
    ATTRIBUTED_BY,
    CLAIMED,
    COUNTRIES,
    DATE_TEXT,
    DEMONYM,
    DIPLOMATIC,
    ISO_DATE,
    KINDS,
    PLACE_AFTER,
    PRONOUN_SAID,
    SUSPECTED,
    UNCLAIMED,
    cut_at_word,
    event_word,
    said_by,
    subject,
)
from .grouping import (
    best_name,
    by_sentence,
    count_records,
    merge_names,
    people_group,
    to_count,
)
from .headline_record import FIRED_ON, headline_record
from .short_figures import casualty_figures
from .tolls import alternatives, record_parts

__all__ = ["MAX_ACTORS", "RulesReader", "rules_draft"]

MAX_ACTORS = 8


def rules_draft(article: Article) -> BriefDraft:
    """A BriefDraft read from the article's text by rules alone."""
    return RulesReader(article).draft()


class RulesReader:
    """One article's candidates, read once, and the draft's fields built from them."""

    def __init__(self, article: Article) -> None:
        self.article = article
        self.text = article.text
        self.pieces = sentences(self.text)  # <= 300 chars: what quotes are made of
        self.whole = sentences(self.text, max_len=10_000)  # what counts are read from
        self.names = name_candidates(self.text)
        self.counts = count_candidates(self.text)
        # The names the actors are read from: the candidates completed (rules/actors.py).
        self.actor_cands = actor_names(self.text, self.names)
        # Arrests the count candidates lack (rules/arrests.py); whom they hold are actors.
        self.more_arrests = more_arrests(self.text, self.whole, self.counts, self.actor_cands)
        self.held = arrested_groups(self.text, self.more_arrests, self.actor_cands)
        self.actor_cands = sorted([*self.actor_cands, *self.held], key=lambda c: c.first)
        # killed and wounded: the incident-level reading (restatements merged, other incidents
        # and numbers that count no one left out); arrests: the counts as read per sentence
        self.tally = incident_counts(self.text, lambda s: said_by(_PRESENT.sub(r"\1s", s.text)),
                                     self.whole)
        # corrected for short reports' wordings ("and abducting 12 others", "killing five
        # soldiers and himself"; rules/short_figures.py)
        self.figures = [people_group(c) for c in casualty_figures(
            self.text, self.tally.figures, self.whole, self.tally.masked, self.tally.counts)]
        # the headline's own figures: a source where the text states none of an outcome
        # (rules/certainty.py cross-checks the rest against them)
        self.headline = headline_figures(article.title or "")
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
            if DEMONYM.search(c.text) or c.kind not in (None, "place"):
                continue
            for s, e in c.spans:
                if sent.start <= s < sent.end:
                    score = 2 if PLACE_AFTER.match(self.text[e:e + 20]) else (
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
        return cut_at_word(title or (self.pieces[0].text if self.pieces else "Untitled"), 120)

    def _summary(self) -> str:
        parts: list[str] = []
        for s in self.whole[:3]:
            if parts and len(" ".join(parts)) + len(s.text) > 450:
                break
            parts.append(s.text)
            if len(" ".join(parts)) > 200:
                break
        return cut_at_word(" ".join(parts) or self._headline(), 600)

    def _actors(self) -> list[tuple[ActorDraft, set[str]]]:
        groups = merge_names(self.actor_cands)
        out: list[tuple[ActorDraft, set[str]]] = []
        diplomatic = len(DIPLOMATIC.findall(self.text)) >= 2
        perpetrators = self._perpetrator_names()
        for members in groups:
            kinds = [c.kind for c in members if c.kind in KINDS]
            if not kinds:
                continue
            kind = KINDS[kinds[0]]
            name = best_name(members, kind)
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
                    if word.strip(",") in COUNTRIES:
                        return COUNTRIES[word.strip(",")]
        return None

    def _perpetrator_names(self) -> set[str]:
        # Whom an arrest holds is on the perpetrators' side ("the getaway driver", "two
        # customs officers were detained"), as are the groups held by the readings above.
        held = {c.group for c in self.counts if c.outcome == "arrested" and c.status in (
            ArrestStatus.arrested, ArrestStatus.detained)}
        held |= {r.who for r in self.more_arrests}
        out = perpetrator_names(self.text, self.actor_cands) | {c.text for c in self.held} | {
            c.text for c in self.actor_cands if c.text in held}
        for sent in self.whole:
            m = ATTRIBUTED.search(sent.text)
            if m:
                name = self._armed_after(sent, m.end())
                if name:
                    out.add(name)
        return out

    def _armed_after(self, sent: Sentence, offset: int) -> str | None:
        at = sent.start + offset
        hits = [(s, c.text) for c in self.actor_cands if c.kind == "armed group"
                for s, _ in c.spans if at <= s < sent.end]
        return min(hits)[1] if hits else None

    def _casualties(self) -> list[CasualtyDraft]:
        groups: list[tuple[Sentence, list[CountCandidate]]] = []
        said: list[list[Sentence]] = []  # per record: the sentences that give its figures
        seen: dict[tuple[str, int, str, str], int] = {}
        for sent, cands in by_sentence(record_parts(self.figures)):
            for group in count_records(cands):
                # The same figure again ("eleven bodies" after "eleven dead"); an implied one
                # is the same only for the same person ("the guard", "the driver" are two).
                # (per side: "two of the herders and two officers" are two records)
                fresh = [c for c in group if c.value == 0 or _side_key(c) not in seen]
                for c in group:
                    if c not in fresh:
                        said[seen[_side_key(c)]].append(sent)
                if fresh:
                    seen.update((_side_key(c), len(groups)) for c in fresh)
                    groups.append((sent, fresh))
                    said.append([sent])
        records = [self._casualty(sent, cands) for sent, cands in groups]

        def source(i: int) -> str | None:
            return next((s for s in map(self._source, said[i]) if s), None)

        # Another source's reading of a toll already recorded: the same incident and group,
        # so the total is their range ("two" per the government, "seven" per the opposition).
        for j, i in alternatives([c for _, c in groups], source).items():
            records[j] = records[j].model_copy(update={"incident": records[i].incident,
                                                       "group": records[i].group})
        records = self._no_death(records)
        more = headline_record(self.article.title or "", self.headline, self.tally, records)
        return records if more is None else [*records, more]

    def _no_death(self, records: list[CasualtyDraft]) -> list[CasualtyDraft]:
        """An incident report that states injuries or damage and no death: killed 0 -- not
        where its headline tells the dead ("Two soldiers killed in IED blast")."""
        plain = unquoted(self.tally.masked)
        figures = self.figures
        if any(c.outcome == "killed" and c.value for c in self.headline):
            return records
        attack = _VIOLENCE.search(plain) or FIRED_ON.search(plain)
        if not any(c.outcome == "killed" for c in figures) and any(
                c.outcome == "wounded" and c.value == 0 for c in figures) and \
                attack and not DEATH_WORD.search(plain):
            for k, rec in enumerate(records):  # "No injuries were reported" after an attack
                if rec.side is Side.victims and rec.wounded is not None and rec.killed is None:
                    records[k] = rec.model_copy(update={"killed": Count(value=0)})
                    return records
        # "an unspecified number of protesters were injured", no death told: killed 0
        uncounted = None if any(c.outcome == "killed" for c in figures) or DEATH_WORD.search(
            plain) else injured_uncounted(self.whole)
        if uncounted is None and not states_no_death(plain, sentences(plain, max_len=10_000),
                                                     figures):
            return records
        for k, rec in enumerate(records):
            if rec.side is Side.victims and rec.wounded is not None and rec.killed is None:
                records[k] = rec.model_copy(update={"killed": Count(value=0)})
                return records
        sent = damage_sentence(self.whole) or uncounted
        if sent is None:
            return records
        return [*records, CasualtyDraft(
            incident=cut_at_word(self._incident(sent, [sent]), 80),
            location=self._location(sent), group="people", side=Side.victims,
            killed=Count(value=0), evidence=self._quotes(sent.start, sent.end))]

    def _source(self, sent: Sentence) -> str | None:
        """Who reports the sentence's figures; for "he said", who the sentence before is
        about ("An official at the hospital gave a different figure. ... he said ...")."""
        said = said_by(_PRESENT.sub(r"\1s", sent.text))
        if said or not PRONOUN_SAID.search(sent.text):
            return said
        i = next(k for k, s in enumerate(self.whole) if s.start == sent.start)
        return subject(self.whole[i - 1].text) if i else None

    def _incident(self, sent: Sentence, window: list[Sentence]) -> str:
        location = self._location(sent)
        event = event_word(sent.text) or event_word(" ".join(s.text for s in window))
        return " ".join(x for x in (location, event) if x) or "incident"

    def _casualty(self, sent: Sentence, cands: list[CountCandidate]) -> CasualtyDraft:
        window = self._window(sent)
        location = self._location(sent)
        incident = self._incident(sent, window)
        date_text = next((m.group() for s in window for m in [DATE_TEXT.search(s.text)] if m),
                         None)
        iso = ISO_DATE.search(sent.text)
        attribution, perpetrator, attributed_by = self._attribution(window)
        killed = next((c for c in cands if c.outcome == "killed"), None)
        wounded = next((c for c in cands if c.outcome == "wounded"), None)
        group = next((c.group for c in cands if c.group), "") or "people"
        start = min(c.mention.start for c in cands)
        end = max(c.mention.end for c in cands)
        side = cands[0].side
        return CasualtyDraft(
            incident=cut_at_word(incident, 80), location=location, date_text=date_text,
            date=iso.group() if iso else None, group=cut_at_word(group, 100), side=side,
            killed=to_count(killed), wounded=to_count(wounded), reported_by=said_by(sent.text),
            perpetrator=perpetrator if side.value == "victims" else None,
            attribution=attribution, attributed_by=attributed_by,
            evidence=self._quotes(start, end, limit=2))

    def _attribution(self, window: list[Sentence]) -> tuple[Attribution, str | None, str | None]:
        for s in window:
            m = ATTRIBUTED.search(s.text)
            if m:
                by = ATTRIBUTED_BY.search(s.text)
                name = self._armed_after(s, m.end())
                return (Attribution.attributed, self._canonical(name) if name else None,
                        by.group(1) if by else None)
            if UNCLAIMED.search(s.text):
                return Attribution.unclaimed, None, None
            if CLAIMED.search(s.text):
                name = self._armed_after(s, 0)
                return Attribution.claimed, self._canonical(name) if name else None, None
            blamed = BLAMED.search(s.text)  # "sources blamed separatists"
            if blamed:
                name = self._armed_after(s, blamed.end())
                if name:
                    by = ATTRIBUTED_BY.search(s.text)
                    return (Attribution.attributed, self._canonical(name),
                            by.group(1) if by else None)
            if SUSPECTED.search(s.text):
                name = self._armed_after(s, 0)
                if name:
                    return Attribution.suspected, self._canonical(name), None
        return Attribution.unknown, None, None

    def _arrests(self) -> list[ArrestDraft]:
        cands = [c for c in self.counts if c.outcome == "arrested"]
        parts = [c for c in cands if not c.total]
        out = []
        first: dict[tuple[int, str], int] = {}  # a figure -> the sentence that first gives it
        for c in cands:
            if c.total and parts:
                continue  # the text's own total of records already listed
            if c.status in (ArrestStatus.arrested, ArrestStatus.detained):
                key = _seen_key(c)[1:]
                if first.setdefault(key, c.sentence.start) != c.sentence.start and not (
                        _MORE_AFTER.match(self.text, c.mention.end)
                        or _MORE_BEFORE.search(self.text, max(0, c.mention.start - 80),
                                               c.mention.start)):
                    continue  # the same figure again ("the five suspects", "the other
                    # four", "five people are in custody"), as for casualties
            before = self.text[c.sentence.start:c.mention.start]
            by = list(ARRESTERS.finditer(before))
            location = self._location(c.sentence)
            out.append(ArrestDraft(
                count=to_count(c), who=cut_at_word(c.group or "people", 100),
                by=by[-1].group() if by else None, status=c.status or ArrestStatus.other,
                incident=f"{location} {event_word(c.sentence.text)}".strip() if location
                else None,
                reported_by=said_by(c.sentence.text),
                evidence=self._quotes(c.mention.start, c.mention.end)))
        # Named people, people referred back to, surrenders (rules/arrests.py).
        for r in self.more_arrests:
            before = self.text[r.sentence.start:r.start]
            by = list(ARRESTERS.finditer(before))
            location = self._location(r.sentence)
            out.append(ArrestDraft(
                count=None if r.count is None else Count(value=r.count),
                who=cut_at_word(r.who, 100),
                by=by[-1].group() if by else None, status=r.status,
                incident=f"{location} {event_word(r.sentence.text)}".strip() if location
                else None,
                reported_by=said_by(r.sentence.text), evidence=self._quotes(r.start, r.end)))
        # "No arrests have been made": 0, where the text tells of no one held at all.
        if not any(a.status in (ArrestStatus.arrested, ArrestStatus.detained) for a in out):
            for r in stated_no_arrests(self.whole)[:1]:
                by = list(ARRESTERS.finditer(self.text, r.sentence.start, r.start))
                out.append(ArrestDraft(
                    count=Count(value=0), who=r.who, by=by[-1].group() if by else None,
                    status=r.status, reported_by=said_by(r.sentence.text),
                    evidence=self._quotes(r.start, r.end)))
        return out

    def _significance(self) -> SignificanceDraft:
        scored = sorted(((len(DIPLOMATIC.findall(p.text)), -p.start, p) for p in self.pieces),
                        key=lambda t: (t[0], t[1]), reverse=True)
        cues = sum(n for n, _, _ in scored)
        level = (SignificanceLevel.none if cues == 0 else SignificanceLevel.low if cues <= 2
                 else SignificanceLevel.moderate if cues <= 5 else SignificanceLevel.high)
        best = [p for n, _, p in scored[:2] if n]
        best.sort(key=lambda p: p.start)
        parties: list[str] = []
        for p in best:
            for c in self.names:
                if (c.kind in (None, "place", "state") and not DEMONYM.search(c.text)
                        and any(p.start <= s < p.end for s, _ in c.spans)
                        and c.text not in parties):
                    parties.append(c.text)
        return SignificanceDraft(
            level=level, summary=cut_at_word(best[0].text, 400) if best else "",
            parties=parties[:8], evidence=[Quote(quote=p.text) for p in best])


# A figure of more people, not the same ones again: "three more people", "two others",
# "another two".
_MORE_AFTER = re.compile(r"\s+(?:more|other|others|additional|further|new)\b", re.I)
_MORE_BEFORE = re.compile(r"\b(?:another|an\s+additional|a\s+further)\s+$", re.I)


# "officials say": said_by reads "says"
_PRESENT = re.compile(r"\b(say|report|confirm)\b")


def _side_key(c: CountCandidate) -> tuple[str, int, str, str]:
    return (*_seen_key(c), c.side.value)


def _seen_key(c: CountCandidate) -> tuple[str, int, str]:
    return c.outcome, c.value, c.group if c.implied else ""
