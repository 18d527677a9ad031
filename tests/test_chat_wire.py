"""Reading answers: a brief whose strings carry raw control characters (llama.cpp's schema
grammars allow them) is read as it is; a brief that is not whole is still refused."""

from __future__ import annotations

import json

import pytest

from summarizer.backends.chat_wire import InvalidAnswer, parse_answer

BRIEF = {"headline": "Flood in the valley", "summary": "Two people drowned.\tLater found.",
         "actors": [], "casualties": [], "arrests": [],
         "diplomatic_significance": {"level": "none", "summary": "", "parties": [],
                                     "evidence": []}}


def _answer(content: str) -> dict[str, object]:
    return {"choices": [{"message": {"content": content}, "finish_reason": "stop"}]}


def test_raw_control_characters_inside_strings_are_read() -> None:
    raw = json.dumps(BRIEF).replace("\\t", "\t").replace("drowned.", "drowned.\n")
    with pytest.raises(json.JSONDecodeError):
        json.loads(raw)  # strict JSON refuses it ...
    draft, _ = parse_answer(_answer(raw), "json_schema")  # ... the brief is whole
    assert draft.summary.startswith("Two people drowned.\n")


def test_a_broken_or_invalid_brief_is_still_refused() -> None:
    with pytest.raises(InvalidAnswer, match="headline"):
        parse_answer(_answer(json.dumps({**BRIEF, "headline": 42})), "json_schema")
    with pytest.raises(InvalidAnswer):
        parse_answer(_answer(json.dumps(BRIEF)[:-5] + "\n"), "json_schema")
