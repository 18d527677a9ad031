"""OUT's files, written as outcomes arrive, and read back when a run resumes.

    briefs.jsonl   one row per brief, appended in completion order (not input order), each
                   line written whole and flushed: a whole row is what marks an article done
    errors.jsonl   one row per input with no brief, appended in completion order; each run
                   starts it afresh (a rerun tries those inputs again)
    briefs.csv     one row per brief, appended beside briefs.jsonl (rebuilt from it on resume),
                   and casualties.csv, arrests.csv, actors.csv the same way (tables.py)
    briefs/NNNNN/  <output>.md and <output>.json of the briefs.jsonl rows NNNNN*1000 to
                   NNNNN*1000+999 (a folder never holds more than 2,000 files); none with
                   --no-brief-files

A kill at any point leaves at most one torn last line in briefs.jsonl: `open` trims it, reads
the done rows (output -> result key: the one thing here that grows with the corpus, and only
on a resume) and writes any per-brief file a done row lacks, with no model call.
"""

from __future__ import annotations

import contextlib
import csv
import json
import os
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import IO, Any

from ..atomic import atomic_write_text
from .outdir import has_content
from .output import CSV_COLUMNS, csv_row, to_markdown
from .records import BriefRecord, ErrorRecord
from .tables import TABLES, TableWriter

BRIEFS, ERRORS, CSV = "briefs.jsonl", "errors.jsonl", "briefs.csv"
PER_FOLDER = 1000  # briefs (each a .md and a .json) in one folder under OUT/briefs/


def brief_folder(out: Path, row: int) -> Path:
    """Where the per-brief files of briefs.jsonl's row `row` (0-based) live."""
    return out / "briefs" / f"{row // PER_FOLDER:05d}"


def trim_torn(path: Path) -> int:
    """Cut a last line that has no newline (a kill mid-write); return the bytes cut."""
    try:
        size = path.stat().st_size
    except FileNotFoundError:
        return 0
    if size == 0:
        return 0
    with path.open("rb+") as fh:
        fh.seek(max(size - 1, 0))
        if fh.read(1) == b"\n":
            return 0
        end = size
        while end > 0:  # back to the last newline, a block at a time
            start = max(end - 65536, 0)
            fh.seek(start)
            block = fh.read(end - start)
            at = block.rfind(b"\n")
            if at >= 0:
                keep = start + at + 1
                break
            end = start
        else:
            keep = 0
        fh.truncate(keep)
        return size - keep


def iter_rows(path: Path) -> Iterator[tuple[str, dict[str, Any] | None]]:
    """(line, its JSON object or None when damaged) for each line of a JSONL file."""
    if not path.is_file():
        return
    with path.open(encoding="utf-8") as fh:
        for line in fh:
            try:
                row = json.loads(line)
            except ValueError:
                row = None
            yield line, row if isinstance(row, dict) else None


class Outputs:
    """The streamed files of one run in `out`. Use `open`, then `brief` / `error` as each
    outcome arrives, then `close`."""

    def __init__(self, out: Path, per_brief: bool = True) -> None:
        self.out, self.per_brief = out, per_brief
        self.done: dict[str, str] = {}  # output key -> result key of its whole row
        self.rows = 0
        self.repaired = 0  # per-brief files written again from their rows
        self._briefs: IO[str] | None = None
        self._errors: IO[str] | None = None
        self._csv: IO[str] | None = None
        self._csv_writer: Any = None
        self._tables: TableWriter | None = None
        self._folder: Path | None = None  # the per-brief folder made last

    def open(self, fresh: bool = False) -> None:
        """Start (fresh: drop what an earlier run wrote) or resume."""
        briefs = self.out / BRIEFS
        if fresh:
            briefs.unlink(missing_ok=True)
            shutil.rmtree(self.out / "briefs", ignore_errors=True)
        trim_torn(briefs)
        if not briefs.exists():
            self._adopt_flat_files(briefs)
        resumed = self._keep_whole_rows(briefs)
        self._start_csv()
        if resumed:
            self._rebuild_csv()
        self._briefs = briefs.open("a", encoding="utf-8")
        self._errors = (self.out / ERRORS).open("w", encoding="utf-8")

    def _adopt_flat_files(self, briefs: Path) -> None:
        """A run killed before this layout (OUT/briefs/<key>.json, no briefs.jsonl): its
        finished briefs become rows, so that a rerun does not brief them again."""
        flat = sorted((self.out / "briefs").glob("*.json"))
        if not flat:
            return
        with briefs.open("w", encoding="utf-8") as fh:
            for path in flat:
                try:
                    record = BriefRecord.model_validate_json(path.read_text(encoding="utf-8"))
                except (OSError, ValueError):
                    continue  # torn or of another version: briefed again
                fh.write(record.model_dump_json() + "\n")

    def _keep_whole_rows(self, briefs: Path) -> bool:
        """Read the done rows, drop damaged ones, repair per-brief files. Any rows?"""
        damaged = False
        for _, row in iter_rows(briefs):
            if row is None or not isinstance(row.get("output"), str):
                damaged = True
                continue
            self.done[row["output"]] = str(row.get("result_key"))
            if self.per_brief:
                self._repair(self.rows, row)
            self.rows += 1
        if damaged:
            self.compact(set())
        return self.rows > 0

    def _repair(self, index: int, row: dict[str, Any]) -> None:
        folder = brief_folder(self.out, index)
        json_path, md_path = folder / f"{row['output']}.json", folder / f"{row['output']}.md"
        if has_content(json_path) and has_content(md_path):
            return
        try:
            record = BriefRecord.model_validate(row)
        except ValueError:
            return  # a row of another version: still done, its files not ours to make
        folder.mkdir(parents=True, exist_ok=True)
        self._write_files(folder, record, record.model_dump_json())
        self.repaired += 1

    def _start_csv(self) -> None:
        """briefs.csv and the tidy tables (tables.py) afresh, headers only."""
        self._csv = (self.out / CSV).open("w", encoding="utf-8", newline="")
        self._csv_writer = csv.DictWriter(self._csv, fieldnames=CSV_COLUMNS)
        self._csv_writer.writeheader()
        for table in TABLES:
            (self.out / table).unlink(missing_ok=True)
        self._tables = TableWriter(self.out)
        self._tables.headers()

    def _rebuild_csv(self) -> None:
        """On resume: the CSV rows of the done briefs, from their rows."""
        assert self._tables is not None
        for _, row in iter_rows(self.out / BRIEFS):
            if row is not None:
                try:
                    record = BriefRecord.model_validate(row)
                except ValueError:
                    continue
                self._csv_writer.writerow(csv_row(record))
                self._tables.add(record)

    def brief(self, record: BriefRecord, text: str) -> None:
        """One brief: its files first, then its row (the done mark), whole and flushed."""
        assert self._briefs is not None and self._csv is not None
        if self.per_brief:
            folder = brief_folder(self.out, self.rows)
            # Made once a folder, not a stat a brief: should it go mid-run, atomic.py makes
            # it again.
            if folder != self._folder:
                folder.mkdir(parents=True, exist_ok=True)
                self._folder = folder
            self._write_files(folder, record, text)
        with _naming(self.out / BRIEFS):
            self._briefs.write(text + "\n")
            self._briefs.flush()
        with _naming(self.out / CSV):
            self._csv_writer.writerow(csv_row(record))
        if self._tables is not None:
            with _naming(self.out / "casualties.csv"):  # or one of the two beside it
                self._tables.add(record)
        self.rows += 1

    @staticmethod
    def _write_files(folder: Path, record: BriefRecord, text: str) -> None:
        atomic_write_text(folder / f"{record.output}.md", to_markdown(record))
        atomic_write_text(folder / f"{record.output}.json", text + "\n")

    def error(self, error: ErrorRecord) -> None:
        assert self._errors is not None
        with _naming(self.out / ERRORS):
            self._errors.write(error.model_dump_json() + "\n")
            self._errors.flush()

    def close(self, quiet: bool = False) -> None:
        """Close every stream; `quiet`: after a failure, whose error is the one to report
        (a stream that could not take its last line cannot flush it now either)."""
        streams = [(self._briefs, BRIEFS), (self._errors, ERRORS), (self._csv, CSV)]
        self._briefs = self._errors = self._csv = None
        tables, self._tables = self._tables, None
        failure: OSError | None = None
        for fh, name in streams:
            try:
                if fh is not None:
                    with _naming(self.out / name):
                        fh.close()
            except OSError as exc:
                failure = failure or exc
        try:
            if tables is not None:
                with _naming(self.out / "casualties.csv"):
                    tables.close()
        except OSError as exc:
            failure = failure or exc
        if failure is not None and not quiet:
            raise failure

    def compact(self, superseded: set[str]) -> None:
        """Rewrite briefs.jsonl with whole rows only and, for each output in `superseded`
        (briefed again under another result key), only its last row."""
        path = self.out / BRIEFS
        last: dict[str, int] = {}
        for i, (_, row) in enumerate(iter_rows(path)):
            if row is not None and row.get("output") in superseded:
                last[row["output"]] = i
        tmp = path.with_name(f".{BRIEFS}.{os.getpid()}.tmp")
        with tmp.open("w", encoding="utf-8") as fh:
            for i, (line, row) in enumerate(iter_rows(path)):
                if row is None or (row.get("output") in last and last[row["output"]] != i):
                    continue
                fh.write(line if line.endswith("\n") else line + "\n")
        os.replace(tmp, path)
        if superseded and self._briefs is None:  # after the run: its CSV rows go too
            self._start_csv()
            self._rebuild_csv()
            self.close()


@contextlib.contextmanager
def _naming(path: Path) -> Iterator[None]:
    """An OSError of a stream's write names the stream's file (a flush's error names none),
    so that outdir.output_errors can say which file OUT could not take (exit code 3)."""
    try:
        yield
    except OSError as exc:
        if exc.filename is not None:
            raise
        raise OSError(exc.errno, exc.strerror, str(path)) from exc
