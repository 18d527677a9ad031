"""The attackers inside a toll: "Two of them were ringleaders of the uprising who were shot by
soldiers", "Among the dead were three gunmen killed by police".

A story often gives one toll for everyone who died and then says that a part of the dead were
the attackers, killed by the security forces. `count_candidates` reads the toll and often not
the part ("Two of them, it said, were ringleaders": no casualty word next to the number); the
incident-level reading (tally.py) moves the part to the attackers' side, out of the victims'
figure. Only a part that the text names as perpetrators (gunmen, militants, ringleaders,
mutineers...) and says the forces killed counts: "two of the dead were protesters shot by
police" are victims of the police, and stay in the victims' figure.
"""

from __future__ import annotations

import re
from dataclasses import replace

from ..brief import Side
from .counts import CountCandidate
from .cues import ARMED
from .people import mention
from .sentences import Sentence

__all__ = ["forces_killed_part", "less_part"]

_NUM = r"one|two|three|four|five|six|seven|eight|nine|ten|\d{1,3}"
_WORDS = {w: i for i, w in enumerate(
    "one two three four five six seven eight nine ten".split(), start=1)}
_OF_DEAD = (r"(?:them|the\s+dead|those\s+killed|those\s+who\s+died|the\s+victims|the\s+"
            r"(?:\w+\s+)?(?:inmates|prisoners|people|men)\s+who\s+died)")
_FORCES = (r"(?:soldiers|troops|police|policemen|police\s+officers|officers|guards|security\s+"
           r"forces|forces|army|gendarmes|marines|commandos)")
_PART = re.compile(
    rf"\b(?:(?P<n>{_NUM})\s+of\s+{_OF_DEAD}|among\s+(?:them|the\s+dead)\s+(?:were|was)\s+"
    rf"(?P<n2>{_NUM}))\b(?P<who>[^.;]{{0,100}}?)\b(?:shot|killed|gunned\s+down)\s+"
    rf"(?:dead\s+)?by\s+(?:the\s+)?(?:[\w'’-]+\s+){{0,3}}?{_FORCES}\b", re.I)
# perpetrators besides ARMED's armed men: the leaders of a riot or a mutiny
_LEADERS = re.compile(r"\b(?:ringleaders?|mutineers?|instigators?|hostage[- ]takers?)\b", re.I)


def forces_killed_part(sent: Sentence) -> list[CountCandidate]:
    """The attackers the security forces killed, told as a part of the dead; killed figures
    of the attackers' side, with offsets into the whole text."""
    out = []
    for m in _PART.finditer(sent.text):
        who = m.group("who")
        found = ARMED.search(who) or _LEADERS.search(who)
        if found is None:
            continue
        word = m.group("n") or m.group("n2")
        value = int(word) if word.isdigit() else _WORDS[word.lower()]
        key = "n" if m.group("n") else "n2"
        cand = CountCandidate("killed", mention(value, sent.start + m.start(key),
                                                 sent.start + m.end(key), word),
                              sent, found.group().lower(), Side.attackers, implied=True)
        out.append(cand)
    return out


def less_part(killed: list[CountCandidate], parts: list[CountCandidate]) -> list[CountCandidate]:
    """The victims' killed figures less the attackers told as a part of them: each figure
    told before the part and larger than it."""
    if not parts:
        return killed
    first = min(c.mention.start for c in parts)
    gone = sum(c.value for c in parts)
    return [replace(c, mention=replace(c.mention, low=c.value - gone, high=c.value - gone),
                    total=False, subset=False)
            if c.mention.start < first and c.value > gone else c for c in killed]
