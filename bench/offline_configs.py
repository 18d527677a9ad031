"""Seconds per article of each offline configuration, for choosing the offline default.

    python bench/offline_configs.py [--articles 5] [--write evals/baselines/timing.json]

Briefs the first N dev articles of the gold corpus with each configuration live (no
recordings, no cache; the eval's settings: --max-tokens 768 --max-reasks 0), one
configuration at a time (two llama.cpp jobs on 2 cores thrash), and prints wall seconds per
article side by side. Model load is timed apart and excluded, as a batch pays it once.
`--write` stores the figures with when and where they were measured; the default choice
(summarizer/evaluation/default_choice.py) reads them for its tie-break.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import platform
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from summarizer.backends import resolve_backend  # noqa: E402
from summarizer.backends.base import Settings  # noqa: E402
from summarizer.errors import ExtractionFailed  # noqa: E402
from summarizer.evaluation import load_dataset  # noqa: E402
from summarizer.pipeline import summarize  # noqa: E402

CONFIGS = ("rules", "hybrid", "constrained", "local")


def time_config(name: str, articles: list, settings: Settings) -> dict[str, float]:
    backend = resolve_backend(name)
    started = time.perf_counter()
    summarize(articles[0], backend=backend, settings=settings)  # warm-up: loads the model
    load_s = time.perf_counter() - started
    walls = []
    for article in articles:
        t0 = time.perf_counter()
        try:
            summarize(article, backend=backend, settings=settings)
        except ExtractionFailed:
            pass  # a failed brief took its time too
        walls.append(time.perf_counter() - t0)
    return {"seconds_per_article": sum(walls) / len(walls), "first_call_s": load_s}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--articles", type=int, default=5)
    parser.add_argument("--configs", nargs="+", default=list(CONFIGS))
    parser.add_argument("--write", metavar="JSON")
    args = parser.parse_args()
    cases = [c for c in load_dataset(ROOT / "evals", split="dev")][: args.articles]
    articles = [c.article for c in cases]
    settings = Settings(max_tokens=768, max_reasks=0)
    results = {}
    for name in args.configs:
        results[name] = time_config(name, articles, settings)
        print(f"{name:9s} {results[name]['seconds_per_article']:8.3f} s/article "
              f"(first call, with model load: {results[name]['first_call_s']:.2f} s)",
              flush=True)
    if args.write:
        record = {
            "seconds_per_article": {k: round(v["seconds_per_article"], 4)
                                    for k, v in results.items()},
            "articles": [c.id for c in cases],
            "settings": {"max_tokens": 768, "max_reasks": 0},
            "measured_at": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
            "machine": f"{platform.machine()}, {len(os.sched_getaffinity(0))} cores, "
                       f"Python {platform.python_version()}",
            # llama.cpp's threads spin: other jobs on the cores slow the model configurations
            # far more than the rules, so say how busy the machine was.
            "load_average_at_end": [round(x, 2) for x in os.getloadavg()],
            "command": "python bench/offline_configs.py " + " ".join(sys.argv[1:]),
        }
        Path(args.write).write_text(json.dumps(record, indent=2) + "\n", encoding="utf-8")
        print(f"wrote {args.write}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
