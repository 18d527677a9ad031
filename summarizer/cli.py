"""The command line: a thin adapter over the public API that returns exit codes.

    summarizer run PATH... [--out DIR]     brief articles
    summarizer eval --dataset DIR ...      score briefs against gold
    summarizer schema [--draft|--gold]     print a JSON Schema
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Sequence
from pathlib import Path

from .brief import Brief, BriefDraft, json_schema
from .errors import SummarizerError

SCHEMA_EXPORTS = {"brief.v1.json": Brief, "brief_draft.v1.json": BriefDraft}


def _dump(schema: dict[str, object]) -> str:
    return json.dumps(schema, indent=2, ensure_ascii=False) + "\n"


def _cmd_schema(args: argparse.Namespace) -> int:
    if args.write:
        out = Path(args.write)
        out.mkdir(parents=True, exist_ok=True)
        for name, model in SCHEMA_EXPORTS.items():
            (out / name).write_text(_dump(json_schema(model)), encoding="utf-8")
            print(f"wrote {out / name}")
        return 0
    model = BriefDraft if args.draft else Brief
    sys.stdout.write(_dump(json_schema(model)))
    return 0


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="summarizer", description=__doc__.split("\n\n")[0])
    sub = parser.add_subparsers(dest="command", required=True)

    schema = sub.add_parser("schema", help="print the Brief's JSON Schema")
    schema.add_argument("--draft", action="store_true", help="the draft a model fills instead")
    schema.add_argument("--write", metavar="DIR", help="write every exported schema into DIR")
    schema.set_defaults(func=_cmd_schema)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    try:
        return int(args.func(args))
    except SummarizerError as exc:
        print(f"summarizer: error: {exc}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print("summarizer: interrupted", file=sys.stderr)
        return 130


if __name__ == "__main__":
    sys.exit(main())
