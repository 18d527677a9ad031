"""The exit codes of every `summarizer` command, in one place: a new command reuses them."""

from __future__ import annotations

from enum import IntEnum

__all__ = ["ExitCode"]


class ExitCode(IntEnum):
    OK = 0  # everything asked for was done
    INPUTS_FAILED = 1  # some inputs failed; each is named on the console and in errors.jsonl
    USAGE = 2  # the command line cannot work as given; nothing was created
    OUTPUT = 3  # the output folder cannot be written, or another run is using it
    INTERRUPTED = 130  # Ctrl-C (128 + SIGINT, as shells report it)
