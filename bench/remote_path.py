"""The remote path against a plain async loop, side by side in one run (issue 16).

    python bench/remote_path.py [--articles 1000] [--latency 0.1] [--concurrency 16 64]
                                [--repeat 3] [--write]

For each concurrency C, against a fresh loopback server with a fixed latency
(bench/latency_server.py, its own process): the plain AsyncOpenAI + pydantic loop
(bench/plain_async_loop.py), the floor (bench/floor_loop.py: the request bodies a summarizer
run sent, captured once before the turns, posted again with `client.post` and each answer
parsed with pydantic, one JSON line written per answer), the project's remote path
(bench/remote_loop.py: the same work by the project's code -- each article loaded, its
prompt rendered, the body built by the codec, sent by the one remote backend under the
transport retries and the adaptive limit, one probe, the answer read by the one re-ask
loop, one JSON line written per draft), `summarizer run ARTICLES --out OUT
--concurrency C` (grounding on, every output written, no cache) and the same run with
`--no-brief-files` (what the disk's cost of two new files a brief adds), each timed as a whole
process from start to its last output written. Issue 32's target: client CPU <= 1.2x the
floor's and wall <= 1.1x, for `summarizer run` as a user runs it (which does more than the
floor: grounding, policy, two files a brief, the index page) and for the remote path alone.
Prints walls, N*L/C, the ratio, client CPU per article (user+sys of the child process; its
kernel part in brackets) and what the server counted (requests, probes, most in flight).
With `--repeat N` the two clients take turns N times at each C and the medians are printed:
on a shared machine one run moves by tens of percent with whatever else is running.
`--write` replaces this section of docs/benchmarks.md.

    python bench/remote_path.py --rate-limits [--articles 600] [--latency 0.1] [--write]

Issue 29's figures instead, side by side in one run: `summarizer run` at --concurrency 64
against a clean server and against one that answers a random 5 % of requests 429
(Retry-After 0.2 s), and at --concurrency 16 against a clean server beside --concurrency 64
against one that takes 16 requests at a time and answers 429 beyond that. Prints each wall,
the ratio to its clean run, the requests the server refused, and the adaptive limit's path
from run.json (how often it was lowered, its lowest and its mean over the run).
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import resource
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
DOC = ROOT / "docs" / "benchmarks.md"
HEADING = "## Remote path against the floor (issue 32)"


def write_corpus(folder: Path, n: int) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    for i in range(n):
        (folder / f"a{i:05d}.txt").write_text(
            f"Attack in district {i}\n\nGunmen killed {i % 7 + 1} people and wounded "
            f"{i % 5 + 2} in district {i} on Monday, police said. Officers arrested "
            f"{i % 4 + 1} suspects on Tuesday. The district has seen unrest since 2021.\n",
            encoding="utf-8")


@contextmanager
def server(latency: float, *extra: str) -> Iterator[str]:
    proc = subprocess.Popen([sys.executable, str(ROOT / "bench" / "latency_server.py"),
                             str(latency), *extra], stdin=subprocess.PIPE,
                            stdout=subprocess.PIPE, text=True)
    try:
        assert proc.stdout is not None
        yield proc.stdout.readline().strip()
    finally:
        assert proc.stdin is not None
        proc.stdin.close()
        proc.wait(timeout=10)


def stats(url: str) -> dict[str, int]:
    with urllib.request.urlopen(url.removesuffix("/v1") + "/stats", timeout=5) as resp:
        return dict(json.loads(resp.read()))


def timed(cmd: list[str], env: dict[str, str]) -> tuple[float, float, float]:
    """(wall seconds, CPU seconds, of them in the kernel) of a child process run to its end."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    done = subprocess.run(cmd, env=env, capture_output=True, text=True)
    wall = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    if done.returncode not in (0,):
        raise SystemExit(f"{cmd[1:3]} failed ({done.returncode}): {done.stderr[-2000:]}")
    sys_cpu = after.ru_stime - before.ru_stime
    return wall, (after.ru_utime - before.ru_utime) + sys_cpu, sys_cpu


def _run_cmd(corpus: Path, out: Path, c: int) -> list[str]:
    return [sys.executable, "-m", "summarizer", "run", str(corpus), "--out", str(out),
            "--concurrency", str(c), "--no-cache", "--quiet", "--model", "bench"]


def capture_bodies(corpus: Path, tmp: Path) -> Path:
    """The request bodies of one `summarizer run` (untimed), as the server received them."""
    bodies = tmp / "bodies.jsonl"
    with server(0.0, "--capture", str(bodies)) as url:
        env = {**os.environ, "OPENAI_BASE_URL": url, "OPENAI_API_KEY": "not-needed"}
        timed(_run_cmd(corpus, tmp / "capture", 16), env)
    return bodies


def run_pair(corpus: Path, n: int, latency: float, c: int, tmp: Path,
             turn: int = 0, bodies: Path | None = None) -> dict[str, float]:
    row: dict[str, float] = {"c": c, "ideal": n * latency / c}
    for name in ("plain", "floor", "remote", "summarizer", "nofiles"):
        if name == "floor" and bodies is None:
            continue
        with server(latency) as url:
            env = {**os.environ, "OPENAI_BASE_URL": url, "OPENAI_API_KEY": "not-needed"}
            out = tmp / f"{name}-{c}-{turn}"
            if name == "plain":
                cmd = [sys.executable, str(ROOT / "bench" / "plain_async_loop.py"),
                       str(corpus), str(out.with_suffix(".jsonl")), str(c)]
            elif name == "floor":
                cmd = [sys.executable, str(ROOT / "bench" / "floor_loop.py"), str(bodies),
                       str(out.with_suffix(".jsonl")), str(c)]
            elif name == "remote":
                cmd = [sys.executable, str(ROOT / "bench" / "remote_loop.py"), str(corpus),
                       str(out.with_suffix(".jsonl")), str(c)]
            else:  # the run as a user runs it, and without the two files a brief
                cmd = _run_cmd(corpus, out, c) + (["--no-brief-files"] if name == "nofiles"
                                                  else [])
            wall, cpu, sys_cpu = timed(cmd, env)
            seen = stats(url)
        row[f"{name}_wall"], row[f"{name}_cpu_ms"] = wall, cpu / n * 1000
        row[f"{name}_sys_ms"] = sys_cpu / n * 1000
        row[f"{name}_requests"], row[f"{name}_probes"] = seen["requests"], seen["probes"]
        row[f"{name}_most"] = seen["most"]
    row["ratio"] = row["summarizer_wall"] / row["plain_wall"]
    if bodies is not None:
        for name in ("remote", "summarizer", "nofiles"):
            row[f"{name}_floor_cpu"] = row[f"{name}_cpu_ms"] / row["floor_cpu_ms"]
            row[f"{name}_floor_wall"] = row[f"{name}_wall"] / row["floor_wall"]
    return row


def median_row(rows: list[dict[str, float]]) -> dict[str, float]:
    """Each figure's median over the turns (the ratios too: the medians of the turns')."""
    return {k: statistics.median(r[k] for r in rows) for k in rows[0]}


def _cell(r: dict[str, float], name: str) -> str:
    if f"{name}_wall" not in r:
        return "—"
    return (f"{r[f'{name}_wall']:.1f} s, {r[f'{name}_cpu_ms']:.1f} ms "
            f"({r[f'{name}_sys_ms']:.1f})")


def _to_floor(r: dict[str, float], name: str) -> str:
    if f"{name}_floor_cpu" not in r:
        return "—"
    return f"×{r[f'{name}_floor_cpu']:.2f}, ×{r[f'{name}_floor_wall']:.2f}"


def render(rows: list[dict[str, float]], n: int, latency: float, repeat: int = 1) -> str:
    turns = (f"; medians of {repeat} turns of each client at each C, taken in turn"
             if repeat > 1 else "")
    lines = [HEADING, "",
             f"`python bench/remote_path.py --articles {n} --latency {latency} --repeat "
             f"{repeat}` on {platform.machine()}, {os.cpu_count()} cores, Python "
             f"{platform.python_version()}; each client a whole process, start to last "
             "output written; the server is bench/latency_server.py in its own process"
             f"{turns}; load average {os.getloadavg()[0]:.1f} at the end. Each cell: wall, "
             "client CPU (user+sys) an article, its kernel part in brackets. The target "
             "(issue 32): CPU ≤ ×1.2 and wall ≤ ×1.1 of the floor's, for `summarizer run` as "
             "a user runs it (grounding, policy, two files a brief and the index page "
             "included, which the floor does not do) and for the remote path alone.", "",
             "| C | ideal N·L/C | plain loop | floor loop | remote path | to floor: CPU, "
             "wall | summarizer run | to floor: CPU, wall | run, --no-brief-files | to "
             "floor: CPU, wall | server saw (run): requests, probes, most at once |",
             "|---|---|---|---|---|---|---|---|---|---|---|"]
    for r in rows:
        lines.append(f"| {int(r['c'])} | {r['ideal']:.1f} s | {_cell(r, 'plain')} | "
                     f"{_cell(r, 'floor')} | {_cell(r, 'remote')} | {_to_floor(r, 'remote')} "
                     f"| {_cell(r, 'summarizer')} | {_to_floor(r, 'summarizer')} | "
                     f"{_cell(r, 'nofiles')} | {_to_floor(r, 'nofiles')} | "
                     f"{int(r['summarizer_requests'])}, "
                     f"{int(r['summarizer_probes'])}, {int(r['summarizer_most'])} |")
    return "\n".join(lines) + "\n"


def write_doc(section: str, heading: str = HEADING) -> None:
    """Replace the section under `heading` in docs/benchmarks.md (or add it at the end)."""
    text = DOC.read_text(encoding="utf-8") if DOC.exists() else "# Benchmarks\n"
    if heading in text:
        start = text.index(heading)
        end = text.find("\n## ", start + len(heading))
        text = text[:start] + section + (text[end + 1:] if end != -1 else "")
    else:
        text = text.rstrip("\n") + "\n\n" + section
    DOC.write_text(text, encoding="utf-8")


RATE_HEADING = "## Rate limits (issue 29)"
# (label, --concurrency, server options, the label of the clean run it is compared with)
RATE_RUNS = [
    ("clean, C=64", 64, [], None),
    ("random 5 % 429, C=64", 64, ["--rate-429", "0.05"], "clean, C=64"),
    ("clean, C=16", 16, [], None),
    ("429 beyond 16 in flight, C=64", 64, ["--capacity", "16"], "clean, C=16"),
]


def limit_figures(run_json: Path, wall: float) -> tuple[int, int, float]:
    """(windows that lowered it, its lowest once lowered, its time-weighted mean)."""
    data = json.loads(run_json.read_text(encoding="utf-8"))["concurrency"]
    path = [(float(t), int(n)) for t, n in data["path"]]
    mean = sum(n * ((path[i + 1][0] if i + 1 < len(path) else wall) - t)
               for i, (t, n) in enumerate(path)) / max(wall, 1e-9)
    # The lowest after the first decrease (slow start begins low on purpose).
    first = next((i for i in range(1, len(path)) if path[i][1] < path[i - 1][1]), len(path) - 1)
    return int(data["lowered"]), min(n for _, n in path[first:]), mean


def rate_limit_rows(corpus: Path, n: int, latency: float, tmp: Path) -> list[dict[str, Any]]:
    rows: dict[str, dict[str, Any]] = {}
    for label, c, extra, base in RATE_RUNS:
        with server(latency, "--retry-after", "0.2", *extra) as url:
            env = {**os.environ, "OPENAI_BASE_URL": url, "OPENAI_API_KEY": "not-needed"}
            out = tmp / f"rate-{len(rows)}"
            wall, cpu, _ = timed([sys.executable, "-m", "summarizer", "run", str(corpus),
                                  "--out", str(out), "--concurrency", str(c), "--no-cache",
                                  "--quiet", "--model", "bench"], env)
            seen = stats(url)
        lowered, lowest, mean = limit_figures(out / "run.json", wall)
        rows[label] = {"label": label, "c": c, "wall": wall, "cpu_ms": cpu / n * 1000,
                       "requests": seen["requests"], "refused": seen["refused"],
                       "lowered": lowered, "lowest": lowest, "mean": mean,
                       "ratio": wall / rows[base]["wall"] if base else None}
        print(f"{label}: {wall:.1f} s, {seen['refused']}/{seen['requests']} refused",
              file=sys.stderr, flush=True)
    return list(rows.values())


def render_rate_limits(rows: list[dict[str, Any]], n: int, latency: float) -> str:
    lines = [RATE_HEADING, "",
             f"`python bench/remote_path.py --rate-limits --articles {n} --latency {latency}` "
             f"on {platform.machine()}, {os.cpu_count()} cores, Python "
             f"{platform.python_version()}; `summarizer run` as a whole process against "
             "bench/latency_server.py (its own process; every 429 carries Retry-After: 0.2); "
             f"load average {os.getloadavg()[0]:.1f} at the end.", "",
             "| server, --concurrency | wall | vs its clean run | CPU/article | requests | "
             "answered 429 | limit lowered | lowest once lowered | mean limit |",
             "|---|---|---|---|---|---|---|---|---|"]
    for r in rows:
        ratio = f"×{r['ratio']:.2f}" if r["ratio"] else "—"
        share = 100 * r["refused"] / max(r["requests"], 1)
        lines.append(f"| {r['label']} | {r['wall']:.1f} s | {ratio} | {r['cpu_ms']:.1f} ms | "
                     f"{r['requests']} | {r['refused']} ({share:.1f} %) | {r['lowered']} | "
                     f"{r['lowest']} | {r['mean']:.1f} |")
    return "\n".join(lines) + "\n"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--articles", type=int, default=1000)
    parser.add_argument("--latency", type=float, default=0.1)
    parser.add_argument("--concurrency", type=int, nargs="+", default=[16, 64])
    parser.add_argument("--repeat", type=int, default=1,
                        help="turns of both clients at each C; medians are printed")
    parser.add_argument("--write", action="store_true", help="update docs/benchmarks.md")
    parser.add_argument("--rate-limits", action="store_true",
                        help="issue 29's 429 runs instead (600 articles unless --articles)")
    args = parser.parse_args()
    if args.rate_limits:
        n = args.articles if "--articles" in sys.argv else 600
        with tempfile.TemporaryDirectory() as tmp_name:
            tmp = Path(tmp_name)
            write_corpus(tmp / "articles", n)
            section = render_rate_limits(rate_limit_rows(tmp / "articles", n, args.latency,
                                                         tmp), n, args.latency)
        print(section)
        if args.write:
            write_doc(section, RATE_HEADING)
        return 0
    with tempfile.TemporaryDirectory() as tmp_name:
        tmp = Path(tmp_name)
        write_corpus(tmp / "articles", args.articles)
        bodies = capture_bodies(tmp / "articles", tmp)
        rows = [median_row([run_pair(tmp / "articles", args.articles, args.latency, c, tmp, k,
                                     bodies)
                            for k in range(args.repeat)])
                for c in args.concurrency]
    section = render(rows, args.articles, args.latency, args.repeat)
    print(section)
    if args.write:
        write_doc(section)
    return 0


if __name__ == "__main__":
    sys.exit(main())
