"""The layering of ``jixiao.importers`` (docs/importers.md, "Module map"), checked on
the source with ``ast``: every import statement of every module, at module level and
inside functions, relative and absolute, becomes an edge between two modules of the
package.

* the graph has no cycle;
* no module imports a ``_private`` name of another (nor reads one as ``module._name``);
* nothing under ``recover/`` (format-neutral recovery) imports from ``formats/``
  (the readers);
* every reader under ``formats/`` reaches ``recover/``: it ends in the shared recovery.
"""
from __future__ import annotations

import ast
from pathlib import Path

import pytest

PACKAGE = "jixiao.importers"
ROOT = Path(__file__).resolve().parent.parent / "jixiao" / "importers"
#: The per-format readers (beside every module under formats/ that registers a format).
READERS = ("text", "xlsx", "xls", "docx", "html", "pdf")


def _modules() -> dict[str, Path]:
    out = {}
    for path in sorted(ROOT.rglob("*.py")):
        parts = list(path.relative_to(ROOT).with_suffix("").parts)
        if parts[-1] == "__init__":
            parts.pop()
        out[".".join([PACKAGE, *parts])] = path
    return out


MODULES = _modules()


def _is_package(module: str) -> bool:
    return MODULES[module].name == "__init__.py"


def _resolve(module: str, node: ast.ImportFrom) -> str:
    """The absolute name of what ``from … import`` names in ``module``."""
    if not node.level:
        return node.module or ""
    base = module.split(".")
    if not _is_package(module):
        base.pop()
    base = base[:len(base) - (node.level - 1)]
    return ".".join(base + ([node.module] if node.module else []))


def _target(name: str) -> str | None:
    """The package module that defines ``name`` (a module or a name inside one)."""
    while name and name.startswith(PACKAGE):
        if name in MODULES:
            return name
        name = name.rpartition(".")[0]
    return None


def _imports(module: str) -> list[tuple[str, str | None, int]]:
    """(imported module, name imported from it or None, line) of every import."""
    tree = ast.parse(MODULES[module].read_text(encoding="utf-8"))
    out: list[tuple[str, str | None, int]] = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            for alias in node.names:
                if (t := _target(alias.name)) is not None:
                    out.append((t, None, node.lineno))
        elif isinstance(node, ast.ImportFrom):
            source = _resolve(module, node)
            for alias in node.names:
                full = f"{source}.{alias.name}"
                if full in MODULES:  # from . import budget: the submodule itself
                    out.append((full, None, node.lineno))
                elif (t := _target(source)) is not None:
                    out.append((t, alias.name, node.lineno))
    return out


def _graph() -> dict[str, set[str]]:
    return {m: {t for t, _, _ in _imports(m) if t != m} for m in MODULES}


def _find_cycle(graph: dict[str, set[str]]) -> list[str] | None:
    state: dict[str, int] = {}  # 1: on the path, 2: done
    path: list[str] = []

    def visit(m: str) -> list[str] | None:
        state[m] = 1
        path.append(m)
        for n in sorted(graph[m]):
            if state.get(n) == 1:
                return path[path.index(n):] + [n]
            if n not in state and (found := visit(n)) is not None:
                return found
        path.pop()
        state[m] = 2
        return None

    for m in sorted(graph):
        if m not in state and (found := visit(m)) is not None:
            return found
    return None


def _under(module: str, layer: str) -> bool:
    prefix = f"{PACKAGE}.{layer}"
    return module == prefix or module.startswith(prefix + ".")


def test_the_layers_exist():
    for layer in ("registry", "budget", "decode", "formats", "recover"):
        assert f"{PACKAGE}.{layer}" in MODULES, layer


def test_no_import_cycle():
    cycle = _find_cycle(_graph())
    assert cycle is None, "import cycle: " + " -> ".join(cycle or [])


def test_no_private_name_crosses_a_module():
    found = []
    for module in MODULES:
        tree = ast.parse(MODULES[module].read_text(encoding="utf-8"))
        for target, name, line in _imports(module):
            if target != module and name is not None and name.startswith("_") and not name.startswith("__"):
                found.append(f"{module}:{line} imports {name} from {target}")
        # module._name, on a module imported by name (from . import stream; stream._ROLES)
        aliases = {alias.asname or alias.name for node in ast.walk(tree) if isinstance(node, ast.ImportFrom)
                   for alias in node.names if f"{_resolve(module, node)}.{alias.name}" in MODULES}
        for node in ast.walk(tree):
            if isinstance(node, ast.Attribute) and isinstance(node.value, ast.Name) and node.value.id in aliases \
                    and node.attr.startswith("_") and not node.attr.startswith("__"):
                found.append(f"{module}:{node.lineno} reads {node.value.id}.{node.attr}")
    assert not found, "\n".join(found)


def test_recovery_never_imports_a_reader():
    found = [f"{m} imports {t}" for m, targets in _graph().items() if _under(m, "recover")
             for t in targets if _under(t, "formats")]
    assert not found, "\n".join(found)


def _registers(module: str) -> bool:
    tree = ast.parse(MODULES[module].read_text(encoding="utf-8"))
    return any(isinstance(n, ast.Call) and isinstance(n.func, ast.Name) and n.func.id == "register"
               for n in ast.walk(tree))


def _readers() -> list[str]:
    named = [f"{PACKAGE}.formats.{r}" for r in READERS]
    registering = [m for m in MODULES if _under(m, "formats") and _registers(m)]
    return sorted(set(named) | set(registering))


@pytest.mark.parametrize("reader", _readers())
def test_every_reader_ends_in_recovery(reader):
    assert reader in MODULES, f"{reader} is missing"
    graph = _graph()
    seen, todo = {reader}, [reader]
    while todo:
        for n in graph[todo.pop()]:
            if n not in seen:
                seen.add(n)
                todo.append(n)
    assert any(_under(m, "recover") for m in seen), f"{reader} never reaches {PACKAGE}.recover"


def test_the_checker_sees_lazy_and_private_imports(tmp_path):
    """The walker counts an import inside a function, and a private name in it."""
    source = "def f():\n    from .stream import _ROLES\n    from . import check_text\n"
    tree = ast.parse(source)
    kinds = [type(n).__name__ for n in ast.walk(tree) if isinstance(n, ast.ImportFrom)]
    assert kinds == ["ImportFrom", "ImportFrom"]
    node = next(n for n in ast.walk(tree) if isinstance(n, ast.ImportFrom))
    assert _resolve(f"{PACKAGE}.formats.text", node) == f"{PACKAGE}.formats.stream"
    assert _resolve(PACKAGE, node) == f"{PACKAGE}.stream"
