"""The committed seed recording: a real call of the openai backend against llama.cpp's own
server serving the bundled SmolLM2 (scripts/record_seed.py). Replays offline."""

import json
from pathlib import Path

import pytest

from summarizer.backends import resolve_backend
from summarizer.backends.base import Settings
from summarizer.brief import BriefDraft
from summarizer.errors import ReplayMissError
from summarizer.pipeline import summarize
from summarizer.prompts import PromptTemplate, load_prompt

from .conftest import ROOT

RECORDINGS = ROOT / "evals" / "recordings"
MODEL = "smollm2-135m-instruct"
SETTINGS = Settings(max_tokens=1024, max_reasks=2)  # as scripts/record_seed.py recorded


def _seed_recordings() -> list[dict]:
    docs = [json.loads(p.read_text()) for p in sorted(RECORDINGS.glob("*.json"))]
    return [d for d in docs if d["provenance"]["backend"] == "openai"
            and d["provenance"]["model"] == MODEL]


def _replay_backend():
    return resolve_backend("openai", model=MODEL, recording="replay",
                           recordings_dir=RECORDINGS)


def test_seed_recording_has_provenance_and_no_secrets():
    docs = _seed_recordings()
    assert docs, "run: python scripts/record_seed.py"
    for doc in docs:
        prov = doc["provenance"]
        assert prov["mode"] == "tools"  # probed: llama.cpp's server rejects json_schema
        assert prov["recorded_at"] and prov["versions"]["llama-cpp-python"]
        text = json.dumps(doc).lower()
        assert "authorization" not in text and "bearer" not in text


def test_seed_replays_to_the_recorded_brief_offline(seed_path, monkeypatch):
    # no server anywhere: a request that left the process would fail to connect
    monkeypatch.setenv("OPENAI_BASE_URL", "http://127.0.0.1:9/v1")
    result = summarize(seed_path, backend=_replay_backend(), settings=SETTINGS)
    # the accepted answer is the last attempt: the request carrying the most messages
    final = max(_seed_recordings(), key=lambda d: len(d["request"]["body"]["messages"]))
    last = final["response"]["body"]["choices"][0]["message"]
    recorded = BriefDraft.model_validate_json(last["tool_calls"][0]["function"]["arguments"])
    assert result.brief.headline == recorded.headline
    assert len(result.brief.casualties) == len(recorded.casualties)
    assert result.provenance.mode == "tools"
    assert result.provenance.model == MODEL
    again = summarize(seed_path, backend=_replay_backend(), settings=SETTINGS)
    assert again.brief == result.brief


def test_one_changed_character_in_the_prompt_is_a_loud_miss(seed_path, monkeypatch):
    monkeypatch.setenv("OPENAI_BASE_URL", "http://127.0.0.1:9/v1")
    p = load_prompt()
    changed = PromptTemplate(p.name, p.version, p.system_source.replace("careful", "carefull", 1),
                             p.user_source)
    with pytest.raises(ReplayMissError) as err:
        summarize(seed_path, backend=_replay_backend(), prompt=changed, settings=SETTINGS)
    message = str(err.value)
    assert err.value.key in message
    assert "summarizer run" in message and "--record" in message
    assert Path(err.value.directory) == RECORDINGS
