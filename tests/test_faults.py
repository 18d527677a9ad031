"""A batch through a flaky server: `summarizer run` (in process, 4 or 64 in flight) over 30
articles against a fake OpenAI-compatible server that injects faults at a 20 % rate: 429 with
Retry-After, 500, hangs past the client's timeout, truncated bodies, schema-invalid JSON.

Every article must end briefed or in errors.jsonl with a one-line reason, none lost, none
duplicated, and run.json must count exactly the retries the server's faults caused.

With `--max-reasks 0` an invalid answer is final, so for a fixed seed the sequence of faults
the server draws is fixed too (it draws in arrival order, whichever worker asks): this seed
serves every kind of fault at least once.
"""

import json
import os

import pytest
from tenacity import wait_random_exponential as real_wait

from summarizer.backends import retry
from summarizer.testing import FakeOpenAIServer

from .cli import run_cli

N = 30
RATES = {"429": 0.04, "500": 0.04, "hang": 0.03, "truncated": 0.04, "invalid": 0.05}
SEED = 12
TRANSIENT = ("429", "500", "hang", "truncated")  # retried by the transport loop


def _json_lines(path):
    return [json.loads(line) for line in path.read_text().splitlines() if line.strip()]


@pytest.mark.parametrize("concurrency", [4, 64])
def test_faulty_server_loses_and_duplicates_nothing(tmp_path, concurrency, monkeypatch):
    # The backoff between transport retries through its seam: the same policy, in
    # milliseconds rather than the half-second steps a real server is given.
    monkeypatch.setattr(retry, "wait_random_exponential",
                        lambda multiplier, max: real_wait(multiplier=0.005, max=0.05))
    src = tmp_path / "in"
    src.mkdir()
    for i in range(N):
        (src / f"story-{i:02d}.txt").write_text(
            f"Story number {i} in the corpus\nPolice said {i + 1} people were arrested in "
            f"district {i}.\n", encoding="utf-8")
    out = tmp_path / "out"
    # Short waits: Retry-After 0.05 s, a 0.5 s client timeout against 1 s hangs.
    with FakeOpenAIServer(rates=RATES, seed=SEED, retry_after=0.05, hang_seconds=1) as server:
        env = {**os.environ, "OPENAI_BASE_URL": server.url, "OPENAI_API_KEY": "sk-test-fake"}
        res = run_cli(["run", str(src), "--out", str(out), "--no-cache", "--mode", "tools",
                       "--quiet", "--concurrency", str(concurrency), "--timeout", "0.5",
                       "--max-reasks", "0"], cwd=tmp_path, env=env)
    assert res.returncode in (0, 1), res.stderr
    served = server.served
    assert all(served[kind] >= 1 for kind in RATES), served
    assert sum(served.values()) == len(server.requests)

    briefs = _json_lines(out / "briefs.jsonl")
    errors = _json_lines(out / "errors.jsonl")
    briefed = [b["output"] for b in briefs]
    failed = [e["output"] for e in errors]
    expected = {f"story-{i:02d}.txt" for i in range(N)}
    # none lost, none duplicated, none both briefed and failed
    assert len(briefed) == len(set(briefed)) and len(failed) == len(set(failed))
    assert set(briefed) | set(failed) == expected and not set(briefed) & set(failed)
    # each brief is its own article's (no answers crossed between workers)
    for b in briefs:
        n = int(b["output"][6:8])
        assert b["brief"]["headline"] == f"Story number {n} in the corpus"
    for e in errors:
        assert e["reason"] and "\n" not in e["reason"] and e["stage"] == "extract"
        assert e["reason"].startswith("no valid brief after 1 attempt(s)")
    assert sorted(p.name for p in (out / "briefs").rglob("*.json")) == \
        sorted(f"{k}.json" for k in briefed)

    run = json.loads((out / "run.json").read_text())
    assert (run["found"], run["briefed"], run["failed"]) == (N, len(briefed), len(failed))
    assert res.returncode == (1 if failed else 0)
    # consistent with what the server saw: every 200 is a model call; every ok one brief;
    # every invalid one error (no re-asks); every transient fault one transport retry
    assert run["model_calls"] == served["ok"] + served["invalid"]
    assert run["briefed"] == served["ok"] and run["failed"] == served["invalid"]
    assert run["transport_retries"] == sum(served[k] for k in TRANSIENT) > 0
