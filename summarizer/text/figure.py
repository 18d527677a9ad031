"""One figure of the incident-level reading (text/tally.py) and how it merges with the others;
the wordings both the tally and its choice among restatements (text/restatements.py) read."""

from __future__ import annotations

import re
from dataclasses import dataclass, replace

from .counts import CountCandidate

__all__ = ["CLAUSE_END", "LIFE", "Figure", "with_value"]

LIFE = re.compile(r"(?:fighting|battling|struggling|clinging|fights?|fought)\s+(?:for|to)\s+"
                   r"(?:his|her|their)\s+li(?:fe|ves)|life[- ]threatening|"
                   r"(?:saved|save)\s+(?:his|her|their|the)\s+li(?:fe|ves)", re.I)
CLAUSE_END = re.compile(r"\s+(?:and|but|after|when|while|as|before|because)\b|[,;:.]|\s[—–]\s")


@dataclass(frozen=True)
class Figure:
    """A candidate and how it merges: `new` adds to the figure before it, `revision` replaces
    it, `part` never adds, `quoted` counts only where the narrative gives no figure."""

    cand: CountCandidate
    new: bool = False
    revision: bool = False
    part: bool = False
    quoted: bool = False
    old: bool = False  # an earlier figure, replaced by any later one
    within: bool = False  # attackers told as a part of the victims' toll (forces_part.py)
    left: int = 0  # of a wounded group of `of` people, how many later died
    of: int = 0


def with_value(c: CountCandidate, value: int, outcome: str | None = None) -> CountCandidate:
    m = replace(c.mention, low=value, high=value)
    return replace(c, mention=m, outcome=outcome or c.outcome, total=False, subset=False)
