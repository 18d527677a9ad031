"""What a built wheel ships: every package under summarizer/ is listed for setuptools (an
unlisted one works in an editable install and is missing from a real one)."""

from __future__ import annotations

import tomllib

from .conftest import ROOT


def test_every_package_is_listed_for_the_wheel() -> None:
    config = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    listed = set(config["tool"]["setuptools"]["packages"])
    found = {".".join(p.parent.relative_to(ROOT).parts)
             for p in (ROOT / "summarizer").rglob("__init__.py")}
    assert found - listed == set()
