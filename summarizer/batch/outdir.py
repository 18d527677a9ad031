"""The output folder of a run: one run at a time holds it, and a write that fails there ends
the run with one line naming the path and the OS's reason (exit code 3).

The lock is an advisory `flock` on OUT/.summarizer.lock, which also holds the holder's pid
for the message a second run prints. The kernel drops the lock when its process dies, however
it dies, so a lock file left by a killed run is simply taken over: no pid-liveness guessing.
"""

from __future__ import annotations

import contextlib
import json
import os
import sys
from collections.abc import Iterator
from pathlib import Path

from ..errors import ConfigurationError, OutputError, OutputInUse

__all__ = ["LOCK_NAME", "OutputLock", "check_shard", "has_content", "is_run_folder",
           "output_errors"]

LOCK_NAME = ".summarizer.lock"
_FLAGS = os.O_RDWR | os.O_CREAT | getattr(os, "O_CLOEXEC", 0)


def is_run_folder(folder: str | Path) -> bool:
    """Whether `folder` is (or is becoming) a run's output folder: its lock file, or a
    run.json a run wrote. Inputs are never read from one, or a run would brief its own
    Markdown and index.html."""
    folder = Path(folder)
    if (folder / LOCK_NAME).is_file():
        return True
    try:
        run = json.loads((folder / "run.json").read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return False
    return isinstance(run, dict) and {"found", "briefed", "failed"} <= run.keys()


if sys.platform == "win32":  # pragma: no cover - the byte lock Windows has
    import msvcrt

    def _try_lock(fd: int) -> bool:
        os.lseek(fd, 1 << 20, os.SEEK_SET)  # far past the pid: readers are not blocked
        try:
            msvcrt.locking(fd, msvcrt.LK_NBLCK, 1)
        except OSError:
            return False
        return True
else:
    import fcntl

    def _try_lock(fd: int) -> bool:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            return False
        return True


class OutputLock:
    """Held for the length of a run: `with OutputLock(out): ...`."""

    def __init__(self, out: Path) -> None:
        self.out = out
        self.path = out / LOCK_NAME
        self._fd: int | None = None

    def __enter__(self) -> OutputLock:
        self.out.mkdir(parents=True, exist_ok=True)
        fd = os.open(self.path, _FLAGS, 0o666)
        if not _try_lock(fd):
            holder = _read_pid(fd)
            os.close(fd)
            raise OutputInUse(str(self.out), holder)
        try:  # ours now, whoever wrote the file before: say who holds it
            os.ftruncate(fd, 0)
            os.lseek(fd, 0, os.SEEK_SET)
            os.write(fd, f"{os.getpid()}\n".encode())
        except OSError as exc:
            os.close(fd)
            raise OSError(exc.errno, exc.strerror, str(self.path)) from exc
        self._fd = fd
        return self

    def __exit__(self, *exc: object) -> None:
        # Closing releases the lock. The file stays: removing it would let a run that opened
        # it a moment ago lock a file no later run can see.
        if self._fd is not None:
            os.close(self._fd)
            self._fd = None


def _read_pid(fd: int) -> int | None:
    try:
        os.lseek(fd, 0, os.SEEK_SET)
        text = os.read(fd, 32).decode("ascii", "replace").strip()
    except OSError:
        return None
    return int(text) if text.isdigit() else None


def has_content(path: Path) -> bool:
    """Whether `path` is a file with something in it (an empty one is what a power loss
    can leave of a write that was never synced)."""
    try:
        return path.stat().st_size > 0
    except OSError:
        return False


def check_shard(out: Path, shard: str) -> None:
    """Refuse to run shard K/N into a folder that holds another shard's (or an unsharded)
    run: the run-level files list one run's articles, so shards take folders of their own."""
    try:
        before = json.loads((out / "run.json").read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return  # no earlier run here (or its run.json is damaged): nothing to mix with
    earlier = before.get("shard", "1/1") if isinstance(before, dict) else "1/1"
    if earlier != shard:
        what = "an unsharded run" if earlier == "1/1" else f"shard {earlier}"
        this = "this run" if shard == "1/1" else f"shard {shard}"
        raise ConfigurationError(f"{out} holds the outputs of {what}; give {this} its own "
                                 "--out (each shard is a run of its own)")


@contextlib.contextmanager
def output_errors(out: Path) -> Iterator[None]:
    """An OSError about a path inside `out` becomes an OutputError: "PATH: cannot write
    (REASON)". Any other OSError is not the output folder's and passes unchanged."""
    try:
        yield
    except OSError as exc:
        name = exc.filename
        if name is None or not _inside(os.fsdecode(name), out):
            raise
        reason = exc.strerror or type(exc).__name__
        raise OutputError(f"{os.fsdecode(name)}: cannot write ({reason})") from exc


def _inside(path: str, folder: Path) -> bool:
    real, top = os.path.realpath(path), os.path.realpath(folder)
    return real == top or real.startswith(top.rstrip(os.sep) + os.sep)
