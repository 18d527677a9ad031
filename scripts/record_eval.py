"""Record the local model over the whole eval corpus, for every offline configuration, and
write the committed report that CI's replay gate must reproduce to four decimals.

    python scripts/record_eval.py            # record the model calls, then the baselines
    python scripts/record_eval.py --replay   # the baselines again from the recordings

`--replay` is for a change that moves no recorded call (the rules' reading, which the
`rules` and `hybrid` columns take their facts from): `scripts/grammar_inputs.py --check`
says whether the calls' inputs moved; if they did, record instead.

Real calls of the bundled SmolLM2-135M (llama.cpp in process); takes tens of minutes on 2
cores. The settings here are the eval's: tests/test_eval_gate.py replays with the same ones.
"""

import shutil
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
CONFIGS = ["rules", "hybrid", "constrained", "local"]
SETTINGS = ["--max-tokens", "768", "--max-reasks", "0"]
OUT = ROOT / "eval-out"

cmd = [sys.executable, "-m", "summarizer", "eval", "--dataset", str(ROOT / "evals"),
       *[a for c in CONFIGS for a in ("--backend", c)],
       "--replay" if "--replay" in sys.argv[1:] else "--record", *SETTINGS,
       "--recordings", str(ROOT / "evals" / "recordings"), "--out", str(OUT)]
code = subprocess.call(cmd, cwd=ROOT)
if code == 0:  # the committed baseline: one report per split
    dest = ROOT / "evals" / "baselines"
    shutil.rmtree(dest, ignore_errors=True)
    shutil.copytree(OUT, dest, ignore=shutil.ignore_patterns("diffs.md"))
sys.exit(code)
