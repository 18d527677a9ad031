"""The contract: what a model fills (`BriefDraft`) and what we store (`Brief`).

Field descriptions are instructions to the model: they are rendered into the JSON Schema the
model sees. Every list, string and number is bounded, because a small model decoding under a
grammar loops until max_tokens without bounds. Counts are tri-state: a number, 0 (the article
says none) or null (not reported) -- a hallucinated number is worse than a missing one.

`Brief` adds what code computes, never the model: evidence offsets, derived totals, flags.
"""

from __future__ import annotations

from collections import defaultdict
from enum import StrEnum
from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator

from .codes import FLAG_CODES as FLAG_CODES  # re-exported: brief.FLAG_CODES is the list
from .codes import UNSURE_CODES as UNSURE_CODES
from .schema_identity import SCHEMA_VERSION as SCHEMA_VERSION  # re-exported, as before
from .schema_identity import json_schema as json_schema
from .schema_identity import schema_id as schema_id

MAX_COUNT = 100_000


def _all_required(schema: dict[str, Any]) -> None:
    # The wire schema asks for every key (null or [] when empty): strict structured-output
    # servers require it, and a grammar then writes the fields in a fixed, readable order.
    # Validation still accepts a missing optional key.
    if "properties" in schema:
        schema["required"] = list(schema["properties"])


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", json_schema_extra=_all_required)


# --- enumerations -------------------------------------------------------------------------


class ActorKind(StrEnum):
    person = "person"
    state = "state"
    government_body = "government body"
    security_force = "security force"
    armed_group = "armed group"
    international_organization = "international organization"
    civilian_group = "civilian group"
    other = "other"


class ActorRole(StrEnum):
    perpetrator = "perpetrator"
    victim = "victim"
    responder = "responder"
    diplomatic_party = "diplomatic party"
    official_source = "official source"
    other = "other"


class Qualifier(StrEnum):
    exact = "exact"
    at_least = "at least"
    approximately = "approximately"
    up_to = "up to"


class Side(StrEnum):
    victims = "victims"
    attackers = "attackers"
    unknown = "unknown"


class Attribution(StrEnum):
    claimed = "claimed"
    attributed = "attributed"
    suspected = "suspected"
    unclaimed = "unclaimed"
    unknown = "unknown"


class ArrestStatus(StrEnum):
    arrested = "arrested"
    detained = "detained"
    charged = "charged"
    released = "released"
    other = "other"


class SignificanceLevel(StrEnum):
    none = "none"
    low = "low"
    moderate = "moderate"
    high = "high"


# --- building blocks ----------------------------------------------------------------------

_QUOTE = "A verbatim span copied from the article, character for character (at most 300 chars)."


class Quote(_Strict):
    """Evidence as the model writes it: a verbatim quote."""

    quote: str = Field(min_length=1, max_length=300, description=_QUOTE)


class Evidence(Quote):
    """Evidence as stored: the quote plus where it was found: in `Article.text` (the
    default) or in `Article.title` (a headline that states the toll), with offsets into
    that string."""

    where: Literal["text", "title"] = Field(
        default="text", description="Which string the quote stands in: the article's text "
        "or its title (headline); `start` and `end` index that string.")
    start: int | None = Field(
        default=None, ge=0, description="Offset of the quote's first character in the text "
        "(or the title, where `where` is title).")
    end: int | None = Field(default=None, ge=0, description="Offset one past its last character.")
    match: str = Field(
        default="unlocated",
        max_length=20,
        description="How the quote was located: exact, normalized, fuzzy or unlocated (briefs "
        "made before `where` existed say title, with no offsets, for a quote of the title).",
    )


class Count(_Strict):
    value: int = Field(
        ge=0,
        le=MAX_COUNT,
        description="The number the article states (0 only when it says there were none).",
    )
    qualifier: Qualifier = Field(
        default=Qualifier.exact,
        description='How the article qualifies it: "at least 12" is at least; "about" is '
        'approximately; "as many as" is up to.',
    )


_Name = Annotated[str, Field(min_length=1, max_length=80)]


def _evidence(what: str) -> Any:
    return Field(
        default_factory=list,
        max_length=3,
        description=f"1-3 verbatim quotes from the article supporting {what}.",
    )


# --- the draft: what the model fills ------------------------------------------------------


class ActorDraft(_Strict):
    name: str = Field(min_length=1, max_length=80, description="The name as the article writes it.")
    aliases: list[_Name] = Field(
        default_factory=list,
        max_length=5,
        description="Other names the article uses for the same actor (IS, Islamic State, Daesh).",
    )
    kind: ActorKind = Field(description="What sort of actor this is.")
    role: ActorRole = Field(description="The actor's role in the events reported.")
    affiliation: str | None = Field(
        default=None, max_length=100, description="Country or organization it belongs to, if said."
    )
    evidence: list[Quote] = _evidence("this actor's role")



class CasualtyDraft(_Strict):
    """One record per incident, victim group and reporting source."""

    incident: str = Field(
        min_length=1, max_length=80, description="Short label of the incident (place + event)."
    )
    location: str | None = Field(default=None, max_length=80, description="Where it happened.")
    date_text: str | None = Field(
        default=None, max_length=40, description='When, as written ("on Saturday").'
    )
    date: str | None = Field(
        default=None,
        max_length=10,
        pattern=r"^[0-9]{4}-[0-9]{2}-[0-9]{2}$",  # no \\d: llama.cpp grammars reject it
        description="ISO date, only when the article makes the exact date certain; else null.",
    )
    group: str = Field(
        min_length=1, max_length=100, description="Who was killed or wounded in this record."
    )
    side: Side = Field(
        description="victims, or attackers (assailants killed or wounded), or unknown."
    )
    killed: Count | None = Field(
        default=None, description="Killed in this group; null when the article gives no figure."
    )
    wounded: Count | None = Field(
        default=None, description="Wounded in this group; null when the article gives no figure."
    )
    reported_by: str | None = Field(
        default=None, max_length=100, description="Who gave the figure, when the article says."
    )
    superseded: bool = Field(
        default=False,
        description="True when the article later revises this figure (the newer record counts).",
    )
    perpetrator: str | None = Field(
        default=None, max_length=80, description="The actor blamed, by name; null if none."
    )
    attribution: Attribution = Field(
        default=Attribution.unknown,
        description="claimed (a group said it did it), attributed (officials blamed someone), "
        "suspected, unclaimed (article says nobody claimed it), or unknown.",
    )
    attributed_by: str | None = Field(
        default=None, max_length=100, description="Who made the attribution, if said."
    )
    evidence: list[Quote] = _evidence("the figures")


class ArrestDraft(_Strict):
    count: Count | None = Field(default=None, description="How many; null if not stated.")
    who: str = Field(min_length=1, max_length=100, description="Who was arrested or detained.")
    by: str | None = Field(default=None, max_length=100, description="Who made the arrests.")
    status: ArrestStatus = Field(description="What happened to them, as the article says.")
    incident: str | None = Field(
        default=None, max_length=80, description="The incident the arrests relate to."
    )
    reported_by: str | None = Field(default=None, max_length=100, description="Source, if said.")
    evidence: list[Quote] = _evidence("the arrests")


class SignificanceDraft(_Strict):
    level: SignificanceLevel = Field(description="Diplomatic significance of the events.")
    summary: str = Field(
        default="", max_length=400, description="One or two sentences on why it matters."
    )
    parties: list[_Name] = Field(
        default_factory=list,
        max_length=8,
        description="States or organizations involved diplomatically.",
    )
    evidence: list[Quote] = _evidence("the significance")



class BriefDraft(_Strict):
    """A structured brief of one news article, every fact backed by quotes from it."""

    headline: str = Field(
        min_length=1,
        max_length=120,
        description="A factual headline; no name or number that is not in the article.",
    )
    summary: str = Field(
        min_length=1, max_length=600, description="One to three sentences summarizing the article."
    )
    actors: list[ActorDraft] = Field(
        default_factory=list, max_length=12, description="People, states, groups and bodies."
    )
    casualties: list[CasualtyDraft] = Field(
        default_factory=list,
        max_length=10,
        description="One record per incident, victim group and reporting source; empty if none.",
    )
    arrests: list[ArrestDraft] = Field(
        default_factory=list, max_length=8, description="Arrests and detentions; empty if none."
    )
    diplomatic_significance: SignificanceDraft = Field(
        description="Diplomatic significance of the events."
    )


# --- the stored brief: the draft plus what code adds --------------------------------------
#
# The stored models narrow the draft's list fields (Quote -> Evidence, ActorDraft -> Actor):
# pydantic validates each field by its own class's annotation, while mypy sees a list field
# overridden with another item type (lists are invariant), hence the `type: ignore`s.


class Actor(ActorDraft):
    evidence: list[Evidence] = _evidence("this actor's role")  # type: ignore[assignment]


class Casualty(CasualtyDraft):
    evidence: list[Evidence] = _evidence("the figures")  # type: ignore[assignment]
    # Code's reading, never the model's (summarizer/situate.py):
    date_resolved: str | None = Field(
        default=None, max_length=10, description="The record's day as code resolves it: `date`, "
        "else the date text read against the publication date (text/dates.py states the "
        "rule); null when no day is named.")
    place: str | None = Field(
        default=None, max_length=120, description="Where, as code reads it: `location`, else "
        "the place the figures' sentence names, else the dateline's place.")


class Arrest(ArrestDraft):
    evidence: list[Evidence] = _evidence("the arrests")  # type: ignore[assignment]


class Significance(SignificanceDraft):
    evidence: list[Evidence] = _evidence("the significance")  # type: ignore[assignment]




class Total(_Strict):
    """A derived total: low == high unless sources disagree, then the range they span.

    `certain` and `why` annotate how sure the reading is: code sets them after the totals
    are derived (never the model), and gold comparison ignores them."""

    low: int = Field(ge=0)
    high: int = Field(ge=0)
    at_least: bool = Field(default=False,
                           description="True when any part is qualified 'at least'.")
    certain: bool | None = Field(
        default=None, description="Whether the reading behind this total is certain; null "
        "when nothing judged it.")
    why: list[str] = Field(
        default_factory=list, max_length=len(UNSURE_CODES),
        description="Why it is not certain: " + "; ".join(
            f"{code} ({meaning})" for code, meaning in UNSURE_CODES.items()) + ".")

    @field_validator("why")
    @classmethod
    def _known_codes(cls, why: list[str]) -> list[str]:
        unknown = [c for c in why if c not in UNSURE_CODES]
        if unknown:
            raise ValueError(f"unknown uncertainty code(s) {unknown}; known: {list(UNSURE_CODES)}")
        return why


class Totals(_Strict):
    killed: Total | None = Field(default=None,
                                 description="Killed on the victims' side (attackers apart).")
    wounded: Total | None = Field(default=None,
                                  description="Wounded on the victims' side (attackers apart).")
    arrested: Total | None = Field(
        default=None, description="Arrested or detained (charged and released not again).")
    killed_all_sides: Total | None = Field(
        default=None,
        description="Every death in the events, victims, attackers and fighters of either "
        "side alike, for comparison with datasets that code all sides (GTD, ACLED); null when "
        "no record gives a killed figure.",
    )
    not_read: str | None = Field(
        default=None, max_length=120,
        description="Why the text was not read (e.g. a language the reader does not read): "
        "its totals are then unknown, not none.")
    uncounted: list[Literal["killed", "wounded", "arrested"]] | None = Field(
        default=None, max_length=3,
        description="How sure the null totals are: null when nothing judged them; else the "
        "outcomes whose total is null although the text tells of them (a death, an injury, an "
        "arrest) with no figure read, or the rules read one: their null means not counted, not "
        "none. A null killed, wounded or arrested total not listed is a certain 'none told'.")




class Flag(_Strict):
    """Something code could not support: a quote not found, a number not in its quote..."""

    code: str = Field(max_length=40, description="What was found: " + "; ".join(
        f"{code} ({meaning})" for code, meaning in FLAG_CODES.items()) + ".")
    path: str = Field(max_length=120, description="Where in the brief, e.g. casualties[0].killed.")
    message: str = Field(max_length=300)


class Brief(BriefDraft):
    actors: list[Actor] = Field(default_factory=list, max_length=12)  # type: ignore[assignment]
    casualties: list[Casualty] = Field(  # type: ignore[assignment]
        default_factory=list, max_length=10)
    arrests: list[Arrest] = Field(default_factory=list, max_length=8)  # type: ignore[assignment]
    diplomatic_significance: Significance
    totals: Totals = Field(default_factory=Totals)
    flags: list[Flag] = Field(default_factory=list)
    published: str | None = Field(
        default=None, max_length=10, description="The article's publication date (ISO): the "
        "input's date, an HTML page's meta tags, or the dateline; null when none says.")
    dateline: str | None = Field(
        default=None, max_length=120, description="The place the article's dateline names.")

    @classmethod
    def from_draft(cls, draft: BriefDraft) -> Brief:
        """Lift a draft into a Brief (evidence unlocated, totals derived, no flags yet)."""
        brief = cls.model_validate(draft.model_dump(mode="json"))
        return brief.model_copy(update={"totals": derive_totals(brief)})


# --- totals ---------------------------------------------------------------------------------


def _key(text: str | None) -> str:
    return " ".join((text or "").lower().split())


def _sum_ranges(groups: dict[Any, list[Count]]) -> Total | None:
    if not groups:
        return None
    low = high = 0
    at_least = False
    for counts in groups.values():
        values = [c.value for c in counts]
        low += min(values)
        high += max(values)
        at_least = at_least or any(c.qualifier is Qualifier.at_least for c in counts)
    return Total(low=low, high=high, at_least=at_least)


def derive_totals(brief: BriefDraft) -> Totals:
    """Totals by DESIGN.md's rules.

    Victims only (attackers apart); `killed_all_sides` counts the dead of every side.
    A superseded (revised) figure gives way to the newer one. Records for the same incident and
    group (and side) from different sources are alternatives: their total is a range from the
    lowest to the highest figure. Arrests count only records whose status is arrested or
    detained (charged and released describe people already counted). A total is null when no
    record gives a figure for it.
    """
    killed: dict[tuple[str, str], list[Count]] = defaultdict(list)
    wounded: dict[tuple[str, str], list[Count]] = defaultdict(list)
    all_sides: dict[tuple[str, str, str], list[Count]] = defaultdict(list)
    for rec in brief.casualties:
        if rec.superseded:
            continue
        key = (_key(rec.incident), _key(rec.group))
        if rec.killed is not None:
            all_sides[(*key, rec.side.value)].append(rec.killed)
        if rec.side is not Side.victims:
            continue
        if rec.killed is not None:
            killed[key].append(rec.killed)
        if rec.wounded is not None:
            wounded[key].append(rec.wounded)
    arrested: dict[int, list[Count]] = {}
    for i, arr in enumerate(brief.arrests):
        if arr.count is not None and arr.status in (ArrestStatus.arrested, ArrestStatus.detained):
            arrested[i] = [arr.count]
    return Totals(
        killed=_sum_ranges(killed), wounded=_sum_ranges(wounded), arrested=_sum_ranges(arrested),
        killed_all_sides=_sum_ranges(all_sides),
    )
