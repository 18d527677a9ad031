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


def _third_party_imports() -> set[str]:
    """Top-level modules outside the standard library that summarizer/ imports anywhere
    (at module level, inside functions, or guarded)."""
    import ast
    import sys

    found: set[str] = set()
    for path in (ROOT / "summarizer").rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Import):
                found |= {a.name.split(".")[0] for a in node.names}
            elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
                found.add(node.module.split(".")[0])
    return {m for m in found if m not in sys.stdlib_module_names and m != "summarizer"}


# A module whose distribution has another name; the rest are named as they are imported.
_DISTRIBUTION = {"bs4": "beautifulsoup4", "google": "google-genai", "llama_cpp":
                 "llama-cpp-python", "genai_prices": "genai-prices", "huggingface_hub":
                 "huggingface-hub"}


def _names(requirements: list[str]) -> set[str]:
    import re

    return {re.split(r"[\[<>=!~;\s]", r, maxsplit=1)[0].lower().replace("_", "-")
            for r in requirements}


def test_every_package_the_code_imports_is_a_dependency_or_in_an_extra() -> None:
    config = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    listed = _names(config["dependencies"])
    for name, extra in config["optional-dependencies"].items():
        if name != "dev":
            listed |= _names(extra)
    wanted = {_DISTRIBUTION.get(m, m).lower().replace("_", "-") for m in _third_party_imports()}
    assert wanted - listed == set()
