"""The rules backend as a second opinion on a model's brief.

Grounding checks that each figure a model wrote is in its quotes; a brief can pass it and
still pick another of the article's figures, or add records up to a wrong total. The rules
read the totals from the text alone. Where they and the brief disagree, the brief gets an
advisory `rules_disagree` flag on that total, so a reader knows which figure to check -- only
where the rules' own reading of it is certain (rules/certainty.py): an unsure reading may
agree with a model's total, never dispute it. It never drops or re-asks: the rules are a
floor, not the truth (on the dev split they get the killed total right in 17 of 23 articles).

The pipeline asks for it for in-process model backends, where a brief costs seconds and the
rules ~10 ms; a caller can ask for it on any brief.
"""

from __future__ import annotations

from .article import Article
from .brief import Brief, Flag, Total
from .rules.certainty import rules_reading

OUTCOMES = ("killed", "wounded", "arrested")


def second_opinion(article: Article, brief: Brief) -> list[Flag]:
    """A `rules_disagree` flag for each total (killed, wounded, arrested) where the rules'
    reading of `article` differs from `brief`'s derived total and is certain."""
    reading = rules_reading(article)
    flags = []
    for outcome in OUTCOMES:
        ours, theirs = getattr(brief.totals, outcome), getattr(reading.totals, outcome)
        if _key(ours) == _key(theirs) or reading.not_read or (
                theirs is not None and reading.why.get(outcome)):
            continue  # agreeing, or an unsure reading: no dispute
        said = (f"the rules read {_say(theirs)} {outcome} in the text" if theirs else
                f"the rules find no {outcome} figure in the text")
        given = f"this brief's total is {_say(ours)}" if ours else "this brief gives none"
        flags.append(Flag(code="rules_disagree", path=f"totals.{outcome}",
                          message=f"{said}; {given}"))
    return flags


def _key(total: Total | None) -> tuple[int, int] | None:
    return None if total is None else (total.low, total.high)


def _say(total: Total) -> str:
    text = str(total.low) if total.low == total.high else f"{total.low}-{total.high}"
    return f"at least {text}" if total.at_least else text
