"""Grounding: locate every evidence quote, check every count and name, flag what fails.

Pure: an `Article` and a `BriefDraft` in, a `Brief` (offsets filled, totals derived) and a
list of `Flag`s out. No model, no I/O, no policy: the pipeline decides whether flags are
shown (`flag`), removed (`drop`, with `drop_flagged`) or sent back to the model (`reask`, with
`describe_failures`).

Text is read through `summarizer.text` (folding with offset maps, sentences, numbers, the
outcome a number belongs to); grounding keeps no reading of its own. Quotes are located in
`Article.text` in tiers, each mapped back to offsets of the original
text: exact, then normalized (whitespace, curly quotes, dashes, case), then fuzzy
(rapidfuzz's partial-ratio alignment above `FUZZY_THRESHOLD`). A quote not in the text is
looked for in the title (before a fuzzy match in the text): it is then located with
`where="title"` and offsets into `Article.title` -- a headline that states the toll is
evidence like any sentence, and its numbers are checked the same way.

Counts are checked against the *article's* text at the located span, never the model's copy
of the quote (a model that misquotes "ten" for "four" must not support itself). A number
supports a count when it states that figure and is not tied to another outcome in the same
clause: in "killing four officers and wounding a fifth", "four" goes with killing and
"a fifth" (one more) with wounding.

Flag codes:

    quote_not_found            an evidence quote is nowhere in the article
    no_evidence                a casualty or arrest record gives a count but no quote
    count_unsupported          a count is not stated in its record's evidence
    part_as_total              a record's count is the sum of other records' (double count)
    side_mismatch              a victims' record counts attackers (by its group or its quotes)
    incident_mismatch          a record's quotes tell of another incident of the brief, not its own
    name_not_found             an actor (or perpetrator) name and its aliases are not in the text
    alias_not_found            one alias of an actor is not in the text
    name_not_in_evidence       an actor's quotes do not mention it (a name swapped for another)
    perpetrator_role_mismatch  a perpetrator names an actor the brief gives another role

(The pipeline may add more, not from here: advisory `rules_disagree` on a total the rules
read differently and are certain of -- an unsure reading of theirs may agree with a total,
never contradict it (rules/certainty.py), see second_opinion.py; and salvage's `text_cut`
and `date_nulled` on a field a backend cut or set to null after its re-asks ran out, see
salvage.py. The `drop` policy acts on none of them. All codes are listed in brief.FLAG_CODES.)

Modules, one job each:

    quotes     locating a quote (exact, normalized, fuzzy; in the text or the title)
    source     the article as read: normalized once, sentences, quote lookup
    figures    the numbers of a located quote: outcome tag and whom they count
    sides      whose side a casualty record counts (attackers are never the victims)
    incidents  which incident a casualty record's quotes tell of
    names      whether a name occurs; which aliases are tied to a name
    counts     the count checks (no_evidence, count_unsupported, part_as_total)
    actors     the name checks (name_not_found, alias_not_found, ...)
    flags      collecting flags, and their order
    grounder   `ground`: locate the quotes, run the checks
    policy     `drop_flagged` and `describe_failures`
"""

from ..text.normalize import normalize_with_offsets as _normalize  # noqa: F401 (tests reach it)
from .grounder import GroundingResult, ground
from .names import NAME_THRESHOLD, name_occurs
from .policy import describe_failures, drop_flagged
from .quotes import FUZZY_THRESHOLD, Located, locate

__all__ = [
    "FUZZY_THRESHOLD",
    "NAME_THRESHOLD",
    "GroundingResult",
    "Located",
    "describe_failures",
    "drop_flagged",
    "ground",
    "locate",
    "name_occurs",
]
