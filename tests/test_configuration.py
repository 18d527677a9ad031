"""One configuration: a frozen, picklable Spec built by the one function that reads the
environment (spec.py); run and eval options embed it, Ray actors get it as it is, and the
library changes neither the process environment nor the garbage collector."""

from __future__ import annotations

import ast
import gc
import json
import os
import pickle
from pathlib import Path
from typing import Any

import pytest

from summarizer.backends import build_backend
from summarizer.backends.base import Settings
from summarizer.backends.local import LocalBackend
from summarizer.backends.model_cache import ModelCache
from summarizer.backends.openai import OpenAIBackend
from summarizer.backends.recording import Recorder
from summarizer.backends.rules import RulesBackend
from summarizer.batch import RunOptions, run_batch
from summarizer.batch.discovery import discover
from summarizer.cli import main
from summarizer.configuration import configure, from_spec
from summarizer.errors import ConfigurationError
from summarizer.evaluation.run import EvalOptions
from summarizer.integrations.ray import Briefer, article_row
from summarizer.spec import Endpoint, Spec, spec_from_env

from .conftest import ROOT

PACKAGE = ROOT / "summarizer"
KEY = "sk" + "-live-NEVER-SHOWN-0123456789"  # split: no key-like literal in git
ARTICLE = ("Gunmen kill three in market attack\n\nGunmen killed three people at a market "
           "in the north on Monday, police said. Officers arrested two suspects.\n")


def _uses(module: str, names: set[str]) -> dict[str, list[int]]:
    """Where summarizer's modules touch `module.<name>` (or import those names from it)."""
    found: dict[str, list[int]] = {}
    for path in sorted(PACKAGE.rglob("*.py")):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        aliases = {module} | {a.asname for node in ast.walk(tree) if isinstance(node, ast.Import)
                              for a in node.names if a.name == module and a.asname}
        for node in ast.walk(tree):
            hit = (isinstance(node, ast.Attribute) and node.attr in names
                   and isinstance(node.value, ast.Name) and node.value.id in aliases) or \
                  (isinstance(node, ast.ImportFrom) and node.module == module
                   and any(a.name in names for a in node.names))
            if hit:
                found.setdefault(str(path.relative_to(ROOT)), []).append(node.lineno)
    return found


# -- the house rules ---------------------------------------------------------------------

def test_the_environment_is_read_in_spec_py_alone() -> None:
    """spec.py reads it; command_process.py is the `summarizer` command's own process (it
    sets Ray's usage switch there). No other module reads or changes os.environ."""
    found = _uses("os", {"environ", "environb", "getenv", "putenv", "unsetenv"})
    assert sorted(found) == ["summarizer/command_process.py", "summarizer/spec.py"]
    users = sorted(str(p.relative_to(ROOT)) for p in PACKAGE.rglob("*.py")
                   for node in ast.walk(ast.parse(p.read_text(encoding="utf-8")))
                   if isinstance(node, ast.ImportFrom | ast.Import)
                   and any("command_process" in (a.name or "") for a in node.names)
                   or isinstance(node, ast.ImportFrom)
                   and "command_process" in (node.module or ""))
    assert users == ["summarizer/cli.py"]  # the command's process, nobody else's


def test_library_code_never_tunes_the_garbage_collector() -> None:
    found = _uses("gc", {"freeze", "unfreeze", "set_threshold", "disable", "enable"})
    assert sorted(found) == ["summarizer/command_process.py"]


class _Watching(RulesBackend):
    """The rules, noting the process's GC settings and environment while a run briefs."""

    seen: list[Any] = []

    def extract(self, *args: Any, **kwargs: Any) -> Any:
        self.seen.append((gc.get_threshold(), gc.get_freeze_count(), dict(os.environ)))
        return super().extract(*args, **kwargs)


def test_a_library_run_leaves_the_gc_and_the_environment_as_they_were(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """During the run, not only after it: the library neither tunes nor freezes the GC."""
    _Watching.seen.clear()
    (tmp_path / "in").mkdir()
    (tmp_path / "in" / "a.txt").write_text(ARTICLE, encoding="utf-8")
    before = (gc.get_threshold(), gc.get_freeze_count(), dict(os.environ))
    summary, code = run_batch([str(tmp_path / "in")], RunOptions(
        out=tmp_path / "out", spec=Spec(backend="rules"), use_cache=False, quiet=True),
        backend=_Watching())
    assert code == 0 and summary.briefed == 1
    monkeypatch.setattr("summarizer.backends.rules.RulesBackend", _Watching)
    code = main(["run", str(tmp_path / "in"), "--out", str(tmp_path / "o2"), "--quiet",
                 "--backend", "rules", "--no-cache", "--engine", "local"])
    assert code == 0
    assert _Watching.seen == [before, before]  # the run and the command, both in a caller
    assert (gc.get_threshold(), gc.get_freeze_count(), dict(os.environ)) == before


# -- the spec ----------------------------------------------------------------------------

def _full_spec() -> Spec:
    env = {"OPENAI_API_KEY": KEY, "OPENAI_BASE_URL": "http://127.0.0.1:9/v1",
           "ANTHROPIC_API_KEY": "anthropic-" + KEY, "GEMINI_API_KEY": "gemini-" + KEY,
           "OLLAMA_HOST": "0.0.0.0:11434", "OLLAMA_API_KEY": "ollama-" + KEY,
           "SUMMARIZER_RECORDINGS": "replay", "SUMMARIZER_RECORDINGS_DIR": "some/dir"}
    return spec_from_env(env, model="gpt-4o-mini", timeout=5.0,
                         settings=Settings(max_tokens=512), policy="drop")


def test_the_spec_pickles_as_it_is_and_builds_the_same_configuration() -> None:
    spec = _full_spec()
    again = pickle.loads(pickle.dumps(spec))
    assert again == spec and hash(again) == hash(spec)
    assert again.openai.api_key == KEY  # the values travel: an actor reads no environment
    article = discover([str(ROOT / "samples" / "palmyra-condolences.txt")])[0].article
    assert article is not None
    assert from_spec(again).result_key(article) == from_spec(spec).result_key(article)
    with pytest.raises(AttributeError):
        spec.model = "other"  # type: ignore[misc]  # frozen


def test_the_spec_never_shows_a_key_and_a_result_key_never_holds_one() -> None:
    spec = _full_spec()
    for text in (repr(spec), str(spec), repr(spec.openai), repr(spec.anthropic)):
        assert "NEVER-SHOWN" not in text
    assert "http://127.0.0.1:9/v1" in repr(spec)  # the rest is there to read
    assert set(spec.secrets()) >= {KEY, "anthropic-" + KEY, "gemini-" + KEY, "ollama-" + KEY}
    article = discover([str(ROOT / "samples" / "palmyra-condolences.txt")])[0].article
    assert article is not None
    other = Spec(**{**spec.__dict__, "openai": Endpoint(spec.openai.base_url, "sk-another-1")})
    assert from_spec(other).result_key(article) == from_spec(spec).result_key(article)


def test_a_recording_is_scrubbed_of_the_specs_secrets(tmp_path: Path) -> None:
    spec = spec_from_env({"OPENAI_API_KEY": KEY}, recording="record",
                         recordings_dir=tmp_path, backend="openai")
    backend = build_backend(spec)
    assert isinstance(backend, OpenAIBackend) and backend.recorder is not None
    backend.recorder.record({"echo": f"the key was {KEY}"}, {"text": KEY}, model="m", mode=None)
    text = next(tmp_path.glob("*.json")).read_text()
    assert KEY not in text and "[REDACTED]" in text
    assert Recorder(tmp_path, "record", backend="openai").secrets == ()  # none unless given


@pytest.mark.parametrize(("flags", "env", "expected"), [
    ({}, {}, ("rules", None)),  # the offline default
    ({}, {"OPENAI_BASE_URL": "http://127.0.0.1:9/v1"}, ("openai", None)),
    ({}, {"SUMMARIZER_BACKEND": "local"}, ("local", None)),
    ({"backend": "rules"}, {"SUMMARIZER_BACKEND": "local"}, ("rules", None)),  # flag > env
    ({}, {"SUMMARIZER_BACKEND": "grounded"}, ("constrained", None)),  # the alias
    ({}, {"SUMMARIZER_MODEL": "m.gguf", "SUMMARIZER_BACKEND": "local"}, ("local", "m.gguf")),
    ({"model": "x.gguf"}, {"SUMMARIZER_MODEL": "m.gguf", "SUMMARIZER_BACKEND": "local"},
     ("local", "x.gguf")),
    # a provider prefix names the backend before SUMMARIZER_BACKEND does (as before)
    ({"model": "anthropic/claude-haiku-4-5"}, {"SUMMARIZER_BACKEND": "rules"},
     ("anthropic", "claude-haiku-4-5")),
])
def test_a_flag_beats_its_variable_and_a_variable_the_default(
        flags: dict[str, Any], env: dict[str, str], expected: tuple[str, str | None]) -> None:
    spec = spec_from_env(env, **flags)
    assert (spec.backend, spec.model) == expected


def test_recording_and_its_folder_follow_the_same_order(tmp_path: Path) -> None:
    env = {"SUMMARIZER_RECORDINGS": "replay", "SUMMARIZER_RECORDINGS_DIR": "from/env"}
    assert spec_from_env({}).recording is None and spec_from_env({}).recordings_dir is None
    assert (spec_from_env(env).recording, spec_from_env(env).recordings_dir) == \
        ("replay", Path("from/env"))
    flagged = spec_from_env(env, recording="record", recordings_dir=tmp_path)
    assert (flagged.recording, flagged.recordings_dir) == ("record", tmp_path)
    with pytest.raises(ConfigurationError, match="record or replay, not 'sometimes'"):
        spec_from_env({"SUMMARIZER_RECORDINGS": "sometimes"})
    with pytest.raises(ConfigurationError, match="unknown backend 'nope'"):
        spec_from_env({"SUMMARIZER_BACKEND": "nope"})


def test_the_process_environment_is_read_when_none_is_given(
        monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SUMMARIZER_BACKEND", "rules")
    monkeypatch.setenv("OPENAI_API_KEY", KEY)
    spec = spec_from_env()
    assert spec.backend == "rules" and spec.openai.api_key == KEY
    assert RunOptions().spec == spec  # options read it when made, not later
    assert EvalOptions(out=Path("x")).spec == spec


def test_configure_keeps_its_keywords_and_takes_a_spec(monkeypatch: pytest.MonkeyPatch) -> None:
    config = configure("rules", policy="drop", settings=Settings(max_tokens=99))
    assert (config.backend.name, config.policy, config.settings.max_tokens) == \
        ("rules", "drop", 99)
    assert configure(Spec(backend="rules", policy="reask")).policy == "reask"
    with pytest.raises(ConfigurationError, match="--timeout applies"):
        configure("rules", timeout=3)
    monkeypatch.setenv("OPENAI_BASE_URL", "http://127.0.0.1:9/v1")
    assert configure().backend.name == "openai"  # names are read over the environment
    assert configure(Spec()).backend.name == "rules"  # a Spec is all there is


def test_the_cli_flag_beats_the_environment(monkeypatch: pytest.MonkeyPatch,
                                            tmp_path: Path, capsys: Any) -> None:
    path = tmp_path / "a.txt"
    path.write_text(ARTICLE, encoding="utf-8")
    monkeypatch.setenv("SUMMARIZER_BACKEND", "openai")
    monkeypatch.setenv("OPENAI_BASE_URL", "http://127.0.0.1:9/v1")
    assert main(["run", str(path), "--backend", "rules"]) == 0
    assert json.loads(capsys.readouterr().out)["provenance"]["backend"] == "rules"
    monkeypatch.setenv("SUMMARIZER_BACKEND", "rules")
    assert main(["run", str(path)]) == 0
    assert json.loads(capsys.readouterr().out)["provenance"]["backend"] == "rules"


# -- Ray gets the spec as it is ----------------------------------------------------------

def test_a_briefer_builds_from_the_spec_alone(tmp_path: Path,
                                              monkeypatch: pytest.MonkeyPatch) -> None:
    """The actor's side without Ray: a pickled spec in, its values used, no variable read
    or written."""
    spec = pickle.loads(pickle.dumps(spec_from_env(
        {"OPENAI_BASE_URL": "http://127.0.0.1:9/v1", "OPENAI_API_KEY": KEY}, mode="tools")))
    before = dict(os.environ)
    briefer = Briefer(spec)
    backend = briefer.config.backend
    assert isinstance(backend, OpenAIBackend)
    assert (backend.base_url, backend.api_key, backend.mode) == \
        ("http://127.0.0.1:9/v1", KEY, "tools")
    (tmp_path / "a.txt").write_text(ARTICLE, encoding="utf-8")
    rows = [article_row(it) for it in discover([str(tmp_path / "a.txt")])]
    out = Briefer(Spec(backend="rules")).brief_rows(rows)
    assert json.loads(out[0]["record"])["provenance"]["backend"] == "rules"
    assert dict(os.environ) == before


# -- loaded models have an owner ---------------------------------------------------------

class _Model:
    def __init__(self) -> None:
        self.closed = 0

    def close(self) -> None:
        self.closed += 1


def test_a_model_cache_loads_once_and_closes_what_it_holds() -> None:
    cache, loads = ModelCache(), []

    def load() -> _Model:
        loads.append(1)
        return _Model()

    first = cache.get("k", load)
    assert cache.get("k", load) is first and len(loads) == 1
    other = cache.get("k2", load)
    cache.drop("k")
    assert first.closed == 1 and len(cache) == 1
    cache.close()
    assert other.closed == 1 and len(cache) == 0
    again = cache.get("k", load)  # the owner may load again after closing
    del cache
    gc.collect()
    # collected with its owner while this test still holds the model: left open for its
    # holder (test_a_collected_model_cache_leaves_a_model_someone_holds_open)
    assert again.closed == 0


def test_each_local_backend_owns_its_models(tmp_path: Path) -> None:
    a = LocalBackend(model_path=tmp_path / "m.gguf", n_threads=1)
    b = LocalBackend(model_path=tmp_path / "m.gguf", n_threads=1)
    assert a.models is not b.models
    model = a.models.get(("m", 0, 1, False), _Model)
    a.close()
    assert model.closed == 1 and len(a.models) == 0
    shared = ModelCache()  # one cache passed to several backends is shared on purpose
    assert LocalBackend(model_path=tmp_path / "m.gguf", models=shared).models is shared


def test_the_runtime_logs_follow_the_backend_not_a_module_switch(
        monkeypatch: pytest.MonkeyPatch) -> None:
    """--verbose is the Spec's runtime_logs, given to the local backend, which installs
    llama.cpp's log callback each time it loads the runtime: silent, or the module's own."""
    from types import SimpleNamespace

    from summarizer.logs import apply_to_llama

    monkeypatch.setattr("summarizer.logs._silent", None)  # the fake's callback goes after
    installed: list[Any] = []
    own = object()
    fake = SimpleNamespace(llama_log_callback=lambda f: ("silent", f),
                           llama_log_set=lambda cb, data: installed.append(cb),
                           _logger=SimpleNamespace(llama_log_callback=own))
    apply_to_llama(fake)
    apply_to_llama(fake, show=True)
    assert installed[0][0] == "silent" and installed[1] is own
    assert spec_from_env({}, runtime_logs=True).runtime_logs is True
    pytest.importorskip("llama_cpp", reason="the local extra is not installed")
    backend = build_backend(Spec(backend="local", runtime_logs=True, n_ctx=1024))
    assert isinstance(backend, LocalBackend) and backend.runtime_logs and backend.n_ctx == 1024


def test_the_spec_names_a_packaged_prompt_or_a_manifest_by_path(tmp_path: Path) -> None:
    packaged = ROOT / "summarizer" / "_prompts"
    for name in ("brief.system.j2", "brief.user.j2"):
        (tmp_path / name).write_text((packaged / name).read_text(encoding="utf-8"),
                                     encoding="utf-8")
    manifest = tmp_path / "mine.toml"
    manifest.write_text('name = "mine"\nversion = "7"\nsystem = "brief.system.j2"\n'
                        'user = "brief.user.j2"\n', encoding="utf-8")
    default = configure(Spec(backend="rules"))
    mine = configure(Spec(backend="rules", prompt=str(manifest)))
    assert default.prompt.name == "brief" and mine.prompt.name == "mine"
    assert mine.prompt.id != default.prompt.id  # another prompt: another result key
    manifest.write_text('name = "mine"\n', encoding="utf-8")
    with pytest.raises(ConfigurationError, match=r"mine\.toml: no 'version' in the manifest"):
        configure(Spec(backend="rules", prompt=str(manifest)))
    with pytest.raises(ConfigurationError, match=r"nothing\.toml: no such prompt manifest"):
        configure(Spec(backend="rules", prompt=str(tmp_path / "nothing.toml")))
    with pytest.raises(ConfigurationError, match="no prompt named 'nope'"):
        configure(Spec(backend="rules", prompt="nope"))


def test_what_the_sdks_read_themselves_reaches_ray_actors_through_ray() -> None:
    """Variables the providers' SDKs read on their own (an organisation, a token, Vertex AI)
    ride in the spec, hidden, and Ray sets them in an actor's process (runtime_env)."""
    from summarizer.batch.engines.ray import actor_options

    env = {"OPENAI_ORG_ID": "org-1", "ANTHROPIC_AUTH_TOKEN": "token-" + KEY,
           "GOOGLE_GENAI_USE_VERTEXAI": "true", "OPENAI_API_KEY": KEY, "HOME": "/home/x",
           "GOOGLE_APPLICATION_CREDENTIALS": "/home/x/creds.json"}
    spec = spec_from_env(env)
    assert spec.sdk_env == (("ANTHROPIC_AUTH_TOKEN", "token-" + KEY),
                            ("GOOGLE_GENAI_USE_VERTEXAI", "true"), ("OPENAI_ORG_ID", "org-1"))
    assert "NEVER-SHOWN" not in repr(spec) and "token-" + KEY in spec.secrets()
    assert actor_options(spec) == {"num_cpus": 1, "runtime_env": {"env_vars": dict(
        spec.sdk_env)}}
    assert actor_options(spec_from_env({"OPENAI_API_KEY": KEY})) == {"num_cpus": 1}


def test_a_collected_model_cache_leaves_a_model_someone_holds_open() -> None:
    """A caller that kept a model of a backend it dropped keeps a working model (closing it
    under them crashed llama.cpp); a model no one else holds is closed on collection."""
    import gc

    from summarizer.backends.model_cache import ModelCache

    closed: list[str] = []

    class Model:
        def __init__(self, name: str) -> None:
            self.name = name

        def close(self) -> None:
            closed.append(self.name)

    cache = ModelCache()
    kept = cache.get("kept", lambda: Model("kept"))
    cache.get("alone", lambda: Model("alone"))  # held by the cache alone
    del cache
    gc.collect()
    assert closed == ["alone"]
    assert kept.name == "kept"
