"""The baseline of bench/remote_path.py: the 30-line client anyone would write.

    python bench/plain_async_loop.py ARTICLES_DIR OUT.jsonl CONCURRENCY

Plain `AsyncOpenAI` under a semaphore, a strict json_schema request per article carrying the
same messages summarizer sends (its prompt, rendered), a pydantic parse of the answer, one
JSON line written per answer. No cache, no grounding, no retries, no per-brief files.
Reads OPENAI_BASE_URL like the SDK does.
"""

from __future__ import annotations

import asyncio
import json
import sys
from pathlib import Path

from openai import AsyncOpenAI

from summarizer.article import load_article
from summarizer.backends.wire_schema import strict_schema
from summarizer.brief import BriefDraft
from summarizer.prompts import load_prompt


async def main(folder: Path, out: Path, concurrency: int) -> None:
    client = AsyncOpenAI(api_key="not-needed", max_retries=0)
    schema = {"type": "json_schema", "json_schema": {
        "name": "BriefDraft", "strict": True, "schema": strict_schema(BriefDraft)}}
    gate = asyncio.Semaphore(concurrency)
    with out.open("w", encoding="utf-8") as sink:
        prompt = load_prompt()

        async def one(path: Path) -> None:
            messages = prompt.render(load_article(path))
            async with gate:
                resp = await client.chat.completions.create(
                    model="bench", response_format=schema,  # type: ignore[arg-type]
                    messages=messages)  # type: ignore[arg-type]
            draft = BriefDraft.model_validate_json(resp.choices[0].message.content or "")
            sink.write(json.dumps({"file": path.name, "brief": draft.model_dump()}) + "\n")

        await asyncio.gather(*(one(p) for p in sorted(folder.glob("*.txt"))))


if __name__ == "__main__":
    asyncio.run(main(Path(sys.argv[1]), Path(sys.argv[2]), int(sys.argv[3])))
