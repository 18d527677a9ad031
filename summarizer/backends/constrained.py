"""The `constrained` backend (formerly `grounded`, which stays an alias): the local model
decoding under a grammar made for each article, so quotes, names and counts can only be the
article's own.

Constrained decoding happens before the model writes; grounding (summarizer/grounding) checks
a brief after it is written. This backend is the first: it stops invented figures, not
misread ones (see README, "Which model writes the brief").

`constrained_schema(article, base_schema)` narrows the draft schema to what the article
supports, and a grammar built from it (llama.cpp turns `enum`s into alternations) holds the
model to it token by token:

- evidence quotes: an `enum` of the article's clauses (verbatim, each <= 160 chars), so
  every quote is found exactly by grounding;
- actor names, aliases, perpetrators and diplomatic parties: an `enum` of name candidates;
- killed, wounded and arrested counts: an `enum` of the figures the text gives for that
  outcome (0 only where the text says none); null stays allowed, and an outcome the text
  gives no figure for can only be null;
- lists sized by the text: at least one casualty (arrest) record where it gives a figure,
  none where it gives none, never more records than distinct figures; otherwise short
  (<= 3 actors, 1 alias, 1 quote per item), and free strings shortened, because a small
  model repeats an item until the bound stops it and every token spent there is one less
  for the records;
- `date`: only an ISO date written in the article, else null.

The constraints live in the grammar, never in the prompt, so the prompt prefix shared by
every article (and llama.cpp's prefix cache) is unchanged. The schema is pure: no model,
no I/O.
"""

from __future__ import annotations

import copy
import re
from dataclasses import dataclass, field
from typing import Any, ClassVar

from ..article import Article
from ..brief import ArrestStatus, BriefDraft
from ..text import count_candidates, name_candidates, sentences
from ..text.sentences import clauses
from .local import LocalBackend, compile_grammar

__all__ = ["LIMITS", "ConstrainedBackend", "allowed_counts", "constrained_schema"]

# Tighter than the v1 bounds: enough for a news brief, short enough that a loop ends soon.
LIMITS = {"actors": 3, "casualties": 4, "arrests": 3, "aliases": 1, "evidence": 1,
          "parties": 3, "names": 40, "free_text": 40, "summary": 200, "quote": 160}
_COUNT_DEFS = {"killed": "KilledCount", "wounded": "WoundedCount", "arrested": "ArrestCount"}
_ISO_DATE = re.compile(r"\b\d{4}-\d{2}-\d{2}\b")


def allowed_counts(article: Article) -> dict[str, list[int]]:
    """Per outcome (killed, wounded, arrested), the figures the text gives for it, sorted.

    Ranges ("dozens") give their lower bound; 0 is there only when the text says none
    ("nobody was hurt").
    """
    values: dict[str, set[int]] = {k: set() for k in _COUNT_DEFS}
    for c in count_candidates(article.text):
        values[c.outcome].add(min(c.mention.low, 100_000))
    return {k: sorted(v) for k, v in values.items()}


def _quote_choices(text: str) -> list[str]:
    """The article's sentences, as quotes; a long one cut into its clauses, because every
    character of a chosen quote is a token the model must write. A straight double quote or a
    backslash inside an enum value breaks llama-cpp-python 0.3.36's GBNF literal escaping, so
    a sentence is cut there too. Every part stays verbatim."""
    out: list[str] = []
    for sent in sentences(text):
        for part in re.split(r'["\\]', sent.text):
            pieces = [part] if len(part) <= LIMITS["quote"] else clauses(part)
            for piece in pieces:
                piece = piece.strip(" ,;")
                if 12 <= len(piece) <= LIMITS["quote"] and piece not in out:
                    out.append(piece)
    return out


def _names(article: Article) -> list[str]:
    names: list[str] = []
    for c in name_candidates(article.text):
        for n in (c.text, *c.aliases):
            if n not in names and 1 <= len(n) <= 80:
                names.append(n)
    return names[:LIMITS["names"]]


def _enum_string(values: list[str], base: dict[str, Any]) -> dict[str, Any]:
    out = {k: v for k, v in base.items() if k in ("description", "title")}
    return {**out, "enum": values} if values else {**out, "type": "null"}


def _nullable(inner: dict[str, Any], base: dict[str, Any]) -> dict[str, Any]:
    out = {k: v for k, v in base.items() if k in ("description", "title", "default")}
    return {**out, "anyOf": [inner, {"type": "null"}]}


def _cap_strings(props: dict[str, Any], names: list[str], limit: int) -> None:
    for name in names:
        prop = props.get(name)
        if prop is None:
            continue
        for branch in prop.get("anyOf", [prop]):
            if branch.get("type") == "string" and "maxLength" in branch:
                branch["maxLength"] = min(branch["maxLength"], limit)


def constrained_schema(article: Article, base_schema: dict[str, Any]) -> dict[str, Any]:
    """The draft schema narrowed to this article: quotes, names and counts become `enum`s of
    what the text contains, lists and free strings get shorter. `base_schema` is
    `BriefDraft.model_json_schema()` (not modified)."""
    schema = copy.deepcopy(base_schema)
    defs = schema["$defs"]
    quotes = _quote_choices(article.text)
    names = _names(article)
    counts = allowed_counts(article)

    defs["Quote"]["properties"]["quote"] = _enum_string(quotes, defs["Quote"]["properties"]
                                                        ["quote"])
    for outcome, def_name in _COUNT_DEFS.items():
        count = copy.deepcopy(defs["Count"])
        count["properties"]["value"] = {"description": count["properties"]["value"]
                                        ["description"], "enum": counts[outcome]}
        defs[def_name] = count
    del defs["Count"]

    actor = defs["ActorDraft"]["properties"]
    actor["name"] = _enum_string(names, actor["name"])
    actor["aliases"]["items"] = _enum_string(names, actor["aliases"]["items"])
    actor["aliases"]["maxItems"] = LIMITS["aliases"]
    _cap_strings(actor, ["affiliation"], LIMITS["free_text"])

    casualty = defs["CasualtyDraft"]["properties"]
    for outcome in ("killed", "wounded"):
        casualty[outcome] = _count_field(outcome, counts, casualty[outcome])
    casualty["perpetrator"] = _nullable(_enum_string(names, {}), casualty["perpetrator"])
    dates = sorted(set(_ISO_DATE.findall(article.text)))
    casualty["date"] = _nullable({"enum": dates}, casualty["date"]) if dates else {
        "type": "null", "description": casualty["date"]["description"]}
    _cap_strings(casualty, ["incident", "location", "group", "reported_by", "attributed_by"],
                 LIMITS["free_text"])

    arrest = defs["ArrestDraft"]["properties"]
    arrest["count"] = _count_field("arrested", counts, arrest["count"])
    _cap_strings(arrest, ["who", "by", "incident", "reported_by"], LIMITS["free_text"])

    significance = defs["SignificanceDraft"]["properties"]
    significance["parties"]["items"] = _enum_string(names, significance["parties"]["items"])
    significance["parties"]["maxItems"] = LIMITS["parties"]
    _cap_strings(significance, ["summary"], LIMITS["summary"])

    for def_name in ("ActorDraft", "CasualtyDraft", "ArrestDraft", "SignificanceDraft"):
        evidence = defs[def_name]["properties"]["evidence"]
        evidence["maxItems"] = LIMITS["evidence"]
        if def_name in ("CasualtyDraft", "ArrestDraft"):
            evidence["minItems"] = 1  # a figure with no quote is flagged anyway

    top = schema["properties"]
    _cap_strings(top, ["summary"], LIMITS["summary"])
    top["actors"]["maxItems"] = LIMITS["actors"]
    if names:  # a news article has someone in it; a small model otherwise answers []
        top["actors"]["minItems"] = 1
    # Records follow the figures: none where the text gives no figure (the model cannot make
    # one up), at least one where it does (else a small model answers [] and a brief of an
    # attack reports no dead), and no more records than distinct figures (else it repeats
    # one record to the bound).
    casualty_figures = len(set(counts["killed"]) | set(counts["wounded"]))
    _size(top["casualties"], casualty_figures, LIMITS["casualties"])
    # ... and none where every arrest figure is a release ("157 prisoners were released").
    arrests = [c for c in count_candidates(article.text) if c.outcome == "arrested"]
    released = all(c.status is ArrestStatus.released for c in arrests)
    arrest_figures = 0 if released else len(counts["arrested"])
    _size(top["arrests"], arrest_figures, LIMITS["arrests"])
    return schema


def _size(prop: dict[str, Any], figures: int, limit: int) -> None:
    prop["maxItems"] = min(figures, limit)
    if figures:
        prop["minItems"] = 1


def _count_field(outcome: str, counts: dict[str, list[int]], base: dict[str, Any]
                 ) -> dict[str, Any]:
    if not counts[outcome]:
        return {"type": "null", "description": base.get("description", "")}
    return _nullable({"$ref": f"#/$defs/{_COUNT_DEFS[outcome]}"}, base)


@dataclass
class ConstrainedBackend(LocalBackend):
    """LocalBackend with a per-article grammar (`constrained_schema`)."""

    name: ClassVar[str] = "constrained"
    decoding: ClassVar[str] = "constrained grammar"
    _per_article: dict[str, tuple[Any, str]] = field(default_factory=dict, init=False,
                                                     repr=False)

    def grammar(self, article: Article | None = None) -> tuple[Any, str]:
        if article is None:
            return super().grammar()
        key = article.content_hash
        if key not in self._per_article:
            self._per_article[key] = compile_grammar(
                constrained_schema(article, BriefDraft.model_json_schema()))
        return self._per_article[key]
