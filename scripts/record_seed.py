"""Re-record the seed article through the openai backend against llama.cpp's own server
serving the bundled SmolLM2 model (the real model reachable offline).

    python scripts/record_seed.py
"""

import os
import subprocess
import sys
from pathlib import Path

from summarizer.testing import LlamaServer

ROOT = Path(__file__).resolve().parents[1]
MODEL_NAME = "smollm2-135m-instruct"  # the name sent on the wire; part of the call key
SETTINGS = ["--max-tokens", "1024", "--max-reasks", "2"]  # tests/test_recordings.py uses these

with LlamaServer() as server:
    env = {**os.environ, "OPENAI_BASE_URL": server.url, "OPENAI_API_KEY": "not-needed"}
    sys.exit(subprocess.call(
        [sys.executable, "-m", "summarizer", "run",
         str(ROOT / "samples" / "palmyra-condolences.txt"), "--backend", "openai",
         "--model", MODEL_NAME, "--record", *SETTINGS,
         "--recordings", str(ROOT / "evals" / "recordings")], env=env, cwd=ROOT,
        stdout=subprocess.DEVNULL))
