"""`summarizer run --engine ray` beside the local run on the same articles (issue 22).

    python bench/ray_engine.py [--articles 1000] [--latency 0.1] [--concurrency 16]
                               [--actors 2] [--write]

Against a fresh loopback server with a fixed latency for each run (bench/latency_server.py,
its own process), each client a whole process from start to its last output written:
`summarizer run` locally at --concurrency C and at N·C (the same calls in flight as the Ray
run), then with `--engine ray --ray-actors N --ray-concurrency C` on a local Ray that the run
starts and stops. Prints walls and throughput, Ray's start-up and briefing phase (run.json),
the actors used, and checks that every run briefed every article once with the same result
keys as the local run. `--write` replaces this section of docs/benchmarks.md.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))
from remote_path import server, stats, write_corpus, write_doc  # noqa: E402  (bench/ is no package)

HEADING = "## Ray engine (issue 22)"


def run_one(corpus: Path, out: Path, latency: float, extra: list[str]) -> dict[str, Any]:
    """One `summarizer run` against a fresh server: wall, run.json, what the server saw."""
    with server(latency) as url:
        # Ray runs its workers at niceness 15; on a machine shared with other work that
        # alone would slow them against the local run's process, so here they run at 0.
        env = {**os.environ, "OPENAI_BASE_URL": url, "OPENAI_API_KEY": "not-needed",
               "RAY_USAGE_STATS_ENABLED": "0", "RAY_worker_niceness": "0"}
        cmd = [sys.executable, "-m", "summarizer", "run", str(corpus), "--out", str(out),
               "--no-cache", "--quiet", "--model", "bench", *extra]
        start = time.perf_counter()
        done = subprocess.run(cmd, env=env, capture_output=True, text=True)
        wall = time.perf_counter() - start
        seen = stats(url)
    if done.returncode != 0:
        raise SystemExit(f"{' '.join(extra)} failed ({done.returncode}): {done.stderr[-2000:]}")
    return {"wall": wall, "run": json.loads((out / "run.json").read_text()), "server": seen,
            "keys": result_keys(out), "stderr": done.stderr.strip()}


def result_keys(out: Path) -> dict[str, str]:
    """output -> result key of briefs.jsonl; an output twice is a failure."""
    keys: dict[str, str] = {}
    for line in (out / "briefs.jsonl").read_text().splitlines():
        row = json.loads(line)
        if row["output"] in keys:
            raise SystemExit(f"{out.name}: {row['output']} is in briefs.jsonl twice")
        keys[row["output"]] = row["result_key"]
    return keys


def check(runs: dict[str, dict[str, Any]], n: int) -> str:
    base = runs["local"]["keys"]
    if len(base) != n:
        raise SystemExit(f"local run briefed {len(base)} of {n}")
    for name, r in runs.items():
        if r["keys"] != base:
            lost = len(set(base) - set(r["keys"]))
            raise SystemExit(f"{name}: result keys differ from the local run's ({lost} lost)")
        if r["run"]["failed"] or r["run"]["briefed"] != n:
            raise SystemExit(f"{name}: {r['run']['briefed']} briefed, {r['run']['failed']} failed")
    actors = len(runs["ray"]["run"]["engine"]["actors"])
    return (f"checked: {n} articles in each run, each briefed once, result keys identical to "
            f"the local run's; the Ray run used {actors} actors")


def render(runs: dict[str, dict[str, Any]], args: argparse.Namespace, verdict: str) -> str:
    n, c, a = args.articles, args.concurrency, args.actors
    lines = [HEADING, "",
             f"`python bench/ray_engine.py --articles {n} --latency {args.latency} "
             f"--concurrency {c} --actors {a}` on {platform.machine()}, {os.cpu_count()} "
             f"cores, Python {platform.python_version()}; each client a whole process, start "
             "to last output written (a local Ray's start and stop included; Ray's workers at "
             "niceness 0), against bench/latency_server.py in its own process; load average "
             f"{os.getloadavg()[0]:.1f} at the end (other work on the machine).", "",
             "| run | in flight | ideal N·L/in flight | wall | articles/s | Ray start | "
             "briefing phase (actors start in it) | actors (articles each) | "
             "server: requests, most at once |",
             "|---|---|---|---|---|---|---|---|---|"]
    for r in runs.values():
        eng = r["run"].get("engine") or {}
        flight = r["flight"]
        phase = ""
        if eng.get("brief_s"):  # after the first batch's answers: the actors are up
            steady = (n - eng["batch_size"]) / max(eng["brief_s"] - eng["first_answer_s"], 1e-3)
            phase = (f"{eng['brief_s']:.1f} s, first answer at {eng['first_answer_s']:.1f} s, "
                     f"{steady:.0f}/s after it")
        actors = ", ".join(str(x["articles"]) for x in eng.get("actors", [])) or "in process"
        lines.append(f"| {r['label']} | {flight} | {n * args.latency / flight:.1f} s | "
                     f"{r['wall']:.1f} s | {n / r['wall']:.0f} | "
                     f"{eng.get('start_s', 0):.1f} s | {phase} | {actors} | "
                     f"{r['server']['requests']}, {r['server']['most']} |")
    note = ("Read: on one machine the whole-process walls favour the local run, since Ray's "
            "start and its actors' (a process each, importing the pipeline) are fixed costs and "
            "every process shares the same cores; the rate after the first answer is the part "
            "that grows with actors and machines, up to what the server (the provider's rate "
            "limit) takes.")
    return "\n".join([*lines, "", verdict, "", note]) + "\n"


def main() -> int:
    parser = argparse.ArgumentParser(description=(__doc__ or "").split("\n\n")[0])
    parser.add_argument("--articles", type=int, default=1000)
    parser.add_argument("--latency", type=float, default=0.1)
    parser.add_argument("--concurrency", type=int, default=16, help="per actor, and local")
    parser.add_argument("--actors", type=int, default=2)
    parser.add_argument("--write", action="store_true", help="update docs/benchmarks.md")
    args = parser.parse_args()
    c, a = args.concurrency, args.actors
    plan = {"local": (f"local, --concurrency {c}", c, ["--concurrency", str(c)]),
            "local-wide": (f"local, --concurrency {a * c}", a * c,
                           ["--concurrency", str(a * c)]),
            "ray": (f"--engine ray, {a} actors × {c}", a * c,
                    ["--engine", "ray", "--ray-actors", str(a), "--ray-concurrency", str(c)])}
    runs: dict[str, dict[str, Any]] = {}
    with tempfile.TemporaryDirectory() as tmp_name:
        tmp = Path(tmp_name)
        write_corpus(tmp / "articles", args.articles)
        for name, (label, flight, extra) in plan.items():
            runs[name] = {**run_one(tmp / "articles", tmp / name, args.latency, extra),
                          "label": label, "flight": flight}
            print(f"{label}: {runs[name]['wall']:.1f} s", file=sys.stderr, flush=True)
    verdict = check(runs, args.articles)
    section = render(runs, args, verdict)
    print(section)
    if args.write:
        write_doc(section, HEADING)
    return 0


if __name__ == "__main__":
    sys.exit(main())
