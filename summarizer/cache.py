"""Content-addressed results: the same article through the same configuration is briefed once.

The result key hashes everything that changes a brief: the article's content hash, backend,
model, prompt id, wire-schema hash, decoding parameters, grounding policy, and what else the
backend says decides its answers (`Backend.identity()`: the server's base URL, the
structured-output mode, a local model's context size).
"""

from __future__ import annotations

import hashlib
import json
from pathlib import Path
from typing import Any

import platformdirs

from .atomic import atomic_write_text


def default_cache_dir() -> Path:
    return Path(platformdirs.user_cache_dir("summarizer")) / "results"


def result_key(*, content_hash: str, backend: str, model: str, prompt_id: str,
               schema_id: str, settings: dict[str, Any], policy: str,
               extra: dict[str, Any] | None = None) -> str:
    blob = json.dumps({"content": content_hash, "backend": backend, "model": model,
                       "prompt": prompt_id, "schema": schema_id, "settings": settings,
                       "policy": policy, "extra": extra or {}}, sort_keys=True)
    return hashlib.sha256(blob.encode()).hexdigest()


class ResultCache:
    """A folder of JSON results named by result key (two-level fan-out)."""

    def __init__(self, directory: Path | None = None) -> None:
        self.directory = Path(directory) if directory else default_cache_dir()

    def _path(self, key: str) -> Path:
        return self.directory / key[:2] / f"{key}.json"

    def get(self, key: str) -> dict[str, Any] | None:
        path = self._path(key)
        try:
            return dict(json.loads(path.read_text(encoding="utf-8")))
        except (OSError, ValueError):
            return None  # missing or damaged: brief it again

    def put(self, key: str, record: dict[str, Any]) -> None:
        self.put_text(key, json.dumps(record, ensure_ascii=False))

    def put_text(self, key: str, text: str) -> None:
        """Store a record already serialized as JSON."""
        atomic_write_text(self._path(key), text)
