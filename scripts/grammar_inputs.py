"""Snapshot what the recorded model calls are keyed on, per eval article, so a change to the
text readers can be checked not to touch them (issue 34).

For every article of `evals/articles/`: sha256 of the constrained backend's per-article schema
(`grounded_schema`, which the grammar is compiled from), of the rendered prompt messages, of
the name candidates, count candidates and sentences; and, for reference, the rules' totals
(the second opinion's input). Usage:

    python scripts/grammar_inputs.py write SNAPSHOT.json
    python scripts/grammar_inputs.py check SNAPSHOT.json   # exit 1 and list what changed
"""

from __future__ import annotations

import hashlib
import json
import sys
from pathlib import Path

from summarizer.article import load_article
from summarizer.brief import BriefDraft, derive_totals
from summarizer.constrained import grounded_schema
from summarizer.prompts import load_prompt
from summarizer.rules import rules_draft
from summarizer.text import count_candidates, name_candidates, sentences

ROOT = Path(__file__).resolve().parent.parent


def _sha(obj: object) -> str:
    return hashlib.sha256(json.dumps(obj, sort_keys=True, default=repr).encode()).hexdigest()


def snapshot() -> dict[str, dict[str, object]]:
    base = BriefDraft.model_json_schema()
    prompt = load_prompt()
    out: dict[str, dict[str, object]] = {}
    for path in sorted((ROOT / "evals" / "articles").iterdir()):
        if path.name == "README.md":
            continue
        article = load_article(path)
        text = article.text
        out[path.name] = {
            "grounded_schema": _sha(grounded_schema(article, base)),
            "prompt": _sha([m for m in prompt.render(article)]),
            "name_candidates": _sha([(c.text, c.spans, c.kind, c.aliases)
                                     for c in name_candidates(text)]),
            "count_candidates": _sha([repr(c) for c in count_candidates(text)]),
            "sentences": _sha([(s.start, s.end) for s in sentences(text)]),
            "rules_totals": derive_totals(rules_draft(article)).model_dump(mode="json"),
        }
    return out


def main(argv: list[str]) -> int:
    if len(argv) != 2 or argv[0] not in ("write", "check"):
        print(__doc__.strip().splitlines()[-2:], file=sys.stderr)
        return 2
    now = snapshot()
    if argv[0] == "write":
        Path(argv[1]).write_text(json.dumps(now, indent=1, sort_keys=True))
        print(f"wrote {len(now)} articles to {argv[1]}")
        return 0
    before = json.loads(Path(argv[1]).read_text())
    changed = [(a, k) for a in sorted(set(before) | set(now)) for k in
               sorted(set(before.get(a, {})) | set(now.get(a, {})))
               if before.get(a, {}).get(k) != now.get(a, {}).get(k)]
    keyed = [(a, k) for a, k in changed if not k.startswith("rules_")]
    for a, k in changed:
        print(f"{'changed' if (a, k) in keyed else 'note (not a call key)'}: {a}: {k}")
    print(f"{len(now)} articles, {len(keyed)} changed call inputs")
    return 1 if keyed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
