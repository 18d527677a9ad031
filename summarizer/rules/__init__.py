"""The rules: a brief read from the text itself, no model.

Deterministic and instant. It is the floor a model must beat, a baseline column in the eval
report and a second opinion for grounding. What it writes:

- headline: the article's title (else its first sentence, cut at a word);
- summary: the first sentence or two;
- casualties and arrests: `candidates.count_candidates` (digits, number words, ordinals as
  in "wounding a fifth", "dozens"), one record per incident, victim group and outcome. For
  casualties, where the text states a toll that other figures add up to ("killing eight",
  then six and two), the victims' record is the largest figure rather than a sum of
  restatements; for arrests, a figure given as the sum of others ("bringing the total to
  eight") is left to the derived totals instead of becoming a record of its own;
- actors: `candidates.name_candidates` whose kind a cue gives (people, bodies, forces, armed
  groups, organizations), aliases merged;
- diplomatic significance: a level from how many diplomatic cues the text has.

Every quote is a verbatim sentence (or clause) of `Article.text`, so grounding locates it
exactly.

The `rules` backend (backends/rules.py) and the second opinion (second_opinion.py) call
`rules_draft`. Modules: cues (the patterns), grouping (candidates into records), reader (the
fields of a draft).
"""

from .reader import MAX_ACTORS, RulesReader, rules_draft

__all__ = ["MAX_ACTORS", "RulesReader", "rules_draft"]
