"""The public API is explicit: everything in __all__ exists and is documented, and nothing
private leaks into it (httpx's test_exported_members, in spirit)."""

import asyncio
import inspect

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
