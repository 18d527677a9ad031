"""The wire schema and its checker: OpenAI's strict Structured Outputs subset, as documented.

The checker must pass the exported wire schema of `BriefDraft` and fail each hand-made schema
that breaks one documented rule, naming where and, for keywords, in OpenAI's own wording."""

import json

import httpx
import pytest
from pydantic import ValidationError

from summarizer.backends.wire_schema import (
    MAX_ENUM_VALUES,
    MAX_NESTING,
    strict_response_format,
    strict_schema,
    strict_violations,
)
from summarizer.brief import BriefDraft
from summarizer.testing import FakeOpenAIServer


def _obj(props, **extra):
    return {"type": "object", "properties": props, "required": list(props),
            "additionalProperties": False, **extra}


def _walk(node):
    if isinstance(node, dict):
        yield node
        for v in node.values():
            yield from _walk(v)
    elif isinstance(node, list):
        for v in node:
            yield from _walk(v)


def test_the_wire_schema_is_inside_the_strict_subset_even_for_fine_tuned_models():
    wire = strict_schema(BriefDraft)
    assert strict_violations(wire) == []
    assert strict_violations(wire, fine_tuned=True) == []
    for node in _walk(wire):
        assert not {"default", "examples", "minLength", "maxLength", "pattern", "title",
                    "minimum", "maximum", "maxItems", "minItems"} & set(node)
        if "$ref" in node:
            assert len(node) == 1
    assert strict_schema(BriefDraft) is wire  # built once (~20 ms), then shared


def test_bounds_move_into_descriptions_and_pydantic_still_enforces_them():
    wire = strict_schema(BriefDraft)
    props = wire["properties"]
    assert props["headline"]["description"].endswith("Non-empty, at most 120 characters.")
    assert "At most 10 items." in props["casualties"]["description"]
    count = wire["$defs"]["Count"]["properties"]["value"]
    assert count["description"].endswith("From 0 to 100000.")
    aliases = wire["$defs"]["ActorDraft"]["properties"]["aliases"]["description"]
    assert aliases.endswith("At most 5 items, each non-empty, at most 80 characters.")
    draft = {"headline": "x" * 121, "summary": "s", "actors": [], "casualties": [],
             "arrests": [], "diplomatic_significance": {"level": "none", "summary": "",
                                                        "parties": [], "evidence": []}}
    with pytest.raises(ValidationError, match="at most 120 characters"):
        BriefDraft.model_validate(draft)


def test_the_pydantic_schema_itself_is_refused_in_openai_words():
    problems = strict_violations(BriefDraft.model_json_schema())
    assert "In context=('properties', 'headline'), 'maxLength' is not permitted." in problems
    assert any("'default' is not permitted." in p for p in problems)
    assert any("'$ref' cannot have keywords ['description']" in p for p in problems)


def test_the_response_format_names_the_model_and_is_strict():
    fmt = strict_response_format(BriefDraft)
    assert fmt == {"type": "json_schema", "json_schema": {
        "name": "BriefDraft", "strict": True, "schema": strict_schema(BriefDraft)}}


def _deep(levels):
    node = _obj({"leaf": {"type": "string"}})
    for _ in range(levels - 1):
        node = _obj({"child": node})
    return node


BAD = {
    "root is anyOf": ({"anyOf": [_obj({})]}, "schema must be a JSON Schema of 'type: \"object\"'"),
    "root is a string": ({"type": "string"}, "got 'type: \"string\"'"),
    "additionalProperties missing": (
        {"type": "object", "properties": {"a": {"type": "string"}}, "required": ["a"]},
        "In context=(), 'additionalProperties' is required to be supplied and to be false."),
    "additionalProperties true": (
        {**_obj({"a": {"type": "string"}}), "additionalProperties": True},
        "'additionalProperties' is required to be supplied and to be false."),
    "a property not required": (
        {**_obj({"a": {"type": "string"}, "b": {"type": "integer"}}), "required": ["a"]},
        "array including every key in properties. Missing 'b'."),
    "an unknown required key": ({**_obj({"a": {"type": "string"}}), "required": ["a", "z"]},
                                "Extra required key 'z' supplied."),
    "nested object not closed": (
        _obj({"inner": {"type": "object", "properties": {"x": {"type": "string"}},
                        "required": ["x"]}}),
        "In context=('properties', 'inner'), 'additionalProperties' is required"),
    "maxLength": (_obj({"h": {"type": "string", "maxLength": 5}}),
                  "In context=('properties', 'h'), 'maxLength' is not permitted."),
    "minLength": (_obj({"h": {"type": "string", "minLength": 1}}),
                  "'minLength' is not permitted."),
    "default": (_obj({"h": {"type": ["string", "null"], "default": None}}),
                "'default' is not permitted."),
    "examples": (_obj({"h": {"type": "string", "examples": ["a"]}}),
                 "'examples' is not permitted."),
    "allOf": (_obj({"h": {"allOf": [{"type": "string"}]}}), "'allOf' is not permitted."),
    "$ref with a sibling": (
        _obj({"h": {"$ref": "#/$defs/H", "description": "d"}},
             **{"$defs": {"H": {"type": "string"}}}),
        "In context=('properties', 'h'), '$ref' cannot have keywords ['description']."),
    "$ref to nowhere": (_obj({"h": {"$ref": "#/$defs/Nope"}}),
                        "reference '#/$defs/Nope' can't be resolved."),
    "unsupported type": (_obj({"h": {"type": "date"}}), "type 'date' is not supported."),
    "unsupported format": (_obj({"h": {"type": "string", "format": "uri"}}),
                           "format 'uri' is not supported."),
    "empty enum": (_obj({"h": {"type": "string", "enum": []}}),
                   "'enum' must be a non-empty array."),
    "a bad branch in anyOf": (_obj({"h": {"anyOf": [{"type": "string", "maxLength": 3},
                                                    {"type": "null"}]}}),
                              "In context=('properties', 'h', 'anyOf', '0'), 'maxLength'"),
    "a bad item": (_obj({"h": {"type": "array", "items": {"type": "string", "minLength": 2}}}),
                   "In context=('properties', 'h', 'items'), 'minLength' is not permitted."),
    "a bad definition": (_obj({"h": {"$ref": "#/$defs/H"}},
                              **{"$defs": {"H": {"type": "string", "default": "x"}}}),
                         "In context=('$defs', 'H'), 'default' is not permitted."),
    "too deep": (_deep(MAX_NESTING + 1), f"more than {MAX_NESTING} levels of nesting"),
    "too many properties": (_obj({f"p{i}": {"type": "string"} for i in range(5001)}),
                            "5001 object properties; at most 5000"),
    "too many enum values": (_obj({f"e{i}": {"type": "string", "enum": list(range(500))}
                                   for i in range(3)}),
                             f"1500 enum values; at most {MAX_ENUM_VALUES}"),
    "too many characters": (_obj({"a" * 60_001: {"type": "string"},
                                  "b" * 60_000: {"type": "string"}}),
                            "120001 characters; at most 120000"),
    "a large enum of long values": (
        _obj({"e": {"type": "string", "enum": [f"{i:04d}" + "v" * 56 for i in range(260)]}}),
        "an enum of 260 values has 15600 characters"),
}


@pytest.mark.parametrize("case", sorted(BAD))
def test_each_documented_rule_is_checked(case):
    schema, expected = BAD[case]
    problems = strict_violations(schema)
    assert any(expected in p for p in problems), problems


def test_what_only_fine_tuned_models_refuse():
    schema = _obj({"d": {"type": "string", "pattern": "^[0-9]+$"},
                   "n": {"type": "integer", "minimum": 0, "maximum": 9},
                   "l": {"type": "array", "items": {"type": "string"}, "maxItems": 3}})
    assert strict_violations(schema) == []
    refused = strict_violations(schema, fine_tuned=True)
    for keyword in ("pattern", "minimum", "maximum", "maxItems"):
        assert any(f"'{keyword}' is not permitted." in p for p in refused), refused


def test_recursion_and_null_unions_are_allowed():
    node = _obj({"name": {"type": ["string", "null"]},
                 "children": {"type": "array", "items": {"$ref": "#/$defs/Node"}}})
    schema = _obj({"root": {"$ref": "#/$defs/Node"}}, **{"$defs": {"Node": node}})
    assert strict_violations(schema) == []
    assert strict_violations(_obj({"self": {"anyOf": [{"$ref": "#"}, {"type": "null"}]}})) == []
    assert strict_violations(_deep(MAX_NESTING)) == []


def test_the_fake_server_refuses_what_openai_refuses():
    body = {"model": "m", "messages": [{"role": "user", "content": "hi"}],
            "response_format": {"type": "json_schema", "json_schema": {
                "name": "BriefDraft", "strict": True, "schema": BriefDraft.model_json_schema()}}}
    with FakeOpenAIServer() as server:
        refused = httpx.post(f"{server.url}/chat/completions", json=body, timeout=10)
        body["response_format"]["json_schema"]["schema"] = strict_schema(BriefDraft)
        taken = httpx.post(f"{server.url}/chat/completions", json=body, timeout=10)
        del body["response_format"]["json_schema"]["strict"]  # not strict: not checked
        body["response_format"]["json_schema"]["schema"] = BriefDraft.model_json_schema()
        loose = httpx.post(f"{server.url}/chat/completions", json=body, timeout=10)
    assert refused.status_code == 400
    assert refused.json() == {"error": {
        "message": "Invalid schema for response_format 'BriefDraft': In context=('properties', "
                   "'headline'), 'maxLength' is not permitted.",
        "type": "invalid_request_error", "param": "response_format", "code": None}}
    assert taken.status_code == 200 and loose.status_code == 200
    assert server.served["invalid_schema"] == 1
    brief = json.loads(taken.json()["choices"][0]["message"]["content"])
    assert BriefDraft.model_validate(brief)
