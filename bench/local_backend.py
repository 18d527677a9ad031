"""Benchmark the `local` backend against llama-cpp-python called directly.

    python bench/local_backend.py [--articles 10] [--max-tokens 128]

Prints two tables:
1. tokens/s and per-article latency: LocalBackend.extract vs Llama.create_chat_completion with
   the same prompt, grammar and max_tokens (target ratio >= 0.95);
2. prompt tokens llama.cpp actually evaluated per article (its perf counter n_p_eval) vs the
   article's own tokens: after the first article the shared instruction prefix should not be
   evaluated again.
Model load (start-up) is timed apart and excluded. Output is cut at --max-tokens on purpose:
the bench measures throughput, not brief quality.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from functools import partial
from pathlib import Path

import llama_cpp

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from summarizer.article import load_article  # noqa: E402
from summarizer.backends.base import Settings, wants_example  # noqa: E402
from summarizer.backends.local import LocalBackend  # noqa: E402
from summarizer.errors import ExtractionFailed  # noqa: E402
from summarizer.prompts import load_prompt  # noqa: E402


def _perf(llm: llama_cpp.Llama) -> tuple[int, int]:
    data = llama_cpp.llama_perf_context(llm.ctx)
    return data.n_p_eval, data.n_eval


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--articles", type=int, default=10)
    ap.add_argument("--max-tokens", type=int, default=128)
    args = ap.parse_args()

    paths = sorted(p for p in (ROOT / "evals" / "articles").iterdir()
                   if p.suffix in (".txt", ".html", ".json"))
    articles = [load_article(p) for p in paths]
    articles = sorted(articles, key=lambda a: len(a.text))[: args.articles]
    prompt = load_prompt()
    settings = Settings(max_tokens=args.max_tokens, max_reasks=0)

    t0 = time.perf_counter()
    backend = LocalBackend.from_config()
    # As the pipeline renders for this backend: the worked example is part of the prefix.
    render = partial(prompt.render, example=wants_example(backend))
    backend.reserve_context(articles, render, settings)
    llm = backend._llama()
    grammar = backend.grammar()
    startup = time.perf_counter() - t0

    # Pass 1: through the backend. Record per-article prompt evaluation from llama.cpp.
    rows = []
    for art in articles:
        messages = render(art)
        own = backend.count_tokens(art.text)
        p0, e0 = _perf(llm)
        t = time.perf_counter()
        try:
            ext = backend.extract(art, messages, settings)
            usage = ext.usage
        except ExtractionFailed as exc:  # cut at max_tokens: expected here
            usage = exc.usage
        dt = time.perf_counter() - t
        p1, e1 = _perf(llm)
        rows.append({"id": art.id, "own": own, "prompt": usage.prompt_tokens,
                     "evaluated": p1 - p0, "gen": usage.completion_tokens, "s": dt})

    # Pass 2: llama-cpp-python directly, same prompts, grammar and settings, same warm model.
    llm.reset()
    direct = []
    for art in articles:
        messages = render(art)
        t = time.perf_counter()
        out = llm.create_chat_completion(messages=messages, grammar=grammar[0], temperature=0.0,
                                         max_tokens=args.max_tokens, seed=0)
        direct.append({"gen": out["usage"]["completion_tokens"], "s": time.perf_counter() - t})

    b_tps = sum(r["gen"] for r in rows) / sum(r["s"] for r in rows)
    d_tps = sum(r["gen"] for r in direct) / sum(r["s"] for r in direct)
    b_lat = statistics.median(r["s"] for r in rows)
    d_lat = statistics.median(r["s"] for r in direct)
    print(f"model: {backend.model}  n_ctx: {backend.n_ctx}  threads: {backend.n_threads}  "
          f"start-up (excluded): {startup:.2f}s  max_tokens: {args.max_tokens}")
    print()
    print("| path | output tokens/s | median s/article |")
    print("|---|---|---|")
    print(f"| summarizer LocalBackend | {b_tps:.1f} | {b_lat:.2f} |")
    print(f"| llama-cpp-python direct | {d_tps:.1f} | {d_lat:.2f} |")
    print(f"| ratio (backend/direct) | {b_tps / d_tps:.3f} | {d_lat / b_lat:.3f} (speed) |")
    print()
    print("| article | article tokens | prompt tokens | evaluated by llama.cpp |")
    print("|---|---|---|---|")
    for r in rows:
        print(f"| {r['id'][:40]} | {r['own']} | {r['prompt']} | {r['evaluated']} |")
    later = rows[1:]
    if later:
        extra = [r["evaluated"] - r["own"] for r in later]
        print(f"\nafter the first article, evaluated minus the article's own tokens: median "
              f"{statistics.median(extra):+.0f}, max {max(extra):+d} (the instruction prefix "
              f"is {rows[0]['prompt'] - rows[0]['own']} tokens)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
