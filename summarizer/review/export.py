"""Corrections out of a run: `summarizer export OUT --reviewed --out DIR` (the corrected
briefs as a run's outputs) and `summarizer gold export OUT --to DIR` (each reviewed brief as a
gold file with its article: a dataset `summarizer eval --dataset DIR` scores against).

A stale review (made on a brief that was made again since) is never applied: it is named on
stderr and the export's exit code is 1, as a run's is when an input failed."""

from __future__ import annotations

import json
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any, Final

from ..atomic import atomic_write_text
from ..batch.outdir import OutputLock, output_errors
from ..batch.output import write_json
from ..batch.records import BriefRecord
from ..batch.stream import BRIEFS, Outputs, iter_rows
from ..brief import Brief, BriefDraft, derive_totals
from ..errors import ConfigurationError
from ..evaluation.agreement import SECOND
from ..evaluation.gold import Gold, GoldBrief
from ..exitcodes import ExitCode
from ..view import write_index
from ..view.corpus import check_run_folder, read_run_json
from .store import Review, corrected, is_stale, iter_reviews

REVIEWED_ORIGIN: Final = "reviewed from a machine brief"


def _new_folder(out: Path, dest: Path) -> None:
    check_run_folder(out)
    if dest.resolve() == out.resolve():
        raise ConfigurationError(f"{dest}: write the export to another folder than the run")
    if dest.exists() and (not dest.is_dir() or any(dest.iterdir())):
        raise ConfigurationError(f"{dest}: not an empty folder; export into a new one")


def _reviews(out: Path, reviewer: str | None) -> dict[str, list[Review]]:
    """output -> its reviews marked reviewed, latest first."""
    found: dict[str, list[Review]] = {}
    for review in iter_reviews(out, reviewer):
        if review.status == "reviewed":
            found.setdefault(review.output, []).append(review)
    for reviews in found.values():
        reviews.sort(key=lambda r: r.reviewed_at, reverse=True)
    return found


def _rows(out: Path) -> Iterator[dict[str, Any]]:
    for _, row in iter_rows(out / BRIEFS):
        if row is not None and isinstance(row.get("brief"), dict):
            yield row


def _stale(review: Review) -> None:
    print(f"summarizer: {review.output}: the review by {review.reviewer} was made on an "
          "earlier brief (made again since): not applied", file=sys.stderr)


def export_reviewed(out: Path, dest: Path, reviewer: str | None = None) -> int:
    """The run's reviewed briefs, corrected, as a run's outputs in `dest` (new or empty)."""
    _new_folder(out, dest)
    reviews = _reviews(out, reviewer)
    with output_errors(dest), OutputLock(dest):
        outputs = Outputs(dest)
        outputs.open(fresh=True)
        written = stale = 0
        try:
            for row in _rows(out):
                fresh = [r for r in reviews.get(str(row.get("output")), [])
                         if not is_stale(r, row["brief"])]
                for r in reviews.get(str(row.get("output")), []):
                    if is_stale(r, row["brief"]):
                        stale += 1
                        _stale(r)
                if not fresh:
                    continue
                record = BriefRecord.model_validate(
                    {**row, "brief": corrected(row["brief"], fresh[0].edits)})
                outputs.brief(record, record.model_dump_json())
                written += 1
        except BaseException:
            outputs.close(quiet=True)
            raise
        outputs.close()
        summary = {**read_run_json(out), "found": written, "briefed": written, "failed": 0,
                   "reviewed_from": str(out), "stale_reviews": stale}
        write_json(dest / "run.json", summary)
        write_index(dest, run=summary)
    print(f"exported {written} reviewed briefs to {dest} ({stale} stale reviews left out)",
          file=sys.stderr)
    return ExitCode.INPUTS_FAILED if stale else ExitCode.OK


def gold_brief(brief: Brief) -> tuple[GoldBrief, Any]:
    """A corrected brief in the gold's shape (the draft's fields, quotes without offsets) and
    its totals derived by the pipeline's rules."""
    data = brief.model_dump(mode="json")
    draft = {k: data[k] for k in BriefDraft.model_fields}
    keep = _draft_keys()
    for kind in ("actors", "casualties", "arrests"):
        draft[kind] = [{k: v for k, v in item.items() if k in keep[kind]}
                       for item in draft[kind]]
    sig = draft["diplomatic_significance"]
    draft["diplomatic_significance"] = {k: v for k, v in sig.items() if k in keep["sig"]}
    for item in [*draft["actors"], *draft["casualties"], *draft["arrests"],
                 draft["diplomatic_significance"]]:
        item["evidence"] = [{"quote": e["quote"], **({"where": "title"} if e.get("where") ==
                                                        "title" else {})}
                            for e in item.get("evidence", [])]
    gold = GoldBrief.model_validate(draft)
    return gold, derive_totals(gold)


def _draft_keys() -> dict[str, set[str]]:
    from ..brief import ActorDraft, ArrestDraft, CasualtyDraft, SignificanceDraft

    return {"actors": set(ActorDraft.model_fields), "casualties": set(CasualtyDraft.model_fields),
            "arrests": set(ArrestDraft.model_fields), "sig": set(SignificanceDraft.model_fields)}


def _article(row: dict[str, Any], brief: Brief) -> dict[str, Any] | None:
    text = row.get("article_text")
    if not isinstance(text, str):
        from ..view.briefs_page import article_text

        text = article_text(row)[0]
    if text is None:
        return None
    article: dict[str, Any] = {"id": row.get("id") or row["output"], "text": text}
    if row.get("title"):
        article["title"] = row["title"]
    if brief.published:
        article["date"] = brief.published
    return article


def _gold(review: Review, brief: Brief, name: str, split: str) -> Gold:
    draft, totals = gold_brief(brief)
    day = review.reviewed_at[:10]
    return Gold(gold_version="1", article=name, split=split,  # type: ignore[arg-type]
                labeled_by=review.reviewer, labeled_at=day, checked_by=review.reviewer,
                checked_at=day, origin=REVIEWED_ORIGIN, brief=draft, totals=totals,
                notes=f"reviewed from machine brief {review.base} (result {review.result_key})")


def export_gold(out: Path, dest: Path, split: str = "dev", reviewer: str | None = None) -> int:
    """Each reviewed brief as DIR/gold/<output>.json with DIR/articles/<output>.json; a second
    reviewer's reviews of the same briefs as DIR/gold-second/ (the agreement figures' folder).
    The first reviewer is `reviewer`, else the one with the most reviewed briefs."""
    _new_folder(out, dest)
    reviews = _reviews(out, None)
    by_reviewer: dict[str, int] = {}
    for rs in reviews.values():
        for r in rs:
            by_reviewer[r.reviewer] = by_reviewer.get(r.reviewer, 0) + 1
    if reviewer is not None and reviewer not in by_reviewer:
        raise ConfigurationError(f"{out}: no brief marked reviewed by {reviewer!r}")
    order = sorted(by_reviewer, key=lambda n: (n != reviewer, -by_reviewer[n], n))
    first, second = (order + [None, None])[:2]
    written = stale = 0
    with output_errors(dest):
        for row in _rows(out):
            mine = {r.reviewer: r for r in reviews.get(str(row.get("output")), [])}
            for who, folder in ((first, "gold"), (second, SECOND)):
                review = mine.get(who) if who else None
                if review is None or (folder == SECOND and first not in mine):
                    continue
                if is_stale(review, row["brief"]):
                    stale += 1
                    _stale(review)
                    continue
                brief = corrected(row["brief"], review.edits)
                article = _article(row, brief)
                if article is None:
                    print(f"summarizer: {row['output']}: no article text to export with its "
                          "gold", file=sys.stderr)
                    stale += 1
                    continue
                name = f"{row['output']}.json"
                atomic_write_text(dest / "articles" / name, json.dumps(article) + "\n")
                gold = _gold(review, brief, name, split)
                atomic_write_text(dest / folder / name, gold.model_dump_json(indent=2) + "\n")
                written += folder == "gold"
    print(f"wrote {written} gold files to {dest}/gold"
          + (f" (second reviewer {second}: {dest}/{SECOND})" if second else "")
          + f"; {stale} left out", file=sys.stderr)
    return ExitCode.INPUTS_FAILED if stale else ExitCode.OK

