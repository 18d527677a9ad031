"""The gold format: one hand-labeled JSON file per article, validated by
`summarizer/_schemas/gold.v1.json`.

A gold file is the Brief's draft shape plus what a labeler knows and a model is not asked for:
alias lists for names (up to 20, against the draft's 5), an optional inclusive acceptable range
(`low`/`high`) on any count, the derived totals as labeled, and who labeled and checked it when.

    {"gold_version": "1", "article": "palmyra-condolences.txt", "split": "dev",
     "labeled_by": ..., "labeled_at": "YYYY-MM-DD", "checked_by": ..., "checked_at": ...,
     "notes": "", "origin": "from the text" | "reviewed from a machine brief",
     "brief": {...BriefDraft fields...}, "totals": {"killed": {...} | null, ...}}

`GoldBrief` subclasses `BriefDraft`, so `derive_totals(gold.brief)` applies the same rules the
pipeline applies to a prediction; a gold file whose labeled totals disagree is a labeling error
(the gold tests check it).
"""

from __future__ import annotations

import json
import typing
from pathlib import Path
from typing import Any, Literal, Self

from pydantic import BaseModel, Field, model_validator
from pydantic import ValidationError as PydanticValidationError

from ..brief import (
    ActorDraft,
    ArrestDraft,
    Brief,
    BriefDraft,
    CasualtyDraft,
    Count,
    Quote,
    SignificanceDraft,
    Totals,
    _Name,
    _Strict,
    derive_totals,
    json_schema,
)
from ..errors import ConfigurationError

GOLD_VERSION = "1"
GOLD_SCHEMA_FILE = "gold.v1.json"
_DATE = r"^\d{4}-\d{2}-\d{2}$"


class GoldCount(Count):
    """A count as labeled: the article's figure plus an optional inclusive acceptable range."""

    low: int | None = Field(
        default=None, ge=0, description="Lowest acceptable figure (inclusive), when the article "
        "leaves room (e.g. 'at least 12' with a later 'some 15')."
    )
    high: int | None = Field(
        default=None, ge=0, description="Highest acceptable figure (inclusive)."
    )

    @model_validator(mode="after")
    def _range_holds_value(self) -> Self:
        low = self.value if self.low is None else self.low
        high = self.value if self.high is None else self.high
        if not low <= self.value <= high:
            raise ValueError(f"range [{low}, {high}] must contain value {self.value}")
        return self

    @property
    def bounds(self) -> tuple[int, int]:
        """The acceptable range; the value alone when no range was labeled."""
        low = self.value if self.low is None else self.low
        high = self.value if self.high is None else self.high
        return low, high

    @property
    def has_range(self) -> bool:
        return self.low is not None or self.high is not None


class GoldQuote(Quote):
    """A labeled quote: verbatim from the article's text (the default) or from its title (a
    headline that states the toll: `"where": "title"`)."""

    where: Literal["text", "title"] = Field(
        default="text", description="Where the quote stands: the article's text or its title.")


def _gold_evidence(what: str) -> Any:
    return Field(default_factory=list, max_length=3,
                 description=f"1-3 verbatim quotes from the article (its text or its title) "
                 f"supporting {what}.")


class GoldActor(ActorDraft):
    aliases: list[_Name] = Field(
        default_factory=list,
        max_length=20,
        description="Every other name the article (or common usage) gives this actor.",
    )
    evidence: list[GoldQuote] = _gold_evidence("this actor's role")  # type: ignore[assignment]


class GoldCasualty(CasualtyDraft):
    killed: GoldCount | None = Field(default=None, description="Killed; null when not reported.")
    wounded: GoldCount | None = Field(
        default=None, description="Wounded; null when not reported."
    )
    evidence: list[GoldQuote] = _gold_evidence("the figures")  # type: ignore[assignment]


class GoldArrest(ArrestDraft):
    count: GoldCount | None = Field(default=None, description="How many; null if not stated.")
    evidence: list[GoldQuote] = _gold_evidence("the arrests")  # type: ignore[assignment]


class GoldSignificance(SignificanceDraft):
    evidence: list[GoldQuote] = _gold_evidence("the significance")  # type: ignore[assignment]


class GoldBrief(BriefDraft):
    """The labeled brief: the draft's fields, generous aliases, counts with optional ranges."""

    # Narrower item types than the draft's (see brief.py on the `type: ignore`s).
    actors: list[GoldActor] = Field(default_factory=list, max_length=12)  # type: ignore[assignment]
    casualties: list[GoldCasualty] = Field(  # type: ignore[assignment]
        default_factory=list, max_length=10)
    arrests: list[GoldArrest] = Field(  # type: ignore[assignment]
        default_factory=list, max_length=8)
    diplomatic_significance: GoldSignificance = Field(
        description="Diplomatic significance of the events.")


class Gold(_Strict):
    """One gold file: the labeled brief of one article and who stands behind it."""

    gold_version: Literal["1"] = Field(description="Version of this gold format.")
    article: str = Field(
        min_length=1,
        max_length=200,
        pattern=r"^[^/\\]+$",
        description="File name under evals/articles/; the article id is its stem.",
    )
    split: Literal["dev", "test"] = Field(
        description="dev: tune on it; test: frozen, report on it."
    )
    labeled_by: str = Field(min_length=1, max_length=80)
    labeled_at: str = Field(pattern=_DATE)
    checked_by: str = Field(min_length=1, max_length=80)
    checked_at: str = Field(pattern=_DATE)
    notes: str = Field(default="", max_length=4000)
    origin: Literal["from the text", "reviewed from a machine brief"] = Field(
        default="from the text", description="Where the labels came from: read from the "
        "article alone, or a machine brief checked and corrected in `summarizer review` (the "
        "labeler is then its reviewer).")
    brief: GoldBrief
    totals: Totals = Field(description="Totals as labeled; must equal derive_totals(brief).")

    @property
    def article_id(self) -> str:
        return Path(self.article).stem


def _models(model: type[BaseModel], seen: dict[str, type[BaseModel]]) -> None:
    if model.__name__ in seen:
        return
    seen[model.__name__] = model
    stack: list[Any] = [f.annotation for f in model.model_fields.values()]
    while stack:
        tp = stack.pop()
        if isinstance(tp, type) and issubclass(tp, BaseModel):
            _models(tp, seen)
        stack.extend(typing.get_args(tp))


def gold_json_schema() -> dict[str, Any]:
    """The exported gold schema (`summarizer/_schemas/gold.v1.json`).

    The Brief's models mark every key required in *their* schema, because strict
    structured-output servers want it on the wire; a gold file is written by hand, so here a
    key is required exactly when pydantic requires it.
    """
    schema = json_schema(Gold)
    models: dict[str, type[BaseModel]] = {}
    _models(Gold, models)
    for name, sub in [("Gold", schema), *schema.get("$defs", {}).items()]:
        model = models.get(name)
        if model is None or "properties" not in sub:
            continue
        required = [k for k, f in model.model_fields.items() if f.is_required()]
        if required:
            sub["required"] = required
        else:
            sub.pop("required", None)
    return schema


def load_gold(path: str | Path) -> Gold:
    """Read and validate one gold file; a broken file is a ConfigurationError naming it."""
    path = Path(path)
    try:
        return Gold.model_validate(json.loads(path.read_text(encoding="utf-8")))
    except (OSError, json.JSONDecodeError, PydanticValidationError) as exc:
        raise ConfigurationError(f"invalid gold file {path}: {exc}") from None


def gold_to_brief(gold: GoldBrief) -> Brief:
    """The gold brief as a prediction (the oracle): ranges dropped, aliases cut to the Brief's
    bound of five, a title quote kept as evidence in the title (unlocated: grounding finds
    it), totals derived by the pipeline's own rules (its null totals judged: the labeler read
    no figure of them, so each is a certain "none told")."""
    data = gold.model_dump(mode="json")
    for actor in data["actors"]:
        actor["aliases"] = actor["aliases"][:5]
    for rec in data["casualties"]:
        for slot in ("killed", "wounded"):
            _drop_range(rec.get(slot))
    for arr in data["arrests"]:
        _drop_range(arr.get("count"))
    brief = Brief.model_validate(data)
    totals = derive_totals(brief).model_copy(update={"uncounted": []})
    return brief.model_copy(update={"totals": totals})


def _drop_range(count: dict[str, object] | None) -> None:
    if count is not None:
        count.pop("low", None)
        count.pop("high", None)
