"""Events at scale: `summarizer events OUT` over synthetic runs of growing size (issue 36).

    python bench/events.py [--sizes 10000 30000 100000] [--write]

Each size is an OUT/briefs.jsonl of synthetic briefs in the shape a run writes (brief dict
with casualty records, actors, totals, publication date and dateline; a 300-character article
text): incidents told by one to four articles, in 2,000 places whose sizes follow a Zipf law
(the largest city holds ~10% of all incidents, so its block is large), over two years, a
quarter of the tellings published a day or two later with a revised toll, some with no
resolvable day. `summarizer events OUT` runs as a whole process; peak memory is its maximum
resident set (getrusage of the child). Beside it: the number of pairs scored against all
pairs, and B-cubed F1 against the synthetic truth, for the events and for the reference
grouping by first place and publication date. `--write` replaces this section of
docs/benchmarks.md.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import platform
import random
import subprocess
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from remote_path import write_doc  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]
HEADING = "## Events at scale (issue 36)"
WEEKDAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
KINDS = ("market", "mosque", "church", "school", "hotel", "station", "camp", "hospital")
NAMES = ("North", "Central", "Old", "New", "Grand", "Union", "Liberty", "Unity", "Victory",
         "Cedar", "Palm", "River", "Hill", "Lake", "Station", "Harbour", "Garden", "Crown",
         "Eagle", "Star", "Sunrise", "Baraka", "Salam", "Nour", "Umoja")
VERBS = ("killed", "shot dead", "left dead")


NOTE = """Pairs scored count a pair once per block it meets in (a town, a street or building, a
perpetrator, a victim's name). Wall time and memory grow with the number of briefs, never
with all pairs: pairs per brief rise from 20 to 41 as towns' blocks fill, and are bounded by
`NEIGHBOURS` (20) per key a brief has; memory is the interpreter and one small item per brief
(equal key sets shared). The F1 columns are a sanity figure, not
evidence of accuracy: the synthetic reports follow the conventions the reader expects, and
F1 falls with size because the largest town (about a tenth of all incidents) then holds
several incidents a day, often at the same named building. Accuracy is measured on
hand-written articles: `summarizer eval --dataset evals/events --backend rules`.
"""


def _place(rng: random.Random, n: int) -> str:
    k = min(int(rng.paretovariate(1.0)), n) - 1  # Zipf-like: place 0 is the largest
    return f"Town{k:04d}"


def write_run(path: Path, n: int, seed: int = 36) -> dict[str, str]:
    """n synthetic briefs.jsonl rows; returns article id -> true incident."""
    rng = random.Random(seed)
    truth: dict[str, str] = {}
    start = dt.date(2023, 1, 1).toordinal()
    with path.open("w", encoding="utf-8") as fh:
        incident = 0
        while len(truth) < n:
            incident += 1
            town = _place(rng, 2000)
            day = dt.date.fromordinal(start + rng.randrange(730))
            killed = rng.randint(1, 30)
            wounded = rng.randint(0, 60)
            perp = f"Group{rng.randrange(300)}" if rng.random() < 0.5 else None
            facility = f"{rng.choice(NAMES)} {rng.choice(KINDS)}"
            victim = f"Victim{rng.randrange(10**6)} Name" if rng.random() < 0.3 else None
            for telling in range(rng.choice((1, 1, 2, 2, 3, 4))):
                if len(truth) >= n:
                    break
                aid = f"a{len(truth):07d}"
                truth[aid] = f"i{incident}"
                late = telling > 0 and rng.random() < 0.25
                published = day + dt.timedelta(days=rng.choice((0, 1, 2)) + (2 if late else 0))
                figure = killed + (rng.randint(1, 3) if late else 0)
                said = rng.random() < 0.85
                when = f" on {WEEKDAYS[day.weekday()]}" if said else ""
                text = (f"{town.upper()} (Agency{telling}) - Attackers {rng.choice(VERBS)} "
                        f"{figure} people and wounded {wounded} at the {facility} in {town}"
                        f"{when}, officials said. " + " ".join(
                            f"word{rng.randrange(5000)}" for _ in range(25)))
                quote = text.split(" - ", 1)[1].split(", officials")[0]
                actors = [{"name": perp, "kind": "armed group", "role": "perpetrator"}] \
                    if perp else []
                if victim:
                    actors.append({"name": victim, "kind": "person", "role": "victim"})
                records = [{"incident": f"{town} attack", "location": town, "group": "people",
                            "side": "victims", "killed": {"value": figure},
                            "wounded": {"value": wounded}, "perpetrator": perp,
                            "date_text": when.strip() or None,
                            "evidence": [{"quote": quote}]}]
                row = {"output": aid, "id": aid, "title": f"Attack in {town}",
                       "article_text": text[:300],
                       "brief": {"headline": f"Attack in {town}", "summary": quote,
                                 "actors": actors, "casualties": records, "arrests": [],
                                 "published": published.isoformat(), "dateline": town,
                                 "totals": {}, "flags": []}}
                fh.write(json.dumps(row) + "\n")
    return truth


def bcubed_f1(truth: dict[str, str], predicted: dict[str, str]) -> float:
    gold: dict[str, set[str]] = {}
    pred: dict[str, set[str]] = {}
    for a in truth:
        gold.setdefault(truth[a], set()).add(a)
        pred.setdefault(predicted.get(a, a), set()).add(a)
    p = r = 0.0
    for a in truth:
        both = len(pred[predicted.get(a, a)] & gold[truth[a]])
        p += both / len(pred[predicted.get(a, a)])
        r += both / len(gold[truth[a]])
    p, r = p / len(truth), r / len(truth)
    return 2 * p * r / (p + r)


def run_events(out: Path) -> dict[str, float]:
    """`summarizer events OUT` as a whole process in a fresh helper (its own max RSS)."""
    script = ("import json, resource, subprocess, sys, time; t = time.perf_counter(); "
              "d = subprocess.run([sys.executable, '-m', 'summarizer', 'events', "
              f"{str(out)!r}], capture_output=True, text=True); "
              "w = time.perf_counter() - t; "
              "r = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024; "
              "print(json.dumps({'wall': w, 'rss': r, 'rc': d.returncode, 'err': d.stderr}))")
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    done = subprocess.run([sys.executable, "-c", script], env=env, capture_output=True,
                          text=True, check=True, cwd=ROOT)
    got = json.loads(done.stdout.strip().splitlines()[-1])
    if got["rc"] != 0:
        raise SystemExit(f"events failed: {got['err'][-2000:]}")
    return {"wall": got["wall"], "rss": got["rss"]}


def pairs_scored(out: Path) -> int:
    sys.path.insert(0, str(ROOT))
    from summarizer.events.items import ReadStats, read_items
    from summarizer.events.link import candidate_pairs

    items = list(read_items(out / "briefs.jsonl", ReadStats()))
    return sum(1 for _ in candidate_pairs(items))


def place_day_f1(out: Path, truth: dict[str, str]) -> float:
    sys.path.insert(0, str(ROOT))
    from summarizer.evaluation.events import _place_day
    from summarizer.events.items import ReadStats, read_items

    items = list(read_items(out / "briefs.jsonl", ReadStats()))
    return bcubed_f1(truth, _place_day(items))


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[10_000, 30_000, 100_000])
    parser.add_argument("--write", action="store_true", help="update docs/benchmarks.md")
    args = parser.parse_args()
    rows = []
    with tempfile.TemporaryDirectory() as tmp_name:
        for n in args.sizes:
            out = Path(tmp_name) / f"run{n}"
            out.mkdir()
            truth = write_run(out / "briefs.jsonl", n)
            got = run_events(out)
            events = [json.loads(x) for x in (out / "events.jsonl").open(encoding="utf-8")]
            predicted = {a: ev["id"] for ev in events for a in ev["articles"]}
            row = {"n": n, "incidents": len(set(truth.values())), "events": len(events),
                   "wall": got["wall"], "rss": got["rss"], "pairs": pairs_scored(out),
                   "all_pairs": n * (n - 1) // 2, "f1": bcubed_f1(truth, predicted),
                   "ref_f1": place_day_f1(out, truth)}
            rows.append(row)
            print(f"{n:>7,} briefs ({row['incidents']:,} incidents): {row['wall']:.1f} s, "
                  f"peak RSS {row['rss']:.0f} MB, {row['pairs']:,} pairs scored of "
                  f"{row['all_pairs']:,}, {row['events']:,} events, B-cubed F1 "
                  f"{row['f1']:.3f} (place + publication date: {row['ref_f1']:.3f})",
                  flush=True)
    table = ["| briefs | incidents | events | wall s | peak RSS MB | pairs scored | all pairs "
             "| F1 | F1, place + publication date |", "|---|---|---|---|---|---|---|---|---|"]
    for r in rows:
        table.append(f"| {r['n']:,} | {r['incidents']:,} | {r['events']:,} | {r['wall']:.1f} | "
                     f"{r['rss']:.0f} | {r['pairs']:,} | {r['all_pairs']:,} | {r['f1']:.3f} | "
                     f"{r['ref_f1']:.3f} |")
    machine = platform.processor() or platform.machine()
    section = (f"{HEADING}\n\n`python bench/events.py` ({machine}, {os.cpu_count()} cores, "
               f"Python {platform.python_version()}): "
               "`summarizer events OUT` as a whole process over synthetic runs (bench/events.py "
               "says how they are made); peak RSS of that process.\n\n" + "\n".join(table)
               + "\n\n" + NOTE)
    print(section)
    if args.write:
        write_doc(section, HEADING)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
