"""`summarizer merge OUT1 OUT2 ... --out DIR`: the folders of a run's shards (or of any runs)
joined into one, as if one run had written it.

Each output key's brief row is taken once (from the first folder that has it, in the order
given); an error row is kept only for a key no folder briefed. briefs.jsonl, briefs.csv,
errors.jsonl and the per-brief files are written as a run writes them (stream.py), one row
at a time; run.json sums the folders' counts and tokens; the viewer is rebuilt from the
files. What grows with the corpus: the set of keys already taken.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from ..errors import ConfigurationError
from ..view import write_index
from ..view.corpus import check_run_folder
from .outdir import OutputLock, output_errors
from .output import write_json
from .records import BriefRecord, ErrorRecord
from .stream import BRIEFS, ERRORS, Outputs, iter_rows

SUMMED = ("model_calls", "transport_retries", "prompt_tokens", "completion_tokens",
          "cached_tokens", "skipped", "cached")


def merge_runs(folders: Sequence[str | Path], out: str | Path,
               brief_files: bool = True) -> tuple[dict[str, Any], int]:
    """Join `folders` into `out` (new or empty). Returns (run.json's summary, exit code:
    1 when an article has no brief, else 0)."""
    out = Path(out)
    sources = [Path(f) for f in folders]
    for src in sources:
        check_run_folder(src)
        if src.resolve() == out.resolve():
            raise ConfigurationError(f"{out}: the merged folder cannot be one of the inputs")
    if out.exists() and (not out.is_dir() or any(out.iterdir())):
        raise ConfigurationError(f"{out}: not an empty folder; merge into a new one")
    with output_errors(out), OutputLock(out):
        return _merge(sources, out, brief_files)


def _merge(sources: Sequence[Path], out: Path, brief_files: bool) -> tuple[dict[str, Any], int]:
    outputs = Outputs(out, brief_files)
    outputs.open(fresh=True)
    taken: set[str] = set()
    summary: dict[str, Any] = {"found": 0, "briefed": 0, "duplicates": 0, "failed": 0,
                               "not_run": 0, **dict.fromkeys(SUMMED, 0),
                               "merged_from": [str(s) for s in sources]}
    try:
        for src in sources:
            for _, row in iter_rows(src / BRIEFS):
                if row is None or row.get("output") in taken:
                    continue
                try:
                    record = BriefRecord.model_validate(row)
                except ValueError:
                    continue  # a row of another version: left out, not guessed at
                taken.add(record.output)
                outputs.brief(record, record.model_dump_json())
                summary["duplicates" if record.duplicate_of else "briefed"] += 1
        errors: set[str] = set()
        for src in sources:
            for _, row in iter_rows(src / ERRORS):
                if row is None or row.get("output") in taken or row.get("output") in errors:
                    continue
                error = ErrorRecord.model_validate(row)
                errors.add(error.output)
                outputs.error(error)
                summary["not_run" if error.stage == "budget" else "failed"] += 1
    except BaseException:
        outputs.close(quiet=True)  # the first failure is the one to report
        raise
    outputs.close()
    _add_runs(summary, sources)
    summary["found"] = len(taken) + len(errors)
    write_json(out / "run.json", summary)
    write_index(out, run=summary)
    return summary, 1 if summary["failed"] or summary["not_run"] else 0


def _add_runs(summary: dict[str, Any], sources: Sequence[Path]) -> None:
    """Sum the inputs' run.json counters; name their backend and model if they agree."""
    costs, names = [], set()
    for src in sources:
        try:
            run = json.loads((src / "run.json").read_text(encoding="utf-8"))
        except (OSError, ValueError):
            run = {}
        for key in SUMMED:
            summary[key] += int(run.get(key) or 0)
        costs.append(run.get("estimated_cost_usd"))
        names.add((run.get("backend", ""), run.get("model", ""), run.get("cost_status")))
        summary["wall_s"] = max(summary.get("wall_s", 0.0), float(run.get("wall_s") or 0.0))
    summary["total_tokens"] = summary["prompt_tokens"] + summary["completion_tokens"]
    known = all(isinstance(c, int | float) for c in costs)
    summary["estimated_cost_usd"] = round(sum(costs), 6) if known else None
    backend, model, status = names.pop() if len(names) == 1 else ("mixed", "mixed", None)
    summary.update(backend=backend, model=model, shard="merged",
                   cost_status=status if known else "unknown")
