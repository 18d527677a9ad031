"""The openai backend end to end against llama.cpp's own OpenAI-compatible server
(`python -m llama_cpp.server`) serving the bundled model on 127.0.0.1: a real HTTP peer."""

import pytest

from summarizer.backends import openai as openai_backend
from summarizer.backends.base import Settings
from summarizer.backends.openai import OpenAIBackend
from summarizer.pipeline import summarize
from summarizer.testing import LlamaServer

pytest.importorskip("llama_cpp.server")


@pytest.fixture(scope="module")
def llama_server():
    with LlamaServer() as server:
        yield server


def test_probe_then_tools_mode_then_a_valid_brief(llama_server, seed_path, monkeypatch):
    openai_backend.forget_probes()  # this server is probed afresh
    backend = OpenAIBackend(model="smollm2-135m-instruct", base_url=llama_server.url,
                            api_key="not-needed")
    result = summarize(seed_path, backend=backend, settings=Settings(max_tokens=1024))
    assert backend.mode == "tools"  # the server answered 500 to json_schema
    assert result.provenance.backend == "openai" and result.provenance.mode == "tools"
    assert result.provenance.usage["calls"] >= 1
    assert result.provenance.usage["prompt_tokens"] > 500
    assert result.brief.headline
    for cas in result.brief.casualties:  # bounded by pydantic whatever the server's grammar
        for count in (cas.killed, cas.wounded):
            assert count is None or 0 <= count.value <= 100_000
