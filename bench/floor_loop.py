"""The floor of bench/remote_path.py (issue 32): the leanest client of the same wire.

    python bench/floor_loop.py BODIES.jsonl OUT.jsonl CONCURRENCY

Plain `AsyncOpenAI` under a semaphore posting the request bodies a `summarizer run` sent
(captured by bench/latency_server.py --capture), as they are: `client.post`, so none of the
SDK's parameter transforms; each answer parsed with pydantic, one JSON line written per
answer. No prompt rendering, no grounding, no retries, no cache. Reads OPENAI_BASE_URL.
"""

from __future__ import annotations

import asyncio
import json
import sys
from pathlib import Path

import httpx
from openai import AsyncOpenAI

from summarizer.brief import BriefDraft


async def main(bodies: Path, out: Path, concurrency: int) -> None:
    client = AsyncOpenAI(api_key="not-needed", max_retries=0)
    gate = asyncio.Semaphore(concurrency)
    with out.open("w", encoding="utf-8") as sink:

        async def one(body: dict[str, object]) -> None:
            async with gate:
                raw = await client.post("/chat/completions", body=body, cast_to=httpx.Response)
            message = json.loads(raw.content)["choices"][0]["message"]
            calls = message.get("tool_calls") or []
            text = calls[0]["function"]["arguments"] if calls else message["content"]
            draft = BriefDraft.model_validate_json(text)
            sink.write(json.dumps({"brief": draft.model_dump()}) + "\n")

        lines = bodies.read_text(encoding="utf-8").splitlines()
        await asyncio.gather(*(one(json.loads(line)) for line in lines if line))


if __name__ == "__main__":
    asyncio.run(main(Path(sys.argv[1]), Path(sys.argv[2]), int(sys.argv[3])))
