"""Arrests that the count candidates do not give, as reports tell them (issue 34).

`count_candidates` reads arrests that come with a figure or a singular person ("five men were
arrested", "police arrested the driver"); it also sizes the constrained grammar, so it is left
as it is. The rules add, from the text:

- a person arrested by name: "police arrested Sander Kuipers", "Ruud Mol was arrested the next
  day", "arrested a port official, Ilir Dervishaj" (one each, once per person);
- people referred back to: "police arrested the students" after "four students were seen"
  (4), or with no figure anywhere ("the attackers were later arrested": count null);
- a surrender, which is a capture: "twenty insurgents surrendered to the army", "Arben Kola
  turned himself in".

A warrant, a charge or an indictment is not an arrest (no verb of arrest has the person as its
object there). A statement that no one was held -- "No arrests have been made", "no one is in
custody", "police have not made any arrests" -- is a count of 0 as of the report
(`stated_no_arrests`; evals/LABELING.md); silence stays null, and "no further arrests" or "no
one else" says nothing of a zero.
"""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass

from ..brief import ArrestStatus
from ..text import CountCandidate, NameCandidate, Sentence
from ..text.cues import ARMED, PERSON_NOUNS
from ..text.numbers import find_numbers

__all__ = ["ArrestReading", "arrested_groups", "more_arrests", "stated_no_arrests"]


@dataclass(frozen=True)
class ArrestReading:
    """One arrest record the count candidates lack: how many, who, status, where it is said."""

    count: int | None  # None: the text gives no figure ("the attackers were arrested")
    who: str
    status: ArrestStatus
    start: int
    end: int
    sentence: Sentence
    actor: bool = True  # whom it holds may be an actor ("the students"); not a relative
    # ("the groom's uncle") or one told in a clause ("the man police say opened fire")


_VERB = r"(?:arrested|detained|apprehended|captured|rounded\s+up|took\s+into\s+custody)"
_BEFORE_NAME = re.compile(rf"\b(?P<verb>{_VERB})\s+(?:(?:an?|the)\s+[^,.;]{{1,60}},\s+)?$")
_AFTER_NAME = re.compile(
    r"^(?:,[^,.;]{1,60},)?,?\s+(?:was|has\s+been|had\s+been)\s+(?:\w+\s+and\s+)?"
    r"(?:later\s+|also\s+|then\s+)?"
    r"(?P<verb>arrested|detained|apprehended|captured|taken\s+into\s+custody)\b|"
    r"^(?:,[^,.;]{1,60},)?,?\s+(?:later\s+|then\s+)?(?P<gave>turned\s+(?:himself|herself)\s+in|"
    r"surrendered|gave\s+(?:himself|herself)\s+up)\b")
# People named by whom they are to someone ("the groom's uncle", "her former husband")
_KIN = (r"uncles?|aunts?|brothers?|sisters?|fathers?|mothers?|sons?|daughters?|husbands?|"
        r"wives|wife|cousins?|nephews?|nieces?|grandsons?|grandfathers?|stepfathers?|"
        r"stepsons?|in-laws?|neighbou?rs?|boyfriends?|girlfriends?|partners?|landlords?|"
        r"tenants?|employers?|bodyguards?|relatives?")
_NOUN = rf"(?:{PERSON_NOUNS}|{ARMED.pattern}|{_KIN})"
_BACK_ACTIVE = re.compile(rf"\b(?P<verb>{_VERB})\s+(?:the|these|those|all\s+the|(?:his|her|"
                          rf"their)\s+(?=(?:[\w-]+\s+)?(?:{_KIN})\b))\s*(?P<who>(?:[\w'’-]+\s+)?"
                          rf"(?P<noun>{_NOUN}))\b", re.I)
# "the man police say opened fire was wounded by an officer and taken into custody": a person
# told with a clause, then what befell them, the arrest last
_CLAUSE_PASSIVE = re.compile(
    r"\bthe\s+(?P<who>(?P<noun>man|woman|suspect|gunman|shooter|attacker|assailant|driver))\s+"
    r"[^.;]{0,60}?\bwas\s+(?:(?!(?:was|were|is|his|her|their|who|and\s+\w+\s+was)\b)"
    r"[\w-]+\s+){0,6}?and\s+(?:later\s+|then\s+)?(?P<verb>arrested|detained|"
    r"apprehended|taken\s+into\s+custody)\b", re.I)
_BACK_PASSIVE = re.compile(rf"\b(?:the|these|those)\s+(?:[a-z-]+\s+)?(?P<noun>{_NOUN})\s+"
                           rf"(?:were|was|has\s+been|have\s+been|had\s+been)\s+(?:later\s+|"
                           rf"also\s+)?(?P<verb>arrested|detained|apprehended|captured|taken\s+"
                           rf"into\s+custody)\b", re.I)
# "had taken a 17-year-old boy into custody": the verb and "into custody" around whom
_TAKEN_INTO = re.compile(rf"\b(?P<verb>took|taken|taking)\s+(?P<who>(?:an?|one|the)\s+"
                         rf"(?:[\w'’-]+\s+){{0,3}}?(?P<noun>{_NOUN}))\s+into\s+(?:police\s+)?"
                         rf"custody\b", re.I)
_SURRENDER = re.compile(rf"\s+(?:of\s+the\s+)?(?:[\w-]+\s+){{0,2}}?(?P<noun>{_NOUN})\s+"
                        rf"(?:have\s+|had\s+|later\s+)?(?:surrendered|gave\s+themselves\s+up|turned\s+themselves"
                        rf"\s+in)\b", re.I)

# A capture told of one person by what befell them: "the other surrendered to police", "The
# attacker was overpowered by worshippers and handed over to police", "one of the gunmen
# gave himself up". (The gap may not run into another person: "... and the other ...".)
_CAPTURED_ONE = re.compile(
    rf"\b(?P<who>the\s+other|(?:one|another)\s+(?:of\s+the|of\s+them|[\w-]+)|(?:the|an?)\s+"
    rf"(?:[\w-]+\s+)?(?P<noun>{_NOUN}|shooter|gunman|assailant|attacker|bomber|suspect|killer|"
    rf"perpetrator|arsonist|culprit|stabber))\b(?:(?!\b(?:and\s+|but\s+)?(?:the|an?|his|her)\s)"
    rf"[^.;]){{0,80}}?\b(?:surrendered|gave\s+(?:himself|herself)\s+up|turned\s+(?:himself|"
    rf"herself)\s+in|(?:handed|turned)\s+(?:(?:himself|herself)\s+)?over\s+to\s+(?:the\s+)?"
    rf"(?:\w+\s+)?(?:police|authorities|security\s+forces|troops|soldiers|army|military|"
    rf"gendarm\w+))\b", re.I)


_NONE_OF = re.compile(r"\b(?:none|neither|not\s+one)\s+of\s+$", re.I)
_GAVE_UP = re.compile(r"\b(?:surrendered|gave\s+themselves\s+up|turned\s+themselves\s+in)\b",
                      re.I)
_AND_NAME = re.compile(r"\s+and\s+(?P<name>[A-Z][\w'’-]+(?:\s+(?:al-|bin\s+|de\s+)?"
                       r"[A-Z][\w'’-]+)+)")
_WITH_OTHERS = re.compile(r"\s+and\s+\w+(?:-\w+)?\s+(?:other\s+)?(?P<noun>[a-z]+s)\b")


# "No arrests have been made", "no arrests were reported", "police have made no arrests",
# "have not made any arrests", "there have been no arrests", "no one has been arrested",
# "nobody was detained", "No one is in custody", "no suspects are in custody", "yet to make an
# arrest". Not "no further arrests", "no one else", "none of them" (others were held, or some
# were).
_NO_ARRESTS = re.compile(
    r"\bno\s+(?:immediate\s+)?arrests?\s+(?:(?:have|has|had)\s+(?:yet\s+)?been|were|was)\s+"
    r"(?:made|reported|announced)\b|"
    r"\b(?:made|reported|announced)\s+no\s+(?:immediate\s+)?arrests?\b|"
    r"\b(?:have|has|had|did)\s*(?:not|n['’]t)\s+(?:yet\s+)?(?:made|make|announced|reported)\s+"
    r"any\s+arrests?\b|"
    r"\bthere\s+(?:(?:have|has|had)\s+been|were|was)\s+no\s+arrests?\b|"
    r"\byet\s+to\s+(?:make|announce)\s+(?:an?|any)\s+arrests?\b|"
    r"\b(?P<who>no\s+one|no-one|nobody|no\s+suspects?)\s+(?:(?:has|have|had)\s+(?:yet\s+)?been|"
    r"is|are|was|were)\s+(?:yet\s+)?(?:(?P<arrested>arrested|apprehended)|"
    r"(?P<detained>detained|in\s+custody|taken\s+into\s+custody))\b", re.I)


# "No one was arrested on either occasion": a statement about other times (earlier calls, a
# previous case), nothing of this story's arrests
_OTHER_OCCASION = re.compile(r"\s+(?:on|in|after|during)\s+(?:either|both|those|these|each|"
                             r"any\s+of\s+(?:those|these|the)|the\s+(?:earlier|previous|"
                             r"other|prior|past))\s+(?:[\w-]+\s+)?(?:occasions?|cases?|"
                             r"incidents?|visits?|calls?|times|episodes?)\b", re.I)


def stated_no_arrests(whole: list[Sentence]) -> list[ArrestReading]:
    """Each sentence that states no one was arrested or held, as a reading of 0 (the
    module doc); `who` is "no one", the status detained where it says detained or custody."""
    out = []
    for sent in whole:
        m = _NO_ARRESTS.search(sent.text)
        if m and not _OTHER_OCCASION.match(sent.text, m.end()):
            status = ArrestStatus.detained if m.group("detained") else ArrestStatus.arrested
            out.append(ArrestReading(0, "no one", status, sent.start + m.start(),
                                     sent.start + m.end(), sent))
    return out


def _held_figure(m: re.Match[str], text: str, start: int, noun: str) -> int | None:
    """How many one reading holds: one for "a"/"an"/"one" ("taken a boy into custody"), else
    a figure given before ("four students"), else one for a singular noun ("the
    perpetrator"), else none ("the attackers")."""
    if m.re is _TAKEN_INTO and re.match(r"(?:an?|one)\s", m.group("who"), re.I):
        return 1
    return _figure_before(text, start, noun) or (
        None if re.search(r"(?:s|men|people|police|staff|crew|personnel|wives|in-laws)$",
                          noun, re.I) else 1)


def _status(verb: str) -> ArrestStatus:
    return ArrestStatus.detained if re.match(r"detain|taken|took", verb) else \
        ArrestStatus.arrested


def more_arrests(text: str, whole: list[Sentence], counts: list[CountCandidate],
                 names: list[NameCandidate]) -> list[ArrestReading]:
    """The arrest records of the module doc, in text order; none for a sentence whose
    arrests the count candidates already read."""
    read = {c.sentence.start for c in counts if c.outcome == "arrested"}
    out: list[ArrestReading] = []
    people: list[str] = []

    starts = [s.start for s in whole]  # in text order: a binary search, not a scan

    def sentence_of(pos: int) -> Sentence | None:
        i = bisect.bisect_right(starts, pos) - 1
        return whole[i] if i >= 0 and whole[i].start <= pos < whole[i].end else None

    for c in names:
        if c.kind != "person":
            continue
        for s, e in c.spans:
            sent = sentence_of(s)
            if sent is None or sent.start in read:
                continue
            before = _BEFORE_NAME.search(text[max(sent.start, s - 90):s])
            after = _AFTER_NAME.match(text[e:min(sent.end, e + 120)])
            if not (before or after):
                continue
            if any(p == c.text or p.endswith(" " + c.text) or c.text.endswith(" " + p)
                   for p in people):
                continue
            verb = before.group("verb") if before else (after.group("verb") or "arrested"
                                                        if after else "arrested")
            people.append(c.text)
            out.append(ArrestReading(1, c.text, _status(verb), s, e, sent))
            # "detained Ali Hassan and Omar Yusuf": a second person held with the first
            other = _AND_NAME.match(text, e) if before else None
            if other and other.group("name") not in people:
                people.append(other.group("name"))
                out.append(ArrestReading(1, other.group("name"), _status(verb),
                                         other.start("name"), other.end("name"), sent))
            # "arrested Musa Bello and two accomplices": the others held with the person
            for n in find_numbers(text[e:min(sent.end, e + 60)]):
                more = _WITH_OTHERS.match(text, e) if n.start <= 6 else None
                if more and n.low == n.high and not n.measure:
                    out.append(ArrestReading(n.low, more.group("noun"), _status(verb), e,
                                             more.end(), sent))
                break
    for sent in whole:
        if sent.start in read:
            continue
        for m in [*_BACK_ACTIVE.finditer(sent.text), *_BACK_PASSIVE.finditer(sent.text),
                  *_CLAUSE_PASSIVE.finditer(sent.text), *_TAKEN_INTO.finditer(sent.text)]:
            if _NONE_OF.search(sent.text, 0, m.start()):
                continue  # "None of the workers had been arrested": they were not
            noun = m.group("noun")
            kin = re.fullmatch(_KIN, noun, re.I) is not None
            clause = m.re is _CLAUSE_PASSIVE
            figure = _held_figure(m, text, sent.start, noun)
            who = m.group("who") if kin or clause else noun
            out.append(ArrestReading(figure, who, _status(m.group("verb")),
                                     sent.start + m.start(), sent.start + m.end(), sent,
                                     actor=not (kin or clause)))
            break
        if not any(r.sentence.start == sent.start for r in out) and (one := _captured_one(sent)):
            out.append(one)
            continue
        if not _GAVE_UP.search(sent.text):
            continue  # (find_numbers is the costly part: only where someone surrendered)
        for n in find_numbers(sent.text):
            if n.measure or n.low != n.high:
                continue
            gave = _SURRENDER.match(sent.text, n.end)
            if gave:
                who = re.sub(r"^of\s+the\s+", "", sent.text[n.end:gave.end("noun")].strip())
                out.append(ArrestReading(n.low, who,
                                         ArrestStatus.arrested, sent.start + n.start,
                                         sent.start + gave.end(), sent))
    return sorted(out, key=lambda r: r.start)


def _captured_one(sent: Sentence) -> ArrestReading | None:
    """One person captured, told by what befell them ("the other surrendered to police")."""
    one = _CAPTURED_ONE.search(sent.text)
    noun = one.group("noun") if one else None
    if one is None or noun and re.search(r"(?:s|men|people)$", noun, re.I):
        return None
    return ArrestReading(1, one.group("who"), ArrestStatus.arrested, sent.start + one.start(),
                         sent.start + one.end(), sent, actor=False)


def _figure_before(text: str, end: int, noun: str) -> int | None:
    """The figure of the last "<number> [word] <noun>" before `end` ("four students")."""
    stem = re.escape(noun.rstrip("s").lower())
    best = None
    for n in find_numbers(text[:end]):
        if n.measure or n.low != n.high:
            continue
        if re.match(rf"\s+(?:[a-z-]+\s+)?{stem}s?\b", text[n.end:n.end + 40], re.I):
            best = n.low
    return best


def arrested_groups(text: str, readings: list[ArrestReading],
                    names: list[NameCandidate]) -> list[NameCandidate]:
    """The groups these readings arrest that are no name yet ("the students" after "four
    students"), as candidates: people held as suspects, the perpetrators' side."""
    known = {c.text.lower() for c in names if c.spans}
    out: list[NameCandidate] = []
    for r in readings:
        if not r.actor or r.count == 0:
            continue
        at = text.find(r.who, r.start, r.end + 1)
        if at < 0 or r.who.lower() in known or r.who[:1].isupper():
            continue
        armed = bool(ARMED.fullmatch(r.who.split()[-1]))
        if armed and any(c.kind == "armed group" for c in names if c.spans):
            continue  # "the attackers" are the armed group already named
        known.add(r.who.lower())
        kind = "armed group" if armed else "civilian group"
        out.append(NameCandidate(r.who, spans=[(at, at + len(r.who))], kind=kind))
    return out
