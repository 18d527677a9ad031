"""Grounding measured on labeled perturbations of gold briefs (issue 9, item 5).

Each gold fact is written into a draft, either as labeled (a *correct* case, with the quotes
in the variants models produce) or broken one way (a *wrong* case), and grounding is asked
whether it flags the fact. Two kinds of fact, scored apart:

- **counts**: a count slot, `casualties[i].killed|wounded` or `arrests[i].count`.
  Classes: correct, number_changed (to another number that occurs in the article),
  quote_swapped (the record's quotes replaced by another sentence of the article),
  part_as_total (a record added whose count is the sum of two or more gold records of the same
  incident, side, source and outcome: 8 alongside 3 and 5).
- **names**: an actor, `actors[i]`. Classes: correct, name_replaced (by another name the
  article contains; aliases cleared), quote_swapped.

When a flag counts for a case (precisely): a case carries its touched fact's path and a
*scope*, the touched path plus the path of the touched record's `evidence` list (a fact stands
on its quotes, so an unlocated quote is a failure of that fact). A flag counts when its path
equals a scope path or lies under one, i.e. continues it with "." or "[":
`casualties[0].killed` is under `casualties[0]`, `casualties[0].evidence[1]` is under
`casualties[0].evidence`, but `casualties[0].wounded` and `casualties[0].perpetrator` are
not under `casualties[0].killed`. A quote swap touches the whole record, so its scope is every
count slot of that record (counts) or the whole actor (names); a name fact's scope is always
`actors[i]` (name, aliases, evidence).

Labels stay honest by leaving out perturbations that might be right after all: a swapped
sentence that states the figure (or two figures adding up to it), or that mentions the actor;
a replacement name that is one of the actor's own names or is mentioned in its quotes; a
changed number inside the gold's acceptable range. Gold aliases the article never writes
("common usage" names a labeler may add) are dropped from the base draft: they are not the
fact, and a model told to write the article's names would not produce them.

Every case's draft holds only what grounding reads to judge that fact, which keeps the
measure fast (CI runs it): count cases keep every casualty and arrest record (count checks and
the part-as-total check read them all) and no actors; name cases keep the one actor, as
`actors[0]`. Flags in scope are the same as with the full draft (tests check it).

    cases = build_cases(load_dataset("evals"))
    section = perturbation_report(cases)          # runs `ground` on every case
    print("\\n".join(render_markdown(section)))  # "flagged 312/330 = 0.945"

Deterministic: every choice is drawn from a `random.Random` seeded by the seed, the article
and the fact.

Modules, one job each: cases (a labeled case and its scope), labels (what keeps a label
honest), drafts (the gold as a draft, reduced drafts, quote variants), builder (the cases of
each article), scoring (the figures), render (the report section).
"""

from .builder import build_cases
from .cases import CLASSES, Case, counts_for, under
from .drafts import VARIANTS
from .drafts import base_draft as _base  # noqa: F401 (tests reach it)
from .labels import written as _written  # noqa: F401 (tests reach it)
from .render import render_markdown, render_table
from .scoring import (
    CORRECT_FLAGGED_MAX,
    WRONG_FLAGGED_MIN,
    Grounder,
    grounding_rate,
    perturbation_report,
    ratio_text,
)

__all__ = [
    "CLASSES",
    "CORRECT_FLAGGED_MAX",
    "VARIANTS",
    "WRONG_FLAGGED_MIN",
    "Case",
    "Grounder",
    "build_cases",
    "counts_for",
    "grounding_rate",
    "perturbation_report",
    "ratio_text",
    "render_markdown",
    "render_table",
    "under",
]
