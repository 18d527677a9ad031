"""The command line of review (`summarizer review`, `export --reviewed`, `gold export`): only
what building the parser needs is imported here; each command imports its own work."""

from __future__ import annotations

import argparse
from collections.abc import Callable
from pathlib import Path

from ..errors import ConfigurationError
from ..exitcodes import ExitCode


def _reviewer(name: str | None) -> str:
    import getpass
    import re

    from ..review.store import check_reviewer

    if name is None:
        try:
            name = re.sub(r"[^A-Za-z0-9._-]", "_", getpass.getuser()) or "reviewer"
        except (OSError, KeyError):
            name = "reviewer"
    return check_reviewer(name)


def _cmd_review(args: argparse.Namespace) -> int:
    try:
        import starlette  # noqa: F401
        import uvicorn  # noqa: F401
    except ImportError:
        from ..errors import MissingExtraError

        raise MissingExtraError("review", "summarizer review") from None
    from ..review.app import serve

    serve(Path(args.out), _reviewer(args.reviewer), args.port)
    return ExitCode.OK


def _cmd_export(args: argparse.Namespace) -> int:
    from ..review.export import export_reviewed

    if not args.reviewed:
        raise ConfigurationError("export: say what to export (--reviewed: the corrected briefs)")
    reviewer = _reviewer(args.reviewer) if args.reviewer else None
    return export_reviewed(Path(args.out_folder), Path(args.out), reviewer)


def _cmd_gold_export(args: argparse.Namespace) -> int:
    from ..review.export import export_gold

    reviewer = _reviewer(args.reviewer) if args.reviewer else None
    return export_gold(Path(args.out), Path(args.to), args.split, reviewer)


def add_review_commands(sub: argparse._SubParsersAction[argparse.ArgumentParser],
                        port: Callable[[str], int]) -> None:
    """`review`, `export` and `gold export` on the command line's parser."""
    review = sub.add_parser("review", help="check and correct a run's briefs in the browser "
                            "(127.0.0.1; needs the 'review' extra)")
    review.add_argument("out", metavar="OUT", help="the output folder of `summarizer run`")
    review.add_argument("--reviewer", help="whose review this is (default: the login name)")
    review.add_argument("--port", type=port, default=0, help="default: a free port")
    review.set_defaults(func=_cmd_review)
    export = sub.add_parser("export", help="the reviewed briefs, corrected, as a run's outputs")
    export.add_argument("out_folder", metavar="OUT", help="the output folder of `summarizer run`")
    export.add_argument("--reviewed", action="store_true", help="the corrected briefs")
    export.add_argument("--reviewer", help="only this reviewer's reviews (default: the latest)")
    export.add_argument("--out", required=True, metavar="DIR", help="a new (or empty) folder")
    export.set_defaults(func=_cmd_export)
    gold = sub.add_parser("gold", help="gold datasets from reviews")
    gold_sub = gold.add_subparsers(dest="gold_command", required=True, metavar="ACTION",
                                   help="export: the reviewed briefs as a gold dataset")
    gexp = gold_sub.add_parser("export", help="each reviewed brief as a gold file with its "
                               "article (a dataset for `summarizer eval --dataset DIR`)")
    gexp.add_argument("out", metavar="OUT", help="the output folder of `summarizer run`")
    gexp.add_argument("--to", required=True, metavar="DIR", help="a new (or empty) folder")
    gexp.add_argument("--split", choices=["dev", "test"], default="dev")
    gexp.add_argument("--reviewer", help="whose reviews make gold/ (default: the reviewer of "
                      "most briefs); another reviewer's go to gold-second/")
    gexp.set_defaults(func=_cmd_gold_export)
