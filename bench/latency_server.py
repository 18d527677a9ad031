"""An OpenAI-compatible chat-completions server with a fixed latency, for benchmarks.

    python bench/latency_server.py LATENCY_S [--rate-429 P] [--capacity N] [--retry-after S]
                                             [--capture FILE]
                                             # prints its URL, serves until stdin closes

Independent of the client under test (its own process, aiohttp on one event loop) so the
server's CPU does not count as the client's. Every answer is a valid, groundable brief read
from the article (one casualty record and one arrest record with quotes from the text), in
the shape the request asked for (tool call, or JSON content). GET /stats gives requests,
probes, the most answered at once and the requests refused with a 429.

Rate limits, for issue 29's benchmark (both answer 429 at once, with `Retry-After`):
`--rate-429 P` refuses each request with probability P (seeded: the same draws every run);
`--capacity N` takes N requests at a time and refuses any beyond that, as a provider at its
concurrency limit does.

`--capture FILE` writes each brief request's body (not a probe's) to FILE as it came, one a
line: the bodies a run sent, for bench/floor_loop.py to send again.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import random
import re
import sys
from typing import Any

from aiohttp import web

_KILLED = re.compile(r"[^.\n]*\bkilled (\d+) people and wounded (\d+)[^.\n]*")
_ARRESTED = re.compile(r"[^.\n]*\barrested (\d+) suspects[^.\n]*")
_TITLE = re.compile(r"Title: (.+)")


def brief_for(user: str) -> dict[str, Any]:
    """A brief whose every figure is quoted from the article in `user`."""
    title = (m.group(1) if (m := _TITLE.search(user)) else "Untitled")[:100]
    casualties, arrests = [], []
    if k := _KILLED.search(user):
        casualties.append({
            "incident": "attack", "location": None, "date_text": None, "date": None,
            "group": "people", "side": "victims",
            "killed": {"value": int(k.group(1)), "qualifier": "exact"},
            "wounded": {"value": int(k.group(2)), "qualifier": "exact"},
            "reported_by": "police", "superseded": False, "perpetrator": None,
            "attribution": "unknown", "attributed_by": None,
            "evidence": [{"quote": k.group(0).strip()}]})
    if a := _ARRESTED.search(user):
        arrests.append({"count": {"value": int(a.group(1)), "qualifier": "exact"},
                        "who": "suspects", "by": "officers", "status": "arrested",
                        "incident": "attack", "reported_by": None,
                        "evidence": [{"quote": a.group(0).strip()}]})
    return {"headline": title, "summary": f"A report: {title}.", "actors": [],
            "casualties": casualties, "arrests": arrests,
            "diplomatic_significance": {"level": "none", "summary": "", "parties": [],
                                        "evidence": []}}


class Stats:
    def __init__(self) -> None:
        self.requests = self.probes = self.in_flight = self.most = self.refused = 0


def make_app(latency: float, rate_429: float = 0.0, capacity: int = 0,
             retry_after: float = 0.2, seed: int = 0,
             capture: Any = None) -> web.Application:
    stats = Stats()
    rng = random.Random(seed)

    async def completions(request: web.Request) -> web.Response:
        raw = await request.read()
        body = json.loads(raw)
        stats.requests += 1
        probe = ((body.get("response_format") or {}).get("json_schema") or {}).get("name")
        if capture is not None and probe != "probe":
            capture.write(raw.replace(b"\n", b"") + b"\n")
        if (capacity and stats.in_flight >= capacity) or (rate_429 and rng.random() < rate_429):
            stats.refused += 1  # a rate limiter answers at once, before any work
            return web.json_response({"error": {"message": "rate limited"}}, status=429,
                                     headers={"Retry-After": f"{retry_after:g}"})
        stats.in_flight += 1
        stats.most = max(stats.most, stats.in_flight)
        try:
            await asyncio.sleep(latency)
        finally:
            stats.in_flight -= 1
        rf = body.get("response_format") or {}
        user = next((m.get("content") or "" for m in body["messages"]
                     if m.get("role") == "user"), "")
        answer: Any = brief_for(str(user))
        if (rf.get("json_schema") or {}).get("name") == "probe":
            stats.probes += 1
            answer = {"ok": True}
        message: dict[str, Any] = {"role": "assistant", "content": None}
        if body.get("tools"):
            name = body["tools"][0]["function"]["name"]
            message["tool_calls"] = [{"id": "call_0", "type": "function",
                                      "function": {"name": name,
                                                   "arguments": json.dumps(answer)}}]
        else:
            message["content"] = json.dumps(answer)
        return web.json_response({
            "id": "chatcmpl-bench", "object": "chat.completion", "created": 0,
            "model": body.get("model", "bench"),
            "choices": [{"index": 0, "message": message, "finish_reason": "stop"}],
            "usage": {"prompt_tokens": 600, "completion_tokens": 150, "total_tokens": 750}})

    async def stats_view(request: web.Request) -> web.Response:
        return web.json_response(vars(stats))

    app = web.Application(client_max_size=4 * 1024 * 1024)
    app.router.add_post("/v1/chat/completions", completions)
    app.router.add_get("/stats", stats_view)
    return app


async def _serve(args: argparse.Namespace) -> None:
    capture = open(args.capture, "wb") if args.capture else None  # noqa: SIM115
    app = make_app(args.latency, args.rate_429, args.capacity, args.retry_after, args.seed,
                   capture)
    runner = web.AppRunner(app, access_log=None)
    await runner.setup()
    site = web.TCPSite(runner, "127.0.0.1", 0, backlog=1024)
    await site.start()
    port = site._server.sockets[0].getsockname()[1]  # type: ignore[union-attr]
    print(f"http://127.0.0.1:{port}/v1", flush=True)
    await asyncio.get_running_loop().run_in_executor(None, sys.stdin.read)
    await runner.cleanup()
    if capture is not None:
        capture.close()


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description="a loopback chat-completions server")
    parser.add_argument("latency", type=float)
    parser.add_argument("--rate-429", type=float, default=0.0)
    parser.add_argument("--capacity", type=int, default=0)
    parser.add_argument("--retry-after", type=float, default=0.2)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--capture", default=None)
    asyncio.run(_serve(parser.parse_args()))
