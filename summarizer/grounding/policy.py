"""What the pipeline does with flags: re-ask the model (`describe_failures`) or remove what
they say is unsupported (`drop_flagged`). Showing them (`flag`) needs nothing from here."""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from ..brief import Brief, Flag, derive_totals

__all__ = ["describe_failures", "drop_flagged"]


def describe_failures(flags: Iterable[Flag]) -> str:
    """The flags as a re-ask message for the model: one line per flag."""
    return "\n".join(f"- {f.path}: {f.message} [{f.code}]" for f in flags)


_DROP_RECORD = {"no_evidence", "part_as_total", "name_not_found", "name_not_in_evidence"}


def drop_flagged(brief: Brief, flags: Iterable[Flag]) -> Brief:
    """The brief without what the flags say is unsupported (the `drop` policy).

    An unsupported count becomes null (a missing number beats a hallucinated one), and a
    casualty record left with no count goes; a record without evidence, a part counted as a
    total and an actor whose name is not grounded go; an unlocated quote and an unfound
    alias are removed; an ungrounded perpetrator becomes null. Totals are derived again.
    Flags this function acted on are removed; any other flag is kept as it was.
    """
    data = brief.model_dump(mode="json")
    edits = _Edits()
    kept = [f for f in flags if not edits.apply(f, data)]
    for section, index, sub, item in sorted(edits.removed, reverse=True):
        owner = data[section] if index < 0 else data[section][index]
        del owner[sub][item]
    for section in ("actors", "casualties", "arrests"):
        data[section] = [r for i, r in enumerate(data[section]) if not edits.drops(section, i, r)]
    data["flags"] = [f.model_dump(mode="json") for f in kept]
    result = Brief.model_validate(data)
    return result.model_copy(update={"totals": derive_totals(result)})


_PATH = re.compile(r"(actors|casualties|arrests)\[(\d+)\]\.(\w+)(?:\[(\d+)\])?")
_SIGNIFICANCE_QUOTE = re.compile(r"diplomatic_significance\.evidence\[(\d+)\]")


@dataclass
class _Edits:
    """What `drop_flagged` does to a dumped brief, collected first so indices stay valid."""

    dropped: set[tuple[str, int]] = field(default_factory=set)
    nulled: set[tuple[str, int]] = field(default_factory=set)
    removed: set[tuple[str, int, str, int]] = field(default_factory=set)

    def drops(self, section: str, index: int, record: dict[str, Any]) -> bool:
        if (section, index) in self.dropped:
            return True
        # A casualty record whose only figures were unsupported has nothing left to say.
        return ((section, index) in self.nulled and section == "casualties"
                and record["killed"] is None and record["wounded"] is None)

    def apply(self, flag: Flag, data: dict[str, Any]) -> bool:
        """Carry out one flag; False when there is nothing to do for it."""
        sig = _SIGNIFICANCE_QUOTE.fullmatch(flag.path)
        if sig and flag.code == "quote_not_found":
            self.removed.add(("diplomatic_significance", -1, "evidence", int(sig.group(1))))
            return True
        m = _PATH.fullmatch(flag.path)
        if m is None:
            return False
        section, index, attr = m.group(1), int(m.group(2)), m.group(3)
        item = None if m.group(4) is None else int(m.group(4))
        if flag.code == "quote_not_found" and item is not None:
            self.removed.add((section, index, "evidence", item))
        elif flag.code == "alias_not_found" and item is not None:
            self.removed.add((section, index, "aliases", item))
        elif flag.code == "count_unsupported":
            data[section][index][attr] = None
            self.nulled.add((section, index))
        elif attr == "perpetrator" and flag.code in ("name_not_found",
                                                     "perpetrator_role_mismatch"):
            data[section][index]["perpetrator"] = None
        elif flag.code in _DROP_RECORD:
            self.dropped.add((section, index))
        else:
            return False
        return True
