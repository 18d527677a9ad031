"""Shared fixtures. Tests never reach a paid API: the providers' variables (OPENAI_*,
ANTHROPIC_*, GEMINI_*/GOOGLE_*, OLLAMA_*) are scrubbed for every test, so a key on a
developer's machine cannot leak into a recording or a bill."""

from __future__ import annotations

from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
SEED = ROOT / "samples" / "palmyra-condolences.txt"


@pytest.fixture(autouse=True)
def _no_paid_api(monkeypatch: pytest.MonkeyPatch) -> None:
    for var in ("OPENAI_API_KEY", "OPENAI_BASE_URL", "OPENAI_ORG_ID", "OPENAI_PROJECT_ID",
                "SUMMARIZER_BACKEND", "SUMMARIZER_MODEL", "SUMMARIZER_RECORDINGS",
                "ANTHROPIC_API_KEY", "ANTHROPIC_AUTH_TOKEN", "ANTHROPIC_BASE_URL",
                "GEMINI_API_KEY", "GOOGLE_API_KEY", "GOOGLE_GEMINI_BASE_URL",
                "GOOGLE_GENAI_API_VERSION", "GOOGLE_GENAI_USE_VERTEXAI", "OLLAMA_HOST",
                "OLLAMA_API_KEY"):
        monkeypatch.delenv(var, raising=False)


@pytest.fixture
def seed_path() -> Path:
    return SEED
