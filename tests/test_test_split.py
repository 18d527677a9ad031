"""The test split is frozen: its articles and gold files match the committed hashes, so no
one tunes on it unnoticed. Changing it is a deliberate, reviewed edit of
evals/test_split.sha256."""

import hashlib
import json

from .conftest import ROOT

EVALS = ROOT / "evals"


def _frozen() -> dict[str, str]:
    lines = (EVALS / "test_split.sha256").read_text().splitlines()
    return {path: digest for digest, path in (ln.split("  ", 1) for ln in lines
                                              if ln.strip() and not ln.startswith("#"))}


def test_test_split_matches_its_frozen_hashes():
    frozen = _frozen()
    assert len(frozen) >= 2 * 10
    for path, digest in frozen.items():
        assert hashlib.sha256((EVALS / path).read_bytes()).hexdigest() == digest, path


def test_every_test_split_file_is_frozen():
    frozen = _frozen()
    for gold in sorted((EVALS / "gold").glob("*.json")):
        doc = json.loads(gold.read_text())
        if doc["split"] == "test":
            assert f"gold/{gold.name}" in frozen and f"articles/{doc['article']}" in frozen
