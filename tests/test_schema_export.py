"""The exported schemas in summarizer/_schemas/ are the contract: a drift fails here.
Regenerate with: summarizer schema --write summarizer/_schemas"""

import json
import subprocess
import sys

from summarizer.brief import Brief, BriefDraft, json_schema

from .conftest import ROOT


def test_exports_match_the_models():
    for name, model in (("brief.v1.json", Brief), ("brief_draft.v1.json", BriefDraft)):
        committed = json.loads((ROOT / "summarizer" / "_schemas" / name).read_text())
        assert committed == json_schema(model), f"summarizer/_schemas/{name} drifted: regenerate it"


def test_cli_schema_prints_the_brief_and_the_draft():
    out = subprocess.run([sys.executable, "-m", "summarizer", "schema"], capture_output=True,
                         text=True, check=True).stdout
    schema = json.loads(out)
    assert schema["title"] == "Brief"
    for field in ("headline", "actors", "casualties", "arrests", "diplomatic_significance"):
        assert field in schema["properties"]
    draft = subprocess.run([sys.executable, "-m", "summarizer", "schema", "--draft"],
                           capture_output=True, text=True, check=True).stdout
    assert json.loads(draft)["title"] == "BriefDraft"
