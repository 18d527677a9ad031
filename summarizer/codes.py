"""The codes a stored brief may carry, and what each means: the schema lists them in its
descriptions, and validation refuses any other."""

from __future__ import annotations

# Every code a flag may carry (grounding/flags.py refuses any other), and what it means.
FLAG_CODES = {
    "quote_not_found": "an evidence quote is nowhere in the article",
    "no_evidence": "a casualty or arrest record gives a count but no quote",
    "count_unsupported": "a count is not stated in its record's evidence",
    "part_as_total": "a record's count is the sum of other records' (a double count)",
    "side_mismatch": "a victims' record counts attackers",
    "incident_mismatch": "a record's quotes tell of another incident of the brief",
    "name_not_found": "an actor or perpetrator name and its aliases are not in the text",
    "alias_not_found": "one alias of an actor is not in the text",
    "name_not_in_evidence": "an actor's quotes do not mention it",
    "perpetrator_role_mismatch": "a perpetrator names an actor the brief gives another role",
    "rules_disagree": "advisory: the rules read this total differently",
    "text_cut": "salvage: free text past its bound, cut at a word boundary to fit",
    "date_nulled": "salvage: a date that was not ISO (YYYY-MM-DD), set to null",
}


# Why a reading of a total is not certain (rules/certainty.py sets them; LABELING.md).
UNSURE_CODES = {
    "conflicting_figures": "the text gives other figures for it that were not merged away",
    "headline_disagrees": "the headline states another figure",
    "records_merged": "it adds up figures from several records or restatements",
    "perpetrator_fate_untold": "an attacker's death (a suicide attack) is told but not counted",
    "another_incident": "another incident is told nearby (a round-up, several places)",
    "loose_figure": "a figure of it names no one and reads like an age ('who is 24')",
    "late_figure": "the lede gives no figure for it: the one read comes from further down",
    "readings_differ": "the rules read the text to another figure",
    "not_read": "the text was not read (e.g. a language the reader does not read)",
}
