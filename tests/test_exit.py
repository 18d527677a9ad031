"""The CLI's fast exit: the exit code, everything printed, atexit handlers and live threads kept."""

from __future__ import annotations

import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

pytestmark = pytest.mark.subprocess  # the console script's own exit path: a real process


def _run(code: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-c", textwrap.dedent(code)], capture_output=True,
                          text=True, timeout=60)


def test_the_code_and_all_output_reach_the_caller() -> None:
    done = _run("""
        import atexit, sys
        from summarizer.exit import exit_now
        atexit.register(lambda: print("atexit ran", file=sys.stderr))
        sys.stdout.write("line\\n" * 20000)  # more than a pipe's buffer, still buffered
        exit_now(3)
    """)
    assert done.returncode == 3
    assert done.stdout.count("line\n") == 20000
    assert "atexit ran" in done.stderr


def test_a_running_thread_is_waited_for() -> None:
    done = _run("""
        import threading, time
        from summarizer.exit import exit_now
        def later():
            time.sleep(0.3)
            print("thread finished", flush=True)
        threading.Thread(target=later).start()
        exit_now(0)
    """)
    assert done.returncode == 0
    assert "thread finished" in done.stdout


def test_the_command_exits_with_mains_code_after_writing_its_outputs(tmp_path: Path) -> None:
    out, src = tmp_path / "out", tmp_path / "in"
    src.mkdir()
    (src / "empty.txt").write_bytes(b"")
    done = subprocess.run([sys.executable, "-m", "summarizer", "run", str(src), "--out",
                           str(out)], capture_output=True, text=True, timeout=120)
    assert done.returncode == 1  # one input failed
    assert "1 failed" in done.stderr  # the summary goes to stderr
    assert "empty file" in (out / "errors.jsonl").read_text(encoding="utf-8")
    assert (out / "index.html").is_file()


def test_a_reader_gone_ends_the_command_quietly() -> None:
    """`summarizer run FILE | head`: the reader closes the pipe before the brief is written;
    the command ends with SIGPIPE's shell code and no traceback."""
    sample = Path(__file__).resolve().parents[1] / "samples" / "lake-kivu-ferry.txt"
    proc = subprocess.Popen([sys.executable, "-m", "summarizer", "run", str(sample),
                             "--backend", "rules"], stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, text=True)
    assert proc.stdout is not None
    proc.stdout.close()  # long before the command has imported what it needs
    _, err = proc.communicate(timeout=60)
    assert proc.returncode == 141, err
    assert "Traceback" not in err and "BrokenPipeError" not in err
