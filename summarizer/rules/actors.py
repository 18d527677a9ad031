"""Actors as reports name them, read over the name candidates (issue 34).

`name_candidates` (text/names.py) feeds the constrained backend's grammar too, so it is left
as it is; the rules read their actors from `actor_names(text, names)`, a corrected and
completed copy of it:

- organisation names kept whole: across "and" inside a "for"/"of" phrase ("Council for
  Justice and Renewal of Azawad") and across a possessive before the head ("Eastern Visayas
  People's Army"), the fragments dropped; "<Name> (ACR)" ties the acronym;
- who claims, who is blamed or suspected, including lowercase group nouns ("sources blamed
  separatists", "anarchists were suspected") and named groups however the claim or the blame
  is worded ("The attack was claimed by X", "Police blamed the X", "X was blamed for the
  ambush"; rules/claims.py); a name kept whole across "<Head> of the" ("Hamrin Soldiers of
  the Caliphate"); a country tag ("Unidentified Armed Group (Nigeria)") not another name;
- forces by nationality or service ("Turkish forces shelled", "Israeli warplanes struck"),
  unnamed armed actors ("gunmen", "an unknown armed group") and crowds ("residents protested");
- kinds corrected where the name says otherwise ("State Police" is a force, not an armed
  group; an organisation that claims an attack is an armed group).

`perpetrator_names` gives the names the text makes perpetrators: claimants, those blamed, a
person "identified as" the attacker or arrested by name, a force that strikes or shells.
Every name returned is a span of the text, so grounding's name check finds it.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import replace

from ..text import NameCandidate
from ..text.numbers import find_numbers
from .claims import (
    ARMED_WORDS,
    CLAIMED_ACT,
    NAMED_ARMED,
    STATE_BODY,
    country_tags,
    initials_fit,
    is_agent,
    is_tag,
)
from .cues import COUNTRIES

__all__ = ["BLAMED", "actor_names", "perpetrator_names"]

BLAMED = re.compile(r"\b(?:blamed|accused)\s+(?!(?:it|the\s+\w+)\s+on\b)", re.I)
"""A blame with its object next ("sources blamed separatists"); "blamed it on" is ATTRIBUTED."""

_CAP = r"(?:[A-Z][\w'’-]*\w|[A-Z])"
# Words a name may carry inside it; "and" only after a "for"/"of" ("Front for Unity and Jihad").
_INNER = r"(?:of|for|the|de|du|des|del|al|la|le|in)"
# Heads that end an organisation's name.
_HEAD = (r"(?:Army|Front|Movement|Brigades?|Militia|Resistance|Liberation|Council|Union|Party|"
         r"Alliance|Congress|Committee|Organi[sz]ation|Group|Battalions?|Commandos?|Forces|"
         r"Force|Guard|Coalition|Federation|League|Network|Society|Association|Jihad|Mujahideen|"
         r"Fighters|Rebels|Soldiers|Vanguard|Command|Column|Corps|Jamaat|Shura|Emirate|Collective|"
         r"Legion|Partisans|Defenders|Guardians|Cells|Squads?)")
# Possessors that a name runs through ("People's Army", "Lord's Resistance Army").
_POSSESSOR = r"(?:People|Peoples|Lord|Martyrs|Patriots|Workers|Nation|Citizens|Farmers|Youth)"
_ORG_RE = re.compile(
    rf"(?<![\w'’.-]){_CAP}(?:(?:\s+{_INNER})*\s+{_CAP}|\s+and\s+(?:the\s+)?{_CAP}|"
    rf"['’]s?\s+{_CAP})*")
_ACRONYM_AFTER = re.compile(r"\s*\((?P<acr>[A-Z][A-Za-z0-9.-]{1,9})\)")

# Words for people who fight or attack, as a group noun ("separatists", "gunmen").
_GROUP_NOUN = (r"(?:gunm[ae]n|assailants?|attackers?|militants?|insurgents?|bombers?|"
               r"fighters|terrorists?|hijackers?|kidnappers?|raiders?|rebels?|jihadists?|"
               r"robbers?|gang(?:s|\s+members)?|gangsters?|bandits?|pirates?|guerrillas?|"
               r"militias?|dissidents|separatists|anarchists|extremists|islamists|"
               r"nationalists|loyalists|secessionists|vigilantes|cultists|poachers|"
               r"smugglers|traffickers|herdsmen|herders|(?:masked|hooded)\s+men|"
               r"arsonists?|armed\s+(?:group|men|gang)s?)")
_LOWER_ADJ = (r"(?:suspected|unknown|unidentified|unnamed|masked|armed|heavily\s+armed|local|"
              r"rival|ethnic|communal|tribal|criminal|dissident|radical|rogue|renegade|"
              r"breakaway|far-right|far-left|militant|hardline|extremist)")
_ADJ = rf"(?:(?:{_LOWER_ADJ}|(?-i:(?!(?:The|A|An)\b)[A-Z][\w'’-]+))\s+)"
_GROUP_NP = re.compile(rf"\b(?:(?:an?|the)\s+)?(?P<np>{_ADJ}{{0,2}}{_GROUP_NOUN})\b", re.I)
# Blamed or suspected, any plural of a movement's followers is a group ("Maoists", "Naxalites").
_BLAMED_NP = re.compile(rf"(?P<np>{_ADJ}{{0,2}}(?:{_GROUP_NOUN}|\w+(?:ists|ites|ans)))\b"
                        r"(?=\s*(?:[,.;:)]|$)|\s+(?:of|for|in|who|that|and|were|was|had|have|"
                        r"are|is|after|on|at|as|with|from|said|says|for|over|behind)\b)", re.I)
_ATTACK_VERB = (r"(?:opened\s+fire|attacked|stormed|killed|shot|detonated|ambushed|raided|"
                r"seized|abducted|kidnapped|fired|shelled|struck|bombed|torched|burned|set\s+"
                r"fire|looted|planted|hit|launched|targeted|overran|stabbed|hacked|massacred|threw|hurled|"
                r"blocked|besieged|carried\s+out|claimed|surrendered)")
_FORCE_NOUN = (r"(?:(?:security|armed|government|special|border|air|naval|ground|"
               r"paramilitary)\s+)?(?:forces|troops|soldiers|army|military|navy|air\s+force|"
               r"police|warplanes|jets|aircraft|drones|artillery|gendarmes|border\s+guards|"
               r"coast\s+guard|militiamen)")
_FORCE_RE = re.compile(rf"(?<![\w'’-])(?P<dem>[A-Z][a-z]+)(?P<poss>['’]s)?\s+"
                       rf"(?P<noun>(?i:{_FORCE_NOUN}))\b")
_FORCE_ACTS = re.compile(r"(?:,\s+(?:who|which)\s[^.;]{1,120}?,)?(?:\s+(?:jets|aircraft|warplanes|"
                         r"planes|drones|helicopters|gunships))?\s+(?:\w+ly\s+|have\s+|"
                         r"has\s+|had\s+)?(?!(?:were|was)\b)(?:\w+ed\b|opened\s+fire|"
                         r"shot\b|hit\b|struck\b|fought\b|said\b|say\b|says\b)")
_STRIKE_VERB = re.compile(r"^(?:\s+\([^()]{1,30}\))?(?:,\s+(?:who|which)\s[^.;]{1,120}?,)?"
                          r"(?:\s+(?:jets|aircraft|"
                          r"warplanes|planes|drones|helicopters|gunships|artillery))?\s+"
                          r"(?:(?:have|has|had|also|reportedly|then)\s+)*(?:shelled|struck|"
                          r"bombed|pounded|raided|stormed|ambushed|opened\s+fire|"
                          r"launched\s+(?:an?\s+)?(?:air\s*|drone\s+)?strikes?|"
                          r"carried\s+out\s+(?:an?\s+)?(?:air\s*|drone\s+)?strikes?)\b")
_STRIKE_BY = re.compile(r"\b(?:air\s*strikes?|drone\s+strikes?|strikes?|shelling|bombardment|"
                        r"bombing)\s+by\s+(?:the\s+)?$", re.I)
_CROWD = re.compile(r"(?<![\w-])(?P<np>(?:(?-i:(?!(?:The|A|An)\b)[A-Z][\w'’-]+)\s+)?"
                    r"(?:residents|protesters|demonstrators|villagers|students|youths?|"
                    r"supporters|traders|vendors|workers|farmers|mourners|teachers|doctors|"
                    r"nurses|miners|drivers|women|families|relatives|fans|rioters|lawyers|"
                    r"activists|pensioners|citizens|parents|pupils|fishermen|employees|"
                    r"merchants|shopkeepers|motorists|journalists|"
                    r"crowds?|mobs?))(?=(?:\s+\([A-Z][\w .'’-]{1,40}\))?\s+"
                    r"(?:(?:have|had|also|then)\s+)?"
                    r"(?:protested|marched|demonstrated|rallied|rioted|gathered|took\s+to|"
                    r"blocked|stormed|staged|chanted|burned|threw|clashed|lynched|stoned|"
                    r"looted|torched|set\s+fire|held|formed|attacked|assaulted|ransacked|"
                    r"vandali[sz]ed))",
                    re.I)
_THE_FORCE = re.compile(r"\b[Tt]he\s+(?P<np>army|military|navy|gendarmerie|air\s+force)\b"
                        r"(?!\s+(?:patrol|base|camp|truck|vehicle|convoy|post|officer|chief|"
                        r"spokes\w+|source)s?\b)")
_FORCE_SUBJECT = re.compile(r"(?:^|(?<=[.;!?]\s))(?P<np>Police|Troops|Soldiers|Gendarmes)\s+"
                            r"(?:(?:later|also|then|have|had|\w+ly)\s+)?(?:arrested|detained|"
                            r"captured|apprehended|raided|fired|shot|killed|recovered|seized)\b")
_CROWD_ATTACKS = re.compile(r"(?:\s+\([A-Z][\w .'’-]{1,40}\))?\s+(?:\w+ly\s+)?(?:lynched|beat|"
                            r"attacked|stoned|torched|burned|set\s+fire|looted|killed|hacked|"
                            r"stormed|ransacked|vandali[sz]ed|assaulted)\b")
_PROTESTERS = re.compile(r"\b(?:protesters|demonstrators)\b", re.I)
_CLAIM = re.compile(r"\b(?:(?:later|quickly|swiftly)\s+)?(?:claimed|has\s+claimed|have\s+"
                    rf"claimed)\s+(?:responsibility|credit|{CLAIMED_ACT})\b|\bsaid\s+(?:it|its\s+"
                    r"fighters)\s+(?:had\s+)?(?:carried\s+out|attacked|was\s+behind)", re.I)
_BLAME_AT = re.compile(r"\b(?:blamed|accused|suspect(?:ed)?|attributed\s+(?:it|the\s+\w+)\s+to|"
                       r"blamed\s+(?:it|the\s+\w+)\s+on|(?:was|were)\s+blamed\s+on|"
                       r"(?:was|were)\s+attributed\s+to)\s+(?:the\s+|an?\s+)?", re.I)
_BLAME = re.compile(r"\b(?:blamed|accused|suspect(?:ed)?|attributed\s+(?:it|the\s+\w+)\s+to)\s+"
                    r"(?:(?:the\s+attack|it|the\s+\w+)\s+on\s+)?", re.I)
_SUSPECTED_AFTER = re.compile(r"^\s+(?:were|was|are|is|have\s+been|had\s+been)\s+(?:suspected|"
                              r"blamed|believed\s+(?:to\s+be\s+)?responsible)\b", re.I)
_ATTACKER_WORD = (r"(?:assailant|attacker|gunman|suspect|bomber|shooter|killer|perpetrator|"
                  r"driver|man|woman|teenager|youth)")
_IDENTIFIED = re.compile(rf"\b{_ATTACKER_WORD}\b[^.;]{{0,80}}?\b(?:identified|named)\s+as\s+$|"
                         rf"\b(?:identified|named)\s+the\s+{_ATTACKER_WORD}\s+as\s+$", re.I)
_ARRESTED_NAME_BEFORE = re.compile(r"\b(?:arrested|detained|apprehended|captured)\s+"
                                   r"(?:(?:an?|the)\s+[^,.;]{1,60},\s+)?$")
_ARRESTED_NAME_AFTER = re.compile(
    r"^(?:,[^,.;]{1,60},)?,?\s+(?:was|has\s+been|had\s+been|were)\s+(?:\w+\s+and\s+)?"
    r"(?:later\s+|also\s+)?"
    r"(?:arrested|detained|apprehended|captured|taken\s+into\s+custody)\b|"
    r"^(?:,[^,.;]{1,60},)?,?\s+(?:turned\s+(?:himself|herself)\s+in|surrendered|gave\s+"
    r"(?:himself|herself)\s+up)\b")
_ARMED_CONTEXT = re.compile(r"\b(?:fighters|guerrillas|militants|rebels|insurgents|"
                            r"gunmen|attackers|assailants)\s+(?:(?:believed|thought|said|"
                            r"suspected)\s+to\s+(?:belong\s+to|be\s+(?:from|members\s+of))|of|"
                            r"from|belonging\s+to)\s+(?:the\s+)?$", re.I)
_FORCE_END = re.compile(r"\b(?:Police|Gendarmerie|Coast\s+Guard|Border\s+Guards?)$")


def _demonym(word: str) -> bool:
    return word in COUNTRIES or bool(re.search(r"(?:an|ese|ish|ic|i|ch)$", word))


def actor_names(text: str, names: list[NameCandidate]) -> list[NameCandidate]:
    """The name candidates, corrected and completed for the rules' actors (module doc)."""
    out = [replace(c, spans=list(c.spans), aliases=list(c.aliases)) for c in names]
    found = {c.text: c for c in out}
    added: list[NameCandidate] = []

    def add(name: str, start: int, kind: str) -> NameCandidate:
        cand = found.get(name)
        if cand is None:
            cand = found[name] = NameCandidate(name, kind=kind)
            out.append(cand)
            added.append(cand)
        if (start, start + len(name)) not in cand.spans:
            cand.spans.append((start, start + len(name)))
            cand.spans.sort()
        if cand.kind in (None, "place"):
            cand.kind = kind
        return cand

    country_tags(text, out)
    _whole_names(text, out, found, add)
    _armed_kinds(text, out)
    _people(text, out)
    forces = _forces(text, found, add)
    _groups(text, found, add)
    _the_force_and_crowds(text, forces, add)
    # A candidate written only inside (or across) a group phrase read here is that group:
    # "militants" in "Boko Haram militants", "Suspected Boko Haram" across "Suspected Boko
    # Haram militants", "Turkish" in "Turkish forces".
    spans = [sp for c in added for sp in c.spans]
    for o in out:
        if o not in added and o.kind not in ("person", "state") and o.spans and all(
                any(a < e and s < b for s, e in spans) for a, b in o.spans):
            o.spans = []
    _merge_case(out)
    _unnamed_as_aliases(out)
    return sorted((c for c in out if c.spans), key=lambda c: c.first)


_Add = Callable[[str, int, str], NameCandidate]


def _people(text: str, out: list[NameCandidate]) -> None:
    """"identified as Joris Vermaelen", "police arrested Sander Kuipers": a person."""
    for c in out:
        if c.kind is None and " " in c.text and any(
                re.search(r"\b(?:arrested|detained|apprehended|captured)\s+[A-Z][\w'’ -]{2,40}"
                          r"\s+and\s+$", text[max(0, s - 60):s]) for s, _ in c.spans):
            c.kind = "person"  # "detained Ali Hassan and Omar Yusuf"
        if c.kind is None and " " in c.text and any(
                _IDENTIFIED.search(text[max(0, s - 120):s])
                or _ARRESTED_NAME_BEFORE.search(text[max(0, s - 90):s])
                or _ARRESTED_NAME_AFTER.match(text[e:e + 120]) for s, e in c.spans):
            c.kind = "person"


def _forces(text: str, found: dict[str, NameCandidate], add: _Add) -> dict[str, NameCandidate]:
    """Forces by nationality or service where they act; one actor per nationality."""
    forces: dict[str, NameCandidate] = {}
    for m in _FORCE_RE.finditer(text):
        dem = m.group("dem")
        if not (_demonym(dem) or m.group("poss") and dem in found
                and found[dem].kind in ("state", "place", None)):
            continue
        if not (_FORCE_ACTS.match(text, m.end())
                or _STRIKE_BY.search(text[max(0, m.start() - 40):m.start()])
                or re.search(r"\bby\s+(?:the\s+)?$", text[max(0, m.start() - 10):m.start()])):
            continue
        cand = add(m.group(), m.start(), "security force")
        # "Thai troops", "Thai soldiers", "the Thai army": one actor, the later ones aliases.
        first = forces.setdefault(dem, cand)
        if first is not cand and cand.text not in first.aliases:
            first.aliases.append(cand.text)
    return forces


def _groups(text: str, found: dict[str, NameCandidate], add: _Add) -> None:
    """Group nouns that act ("gunmen opened fire") or are blamed ("sources blamed Maoists")."""
    groups = [(m.start("np"), m.end()) for m in _GROUP_NP.finditer(text)
              if _group_acts(text, m.start("np"), m.end())]
    for m in _BLAME_AT.finditer(text):  # "sources blamed Maoists", "attributed it to ..."
        blamed = _BLAMED_NP.match(text, m.end())
        if blamed and not any(s <= blamed.start() < e for s, e in groups):
            groups.append((blamed.start(), blamed.end()))
    for s, e in groups:
        lead_number = next((n for n in find_numbers(text[s:e]) if n.start == 0), None)
        if lead_number:  # "Twenty insurgents": the figure is not the name
            s += len(text[s:e]) - len(text[s + lead_number.end:e].lstrip())
        np = text[s:e]
        # "Al-Shabaab militants", "ADF rebels": the group is the name before the noun.
        owner = re.match(rf"(.+?)\s+(?:{_LOWER_ADJ}\s+)?{_GROUP_NOUN}$", np, re.I)
        if owner and owner.group(1) in found and found[owner.group(1)].kind not in (
                "person", "place") and not _demonym(owner.group(1)) and not re.fullmatch(
                rf"(?:{_LOWER_ADJ}\s*)+", owner.group(1), re.I):
            if found[owner.group(1)].kind in (None, "other"):
                found[owner.group(1)].kind = "armed group"
            continue
        lead = re.match(r"suspected\s+", np, re.I)  # the suspicion is not the name
        if lead:
            s += lead.end()
        add(text[s:e], s, "armed group")


def _the_force_and_crowds(text: str, forces: dict[str, NameCandidate], add: _Add) -> None:
    """"the army said", "surrendered to the military": one actor for all such mentions, and
    the one nationality's forces where the text names only one ("Turkish forces ... the
    army"); crowds by their own nouns."""
    the_force: NameCandidate | None = next(iter(forces.values())) if len(forces) == 1 else None
    for m in _THE_FORCE.finditer(text):
        np = m.group("np")
        if the_force is None:
            the_force = add(np, m.start("np"), "security force")
        elif np not in the_force.aliases and np != the_force.text:
            the_force.aliases.append(np)
    for m in _CROWD.finditer(text):
        add(m.group("np"), m.start("np"), "civilian group")
    for m in _PROTESTERS.finditer(text):
        add(m.group(), m.start(), "civilian group")
    for m in _FORCE_SUBJECT.finditer(text):  # "Police arrested two suspects": capitalised
        add(m.group("np"), m.start("np"), "security force")  # by position, still the police


def _unnamed_as_aliases(out: list[NameCandidate]) -> None:
    """Unnamed attackers written two ways ("Gunmen abducted ... The attackers blocked") are
    one actor: the later words are aliases of the first (of the named group, if any)."""
    unnamed = sorted((c for c in out if c.spans and c.kind == "armed group"
                      and re.fullmatch(rf"(?:{_LOWER_ADJ}\s+){{0,2}}{_GROUP_NOUN}", c.text,
                                       re.I)), key=lambda c: c.first)
    named = [c for c in out if c.spans and c.kind == "armed group" and c not in unnamed
             and not c.text.islower()]
    head = min(named, key=lambda c: c.first) if named else (unnamed[0] if unnamed else None)
    for c in unnamed:
        if c is not head and head is not None:
            if c.text not in head.aliases:
                head.aliases.append(c.text)
            if named:  # the named group's other words, not an actor of their own
                c.spans = []


def _whole_names(text: str, out: list[NameCandidate], found: dict[str, NameCandidate],
                 add: Callable[[str, int, str], NameCandidate]) -> None:
    """Organisation names that the capitalised-run reading splits: joined across "and" after a
    "for"/"of", across a possessive, or introduced with an acronym; fragments dropped."""
    for m in _ORG_RE.finditer(text):
        name = m.group()
        words = name.split()
        # Leading words capitalised by position only ("The", "In").
        while words and words[0].lower() in ("the", "a", "an", "in", "on", "at", "and", "of"):
            words = words[1:]
        if len(words) < 2:
            continue
        start = m.start() + name.index(words[0])
        name = text[start:m.end()]
        # "Guerrillas of the Eastern Visayas People's Army": the members are not the name.
        members = re.match(rf"(?:{_GROUP_NOUN}|members|leaders|supporters|commanders?)\s+"
                           r"(?:of|from)\s+(?:the\s+)?", name, re.I)
        if members:
            start += members.end()
            name = text[start:m.end()]
        acr = _ACRONYM_AFTER.match(text, m.end())
        if acr and is_tag(acr.group("acr"), name, found):
            acr = None
        joined_and = re.search(r"\s(?:for|of)\s.*\sand\s", name) is not None
        joined_poss = re.search(rf"\b{_POSSESSOR}['’]s?\s", name) is not None and not re.search(
            rf"\s{_INNER}\s", name)
        if " and " in name and not joined_and or " and the " in name and not acr:
            continue
        if re.search(r"['’]s?\s", name) and not joined_poss:
            continue
        # a head before "of"/"for" inside the name ("Hamrin Soldiers of the Caliphate", "Police
        # Forces of India"), which the capitalised-run reading splits there
        joined_of = name not in found and re.search(rf"\b{_HEAD}\s+(?:for|of)\s", name)
        heads = bool(re.search(rf"\b{_HEAD}$", name) or joined_of)
        if not (heads or (acr and initials_fit(acr.group("acr"), name))):
            continue
        if not (joined_and or joined_poss or acr or joined_of):
            continue  # a plain capitalised run: name_candidates read it already
        # The kind: the name's own, else what its words or its parts say ("Armed Forces of
        # ..." is a force), else its acronym's ("... Nations (ASEAN)"), else unknown.
        known = found[name].kind if name in found else None
        parts = [o.kind for o in out if o.kind not in (None, "place", "person", "other")
                 and o.text in name and o.text != name]
        initials = found.get(acr.group("acr")) if acr else None
        kind = known or ("armed group" if ARMED_WORDS.search(name) else None) or next(
            iter(parts), None) or (initials.kind if initials else None) or "other"
        cand = add(name, start, kind)
        if acr:
            short = acr.group("acr")
            if short not in cand.aliases:
                cand.aliases.append(short)
            if short in found:
                found[short].kind = found[short].kind or cand.kind
        # Fragments of the whole name ("People", "Army", "Justice") are not names of their own.
        for o in out:
            if o is not cand and o.spans and all(
                    any(s <= a and b <= e for s, e in cand.spans) for a, b in o.spans):
                o.spans = []


def _armed_kinds(text: str, out: list[NameCandidate]) -> None:
    """Kinds the context decides: a police body is a force; a named group that claims an
    attack, is blamed for one, or whose fighters are written as its members is armed."""
    for c in out:
        if _FORCE_END.search(c.text) and c.kind == "armed group":
            c.kind = "security force"
        # "State" made it armed, but the name is a state's office ("State Department",
        # "State Emergency Service")
        if c.kind == "armed group" and re.search(r"\bState\b", c.text) and STATE_BODY.search(
                c.text) and not ARMED_WORDS.search(c.text):
            c.kind = "government body"
        if c.kind is None and re.fullmatch(r"[A-Z]{2,7}", c.text) and any(
                re.match(rf"\s+(?:(?:\w+ly|had|have|has|then|also)\s+)?{_ATTACK_VERB}\b",
                         text[e:e + 40])
                # "an IED planted by ...": a thing with an article, not an organisation
                and not re.search(r"\b(?:an?|one|two|three)\s+$", text[max(0, s - 6):s])
                or re.search(r"\b(?:attacks?|raids?|ambush|claimed|carried\s+out)\s+by\s+$",
                             text[max(0, s - 30):s]) for s, e in c.spans):
            c.kind = "armed group"  # "JNIM attacked a convoy": an acronym that attacks
        if c.kind in (None, "other") and NAMED_ARMED.search(c.text):
            c.kind = "armed group"  # "Unidentified Armed Group", "Zamfara Communal Militia"
        if c.kind not in ("person", "state", "place") and is_agent(text, c):
            c.kind = "armed group"
        for s, e in c.spans:
            after = text[e:e + 80]
            before = text[max(0, s - 40):s]
            if (_ARMED_CONTEXT.search(before) or _CLAIM.match(after.lstrip(" ,"))
                    or re.match(r"\s*(?:\([A-Z][\w.-]+\)\s*)?(?:,[^,.;]{1,60},\s*)?"
                                r"(?:has\s+|have\s+)?claimed\s+responsibility", after)):
                if c.kind not in ("person", "state"):
                    c.kind = "armed group"


def _group_acts(text: str, start: int, end: int) -> bool:
    """A group noun is an actor where it acts, is the agent ("by gunmen") or is blamed."""
    before = text[max(0, start - 60):start]
    after = text[end:end + 60]
    if re.match(rf"\s+(?:(?:\w+ly|then|also|had|have|has|who)\s+)?{_ATTACK_VERB}\b", after,
                re.I):
        return True
    if re.search(r"\b(?:by|clash(?:ed|es|ing)?\s+with|fought|fighting|battled|against|"
                 r"between)\s+(?:an?\s+|the\s+)?$|\bbetween\s+(?:[\w'’-]+\s+){1,4}?and\s+"
                 r"(?:the\s+)?$", before, re.I):
        return True
    if _BLAME.search(before[-40:]) and re.search(r"(?:blamed|accused|suspect\w*|to|on)\s+"
                                                r"(?:an?\s+|the\s+)?$", before, re.I):
        return True
    return bool(_SUSPECTED_AFTER.match(after))


def _merge_case(out: list[NameCandidate]) -> None:
    """"Gunmen" and "gunmen" are one name: the spans go to the first written."""
    seen: dict[str, NameCandidate] = {}
    for c in sorted(out, key=lambda c: c.first if c.spans else 1 << 30):
        if not c.spans:
            continue
        key = c.text.lower()
        if key in seen and seen[key] is not c:
            seen[key].spans = sorted({*seen[key].spans, *c.spans})
            c.spans = []
        else:
            seen[key] = c


def perpetrator_names(text: str, names: list[NameCandidate]) -> set[str]:
    """Names the text makes perpetrators: claimants, those a force or person is blamed on,
    a person identified as the attacker or arrested by name, a force that strikes."""
    out: set[str] = set()
    for c in names:
        for s, e in c.spans:
            before = text[max(0, s - 120):s]
            after = text[e:e + 120]
            if c.kind == "person" and (_IDENTIFIED.search(before)
                                       or _ARRESTED_NAME_BEFORE.search(before)
                                       or _ARRESTED_NAME_AFTER.match(after)):
                out.add(c.text)
            elif c.kind == "security force" and not re.search(r"(?i)police", c.text) and (
                    _STRIKE_VERB.match(after) or _STRIKE_BY.search(before)):
                out.add(c.text)
            elif c.kind == "civilian group" and _CROWD_ATTACKS.match(after):
                out.add(c.text)
            elif c.kind in ("armed group", "other", None) and (
                    _CLAIM.match(after.lstrip(" ,")) or re.match(
                        r"\s*(?:\([A-Z][\w.-]+\)\s*)?(?:has\s+|have\s+)?claimed\s+"
                        r"responsibility", after)):
                out.add(c.text)
    return out
