import json

import pytest
from pydantic import ValidationError as PydanticValidationError

from summarizer.brief import (
    MAX_COUNT,
    Brief,
    BriefDraft,
    Total,
    derive_totals,
    json_schema,
    schema_id,
)

from .seed_gold import SEED_DRAFT, seed_draft


def test_seed_totals_are_7_killed_1_wounded_8_arrested():
    totals = derive_totals(seed_draft())
    assert totals.killed == Total(low=7, high=7)
    assert totals.wounded == Total(low=1, high=1)
    assert totals.arrested == Total(low=8, high=8)


def test_brief_from_draft_carries_totals_and_unlocated_evidence():
    brief = Brief.from_draft(seed_draft())
    assert brief.totals.killed == Total(low=7, high=7)
    assert brief.casualties[0].evidence[0].start is None
    assert brief.casualties[0].evidence[0].match == "unlocated"


def _draft(**overrides):
    data = json.loads(json.dumps(SEED_DRAFT))
    data.update(overrides)
    return BriefDraft.model_validate(data)


def _cas(group, killed=None, wounded=None, side="victims", incident="X", source=None, **kw):
    rec = {"incident": incident, "group": group, "side": side, "reported_by": source, **kw}
    rec["killed"] = None if killed is None else {"value": killed}
    rec["wounded"] = None if wounded is None else {"value": wounded}
    return rec


def test_attackers_are_not_in_victim_totals():
    d = _draft(casualties=[_cas("civilians", 5), _cas("gunmen", 2, side="attackers")])
    assert derive_totals(d).killed == Total(low=5, high=5)


def test_disagreeing_sources_give_a_range():
    d = _draft(casualties=[_cas("civilians", 10, source="police"),
                           _cas("civilians", 14, source="medics"),
                           _cas("police officers", 2)])
    assert derive_totals(d).killed == Total(low=12, high=16)


def test_revised_figure_replaces_the_superseded_one():
    d = _draft(casualties=[_cas("civilians", 10, superseded=True), _cas("civilians", 13)])
    assert derive_totals(d).killed == Total(low=13, high=13)


def test_charged_and_released_do_not_add_to_arrests():
    arrests = [{"count": {"value": 6}, "who": "men", "status": "arrested"},
               {"count": {"value": 2}, "who": "two of them", "status": "charged"},
               {"count": {"value": 1}, "who": "one", "status": "released"}]
    assert derive_totals(_draft(arrests=arrests)).arrested == Total(low=6, high=6)


def test_null_is_not_zero():
    d = _draft(casualties=[_cas("civilians", killed=None, wounded=0)], arrests=[])
    totals = derive_totals(d)
    assert totals.killed is None
    assert totals.wounded == Total(low=0, high=0)
    assert totals.arrested is None


def test_at_least_propagates():
    d = _draft(casualties=[{**_cas("civilians"), "killed": {"value": 12,
                                                            "qualifier": "at least"}}])
    assert derive_totals(d).killed == Total(low=12, high=12, at_least=True)


@pytest.mark.parametrize("bad", [-1, MAX_COUNT + 1])
def test_counts_are_bounded(bad):
    with pytest.raises(PydanticValidationError):
        _draft(casualties=[_cas("civilians", bad)])


def test_extra_fields_are_forbidden():
    with pytest.raises(PydanticValidationError):
        _draft(sentiment="grim")


def test_every_list_string_and_number_in_the_draft_schema_is_bounded():
    schema = json_schema(BriefDraft)
    unbounded = []

    def walk(node, path):
        if isinstance(node, dict):
            t = node.get("type")
            if t == "array" and "maxItems" not in node:
                unbounded.append(path)
            if t == "string" and "maxLength" not in node and "enum" not in node:
                unbounded.append(path)
            if t == "integer" and "maximum" not in node:
                unbounded.append(path)
            for k, v in node.items():
                walk(v, f"{path}.{k}")
        elif isinstance(node, list):
            for i, v in enumerate(node):
                walk(v, f"{path}[{i}]")

    walk(schema, "$")
    assert unbounded == []


def test_schema_names_the_fields_and_has_descriptions():
    text = json.dumps(json_schema(Brief))
    for name in ("headline", "actors", "casualties", "arrests", "diplomatic_significance",
                 "evidence", "totals"):
        assert f'"{name}"' in text
    draft = json_schema(BriefDraft)
    for name, prop in draft["properties"].items():
        assert prop.get("description"), name


def test_schema_id_changes_with_the_contract():
    assert schema_id(BriefDraft) != schema_id(Brief)
    assert schema_id(BriefDraft).startswith("BriefDraft/v1+")
