"""What starting costs: the front door beside a bare interpreter, in one run (issue 27).

    python bench/startup.py [--repeat 5] [--write]

Each command is a whole process, timed from start to exit, `--repeat` times in turn; the
medians are printed beside the targets (`import summarizer` <= 0.2 s, `summarizer --help`
<= 0.3 s). The bare interpreter is the floor; "the whole pipeline" is what `import summarizer`
cost before its names became lazy (it imports what `summarize` needs), so the gap is what a
caller who never briefs no longer pays. `--write` replaces this section of docs/benchmarks.md.
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


def commands(out: Path) -> list[tuple[str, list[str], float | None]]:
    py, cli = sys.executable, shutil.which("summarizer") or "summarizer"
    return [
        ("bare interpreter (python -c pass)", [py, "-c", "pass"], None),
        ("import summarizer", [py, "-c", "import summarizer"], 0.2),
        ("summarizer --help", [cli, "--help"], 0.3),
        ("summarizer run --help", [cli, "run", "--help"], None),
        ("the whole pipeline (from summarizer.pipeline import summarize)",
         [py, "-c", "from summarizer.pipeline import summarize"], None),
        ("summarizer run SAMPLE --backend rules (one brief, printed)",
         [cli, "run", str(SAMPLE), "--backend", "rules", "--no-cache"], None),
    ]


def timed(cmd: list[str]) -> float:
    started = time.perf_counter()
    subprocess.run(cmd, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                   env={**os.environ, "PYTHONDONTWRITEBYTECODE": "0"})
    return time.perf_counter() - started


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--write", action="store_true", help="update docs/benchmarks.md")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        cmds = commands(Path(tmp))
        for _, cmd, _ in cmds:  # warm the byte-code cache and the page cache once
            timed(cmd)
        runs: dict[str, list[float]] = {name: [] for name, _, _ in cmds}
        for _ in range(args.repeat):  # in turn, so a busy moment hits every command alike
            for name, cmd, _ in cmds:
                runs[name].append(timed(cmd))
    rows = [f"| command | median of {args.repeat} | min | max | target |",
            "|---|---|---|---|---|"]
    for name, _, target in cmds:
        t = runs[name]
        goal = "" if target is None else (f"<= {target:.1f} s " +
                                          ("met" if statistics.median(t) <= target else "MISSED"))
        rows.append(f"| {name} | {statistics.median(t):.3f} s | {min(t):.3f} s | "
                    f"{max(t):.3f} s | {goal} |")
    machine = (f"{platform.machine()}, {os.cpu_count()} cores, Python "
               f"{platform.python_version()}, load average {os.getloadavg()[0]:.1f} at the end")
    section = "\n".join([HEADING, "", f"`python bench/startup.py --repeat {args.repeat}` on "
                         f"{machine}.", "", *rows, ""]) + "\n"
    print(section)
    if args.write:
        write_doc(section, HEADING)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
