"""`pip install -e .` (the README's install) gives a layout mypy can follow (issue 28): no
package is mapped to a folder of another name, so the editable install is a plain .pth file
naming this folder rather than an import hook static tools cannot see."""

from __future__ import annotations

import subprocess
import sys
import textwrap
import tomllib
from pathlib import Path

import pytest

from .conftest import ROOT

USER_SCRIPT = """
from pathlib import Path

from summarizer import BriefResult, summarize

result: BriefResult = summarize(Path("article.txt"), backend="rules")
headline: str = result.brief.headline
"""
WRONG_SCRIPT = """
from summarizer import summarize

summarize(None)
"""


def test_no_package_is_mapped_to_a_folder_of_another_name() -> None:
    config = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    setuptools = config["tool"]["setuptools"]
    assert setuptools.get("package-dir", {"": "."}) == {"": "."}
    for package in setuptools["packages"]:  # each lives where its name says
        assert (ROOT.joinpath(*package.split(".")) / "__init__.py").is_file(), package


@pytest.mark.system
def test_mypy_strict_reads_the_packages_types_after_an_editable_install(tmp_path: Path) -> None:
    venv = tmp_path / "venv"
    subprocess.run([sys.executable, "-m", "venv", "--system-site-packages", str(venv)],
                   check=True)
    python = venv / ("Scripts/python.exe" if sys.platform == "win32" else "bin/python")
    # The README's `pip install -e .` (setuptools from the package index, as pip builds it);
    # --no-deps only because the system site already holds the dependencies.
    done = subprocess.run([str(python), "-m", "pip", "install", "-q", "--no-deps", "-e",
                           str(ROOT)],
                          capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr[-2000:]
    purelib = Path(subprocess.run(
        [str(python), "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"],
        capture_output=True, text=True, check=True).stdout.strip())
    (pth,) = purelib.glob("__editable__*summarizer*.pth")
    assert pth.read_text(encoding="utf-8").strip() == str(ROOT)  # a path, not an import hook
    for name, script in (("user.py", USER_SCRIPT), ("wrong.py", WRONG_SCRIPT)):
        (tmp_path / name).write_text(textwrap.dedent(script), encoding="utf-8")
    mypy = [str(python), "-m", "mypy", "--strict", "--no-incremental", "--cache-dir",
            str(tmp_path / ".mypy_cache")]
    good = subprocess.run([*mypy, "user.py"], cwd=tmp_path, capture_output=True, text=True,
                          timeout=600)
    assert good.returncode == 0, good.stdout
    wrong = subprocess.run([*mypy, "wrong.py"], cwd=tmp_path, capture_output=True, text=True,
                           timeout=600)
    assert wrong.returncode == 1 and '"summarize"' in wrong.stdout  # its types, not Any
    assert "Cannot find implementation" not in wrong.stdout
