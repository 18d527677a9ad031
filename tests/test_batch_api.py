"""`summarizer run --batch-api` against loopback fakes of OpenAI's Batch API and Anthropic's
Message Batches (summarizer/testing_batches.py), started here: nothing reaches a paid API.
Submit -> complete -> collect, the same briefs as live, a SIGKILL while polling and the
rerun resuming the same batch, failed lines and invalid answers retried once, expired and
cancelled batches, refusals, and the issue's 500-article check."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from summarizer.backends.base import Usage
from summarizer.batch import RunOptions, run_batch
from summarizer.batch.costs import estimate_cost
from summarizer.batch_api import BatchAPIOptions
from summarizer.batch_api.pricing import batch_prices, batch_rate_listed
from summarizer.errors import ConfigurationError
from summarizer.spec import spec_from_env
from summarizer.testing import FakeOpenAIServer
from summarizer.testing_batches import FakeAnthropicBatchServer, FakeOpenAIBatchServer
from summarizer.testing_providers import FakeAnthropicServer

from .cli import run_cli

MODELS = {"openai": "openai/gpt-4o-mini", "anthropic": "anthropic/claude-haiku-4-5"}
FAKES = {"openai": FakeOpenAIBatchServer, "anthropic": FakeAnthropicBatchServer}
FAST = BatchAPIOptions(poll_start=0.02, poll_max=0.05)


def _corpus(folder: Path, n: int) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    for i in range(n):
        (folder / f"story-{i:03d}.txt").write_text(
            f"Story number {i} in the corpus\nPolice said {i % 9 + 1} people were arrested in "
            f"district {i}.\n", encoding="utf-8")
    return folder


def _env(name: str, server) -> dict[str, str]:
    if name == "anthropic":
        return {"ANTHROPIC_BASE_URL": server.url, "ANTHROPIC_API_KEY": "test-key"}
    return {"OPENAI_BASE_URL": server.url, "OPENAI_API_KEY": "sk-test-fake"}


def _run(paths, out: Path, name: str, monkeypatch, batch=FAST, **kw):
    return run_batch([str(p) for p in paths], RunOptions(
        out=out, spec=spec_from_env(model=MODELS[name], **kw), use_cache=False, quiet=True,
        batch_api=batch))


def _cli(args, env, cwd):
    return run_cli(["run", *args, "--quiet"], cwd=cwd, env={**os.environ, **env})


def _lines(path: Path) -> list[dict]:
    return [json.loads(t) for t in path.read_text().splitlines() if t.strip()]


def _briefs(out: Path) -> dict[str, dict]:
    return {r["output"]: r for r in _lines(out / "briefs.jsonl")}


@pytest.mark.parametrize("name", sorted(MODELS))
def test_submit_complete_collect_gives_the_live_briefs(name, tmp_path, monkeypatch):
    src = _corpus(tmp_path / "in", 9)
    with FAKES[name]() as server:
        for k, v in _env(name, server).items():
            monkeypatch.setenv(k, v)
        summary, code = _run([src], tmp_path / "out", name, monkeypatch,
                             batch=BatchAPIOptions(poll_start=0.02, max_requests=4))
    assert code == 0 and summary.briefed == 9 and server.live_calls == 0
    assert len(server.batches) == 3  # 4 + 4 + 1: split under the (tiny) request limit
    lines = [(cid, body) for b in server.batches.values() for cid, _, body in b["lines"]]
    briefs = _briefs(tmp_path / "out")
    assert {cid for cid, _ in lines} == {r["result_key"] for r in briefs.values()}
    live_server = FakeOpenAIServer() if name == "openai" else FakeAnthropicServer()
    with live_server:
        for k, v in _env(name, live_server).items():
            monkeypatch.setenv(k, v)
        _, live_code = run_batch([str(src)], RunOptions(
            out=tmp_path / "live", use_cache=False, quiet=True, spec=spec_from_env(
                model=MODELS[name], mode="json_schema" if name == "openai" else None)))
    assert live_code == 0
    live_bodies = [r["body"] for r in live_server.requests]
    # The same request as a live call, strict schema named BriefDraft, and the same briefs.
    assert sorted(json.dumps(b, sort_keys=True) for b in live_bodies) == sorted(
        json.dumps(b, sort_keys=True) for _, b in lines)
    if name == "openai":
        assert lines[0][1]["response_format"]["json_schema"]["name"] == "BriefDraft"
        assert lines[0][1]["response_format"]["json_schema"]["strict"] is True
    else:
        assert lines[0][1]["tool_choice"] == {"type": "tool", "name": "BriefDraft"}
    live = _briefs(tmp_path / "live")
    assert {k: r["brief"] for k, r in briefs.items()} == {k: r["brief"] for k, r in live.items()}
    # The live fake is another server (base URL) and mode asked for, so another
    # configuration: its result keys differ by design (issue 29), the briefs do not.
    assert all(briefs[k]["result_key"] != live[k]["result_key"] for k in briefs)
    run = json.loads((tmp_path / "out" / "run.json").read_text())["batch_api"]
    assert run["submitted"] == 9 and run["price"] == "genai-prices batch rate"
    assert run["cost_usd"] == pytest.approx(run["live_cost_usd"] / 2, rel=0.01)


@pytest.mark.subprocess  # a real process, killed while it polls
@pytest.mark.parametrize("name", sorted(MODELS))
def test_sigkill_while_polling_then_the_rerun_resumes_the_same_batch(name, tmp_path):
    src = _corpus(tmp_path / "in", 6)
    out = tmp_path / "out"
    args = [str(src), "--out", str(out), "--model", MODELS[name], "--no-cache", "--batch-api",
            "--batch-poll-max", "0.1"]
    with FAKES[name](hold=True) as server:
        env = {**os.environ, **_env(name, server)}
        proc = subprocess.Popen([sys.executable, "-m", "summarizer", "run", *args, "--quiet"],
                                cwd=tmp_path, env=env, stdout=subprocess.DEVNULL,
                                stderr=subprocess.DEVNULL)
        deadline = time.time() + 120
        while server.polls < 3 and time.time() < deadline:
            time.sleep(0.05)
        proc.send_signal(signal.SIGKILL)
        proc.wait()
        state = json.loads((out / "batches.json").read_text())
        assert [b["id"] for b in state["batches"]] == list(server.batches)
        assert len(server.batches) == 1 and not (out / "run.json").exists()
        server.hold = False  # the provider finishes the batch while nobody watches
        rerun = _cli(args, _env(name, server), tmp_path)
    assert rerun.returncode == 0, rerun.stderr
    assert len(server.batches) == 1 and max(server.submitted.values()) == 1
    assert server.live_calls == 0
    run = json.loads((out / "run.json").read_text())
    assert run["briefed"] == 6 and run["batch_api"]["resumed"] == list(server.batches)
    assert run["batch_api"]["submitted"] == 0
    assert json.loads((out / "batches.json").read_text())["finished"] is True
    # a third run: everything is in OUT, nothing is sent
    again = _cli(args, _env(name, server), tmp_path)
    assert again.returncode == 0 and len(server.batches) == 1


@pytest.mark.parametrize("name", sorted(MODELS))
def test_failed_lines_and_invalid_answers_are_retried_once_in_a_follow_up_batch(
        name, tmp_path, monkeypatch):
    src = _corpus(tmp_path / "in", 10)
    script = ["500", "ok", "invalid", "ok", "ok", "ok", "ok", "ok", "ok", "500",  # round 1
              "ok", "ok", "500"]  # round 2: the third fails again
    with FAKES[name](line_script=script) as server:
        for k, v in _env(name, server).items():
            monkeypatch.setenv(k, v)
        summary, code = _run([src], tmp_path / "out", name, monkeypatch)
    assert code == 1 and summary.briefed == 9 and summary.failed == 1
    first, second = server.batches.values()
    retried = {cid: body for cid, _, body in second["lines"]}
    assert set(retried) == {first["lines"][i][0] for i in (0, 2, 9)}
    assert max(server.submitted.values()) == 2 and server.live_calls == 0
    # The invalid answer's retry carries the live re-ask: the failed answer and the reason.
    invalid = first["lines"][2][0]
    assert "not valid" in json.dumps(retried[invalid]["messages"][-1])
    echoed = json.dumps(retried[invalid]["messages"][-2])
    assert "headline" in echoed and "many" in echoed
    assert "not valid" not in json.dumps(retried[first["lines"][0][0]]["messages"])
    briefs = _briefs(tmp_path / "out")
    by_key = {r["result_key"]: r for r in briefs.values()}
    assert by_key[invalid]["provenance"]["usage"]["calls"] == 2  # both answers counted
    assert by_key[invalid]["provenance"]["attempts"] == 2
    errors = _lines(tmp_path / "out" / "errors.jsonl")
    assert len(errors) == 1 and "after a retry" in errors[0]["reason"]
    assert errors[0]["output"] == "story-009.txt"


def test_retry_live_sends_the_failed_lines_as_live_calls(tmp_path, monkeypatch):
    src = _corpus(tmp_path / "in", 8)
    with FakeOpenAIBatchServer(line_script=["500", "ok", "500"]) as server:
        for k, v in _env("openai", server).items():
            monkeypatch.setenv(k, v)
        summary, code = _run([src], tmp_path / "out", "openai", monkeypatch,
                             batch=BatchAPIOptions(retry="live", poll_start=0.02), mode="tools")
    assert code == 0 and summary.briefed == 8
    assert len(server.batches) == 1 and server.live_calls == 2
    report = summary.batch_api
    assert report is not None and report["live_calls"] == 2 and report["retried"] == 2
    assert report["live_retry_cost_usd"] > 0


@pytest.mark.parametrize(("name", "fate"), [("openai", "expired"), ("anthropic", "cancelled")])
def test_an_expired_or_cancelled_batch_ends_in_errors_with_its_reason(
        name, fate, tmp_path, monkeypatch):
    src = _corpus(tmp_path / "in", 6)
    with FAKES[name](batch_script=[fate]) as server:
        for k, v in _env(name, server).items():
            monkeypatch.setenv(k, v)
        summary, code = _run([src], tmp_path / "out", name, monkeypatch)
    assert code == 1 and summary.briefed == 3 and summary.failed == 3
    assert len(server.batches) == 1  # not retried
    errors = _lines(tmp_path / "out" / "errors.jsonl")
    word = "expired" if fate == "expired" else "cancelled"
    assert [e["output"] for e in errors] == [f"story-00{i}.txt" for i in (3, 4, 5)]
    assert all(word in e["reason"] and name in e["reason"] for e in errors)


def test_the_request_limits_split_batches_and_refuse_an_oversized_request(
        tmp_path, monkeypatch):
    src = _corpus(tmp_path / "in", 5)
    (src / "story-long.txt").write_text("A long story\n" + "word " * 12000, encoding="utf-8")
    with FakeOpenAIBatchServer() as server:
        for k, v in _env("openai", server).items():
            monkeypatch.setenv(k, v)
        summary, _ = _run([src], tmp_path / "out", "openai", monkeypatch,
                          batch=BatchAPIOptions(poll_start=0.02, max_bytes=30_000))
    assert summary.briefed == 5 and summary.failed == 1
    assert 1 < len(server.batches) < 5  # ~12 kB lines, two to a 30 kB batch
    (error,) = _lines(tmp_path / "out" / "errors.jsonl")
    assert error["output"] == "story-long.txt" and "over the openai batch limit" in error["reason"]


def test_backends_without_a_batch_api_are_refused_in_one_line(tmp_path, monkeypatch):
    src = _corpus(tmp_path / "in", 1)
    for backend, model in (("rules", None), (None, "gemini/gemini-2.5-flash"),
                           (None, "ollama/llama3.2")):
        monkeypatch.setenv("GEMINI_API_KEY", "k")
        with pytest.raises(ConfigurationError, match="has no batch API"):
            run_batch([str(src)], RunOptions(
                out=tmp_path / "o", spec=spec_from_env(backend=backend, model=model),
                use_cache=False, quiet=True, batch_api=FAST))
    with FakeOpenAIServer() as plain:  # OpenAI-compatible, no /batches
        res = _cli([str(src), "--out", str(tmp_path / "o2"), "--model", "some-model",
                    "--batch-api"], _env("openai", plain), tmp_path)
    assert res.returncode == 2 and plain.requests == []
    (line,) = res.stderr.strip().splitlines()
    assert "has no Batch API" in line and "HTTP 501" in line
    with FakeOpenAIBatchServer() as server:
        for k, v in _env("openai", server).items():
            monkeypatch.setenv(k, v)
        with pytest.raises(ConfigurationError, match="policy reask"):
            _run([src], tmp_path / "o3", "openai", monkeypatch, policy="reask")


def test_the_batch_price_is_the_tables_batch_rate_or_half_the_list_price():
    usage = Usage(1_000_000, 1_000_000, 1)
    listed = batch_prices("openai/gpt-4o-mini", usage, Usage())
    assert listed["price"] == "genai-prices batch rate"
    assert listed["cost_usd"] == pytest.approx(estimate_cost("gpt-4o-mini", 10**6, 10**6,
                                                             batch=True))
    assert not batch_rate_listed("o1-mini")  # priced, but no batch rate in the table
    halved = batch_prices("o1-mini", usage, Usage())
    assert halved["cost_usd"] == pytest.approx(halved["live_cost_usd"] / 2)
    assert halved["price"].startswith("50 %")
    assert batch_prices("no-such-model-x", usage, Usage())["cost_usd"] is None


def test_500_articles_with_10_percent_failed_lines(tmp_path, capsys):
    """The issue's check: every article briefed or in errors.jsonl, each submitted at most
    twice, no live call, and run.json shows the batch price."""
    n = 500
    src = _corpus(tmp_path / "in", n)
    out = tmp_path / "out"
    with FakeOpenAIBatchServer(line_rates={"500": 0.1}, line_seed=7) as server:
        started = time.perf_counter()
        res = _cli([str(src), "--out", str(out), "--model", MODELS["openai"], "--no-cache",
                    "--batch-api", "--batch-poll-max", "0.2"], _env("openai", server), tmp_path)
        wall = time.perf_counter() - started
    assert res.returncode in (0, 1), res.stderr
    briefed = {r["output"] for r in _lines(out / "briefs.jsonl")}
    failed = {e["output"] for e in _lines(out / "errors.jsonl")}
    assert len(briefed) + len(failed) == n and not briefed & failed
    assert max(server.submitted.values()) <= 2 and len(server.submitted) == n
    assert server.live_calls == 0
    run = json.loads((out / "run.json").read_text())
    report = run["batch_api"]
    assert report["price"] == "genai-prices batch rate" and report["cost_usd"] > 0
    assert run["estimated_cost_usd"] == report["cost_usd"] < report["live_cost_usd"]
    first_failed = sum(1 for b in list(server.batches.values())[:1] for _, f, _ in b["lines"]
                       if f == "500")
    with capsys.disabled():
        print(f"\n500 articles via --batch-api, 10 % failed lines: {len(briefed)} briefed, "
              f"{len(failed)} in errors.jsonl; {len(server.batches)} batches; "
              f"{first_failed} failed lines retried; submitted at most "
              f"{max(server.submitted.values())}x; live calls {server.live_calls}; "
              f"${report['cost_usd']:.4f} batch vs ${report['live_cost_usd']:.4f} live "
              f"({report['price']}); {wall:.1f}s")
