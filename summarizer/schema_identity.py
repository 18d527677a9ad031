"""Which contract a brief was made under: the exported JSON Schema of a model and its short
content hash (in every result key, cache entry and provenance record)."""

from __future__ import annotations

import functools
import hashlib
import json
from typing import Any

from pydantic import BaseModel

__all__ = ["SCHEMA_VERSION", "json_schema", "schema_id"]

SCHEMA_VERSION = "1"


def json_schema(model: type[BaseModel]) -> dict[str, Any]:
    """The exported JSON Schema of a model (what `summarizer schema` prints)."""
    schema = model.model_json_schema()
    schema["$id"] = f"summarizer/{model.__name__}/v{SCHEMA_VERSION}"
    return schema


@functools.cache  # pydantic rebuilds a JSON Schema in ~9 ms; provenance asks per brief
def schema_id(model: type[BaseModel]) -> str:
    """A short content hash of a model's JSON Schema: changes whenever the contract does."""
    blob = json.dumps(json_schema(model), sort_keys=True, separators=(",", ":"))
    return f"{model.__name__}/v{SCHEMA_VERSION}+{hashlib.sha256(blob.encode()).hexdigest()[:12]}"
