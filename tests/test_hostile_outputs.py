"""Outputs a hostile tester cannot break (issue 28), in process: output folders inside the
inputs, torn briefs, a folder another run holds, formulas in CSV cells, HTML in Markdown.
The real full disk, read-only mount and second process are in test_hostile_system.py."""

from __future__ import annotations

import csv
import io
import json
import os
from pathlib import Path

import pytest
from markdown_it import MarkdownIt

from summarizer.batch.outdir import LOCK_NAME, OutputLock
from summarizer.batch.output import write_csv
from summarizer.batch.records import BriefRecord
from summarizer.cli import main
from summarizer.exitcodes import ExitCode

RULES = ["--backend", "rules", "--no-cache", "--quiet"]


def _corpus(folder: Path, n: int) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    for i in range(n):
        (folder / f"story-{i}.txt").write_text(
            f"Raid number {i} in Kano\n\nPolice said {i + 2} people were arrested in Kano on "
            "Friday after a raid.\n", encoding="utf-8")


def _rows(path: Path) -> list[dict[str, object]]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]


def _run_json(out: Path) -> dict[str, int]:
    return dict(json.loads((out / "run.json").read_text(encoding="utf-8")))


def test_a_run_never_briefs_its_own_outputs_or_another_runs(tmp_path: Path, capsys) -> None:
    inout = tmp_path / "inout"
    _corpus(inout, 5)
    for _ in range(3):  # the first run's index.html and .md briefs are no articles
        assert main(["run", str(inout), "--out", str(inout / "out"), *RULES]) == ExitCode.OK
        assert len(_rows(inout / "out" / "briefs.jsonl")) == 5
    # an older run's folder elsewhere under the input is not read either, even with nothing
    # but its run.json and a brief left (a run.json of someone else's is just a file)
    old = inout / "old-run"
    old.mkdir()
    (old / "run.json").write_bytes((inout / "out" / "run.json").read_bytes())
    kept = inout / "out" / "briefs" / "00000" / "story-0.txt.md"
    (old / "kept.md").write_bytes(kept.read_bytes())
    (inout / "data").mkdir()
    (inout / "data" / "run.json").write_text('{"title": "Run report", "text": "Police said '
                                             'two people were arrested."}', encoding="utf-8")
    assert main(["run", str(inout), "--out", str(tmp_path / "second"), *RULES]) == 0
    assert {r["output"] for r in _rows(tmp_path / "second" / "briefs.jsonl")} == \
        {*(f"story-{i}.txt" for i in range(5)), "data__run.json"}
    # named on the command line, an output folder is an input that failed, not articles
    assert main(["run", str(inout / "out"), "--out", str(tmp_path / "third"), *RULES]) == 1
    (error,) = _rows(tmp_path / "third" / "errors.jsonl")
    assert "run's outputs" in str(error["reason"])


def test_a_rerun_writes_what_is_missing_or_torn_and_briefs_nothing_twice(tmp_path: Path,
                                                                         capsys) -> None:
    _corpus(tmp_path / "in", 4)
    out = tmp_path / "out"
    assert main(["run", str(tmp_path / "in"), "--out", str(out), *RULES]) == 0
    briefs = out / "briefs" / "00000"
    whole_md = (briefs / "story-0.txt.md").read_text(encoding="utf-8")
    (briefs / "story-0.txt.md").unlink()  # the row was written, the .md lost
    (briefs / "story-2.txt.md").write_bytes(b"")  # what a power loss leaves of a write
    (briefs / "story-1.txt.json").unlink()
    rows = (out / "briefs.jsonl").read_bytes()
    last = rows.rstrip(b"\n").rsplit(b"\n", 1)[-1]
    (out / "briefs.jsonl").write_bytes(rows[: len(rows) - len(last) // 2 - 1])  # torn row
    torn = json.loads(last)["output"]
    assert main(["run", str(tmp_path / "in"), "--out", str(out), *RULES]) == 0
    run = _run_json(out)
    assert (run["skipped"], run["briefed"]) == (3, 1)  # only the torn row is briefed again
    lines = (out / "briefs.jsonl").read_text(encoding="utf-8").splitlines(keepends=True)
    assert all(line.endswith("\n") and json.loads(line) for line in lines)
    keys = [json.loads(line)["output"] for line in lines]
    assert sorted(keys) == [f"story-{i}.txt" for i in range(4)] and keys[-1] == torn
    assert (briefs / "story-0.txt.md").read_text(encoding="utf-8") == whole_md
    assert (briefs / "story-2.txt.md").read_text(encoding="utf-8").startswith("# Raid number 2")
    assert json.loads((briefs / "story-1.txt.json").read_text(encoding="utf-8"))["brief"]


def test_an_output_folder_that_cannot_be_made_ends_the_run_in_one_line(tmp_path: Path,
                                                                       capsys) -> None:
    _corpus(tmp_path / "in", 1)
    blocker = tmp_path / "out"
    blocker.write_text("a file, not a folder\n", encoding="utf-8")
    code = main(["run", str(tmp_path / "in"), "--out", str(blocker), *RULES])
    assert code == ExitCode.OUTPUT
    (line,) = capsys.readouterr().err.strip().splitlines()
    assert line == f"summarizer: error: {blocker}: cannot write (File exists)"


def test_a_folder_in_use_is_refused_naming_the_holder_and_a_dead_ones_lock_is_taken(
        tmp_path: Path, capsys) -> None:
    _corpus(tmp_path / "in", 2)
    out = tmp_path / "out"
    with OutputLock(out):  # another open file: flock refuses it as it would another process
        code = main(["run", str(tmp_path / "in"), "--out", str(out), *RULES])
    assert code == ExitCode.OUTPUT
    (line,) = capsys.readouterr().err.strip().splitlines()
    assert f"in use by another summarizer run (pid {os.getpid()})" in line
    assert not (out / "briefs").exists()  # it wrote nothing
    (out / LOCK_NAME).write_text("4194300\n", encoding="utf-8")  # a killed run's, unlocked
    assert main(["run", str(tmp_path / "in"), "--out", str(out), *RULES]) == 0
    assert (out / LOCK_NAME).read_text(encoding="utf-8").strip() == str(os.getpid())


def test_each_shard_is_a_run_of_its_own_in_a_folder_of_its_own(tmp_path: Path,
                                                              capsys) -> None:
    _corpus(tmp_path / "in", 6)
    src, one, two = str(tmp_path / "in"), str(tmp_path / "one"), str(tmp_path / "two")
    assert main(["run", src, "--out", one, "--shard", "1/2", *RULES]) == 0
    capsys.readouterr()
    assert main(["run", src, "--out", one, "--shard", "2/2", *RULES]) == ExitCode.USAGE
    assert "holds the outputs of shard 1/2; give shard 2/2 its own --out" in \
        capsys.readouterr().err
    assert main(["run", src, "--out", one, "--shard", "1/2", *RULES]) == 0  # its own again
    assert main(["run", src, "--out", two, "--shard", "2/2", *RULES]) == 0
    seen = [r["output"] for out in (one, two) for r in _rows(Path(out) / "briefs.jsonl")]
    assert sorted(seen) == [f"story-{i}.txt" for i in range(6)]


HOSTILE_TITLE = '=HYPERLINK("http://evil.example/x","Click") <script>alert(1)</script>'
HOSTILE_BODY = ('Police said "<img src=x onerror=alert(2)>" after 3 people were killed and '
                "two were wounded by gunmen in Kano on Friday.\n")


def test_csv_cells_that_a_spreadsheet_would_evaluate_are_neutralised(tmp_path: Path,
                                                                     capsys) -> None:
    src = tmp_path / "in"
    src.mkdir()
    starts = {"eq": HOSTILE_TITLE, "plus": "+1+cmd|' /C calc'!A0", "minus": "-2+3",
              "at": "@SUM(1+1)*cmd"}
    for name, title in starts.items():
        (src / f"{name}.json").write_text(json.dumps({"title": title, "text": HOSTILE_BODY}),
                                          encoding="utf-8")
    assert main(["run", str(src), "--out", str(tmp_path / "out"), *RULES]) == 0
    with open(tmp_path / "out" / "briefs.csv", newline="", encoding="utf-8") as fh:
        rows = {row["output"]: row for row in csv.DictReader(fh)}
    for name, title in starts.items():
        assert rows[f"{name}.json"]["headline"] == "'" + title  # shown as text, never run
    plain = rows["eq.json"]
    assert plain["killed"] == "3" and plain["flags"].isdigit()  # numbers stay numbers
    assert not plain["output"].startswith("'")
    # titles are stripped of white space, a model's headline need not be: tab and CR too
    record = BriefRecord.model_validate(_rows(tmp_path / "out" / "briefs.jsonl")[0])
    records = [record.model_copy(update={"brief": record.brief.model_copy(
        update={"headline": start + "cmd"})}) for start in ("\t", "\r")]
    write_csv(tmp_path / "ws.csv", records)
    with open(tmp_path / "ws.csv", newline="", encoding="utf-8") as fh:
        assert [row["headline"] for row in csv.DictReader(fh)] == ["'\tcmd", "'\rcmd"]


def test_markdown_briefs_show_the_articles_html_as_text(tmp_path: Path, capsys) -> None:
    src = tmp_path / "in"
    src.mkdir()
    (src / "x.txt").write_text(f"{HOSTILE_TITLE}\n\n{HOSTILE_BODY}", encoding="utf-8")
    assert main(["run", str(src), "--out", str(tmp_path / "out"), *RULES]) == 0
    markdown = (tmp_path / "out" / "briefs" / "00000" / "x.txt.md").read_text(encoding="utf-8")
    rendered = MarkdownIt("commonmark").render(markdown)  # html allowed, as renderers do
    assert "<script" not in rendered and "<img" not in rendered
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in rendered  # still there, as text
    assert "onerror=alert(2)" in rendered


@pytest.mark.parametrize("flag,value", [("--max-reasks", "-1"), ("--max-cost", "-1"),
                                        ("--max-cost", "0"), ("--max-tokens", "0"),
                                        ("--concurrency", "0"), ("--timeout", "0"),
                                        ("--timeout", "nan"), ("--ray-actors", "0"),
                                        ("--batch-poll-max", "-5")])
def test_impossible_values_are_usage_errors_and_create_nothing(tmp_path: Path, capsys,
                                                               flag: str, value: str) -> None:
    _corpus(tmp_path / "in", 1)
    with pytest.raises(SystemExit) as caught:
        main(["run", str(tmp_path / "in"), "--out", str(tmp_path / "out"), flag, value,
              *RULES])
    assert caught.value.code == ExitCode.USAGE
    assert f"argument {flag}:" in capsys.readouterr().err
    assert not (tmp_path / "out").exists()


def test_a_path_that_does_not_exist_is_a_usage_error_before_anything_is_made(
        tmp_path: Path, capsys) -> None:
    _corpus(tmp_path / "in", 2)
    code = main(["run", str(tmp_path / "in"), str(tmp_path / "nope.txt"), "--out",
                 str(tmp_path / "out"), *RULES])
    assert code == ExitCode.USAGE and not (tmp_path / "out").exists()
    assert capsys.readouterr().err.strip() == \
        f"summarizer: error: {tmp_path / 'nope.txt'}: no such file or folder"


def _stdin(monkeypatch: pytest.MonkeyPatch, text: str) -> None:
    monkeypatch.setattr("sys.stdin", io.TextIOWrapper(io.BytesIO(text.encode("utf-8"))))


def test_stdin_articles_are_named_by_content_and_one_prints_its_brief(
        tmp_path: Path, capsys, monkeypatch: pytest.MonkeyPatch) -> None:
    out = tmp_path / "out"
    for text in ("Raid in Lagos\nPolice arrested nine men on Friday.\n",
                 "Blast in Kano\nTwo people were killed on Sunday.\n"):
        _stdin(monkeypatch, text)
        assert main(["run", "-", "--out", str(out), *RULES]) == 0
    briefs = sorted((out / "briefs").rglob("stdin-*.json"))
    assert len(briefs) == 2  # the second run did not replace the first's brief
    records = [json.loads(p.read_text(encoding="utf-8")) for p in briefs]
    assert {r["title"] for r in records} == {"Raid in Lagos", "Blast in Kano"}
    assert all(r["source"] == "<stdin>" for r in records)
    capsys.readouterr()
    _stdin(monkeypatch, "Raid in Lagos\nPolice arrested nine men on Friday.\n")
    assert main(["run", "-", "--backend", "rules"]) == 0
    brief = json.loads(capsys.readouterr().out)
    assert brief["brief"]["totals"]["arrested"]["low"] == 9


def test_every_failure_on_the_console_names_the_file_and_why(tmp_path: Path, capsys) -> None:
    src = tmp_path / "in"
    _corpus(src, 1)
    (src / "empty.txt").write_bytes(b"")
    (src / "photo.txt").write_bytes(b"\x89PNG\r\n\x1a\n" + bytes(200))
    code = main(["run", str(src), "--out", str(tmp_path / "out"), "--backend", "rules",
                 "--no-cache"])
    assert code == ExitCode.INPUTS_FAILED
    failures = [ln for ln in capsys.readouterr().err.splitlines() if "failed:" in ln
                and "found" not in ln]
    assert sorted(failures) == [f"failed: {src / 'empty.txt'}: empty file",
                                f"failed: {src / 'photo.txt'}: binary input (a PNG image)"]


def test_version_and_help_for_every_flag(capsys) -> None:
    from summarizer import __version__
    from summarizer.cli import build_parser

    with pytest.raises(SystemExit) as caught:
        main(["--version"])
    assert caught.value.code == 0 and capsys.readouterr().out.strip() == \
        f"summarizer {__version__}"
    parser = build_parser()
    commands = next(a for a in parser._actions if a.dest == "command").choices
    assert commands is not None
    unhelped = [f"{name} {'/'.join(a.option_strings) or a.dest}"
                for name, sub in commands.items() for a in sub._actions if not a.help]
    assert unhelped == []
    assert "thin adapter" not in parser.format_help()  # a user's help, not a docstring
    assert "3  the output folder cannot be written" in parser.format_help()
