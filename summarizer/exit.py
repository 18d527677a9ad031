"""Leaving the process once a command's work is written, without the interpreter's teardown."""

from __future__ import annotations

import atexit
import os
import sys
import threading
from typing import NoReturn

__all__ = ["exit_now"]


def exit_now(code: int) -> NoReturn:
    """Exit with `code`: atexit handlers run (Ray's shutdown, logging's flush) and stdout and
    stderr are flushed, but the interpreter does not free every module and object one by one
    -- 0.5 s of CPU after a 1,000-article run (docs/benchmarks.md), time a user waits for
    nothing, as mypy found. Every file of ours is closed by then (atomic.py writes whole
    files). With a thread of someone else's still running, the exit is the ordinary one:
    it waits for that thread."""
    if any(t.is_alive() and not t.daemon for t in threading.enumerate()
           if t is not threading.current_thread()):
        sys.exit(code)
    atexit._run_exitfuncs()
    for stream in (sys.stdout, sys.stderr):
        try:
            stream.flush()
        except (OSError, ValueError):  # a closed pipe: nothing more can reach it
            pass
    os._exit(code)
