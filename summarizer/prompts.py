"""Prompt templates: identity (name, version, content hash) and sandboxed rendering.

Templates live in `summarizer/_prompts/` (the package `summarizer._prompts`, data only).
Shared instructions come first and the article last, so a local model evaluates the common
prefix once and reuses it across articles.
"""

from __future__ import annotations

import hashlib
import json
import tomllib
from dataclasses import dataclass
from functools import cached_property, lru_cache
from importlib import resources
from importlib.resources.abc import Traversable
from pathlib import Path
from typing import Any

from jinja2 import StrictUndefined, Template
from jinja2.sandbox import SandboxedEnvironment

from .article import Article, parse_article
from .errors import ConfigurationError

_ENV = SandboxedEnvironment(undefined=StrictUndefined, autoescape=False)


@dataclass(frozen=True)
class PromptTemplate:
    name: str
    version: str
    system_source: str
    user_source: str
    # A worked example (article text, brief JSON), shown as one earlier user/assistant turn
    # to backends that ask for it: small local models copy its shape, not just the schema.
    example_article: str = ""
    example_brief: str = ""

    @property
    def id(self) -> str:
        """name@version+hash: any edit of a template or of the example changes it."""
        sources = "\0".join((self.system_source, self.user_source, self.example_article,
                             self.example_brief))
        digest = hashlib.sha256(sources.encode()).hexdigest()
        return f"{self.name}@{self.version}+{digest[:12]}"

    def render(self, article: Article, example: bool = False,
               text: str | None = None) -> list[dict[str, Any]]:
        """Chat messages for one article: system instructions, with `example` the worked
        example as an earlier turn, then the article as data. The article comes last so the
        rest is a prefix shared by every article. `text` shows a shortened article text
        (a backend whose context cannot hold it all) under the article's own identity."""
        system = self._templates[0].render(self._context(article)).strip()
        shown = self._example_turns if example else []
        return [{"role": "system", "content": system}, *shown,
                {"role": "user", "content": self._user(article, text)}]

    @cached_property
    def _templates(self) -> tuple[Template, Template]:
        # Compiled once per prompt: compiling a template costs more than rendering it.
        return _ENV.from_string(self.system_source), _ENV.from_string(self.user_source)

    @cached_property
    def _example_turns(self) -> list[dict[str, Any]]:
        if not self.example_article:
            return []
        shown = parse_article(self.example_article.encode(), "example.txt")
        brief = json.dumps(json.loads(self.example_brief), ensure_ascii=False,
                           separators=(",", ":"))
        return [{"role": "user", "content": self._user(shown)},
                {"role": "assistant", "content": brief}]

    def _user(self, article: Article, text: str | None = None) -> str:
        return self._templates[1].render(self._context(article, text)).strip()

    @staticmethod
    def _context(article: Article, text: str | None = None) -> dict[str, Any]:
        # The delimiter comes from the article's own hash, so a text cannot forge its end.
        shown = article if text is None else article.model_copy(update={"text": text})
        return {"article": shown, "marker": article.content_hash[:10]}


def load_prompt(name: str = "brief") -> PromptTemplate:
    """A packaged prompt by name (summarizer/_prompts/NAME.toml), or a prompt's manifest by
    path: a `.toml` file with its templates beside it (read again on every call, so an edit
    shows; the content hash in its id changes with it)."""
    if name.endswith(".toml"):
        path = Path(name).expanduser()
        if not path.is_file():
            raise ConfigurationError(f"{path}: no such prompt manifest")
        return _read_prompt(path.parent, path.name)
    return _packaged_prompt(name)


@lru_cache(maxsize=8)
def _packaged_prompt(name: str) -> PromptTemplate:
    folder = resources.files("summarizer._prompts")
    if not (folder / f"{name}.toml").is_file():
        raise ConfigurationError(f"no prompt named {name!r} (looked for {name}.toml)")
    return _read_prompt(folder, f"{name}.toml")


def _read_prompt(folder: Path | Traversable, manifest: str) -> PromptTemplate:
    """The prompt a manifest in `folder` describes; a bad one is one line naming the file."""
    where = folder / manifest
    try:
        meta = tomllib.loads(where.read_text(encoding="utf-8"))

        def read(key: str) -> str:
            return (folder / meta[key]).read_text(encoding="utf-8") if key in meta else ""

        return PromptTemplate(
            name=str(meta["name"]),
            version=str(meta["version"]),
            system_source=read("system"),
            user_source=read("user"),
            example_article=read("example_article"),
            example_brief=read("example_brief"),
        )
    except tomllib.TOMLDecodeError as exc:
        raise ConfigurationError(f"{where}: not valid TOML ({exc})") from None
    except KeyError as exc:
        raise ConfigurationError(f"{where}: no {exc.args[0]!r} in the manifest") from None
    except (OSError, UnicodeDecodeError) as exc:
        raise ConfigurationError(f"{where}: a template cannot be read "
                                 f"({getattr(exc, 'strerror', None) or exc})") from None
