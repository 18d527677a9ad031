"""The Jinja2 environment of the HTML pages: autoescape always on, undefined names fail.

Autoescape is the page's safety: article and model text are data and reach the HTML only
escaped. Behind it, each page's Content-Security-Policy allows no source but its own inline
script, named by hash: should text ever slip through unescaped, an injected `<script>` or
`onerror=` still does not run. CSS and JS are files beside the templates, put inline, so a
page is one file that works from file:// with nothing fetched.
"""

from __future__ import annotations

import base64
import functools
import hashlib
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from jinja2 import Environment, PackageLoader, StrictUndefined
from markupsafe import Markup

from ..atomic import atomic_write_text


@dataclass(frozen=True)
class Script:
    """An inline script and the CSP source expression that allows exactly it."""

    code: Markup
    csp: str


@functools.cache  # building the environment and compiling a template costs milliseconds
def environment() -> Environment:
    return Environment(loader=PackageLoader("summarizer.view", "templates"),
                       autoescape=True, undefined=StrictUndefined, trim_blocks=True,
                       lstrip_blocks=True, keep_trailing_newline=True)


@functools.cache
def script(name: str) -> Script:
    """One of our own scripts (never page data) with its sha256 for the CSP."""
    env = environment()
    assert env.loader is not None
    code = env.loader.get_source(env, name)[0]
    if "</" in code:  # would end the <script> element early
        raise ValueError(f"{name}: '</' may not appear in an inline script")
    digest = base64.b64encode(hashlib.sha256(code.encode()).digest()).decode()
    return Script(Markup(code), f"sha256-{digest}")


def render(name: str, **context: Any) -> str:
    """Render one page template (autoescaped) to a string."""
    return environment().get_template(name).render(**context)


def write_page(path: Path, html: str) -> Path:
    """Write a page atomically (temp file + rename): a browser reloading it mid-write sees
    the old page or the new one, never half of one; a failed write names the page."""
    atomic_write_text(path, html)
    return path
