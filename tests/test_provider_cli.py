"""`summarizer run --model PROVIDER/MODEL` as a user runs it (in process, tests/cli.py), with the
provider's base-URL variable at a loopback fake, so nothing reaches a paid API. Also: a
model string without a provider prefix still goes to the OpenAI-compatible server, prices
come from the maintained table, and an unknown price is never $0."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from summarizer.testing import FakeOpenAIServer
from summarizer.testing_providers import FakeAnthropicServer, FakeGeminiServer, FakeOllamaServer

from .cli import run_cli

MODELS = {"anthropic": "anthropic/claude-haiku-4-5", "gemini": "gemini/gemini-2.5-flash",
          "ollama": "ollama/llama3.2"}
FAKES = {"anthropic": FakeAnthropicServer, "gemini": FakeGeminiServer,
         "ollama": FakeOllamaServer}


def _env(name: str, server) -> dict[str, str]:
    env = dict(os.environ)  # conftest has scrubbed every provider's variables
    if name == "anthropic":
        env.update(ANTHROPIC_BASE_URL=server.url, ANTHROPIC_API_KEY="test-key")
    elif name == "gemini":
        env.update(GOOGLE_GEMINI_BASE_URL=server.url, GEMINI_API_KEY="test-key")
    elif name == "ollama":
        env.update(OLLAMA_HOST=server.host)
    else:
        env.update(OPENAI_BASE_URL=server.url, OPENAI_API_KEY="sk-test-fake")
    return env


def _run(args, env, cwd):
    return run_cli(["run", *args, "--quiet"], cwd=cwd, env=env)


def _corpus(folder: Path, n: int = 2) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    for i in range(n):
        (folder / f"story-{i}.txt").write_text(
            f"Story number {i} in the corpus\nPolice said {i + 1} people were arrested.\n",
            encoding="utf-8")
    return folder


def _briefs(out: Path) -> list[dict]:
    """briefs.jsonl's rows by output (they are appended in completion order)."""
    rows = [json.loads(line) for line in (out / "briefs.jsonl").read_text().splitlines()]
    return sorted(rows, key=lambda r: r["output"])


@pytest.mark.parametrize("name", sorted(MODELS))
def test_a_provider_prefix_alone_gives_valid_briefs_then_replays_them(name, tmp_path):
    articles = _corpus(tmp_path / "in")
    recordings = tmp_path / "recordings"
    with FAKES[name]() as server:
        done = _run([str(articles), "--out", str(tmp_path / "out"), "--model", MODELS[name],
                     "--no-cache", "--record", "--recordings", str(recordings)],
                    _env(name, server), tmp_path)
    assert done.returncode == 0, done.stderr
    assert len(server.requests) == 2
    briefs = _briefs(tmp_path / "out")
    assert [b["brief"]["headline"] for b in briefs] == ["Story number 0 in the corpus",
                                                        "Story number 1 in the corpus"]
    assert {(b["provenance"]["backend"], b["provenance"]["model"]) for b in briefs} == {
        (name, MODELS[name])}
    run = json.loads((tmp_path / "out" / "run.json").read_text())
    assert run["model_calls"] == 2 and run["model"] == MODELS[name]
    if name == "ollama":
        assert run["estimated_cost_usd"] is None  # a self-hosted server: no list price
        assert run["cost_status"] == "unknown"
    else:
        assert run["estimated_cost_usd"] > 0  # from the maintained table
        assert run["cost_status"] == "priced"
        assert run["cached_tokens"] == 80  # the fakes report 40 cached tokens a call
    # Replay: the server is gone and no key is set; the same briefs come back.
    env = {k: v for k, v in _env(name, server).items() if not k.endswith("_API_KEY")}
    again = _run([str(articles), "--out", str(tmp_path / "again"), "--model", MODELS[name],
                  "--no-cache", "--replay", "--recordings", str(recordings)], env, tmp_path)
    assert again.returncode == 0, again.stderr
    assert [b["brief"] for b in _briefs(tmp_path / "again")] == [b["brief"] for b in briefs]


def test_an_org_model_name_still_goes_to_the_openai_compatible_server(tmp_path):
    articles = _corpus(tmp_path / "in", 1)
    with FakeOpenAIServer() as server:
        done = _run([str(articles), "--out", str(tmp_path / "out"), "--no-cache", "--mode",
                     "tools", "--model", "meta-llama/Llama-3.1-8B-Instruct"],
                    _env("openai", server), tmp_path)
    assert done.returncode == 0, done.stderr
    assert [r["body"]["model"] for r in server.requests] == ["meta-llama/Llama-3.1-8B-Instruct"]
    run = json.loads((tmp_path / "out" / "run.json").read_text())
    assert run["backend"] == "openai" and run["estimated_cost_usd"] is None  # unknown, not $0
    assert run["cost_status"] == "unknown"


def test_dry_run_prices_from_the_table_and_max_cost_refuses_an_unknown_price(tmp_path):
    articles = _corpus(tmp_path / "in", 1)
    with FakeAnthropicServer() as server:
        dry = _run([str(articles), "--dry-run", "--model", MODELS["anthropic"]],
                   _env("anthropic", server), tmp_path)
    assert dry.returncode == 0, dry.stderr
    assert "~$0.0" in dry.stdout and "unknown price" not in dry.stdout
    assert "with anthropic/claude-haiku-4-5; no model called" in dry.stdout
    assert server.requests == []  # no model called
    with FakeOllamaServer() as server:
        refused = _run([str(articles), "--out", str(tmp_path / "out"), "--max-cost", "1",
                        "--model", MODELS["ollama"]], _env("ollama", server), tmp_path)
        unknown = _run([str(articles), "--dry-run", "--model", MODELS["ollama"]],
                       _env("ollama", server), tmp_path)
    assert refused.returncode == 2 and server.requests == []
    assert refused.stderr.strip().count("\n") == 0  # one line
    assert "--max-cost: no price known for model 'ollama/llama3.2'" in refused.stderr
    assert "unknown price" in unknown.stdout
    free = _run([str(articles), "--dry-run", "--backend", "rules"], dict(os.environ), tmp_path)
    assert "$0 (in process)" in free.stdout
