"""Prompt templates: identity (name, version, content hash) and sandboxed rendering.

Templates live in the top-level `prompts/` folder, shipped in the wheel as
`summarizer._prompts`. Shared instructions come first and the article last, so a local model
evaluates the common prefix once and reuses it across articles.
"""

from __future__ import annotations

import hashlib
import tomllib
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from typing import Any

from jinja2 import StrictUndefined
from jinja2.sandbox import SandboxedEnvironment

from .article import Article
from .errors import ConfigurationError

_ENV = SandboxedEnvironment(undefined=StrictUndefined, autoescape=False)


@dataclass(frozen=True)
class PromptTemplate:
    name: str
    version: str
    system_source: str
    user_source: str

    @property
    def id(self) -> str:
        """name@version+hash: any edit of either template changes it."""
        digest = hashlib.sha256(f"{self.system_source}\0{self.user_source}".encode()).hexdigest()
        return f"{self.name}@{self.version}+{digest[:12]}"

    def render(self, article: Article) -> list[dict[str, Any]]:
        """Chat messages for one article: system instructions, then the article as data."""
        # The delimiter comes from the article's own hash, so a text cannot forge its end.
        marker = article.content_hash[:10]
        context = {"article": article, "marker": marker}
        system = _ENV.from_string(self.system_source).render(context).strip()
        user = _ENV.from_string(self.user_source).render(context).strip()
        return [{"role": "system", "content": system}, {"role": "user", "content": user}]


@lru_cache(maxsize=8)
def load_prompt(name: str = "brief") -> PromptTemplate:
    """Load a prompt by name from the packaged prompts folder."""
    folder = resources.files("summarizer._prompts")
    manifest = folder / f"{name}.toml"
    if not manifest.is_file():
        raise ConfigurationError(f"no prompt named {name!r} (looked for {name}.toml)")
    meta = tomllib.loads(manifest.read_text(encoding="utf-8"))
    return PromptTemplate(
        name=meta["name"],
        version=str(meta["version"]),
        system_source=(folder / meta["system"]).read_text(encoding="utf-8"),
        user_source=(folder / meta["user"]).read_text(encoding="utf-8"),
    )
