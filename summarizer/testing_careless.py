"""A careless model, for the fake servers: briefs whose free text runs past its stated bound.

    with FakeOpenAIServer(brief_fn=CarelessBriefs(rate=0.3)) as server: ...

Each answer is a full brief read from the article in the request (one actor, one casualty
record, one arrest, the significance; every quote a verbatim sentence of the text, never
over its bound). Each bounded non-quote string -- headline, summary, names, aliases, labels,
`date_text`, `date` (which then reads "on the morning of Monday 13 December 2025") -- runs
past its bound with probability `rate`, drawn from the article's text: the same article gets
the same answer on every attempt, so a re-ask fails the same way, as the issue saw.
`overlong_quote` and `count` make answers that must still fail (a quote past 300
characters, a count past MAX_COUNT).
"""

from __future__ import annotations

import hashlib
import itertools
import random
import re
from dataclasses import dataclass
from typing import Any

_ARTICLE = re.compile(r'<article id="[^"]*">\s*(?:Title: (?P<title>[^\n]*)\n)?(?P<text>.*?)'
                      r'</article id=', re.S)
_FILLER = ("according to officials who spoke on condition of anonymity and to residents "
           "reached by telephone late in the evening after the events").split()


@dataclass
class CarelessBriefs:
    """A `brief_fn` for FakeOpenAIServer and the provider fakes (see the module docstring)."""

    rate: float = 0.3
    overlong_quote: bool = False
    count: int | None = None  # every count this value (e.g. MAX_COUNT + 1) instead of the text's
    overlong: int = 0  # strings written past their bound so far, over every answer

    def __call__(self, messages: list[dict[str, Any]]) -> dict[str, Any]:
        user = "\n".join(str(m.get("content") or "") for m in messages if m.get("role") == "user")
        found = _ARTICLE.search(user)
        title = (found.group("title") if found else None) or "Untitled report"
        text = found.group("text").strip() if found else user
        rng = random.Random(hashlib.sha256(text.encode()).digest())
        quote = _first_sentence(text)
        if self.overlong_quote:
            quote = (quote + " ") * (300 // max(len(quote), 1) + 2)
        numbers = [int(n) for n in re.findall(r"\b\d{1,5}\b", text)] or [1]
        count = {"value": self.count if self.count is not None else numbers[0],
                 "qualifier": "exact"}

        def bounded(value: str, bound: int) -> str:
            if rng.random() >= self.rate:
                return value[:bound]
            self.overlong += 1
            out, past = value, bound + rng.randint(1, 30)
            for word in itertools.cycle(_FILLER):  # whole words, until past the bound
                if len(out) > past:
                    return out
                out = f"{out} {word}"
            raise AssertionError("unreachable")  # pragma: no cover

        date = "2025-12-13"
        if rng.random() < self.rate:
            self.overlong += 1
            date = "on the morning of Monday 13 December 2025"
        evidence = [{"quote": quote}]
        return {
            "headline": bounded(title, 120),
            "summary": bounded(f"A report: {title}.", 600),
            "actors": [{"name": bounded("police", 80), "aliases": [bounded("officers", 80)],
                        "kind": "security force", "role": "responder",
                        "affiliation": bounded("the district police", 100),
                        "evidence": evidence}],
            "casualties": [{"incident": bounded("attack in the district", 80),
                            "location": bounded("the district", 80),
                            "date_text": bounded("on Monday", 40), "date": date,
                            "group": bounded("people", 100), "side": "victims",
                            "killed": count, "wounded": None,
                            "reported_by": bounded("police", 100), "superseded": False,
                            "perpetrator": None, "attribution": "unknown",
                            "attributed_by": bounded("no one", 100), "evidence": evidence}],
            "arrests": [{"count": count, "who": bounded("suspects", 100),
                         "by": bounded("officers", 100), "status": "arrested",
                         "incident": bounded("attack in the district", 80),
                         "reported_by": bounded("police", 100), "evidence": evidence}],
            "diplomatic_significance": {"level": "low",
                                        "summary": bounded("Local unrest.", 400),
                                        "parties": [bounded("the district council", 80)],
                                        "evidence": []},
        }


def _first_sentence(text: str) -> str:
    from .text import sentences  # the one sentence splitter

    first = next(iter(sentences(text.strip())), None)
    return (first.text if first is not None else "")[:300] or "."


__all__ = ["CarelessBriefs"]
