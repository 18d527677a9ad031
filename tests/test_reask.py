"""The one re-ask loop (backends/reask.py): every provider, the OpenAI-compatible backend and
the local model send the same re-ask -- the prompt, the failed answer as the model wrote it,
then the error -- each checked here against its loopback fake (or, for the local model,
canned completions: no model is loaded)."""

from __future__ import annotations

import asyncio
import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from summarizer import summarize
from summarizer.backends.base import Settings, Usage
from summarizer.backends.local import LocalBackend
from summarizer.backends.openai import OpenAIBackend
from summarizer.backends.reask import Answer, Reask, note
from summarizer.errors import ExtractionFailed
from summarizer.testing import FakeOpenAIServer
from summarizer.testing_providers import FakeAnthropicServer, FakeGeminiServer, FakeOllamaServer

from .conftest import SEED
from .test_providers import _backend as _provider_backend

FAILED = {"headline": 42, "casualties": "many"}  # what every fake answers for "invalid"


class _ScriptedLocal(LocalBackend):
    """The local backend's loop over canned completions: an invalid brief every time."""

    def __init__(self) -> None:
        super().__init__(model_path=Path("scripted.gguf"), n_ctx=4096, n_threads=1)
        self.asked: list[list[dict[str, Any]]] = []

    def _grow_context(self, messages, settings):  # noqa: ANN001
        return None

    def _prompt_tokens(self, messages) -> int:  # noqa: ANN001
        return 100

    def _complete(self, messages, settings, grammar):  # noqa: ANN001
        self.asked.append(messages)
        return {"choices": [{"message": {"content": json.dumps(FAILED)},
                             "finish_reason": "stop"}],
                "usage": {"prompt_tokens": 10, "completion_tokens": 5}}

    def grammar(self, article=None):  # noqa: ANN001
        return None, ""


def _strings(node: Any) -> Iterator[str]:
    if isinstance(node, str):
        yield node
    elif isinstance(node, dict):
        for value in node.values():
            yield from _strings(value)
    elif isinstance(node, list):
        for value in node:
            yield from _strings(value)


def _echoes_failed(text: str) -> bool:
    try:
        return bool(json.loads(text) == FAILED)
    except ValueError:
        return False


def _second_request(name: str) -> Any:
    """The body of the re-ask that followed one invalid answer."""
    settings = Settings(max_reasks=1)
    if name == "local":
        local = _ScriptedLocal()
        with pytest.raises(ExtractionFailed):
            summarize(SEED, backend=local, settings=settings)
        return local.asked[1]
    if name.startswith("openai"):
        mode = name.partition(":")[2]
        with FakeOpenAIServer(script=["invalid", "ok"]) as server:
            backend = OpenAIBackend(model="fake-model", base_url=server.url, api_key="sk-test",
                                    mode=mode)
            summarize(SEED, backend=backend, settings=settings)
        return server.requests[1]["body"]
    fake = {"anthropic": FakeAnthropicServer, "gemini": FakeGeminiServer,
            "ollama": FakeOllamaServer}[name]
    with fake(script=["invalid", "ok"]) as server:
        backend, _ = _provider_backend(name, server)
        summarize(SEED, backend=backend, settings=settings)
    return server.requests[1]["body"]


EVERY = ["anthropic", "gemini", "ollama", "openai:json_schema", "openai:tools", "local"]


@pytest.mark.parametrize("name", EVERY)
def test_the_reask_carries_the_failed_answer_and_the_error(name):
    texts = list(_strings(_second_request(name)))
    assert any(_echoes_failed(t) for t in texts), "the failed answer is sent back"
    notes = [t for t in texts if t.startswith("That brief is not valid: ")]
    assert len(notes) == 1 and "headline" in notes[0] and "casualties" in notes[0]


def test_every_provider_sends_the_same_note():
    def the_note(name: str) -> str:
        texts = _strings(_second_request(name))
        return next(t for t in texts if t.startswith("That brief is not valid: "))

    notes = {name: the_note(name) for name in EVERY}
    assert len(set(notes.values())) == 1, notes


def test_a_reask_shows_only_the_last_failure_and_salvage_runs_once_after():
    loop: Reask[Any] = Reask([{"role": "user", "content": "brief this"}], Settings(max_reasks=2))
    cut = Answer('{"headline": "x"', Usage(1, 1, 1), truncated=True)
    wrong = Answer(json.dumps(FAILED), Usage(1, 1, 1))
    assert loop.next() == [{"role": "user", "content": "brief this"}]
    loop.take(cut)
    second = loop.next()
    assert second is not None and second[1]["content"] == '{"headline": "x"'
    assert "cut off at max_tokens=" in second[2]["content"]
    loop.take(wrong)
    third = loop.next()
    assert third is not None and len(third) == 3  # the prompt, the last answer, its error
    assert third[2]["content"] == note(loop.error)
    loop.take(wrong)
    assert loop.next() is None
    with pytest.raises(ExtractionFailed) as err:
        loop.finish()
    assert err.value.attempts == 3 and err.value.usage.calls == 3  # type: ignore[union-attr]



class _SmallWindow(_ScriptedLocal):
    """An 8,192-token window and four characters a token: an echo of a long answer
    overflows it."""

    def __init__(self, answer: str) -> None:
        super().__init__()
        self.n_ctx, self.answer = 8192, answer

    def count_tokens(self, text: str) -> int:
        return len(text) // 4

    def _prompt_tokens(self, messages) -> int:  # noqa: ANN001
        return sum(self.count_tokens(str(m["content"] or "")) + 8 for m in messages)

    def _complete(self, messages, settings, grammar):  # noqa: ANN001
        self.asked.append(messages)
        return {"choices": [{"message": {"content": self.answer}, "finish_reason": "stop"}],
                "usage": {"prompt_tokens": 10, "completion_tokens": 5}}


def test_the_local_reask_cuts_an_echo_that_would_overflow_the_window():
    answer = json.dumps({**FAILED, "summary": "word " * 8000})  # ~10,000 tokens
    local = _SmallWindow(answer)
    settings = Settings(max_reasks=1, max_tokens=256)
    with pytest.raises(ExtractionFailed):
        summarize(SEED, backend=local, settings=settings)
    echo = local.asked[1][-2]["content"]
    assert 0 < len(echo) < len(answer) and answer.startswith(echo)
    assert local._prompt_tokens(local.asked[1]) + 256 + 64 <= local.n_ctx == 8192


def test_raw_control_characters_are_read_for_servers_not_for_the_local_model():
    """The local model's answers are read strictly, as its recorded evals were (the eval
    gate replays them); a server's are read leniently (chat_wire's reading)."""
    from .test_chat_wire import BRIEF

    raw = json.dumps(BRIEF).replace("drowned.", "drowned.\n")
    for lenient, valid in ((True, True), (False, False)):
        loop: Reask[Any] = Reask([], Settings(max_reasks=0), lenient=lenient)
        loop.next()
        loop.take(Answer(raw, Usage(1, 1, 1)))
        assert (loop.value is not None) is valid


@pytest.mark.parametrize("name", ["anthropic", "gemini", "ollama", "openai"])
def test_summarize_works_inside_a_running_event_loop(name):
    """A Jupyter cell runs in an event loop: the sync call must still work there."""
    async def cell() -> str:
        if name == "openai":
            with FakeOpenAIServer() as server:
                backend = OpenAIBackend(model="fake-model", base_url=server.url,
                                        api_key="sk-test", mode="tools")
                return summarize(SEED, backend=backend).brief.headline
        fake = {"anthropic": FakeAnthropicServer, "gemini": FakeGeminiServer,
                "ollama": FakeOllamaServer}[name]
        with fake() as server:
            backend, _ = _provider_backend(name, server)
            return summarize(SEED, backend=backend).brief.headline

    assert asyncio.run(cell()).startswith("Syrian President Al-Sharaa")
