"""Reading an article without a model: sentences, name candidates and count candidates.

Pure text analysis shared by the `rules` backend (which turns candidates into a draft) and by
grounded decoding (which lets a model choose only among them). Every span is a verbatim slice
of the text it was read from, with offsets, so a quote built from a `Sentence` is located
exactly by grounding.

    sentences(text)          sentences (long ones cut at clause breaks), each <= 300 chars
    name_candidates(text)    capitalized sequences, acronyms and known descriptive patterns
    count_candidates(text)   killed / wounded / arrested figures with group, side and status

One module each: sentence_split, names, counts.
"""

from .counts import CountCandidate, count_candidates
from .names import NameCandidate, name_candidates
from .sentence_split import MAX_SENTENCE, Sentence, sentences

__all__ = [
    "MAX_SENTENCE",
    "CountCandidate",
    "NameCandidate",
    "Sentence",
    "count_candidates",
    "name_candidates",
    "sentences",
]
