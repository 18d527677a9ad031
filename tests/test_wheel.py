"""A real install: a wheel built from this tree offline, installed into a fresh virtual
environment, and the command run from a folder outside the repository. An editable install
hides what a wheel leaves out (a package not listed, data files not declared)."""

from __future__ import annotations

import importlib.util
import json
import os
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

from .conftest import ROOT

pytestmark = pytest.mark.subprocess

SAMPLE = ROOT / "samples" / "palmyra-condolences.txt"


def _run(cmd: list[str], cwd: Path) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "VIRTUAL_ENV")}
    done = subprocess.run(cmd, cwd=cwd, env=env, capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, f"{cmd[:4]}: {done.stderr[-2000:]}"
    return done


def _source_copy(dest: Path) -> Path:
    """What a wheel is built from, copied out (the build writes build/ and *.egg-info)."""
    dest.mkdir()
    for name in ("pyproject.toml", "README.md", "LICENSE"):
        if (ROOT / name).exists():
            shutil.copy2(ROOT / name, dest / name)
    shutil.copytree(ROOT / "summarizer", dest / "summarizer",
                    ignore=shutil.ignore_patterns("__pycache__", "*.pyc"))
    return dest


def _data_files() -> set[str]:
    """Every file under summarizer/ that is not Python source: what package data must carry."""
    return {p.relative_to(ROOT).as_posix() for p in (ROOT / "summarizer").rglob("*")
            if p.is_file() and p.suffix not in (".py", ".pyc") and "__pycache__" not in p.parts}


@pytest.fixture(scope="module")
def installed(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    """(the wheel, the venv's python): built and installed without the network."""
    if importlib.util.find_spec("wheel") is None and importlib.util.find_spec(
            "setuptools.command.bdist_wheel") is None:
        pytest.skip("the build requirements (setuptools, wheel: the dev extra) are missing")
    tmp = tmp_path_factory.mktemp("wheel")
    src = _source_copy(tmp / "src")
    _run([sys.executable, "-m", "pip", "wheel", "--no-deps", "--no-build-isolation",
          "--no-index", "-q", "-w", str(tmp / "dist"), str(src)], cwd=tmp)
    wheel = next((tmp / "dist").glob("summarizer-*.whl"))
    venv = tmp / "venv"
    _run([sys.executable, "-m", "venv", "--system-site-packages", str(venv)], cwd=tmp)
    python = venv / "bin" / "python"
    _run([str(python), "-m", "pip", "install", "--no-deps", "--no-index", "-q", str(wheel)],
         cwd=tmp)
    return wheel, python


def test_the_wheel_carries_every_module_and_data_file(installed: tuple[Path, Path]) -> None:
    wheel, _ = installed
    names = set(zipfile.ZipFile(wheel).namelist())
    sources = {p.relative_to(ROOT).as_posix() for p in (ROOT / "summarizer").rglob("*.py")}
    assert sources - names == set()
    assert _data_files() - names == set()
    assert {"summarizer/_prompts/brief.system.j2", "summarizer/_schemas/brief.v1.json",
            "summarizer/view/templates/report.html.j2", "summarizer/py.typed"} <= names


def test_the_installed_command_briefs_outside_the_repository(
        installed: tuple[Path, Path], tmp_path: Path) -> None:
    _, python = installed
    work = tmp_path / "elsewhere"
    work.mkdir()
    shutil.copy2(SAMPLE, work / SAMPLE.name)
    where = _run([str(python), "-c", "import summarizer; print(summarizer.__file__)"], work)
    assert Path(where.stdout.strip()).is_relative_to(python.parent.parent)  # not the repo's
    one = _run([str(python), "-m", "summarizer", "run", SAMPLE.name, "--backend", "rules"],
               work)
    result = json.loads(one.stdout)
    assert result["brief"]["headline"] and result["provenance"]["backend"] == "rules"
    assert result["provenance"]["schema_id"] and result["provenance"]["prompt_id"]
    _run([str(python), "-m", "summarizer", "run", ".", "--out", "out", "--backend", "rules",
          "--quiet"], work)
    out = work / "out"
    assert len((out / "briefs.jsonl").read_text(encoding="utf-8").splitlines()) == 1
    assert "<html" in (out / "index.html").read_text(encoding="utf-8").lower()
