"""Reading article text: the one place it is done.

The rules (which write counts), grounding (which checks a model's counts and names), the
constrained grammar, the scorers and the perturbation builder all read text through this
package; none keeps a copy of its own. Pure: no model, no I/O. Every span is a verbatim slice
of the text it was read from, with offsets, so a quote built from a `Sentence` is located
exactly by grounding.

    normalize   the one folding table (quotes, dashes, case, spaces), with offset maps
    sentences   the one sentence splitter ("U.S. President", "Mr.", initials and decimals
                do not end a sentence; long sentences cut at clause breaks)
    numbers     numbers in running text: digits, words, ordinals, vague amounts, ranges,
                qualifiers, and what is not a count (percent, age, date, time, rank)
    cues        the one table of outcome cues (killed, wounded, arrested, other), arrest
                statuses, words for people and armed groups, instructions to a model
    outcome     which outcome a number belongs to, clause-aware (parentheses and asides set
                off by dashes skipped; a cue next to its own figure is that figure's)
    context     what a number is when it is not a count (a measure, an age, a year, a day,
                a name's number, things rather than people); figures of earlier events;
                what may happen rather than what did
    implied     figures stated without a number: none ("nobody was hurt"), one ("the guard
                was killed", "police arrested the driver")
    counts      count candidates: killed / wounded / arrested figures with group, side,
                status, total and subset marks
    incident    zero, stated carefully: an incident report with injuries or damage and no
                death states 0 killed
    names       name candidates: capitalized sequences, acronyms, descriptive patterns
    masking     spans that count no one (addresses, 911, captions, a unit's number, "a town
                of 1,500", notes to automated readers, recalled and tallied incidents),
                blanked with offsets kept
    people      figures count_candidates does not read: people shot, people listed without
                a number, "another officer", the perpetrator's own death
    tally       the incident-level reading: one killed and one wounded figure per side,
                restatements merged, revisions applied, wounded = shot - killed (what the
                rules' casualties are read from; the constrained grammar keeps reading
                count_candidates, so recorded calls are unchanged)
    headline    a headline's toll, read in a headline's grammar ("3 dead, 2 hurt in ...",
                "Teen killed, two others wounded"): the rules' source where the text states
                none of an outcome, and their cross-check where it does
"""

from .counts import CountCandidate, count_candidates
from .cues import OUTCOME_CUES, OUTCOMES
from .names import NameCandidate, name_candidates
from .normalize import fold, label_key, normalize, normalize_with_offsets
from .numbers import NumberKind, NumberMention, find_numbers, parse_number
from .outcome import Cue, Outcomes
from .sentences import MAX_SENTENCE, Sentence, sentence_texts, sentences

__all__ = [
    "MAX_SENTENCE",
    "OUTCOMES",
    "OUTCOME_CUES",
    "CountCandidate",
    "Cue",
    "NameCandidate",
    "NumberKind",
    "NumberMention",
    "Outcomes",
    "Sentence",
    "count_candidates",
    "find_numbers",
    "fold",
    "label_key",
    "name_candidates",
    "normalize",
    "normalize_with_offsets",
    "parse_number",
    "sentence_texts",
    "sentences",
]
