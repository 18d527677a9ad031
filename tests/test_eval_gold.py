"""The gold format: its exported schema, its rules, and every committed gold file."""

import copy
import json
from pathlib import Path

import pytest
from pydantic import ValidationError as PydanticValidationError

from summarizer.article import load_article
from summarizer.brief import derive_totals
from summarizer.errors import ConfigurationError
from summarizer.evaluation import GOLD_SCHEMA_FILE, Gold, gold_json_schema, load_gold
from summarizer.evaluation.gold import GoldCount, gold_to_brief

from .conftest import ROOT
from .eval_cases import gold_file, seed_gold
from .seed_gold import SEED_DRAFT

GOLD_FILES = sorted((ROOT / "evals" / "gold").glob("*.json"))


def test_exported_gold_schema_matches_the_model():
    committed = json.loads((ROOT / "summarizer" / "_schemas" / GOLD_SCHEMA_FILE).read_text())
    assert committed == gold_json_schema(), (
        f"summarizer/_schemas/{GOLD_SCHEMA_FILE} drifted: regenerate it from gold_json_schema()")


def test_gold_schema_requires_only_what_pydantic_requires():
    schema = gold_json_schema()
    assert "notes" not in schema["required"]
    assert schema["$defs"]["GoldCount"]["required"] == ["value"]
    assert schema["$defs"]["GoldActor"]["properties"]["aliases"]["maxItems"] == 20


def test_seed_gold_totals_are_the_designs():
    gold = seed_gold()
    assert (gold.totals.killed.low, gold.totals.wounded.low, gold.totals.arrested.low) == (7, 1, 8)
    assert gold.article_id == "palmyra-condolences"


def test_unknown_keys_are_refused():
    data = gold_file("a.txt", SEED_DRAFT)
    data["labeler"] = "x"
    with pytest.raises(PydanticValidationError):
        Gold.model_validate(data)
    data = gold_file("a.txt", SEED_DRAFT)
    data["brief"] = copy.deepcopy(SEED_DRAFT)
    data["brief"]["casualties"][0]["killed"]["min"] = 1
    with pytest.raises(PydanticValidationError):
        Gold.model_validate(data)


def test_count_range_must_hold_the_value():
    assert GoldCount(value=12, qualifier="at least", low=12, high=15).bounds == (12, 15)
    assert GoldCount(value=3).bounds == (3, 3)
    with pytest.raises(PydanticValidationError):
        GoldCount(value=20, low=12, high=15)


def test_gold_aliases_are_more_generous_than_the_drafts():
    data = gold_file("a.txt", SEED_DRAFT)
    data["brief"]["actors"][2]["aliases"] = [f"IS name {i}" for i in range(20)]
    gold = Gold.model_validate(data)
    assert len(gold_to_brief(gold.brief).actors[2].aliases) == 5  # the Brief's own bound


def test_a_quote_may_stand_in_the_title():
    data = gold_file("a.txt", SEED_DRAFT)
    data["brief"]["casualties"][0]["evidence"].append(
        {"quote": "Rare Condolences After Deadly IS Attack", "where": "title"})
    gold = Gold.model_validate(data)
    evidence = gold_to_brief(gold.brief).casualties[0].evidence
    assert [e.where for e in evidence][-2:] == ["text", "title"]
    data["brief"]["casualties"][0]["evidence"][-1]["where"] = "caption"
    with pytest.raises(PydanticValidationError):
        Gold.model_validate(data)
    # a quote written before `where` existed is of the text, as it was
    assert Gold.model_validate(gold_file("a.txt", SEED_DRAFT)).brief.casualties[0].evidence[
        0].where == "text"


def test_article_is_a_file_name_not_a_path():
    with pytest.raises(PydanticValidationError):
        Gold.model_validate(gold_file("../x.txt", SEED_DRAFT))


def test_a_broken_gold_file_names_itself(tmp_path: Path):
    bad = tmp_path / "bad.json"
    bad.write_text("{")
    with pytest.raises(ConfigurationError, match="bad.json"):
        load_gold(bad)


@pytest.mark.skipif(not GOLD_FILES, reason="no gold files yet")
@pytest.mark.parametrize("path", GOLD_FILES, ids=lambda p: p.stem)
def test_committed_gold_file_is_valid(path: Path):
    gold = load_gold(path)
    assert path.stem == gold.article_id, "a gold file is named after its article"
    article = load_article(ROOT / "evals" / "articles" / gold.article)
    haystacks = [article.text, article.title or ""]
    brief = gold.brief
    items = [*brief.actors, *brief.casualties, *brief.arrests, brief.diplomatic_significance]
    for item in items:
        for ev in item.evidence:
            assert any(ev.quote in h for h in haystacks), (
                f"{path.name}: quote not in the article: {ev.quote!r}")
            if ev.where == "title":
                assert ev.quote in (article.title or ""), f"{path.name}: not in the title"
    # killed_all_sides came after the test split was frozen: checked where it is labeled.
    labeled = set(gold.totals.model_fields_set) | {"killed", "wounded", "arrested"}
    assert derive_totals(brief).model_dump(include=labeled) == gold.totals.model_dump(
        include=labeled), f"{path.name}: labeled totals != derived totals"


def test_dev_gold_labels_killed_on_all_sides():
    """Every dev gold file gives totals.killed_all_sides (the test split was frozen before)."""
    for path in GOLD_FILES:
        gold = load_gold(path)
        if gold.split == "dev":
            assert "killed_all_sides" in gold.totals.model_fields_set, path.name
