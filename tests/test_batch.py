"""`summarizer run` as a user runs it, against a fake OpenAI-compatible server on 127.0.0.1,
so every model call is counted and nothing reaches a paid API. The command runs in process
(tests/cli.py); the kill-and-resume test needs a real process to kill."""

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from summarizer.batch import output_key
from summarizer.testing import FakeOpenAIServer

from .cli import run_cli
from .conftest import ROOT


def _run(args, server, *, cwd, check=False, **kw):
    env = {**os.environ, "OPENAI_BASE_URL": server.url, "OPENAI_API_KEY": "sk-test-fake"}
    env.pop("SUMMARIZER_BACKEND", None)
    return run_cli(["run", *args, "--mode", "tools", "--quiet"], cwd=cwd, env=env, check=check,
                   **kw)


def _corpus(folder: Path, n: int) -> list[Path]:
    folder.mkdir(parents=True, exist_ok=True)
    paths = []
    for i in range(n):
        p = folder / f"story-{i:02d}.txt"
        p.write_text(f"Story number {i} in the corpus\nPolice said {i + 1} people were "
                     f"arrested in district {i}.\n", encoding="utf-8")
        paths.append(p)
    return paths


def _whole_rows(out: Path) -> int:
    """briefs.jsonl's whole rows (a line with its newline): what marks an article done."""
    try:
        return (out / "briefs.jsonl").read_bytes().count(b"\n")
    except FileNotFoundError:
        return 0


def _json_lines(path: Path):
    return [json.loads(line) for line in path.read_text().splitlines() if line.strip()]


def test_outputs_and_a_rerun_makes_zero_model_calls(tmp_path):
    _corpus(tmp_path / "in", 3)
    out, cache = tmp_path / "out", tmp_path / "cache"
    with FakeOpenAIServer() as server:
        first = _run([str(tmp_path / "in"), "--out", str(out), "--cache-dir", str(cache)],
                     server, cwd=tmp_path)
        assert first.returncode == 0, first.stderr
        run1 = json.loads((out / "run.json").read_text())
        assert (run1["found"], run1["briefed"], run1["model_calls"]) == (3, 3, 3)
        second = _run([str(tmp_path / "in"), "--out", str(out), "--cache-dir", str(cache)],
                      server, cwd=tmp_path)
        run2 = json.loads((out / "run.json").read_text())
        assert second.returncode == 0
        assert run2["model_calls"] == 0 and run2["skipped"] == 3
        # a fresh OUT with the same cache: served from the cache, still zero calls
        _run([str(tmp_path / "in"), "--out", str(tmp_path / "out2"), "--cache-dir", str(cache)],
             server, cwd=tmp_path)
        run3 = json.loads((tmp_path / "out2" / "run.json").read_text())
        assert run3["model_calls"] == 0 and run3["cached"] == 3
    assert len(server.requests) == 3
    lines = _json_lines(out / "briefs.jsonl")
    # appended in completion order: the order of the answers, not of the inputs
    assert sorted(r["output"] for r in lines) == [f"story-{i:02d}.txt" for i in range(3)]
    assert all(r["provenance"]["backend"] == "openai" for r in lines)
    assert _json_lines(out / "errors.jsonl") == []
    csv_text = (out / "briefs.csv").read_text()
    assert csv_text.splitlines()[0].startswith("output,source,headline,killed")
    assert len(csv_text.splitlines()) == 4
    md = (out / "briefs" / "00000" / "story-01.txt.md").read_text()
    assert md.startswith("# Story number 1 in the corpus") and "## Totals" in md


@pytest.mark.subprocess
def test_sigkill_then_rerun_makes_exactly_the_missing_calls(tmp_path):
    n = 8
    _corpus(tmp_path / "in", n)
    out = tmp_path / "out"
    args = [str(tmp_path / "in"), "--out", str(out), "--no-cache", "--concurrency", "1"]
    with FakeOpenAIServer(latency=0.4) as server:
        env = {**os.environ, "OPENAI_BASE_URL": server.url, "OPENAI_API_KEY": "sk-test-fake"}
        proc = subprocess.Popen([sys.executable, "-m", "summarizer", "run", *args, "--mode",
                                 "tools", "--quiet"], cwd=tmp_path, env=env,
                                stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        deadline = time.time() + 120
        while _whole_rows(out) < 3 and time.time() < deadline:
            time.sleep(0.05)
        proc.send_signal(signal.SIGKILL)
        proc.wait()
        k = _whole_rows(out)
        assert 3 <= k < n, "the run must be killed midway"
        assert not (out / "run.json").exists()
        rerun = _run(args, server, cwd=tmp_path)
    assert rerun.returncode == 0, rerun.stderr
    summary = json.loads((out / "run.json").read_text())
    assert summary["model_calls"] == n - k and summary["skipped"] == k
    lines = _json_lines(out / "briefs.jsonl")
    assert sorted(r["output"] for r in lines) == [f"story-{i:02d}.txt" for i in range(n)]
    for f in (out / "briefs").rglob("*.json"):
        json.loads(f.read_text())  # whole, never half-written
    assert not list(out.rglob(".tmp-*"))


def test_bad_inputs_never_stop_the_batch(tmp_path):
    src = tmp_path / "in"
    _corpus(src, 2)
    (src / "empty.txt").write_bytes(b"")
    (src / "photo.txt").write_bytes(b"\x89PNG\r\n\x1a\n" + bytes(200))
    (src / "gibberish.txt").write_bytes(bytes([0x80 + i % 32 for i in range(500)]))
    (src / "huge.txt").write_bytes(b"word " * 2_000_000)
    (src / "copy of story.txt").write_bytes((src / "story-00.txt").read_bytes())
    (src / "Ürümqi report ☃.md").write_text("# Ürümqi blast\n\nTwo people were hurt.\n")
    (src / "..weird..name.txt").write_text("Odd name story here\nNothing happened.\n")
    (src / "bad.json").write_text("{not json")
    (src / "many.jsonl").write_text('{"title": "Line one story", "body": "One died."}\n'
                                    "{broken\n")
    (src / "loop").symlink_to(src, target_is_directory=True)
    (src / "dangling.txt").symlink_to(src / "missing.txt")
    before = {p for p in tmp_path.rglob("*")}
    out = tmp_path / "out"
    with FakeOpenAIServer() as server:
        res = _run([str(src), "--out", str(out), "--no-cache"], server, cwd=tmp_path)
    assert res.returncode == 1  # something failed, and the exit code says so
    errors = {e["output"]: e for e in _json_lines(out / "errors.jsonl")}
    reasons = {k: v["reason"] for k, v in errors.items()}
    assert "empty" in reasons["empty.txt"]
    assert "PNG" in reasons["photo.txt"]
    assert "undecodable" in reasons["gibberish.txt"]
    assert "too large" in reasons["huge.txt"]
    assert "invalid JSON" in reasons["bad.json"]
    assert "invalid JSON" in reasons["many.jsonl-L2"]
    assert "loop" in reasons["loop"]
    assert "symlink" in reasons["dangling.txt"]
    assert all("\n" not in r for r in reasons.values())
    briefs = {r["output"]: r for r in _json_lines(out / "briefs.jsonl")}
    assert set(briefs) == {"story-00.txt", "story-01.txt", "copy_of_story.txt",
                           "Ürümqi_report_.md", "weird..name.txt", "many.jsonl-L1"}
    # files are taken in sorted order: the first with that content is briefed, the next points
    assert briefs["story-00.txt"]["duplicate_of"] == "copy_of_story.txt"
    assert briefs["story-00.txt"]["brief"] == briefs["copy_of_story.txt"]["brief"]
    assert len(server.requests) == 5  # the duplicate cost no call
    run = json.loads((out / "run.json").read_text())
    assert (run["found"], run["failed"], run["duplicates"]) == (14, 8, 1)
    # nothing written outside OUT
    after = {p for p in tmp_path.rglob("*") if out not in p.parents and p != out}
    assert after == before


def test_single_file_prints_its_brief(tmp_path):
    with FakeOpenAIServer() as server:
        res = _run([str(ROOT / "samples" / "palmyra-condolences.txt")], server, cwd=tmp_path,
                   check=True)
    brief = json.loads(res.stdout)
    assert brief["brief"]["headline"].startswith("Syrian President")
    assert brief["provenance"]["model"]


def test_dry_run_calls_no_model(tmp_path):
    _corpus(tmp_path / "in", 4)
    with FakeOpenAIServer() as server:
        res = _run([str(tmp_path / "in"), "--dry-run", "--model", "gpt-4o-mini"], server,
                   cwd=tmp_path, check=True)
    assert server.requests == []
    assert "4 articles" in res.stdout and "$" in res.stdout


def test_max_cost_stops_before_the_budget(tmp_path):
    _corpus(tmp_path / "in", 5)
    with FakeOpenAIServer() as server:
        res = _run([str(tmp_path / "in"), "--out", str(tmp_path / "out"), "--model",
                    "gpt-4o-mini", "--max-cost", "0.0015", "--no-cache"], server, cwd=tmp_path)
    run = json.loads((tmp_path / "out" / "run.json").read_text())
    assert res.returncode == 1 and run["not_run"] > 0 and run["briefed"] > 0
    assert len(server.requests) == run["briefed"]


@pytest.mark.parametrize("rel,key", [("a/b c.txt", "a__b_c.txt"), ("../../etc/x.txt", "etc__x.txt"),
                                     (".hidden.txt", "hidden.txt")])
def test_output_keys_stay_inside_out(rel, key):
    assert output_key(rel) == key


def test_shards_partition_the_corpus(tmp_path):
    _corpus(tmp_path / "in", 12)
    seen = []
    with FakeOpenAIServer() as server:
        for k in (1, 2, 3):
            out = tmp_path / f"out{k}"
            _run([str(tmp_path / "in"), "--out", str(out), "--shard", f"{k}/3", "--no-cache"],
                 server, cwd=tmp_path, check=True)
            seen += [r["output"] for r in _json_lines(out / "briefs.jsonl")]
    assert sorted(seen) == [f"story-{i:02d}.txt" for i in range(12)]


def test_stdin_is_one_article(tmp_path):
    out = tmp_path / "out"
    done = run_cli(["run", "-", "--out", str(out), "--backend", "rules", "--no-cache", "--quiet"],
                   input="Raid in Lagos\nPolice arrested nine men on Friday.\n", cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    (record,) = _json_lines(out / "briefs.jsonl")
    assert record["output"].startswith("stdin-") and record["source"] == "<stdin>"
    assert record["brief"]["totals"]["arrested"]["low"] == 9
