"""The library's article argument (issue 28): a str is the article's text, a file is a
pathlib.Path, and nothing else is guessed at."""

from __future__ import annotations

import asyncio
from pathlib import Path

import pytest

from summarizer import article as article_module
from summarizer.errors import ArticleError
from summarizer.pipeline import asummarize, summarize

TEXT = "Flood in Porto Alegre\nRescuers found 3 bodies on Monday."


def test_a_path_is_read_and_a_str_is_text(seed_path: Path) -> None:
    assert summarize(seed_path, backend="rules").id == "palmyra-condolences"
    brief = summarize(TEXT, backend="rules")
    assert brief.title == "Flood in Porto Alegre" and brief.source == "<text>"
    assert asyncio.run(asummarize(seed_path, backend="rules")).id == "palmyra-condolences"


@pytest.mark.parametrize("call", [summarize, asummarize])
def test_a_str_naming_a_file_is_refused_and_never_read(call, tmp_path: Path,
                                                      monkeypatch: pytest.MonkeyPatch) -> None:
    secret = tmp_path / "passwd"
    secret.write_text("root:x:0:0:root:/root:/bin/bash\n", encoding="utf-8")
    reads: list[object] = []
    monkeypatch.setattr(article_module, "read_bytes", lambda *a, **k: reads.append(a))
    with pytest.raises(TypeError) as caught:
        result = call(str(secret), backend="rules")
        if asyncio.iscoroutine(result):
            asyncio.run(result)
    message = str(caught.value)
    assert f"pathlib.Path({str(secret)!r})" in message and call.__name__ in message
    assert reads == []
    with pytest.raises(ArticleError, match="no such file"):  # a path-like str, no such file
        result = call(str(tmp_path / "missing.txt"), backend="rules")
        if asyncio.iscoroutine(result):
            asyncio.run(result)


@pytest.mark.parametrize("bad,name", [(None, "NoneType"), (b"Raid in Lagos", "bytes"),
                                      (42, "int")])
@pytest.mark.parametrize("call", [summarize, asummarize])
def test_a_wrong_type_names_the_argument_and_the_types_it_takes(call, bad, name) -> None:
    with pytest.raises(TypeError) as caught:
        result = call(bad, backend="rules")
        if asyncio.iscoroutine(result):
            asyncio.run(result)
    message = str(caught.value)
    assert message.startswith(f"{call.__name__}(): article must be")
    assert "Article" in message and "str" in message and "pathlib.Path" in message
    assert message.endswith(f"not {name}")
