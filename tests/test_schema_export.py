"""The exported schemas in summarizer/_schemas/ are the contract: a drift fails here.
Regenerate with: summarizer schema --write summarizer/_schemas"""

import json

from summarizer.brief import Brief, BriefDraft, json_schema

from .cli import run_cli
from .conftest import ROOT


def test_exports_match_the_models():
    for name, model in (("brief.v1.json", Brief), ("brief_draft.v1.json", BriefDraft)):
        committed = json.loads((ROOT / "summarizer" / "_schemas" / name).read_text())
        assert committed == json_schema(model), f"summarizer/_schemas/{name} drifted: regenerate it"


def test_review_schema_is_exported():
    from summarizer.review.store import review_json_schema

    committed = json.loads((ROOT / "summarizer" / "_schemas" / "review.v1.json").read_text())
    assert committed == review_json_schema(), "summarizer/_schemas/review.v1.json drifted"
    assert {"result_key", "reviewer", "reviewed_at", "base", "edits", "status"} <= set(
        committed["properties"])


def test_cli_schema_prints_the_brief_and_the_draft():
    out = run_cli(["schema"], check=True).stdout
    schema = json.loads(out)
    assert schema["title"] == "Brief"
    for field in ("headline", "actors", "casualties", "arrests", "diplomatic_significance"):
        assert field in schema["properties"]
    draft = run_cli(["schema", "--draft"], check=True).stdout
    assert json.loads(draft)["title"] == "BriefDraft"
