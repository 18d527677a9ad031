"""The harness's self-test: predictions built from gold.

- The **oracle** is the gold brief itself as a prediction: it must score 1.0 on every metric
  (0.0 on the error rates).
- The **anti-oracle** is the gold brief with every count changed (outside its tolerance and
  range), every evidence quote swapped for another record's quote, and every actor and party
  name replaced (in the free text too): it must score strictly lower on every metric it
  touches. A harness that cannot tell these two apart measures nothing.
"""

from __future__ import annotations

import re
from typing import Any

from ..brief import MAX_COUNT, Brief, BriefDraft
from .align import normalize_name
from .gold import GoldBrief, GoldCount, gold_to_brief

ANTI_ORACLE_TOUCHES = (
    "actors.name.", "actors.name_kind.", "actors.name_kind_role.",
    "casualties.killed.exact", "casualties.killed.within_tolerance",
    "casualties.wounded.exact", "casualties.wounded.within_tolerance",
    "casualties.perpetrator.accuracy",
    "arrests.count.exact", "arrests.count.within_tolerance",
    *(f"totals.{t}.{m}" for t in ("killed", "wounded", "arrested")
      for m in ("exact", "certain_precision", "claimed_precision")),  # not coverage: every
    "significance.parties.", "evidence.agrees", "counts.invented",  # changed total is given
)
"""Prefixes of the metrics the anti-oracle is built to lower (wherever gold has cases;
free-text similarity too wherever a replaced name or number appears in the text)."""


def oracle(gold: GoldBrief) -> Brief:
    """Gold as a prediction."""
    return gold_to_brief(gold)


def _changed(count: dict[str, Any] | None) -> None:
    if count is None:
        return
    high = GoldCount.model_validate(count).bounds[1]
    # Past the top of the range and past 10 % tolerance, for any figure including 0.
    count["value"] = min(2 * high + 3, MAX_COUNT)
    count.pop("low", None)
    count.pop("high", None)


def _fake_name(i: int, what: str) -> str:
    letters = "".join(chr(ord("Q") + int(d)) for d in str(i))  # no digits: they are "numbers"
    return f"Zorvex {what} {letters}"


def anti_oracle(gold: GoldBrief) -> Brief:
    """Gold with numbers changed, quotes swapped and names replaced."""
    data = gold.model_dump(mode="json")
    renames: dict[str, str] = {}
    for i, actor in enumerate(data["actors"]):
        fake = _fake_name(i, "Actor")
        for name in (actor["name"], *actor["aliases"]):
            renames.setdefault(normalize_name(name), fake)
        actor["name"], actor["aliases"] = fake, []
        actor["affiliation"] = None
    sig = data["diplomatic_significance"]
    for i, party in enumerate(sig["parties"]):
        fake = renames.setdefault(normalize_name(party), _fake_name(i, "Land"))
        sig["parties"][i] = fake
    for rec in data["casualties"]:
        _changed(rec["killed"])
        _changed(rec["wounded"])
        if rec["perpetrator"] is not None:
            rec["perpetrator"] = renames.get(normalize_name(rec["perpetrator"]),
                                             _fake_name(99, "Actor"))
    for arr in data["arrests"]:
        _changed(arr["count"])
    _swap_quotes(data)
    data["headline"] = _rewrite(data["headline"], gold, renames)[:120]
    data["summary"] = _rewrite(data["summary"], gold, renames)[:600]
    sig["summary"] = _rewrite(sig["summary"], gold, renames)[:400]
    brief = Brief.from_draft(BriefDraft.model_validate(data))
    # its nulls judged as the oracle's are (gold_to_brief): only its figures are wrong
    return brief.model_copy(update={"totals": brief.totals.model_copy(update={"uncounted": []})})


def _items(data: dict[str, Any]) -> list[dict[str, Any]]:
    return [*data["actors"], *data["casualties"], *data["arrests"],
            data["diplomatic_significance"]]


def _swap_quotes(data: dict[str, Any]) -> None:
    """Each quote becomes the next distinct quote of the brief (still verbatim article text,
    but another record's); a brief with a single distinct quote gets a fabricated one."""
    distinct = list(dict.fromkeys(e["quote"] for item in _items(data) for e in item["evidence"]))
    if not distinct:
        return
    if len(distinct) == 1:
        swap = {distinct[0]: "Zorvex said nothing of the kind."}
    else:
        swap = {q: distinct[(k + 1) % len(distinct)] for k, q in enumerate(distinct)}
    for item in _items(data):
        item["evidence"] = [{"quote": swap[e["quote"]]} for e in item["evidence"]]


def _rewrite(text: str, gold: GoldBrief, renames: dict[str, str]) -> str:
    """Replace the gold's names (longest first, whole words) and every digit run."""
    names = {n for a in gold.actors for n in (a.name, *a.aliases)}
    names |= set(gold.diplomatic_significance.parties)
    for name in sorted(names, key=len, reverse=True):
        fake = renames.get(normalize_name(name))
        if fake:
            text = re.sub(rf"(?<!\w){re.escape(name)}(?!\w)", fake, text)
    text = re.sub(r"\d+", lambda m: str(2 * int(m.group()) + 3), text)
    return text
