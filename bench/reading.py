"""Reading time of the rules (the text reader under every backend) by article size, whole
process: `summarizer run FILE --backend rules` in a fresh Python, imports and output included.

    python bench/reading.py [--sizes 40000,800000] [--baseline /path/to/other/checkout]

The articles are the gold corpus's article bodies (evals/articles) joined and cut to each
size, so the text is real news prose and the figures repeat as a long live blog's would.
With `--baseline`, the same files are read by that checkout too (its package first on
PYTHONPATH) and printed side by side. Issue 33's target: 0.8 MB in <= 6 s.
"""

from __future__ import annotations

import argparse
import os
import re
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def _tag(k: int) -> str:
    letters = ""
    while True:
        k, r = divmod(k, 26)
        letters += "abcdefghijklmnopqrstuvwxyz"[r]
        if not k:
            return letters


def article(size: int) -> str:
    """The corpus's bodies joined, repeated to `size` characters; every sentence of every
    copy opens with a tag of its own ("Update ab: ..."), so no sentence is read twice."""
    bodies = [p.read_text(encoding="utf-8").split("\n", 2)[-1]
              for p in sorted((ROOT / "evals" / "articles").glob("*.txt"))]
    parts = re.split(r"(?<=[.!?])(\s+)", "\n\n".join(bodies))
    out: list[str] = []
    length, k = 0, 0
    while length < size:
        for part in parts:
            piece = part if not part.strip() else f"Update {_tag(k)}: {part}"
            k += 1 if part.strip() else 0
            out.append(piece)
            length += len(piece)
            if length >= size:
                break
    return "Bench article\n\n" + "".join(out)[:size]


def run(tree: Path, path: Path, out: Path) -> tuple[float, float, float]:
    """Wall seconds, CPU seconds (user + system: what a busy shared machine moves least) and
    the child's own peak RSS (MB) of one whole-process read."""
    env = {**os.environ, "PYTHONPATH": str(tree)}
    started = time.perf_counter()
    proc = subprocess.Popen([sys.executable, "-m", "summarizer", "run", str(path), "--backend",
                             "rules", "--no-cache", "--out", str(out), "--quiet"],
                            env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    _, status, usage = os.wait4(proc.pid, 0)
    wall = time.perf_counter() - started
    err = proc.stderr.read().decode(errors="replace") if proc.stderr else ""
    if os.waitstatus_to_exitcode(status) != 0:
        raise SystemExit(f"{tree}: summarizer run failed on {path.name}: "
                         f"{err.strip().splitlines()[-1:]}")
    return wall, usage.ru_utime + usage.ru_stime, usage.ru_maxrss / 1024


def main() -> int:
    parser = argparse.ArgumentParser(description="rules reading time by article size")
    parser.add_argument("--sizes", default="40000,800000",
                        help="article sizes in characters, comma-separated")
    parser.add_argument("--baseline", type=Path, help="another checkout to compare with")
    args = parser.parse_args()
    sizes = [int(s) for s in args.sizes.split(",")]
    trees = [("this tree", ROOT)] + ([("baseline", args.baseline)] if args.baseline else [])
    with tempfile.TemporaryDirectory() as tmp:
        rows = []
        for size in sizes:
            path = Path(tmp) / f"bench-{size}.txt"
            path.write_text(article(size), encoding="utf-8")
            cells = []
            for name, tree in trees:
                wall, cpu, rss = run(tree, path, Path(tmp) / f"out-{name.replace(' ', '-')}")
                cells.append(f"{wall:6.2f} s wall, {cpu:6.2f} s CPU, {rss:4.0f} MB")
            rows.append((f"{size / 1000:,.0f} KB", cells))
    print(f"{'article':>10} | " + " | ".join(f"{name:>36}" for name, _ in trees))
    for label, cells in rows:
        print(f"{label:>10} | " + " | ".join(f"{c:>36}" for c in cells))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
