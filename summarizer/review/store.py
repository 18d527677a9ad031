"""Reviews as data: OUT/reviews/<reviewer>/<output>.json, one per reviewer and brief.

A review never touches the machine's brief. It holds a JSON Patch (RFC 6902) against that
brief, the hash of the brief it was made on (`base`), who and when, the facts the reviewer
accepted, and its status. The corrected brief is the machine brief with the patch applied
and its totals derived again by code.

A brief re-made later (`run --force`, another model) has another hash: its reviews are kept
and read as stale, never applied to a brief they were not made on (the reviewer may set one
aside under stale/ and review the new brief afresh). Each save bumps
`version`; a save that names an older version than the file holds is refused (another tab,
or another window, saved in between), so no edit is lost silently.
"""

from __future__ import annotations

import datetime as _dt
import hashlib
import json
import os
import re
from collections.abc import Iterator, Mapping
from pathlib import Path
from typing import Any, Literal

import jsonpatch
from pydantic import BaseModel, ConfigDict, Field, ValidationError

from ..atomic import atomic_write_text
from ..brief import Brief, derive_totals
from ..errors import ConfigurationError

REVIEWS = "reviews"
_REVIEWER = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$")
_OUTPUT = re.compile(r"^[^/\\\x00]{1,255}$")


class StaleReview(Exception):
    """A save on a version of the review that is no longer the latest."""


class PatchOp(BaseModel):
    model_config = ConfigDict(extra="allow")

    op: Literal["add", "remove", "replace", "move", "copy", "test"]
    path: str


class Review(BaseModel):
    """One reviewer's review of one brief (exported as `review.v1.json`)."""

    model_config = ConfigDict(extra="forbid")

    review_version: Literal["1"] = "1"
    result_key: str = Field(description="The reviewed record's result key (run's cache key).")
    output: str = Field(description="The record's output key: OUT/reviews/<reviewer>/<output>"
                        ".json.")
    reviewer: str = Field(pattern=_REVIEWER.pattern)
    reviewed_at: str = Field(description="When the review was last saved (UTC, ISO 8601).")
    base: str = Field(description="sha256 of the machine brief the edits apply to.")
    edits: list[PatchOp] = Field(default_factory=list,
                                 description="RFC 6902 JSON Patch against the machine brief.")
    accepted: list[str] = Field(default_factory=list,
                                description="Facts accepted as they stand (JSON Pointers "
                                "into the corrected brief, e.g. /casualties/0).")
    status: Literal["in progress", "reviewed"] = "in progress"
    version: int = Field(default=0, ge=0, description="Bumped by every save.")


def check_reviewer(name: str) -> str:
    if not _REVIEWER.match(name):
        raise ConfigurationError(f"reviewer {name!r}: use letters, digits, '.', '_' or '-' "
                                 "(at most 64)")
    return name


def brief_hash(brief: Mapping[str, Any]) -> str:
    """The hash of a machine brief (its JSON, keys sorted): what a review is based on."""
    data = json.dumps(brief, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    return "sha256:" + hashlib.sha256(data.encode("utf-8")).hexdigest()


def review_path(out: Path, reviewer: str, output: str) -> Path:
    if not _OUTPUT.match(output) or output in (".", ".."):
        raise ConfigurationError(f"{output!r} is not an output key")
    return out / REVIEWS / check_reviewer(reviewer) / f"{output}.json"


def load_review(path: Path) -> Review | None:
    """A saved review; None when there is none. A damaged file is one line naming it."""
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        return None
    try:
        return Review.model_validate_json(text)
    except ValidationError as exc:
        raise ConfigurationError(f"{path}: not a review ({exc.error_count()} problems)") from None


def iter_reviews(out: Path, reviewer: str | None = None) -> Iterator[Review]:
    """Every review under OUT/reviews/ (of one reviewer, when named), by reviewer and output."""
    root = out / REVIEWS
    if not root.is_dir():
        return
    for folder in sorted(p for p in root.iterdir() if p.is_dir()):
        if reviewer is not None and folder.name != reviewer:
            continue
        for path in sorted(folder.glob("*.json")):
            got = load_review(path)
            if got is not None:
                yield got


def corrected(machine: Mapping[str, Any], edits: list[PatchOp]) -> Brief:
    """The machine brief with the edits applied, validated, totals derived again by code."""
    if not edits:  # as the machine made it, its certainty annotations kept
        return Brief.model_validate(machine)
    ops = [e.model_dump() for e in edits]
    try:
        data = jsonpatch.apply_patch(dict(machine), ops)
    except (jsonpatch.JsonPatchException, jsonpatch.JsonPointerException) as exc:
        raise ValueError(f"the edits do not apply: {exc}") from None
    brief = Brief.model_validate(data)
    return brief.model_copy(update={"totals": derive_totals(brief)})


def is_stale(review: Review, machine: Mapping[str, Any]) -> bool:
    return review.base != brief_hash(machine)


def set_aside(path: Path, review: Review) -> Path:
    """Keep a stale review under stale/ beside the reviews (named by the brief it was made
    on), so the reviewer can review the brief made since from the start."""
    kept = path.parent / "stale" / f"{review.output}.{review.base.split(':')[-1][:12]}.json"
    kept.parent.mkdir(parents=True, exist_ok=True)
    os.replace(path, kept)
    return kept


def now() -> str:
    return _dt.datetime.now(_dt.UTC).isoformat(timespec="seconds")


def save_review(out: Path, record: Mapping[str, Any], reviewer: str, brief: Brief,
                accepted: list[str], status: str, version: int) -> Review:
    """Save `brief` (the corrected brief) as the reviewer's review of `record`, atomically.

    `version` is the version the reviewer edited: a file now holding another one means a
    save from elsewhere came in between, and this one is refused (StaleReview)."""
    output = str(record["output"])
    path = review_path(out, reviewer, output)
    before = load_review(path)
    held = before.version if before is not None else 0
    if version != held:
        raise StaleReview(f"this brief's review was saved elsewhere (version {held}, yours "
                          f"{version}): reload to see it before changing it")
    machine = record["brief"]
    patch = jsonpatch.make_patch(dict(machine), _reviewable(brief, machine))
    review = Review(result_key=str(record.get("result_key", "")), output=output,
                    reviewer=reviewer, reviewed_at=now(), base=brief_hash(machine),
                    edits=[PatchOp.model_validate(op) for op in patch.patch],
                    accepted=accepted, status=status,  # type: ignore[arg-type]
                    version=held + 1)
    atomic_write_text(path, review.model_dump_json(indent=2) + "\n")
    return review


def _reviewable(brief: Brief, machine: Mapping[str, Any]) -> dict[str, Any]:
    """The corrected brief as the patch's target: its totals are code's, derived again on
    reading, so the patch carries the facts' changes only."""
    data = brief.model_dump(mode="json")
    data["totals"] = machine.get("totals", data["totals"])
    return data


def review_json_schema() -> dict[str, Any]:
    from ..brief import json_schema

    return json_schema(Review)
