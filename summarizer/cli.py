"""The command line: a thin adapter over the library that parses arguments and returns exit
codes. Every command's work lives in the library (batch, evaluation.run, view).

    summarizer run PATH... [--out DIR]     brief articles
    summarizer eval --dataset DIR ...      score briefs against gold
    summarizer view OUT                    write OUT/index.html to look at the briefs
    summarizer merge OUT... --out DIR      join the folders of a run's shards into one
    summarizer events OUT                  group a run's briefs into events (events.jsonl)
    summarizer review OUT                  check and correct the briefs in the browser
    summarizer export OUT --reviewed ...   the corrected briefs as a run's outputs
    summarizer gold export OUT --to DIR    the reviewed briefs as a gold dataset
    summarizer schema [--draft]            print a JSON Schema

Exit codes: exitcodes.py (and EPILOG below), the same for every command.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING

# Only what building the parser needs: `summarizer --help` loads no pydantic model, no
# pipeline and no SDK. Each command imports its own work.
from . import command_process
from ._version import __version__
from .atomic import atomic_write_text
from .backends import ALIASES, BACKENDS
from .backends.base import Settings
from .batch.outdir import output_errors
from .batch_api.options import RETRY_MODES, BatchAPIOptions
from .errors import ConfigurationError, OutputError, SummarizerError
from .exit import exit_now
from .exitcodes import ExitCode
from .policies import POLICIES
from .review.commands import add_review_commands

if TYPE_CHECKING:
    from .batch import RunOptions
    from .spec import Spec

BACKEND_CHOICES = (*BACKENDS, *ALIASES)
DESCRIPTION = "Structured, evidence-backed briefs of news articles."
EPILOG = """exit codes (every command):
  0  everything asked for was done
  1  some inputs failed (each is named on the console and in OUT/errors.jsonl)
  2  usage: the command line cannot work as given; nothing was created
  3  the output folder cannot be written, or another run is using it"""


def _exports() -> dict[str, dict[str, object]]:
    from .brief import Brief, BriefDraft, json_schema
    from .evaluation import gold_json_schema

    return {"brief.v1.json": json_schema(Brief), "brief_draft.v1.json": json_schema(BriefDraft),
            "gold.v1.json": gold_json_schema(), "review.v1.json": _review_schema()}


def _review_schema() -> dict[str, object]:
    from .review.store import review_json_schema

    return review_json_schema()


def _dump(schema: dict[str, object]) -> str:
    return json.dumps(schema, indent=2, ensure_ascii=False) + "\n"


def _cmd_schema(args: argparse.Namespace) -> int:
    if args.write:
        out = Path(args.write)
        with output_errors(out):
            out.mkdir(parents=True, exist_ok=True)
            for name, schema in _exports().items():
                atomic_write_text(out / name, _dump(schema))
                print(f"wrote {out / name}")
        return 0
    from .brief import Brief, BriefDraft, json_schema

    model = BriefDraft if args.draft else Brief
    sys.stdout.write(_dump(json_schema(model)))
    return 0


def _cmd_view(args: argparse.Namespace) -> int:
    from .view import write_index

    with output_errors(Path(args.out)):
        print(write_index(Path(args.out)))
    return 0


def _cmd_merge(args: argparse.Namespace) -> int:
    from .batch.merge import merge_runs

    summary, code = merge_runs(args.folders, args.out, brief_files=not args.no_brief_files)
    if not args.quiet:
        print(f"{len(args.folders)} folders merged: {summary['briefed']} briefed, "
              f"{summary['duplicates']} duplicate, {summary['failed']} failed; open "
              f"{args.out}/index.html", file=sys.stderr)
    return code


def _events(out: Path, quiet: bool = False) -> int:
    from .batch.outdir import OutputLock
    from .events import write_events

    with output_errors(out), OutputLock(out):
        summary = write_events(out)
    for line in summary.unreadable[:20]:
        print(f"summarizer: {line}", file=sys.stderr)
    if not quiet:
        print(f"events: {summary.line()}; wrote {out}/events.jsonl, events.csv, events.html",
              file=sys.stderr)
    return summary.code


def _cmd_events(args: argparse.Namespace) -> int:
    return _events(Path(args.out))


def _whole(minimum: int) -> Callable[[str], int]:
    """An argparse type: a whole number of at least `minimum`."""
    def parse(text: str) -> int:
        try:
            value = int(text)
        except ValueError:
            raise argparse.ArgumentTypeError(f"expected a whole number, got {text!r}") from None
        if value < minimum:
            raise argparse.ArgumentTypeError(f"must be at least {minimum}, got {value}")
        return value
    return parse


def _above_zero(text: str) -> float:
    """An argparse type: a number more than 0 (seconds, dollars)."""
    try:
        value = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected a number, got {text!r}") from None
    if not value > 0 or value == float("inf"):
        raise argparse.ArgumentTypeError(f"must be more than 0, got {text}")
    return value


def _shard(text: str) -> tuple[int, int]:
    try:
        k, n = (int(x) for x in text.split("/"))
    except ValueError:
        raise argparse.ArgumentTypeError(f"--shard {text}: expected K/N, e.g. 2/4") from None
    if not 1 <= k <= n:
        raise argparse.ArgumentTypeError(f"--shard {text}: K must be between 1 and N")
    return k, n


def _recording(args: argparse.Namespace) -> str | None:
    return "record" if args.record else "replay" if args.replay else None


def _settings(args: argparse.Namespace) -> Settings:
    return Settings(max_tokens=args.max_tokens, max_reasks=args.max_reasks)


def _batch_api(args: argparse.Namespace) -> BatchAPIOptions | None:
    if not args.batch_api:
        return None
    return BatchAPIOptions(retry=args.batch_retry, poll_max=args.batch_poll_max)


def _spec(args: argparse.Namespace, backend: str | None) -> Spec:
    """The command's Spec: its flags over the environment, read here once."""
    from .spec import spec_from_env

    return spec_from_env(backend=backend, model=args.model, mode=args.mode,
                         recording=_recording(args), recordings_dir=args.recordings,
                         timeout=getattr(args, "timeout", None), settings=_settings(args),
                         policy=getattr(args, "policy", None), runtime_logs=args.verbose)


def _run_options(args: argparse.Namespace) -> RunOptions:
    from .batch import RunOptions

    return RunOptions(
        out=Path(args.out) if args.out else None, spec=_spec(args, args.backend),
        include=args.include, exclude=args.exclude, shard=args.shard, force=args.force,
        use_cache=not args.no_cache, cache_dir=Path(args.cache_dir) if args.cache_dir else None,
        dry_run=args.dry_run, max_cost=args.max_cost, concurrency=args.concurrency,
        quiet=args.quiet, follow_symlinks=args.follow_symlinks,
        batch_api=_batch_api(args), brief_files=not args.no_brief_files)


def _engine(args: argparse.Namespace, options: RunOptions) -> None:
    """--engine ray and its options, refused in one line before any input is read."""
    if args.engine != "ray":
        return
    from .integrations.ray import check_engine_options

    options.engine, options.ray_address = "ray", args.ray_address
    if args.own_process:
        command_process.before_ray(local=args.ray_address is None)
    options.ray_actors, options.ray_concurrency = args.ray_actors, args.ray_concurrency
    check_engine_options(options, batch_api=bool(getattr(args, "batch_api", False)))


def _check_paths(paths: Sequence[str]) -> None:
    """Every path on the command line exists: else a usage error, before anything is made
    (a bad file found inside a folder is an input that failed, not a usage error)."""
    missing = [p for p in paths if p != "-" and not os.path.exists(p)]
    if missing:
        raise ConfigurationError(f"{', '.join(missing)}: no such file or folder")
    if paths.count("-") > 1:
        raise ConfigurationError("- (stdin) given more than once")


def _brief_single(path: str, options: RunOptions) -> int:
    """`summarizer run FILE` (or `-`) without --out: the brief as JSON on stdout."""
    from .batch.discovery import discover
    from .pipeline import brief_article

    items = discover([path], max_bytes=options.max_bytes,
                     follow_symlinks=options.follow_symlinks)
    if len(items) == 1 and items[0].error is not None:
        raise items[0].error
    if len(items) != 1 or items[0].article is None:  # a JSONL file of several
        raise ConfigurationError(f"{path}: give --out DIR to brief more than one article")
    result = brief_article(items[0].article, options.configuration())
    print(result.model_dump_json(indent=2))
    return ExitCode.OK


def _cmd_run(args: argparse.Namespace) -> int:
    from .batch import run_batch
    from .batch.costs import Cost

    _check_paths(args.paths)
    options = _run_options(args)
    _engine(args, options)
    single = len(args.paths) == 1 and (args.paths[0] == "-" or Path(args.paths[0]).is_file())
    if options.out is None and not options.dry_run:
        if not single:
            raise ConfigurationError("give --out DIR when briefing a folder or several files")
        return _brief_single(args.paths[0], options)
    backend = None
    if args.own_process:  # the command's process (entry()): its GC tuned for the run
        backend = options.configuration().backend  # built first: its SDK is then frozen
        command_process.before_run()
    summary, code = run_batch(args.paths, options, backend=backend)
    if options.dry_run:
        cost = Cost(summary.estimated_cost_usd, summary.cost_status or "unknown").label()
        model = summary.model if summary.model.startswith(f"{summary.backend}/") \
            else f"{summary.backend}/{summary.model}"  # a provider's model says its provider
        print(f"dry run: {summary.found} inputs, {summary.found - summary.failed} articles, "
              f"~{summary.prompt_tokens} prompt tokens + ~{summary.completion_tokens} output "
              f"tokens, {cost} with {model}; no model called")
        return code
    if not args.quiet:
        print(summary.line(), file=sys.stderr)
        print(f"outputs in {options.out}/ (briefs.jsonl, briefs.csv, casualties.csv, "
              f"arrests.csv, actors.csv, briefs/, errors.jsonl, run.json); open "
              f"{options.out}/index.html to look at them", file=sys.stderr)
    if args.events and options.out is not None and code != ExitCode.OUTPUT:
        code = max(code, _events(Path(options.out), args.quiet))
    return code


def _cmd_eval(args: argparse.Namespace) -> int:
    from .evaluation.run import EvalOptions, run_eval

    options = EvalOptions(
        out=Path(args.out), dataset=Path(args.dataset), split=args.split,
        # the first column routes the model as `run --backend` does; each keeps its own name
        backends=args.backend or (), spec=_spec(args, (args.backend or [None])[0]),
        baseline=Path(args.baseline) if args.baseline else None,
        check=Path(args.check) if args.check else None, seed=args.seed)
    with output_errors(options.out):  # a full disk: one line and exit 3, as for `run`
        return run_eval(options)


def _add_model_arguments(p: argparse.ArgumentParser) -> None:
    p.add_argument("--model", help="model name (openai), PROVIDER/MODEL with a provider prefix "
                   "(openai/, anthropic/, gemini/, ollama/: that provider, no --backend "
                   "needed), or GGUF path / hf:ORG/REPO/FILE (local)")
    p.add_argument("--mode", help="structured-output mode for openai: json_schema, tools, json, "
                   "md_json (default: probed per server)")
    rec = p.add_mutually_exclusive_group()
    rec.add_argument("--record", action="store_true", help="record every model call")
    rec.add_argument("--replay", action="store_true", help="answer model calls from recordings")
    p.add_argument("--recordings", metavar="DIR", help="recordings folder (evals/recordings)")
    p.add_argument("--max-tokens", type=_whole(1), default=Settings.max_tokens, metavar="N",
                   help=f"most tokens the model may write per answer (default "
                   f"{Settings.max_tokens})")
    p.add_argument("--max-reasks", type=_whole(0), default=Settings.max_reasks, metavar="N",
                   help="times an invalid answer is sent back to the model with what was wrong "
                   f"(default {Settings.max_reasks})")
    p.add_argument("--verbose", action="store_true",
                   help="show the model runtime's own log lines (llama.cpp)")


def _add_run(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    run = sub.add_parser("run", help="brief articles (files, folders, JSONL, - for stdin)")
    run.add_argument("paths", nargs="+", metavar="PATH",
                     help="article files, folders (searched recursively), JSONL files of "
                     "articles, or - for one article on stdin")
    run.add_argument("--out", metavar="DIR", help="write all outputs here; one run at a time "
                     "(else print the brief of the one input)")
    run.add_argument("--backend", choices=BACKEND_CHOICES, help="default: openai if "
                     "OPENAI_API_KEY or OPENAI_BASE_URL is set, else rules "
                     "(env SUMMARIZER_BACKEND)")
    _add_model_arguments(run)
    run.add_argument("--include", action="append", default=[], metavar="GLOB",
                     help="in folders, read only files whose name or relative path matches "
                     "(repeatable)")
    run.add_argument("--exclude", action="append", default=[], metavar="GLOB",
                     help="in folders, skip files whose name or relative path matches "
                     "(repeatable)")
    run.add_argument("--shard", type=_shard, default=(1, 1), metavar="K/N",
                     help="brief only the K-th of N stable parts of the inputs; give each "
                     "shard its own --out")
    run.add_argument("--force", action="store_true", help="brief again even if already done")
    run.add_argument("--no-cache", action="store_true", help="neither read nor write the cache")
    run.add_argument("--cache-dir", metavar="DIR", help="cache folder (default: user cache)")
    run.add_argument("--dry-run", action="store_true", help="count articles, tokens and cost")
    run.add_argument("--max-cost", type=_above_zero, metavar="USD",
                     help="stop before passing this")
    run.add_argument("--concurrency", type=_whole(1), default=4, metavar="N",
                     help="requests in flight at most, for remote backends (default 4)")
    run.add_argument("--engine", choices=("local", "ray"), default="local",
                     help="ray: brief on Ray Data actors (extra [ray]); plan, resume, cache "
                     "and outputs stay in this process")
    run.add_argument("--ray-address", metavar="ADDR", help="a running Ray cluster (auto, "
                     "HOST:PORT, ray://HOST:10001); default: a local Ray for this run")
    run.add_argument("--ray-actors", type=_whole(1), default=2, metavar="N",
                     help="actors briefing at once, one CPU each (default 2)")
    run.add_argument("--ray-concurrency", type=_whole(1), metavar="C",
                     help="calls in flight per actor (default: --concurrency)")
    run.add_argument("--timeout", type=_above_zero, metavar="SECONDS",
                     help="backends that call a server: give up on a request after this long "
                     "and retry it "
                     "(default 120)")
    run.add_argument("--policy", choices=POLICIES, default="flag",
                     help="what to do with facts grounding cannot support")
    run.add_argument("--follow-symlinks", action="store_true",
                     help="read symlinks that lead outside the given paths (refused otherwise)")
    run.add_argument("--batch-api", action="store_true",
                     help="openai/... and anthropic/... models: brief through the provider's "
                     "Batch API (about half the price, results within 24 h); resumable, "
                     "the batch ids are kept in OUT/batches.json")
    run.add_argument("--batch-retry", choices=RETRY_MODES, default="batch",
                     help="--batch-api: failed lines and invalid answers are tried once more "
                     "in a follow-up batch (default) or live")
    run.add_argument("--batch-poll-max", type=_above_zero, default=60.0, metavar="SECONDS",
                     help="--batch-api: poll a batch after 1 s, then ever less often, up to "
                     "every SECONDS (default 60)")
    run.add_argument("--no-brief-files", action="store_true",
                     help="write no per-brief files (OUT/briefs/NNNNN/<key>.md and .json): "
                     "briefs.jsonl alone, for runs where a million small files are a burden")
    run.add_argument("--events", action="store_true", help="then group the run's briefs into "
                     "events, as `summarizer events OUT` does")
    run.add_argument("--quiet", action="store_true",
                     help="print nothing but errors: no progress, no failure lines, no summary")
    run.set_defaults(func=_cmd_run)


def _add_eval(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    ev = sub.add_parser("eval", help="score briefs against hand-labeled gold files")
    ev.add_argument("--dataset", default="evals", help="folder with gold/ and articles/")
    ev.add_argument("--split", choices=["dev", "test"], help="default: every split")
    ev.add_argument("--backend", action="append", choices=BACKEND_CHOICES,
                    help="a configuration to score (repeat for side-by-side columns)")
    _add_model_arguments(ev)
    ev.add_argument("--out", required=True, metavar="DIR",
                    help="write report.json, report.md and the briefs here")
    ev.add_argument("--baseline", metavar="REPORT_JSON", help="compare with an earlier report")
    ev.add_argument("--check", metavar="PATH",
                    help="fail unless the metrics reproduce this report.json (or a folder of "
                    "<split>/report.json): counts exactly, similarities within a tolerance")
    ev.add_argument("--seed", type=int, default=20240601, help="bootstrap seed")
    ev.set_defaults(func=_cmd_eval)


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="summarizer", description=DESCRIPTION, epilog=EPILOG,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--version", action="version", version=f"summarizer {__version__}")
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    _add_run(sub)
    _add_eval(sub)
    schema = sub.add_parser("schema", help="print the Brief's JSON Schema")
    schema.add_argument("--draft", action="store_true", help="the draft a model fills instead")
    schema.add_argument("--write", metavar="DIR", help="write every exported schema into DIR")
    schema.set_defaults(func=_cmd_schema)
    view = sub.add_parser("view", help="write OUT/index.html: a run's briefs, to look at")
    view.add_argument("out", metavar="OUT", help="the output folder of `summarizer run`")
    view.set_defaults(func=_cmd_view)
    merge = sub.add_parser("merge", help="join the output folders of a run's shards (or of "
                           "any runs) into one: each article's row once, the viewer rebuilt")
    merge.add_argument("folders", nargs="+", metavar="OUT", help="output folders of `run`")
    merge.add_argument("--out", required=True, metavar="DIR", help="a new (or empty) folder")
    merge.add_argument("--no-brief-files", action="store_true",
                       help="write no per-brief files under DIR/briefs/")
    merge.add_argument("--quiet", action="store_true", help="print nothing but errors")
    merge.set_defaults(func=_cmd_merge)
    events = sub.add_parser("events", help="group a run's briefs into events: OUT/events.jsonl, "
                            "events.csv, events.html")
    events.add_argument("out", metavar="OUT", help="the output folder of `summarizer run`")
    events.set_defaults(func=_cmd_events)
    add_review_commands(sub, _whole(0))
    return parser


def main(argv: Sequence[str] | None = None, *, own_process: bool = False) -> int:
    """Run one command. `own_process` (entry()): the process is the command's, so a run may
    tune its GC and Ray's environment; a caller's (a test's, a notebook's) keeps both."""
    parser = build_parser()
    args = parser.parse_args(argv)
    args.own_process = own_process
    try:
        return int(args.func(args))
    except SummarizerError as exc:
        print(f"summarizer: error: {exc}", file=sys.stderr)
        return _code(exc)
    except KeyboardInterrupt:
        print("summarizer: interrupted", file=sys.stderr)
        return ExitCode.INTERRUPTED


def _code(exc: SummarizerError) -> ExitCode:
    if isinstance(exc, OutputError):
        return ExitCode.OUTPUT
    if isinstance(exc, ConfigurationError):
        return ExitCode.USAGE
    return ExitCode.INPUTS_FAILED  # the one input of `run FILE` could not be briefed


def entry() -> None:
    """The `summarizer` command (and `python -m summarizer`): its process tuned
    (command_process.py), `main`, then a fast exit; a reader gone (`| head`) ends it quietly."""
    command_process.at_start()
    try:
        exit_now(main(own_process=True))
    except BrokenPipeError:
        exit_now(command_process.reader_gone())


if __name__ == "__main__":
    entry()
