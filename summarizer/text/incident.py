"""Zero, stated carefully: an incident report that tells injuries or damage and no death
states a killed total of 0 (evals/LABELING.md), though no number says so.

Not a report that says nothing about violence (a ruling, talks, a raid with arrests only):
there the total stays null. The rules write the 0; the scorers count it as stated.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from ..brief import Side
from .context import BACKGROUND
from .counts import CountCandidate, count_candidates
from .cues import DEATH_WORD, INSTRUCTION
from .sentences import Sentence, sentences

__all__ = ["VIOLENCE", "damage_sentence", "states_no_death"]

_DAMAGE = re.compile(r"\b(?:damag\w*|destroy\w*|shatter\w*|gutted|burn(?:ed|t|ing)|"
                     r"set\s+(?:on\s+)?fire|set\s+fire|blew\s+up|exploded|collapsed)\b", re.I)
_VIOLENCE = re.compile(r"\b(?:attack\w*|bomb\w*|blast|explosion|explosive|grenade|shell\w*|"
                       r"rocket\w*|mortar|shooting|gunfire|shot|clash\w*|riot\w*|stones|IED|"
                       r"drone|arson\w*|torched|set\s+(?:on\s+)?fire|set\s+fire)\b", re.I)
VIOLENCE = _VIOLENCE
# "have lost their lives", "lost his life": a death ("saved lives", "fighting for his life" not)
_LOST_LIVES = re.compile(r"\b(?:lost|lose|losing|loses)\s+(?:their|his|her|its|our|your|"
                         r"\w+['’]s?)\s+(?:own\s+)?li(?:fe|ves)\b", re.I)
_LEDE = 3  # sentences: where an incident report tells its incident (later ones: background)


def states_no_death(text: str, whole: Sequence[Sentence] | None = None,
                    counts: Sequence[CountCandidate] | None = None) -> bool:
    """Whether the text is an incident report that states injuries or damage and no death:
    a wounded figure (or a lede sentence telling violence and damage), no killed figure, and
    no word for a death in the story's own sentences. (`whole` and `counts` are the text's
    sentences and count candidates, when the caller has them already.)"""
    whole = sentences(text, max_len=10_000) if whole is None else whole
    counts = count_candidates(text) if counts is None else counts
    if any(c.outcome == "killed" for c in counts):
        return False
    own = [s.text for s in whole if not BACKGROUND.search(s.text)
           and not INSTRUCTION.search(s.text)]
    if any(m.group().lower() not in ("life", "lives") for s in own
           for m in DEATH_WORD.finditer(s)) or any(_LOST_LIVES.search(s) for s in own):
        return False
    injured = any(c.outcome == "wounded" and c.value > 0 and c.side is Side.victims
                  for c in counts)
    return injured or damage_sentence(whole) is not None


def damage_sentence(whole: Sequence[Sentence]) -> Sentence | None:
    """The first sentence of the lede telling violence and damage (the quote for a stated
    no-death)."""
    return next((s for s in whole[:_LEDE] if _DAMAGE.search(s.text)
                 and _VIOLENCE.search(s.text) and not BACKGROUND.search(s.text)), None)
