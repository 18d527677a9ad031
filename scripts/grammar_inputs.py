"""Snapshot what the recorded model calls of the eval corpus are keyed on (issue 33).

The `constrained` backend's per-article grammar is built from the text reader's count and
name candidates and its sentences (`backends.constrained.constrained_schema`), and the
grammar's hash is in the key of every recorded call under evals/recordings/; the `hybrid` and
`local` requests carry the rendered prompt. A change of the reader that moves any of these
misses the recordings. This script hashes them per eval article, so a change can be checked
before the replay is run:

    python scripts/grammar_inputs.py --write /tmp/before.json   # before the change
    python scripts/grammar_inputs.py --check /tmp/before.json   # after it: exit 1 on a change
"""

from __future__ import annotations

import argparse
import hashlib
import json
import sys
from pathlib import Path

from summarizer.article import load_article
from summarizer.backends.constrained import constrained_schema
from summarizer.brief import BriefDraft
from summarizer.prompts import load_prompt

ROOT = Path(__file__).resolve().parents[1]


def _sha(obj: object) -> str:
    blob = json.dumps(obj, sort_keys=True, ensure_ascii=False, default=str)
    return hashlib.sha256(blob.encode()).hexdigest()[:16]


def snapshot(articles: Path) -> dict[str, dict[str, str]]:
    base = BriefDraft.model_json_schema()
    prompt = load_prompt()
    out = {}
    for path in sorted(articles.iterdir()):
        article = load_article(path)
        out[path.stem] = {
            "grammar": _sha(constrained_schema(article, base)),
            "prompt": _sha([m for m in prompt.render(article, example=False)]),
            "prompt_few_shot": _sha([m for m in prompt.render(article, example=True)]),
        }
    return out


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--articles", type=Path, default=ROOT / "evals" / "articles")
    group = parser.add_mutually_exclusive_group(required=True)
    group.add_argument("--write", type=Path)
    group.add_argument("--check", type=Path)
    args = parser.parse_args(argv)
    now = snapshot(args.articles)
    if args.write:
        args.write.write_text(json.dumps(now, indent=1, sort_keys=True) + "\n")
        print(f"{len(now)} articles written to {args.write}")
        return 0
    try:
        before = json.loads(args.check.read_text())
    except (OSError, ValueError) as exc:
        print(f"{args.check}: cannot read the snapshot: {exc}", file=sys.stderr)
        return 2
    changed = sorted(k for k in now.keys() | before.keys() if now.get(k) != before.get(k))
    for stem in changed:
        diff = [f for f in ("grammar", "prompt", "prompt_few_shot")
                if (now.get(stem) or {}).get(f) != (before.get(stem) or {}).get(f)]
        print(f"changed: {stem}: {', '.join(diff)}")
    print(f"{len(now) - len(changed)} of {len(now)} articles unchanged")
    return 1 if changed else 0


if __name__ == "__main__":
    raise SystemExit(main())
