"""What the `summarizer` command does to its own process, and nothing in the library does to
a caller's: the garbage collector's tuning and Ray's usage statistics. cli.py calls these only
when the process is the command's (`entry()`); a test or a notebook calling `cli.main` keeps
its process as it is.
"""

from __future__ import annotations

import gc
import os
import sys

__all__ = ["at_start", "before_ray", "before_run", "reader_gone"]


def at_start() -> None:
    """A command is one short process: the cyclic GC's first generation is made large (as
    mypy does), so importing the SDK's ~1,200 models and briefing a batch collect half as
    often (GC time over a 1,000-article remote run 0.34 -> 0.22 s). At 200,000 the imports
    before `before_run` trigger no collection of their own (at 100,000 one, ~50 ms, walked
    them just before before_run's full collection walked them again) and a 1,000-article
    run none while its viewer renders (another ~50 ms): GC time over such a run 0.28-0.30
    -> 0.21-0.22 s, peak RSS 126-127 MB at both (108 MB at both over 3,000 rules briefs)."""
    gc.set_threshold(200_000, 20, 20)


def before_run() -> None:
    """Call with the run's backend built: what exists by now (modules, the SDK's models, the
    backend's clients) outlives the run, and frozen, the cyclic GC stops walking it again on
    every full collection while briefs stream in (GC time over 1,000 remote briefs 0.8-0.95
    -> 0.4 s). Garbage is collected first, never frozen: frozen, dead cycles would be
    finalised at some later full collection, perhaps in the middle of CPython 3.11's
    ast.parse, which then fails ("AST constructor recursion depth mismatch"). The command
    ends with its run: nothing is undone."""
    gc.collect()
    gc.freeze()


def before_ray(local: bool) -> None:
    """Before Ray is imported, the switches Ray reads only from the environment (its
    processes inherit them): no usage statistics, and for a `local` Ray (started by this
    command) Ray's single-node mode, its default on macOS, so that its processes bind
    127.0.0.1 only. A variable already set wins."""
    os.environ.setdefault("RAY_USAGE_STATS_ENABLED", "0")
    if local:
        os.environ.setdefault("RAY_ENABLE_WINDOWS_OR_OSX_CLUSTER", "0")


def reader_gone() -> int:
    """stdout's reader closed the pipe (`summarizer run FILE | head`): what is still buffered
    goes to /dev/null instead of a second BrokenPipeError at exit, and the command ends with
    the shell's code for a process killed by SIGPIPE."""
    devnull = os.open(os.devnull, os.O_WRONLY)
    os.dup2(devnull, sys.stdout.fileno())
    return 128 + 13
