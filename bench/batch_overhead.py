"""Batch overhead (issue 6): what the pipeline costs on top of instructor, at scale and cached.

    python bench/batch_overhead.py            # prints a table; writes docs/benchmarks.md
    python bench/batch_overhead.py --no-write # prints only

(a) ms per article at zero latency, one at a time: the whole pipeline (`summarize` through
    OpenAIBackend), instructor called directly with the same schema and server, and the openai
    SDK plus a pydantic parse.
(b) N articles at L seconds of latency and concurrency C: `run_batch` (files in, every output
    written) against a bounded asyncio gather of instructor calls (AsyncOpenAI), with N*L/C.
(c) a re-run of 1,000 articles already done: into the same folder (resume) and into a fresh
    folder from the cache; zero model calls expected.

The fake server (summarizer.testing.FakeOpenAIServer) runs in a child process so its threads
do not compete with the client for the GIL. Start-up (imports, first call) is reported apart
and excluded from every figure.
"""

from __future__ import annotations

import argparse
import asyncio
import platform
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
DOC = ROOT / "docs" / "benchmarks.md"
HEADING = "## Batch (issue 6)"
MODEL = "fake-model"

_SERVER = """
import sys
from summarizer.testing import FakeOpenAIServer
server = FakeOpenAIServer(latency=float(sys.argv[1])).start()
print(server.url, flush=True)
sys.stdin.read()  # serve until the parent closes our stdin
"""


@contextmanager
def fake_server(latency: float) -> Iterator[str]:
    proc = subprocess.Popen([sys.executable, "-c", _SERVER, str(latency)], stdin=subprocess.PIPE,
                            stdout=subprocess.PIPE, text=True)
    try:
        assert proc.stdout is not None
        yield proc.stdout.readline().strip()
    finally:
        assert proc.stdin is not None
        proc.stdin.close()
        proc.wait(timeout=10)


def article_text(i: int) -> str:
    return (f"Story number {i} in the benchmark corpus\n"
            f"Police in district {i % 97} said {i % 13 + 2} people were arrested on Saturday "
            "after a protest outside the ministry turned violent. Two officers were wounded, "
            "a spokesman told reporters, and the interior minister called for calm.\n") * 3


def write_corpus(folder: Path, n: int) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    for i in range(n):
        (folder / f"story-{i:05d}.txt").write_text(article_text(i), encoding="utf-8")
    return folder


def per_article_ms(fn: Callable[[int], Any], n: int, rounds: int, offset: int) -> float:
    """Median over rounds of the mean ms per call (the machine is shared: take the median)."""
    means = []
    for r in range(rounds):
        base = offset + r * n
        started = time.perf_counter()
        for i in range(n):
            fn(base + i)
        means.append((time.perf_counter() - started) * 1000 / n)
    return statistics.median(means)


# --- (a) --------------------------------------------------------------------------------


def bench_zero_latency(n: int, rounds: int) -> dict[str, float]:
    import instructor
    import openai

    from summarizer.article import Article
    from summarizer.backends.openai import OpenAIBackend
    from summarizer.brief import BriefDraft
    from summarizer.pipeline import summarize
    from summarizer.prompts import load_prompt

    prompt = load_prompt()
    articles = [Article.from_text(article_text(i)) for i in range(3 * rounds * n + 100)]
    with fake_server(0.0) as url:
        backend = OpenAIBackend(model=MODEL, base_url=url, api_key="x", mode="tools")
        direct = instructor.from_openai(openai.OpenAI(base_url=url, api_key="x", max_retries=0),
                                        mode=instructor.Mode.TOOLS)
        raw = openai.OpenAI(base_url=url, api_key="x", max_retries=0)
        tool = {"type": "function", "function": {
            "name": "BriefDraft", "description": BriefDraft.__doc__ or "",
            "parameters": BriefDraft.model_json_schema()}}
        choice = {"type": "function", "function": {"name": "BriefDraft"}}

        def pipeline(i: int) -> Any:
            return summarize(articles[i], backend=backend, prompt=prompt)

        def with_instructor(i: int) -> Any:
            return direct.chat.completions.create(
                model=MODEL, messages=prompt.render(articles[i]), response_model=BriefDraft,
                max_retries=0, temperature=0.0, max_tokens=2048, seed=0)

        def sdk_pydantic(i: int) -> Any:
            r = raw.chat.completions.create(
                model=MODEL, messages=prompt.render(articles[i]), tools=[tool],
                tool_choice=choice, temperature=0.0, max_tokens=2048, seed=0)
            return BriefDraft.model_validate_json(r.choices[0].message.tool_calls[0]
                                                  .function.arguments)

        first = time.perf_counter()
        pipeline(0)
        first_call_ms = (time.perf_counter() - first) * 1000
        fns = {"pipeline": pipeline, "instructor": with_instructor, "sdk+pydantic": sdk_pydantic}
        for fn in fns.values():  # warm every path before timing any
            for i in range(1, 30):
                fn(i)
        out = {name: per_article_ms(fn, n, rounds, 100 + k * rounds * n)
               for k, (name, fn) in enumerate(fns.items())}
    out["first_call_ms"] = first_call_ms
    return out


# --- (b) --------------------------------------------------------------------------------


def bench_concurrent(n: int, latency: float, concurrency: int) -> dict[str, float]:
    import instructor
    import openai

    from summarizer.article import Article
    from summarizer.backends.openai import OpenAIBackend
    from summarizer.batch import RunOptions, run_batch
    from summarizer.brief import BriefDraft
    from summarizer.prompts import load_prompt

    prompt = load_prompt()
    with tempfile.TemporaryDirectory() as tmp, fake_server(latency) as url:
        src = write_corpus(Path(tmp) / "in", n)
        backend = OpenAIBackend(model=MODEL, base_url=url, api_key="x", mode="tools")
        started = time.perf_counter()
        summary, _ = run_batch([str(src)], RunOptions(out=Path(tmp) / "out", use_cache=False,
                                                      concurrency=concurrency, quiet=True),
                               backend=backend)
        pipeline_s = time.perf_counter() - started
        assert summary.briefed == n, summary.line()

        articles = [Article.from_text(article_text(i)) for i in range(n)]

        async def gather() -> float:
            client = instructor.from_openai(openai.AsyncOpenAI(base_url=url, api_key="x",
                                                               max_retries=0),
                                            mode=instructor.Mode.TOOLS)
            gate = asyncio.Semaphore(concurrency)

            async def one(article: Article) -> Any:
                async with gate:
                    return await client.chat.completions.create(
                        model=MODEL, messages=prompt.render(article), response_model=BriefDraft,
                        max_retries=0, temperature=0.0, max_tokens=2048, seed=0)

            started = time.perf_counter()
            await asyncio.gather(*(one(a) for a in articles))
            return time.perf_counter() - started

        gather_s = asyncio.run(gather())
    return {"pipeline_s": pipeline_s, "gather_s": gather_s,
            "ideal_s": n * latency / concurrency}


# --- (c) --------------------------------------------------------------------------------


def bench_cached(n: int) -> dict[str, float]:
    from summarizer.backends.openai import OpenAIBackend
    from summarizer.batch import RunOptions, run_batch

    with tempfile.TemporaryDirectory() as tmp, fake_server(0.0) as url:
        src = write_corpus(Path(tmp) / "in", n)

        def run(out: str) -> tuple[float, Any]:
            backend = OpenAIBackend(model=MODEL, base_url=url, api_key="x", mode="tools")
            options = RunOptions(out=Path(tmp) / out, cache_dir=Path(tmp) / "cache",
                                 concurrency=8, quiet=True)
            started = time.perf_counter()
            summary, _ = run_batch([str(src)], options, backend=backend)
            return time.perf_counter() - started, summary

        first_s, first = run("out")
        assert first.briefed == n, first.line()
        resume_s, resume = run("out")
        cache_s, cached = run("out2")
    assert resume.skipped == n and cached.cached == n
    return {"first_s": first_s, "resume_s": resume_s, "cache_s": cache_s,
            "resume_calls": resume.model_calls, "cache_calls": cached.model_calls}


# --- report -----------------------------------------------------------------------------


def import_seconds() -> float:
    code = ("import time; t = time.perf_counter(); import summarizer.batch.run, "
            "summarizer.backends.openai, instructor, openai; print(time.perf_counter() - t)")
    return float(subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                                check=True).stdout)


def render(a: dict[str, float], b: dict[str, float], c: dict[str, float], *, n_a: int,
           n_b: int, latency: float, concurrency: int, n_c: int, imports: float) -> str:
    added = a["pipeline"] - a["instructor"]
    ratio = b["pipeline_s"] / b["gather_s"]
    lines = [
        HEADING, "",
        f"`python bench/batch_overhead.py` on a shared 2-core machine ({platform.python_version()}"
        f", {platform.machine()}); the fake server runs in a child process. Figures from one "
        "run; the machine is shared, so they move between runs by tens of percent.", "",
        f"Start-up, excluded below: imports {imports * 1000:.0f} ms; first pipeline call "
        f"{a['first_call_ms']:.0f} ms (client, schema, lazy imports).", "",
        f"**(a) zero latency, one at a time** ({n_a} articles a round, median of rounds)", "",
        "| path | ms / article |", "|---|---:|",
        f"| openai SDK + pydantic parse | {a['sdk+pydantic']:.2f} |",
        f"| instructor, same schema and server | {a['instructor']:.2f} |",
        f"| pipeline (`summarize`, OpenAIBackend, grounding, provenance) | {a['pipeline']:.2f} |",
        f"| pipeline − instructor (target ≤ 2 ms) | {added:+.2f} |", "",
        f"**(b) {n_b} articles, {latency * 1000:.0f} ms latency, concurrency {concurrency}**",
        "", "| path | wall s |", "|---|---:|",
        f"| ideal N·L/C | {b['ideal_s']:.2f} |",
        f"| asyncio gather of instructor calls (AsyncOpenAI, semaphore) | {b['gather_s']:.2f} |",
        f"| pipeline `run_batch` (files in, all outputs written) | {b['pipeline_s']:.2f} |",
        f"| ratio pipeline / gather (target ≤ 1.1) | {ratio:.2f} |", "",
        f"**(c) re-run of {n_c} articles already briefed** (first run: {c['first_s']:.1f} s)", "",
        "| re-run | s | articles / s | model calls |", "|---|---:|---:|---:|",
        f"| same OUT (resume) | {c['resume_s']:.2f} | {n_c / c['resume_s']:.0f} | "
        f"{c['resume_calls']} |",
        f"| fresh OUT, from the cache | {c['cache_s']:.2f} | {n_c / c['cache_s']:.0f} | "
        f"{c['cache_calls']} |", "",
        "Reading them (profiled with cProfile on the same machine):", "",
        "- (a) `schema_id` is cached (pydantic rebuilt the JSON Schema for every brief's "
        "provenance, ~9 ms); what remains on top of instructor is grounding and building the "
        "Brief and provenance. instructor itself costs several times the SDK plus a parse.",
        "- (b) Both paths are CPU-bound on two shared cores, far from N·L/C: the per-call CPU "
        "of instructor and the SDK, not the server's latency, sets the pace. The ratio moves "
        "between runs (0.99 in an earlier run, before the (a) fix); the threads of the batch "
        "also pay for grounding and four output files per article, which the gather does not.",
        "- (c) Resume reads each finished brief once; the schema id is computed once per run. "
        "Brief files are written atomically (temp file + rename) without fsync: a killed "
        "process loses nothing, and a file damaged by a power loss is simply briefed again.",
        "",
    ]
    return "\n".join(lines)


def write_section(text: str) -> None:
    """Replace our section of docs/benchmarks.md (or add it); other sections stay as they are."""
    DOC.parent.mkdir(parents=True, exist_ok=True)
    doc = DOC.read_text(encoding="utf-8") if DOC.exists() else "# Benchmarks\n"
    start = doc.find(HEADING)
    if start < 0:
        doc = doc.rstrip("\n") + "\n\n" + text
    else:
        end = doc.find("\n## ", start + len(HEADING))
        doc = doc[:start] + text + ("\n" + doc[end + 1:] if end >= 0 else "")
    DOC.write_text(doc.rstrip("\n") + "\n", encoding="utf-8")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--no-write", action="store_true", help="print only")
    parser.add_argument("--n-a", type=int, default=200, help="(a) articles per round")
    parser.add_argument("--rounds", type=int, default=3, help="(a) rounds per path")
    parser.add_argument("--n-b", type=int, default=2000)
    parser.add_argument("--latency", type=float, default=0.1)
    parser.add_argument("--concurrency", type=int, default=16)
    parser.add_argument("--n-c", type=int, default=1000)
    args = parser.parse_args()

    imports = import_seconds()
    a = bench_zero_latency(args.n_a, args.rounds)
    b = bench_concurrent(args.n_b, args.latency, args.concurrency)
    c = bench_cached(args.n_c)
    text = render(a, b, c, n_a=args.n_a, n_b=args.n_b, latency=args.latency,
                  concurrency=args.concurrency, n_c=args.n_c, imports=imports)
    print(text)
    if not args.no_write:
        write_section(text)
        print(f"wrote {DOC.relative_to(ROOT)}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
