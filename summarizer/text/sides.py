"""Which side a figure's people are on, beyond what the count candidate says (issue 33): the
attackers a text names ("came under attack from about 60 miners"), the fighters of a clash no
one is said to have begun (either side), a weapon's targets ("a roadside bomb killed three
militia fighters": victims) and an attacker killed by the police."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import replace

from ..brief import Side
from .counts import CountCandidate

__all__ = ["attacker_spans", "attackers_named", "head_word", "side_of"]

_WEAPON_SUBJECT = re.compile(r"\b(?:bomb|blast|explosion|explosive|device|mine|IED|landmine|"
                             r"air\s?strike|strike|drone|missile|rocket|shell|mortar|grenade|"
                             r"ambush)s?\s+(?:[\w-]+\s+){0,3}?(?:killed|killing|kills|wounded|"
                             r"wounding|wounds|injured|injuring|injures|hit|hits|struck|"
                             r"strikes)\s+$", re.I)
_BY_POLICE = re.compile(r"\b(?:exchange\s+of\s+(?:gun)?fire|shoot-?out|gunfight|returned\s+fire|"
                        r"killed\s+by\s+(?:the\s+)?(?:police|officers?|troopers?|deputies|"
                        r"security\s+forces|soldiers|troops|agents))\b", re.I)
_PERPETRATOR = re.compile(r"\b(?:gunm[ae]n|shooters?|attackers?|assailants?|suspects?|"
                          r"bombers?|perpetrators?|killers?|he|she)\b", re.I)


# Whom a text names as the attackers: "came under attack from about 60 miners", "was
# ambushed by gunmen", "attacked by a group of herders"
_ATTACKED_BY = re.compile(r"\b(?:(?:came|come|comes|coming)\s+under\s+(?:attack|fire)\s+from|"
                          r"(?:attacked|ambushed|stormed|raided|assaulted|overrun)\s+by)\s+"
                          r"(?:(?:about|around|some|roughly|nearly|more\s+than|at\s+least|"
                          r"dozens\s+of|hundreds\s+of|scores\s+of|a\s+(?:group|band|gang|"
                          r"mob)\s+of|an?|the|[\d,]+|\w+)\s+){0,3}?"
                          r"(?:armed\s+|suspected\s+|illegal\s+|local\s+|rival\s+)?"
                          r"(?P<who>[a-z]+s)\b", re.I)


# One the text makes the shooter by a role: "a driver opened fire", "the customer pulled a
# gun" (a word that also names victims -- "a man", "a woman" -- tells no side)
_OPENED_FIRE = re.compile(r"\b(?:[Aa]n?|[Tt]he)\s+(?:[\w'’-]+\s+){0,2}?(?P<who>[a-z]+)\s+"
                          r"(?:then\s+|allegedly\s+|suddenly\s+)?(?:opened\s+fire|began\s+"
                          r"(?:shooting|firing)|started\s+(?:shooting|firing)|pulled\s+(?:out\s+)?"
                          r"(?:a|his|her)\s+(?:gun|handgun|pistol|rifle|knife|weapon))\b")
_ANY_ONE = {"man", "woman", "person", "someone", "somebody", "boy", "girl", "teen", "teenager",
            "youth", "child", "who", "group", "crowd", "one", "other", "people", "victim",
            "men", "women", "persons", "boys", "girls", "teens", "teenagers", "youths",
            "children", "others", "victims"}


def attackers_named(masked: str) -> set[str]:
    named = {m.group("who").lower() for m in _ATTACKED_BY.finditer(masked)
             if m.group("who").lower() not in ("others", "people", "persons", "residents",
                                               "villagers", "civilians", "passengers")}
    return named | {m.group("who") for m in _OPENED_FIRE.finditer(masked)
                    if m.group("who") not in _ANY_ONE}


def attacker_spans(masked: str) -> list[tuple[int, int]]:
    """Where the text tells who attacked: a figure there counts attackers, not a toll."""
    return [m.span() for m in _ATTACKED_BY.finditer(masked)]


def head_word(group: str) -> str:
    words = re.sub(r"[^\w ]", " ", group.lower()).split()
    return words[-1] if words else ""


_CLASH = re.compile(r"\bclash\w*|\bfighting\s+between\b|\bexchanged?\s+fire\b|"
                    r"\bbattles?\s+between\b|\bgun\s?battle\b", re.I)
_ATTACK = re.compile(r"\b(?:attack\w*|ambush\w*|storm\w*|raid\w*|opened\s+fire|assault\w*|"
                     r"came\s+under)\b", re.I)


def _in_clash(masked: str, c: CountCandidate) -> bool:
    """Whether the figure's sentence, or the one before it, tells a clash and no attack: its
    fighters are of either side ("the army clashed with rebels ... 6 rebels were killed")."""
    window = masked[max(0, c.sentence.start - 300):c.sentence.end]
    return bool(_CLASH.search(window)) and not _ATTACK.search(window)


_FORCES = re.compile(r"\b(?:soldiers?|troops?|servicem[ae]n|police\w*|gendarmes?|militiam[ae]n|"
                     r"security\s+forces|army|guards?)\b", re.I)


def side_of(masked: str, c: CountCandidate, clash: Sequence[CountCandidate] = ()) -> CountCandidate:
    """`c` with the side its sentence gives its people; `clash`: the other figures read."""
    s, start = c.sentence.text, c.mention.start - c.sentence.start
    if c.side is Side.attackers and _in_clash(masked, c):
        c = replace(c, side=Side.unknown)  # fighters of a clash no one is said to have begun
    if c.side is Side.victims and _FORCES.search(c.group) and any(
            o.sentence.start == c.sentence.start and (o.side is Side.unknown or (
                o.side is Side.attackers and _in_clash(masked, o))) for o in clash):
        c = replace(c, side=Side.unknown)  # "6 rebels and 2 soldiers were killed" in a clash
    if c.side is Side.attackers and _WEAPON_SUBJECT.search(s[:start]):
        c = replace(c, side=Side.victims)  # "a roadside bomb killed three militia fighters"
    before = masked[max(0, c.sentence.start - 200):c.sentence.start].rstrip()
    if c.implied and c.side is Side.victims and c.outcome == "killed" and (
            _PERPETRATOR.fullmatch(c.group) or c.group == "he/she") and (
            _BY_POLICE.search(s) or (c.group == "he/she" and _BY_POLICE.search(
                before[before.rfind(". ") + 1:]))):
        # "he was killed in an exchange of gunfire"; "Deputies returned fire and hit the
        # driver. He died at the scene."
        c = replace(c, side=Side.attackers)  # "he was killed in an exchange of gunfire"
    return c
