"""The result key holds every setting that changes a request or its answer: a run after a
change of structured-output mode, of server (base URL), or of the local model's context size
makes new calls instead of answering from the cache; the same settings again do not."""

from __future__ import annotations

import json
from pathlib import Path

from summarizer.backends.local import LocalBackend
from summarizer.backends.openai import OpenAIBackend
from summarizer.batch import RunOptions, RunSummary, run_batch
from summarizer.testing import FakeOpenAIServer, _fake_brief


def _corpus(folder: Path) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    for i in range(3):
        (folder / f"s{i}.txt").write_text(f"Story {i}\n\nPolice arrested {i + 2} men.\n",
                                          encoding="utf-8")
    return folder


def _run(src: Path, tmp: Path, backend, tag: str) -> RunSummary:  # noqa: ANN001
    summary, code = run_batch([str(src)], RunOptions(out=tmp / f"out-{tag}", quiet=True,
                                                     cache_dir=tmp / "cache"), backend=backend)
    assert code == 0
    return summary


def test_another_mode_makes_new_calls(tmp_path):
    src = _corpus(tmp_path / "in")
    with FakeOpenAIServer() as server:
        def backend(mode: str) -> OpenAIBackend:
            return OpenAIBackend(model="m", base_url=server.url, api_key="x", mode=mode)

        assert _run(src, tmp_path, backend("tools"), "a").briefed == 3
        assert _run(src, tmp_path, backend("tools"), "b").cached == 3  # same mode: cached
        again = _run(src, tmp_path, backend("json_schema"), "c")
    assert again.briefed == 3 and again.cached == 0
    assert sum("response_format" in r["body"] for r in server.requests) == 3


def test_another_server_makes_new_calls(tmp_path):
    src = _corpus(tmp_path / "in")
    with FakeOpenAIServer() as first, FakeOpenAIServer() as second:
        for server, tag in ((first, "a"), (first, "b"), (second, "c")):
            _run(src, tmp_path, OpenAIBackend(model="m", base_url=server.url, api_key="x",
                                              mode="tools"), tag)
    assert len(first.requests) == 3  # its second run came from the cache
    assert len(second.requests) == 3  # same model name, another server: asked again


class _FakeLocal(LocalBackend):
    """The local backend's own flow (prepare, context, key) over canned answers."""

    def __init__(self, n_ctx: int = 0) -> None:
        super().__init__(model_path=Path("fake.gguf"), n_ctx=n_ctx, n_threads=1)
        self.calls = 0

    def _prompt_tokens(self, messages) -> int:  # noqa: ANN001
        return sum(len(str(m["content"])) // 4 + 8 for m in messages)

    def _complete(self, messages, settings, grammar):  # noqa: ANN001
        self.calls += 1
        return {"choices": [{"message": {"content": json.dumps(_fake_brief(messages))},
                             "finish_reason": "stop"}], "usage": {}}

    def grammar(self, article=None):  # noqa: ANN001
        return None, ""


def test_another_local_context_size_makes_new_calls(tmp_path):
    src = _corpus(tmp_path / "in")
    first, same, other = _FakeLocal(4096), _FakeLocal(4096), _FakeLocal(8192)
    _run(src, tmp_path, first, "a")
    _run(src, tmp_path, same, "b")
    _run(src, tmp_path, other, "c")
    assert (first.calls, same.calls, other.calls) == (3, 0, 3)


def test_an_auto_sized_context_is_known_before_the_cache_is_read(tmp_path):
    """prepare() sizes the window from the run's articles before any key is made: the same
    articles again are cached; a longer one that widens the window is a new configuration."""
    src = _corpus(tmp_path / "in")
    first, again = _FakeLocal(), _FakeLocal()
    _run(src, tmp_path, first, "a")
    _run(src, tmp_path, again, "b")
    assert first.n_ctx == again.n_ctx > 0 and (first.calls, again.calls) == (3, 0)
    (src / "long.txt").write_text("A long story\n\n" + "Word " * 3000, encoding="utf-8")
    wider = _FakeLocal()
    _run(src, tmp_path, wider, "c")
    assert wider.n_ctx > first.n_ctx and wider.calls == 4
