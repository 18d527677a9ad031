"""How reports name the group behind an attack (issue 34): who claims it, who is blamed or
suspected, and which words make a name an armed group's or a state body's.

- a claim: "X (ACR) claimed responsibility", "X claimed the arson", "The attack was claimed by
  X", "Responsibility was claimed by X";
- a blame or a suspicion: "Police blamed the X", "was blamed on X", "Authorities suspected
  members of the X of ...", "bore the hallmarks of the X", "X was blamed for the ambush", "X
  was responsible";
- a country tag: "Unidentified Armed Group (Nigeria)", "Rioters (Iraq)", the way
  conflict-event datasets write an actor -- the bracketed country is not another name for it.

Used by rules/actors.py over the name candidates; every name stays a span of the text.
"""

from __future__ import annotations

import re

from ..text import NameCandidate
from .cues import COUNTRIES

__all__ = ["ARMED_WORDS", "CLAIMED_ACT", "NAMED_ARMED", "STATE_BODY", "country_tags",
           "initials_fit", "is_agent", "is_tag"]

# What a claim claims: "claimed the attack", "claimed an arson attack", "claimed the bombing".
CLAIMED_ACT = (r"(?:the|an?|this|that|both|these)\s+(?:[\w-]+\s+){0,2}?(?:attacks?|bombings?|"
               r"blasts?|explosions?|arson|ambush(?:es)?|killings?|assaults?|raids?|"
               r"shootings?|abductions?|kidnappings?|strikes?|operations?|assassinations?|"
               r"beheadings?|massacres?)")

# Where a named organisation is the one blamed, suspected or claiming: the words before its
# name ("was claimed by", "blamed the", "suspected members of the", "the hallmarks of") or
# after it ("... was blamed for", "... was responsible").
_AGENT_BEFORE = re.compile(
    r"\b(?:claimed\s+by|blamed\s+on|attributed\s+to|blamed|accused|suspected|hallmarks\s+of|"
    r"carried\s+out\s+by|(?:the\s+)?work\s+of|(?:responsibility|blame)\s+(?:lies|lay|rests|"
    r"rested)\s+with|(?:believed|thought|said)\s+to\s+(?:be|(?P<belong>belong\s+to)))\s+"
    r"(?:(?:the|an?)\s+)?(?P<members>(?:members?|fighters|militants|cadres|rebels|supporters|"
    r"gunmen|elements|followers)\s+(?:of|from)\s+(?:the\s+)?)?$", re.I)
_AGENT_AFTER = re.compile(
    r"^(?:\s*\([^()]{1,40}\))?(?:,[^,.;]{1,60},)?\s+(?:(?:was|were|is|are|has\s+been|had\s+"
    r"been)\s+(?:later\s+|also\s+|widely\s+|initially\s+)?(?:suspected|blamed|believed\s+"
    r"(?:to\s+be\s+)?(?:responsible|behind)|held\s+responsible|behind\s+the|responsible\b"
    r"(?!\s+for\s+(?:the\s+)?(?:security|area|region|investigation|safety|protection)))|"
    r"(?:(?:later|quickly|swiftly|has|have)\s+)?claimed\s+(?:responsibility|credit|"
    rf"{CLAIMED_ACT}))", re.I)

ARMED_WORDS = re.compile(r"\b(?:People['’]s|Liberation|Revolutionary|Resistance|Jihad|"
                         r"Mujahideen|Rebels?|Militia|Brigades?|Insurgents?|Armed\s+Group|"
                         r"Ansar|Jamaat|Caliphate|Emirate|Guerrillas?)\b")
NAMED_ARMED = re.compile(r"\b(?:Armed\s+Groups?|Militias?|Rebels|Insurgents|Guerrillas|"
                         r"Mujahideen|Brigades?)\b")
STATE_BODY = re.compile(r"\b(?:Department|Service|Ministry|Agency|Office|Council|Commission|"
                        r"Committee|Bureau|Administration|Secretary|Duma|Assembly|Media|"
                        r"Television|News|Prosecutor|Attorney)\b")


def initials_fit(acr: str, name: str) -> bool:
    letters = [w[0] for w in re.findall(r"[A-Z][\w'’-]*", name)]
    acr = acr.replace(".", "")
    # the letters of the name's words, the first among its first two (a translated order:
    # "Democratic Forces for the Liberation of Rwanda (FDLR)")
    return bool(letters) and acr[0] in letters[:2] and all(
        ch in letters for ch in acr if ch.isupper()) and len(acr) <= len(letters) + 1


_TITLE_WORDS = re.compile(r"[A-Z][a-z][\w'’-]*(?:\s+(?:[A-Z][a-z][\w'’-]*|of|the|and))*")


def is_tag(tag: str, name: str, found: dict[str, NameCandidate]) -> bool:
    """"(Nigeria)" after "Unidentified Armed Group": a place or country in brackets, as
    conflict-event datasets tag an actor, not an acronym of the name."""
    return bool(_TITLE_WORDS.fullmatch(tag)) and not initials_fit(tag, name) and (
        tag not in found or found[tag].kind in (None, "place", "state"))


def country_tags(text: str, out: list[NameCandidate]) -> None:
    """"Unidentified Armed Group (Nigeria)", "Rioters (Iraq)": the country in brackets is a
    tag of the name, not another name for it."""
    found = {c.text: c for c in out}
    for c in out:
        c.aliases = [a for a in c.aliases if not (is_tag(a, c.text, found) and any(
            re.match(rf"\s*\({re.escape(a)}\)", text[e:e + len(a) + 4]) for _, e in c.spans))]


def is_agent(text: str, c: NameCandidate) -> bool:
    """A named organisation that claims, or is blamed or suspected ("The attack was claimed by
    Ansar Niono", "Police blamed the Biafra Home Defence Corps", "the X was blamed for the
    ambush"): not a country, and a name that reads as an organisation's."""
    words = c.text.split()
    if c.text in COUNTRIES or not (len(words) >= 2 or re.fullmatch(r"[A-Z]{2,7}", c.text)):
        return False
    for s, e in c.spans:
        if _AGENT_AFTER.match(text[e:e + 160]):
            return True
        before = _AGENT_BEFORE.search(text[max(0, s - 80):s])
        # "blamed the Ministry" is no armed group; "suspected members of the X Council" is
        if before and (before.group("members") or before.group("belong") or not (
                STATE_BODY.search(c.text) and not ARMED_WORDS.search(c.text))):
            return True
    return False
