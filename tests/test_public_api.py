"""The public API is explicit: everything in __all__ exists and is documented, and nothing
private leaks into it (httpx's test_exported_members, in spirit)."""

import asyncio
import inspect
import subprocess
import sys

import pytest

import summarizer


def test_all_exported_members_exist_and_are_public():
    for name in summarizer.__all__:
        assert hasattr(summarizer, name), name
        assert not name.startswith("_") or name == "__version__"


def test_public_callables_and_classes_have_docstrings():
    for name in summarizer.__all__:
        obj = getattr(summarizer, name)
        if inspect.isclass(obj) or inspect.isfunction(obj):
            assert inspect.getdoc(obj), name


def test_asummarize_with_the_rules_backend(seed_path):
    result = asyncio.run(summarizer.asummarize(seed_path, backend="rules"))
    assert result.provenance.backend == "rules"
    assert result.brief.totals.killed is not None


def test_every_lazy_name_is_exported_and_resolves():
    assert set(summarizer.__all__) == {*summarizer._LAZY, "__version__"}
    assert "summarize" in dir(summarizer)


@pytest.mark.subprocess  # a fresh interpreter: what the front door loads
def test_the_front_door_loads_no_model_pipeline_or_sdk():
    code = ("import sys, summarizer, summarizer.cli; "
            "print(' '.join(m for m in ('pydantic', 'httpx', 'openai', 'jinja2', "
            "'summarizer.pipeline', 'summarizer.text') if m in sys.modules))")
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                          check=True, timeout=60)
    assert done.stdout.strip() == ""
    help_text = subprocess.run([sys.executable, "-m", "summarizer", "--help"],
                               capture_output=True, text=True, check=True, timeout=60).stdout
    assert "usage: summarizer" in help_text
