"""`summarizer run --engine ray` on one local Ray instance (2 CPUs, started once for the
module) against the loopback fake server, with faults: none lost, none duplicated, outputs
equal to a local run on the same inputs, resumable. Skipped, saying so, without ray."""

from __future__ import annotations

import argparse
import importlib.util
import json
import logging
from pathlib import Path
from typing import Any

import pytest

from summarizer.batch import RunOptions, run_batch
from summarizer.batch.discovery import discover
from summarizer.batch.engines import ray as engines_ray
from summarizer.batch.engines.ray import RayEngine
from summarizer.cli import build_parser, main
from summarizer.errors import ConfigurationError, MissingExtraError, SummarizerError
from summarizer.integrations import ray as ray_engine
from summarizer.spec import Spec
from summarizer.testing import FakeOpenAIServer

N = 60
TRANSIENT = {"429": 0.05, "500": 0.05, "truncated": 0.05}  # retried: every article ends briefed
SEED = 7
HAS_RAY = importlib.util.find_spec("ray") is not None
NO_RAY = "ray is not installed (pip install 'summarizer[ray]')"
TIMING = ("latency_s", "created_at")  # provenance that differs between any two runs


@pytest.fixture(scope="module")
def local_ray() -> Any:
    """One local Ray for every test here: 2 CPUs, loopback, no dashboard, no usage stats."""
    if not HAS_RAY:
        pytest.skip(NO_RAY)
    with pytest.MonkeyPatch.context() as mp:  # the Ray processes inherit no provider key
        for var in ("OPENAI_API_KEY", "OPENAI_BASE_URL", "SUMMARIZER_BACKEND"):
            mp.delenv(var, raising=False)
        for var, value in (("RAY_USAGE_STATS_ENABLED", "0"),  # as the command sets them
                           ("RAY_ENABLE_WINDOWS_OR_OSX_CLUSTER", "0")):
            mp.setenv(var, value)
        ray, started = ray_engine.connect_ray(None, num_cpus=2)
    yield ray
    if started:
        ray.shutdown()


def _corpus(folder: Path, n: int = N) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    for i in range(n):
        (folder / f"story-{i:02d}.txt").write_text(
            f"Story number {i} in the corpus\n\nGunmen killed {i % 5 + 1} people in district "
            f"{i} on Monday, police said. Officers arrested {i % 3 + 1} suspects.\n",
            encoding="utf-8")
    (folder / "zz-copy.txt").write_text((folder / "story-00.txt").read_text(), "utf-8")
    (folder / "zz-binary.txt").write_bytes(b"\x89PNG\r\n\x1a\n" + bytes(200))
    return folder


def _rows(path: Path) -> list[dict[str, Any]]:
    rows = [json.loads(line) for line in path.read_text().splitlines() if line.strip()]
    for row in rows:
        for key in TIMING:
            row.get("provenance", {}).pop(key, None)
    return rows


def _same_outputs(a: Path, b: Path) -> None:
    """Two OUT folders hold the same briefs, errors and files, timing and completion order
    aside (rows are appended as each article completes)."""
    def by_output(path: Path) -> list[dict[str, Any]]:
        return sorted(_rows(path), key=lambda r: r["output"])

    def files(out: Path) -> dict[str, Path]:
        return {p.name: p for p in (out / "briefs").rglob("*.*")}

    assert by_output(a / "briefs.jsonl") == by_output(b / "briefs.jsonl")
    assert by_output(a / "errors.jsonl") == by_output(b / "errors.jsonl")
    csv_a, csv_b = ((x / "briefs.csv").read_text().splitlines() for x in (a, b))
    assert csv_a[0] == csv_b[0] and sorted(csv_a[1:]) == sorted(csv_b[1:])
    fa, fb = files(a), files(b)
    assert sorted(fa) == sorted(fb)
    for name, pa in fa.items():
        if name.endswith(".md"):
            assert pa.read_text() == fb[name].read_text(), name
        else:
            assert _rows(pa) == _rows(fb[name]), name
    assert (b / "index.html").is_file() and (b / "run.json").is_file()


def _check_none_lost(out: Path, n: int = N) -> tuple[list[str], list[str]]:
    briefed = [r["output"] for r in _rows(out / "briefs.jsonl")]
    failed = [r["output"] for r in _rows(out / "errors.jsonl")]
    expected = {f"story-{i:02d}.txt" for i in range(n)} | {"zz-copy.txt", "zz-binary.txt"}
    assert len(briefed) == len(set(briefed)) and len(failed) == len(set(failed))
    assert set(briefed) | set(failed) == expected and not set(briefed) & set(failed)
    for row in _rows(out / "briefs.jsonl"):  # each brief is its own article's
        if row["output"].startswith("story-"):
            number = int(row["output"][6:8])
            assert row["brief"]["headline"] == f"Story number {number} in the corpus"
    return briefed, failed


def _run_flags() -> set[str]:
    sub = next(a for a in build_parser()._actions if isinstance(a, argparse._SubParsersAction))
    return {flag for a in sub.choices["run"]._actions for flag in a.option_strings}


def _run(src: Path, out: Path, *extra: str) -> dict[str, Any]:
    code = main(["run", str(src), "--out", str(out), "--mode", "tools", "--quiet", *extra])
    run = json.loads((out / "run.json").read_text())
    assert code == (1 if run["failed"] else 0)
    return dict(run)


# -- without Ray -------------------------------------------------------------------------

def test_batch_api_is_refused_in_one_line(tmp_path: Path, capsys: Any) -> None:
    with pytest.raises(ConfigurationError, match="^--engine ray and --batch-api") as info:
        ray_engine.check_engine_options(RunOptions(engine="ray"), batch_api=True)
    assert "\n" not in str(info.value)
    options = RunOptions(engine="ray")
    options.batch_api = object()  # type: ignore[attr-defined]  # a --batch-api run's options
    with pytest.raises(ConfigurationError, match="--batch-api"):
        ray_engine.check_engine_options(options)
    if "--batch-api" in _run_flags():  # once the flag exists: refused before any input
        code = main(["run", str(_corpus(tmp_path / "in", 2)), "--out", str(tmp_path / "o"),
                     "--engine", "ray", "--batch-api", "--model", "openai/gpt-4o-mini"])
        err = capsys.readouterr().err.strip()
        assert code == 2 and "\n" not in err and "--batch-api" in err
        assert not (tmp_path / "o" / "run.json").exists()


def test_without_ray_the_extra_is_named(monkeypatch: pytest.MonkeyPatch) -> None:
    real = importlib.util.find_spec
    monkeypatch.setattr(importlib.util, "find_spec",
                        lambda name, *a: None if name == "ray" else real(name, *a))
    with pytest.raises(MissingExtraError, match=r"summarizer\[ray\]"):
        ray_engine.check_engine_options(RunOptions(engine="ray"))


def test_the_briefer_turns_rows_into_briefs_and_error_rows(tmp_path: Path) -> None:
    """The map_batches class without Ray: one row out per row in, briefs.jsonl-shaped."""
    pytest.importorskip("pyarrow", reason=NO_RAY)
    items = discover([str(_corpus(tmp_path / "in", 3))])
    briefer = ray_engine.Briefer(Spec(backend="rules"))
    table = briefer(ray_engine.article_table(items))
    rows = table.to_pylist()
    assert [r["output"] for r in rows] == [it.key for it in items]
    assert table.column_names == list(ray_engine.OUT_COLUMNS)
    bad = next(r for r in rows if r["output"] == "zz-binary.txt")
    assert bad["record"] is None and json.loads(bad["error"])["stage"] == "load"
    good = json.loads(next(r for r in rows if r["output"] == "story-01.txt")["record"])
    assert good["brief"]["headline"] == "Story number 1 in the corpus"
    assert good["result_key"] and good["article_text"] and good["provenance"]["backend"] == "rules"
    assert {r["actor"] for r in rows} == {"local"}


# -- on a local Ray ----------------------------------------------------------------------

@pytest.mark.ray
def test_rules_on_ray_equal_a_local_run_and_resume(tmp_path: Path, local_ray: Any,
                                                   capfd: Any) -> None:
    src = _corpus(tmp_path / "in")
    local = _run(src, tmp_path / "local", "--backend", "rules", "--no-cache")
    capfd.readouterr()
    data_logger = logging.getLogger("ray.data").level
    on_ray = _run(src, tmp_path / "ray", "--backend", "rules", "--no-cache", "--engine", "ray",
                  "--ray-actors", "2")
    # Ray Data's progress bars, banners and INFO lines stay off the terminal; the logger
    # it changed for the run is put back
    out, err = capfd.readouterr()
    assert out == "" and "Running Dataset" not in err and " INFO " not in err, err
    assert logging.getLogger("ray.data").level == data_logger
    _same_outputs(tmp_path / "local", tmp_path / "ray")
    for key in ("found", "briefed", "failed", "duplicates", "model_calls"):
        assert local[key] == on_ray[key], key
    engine = on_ray["engine"]
    assert engine["name"] == "ray" and engine["actors_requested"] == 2
    assert sum(a["articles"] for a in engine["actors"]) == N  # the copy is the driver's
    assert all(a["node"] == "127.0.0.1" for a in engine["actors"])
    assert local["engine"] is None
    again = _run(src, tmp_path / "ray", "--backend", "rules", "--no-cache", "--engine", "ray")
    # every whole row is done, the copy's too (it points at its first)
    assert again["skipped"] == N + 1 and again["briefed"] == 0
    assert again["engine"]["actors"] == []  # nothing to brief: Ray was not asked
    _same_outputs(tmp_path / "local", tmp_path / "ray")


def _faulty(monkeypatch: pytest.MonkeyPatch, server: FakeOpenAIServer) -> None:
    monkeypatch.setenv("OPENAI_BASE_URL", server.url)
    monkeypatch.setenv("OPENAI_API_KEY", "sk-test-fake")


@pytest.mark.ray
def test_faults_on_ray_lose_nothing_and_equal_a_local_run(
        tmp_path: Path, local_ray: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    src = _corpus(tmp_path / "in")
    runs, served = {}, {}
    port = 0  # one base URL for every run: it is part of the result key
    for engine in ("local", "ray"):
        with FakeOpenAIServer(rates=TRANSIENT, seed=SEED, retry_after=0.1,
                              latency=0.01, port=port) as server:
            port = server.port
            _faulty(monkeypatch, server)
            runs[engine] = _run(src, tmp_path / engine, "--no-cache", "--concurrency", "4",
                                "--engine", engine, "--ray-concurrency", "3")
            served[engine] = dict(server.served)
    _same_outputs(tmp_path / "local", tmp_path / "ray")
    briefed, failed = _check_none_lost(tmp_path / "ray")
    assert failed == ["zz-binary.txt"]
    assert served["local"] == served["ray"] and sum(served["ray"][k] for k in TRANSIENT) > 0
    for key in ("briefed", "failed", "duplicates", "model_calls", "prompt_tokens",
                "transport_retries"):
        assert runs["local"][key] == runs["ray"][key], key
    assert runs["ray"]["transport_retries"] == sum(served["ray"][k] for k in TRANSIENT)
    engine = runs["ray"]["engine"]
    assert engine["concurrency_per_actor"] == 3 and 1 <= len(engine["actors"]) <= 2

    # resume: ten rows lost from briefs.jsonl, then a rerun asks the server for those ten only
    jsonl = tmp_path / "ray" / "briefs.jsonl"
    lost = {f"story-{i:02d}.txt" for i in range(10)}
    jsonl.write_text("".join(line for line in jsonl.read_text().splitlines(keepends=True)
                             if json.loads(line)["output"] not in lost))
    with FakeOpenAIServer(port=port) as server:
        _faulty(monkeypatch, server)
        rerun = _run(src, tmp_path / "ray", "--no-cache", "--engine", "ray")
    assert len(server.requests) == 10
    assert (rerun["skipped"], rerun["briefed"]) == (N - 10 + 1, 10)  # +1: the copy's row
    _same_outputs(tmp_path / "local", tmp_path / "ray")


@pytest.mark.ray
def test_invalid_answers_become_error_rows_counted_once(
        tmp_path: Path, local_ray: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    src = _corpus(tmp_path / "in")
    rates = {**TRANSIENT, "invalid": 0.1}
    with FakeOpenAIServer(rates=rates, seed=3, retry_after=0.1, latency=0.01) as server:
        _faulty(monkeypatch, server)
        run = _run(src, tmp_path / "out", "--no-cache", "--engine", "ray", "--max-reasks", "0",
                   "--ray-concurrency", "4")
    served = server.served
    assert served["invalid"] > 0
    briefed, failed = _check_none_lost(tmp_path / "out")
    errors = {e["output"]: e for e in _rows(tmp_path / "out" / "errors.jsonl")}
    assert errors.pop("zz-binary.txt")["stage"] == "load"
    for e in errors.values():
        assert e["stage"] == "extract" and "\n" not in e["reason"]
        assert e["reason"].startswith("no valid brief after 1 attempt(s)")
    assert run["briefed"] == served["ok"] and run["failed"] == served["invalid"] + 1
    assert run["model_calls"] == served["ok"] + served["invalid"]  # failed calls counted too
    assert run["transport_retries"] == sum(served[k] for k in TRANSIENT)


@pytest.mark.ray
def test_an_actor_that_cannot_start_stops_the_run_in_one_line(
        tmp_path: Path, local_ray: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    """A node that cannot build the backend (a missing extra, say) ends the run at once with
    Ray's cause in one line, never a hang; what was briefed stays for the rerun."""
    src = _corpus(tmp_path / "in", 4)
    monkeypatch.setattr(engines_ray, "actor_spec",
                        lambda config, options: Spec(backend="no-such-backend"))
    monkeypatch.setattr(RayEngine, "_same_configuration", lambda *args: None)
    with pytest.raises(SummarizerError, match="^the Ray engine stopped: .*no-such-backend") \
            as info:
        run_batch([str(src)], RunOptions(out=tmp_path / "out", spec=Spec(backend="rules"),
                                         quiet=True, use_cache=False, engine="ray"))
    assert "\n" not in str(info.value)
