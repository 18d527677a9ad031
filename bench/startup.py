"""What starting costs: the front door beside a bare interpreter and beside an earlier
revision of the code, in one run (issue 27).

    python bench/startup.py [--repeat 5] [--baseline REV] [--write]

Each command is a whole process, timed from start to exit, `--repeat` times in turn (so a busy
moment hits every command alike); medians are printed beside the targets (`import summarizer`
<= 0.2 s, `summarizer --help` <= 0.3 s). With `--baseline REV` the same commands also run
against REV's code (a temporary git worktree first on PYTHONPATH) in the same turns: the
column to compare with. `--write` replaces this section of docs/benchmarks.md.
"""

from __future__ import annotations

import argparse
import os
import platform
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from remote_path import write_doc  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]
HEADING = "## Startup (issue 27)"
SAMPLE = ROOT / "samples" / "palmyra-condolences.txt"
PY = sys.executable
# (label, argv, target seconds); `python -m summarizer` is the console script's own path
COMMANDS: list[tuple[str, list[str], float | None]] = [
    ("bare interpreter (`python -c pass`)", [PY, "-c", "pass"], None),
    ("`import summarizer`", [PY, "-c", "import summarizer"], 0.2),
    ("`summarizer --help`", [PY, "-m", "summarizer", "--help"], 0.3),
    ("`summarizer run --help`", [PY, "-m", "summarizer", "run", "--help"], None),
    ("`summarizer run SAMPLE --backend rules --no-cache` (one brief, printed)",
     [PY, "-m", "summarizer", "run", str(SAMPLE), "--backend", "rules", "--no-cache"], None),
]


def lay_out_data(tree: Path) -> None:
    """An older revision kept prompts/ and schemas/ at the top and mapped them into the
    package at install time: copy them where an installed package has them, so that the
    revision runs from PYTHONPATH (its worktree is temporary)."""
    for top, inside in (("prompts", "_prompts"), ("schemas", "_schemas")):
        if (tree / top).is_dir() and not (tree / "summarizer" / inside).exists():
            shutil.copytree(tree / top, tree / "summarizer" / inside)


def timed(cmd: list[str], code: Path) -> float:
    env = {**os.environ, "PYTHONPATH": str(code)}
    started = time.perf_counter()
    subprocess.run(cmd, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                   env=env, cwd=code)
    return time.perf_counter() - started


def measure(trees: dict[str, Path], repeat: int) -> dict[tuple[str, str], list[float]]:
    runs: dict[tuple[str, str], list[float]] = {}
    for name, cmd, _ in COMMANDS:  # warm the byte-code and page caches once
        for tree, code in trees.items():
            timed(cmd, code)
            runs[(tree, name)] = []
    for _ in range(repeat):
        for name, cmd, _ in COMMANDS:
            for tree, code in trees.items():
                runs[(tree, name)].append(timed(cmd, code))
    return runs


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--baseline", metavar="REV", help="also time this git revision")
    parser.add_argument("--write", action="store_true", help="update docs/benchmarks.md")
    args = parser.parse_args()
    trees = {"this tree": ROOT}
    with tempfile.TemporaryDirectory() as tmp:
        if args.baseline:
            base = Path(tmp) / "baseline"
            subprocess.run(["git", "-C", str(ROOT), "worktree", "add", "--detach", "-q",
                            str(base), args.baseline], check=True)
            trees[f"baseline {args.baseline}"] = base
            lay_out_data(base)
        try:
            runs = measure(trees, args.repeat)
        finally:
            if args.baseline:
                subprocess.run(["git", "-C", str(ROOT), "worktree", "remove", "--force",
                                str(trees[f"baseline {args.baseline}"])], check=False)
    head = " | ".join(f"{t}: median (min-max)" for t in trees)
    rows = [f"| command | {head} | target |", "|---|" + "---|" * len(trees) + "---|"]
    for name, _, target in COMMANDS:
        cells = []
        for tree in trees:
            t = runs[(tree, name)]
            cells.append(f"{statistics.median(t):.3f} s ({min(t):.3f}-{max(t):.3f})")
        mine = statistics.median(runs[("this tree", name)])
        goal = "" if target is None else (f"<= {target:.1f} s: "
                                          + ("met" if mine <= target else "MISSED"))
        rows.append(f"| {name} | {' | '.join(cells)} | {goal} |")
    machine = (f"{platform.machine()}, {os.cpu_count()} cores, Python "
               f"{platform.python_version()}, load average {os.getloadavg()[0]:.1f} at the end")
    cmd = "python bench/startup.py --repeat {}{}".format(
        args.repeat, f" --baseline {args.baseline}" if args.baseline else "")
    section = "\n".join([HEADING, "", f"`{cmd}` on {machine}; each command a whole process, "
                         f"medians of {args.repeat} turns.", "", *rows, ""]) + "\n"
    print(section)
    if args.write:
        write_doc(section, HEADING)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
