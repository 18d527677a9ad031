"""A run at any size (issue 30): outcomes streamed to OUT as they arrive, a whole
briefs.jsonl row as the done mark, per-brief files in bounded folders (or none), shards merged
into one folder, and a kill -9 midway through a large run costing only the missing calls."""

from __future__ import annotations

import asyncio
import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import pytest

from summarizer.batch.stream import PER_FOLDER, trim_torn
from summarizer.cli import main
from summarizer.testing import FakeOpenAIServer

from .cli import run_cli

RULES = ["--backend", "rules", "--no-cache", "--quiet"]
TIMING = ("latency_s", "created_at")


def _jsonl(path: Path, n: int, start: int = 0) -> Path:
    path.write_text("".join(json.dumps({
        "id": f"ref-{i:05d}", "title": f"Report ref-{i:05d}",
        "text": f"Police said {i % 7 + 1} people were arrested in district {i} on Monday "
                f"(ref-{i:05d})."}) + "\n" for i in range(start, start + n)), encoding="utf-8")
    return path


def _rows(path: Path) -> list[dict[str, Any]]:
    lines = path.read_text(encoding="utf-8").splitlines(keepends=True)
    assert all(line.endswith("\n") for line in lines)  # every line whole
    rows = [json.loads(line) for line in lines]
    for row in rows:
        for key in TIMING:
            row["provenance"].pop(key)
    return rows


def _by_output(out: Path) -> dict[str, dict[str, Any]]:
    rows = _rows(out / "briefs.jsonl")
    by = {r["output"]: r for r in rows}
    assert len(by) == len(rows)  # once each
    return by


def test_per_brief_files_go_into_folders_of_bounded_size(tmp_path: Path, monkeypatch) -> None:
    monkeypatch.setattr("summarizer.batch.stream.PER_FOLDER", 4)
    src = _jsonl(tmp_path / "in.jsonl", 10)
    assert main(["run", str(src), "--out", str(tmp_path / "out"), *RULES]) == 0
    rows = _rows(tmp_path / "out" / "briefs.jsonl")
    folders = sorted(p for p in (tmp_path / "out" / "briefs").iterdir())
    assert [p.name for p in folders] == ["00000", "00001", "00002"]
    for i, row in enumerate(rows):  # row i's files are in folder i // 4
        folder = folders[i // 4]
        assert json.loads((folder / f"{row['output']}.json").read_text())["id"] == row["id"]
        assert (folder / f"{row['output']}.md").read_text().startswith("# ")
    assert PER_FOLDER == 1000


def test_no_brief_files_writes_rows_only_and_the_viewer_still_shows_them(tmp_path: Path
                                                                         ) -> None:
    src = _jsonl(tmp_path / "in.jsonl", 5)
    out = tmp_path / "out"
    assert main(["run", str(src), "--out", str(out), "--no-brief-files", *RULES]) == 0
    assert not (out / "briefs").exists()
    assert len(_rows(out / "briefs.jsonl")) == 5
    assert len((out / "briefs.csv").read_text().splitlines()) == 6
    assert "ref-00003" in (out / "index.html").read_text(encoding="utf-8")
    # a rerun with the files asked for writes them from the rows, with no brief made again
    assert main(["run", str(src), "--out", str(out), *RULES]) == 0
    run = json.loads((out / "run.json").read_text())
    assert (run["skipped"], run["briefed"]) == (5, 0)
    assert len(list((out / "briefs").rglob("*.md"))) == 5


def test_a_torn_last_line_is_trimmed(tmp_path: Path) -> None:
    path = tmp_path / "briefs.jsonl"
    path.write_bytes(b'{"a": 1}\n{"b": 2}\n{"c": ')
    assert trim_torn(path) == len(b'{"c": ')
    assert path.read_bytes() == b'{"a": 1}\n{"b": 2}\n'
    assert trim_torn(path) == 0
    path.write_bytes(b'{"half')
    assert trim_torn(path) == 6 and path.read_bytes() == b""


def test_merge_of_two_shards_gives_the_rows_of_the_unsharded_run(tmp_path: Path,
                                                                  capsys) -> None:
    src = _jsonl(tmp_path / "in.jsonl", 40)
    with src.open("a", encoding="utf-8") as fh:  # a duplicate and a bad line
        fh.write(src.read_text(encoding="utf-8").splitlines()[3].replace("ref-00003\"", "dup\"")
                 + "\n{not json\n")
    whole = tmp_path / "whole"
    assert main(["run", str(src), "--out", str(whole), *RULES]) == 1  # the bad line
    for k in (1, 2):
        main(["run", str(src), "--out", str(tmp_path / f"s{k}"), "--shard", f"{k}/2", *RULES])
    merged = tmp_path / "merged"
    code = main(["merge", str(tmp_path / "s1"), str(tmp_path / "s2"), "--out", str(merged)])
    assert code == 1  # as `run`'s: an input with no brief
    assert _by_output(merged) == _by_output(whole)
    errors = [json.loads(line) for line in (merged / "errors.jsonl").read_text().splitlines()]
    assert [e["stage"] for e in errors] == ["load"]
    run = json.loads((merged / "run.json").read_text())
    assert (run["found"], run["failed"], run["shard"]) == (42, 1, "merged")
    assert len(list((merged / "briefs").rglob("*.json"))) == 41
    assert "ref-00039" in (merged / "index.html").read_text(encoding="utf-8")
    # merging into a folder that holds something, or from a folder that is no run: usage
    assert main(["merge", str(tmp_path / "s1"), "--out", str(whole)]) == 2
    assert main(["merge", str(tmp_path), "--out", str(tmp_path / "m2")]) == 2
    err = capsys.readouterr().err
    assert f"{whole}: not an empty folder" in err and "not the output folder" in err


def test_merge_keeps_each_row_once_across_overlapping_runs(tmp_path: Path) -> None:
    a, b = _jsonl(tmp_path / "a.jsonl", 6), _jsonl(tmp_path / "b.jsonl", 6, start=3)
    for src in (a, b):
        assert main(["run", str(src), "--out", str(tmp_path / src.stem), *RULES]) == 0
    merged = tmp_path / "m"
    assert main(["merge", str(tmp_path / "a"), str(tmp_path / "b"), "--out", str(merged),
                 "--quiet"]) == 0
    rows = _rows(merged / "briefs.jsonl")
    assert len(rows) == 12 and len({r["output"] for r in rows}) == 12  # keys differ by file


def _requests_per_article(server: FakeOpenAIServer) -> dict[str, int]:
    counts: dict[str, int] = {}
    for req in server.requests:
        text = json.dumps(req["body"]) if not isinstance(req["body"], str) else req["body"]
        at = text.find("(ref-")
        ref = text[at + 1:at + 10]
        counts[ref] = counts.get(ref, 0) + 1
    return counts


@pytest.mark.subprocess  # a real process, killed with SIGKILL midway
def test_kill_9_midway_through_2000_articles_then_a_rerun_makes_only_the_missing_calls(
        tmp_path: Path) -> None:
    n = 2000
    src = _jsonl(tmp_path / "in.jsonl", n)
    out = tmp_path / "out"
    args = ["run", str(src), "--out", str(out), "--no-cache", "--concurrency", "8", "--mode",
            "tools", "--quiet"]
    with FakeOpenAIServer(latency=0.005) as server:
        env = {**os.environ, "OPENAI_BASE_URL": server.url, "OPENAI_API_KEY": "sk-test-fake"}
        env.pop("SUMMARIZER_BACKEND", None)
        proc = subprocess.Popen([sys.executable, "-m", "summarizer", *args], cwd=tmp_path,
                                env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        deadline = time.time() + 300
        while time.time() < deadline and proc.poll() is None:
            jsonl = out / "briefs.jsonl"
            if jsonl.is_file() and jsonl.stat().st_size and \
                    jsonl.read_bytes().count(b"\n") >= n // 3:
                break
            time.sleep(0.02)
        proc.send_signal(signal.SIGKILL)
        proc.wait()
        raw = (out / "briefs.jsonl").read_bytes()
        done = {json.loads(line)["output"] for line in raw.split(b"\n")[:-1]}  # whole rows
        assert n // 3 <= len(done) < n, "the run must be killed midway"
        assert not (out / "run.json").exists()
        server.requests.clear()
        rerun = run_cli(args, cwd=tmp_path, env=env)
        assert rerun.returncode == 0, rerun.stderr
        calls = _requests_per_article(server)
    rows = _by_output(out)  # every article once, every line whole
    assert len(rows) == n
    missing = {r["id"] for key, r in rows.items() if key not in done}
    assert set(calls) == missing and set(calls.values()) == {1}  # one call each, no other
    print(f"killed at {len(done)} of {n} whole rows; the rerun made {sum(calls.values())} "
          f"calls for the {len(missing)} without one")
    summary = json.loads((out / "run.json").read_text())
    assert (summary["skipped"], summary["briefed"]) == (len(done), n - len(done))
    for key in rows:  # every per-brief file present and whole
        found = list((out / "briefs").glob(f"*/{key}.json"))
        assert len(found) >= 1 and json.loads(found[-1].read_text())["output"] == key
        assert any(p.with_suffix(".md").is_file() for p in found)


def test_a_run_killed_before_this_layout_is_resumed_from_its_flat_files(tmp_path: Path
                                                                         ) -> None:
    """Before issue 30 a brief's .json in OUT/briefs/ was its done mark (briefs.jsonl came at
    the end): a rerun takes those briefs as rows and viewing still works."""
    src = _jsonl(tmp_path / "in.jsonl", 6)
    out = tmp_path / "out"
    assert main(["run", str(src), "--out", str(out), *RULES]) == 0
    for path in list((out / "briefs").rglob("*.*")):
        path.rename(out / "briefs" / path.name)
    (out / "briefs" / "00000").rmdir()
    (out / "briefs.jsonl").unlink()
    (out / "run.json").unlink()
    assert main(["view", str(out)]) == 0  # the viewer reads the flat files
    assert "ref-00004" in (out / "index.html").read_text(encoding="utf-8")
    assert main(["run", str(src), "--out", str(out), *RULES]) == 0
    run = json.loads((out / "run.json").read_text())
    assert (run["skipped"], run["briefed"]) == (6, 0)
    assert len(_rows(out / "briefs.jsonl")) == 6


def test_a_write_that_fails_on_the_event_loop_ends_the_engine(tmp_path: Path,
                                                              monkeypatch) -> None:
    """A remote run writes each brief from its event loop: a write OUT cannot take there
    (an OSError out of `accept`) must leave the engine, never be lost in a task; the run
    turns it into exit code 3 (outdir.output_errors)."""
    from summarizer.batch.discovery import discover
    from summarizer.batch.engines import local
    from summarizer.configuration import configure
    from summarizer.pipeline import brief_article

    async def abrief(article: Any, config: Any) -> Any:
        await asyncio.sleep(0)
        return brief_article(article, config)

    monkeypatch.setattr(local, "abrief_article", abrief)
    items = discover([str(_jsonl(tmp_path / "in.jsonl", 30))])
    taken: list[str] = []

    def accept(outcome: Any) -> None:
        if len(taken) == 10:
            raise OSError(28, "No space left on device", str(tmp_path / "briefs.jsonl"))
        taken.append(outcome.item.key)

    with pytest.raises(OSError, match="No space left"):
        local.AsyncEngine(configure("rules"), 4).brief(iter(items), accept)
    assert len(taken) == 10


def test_an_in_process_model_is_prepared_from_every_article_before_the_first(
        tmp_path: Path) -> None:
    """Articles stream through the run, but a backend that sizes itself (an in-process
    model's context window) is shown every article of the shard once, before any brief."""
    from summarizer.backends.rules import RulesBackend
    from summarizer.batch import RunOptions, run_batch

    events: list[Any] = []

    class Sizing(RulesBackend):
        def prepare(self, articles: Any, prompt: Any, settings: Any) -> None:
            events.append(sorted(a.id for a in articles))

        def extract(self, article: Any, *args: Any, **kw: Any) -> Any:
            events.append(article.id)
            return super().extract(article, *args, **kw)

    src = _jsonl(tmp_path / "in.jsonl", 6)
    summary, code = run_batch([str(src)], RunOptions(out=tmp_path / "out", use_cache=False,
                                                     quiet=True, shard=(1, 2)), Sizing())
    assert code == 0 and summary.briefed == len(events) - 1 > 0
    assert events[0] == sorted(events[1:])  # this shard's articles, once, before the first


def test_a_row_briefed_again_under_another_configuration_is_kept_once(tmp_path: Path) -> None:
    src = _jsonl(tmp_path / "in.jsonl", 4)
    out = tmp_path / "out"
    assert main(["run", str(src), "--out", str(out), *RULES]) == 0
    assert main(["run", str(src), "--out", str(out), *RULES, "--policy", "drop"]) == 0
    rows = _rows(out / "briefs.jsonl")
    assert len(rows) == 4 and {r["provenance"]["policy"] for r in rows} == {"drop"}
    assert len((out / "briefs.csv").read_text().splitlines()) == 5
    casualties = (out / "casualties.csv").read_text().splitlines()
    assert len({line.split(",")[1] for line in casualties[1:]}) <= 4  # one brief's rows each
    assert len(casualties) - 1 == sum(len(r["brief"]["casualties"]) for r in rows)
