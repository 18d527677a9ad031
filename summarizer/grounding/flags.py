"""Flags as the checks raise them, and the one order they are reported in.

Checks call a `FlagSink` with (code, path, message); the sink caps messages and orders the
flags by path (actors, casualties, arrests, significance; indices numerically), then code,
then message, so the same draft always yields the same list. A code must be one of
brief.FLAG_CODES (the schema lists them): the grounding checks', the second opinion's and
salvage's (summarizer/salvage.py, `SALVAGE_CODES`: what it cut or set to null after the
re-asks; the `drop` policy never acts on them).
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from ..brief import FLAG_CODES, Flag

__all__ = ["SALVAGE_CODES", "FlagSink", "ordered", "path_key"]

SALVAGE_CODES = ("text_cut", "date_nulled")


class FlagSink:
    """Collects the flags of one grounding run."""

    def __init__(self) -> None:
        self.flags: list[Flag] = []

    def __call__(self, code: str, path: str, message: str) -> None:
        if code not in FLAG_CODES:
            raise ValueError(f"unknown flag code {code!r}: add it to brief.FLAG_CODES")
        self.flags.append(Flag(code=code, path=path, message=message[:300]))

    def ordered(self) -> list[Flag]:
        """The flags, deterministically ordered (by path, then code, then message)."""
        return ordered(self.flags)


def ordered(flags: Iterable[Flag]) -> list[Flag]:
    """Flags by path, then code, then message: the one order a brief lists them in."""
    return sorted(flags, key=lambda f: (path_key(f.path), f.code, f.message))


_SECTION_ORDER = {"actors": 0, "casualties": 1, "arrests": 2, "diplomatic_significance": 3}


def path_key(path: str) -> tuple[tuple[int, int | str], ...]:
    """A sort key for a brief path: sections in brief order, indices as numbers."""
    parts = re.findall(r"[A-Za-z_]+|\d+", path)
    head: tuple[int, int | str] = (0, _SECTION_ORDER.get(parts[0], 9)) if parts else (0, 9)
    return (head, *((1, int(p)) if p.isdigit() else (2, p) for p in parts[1:]))
