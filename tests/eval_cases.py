"""Hand-made eval fixtures (not recordings): gold briefs built in code and a tiny dataset."""

from __future__ import annotations

import copy
import json
from pathlib import Path
from typing import Any

from summarizer.brief import Brief, BriefDraft, derive_totals
from summarizer.evaluation import Gold, GoldBrief

from .conftest import SEED
from .seed_gold import SEED_DRAFT

RAID_TEXT = (
    "Raid on a checkpoint near Kolda\n\n"
    "Gunmen attacked a police checkpoint near Kolda on Monday, killing three police officers. "
    "Two of the attackers were killed in the exchange of fire, the army said. "
    "No group has claimed the attack. Police arrested four suspects on Tuesday."
)

RAID_DRAFT: dict[str, Any] = {
    "headline": "Gunmen kill three police officers at checkpoint near Kolda",
    "summary": "Gunmen killed three police officers near Kolda; two attackers died.",
    "actors": [
        {"name": "Gunmen", "aliases": ["attackers"], "kind": "armed group",
         "role": "perpetrator", "evidence": [{"quote": "Gunmen attacked a police checkpoint"}]},
        {"name": "police", "kind": "security force", "role": "victim",
         "evidence": [{"quote": "killing three police officers"}]},
    ],
    "casualties": [
        {"incident": "Kolda checkpoint attack", "location": "near Kolda",
         "group": "police officers", "side": "victims",
         "killed": {"value": 3, "qualifier": "exact"}, "wounded": None,
         "attribution": "unclaimed",
         "evidence": [{"quote": "killing three police officers"}]},
        {"incident": "Kolda checkpoint attack", "location": "near Kolda",
         "group": "attackers", "side": "attackers",
         "killed": {"value": 2, "qualifier": "exact"}, "wounded": None,
         "attribution": "unclaimed", "reported_by": "the army",
         "evidence": [{"quote": "Two of the attackers were killed in the exchange of fire"}]},
    ],
    "arrests": [
        {"count": {"value": 4, "qualifier": "exact"}, "who": "suspects", "by": "Police",
         "status": "arrested", "incident": "Kolda checkpoint attack",
         "evidence": [{"quote": "Police arrested four suspects on Tuesday"}]},
    ],
    "diplomatic_significance": {"level": "none", "summary": "", "parties": [], "evidence": []},
}


def gold_file(article: str, draft: dict[str, Any], split: str = "dev") -> dict[str, Any]:
    brief = GoldBrief.model_validate(draft)
    return {
        "gold_version": "1", "article": article, "split": split,
        "labeled_by": "fixture", "labeled_at": "2025-01-01",
        "checked_by": "fixture", "checked_at": "2025-01-02", "notes": "",
        "brief": copy.deepcopy(draft), "totals": derive_totals(brief).model_dump(mode="json"),
    }


def seed_gold() -> Gold:
    return Gold.model_validate(gold_file("palmyra-condolences.txt", SEED_DRAFT))


def raid_gold() -> Gold:
    return Gold.model_validate(gold_file("kolda-raid.txt", RAID_DRAFT))


def make_dataset(root: Path) -> Path:
    """A two-article dataset (the seed and the Kolda raid) under root."""
    (root / "articles").mkdir(parents=True)
    (root / "gold").mkdir()
    (root / "articles" / "palmyra-condolences.txt").write_text(SEED.read_text())
    (root / "articles" / "kolda-raid.txt").write_text(RAID_TEXT)
    (root / "gold" / "palmyra-condolences.json").write_text(
        json.dumps(gold_file("palmyra-condolences.txt", SEED_DRAFT)))
    (root / "gold" / "kolda-raid.json").write_text(
        json.dumps(gold_file("kolda-raid.txt", RAID_DRAFT, split="test")))
    return root


def draft(data: dict[str, Any]) -> Brief:
    """A prediction built from a (modified) copy of a gold draft."""
    return Brief.from_draft(BriefDraft.model_validate(copy.deepcopy(data)))
