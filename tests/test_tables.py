"""The tidy tables (casualties.csv, arrests.csv, actors.csv): a row per record of every brief,
every field as in briefs.jsonl once a neutralised cell's `'` is taken off, readable by pandas
with no options, flags on the records they point into, appended across runs."""

from __future__ import annotations

import csv
import json
from pathlib import Path
from typing import Any

import pandas as pd
import pytest

from summarizer.batch.output import neutral_cell
from summarizer.batch.tables import TABLES, TableWriter, table_rows, write_tables
from summarizer.brief import Brief

from .cli import run_cli
from .conftest import ROOT
from .test_batch import _json_lines

_PREFIXED = ("'=", "'+", "'-", "'@", "'\t", "'\r")


def undo(cell: str) -> str:
    """A neutralised cell back to the brief's value (as the README says to)."""
    return cell[1:] if cell.startswith(_PREFIXED) else cell


def _expected(row: dict[str, Any], table: str, i: int, item: dict[str, Any],
              flags: list[dict[str, str]]) -> dict[str, str]:
    field = TABLES[table][1]

    def count(c: dict[str, Any] | None) -> tuple[str, str]:
        return ("", "") if c is None else (str(c["value"]), c["qualifier"])

    own = {k: v for k, v in item.items() if k != "evidence"}
    exp: dict[str, str] = {"article_id": row["id"], "output": row["output"], "record": str(i)}
    for key, value in own.items():
        if key in ("killed", "wounded", "count"):
            exp[key], exp[f"{key}_qualifier"] = count(value)
        elif key == "aliases":
            exp[key] = ";".join(value)
        elif key == "superseded":
            exp[key] = "true" if value else "false"
        else:
            exp[key] = "" if value is None else str(value)
    path = f"{field}[{i}]"
    exp["flags"] = ";".join(f["code"] for f in flags
                            if f["path"] == path or f["path"].startswith((path + ".", path + "[")))
    exp["evidence"] = json.dumps([{"start": e["start"], "end": e["end"], "quote": e["quote"]}
                                  for e in item["evidence"]], ensure_ascii=False)
    return exp


@pytest.fixture(scope="module")
def eval_run(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("tables") / "out"
    done = run_cli(["run", str(ROOT / "evals" / "articles"), "--out", str(out), "--backend",
                    "rules", "--no-cache", "--quiet", "--exclude", "README.md"])
    assert done.returncode == 0, done.stderr
    return out


@pytest.mark.parametrize("table", sorted(TABLES))
def test_the_tables_hold_exactly_the_records_of_the_briefs(eval_run: Path, table: str) -> None:
    columns, field, _ = TABLES[table]
    with (eval_run / table).open(encoding="utf-8", newline="") as fh:
        reader = csv.DictReader(fh)
        assert reader.fieldnames == columns
        got = [{k: undo(v) for k, v in r.items()} for r in reader]
    want = [_expected(row, table, i, item, row["brief"]["flags"])
            for row in _json_lines(eval_run / "briefs.jsonl")
            for i, item in enumerate(row["brief"][field])]
    assert want, f"the rules found no {field} in 40 articles"
    assert got == want
    frame = pd.read_csv(eval_run / table)  # no options
    assert list(frame.columns) == columns and len(frame) == len(want)
    if table == "casualties.csv":
        assert frame["killed"].dtype.kind in "fi" and frame["superseded"].dtype == bool


def _brief_with(group: str) -> dict[str, Any]:
    return {"headline": "A headline", "summary": "A summary.", "actors": [], "arrests": [],
            "casualties": [
                {"incident": "a", "group": group, "side": "victims",
                 "killed": {"value": 3, "qualifier": "at least"}, "evidence": []},
                {"incident": "b", "group": "others", "side": "victims", "evidence": []}],
            "diplomatic_significance": {"level": "none"},
            "flags": [{"code": "count_unsupported", "path": "casualties[1].killed",
                       "message": "m"},
                      {"code": "quote_unlocated", "path": "casualties[10].evidence[0]",
                       "message": "m"},
                      {"code": "name_missing", "path": "casualties[1]", "message": "m"}]}


def _record(group: str, output: str = "x.txt") -> Any:
    """A real record (the rules on a short text) carrying the brief above."""
    from summarizer.batch.records import BriefRecord
    from summarizer.pipeline import summarize

    result = summarize("Raid in Lagos\n\nPolice arrested nine men on Friday.", backend="rules")
    record = BriefRecord.of(result, output=output, result_key="k")
    return record.model_copy(update={"brief": Brief.model_validate(_brief_with(group))})


def test_formula_cells_are_neutralised_and_flags_land_on_their_record() -> None:
    rows = table_rows(_record('=HYPERLINK("http://x","click")'), "casualties.csv")
    assert rows[0]["group"] == neutral_cell('=HYPERLINK("http://x","click")')
    assert undo(rows[0]["group"]) == '=HYPERLINK("http://x","click")'
    assert (rows[0]["killed"], rows[0]["killed_qualifier"]) == ("3", "at least")
    assert (rows[1]["killed"], rows[1]["killed_qualifier"]) == ("", "")
    # casualties[10] is not casualties[1]; a flag on the record itself counts
    assert rows[0]["flags"] == "" and rows[1]["flags"] == "count_unsupported;name_missing"


def test_appending_writes_each_header_once_and_write_tables_replaces(tmp_path: Path) -> None:
    with TableWriter(tmp_path) as writer:
        writer.add(_record("first", "a.txt"))
    with TableWriter(tmp_path) as writer:  # a resumed run appends
        writer.add(_record("second", "b.txt"))
    lines = (tmp_path / "casualties.csv").read_text().splitlines()
    assert lines[0].startswith("article_id,output,record") and len(lines) == 5
    assert sum(line.startswith("article_id,") for line in lines) == 1
    write_tables(tmp_path, [_record("only", "c.txt")])
    assert len((tmp_path / "casualties.csv").read_text().splitlines()) == 3
    assert (tmp_path / "actors.csv").read_text().startswith("article_id,output,record,name")
    assert not list(tmp_path.glob(".tmp-*"))


def test_a_quote_of_the_headline_says_so_in_the_evidence_cell() -> None:
    from summarizer.batch.tables import _evidence
    from summarizer.brief import Evidence

    cell = json.loads(_evidence([Evidence(quote="Two killed", start=0, end=10, match="exact"),
                                 Evidence(quote="3 dead", where="title", start=0, end=6,
                                          match="exact")]))
    assert cell == [{"start": 0, "end": 10, "quote": "Two killed"},
                    {"start": 0, "end": 6, "quote": "3 dead", "where": "title"}]
