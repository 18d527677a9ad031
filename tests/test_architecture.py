"""The shape of the house, kept by tests: small modules and functions, imports that point one
way (no cycles), and nothing inside the package importing its own `__init__`."""

from __future__ import annotations

import ast
from pathlib import Path

from .conftest import ROOT

PACKAGE = ROOT / "summarizer"
MAX_MODULE_LINES = 450
MAX_FUNCTION_LINES = 80


def _modules() -> dict[str, Path]:
    out = {}
    for path in sorted(PACKAGE.rglob("*.py")):
        parts = list(path.relative_to(ROOT).with_suffix("").parts)
        if parts[-1] == "__init__":
            parts = parts[:-1]
        out[".".join(parts)] = path
    return out


def _imports(name: str, path: Path, known: set[str]) -> set[str]:
    """Modules of ours that `name` imports, at run time or for type checking: an import
    under TYPE_CHECKING is an edge too (a cycle there is one the design has)."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    package = name if path.name == "__init__.py" else name.rsplit(".", 1)[0]
    found: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom):
            base = package
            for _ in range(max(node.level - 1, 0)):
                base = base.rsplit(".", 1)[0]
            target = (f"{base}.{node.module}" if node.module else base) if node.level \
                else (node.module or "")
            for alias in node.names:
                sub = f"{target}.{alias.name}"
                found.add(sub if sub in known else target)
        elif isinstance(node, ast.Import):
            found.update(a.name for a in node.names)
    return {m for m in found if m in known and m != name}


def test_no_module_over_450_lines_and_no_function_over_80() -> None:
    big = []
    for path in _modules().values():
        text = path.read_text(encoding="utf-8")
        if text.count("\n") > MAX_MODULE_LINES:
            big.append(f"{path.relative_to(ROOT)}: {text.count(chr(10))} lines")
        for node in ast.walk(ast.parse(text)):
            if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
                length = (node.end_lineno or node.lineno) - node.lineno + 1
                if length > MAX_FUNCTION_LINES:
                    big.append(f"{path.relative_to(ROOT)}:{node.lineno} {node.name}: {length}")
    assert big == []


def test_nothing_inside_imports_the_package_init() -> None:
    modules = _modules()
    known = set(modules)
    offenders = [name for name, path in modules.items()
                 if name != "summarizer" and "summarizer" in _imports(name, path, known)]
    assert offenders == []


def test_no_import_cycles() -> None:
    modules = _modules()
    known = set(modules)
    # A package's __init__ re-exporting its children is not a cycle of behaviour: leave the
    # edges from a package to its own submodules out.
    graph = {name: {m for m in _imports(name, path, known)
                    if not (path.name == "__init__.py" and m.startswith(name + "."))}
             for name, path in modules.items()}
    cycles: list[list[str]] = []
    state: dict[str, int] = {}

    def visit(node: str, stack: list[str]) -> None:
        state[node] = 1
        for nxt in sorted(graph[node]):
            if state.get(nxt) == 1:
                cycles.append(stack[stack.index(nxt):] + [nxt])
            elif nxt not in state:
                visit(nxt, [*stack, nxt])
        state[node] = 2

    for name in sorted(graph):
        if name not in state:
            visit(name, [name])
    assert cycles == []


def test_the_remote_path_imports_no_private_name() -> None:
    """Providers are public codecs (backends/codec.py): the backends, the Batch API code and
    the engines use what a module offers, never its `_helpers`."""
    found = []
    for name, path in _modules().items():
        if not name.startswith(("summarizer.backends", "summarizer.batch_api",
                                "summarizer.batch.engines")):
            continue
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.ImportFrom) and node.level:
                found += [f"{name}: {node.module}.{a.name}" for a in node.names
                          if a.name.startswith("_") and not a.name.startswith("__")]
    assert found == []


# The layers of docs/architecture.md, lowest first: a module imports only from its own layer
# or one below it. A module is in the layer of the longest name here that it starts with.
LAYERS: list[tuple[str, tuple[str, ...]]] = [
    ("contract", ("_version", "_prompts", "_schemas", "errors", "codes", "exitcodes", "exit",
                  "atomic", "logs", "policies", "schema_identity", "brief", "unsure",
                  "batch.concurrency")),
    ("text", ("text", "article", "prompts", "situate")),
    ("reading", ("rules", "grounding", "second_opinion", "salvage")),
    ("backends", ("backends", "spec")),  # the spec names backends and holds their endpoints
    ("one article", ("configuration", "pipeline", "batch.cache")),
    ("a run's parts", ("batch.discovery", "batch.outdir", "batch.records", "batch.options",
                       "batch.costs", "batch.output", "batch.tables", "batch.stream",
                       "batch.progress", "batch_api.options", "batch_api.__init__")),
    ("engines", ("batch.engines", "batch_api", "integrations")),
    ("runs and what reads them", ("batch", "events", "view")),
    ("evaluation", ("evaluation",)),
    ("review", ("review",)),  # reads runs, writes runs and gold in the eval's format
    ("entrances", ("cli", "command_process", "__main__", "__init__", "testing",
                   "testing_providers", "testing_batches", "testing_careless")),
]


def _layer(name: str, path: Path) -> int:
    rest = name.removeprefix("summarizer").removeprefix(".")
    if path.name == "__init__.py":  # a package's own __init__ may be named apart
        rest = f"{rest}.__init__" if rest else "__init__"
    best, found = -1, -1
    for index, (_, prefixes) in enumerate(LAYERS):
        for prefix in prefixes:
            if (rest == prefix or rest.startswith(prefix + ".")) and len(prefix) > best:
                best, found = len(prefix), index
    return found


def test_every_import_points_down_the_layers() -> None:
    modules = _modules()
    known = set(modules)
    layer = {name: _layer(name, path) for name, path in modules.items()}
    assert [name for name, at in layer.items() if at < 0] == []  # each module has a layer
    upward = [f"{name} ({LAYERS[layer[name]][0]}) imports {target} "
              f"({LAYERS[layer[target]][0]})"
              for name, path in modules.items() for target in _imports(name, path, known)
              if layer[target] > layer[name]]
    assert upward == []
