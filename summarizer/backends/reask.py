"""The one validation re-ask loop: every remote provider, the OpenAI-compatible backend, the
local model and the Batch APIs read answers through it.

An answer that does not validate, or that max_tokens cut off, is asked again at most
`settings.max_reasks` times. Every re-ask is the same: the original prompt, then the failed
answer as the model wrote it, then one turn naming what is wrong (the field paths pydantic
reports). Only the last failure is shown, so a re-ask is never longer than the prompt plus
one answer and one note. After the last re-ask, salvage (summarizer/salvage.py) may keep a
last answer that was whole but invalid; nothing else does.

A caller sends what `next()` gives, hands the answer to `take()`, and calls `finish()` once
`next()` is None. How an answer reaches the loop (`Answer`) is the codec's business: its
text, usage, whether it was cut off, and the wire form of the turns that echo it (an OpenAI
tool call is echoed as a tool call, with the note as the tool's result).
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Generic, TypeVar

from pydantic import BaseModel, ValidationError

from ..brief import BriefDraft, Flag
from ..errors import ExtractionFailed, describe_validation_error
from ..salvage import salvage
from .base import Extraction, Message, Settings, Usage

M = TypeVar("M", bound=BaseModel)
Turns = Callable[[str], list[Message]]  # the note -> the turns that echo an answer with it


def note(why: str) -> str:
    """The turn that tells the model what was wrong with its answer."""
    return (f"That brief is not valid: {why}. Write the whole brief again, correctly, "
            "with every quote copied word for word from the article.")


@dataclass
class Answer:
    """One reply as the loop reads it."""

    text: str | None  # the text that should hold the draft; None: the reply held none
    usage: Usage
    truncated: bool = False  # max_tokens cut it off
    turns: Turns | None = None  # None: an assistant turn with `text`, then a user turn

    def echo(self, why: str) -> list[Message]:
        if self.turns is not None:
            return self.turns(note(why))
        return [{"role": "assistant", "content": self.text or ""},
                {"role": "user", "content": note(why)}]


def validate(model: type[M], text: str, lenient: bool = True) -> M:
    """`text` as `model`; when `lenient`, a JSON string holding a raw newline or tab (which
    llama.cpp's schema grammars let through) is read leniently once. ValidationError
    otherwise."""
    try:
        return model.model_validate_json(text)
    except ValidationError as exc:
        if not lenient or not any(e.get("type") == "json_invalid" for e in exc.errors()):
            raise
        try:
            return model.model_validate(json.loads(text, strict=False))
        except ValueError:
            raise exc from None


@dataclass
class Outcome(Generic[M]):
    """What the loop ended with: a valid (or salvaged) value and what it took."""

    value: M
    usage: Usage
    attempts: int
    raw: str
    notes: list[str] = field(default_factory=list)
    flags: list[Flag] = field(default_factory=list)  # salvage's, when it kept the answer

    def extraction(self: Outcome[BriefDraft], model: str, mode: str,
                   notes: list[str] | None = None) -> Extraction:
        return Extraction(draft=self.value, usage=self.usage, attempts=self.attempts,
                          model=model, mode=mode, raw=self.raw,
                          notes=[*(notes or []), *self.notes], flags=self.flags)


class Reask(Generic[M]):
    """One conversation's attempts: the messages of each, each answer read, the outcome."""

    def __init__(self, messages: list[Message], settings: Settings,
                 model: type[M] = BriefDraft,  # type: ignore[assignment]
                 lenient: bool = True) -> None:
        """`lenient`: read raw control characters in JSON strings (see `validate`); the
        local model's answers are read strictly, as its recorded evals were."""
        self.messages, self.settings, self.model = messages, settings, model
        self.lenient = lenient
        self.usage = Usage()
        self.count = 0
        self.error = ""
        self.raw = ""
        self.value: M | None = None
        self.invalid = False  # the last answer was whole but did not validate
        self._followup: list[Message] = []

    def next(self) -> list[Message] | None:
        """The messages of the next attempt; None when done (valid, or out of re-asks)."""
        if self.value is not None or self.count > self.settings.max_reasks:
            return None
        self.count += 1
        return [*self.messages, *self._followup]

    def take(self, answer: Answer) -> None:
        self.usage = self.usage + answer.usage
        self.raw = answer.text or ""
        self.invalid = False
        if answer.truncated:
            self.error = (f"the output was cut off at max_tokens={self.settings.max_tokens}: "
                          "write a shorter brief, with fewer records and shorter quotes")
        elif answer.text is None:
            self.error = "the answer holds no brief (no content, no tool call)"
        else:
            try:
                self.value = validate(self.model, answer.text, self.lenient)
                return
            except ValidationError as exc:
                self.error = describe_validation_error(exc, limit=5)
                self.invalid = True
        self._followup = answer.echo(self.error)

    @property
    def followup(self) -> list[Message]:
        """The turns a re-ask adds after the prompt (empty before a failure)."""
        return list(self._followup)

    def salvaged(self) -> Outcome[M] | None:
        """The last answer as salvage keeps it, when it was whole but invalid."""
        if self.value is not None or not self.invalid:
            return None
        if (kept := salvage(self.model, self.raw)) is None:
            return None
        return Outcome(kept.value, self.usage, self.count, self.raw, [kept.note()], kept.flags)

    def finish(self) -> Outcome[M]:
        """The valid value, else salvage's keep of the last answer, else ExtractionFailed."""
        if self.value is not None:
            return Outcome(self.value, self.usage, self.count, self.raw)
        if (kept := self.salvaged()) is not None:
            return kept
        raise ExtractionFailed(f"no valid brief after {self.count} attempt(s): "
                               f"{self.error[:300]}", attempts=self.count,
                               last_error=self.raw[-2000:], usage=self.usage)
