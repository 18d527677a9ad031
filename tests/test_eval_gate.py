"""CI gate: the eval replayed from the committed recordings reproduces the committed reports
(evals/baselines/<split>/report.json) to four decimals, with the seeded bootstrap. Any
difference is a code change to explain (and a re-record: python scripts/record_eval.py)."""

import json
import subprocess
import sys

import pytest

from .conftest import ROOT

BASELINES = ROOT / "evals" / "baselines"
CONFIGS = ["rules", "hybrid", "constrained", "local"]  # as scripts/record_eval.py records them


@pytest.mark.gate
@pytest.mark.skipif(not (BASELINES / "dev" / "report.json").exists(),
                    reason="no committed baseline: python scripts/record_eval.py")
def test_replayed_eval_reproduces_the_committed_reports(tmp_path):
    cmd = [sys.executable, "-m", "summarizer", "eval", "--dataset", str(ROOT / "evals"),
           *[a for c in CONFIGS for a in ("--backend", c)], "--replay",
           "--max-tokens", "768", "--max-reasks", "0",
           "--recordings", str(ROOT / "evals" / "recordings"), "--out", str(tmp_path),
           "--check", str(BASELINES)]
    done = subprocess.run(cmd, capture_output=True, text=True, timeout=1500, cwd=ROOT)
    assert done.returncode == 0, done.stderr[-3000:]
    assert done.stderr.count("reproduces") == 2  # dev and test
    for split in ("dev", "test"):
        report = json.loads((tmp_path / split / "report.json").read_text())
        assert set(CONFIGS) <= set(json.dumps(report["metrics"]).replace('"', " ").split())
        assert (tmp_path / split / "report.md").exists()
