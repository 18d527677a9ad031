"""The rules: a brief read from the text itself, no model.

Deterministic and instant. It is the floor a model must beat, a baseline column in the eval
report and a second opinion for grounding. What it writes:

- headline: the article's title (else its first sentence, cut at a word);
- summary: the first sentence or two;
- casualties and arrests: `text.count_candidates` (digits, number words, ordinals as in
  "wounding a fifth", "dozens"; none as in "nobody was hurt"; one as in "the guard was
  killed" or "police arrested the driver"), one record per incident, victim group and
  outcome. For casualties, where the text states a toll that other figures add up to
  ("killing eight", then six and two), or a lede toll that later, smaller figures break down,
  the victims' record is that toll rather than a sum of restatements; two sources that
  disagree on one toll become records of the same incident and group, so the total is their
  range; an incident report with injuries or damage and no death gets killed 0. For arrests,
  a figure given as the sum of others ("bringing the total to eight") is left to the derived
  totals instead of becoming a record of its own;
- actors: `text.name_candidates` whose kind a cue gives (people, bodies, forces, armed
  groups, organizations), aliases merged;
- diplomatic significance: a level from how many diplomatic cues the text has.

Every quote is a verbatim sentence (or clause) of `Article.text`, so grounding locates it
exactly.

The `rules` backend (backends/rules.py) and the second opinion (second_opinion.py) call
`rules_draft`. All reading of the text is `summarizer.text`'s; here are only the brief's
fields. Modules: cues (events, dates, attribution, sources), grouping (candidates into
records), tolls (which figures become records: tolls, parts, alternatives), reader (the
fields of a draft).
"""

from .reader import MAX_ACTORS, RulesReader, rules_draft

__all__ = ["MAX_ACTORS", "RulesReader", "rules_draft"]
