"""The command line in process: `run_cli([...])` calls `summarizer.cli.main` as the console
script would, with its own environment, working directory, stdin and captured output, and
returns what a subprocess would (exit code, stdout, stderr) without paying ~0.7 s to start an
interpreter. The console script itself and its exit path keep a few subprocess smoke tests
(`-m subprocess`)."""

from __future__ import annotations

import contextlib
import io
import os
import subprocess
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from unittest import mock

from summarizer.cli import main


@dataclass
class CliResult:
    args: list[str]
    returncode: int
    stdout: str
    stderr: str

    def check_returncode(self) -> None:
        if self.returncode:
            raise subprocess.CalledProcessError(self.returncode, self.args, self.stdout,
                                                self.stderr)


def run_cli(args: Sequence[str], *, env: Mapping[str, str] | None = None,
            cwd: str | Path | None = None, input: str | bytes | None = None,
            check: bool = False) -> CliResult:
    """`summarizer ARGS` in this process. `env` replaces the environment for the call (as
    subprocess's `env=` does); `input` is what stdin holds."""
    out, err = io.StringIO(), io.StringIO()
    raw = input.encode() if isinstance(input, str) else (input or b"")
    stdin = io.TextIOWrapper(io.BytesIO(raw), encoding="utf-8")
    before = os.getcwd()
    with contextlib.ExitStack() as stack:
        if env is not None:
            stack.enter_context(mock.patch.dict(os.environ, env, clear=True))
        stack.enter_context(mock.patch("sys.stdin", stdin))
        stack.enter_context(contextlib.redirect_stdout(out))
        stack.enter_context(contextlib.redirect_stderr(err))
        if cwd is not None:
            os.chdir(cwd)
        try:
            code = main([str(a) for a in args])
        except SystemExit as exc:  # argparse: --help, usage errors
            code = exc.code if isinstance(exc.code, int) else (0 if exc.code is None else 2)
        finally:
            os.chdir(before)
    result = CliResult(["summarizer", *map(str, args)], code, out.getvalue(), err.getvalue())
    if check:
        result.check_returncode()
    return result
