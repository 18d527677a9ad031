"""A run at any size: wall, articles a second, peak memory and the viewer's largest page,
at growing corpus sizes, in one run (issue 30).

    python bench/scale.py [--sizes 1000 10000 100000] [--openai 10000] [--baseline REV]
                          [--write]

Each size is one JSONL file of short reports (one article a line), briefed by
`summarizer run FILE --out OUT --backend rules --no-cache` as a whole process; peak memory is
the child's maximum resident set (getrusage). `--openai N` adds a run of N articles with the
openai backend against bench/latency_server.py (10 ms latency, --concurrency 32). With
`--baseline REV` every run is repeated against REV's code (a temporary git worktree first on
PYTHONPATH), side by side. `--write` replaces this section of docs/benchmarks.md.
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import platform
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from remote_path import server, write_doc  # noqa: E402
from startup import lay_out_data  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]
HEADING = "## A run at any size (issue 30)"


def write_jsonl(path: Path, n: int) -> None:
    with path.open("w", encoding="utf-8") as fh:
        for i in range(n):
            fh.write(json.dumps({
                "id": f"r{i:07d}", "title": f"Attack in district {i}",
                "text": f"Gunmen killed {i % 7 + 1} people and wounded {i % 5 + 2} in district "
                        f"{i} on Monday, police said. Officers arrested {i % 4 + 1} suspects on "
                        "Tuesday. The district has seen unrest since 2021."}) + "\n")


def run_once(code: Path, corpus: Path, out: Path, extra: list[str],
             env: dict[str, str]) -> dict[str, float]:
    """One whole `summarizer run` process: wall, peak RSS (MB), the largest page (MB)."""
    cmd = [sys.executable, "-m", "summarizer", "run", str(corpus), "--out", str(out),
           "--no-cache", "--quiet", *extra]
    started = time.perf_counter()
    done = subprocess.run(cmd, env={**env, "PYTHONPATH": str(code)}, cwd=code,
                          capture_output=True, text=True)
    wall = time.perf_counter() - started
    if done.returncode != 0:
        raise SystemExit(f"run failed ({done.returncode}): {done.stderr[-2000:]}")
    # ru_maxrss of the children so far: this child is the largest yet (sizes grow), and the
    # baseline and this tree alternate within a size, so each is read right after its run
    rss = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    pages = [out / "index.html", *sorted((out / "pages").glob("*.html"))]
    largest = max((p.stat().st_size for p in pages if p.exists()), default=0) / 1e6
    rows = records = 0
    with (out / "briefs.jsonl").open(encoding="utf-8") as fh:
        for line in fh:
            rows += 1
            records += len(json.loads(line)["brief"]["casualties"])
    table = out / "casualties.csv"  # issue 31: a row per casualty record (-1: no table)
    with table.open(encoding="utf-8", newline="") if table.exists() else open(os.devnull) as fh:
        cas_rows = sum(1 for _ in csv.reader(fh)) - 1 if table.exists() else -1
    return {"wall": wall, "rss": rss, "page_mb": largest, "rows": rows,
            "cas_records": records, "cas_rows": cas_rows}


def measure_rss(code: Path, corpus: Path, out: Path, extra: list[str],
                env: dict[str, str]) -> dict[str, float]:
    """run_once in a fresh helper process, so RUSAGE_CHILDREN's maximum is this run's own."""
    script = (f"import json, sys; sys.path.insert(0, {str(ROOT / 'bench')!r}); "
              "from scale import run_once; from pathlib import Path; "
              f"print(json.dumps(run_once(Path({str(code)!r}), Path({str(corpus)!r}), "
              f"Path({str(out)!r}), {extra!r}, dict(__import__('os').environ))))")
    done = subprocess.run([sys.executable, "-c", script], env=env, capture_output=True,
                          text=True, check=True)
    return dict(json.loads(done.stdout.strip().splitlines()[-1]))


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[1000, 10_000, 100_000])
    parser.add_argument("--openai", type=int, default=0, metavar="N")
    parser.add_argument("--baseline", metavar="REV")
    parser.add_argument("--write", action="store_true")
    args = parser.parse_args()
    env = {k: v for k, v in os.environ.items() if not k.startswith(("OPENAI_", "SUMMARIZER_"))}
    rows: list[tuple[str, str, int, dict[str, float]]] = []
    with tempfile.TemporaryDirectory() as tmp:
        trees = {"this tree": ROOT}
        if args.baseline:
            base = Path(tmp) / "baseline"
            subprocess.run(["git", "-C", str(ROOT), "worktree", "add", "--detach", "-q",
                            str(base), args.baseline], check=True)
            trees[f"baseline {args.baseline}"] = base
            lay_out_data(base)
        try:
            plans = [("rules", n, ["--backend", "rules"]) for n in args.sizes]
            if args.openai:
                plans.append(("openai, 10 ms server, C=32", args.openai,
                              ["--model", "bench", "--concurrency", "32"]))
            for label, n, extra in plans:
                corpus = Path(tmp) / f"corpus-{n}.jsonl"
                if not corpus.exists():
                    write_jsonl(corpus, n)
                for tree, code in trees.items():
                    out = Path(tmp) / f"out-{label[:6]}-{n}-{tree[:4]}"
                    if label == "rules":
                        got = measure_rss(code, corpus, out, extra, env)
                    else:
                        with server(0.01) as url:
                            got = measure_rss(code, corpus, out, extra, {
                                **env, "OPENAI_BASE_URL": url, "OPENAI_API_KEY": "not-needed"})
                    rows.append((tree, label, n, got))
                    print(f"{tree}: {label} {n:,}: {got}", file=sys.stderr)
                    subprocess.run(["rm", "-rf", str(out)], check=False)
        finally:
            if args.baseline:
                subprocess.run(["git", "-C", str(ROOT), "worktree", "remove", "--force",
                                str(trees[f"baseline {args.baseline}"])], check=False)
    cmd = "python bench/scale.py --sizes " + " ".join(map(str, args.sizes)) + (
        f" --openai {args.openai}" if args.openai else "") + (
        f" --baseline {args.baseline}" if args.baseline else "")
    lines = [HEADING, "",
             f"`{cmd}` on {platform.machine()}, {os.cpu_count()} cores, Python "
             f"{platform.python_version()}; short reports in one JSONL file, each run a whole "
             f"process; load average {os.getloadavg()[0]:.1f} at the end.", "",
             "| code | backend | articles | wall | articles/s | wall/article | peak RSS | "
             "largest page | rows | casualties.csv rows / casualty records |",
             "|---|---|---|---|---|---|---|---|---|---|"]
    for tree, label, n, r in rows:
        lines.append(f"| {tree} | {label} | {n:,} | {r['wall']:.1f} s | {n / r['wall']:,.0f} | "
                     f"{r['wall'] / n * 1000:.2f} ms | {r['rss']:.0f} MB | "
                     f"{r['page_mb']:.1f} MB | {int(r['rows']):,} | "
                     + (f"{int(r['cas_rows']):,} / {int(r['cas_records']):,} |"
                        if r.get("cas_rows", -1) >= 0 else "— |"))
    section = "\n".join(lines) + "\n"
    print(section)
    if args.write:
        write_doc(section, HEADING)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
