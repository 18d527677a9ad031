"""Chat-completions requests and answers, as plain data: building the JSON body for one brief
in a structured-output mode, and reading an answer for the re-ask loop (reask.py). No I/O
here, so a live call, a provider batch (many bodies built the same way, answers parsed
later) and a replay share one definition of the wire.

Modes:
  json_schema  `response_format` json_schema, `strict: true`, the wire schema (wire_schema.py)
  tools        one forced tool call whose parameters are the draft's JSON Schema
  json         `response_format` json_object, the schema stated in the system message
  md_json      no response format; the schema stated, the answer read from a ```json block
"""

from __future__ import annotations

import json
import re
from functools import cache
from typing import Any

from ..brief import BriefDraft
from .base import Message, Settings, Usage
from .reask import Answer, Reask
from .wire_schema import strict_response_format

MODES = ("json_schema", "tools", "json", "md_json")
TOOL = BriefDraft.__name__
_FENCE = re.compile(r"```(?:json)?\s*(.*?)```", re.S)


class InvalidAnswer(Exception):
    """An answer that holds no valid draft; `why` names the field and the problem."""

    def __init__(self, why: str, raw: str | None, *, invalid: bool = False) -> None:
        self.why = why
        self.raw = raw
        self.invalid = invalid  # whole JSON that failed validation: salvage may keep it
        super().__init__(why)


@cache
def tool_spec() -> dict[str, Any]:
    """The forced tool: the draft's schema as function parameters (built once; ~10 ms), in
    the shape instructor gives it (no title or description inside, `required` sorted), so
    requests recorded through instructor still replay."""
    schema = BriefDraft.model_json_schema()
    params = {k: v for k, v in schema.items() if k not in ("title", "description")}
    params["required"] = sorted(params.get("required", []))
    return {"type": "function", "function": {
        "name": TOOL, "description": (BriefDraft.__doc__ or "").strip(), "parameters": params}}


@cache
def _schema_note() -> str:
    schema = json.dumps(BriefDraft.model_json_schema(), separators=(",", ":"))
    return ("\n\nAnswer with one JSON object, and nothing else, that matches this JSON "
            f"Schema:\n{schema}")


def request_body(model: str, messages: list[Message], settings: Settings,
                 mode: str) -> dict[str, Any]:
    """The JSON body of one chat-completions request for a brief."""
    body: dict[str, Any] = {"model": model, "messages": messages,
                            "max_tokens": settings.max_tokens,
                            "temperature": settings.temperature, "seed": settings.seed}
    if mode == "json_schema":
        body["response_format"] = strict_response_format(BriefDraft)
    elif mode == "tools":
        body["tools"] = [tool_spec()]
        body["tool_choice"] = {"type": "function", "function": {"name": TOOL}}
    elif mode in ("json", "md_json"):
        first, rest = messages[0], messages[1:]
        body["messages"] = [{**first, "content": str(first["content"]) + _schema_note()},
                            *rest]
        if mode == "json":
            body["response_format"] = {"type": "json_object"}
    else:
        raise ValueError(f"unknown mode {mode!r}")
    return body


def answer_text(data: dict[str, Any], mode: str) -> str | None:
    """The text that should hold the draft: tool arguments or message content."""
    choices = data.get("choices") or []
    if not choices:
        return None
    message = choices[0].get("message") or {}
    calls = message.get("tool_calls") or []
    if calls:
        return str(calls[0].get("function", {}).get("arguments") or "")
    content = message.get("content")
    if content is None:
        return None
    if mode == "md_json" and (fence := _FENCE.search(content)):
        return fence.group(1)
    return str(content)


def read_answer(data: dict[str, Any], mode: str) -> Answer:
    """One answer as the re-ask loop (reask.py) reads it; a forced tool call is echoed back
    as that call, the note as the tool's result."""
    choice = (data.get("choices") or [{}])[0]
    calls = (choice.get("message") or {}).get("tool_calls") or []
    turns = None
    if mode == "tools" and calls:
        call = calls[0]

        def turns(note: str) -> list[Message]:
            return [{"role": "assistant", "content": None, "tool_calls": [call]},
                    {"role": "tool", "tool_call_id": call.get("id", "call_0"), "content": note}]

    return Answer(answer_text(data, mode), usage_of(data),
                  truncated=choice.get("finish_reason") == "length", turns=turns)


def parse_answer(data: dict[str, Any], mode: str) -> tuple[BriefDraft, str]:
    """(draft, raw text) from one answer; InvalidAnswer when there is no valid draft."""
    attempts: Reask[BriefDraft] = Reask([], Settings(max_reasks=0))
    attempts.next()
    attempts.take(read_answer(data, mode))
    if attempts.value is None:
        raise InvalidAnswer(attempts.error, attempts.raw or None, invalid=attempts.invalid)
    return attempts.value, attempts.raw


def usage_of(data: dict[str, Any]) -> Usage:
    """One call's token usage (cached prompt tokens included in prompt_tokens)."""
    u = data.get("usage") or {}
    return Usage(int(u.get("prompt_tokens") or 0), int(u.get("completion_tokens") or 0), 1)
