"""The project's remote path as a client, for bench/remote_path.py: like with like beside the
floor (bench/floor_loop.py).

    python bench/remote_loop.py ARTICLES_DIR OUT.jsonl CONCURRENCY

The same work the floor does, done by the project's code: each article loaded, its prompt
rendered, the request body built by the codec, sent by the one remote backend under the
transport retries and the adaptive limit at CONCURRENCY (one slot a request, as a run's
engine takes them), the mode probed once, the answer read by the one re-ask loop and
validated with pydantic; one JSON line written per draft. No grounding, no policy, no brief
files, no cache: what `summarizer run` does beyond the remote path is measured by its own
row. Reads OPENAI_BASE_URL (the model is `bench`, as for the run).
"""

from __future__ import annotations

import asyncio
import sys
from pathlib import Path

from summarizer.article import load_article
from summarizer.backends import resolve_backend
from summarizer.backends.base import Settings
from summarizer.batch.concurrency import AdaptiveLimit
from summarizer.prompts import load_prompt


async def main(folder: Path, out: Path, concurrency: int) -> None:
    backend = resolve_backend("openai", model="bench")
    prompt, settings = load_prompt(), Settings()
    backend.share_limit(AdaptiveLimit(concurrency))
    room = asyncio.Semaphore(2 * concurrency)  # briefs begun at once, as the engine holds
    with out.open("w", encoding="utf-8") as sink:

        async def one(path: Path) -> None:
            async with room:
                article = load_article(path)
                ext = await backend.aextract(article, prompt, settings)
            sink.write(ext.draft.model_dump_json() + "\n")

        await asyncio.gather(*(one(p) for p in sorted(folder.iterdir())))


if __name__ == "__main__":
    asyncio.run(main(Path(sys.argv[1]), Path(sys.argv[2]), int(sys.argv[3])))
