"""The wire schema: a pydantic JSON Schema rewritten into OpenAI's strict Structured Outputs
subset, and a checker of that subset written from OpenAI's documentation.

What strict mode takes (platform.openai.com/docs/guides/structured-outputs, "Supported
schemas"): the root is an object, not `anyOf`; every object lists all of its properties in
`required` and sets `additionalProperties: false`; an optional value is a union with null;
types string, number, integer, boolean, object, array, null, plus `enum`, `const`, `anyOf`,
`$defs`/`$ref` (recursion allowed, no keyword beside a `$ref`); no `default`, `examples`,
`minLength` or `maxLength` (the API answers 400 "'maxLength' is not permitted"); `pattern`,
`format`, `minimum`/`maximum`/`exclusive*`/`multipleOf` and `minItems`/`maxItems` only on
recent, not fine-tuned, models. Limits: 5,000 object properties, 10 levels of nesting, 1,000
enum values, 120,000 characters of property names, definition names, enum and const values,
and 15,000 characters for one enum of more than 250 values.

`strict_schema(model)` keeps none of the bound keywords, not even those recent models take:
every bound moves into the field's description ("At most 120 characters."), so one schema
suits every strict server and model, and pydantic still enforces each bound on receipt.
"""

from __future__ import annotations

import functools
from collections.abc import Iterator
from typing import Any

from pydantic import BaseModel

TYPES = frozenset({"string", "number", "integer", "boolean", "object", "array", "null"})
FORMATS = frozenset({"date-time", "time", "date", "duration", "email", "hostname", "ipv4",
                     "ipv6", "uuid"})
# Keywords strict mode takes on every model, and those only recent (not fine-tuned) ones take.
PERMITTED = frozenset({"type", "description", "title", "enum", "const", "anyOf", "$ref",
                       "$defs", "properties", "required", "additionalProperties", "items"})
RECENT_ONLY = frozenset({"pattern", "format", "multipleOf", "maximum", "exclusiveMaximum",
                         "minimum", "exclusiveMinimum", "minItems", "maxItems"})
MAX_PROPERTIES = 5_000
MAX_NESTING = 10
MAX_ENUM_VALUES = 1_000
MAX_STRING_CHARS = 120_000
LARGE_ENUM = 250
MAX_LARGE_ENUM_CHARS = 15_000

_DROPPED = ("default", "examples", "title")  # not permitted (the first two) or noise (title)
_BOUNDS = ("minLength", "maxLength", "pattern", "format", "minimum", "maximum",
           "exclusiveMinimum", "exclusiveMaximum", "multipleOf", "minItems", "maxItems")


# --- the wire schema ----------------------------------------------------------------------


def _bound_notes(node: dict[str, Any]) -> list[str]:
    """Remove the bound keywords from `node` and say them in words."""
    b = {k: node.pop(k) for k in _BOUNDS if k in node}
    notes: list[str] = []
    lo, hi = b.get("minLength"), b.get("maxLength")
    if lo == 1:
        notes.append("non-empty")
    elif lo:
        notes.append(f"at least {lo} characters")
    if hi is not None:
        notes.append(f"at most {hi} characters")
    if "pattern" in b:
        notes.append(f"matching the regular expression {b['pattern']}")
    if "format" in b:
        notes.append(f"in {b['format']} format")
    lo, hi = b.get("minimum"), b.get("maximum")
    if lo is not None and hi is not None:
        notes.append(f"from {lo} to {hi}")
    elif lo is not None:
        notes.append(f"at least {lo}")
    elif hi is not None:
        notes.append(f"at most {hi}")
    if "exclusiveMinimum" in b:
        notes.append(f"greater than {b['exclusiveMinimum']}")
    if "exclusiveMaximum" in b:
        notes.append(f"less than {b['exclusiveMaximum']}")
    if "multipleOf" in b:
        notes.append(f"a multiple of {b['multipleOf']}")
    lo, hi = b.get("minItems"), b.get("maxItems")
    if lo is not None and hi is not None:
        notes.append(f"{lo} to {hi} items")
    elif lo is not None:
        notes.append(f"at least {lo} items")
    elif hi is not None:
        notes.append(f"at most {hi} items")
    return notes


def _described(node: dict[str, Any], notes: list[str]) -> dict[str, Any]:
    if notes:
        sentence = ", ".join(notes)
        sentence = sentence[0].upper() + sentence[1:] + "."
        node["description"] = f"{node['description']} {sentence}" if node.get(
            "description") else sentence
    return node


def _wire(node: dict[str, Any], defs: dict[str, Any]) -> tuple[dict[str, Any], list[str]]:
    """One node in the strict subset, and the bounds it (or its branches, items) had."""
    node = {k: v for k, v in node.items() if k not in _DROPPED}
    if "$ref" in node and len(node) > 1:
        # No keyword may stand beside a $ref: inline the definition and keep the siblings
        # (what the openai SDK's own strict-schema helper does). Nested $refs stay refs; a
        # reference to the root ("#") keeps its $ref and loses the siblings.
        target = defs.get(str(node["$ref"]).rsplit("/", 1)[-1])
        if target is None:
            return {"$ref": node["$ref"]}, []
        siblings = {k: v for k, v in node.items() if k != "$ref"}
        node = {k: v for k, v in {**target, **siblings}.items() if k not in _DROPPED}
    notes = _bound_notes(node)
    if "anyOf" in node:
        branches = []
        for branch in node["anyOf"]:
            wired, found = _wire(branch, defs)
            branches.append(wired)
            notes += found
        node["anyOf"] = branches
    if isinstance(node.get("items"), dict):
        node["items"], found = _wire(node["items"], defs)
        if found:
            notes.append("each " + ", ".join(found))
    if isinstance(node.get("properties"), dict):
        node["properties"] = {name: _described(*_wire(prop, defs))
                              for name, prop in node["properties"].items()}
        node["required"] = list(node["properties"])
        node["additionalProperties"] = False
    return node, notes


def _refs(obj: Any) -> Iterator[str]:
    if isinstance(obj, dict):
        if isinstance(obj.get("$ref"), str):
            yield obj["$ref"].rsplit("/", 1)[-1]
        for value in obj.values():
            yield from _refs(value)
    elif isinstance(obj, list):
        for value in obj:
            yield from _refs(value)


def wire_schema(schema: dict[str, Any]) -> dict[str, Any]:
    """A JSON Schema (as pydantic writes one) rewritten into the strict subset."""
    defs: dict[str, Any] = dict(schema.get("$defs") or {})
    root, notes = _wire({k: v for k, v in schema.items() if k != "$defs"}, defs)
    root = _described(root, notes)
    wired = {name: _described(*_wire(d, defs)) for name, d in defs.items()}
    kept: set[str] = set()
    todo = list(_refs(root))
    while todo:  # only the definitions still referenced once siblings were inlined
        name = todo.pop()
        if name not in kept and name in wired:
            kept.add(name)
            todo.extend(_refs(wired[name]))
    if kept:
        root["$defs"] = {name: wired[name] for name in defs if name in kept}
    return root


@functools.cache  # pydantic builds a JSON Schema in ~20 ms; a request needs it each time
def strict_schema(model: type[BaseModel]) -> dict[str, Any]:
    """The wire schema of a model: shared, do not mutate. Raises ValueError when the model
    cannot be expressed in the strict subset (e.g. a free-form dict field)."""
    schema = wire_schema(model.model_json_schema())
    if problems := strict_violations(schema):
        raise ValueError(f"{model.__name__} has no strict wire schema: {'; '.join(problems)}")
    return schema


@functools.cache
def strict_response_format(model: type[BaseModel]) -> dict[str, Any]:
    """`response_format` of a strict json_schema request for `model`: shared, do not mutate."""
    return {"type": "json_schema",
            "json_schema": {"name": model.__name__, "strict": True,
                            "schema": strict_schema(model)}}


# --- the checker --------------------------------------------------------------------------


class _Checker:
    def __init__(self, schema: dict[str, Any], fine_tuned: bool) -> None:
        defs = schema.get("$defs")
        self.defs: dict[str, Any] = defs if isinstance(defs, dict) else {}
        self.permitted = PERMITTED if fine_tuned else PERMITTED | RECENT_ONLY
        self.problems: list[str] = []
        self.properties = self.enum_values = self.chars = 0

    def say(self, path: tuple[str, ...], text: str) -> None:
        self.problems.append(f"In context={path!r}, {text}")

    def node(self, node: Any, path: tuple[str, ...]) -> None:
        if not isinstance(node, dict):
            return self.say(path, "a schema must be a JSON object.")
        for key in node:
            if key not in self.permitted:
                self.say(path, f"'{key}' is not permitted.")
        if "$ref" in node:
            self.ref(node, path)
        self.type_and_enum(node, path)
        if "format" in node and node["format"] not in FORMATS and "format" in self.permitted:
            self.say(path, f"format '{node['format']}' is not supported.")
        if "properties" in node or "object" in _types(node):
            self.object(node, path)
        if "items" in node:
            self.node(node["items"], (*path, "items"))
        if "anyOf" in node:
            branches = node["anyOf"]
            if not isinstance(branches, list) or not branches:
                return self.say(path, "'anyOf' must be a non-empty array.")
            for i, branch in enumerate(branches):
                self.node(branch, (*path, "anyOf", str(i)))
        return None

    def ref(self, node: dict[str, Any], path: tuple[str, ...]) -> None:
        ref = node["$ref"]
        if len(node) > 1:
            others = sorted(k for k in node if k != "$ref")
            self.say(path, f"'$ref' cannot have keywords {others}.")
        name = ref[len("#/$defs/"):] if isinstance(ref, str) and ref.startswith(
            "#/$defs/") else None
        if ref != "#" and (name is None or name not in self.defs):
            self.say(path, f"reference {ref!r} can't be resolved.")

    def type_and_enum(self, node: dict[str, Any], path: tuple[str, ...]) -> None:
        for t in _types(node):
            if t not in TYPES:
                self.say(path, f"type '{t}' is not supported.")
        if "const" in node:
            self.chars += len(str(node["const"]))
        if "enum" in node:
            values = node["enum"]
            if not isinstance(values, list) or not values:
                return self.say(path, "'enum' must be a non-empty array.")
            self.enum_values += len(values)
            size = sum(len(str(v)) for v in values)
            self.chars += size
            if len(values) > LARGE_ENUM and size > MAX_LARGE_ENUM_CHARS:
                self.say(path, f"an enum of {len(values)} values has {size} characters in "
                         f"its values; at most {MAX_LARGE_ENUM_CHARS} are permitted.")
        return None

    def object(self, node: dict[str, Any], path: tuple[str, ...]) -> None:
        props = node.get("properties", {})
        if not isinstance(props, dict):
            return self.say(path, "'properties' must be an object.")
        if node.get("additionalProperties") is not False:
            self.say(path, "'additionalProperties' is required to be supplied and to be false.")
        required = node.get("required")
        if not isinstance(required, list):
            self.say(path, "'required' is required to be supplied and to be an array "
                     "including every key in properties.")
            required = []
        for name in props:
            if name not in required:
                self.say(path, "'required' is required to be supplied and to be an array "
                         f"including every key in properties. Missing '{name}'.")
        for name in required:
            if name not in props:
                self.say(path, f"Extra required key '{name}' supplied.")
        self.properties += len(props)
        for name, prop in props.items():
            self.chars += len(name)
            self.node(prop, (*path, "properties", name))
        return None

    def depth(self, node: Any, stack: tuple[str, ...] = ()) -> int:
        """Levels of nested objects; a recursive $ref ends the count (recursion is allowed)."""
        if not isinstance(node, dict):
            return 0
        ref = node.get("$ref")
        if isinstance(ref, str):
            name = ref.rsplit("/", 1)[-1]
            if ref == "#" or name in stack or name not in self.defs:
                return 0
            return self.depth(self.defs[name], (*stack, name))
        branches, props = node.get("anyOf"), node.get("properties")
        inner = [*(branches if isinstance(branches, list) else []), node.get("items"),
                 *(props.values() if isinstance(props, dict) else [])]
        below = max((self.depth(n, stack) for n in inner), default=0)
        return below + (1 if "properties" in node or "object" in _types(node) else 0)


def _types(node: dict[str, Any]) -> list[str]:
    t = node.get("type")
    if isinstance(t, str):
        return [t]
    return [str(x) for x in t] if isinstance(t, list) else []


def strict_violations(schema: Any, *, fine_tuned: bool = False) -> list[str]:
    """Every way `schema` falls outside OpenAI's strict subset, in OpenAI's wording, each
    naming where ("In context=('properties', 'headline'), 'maxLength' is not permitted.").
    `fine_tuned`: also refuse the keywords only recent, not fine-tuned, models take."""
    if not isinstance(schema, dict) or "anyOf" in schema or _types(schema) != ["object"]:
        got = schema.get("type") if isinstance(schema, dict) else None
        return [f"schema must be a JSON Schema of 'type: \"object\"', got 'type: \"{got}\"'."]
    check = _Checker(schema, fine_tuned)
    check.node(schema, ())
    for name, definition in check.defs.items():
        check.chars += len(name)
        check.node(definition, ("$defs", name))
    if check.depth(schema) > MAX_NESTING:
        check.problems.append(f"the schema has more than {MAX_NESTING} levels of nesting.")
    if check.properties > MAX_PROPERTIES:
        check.problems.append(f"the schema has {check.properties} object properties; "
                              f"at most {MAX_PROPERTIES} are permitted.")
    if check.enum_values > MAX_ENUM_VALUES:
        check.problems.append(f"the schema has {check.enum_values} enum values; "
                              f"at most {MAX_ENUM_VALUES} are permitted.")
    if check.chars > MAX_STRING_CHARS:
        check.problems.append(f"the schema's names, enum and const values have {check.chars} "
                              f"characters; at most {MAX_STRING_CHARS} are permitted.")
    return check.problems
