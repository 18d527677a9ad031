"""Issue 28 under real conditions: a full filesystem and a read-only mount (a small tmpfs the
test mounts: root only, skipped with the reason otherwise), and a second process holding the
output folder. The runs themselves are in process (`cli.main`)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from summarizer.batch.outdir import LOCK_NAME
from summarizer.cli import main
from summarizer.exitcodes import ExitCode

from .conftest import ROOT

RULES = ["--backend", "rules", "--no-cache", "--quiet"]
ARTICLES = 16


def _mount(mnt: Path, options: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(["mount", "-t", "tmpfs", "-o", options, "tmpfs", str(mnt)],
                          capture_output=True, text=True)


@pytest.fixture
def tmpfs(tmp_path: Path) -> Iterator[Path]:
    """A 96 KiB tmpfs at tmp_path/mnt, unmounted afterwards."""
    if not sys.platform.startswith("linux") or os.geteuid() != 0:
        pytest.skip("mounting a tmpfs needs root on Linux")
    mnt = tmp_path / "mnt"
    mnt.mkdir()
    done = _mount(mnt, "size=96k")
    if done.returncode != 0:
        pytest.skip(f"mount -t tmpfs was refused: {done.stderr.strip()}")
    try:
        yield mnt
    finally:
        subprocess.run(["umount", "-l", str(mnt)], check=False)


def _corpus(folder: Path) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    for i in range(ARTICLES):
        body = f"Police said {i + 2} people were arrested in Kano on Friday after a raid. " * 40
        (folder / f"a{i:02d}.txt").write_text(f"Raid number {i} in Kano\n\n{body}\n",
                                              encoding="utf-8")
    return folder


def _whole(briefs: Path) -> set[str]:
    whole = set()
    for path in briefs.rglob("*.json"):
        try:
            json.loads(path.read_text(encoding="utf-8"))
        except ValueError:
            continue
        whole.add(path.name.removesuffix(".json"))
    return whole


@pytest.mark.system
def test_a_full_disk_ends_the_run_in_one_line_and_a_rerun_completes_it(
        tmp_path: Path, tmpfs: Path, capsys) -> None:
    src, out = _corpus(tmp_path / "in"), tmpfs / "out"
    assert main(["run", str(src), "--out", str(out), *RULES]) == ExitCode.OUTPUT
    (line,) = capsys.readouterr().err.strip().splitlines()
    assert line.startswith(f"summarizer: error: {out}/")
    assert line.endswith(": cannot write (No space left on device)")
    raw = (out / "briefs.jsonl").read_bytes()  # a whole row is the done mark
    done = {json.loads(line)["output"] for line in raw.split(b"\n")[:-1]}
    assert 0 < len(done) < ARTICLES  # the disk filled part way through
    assert _mount(tmpfs, "remount,size=8m").returncode == 0  # the disk is freed
    assert main(["run", str(src), "--out", str(out), *RULES]) == ExitCode.OK
    run = json.loads((out / "run.json").read_text(encoding="utf-8"))
    assert run["skipped"] == len(done)  # nothing whole is briefed twice
    assert run["briefed"] == ARTICLES - len(done)
    keys = {f"a{i:02d}.txt" for i in range(ARTICLES)}
    assert _whole(out / "briefs") == keys
    assert {p.name.removesuffix(".md") for p in (out / "briefs").rglob("*.md")} == keys
    lines = (out / "briefs.jsonl").read_text(encoding="utf-8").splitlines(keepends=True)
    assert len(lines) == ARTICLES and all(line.endswith("\n") for line in lines)
    assert (out / "index.html").is_file() and not list(out.rglob(".tmp-*"))


@pytest.mark.system
def test_a_read_only_output_folder_ends_the_run_in_one_line(tmp_path: Path, tmpfs: Path,
                                                             capsys) -> None:
    src = _corpus(tmp_path / "in")
    (tmpfs / "old").mkdir()
    assert _mount(tmpfs, "remount,ro").returncode == 0
    for out in (tmpfs / "old", tmpfs / "new"):
        assert main(["run", str(src), "--out", str(out), *RULES]) == ExitCode.OUTPUT
        (line,) = capsys.readouterr().err.strip().splitlines()
        assert line.startswith(f"summarizer: error: {out}")
        assert line.endswith("cannot write (Read-only file system)")


HOLD = """
import sys, time
from pathlib import Path
from summarizer.batch.outdir import OutputLock
lock = OutputLock(Path(sys.argv[1])).__enter__()
print("held", flush=True)
time.sleep(120)
"""


@pytest.mark.subprocess
def test_a_second_process_is_refused_naming_the_holder_and_takes_over_once_it_dies(
        tmp_path: Path, capsys) -> None:
    src, out = _corpus(tmp_path / "in"), tmp_path / "out"
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(ROOT), os.environ.get(
        "PYTHONPATH", "")])}
    holder = subprocess.Popen([sys.executable, "-c", HOLD, str(out)], env=env,
                              stdout=subprocess.PIPE, text=True)
    try:
        assert holder.stdout is not None and holder.stdout.readline().strip() == "held"
        assert main(["run", str(src), "--out", str(out), *RULES]) == ExitCode.OUTPUT
        (line,) = capsys.readouterr().err.strip().splitlines()
        assert f"in use by another summarizer run (pid {holder.pid})" in line
        assert not (out / "briefs").exists()
    finally:
        holder.kill()  # SIGKILL: no clean-up; its lock file stays behind with its pid
        holder.wait()
    assert (out / LOCK_NAME).read_text(encoding="utf-8").strip() == str(holder.pid)
    assert main(["run", str(src), "--out", str(out), *RULES]) == ExitCode.OK
    assert (out / LOCK_NAME).read_text(encoding="utf-8").strip() == str(os.getpid())
