"""The rooms hold: no circle of imports anywhere in the product, each room imports only
the rooms below it (README, "For developers"), no module reaches into another's private
names, and no module outgrows one job. A new arrow that breaks these fails here, with
the modules named."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
ROOMS = ("bot", "handlers", "language", "scheduler", "models", "documents", "locales", "web")
# What each room may import of ours (besides itself). ``locales`` is the words.
ALLOWED = {
    "language": {"locales", "scheduler.workdays"},
    "models": set(),
    "scheduler": {"models", "language", "locales"},
    "documents": {"models", "language", "locales"},
    "handlers": {"models", "language", "scheduler", "documents", "locales"},
    "locales": set(),
    "web": {"models", "documents", "language", "locales", "scheduler", "handlers"},
}
MAX_LINES = 400
HANDLERS_TOP_FILES = 12


def _modules() -> dict[str, Path]:
    found = {}
    for room in ROOMS:
        folder = ROOT / room
        if not folder.is_dir():
            continue
        for path in folder.rglob("*.py"):
            if "migrations" in path.parts:
                continue
            name = ".".join(path.relative_to(ROOT).with_suffix("").parts).removesuffix(".__init__")
            found[name] = path
    return found


def _imports(path: Path, modules: dict[str, Path]) -> list[tuple[str, str]]:
    """(module imported, name imported or "") for every import of ours, lazy ones too."""
    out = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            for alias in node.names:
                full = f"{node.module}.{alias.name}"
                if full in modules:
                    out.append((full, ""))
                elif node.module in modules:
                    out.append((node.module, alias.name))
        elif isinstance(node, ast.Import):
            out += [(alias.name, "") for alias in node.names if alias.name in modules]
    return out


def _graph() -> dict[str, set[str]]:
    modules = _modules()
    return {
        name: {target for target, _n in _imports(path, modules) if target != name}
        for name, path in modules.items()
    }


def circles(graph: dict[str, set[str]]) -> list[list[str]]:
    """The strongly connected groups of more than one module (Tarjan, iteratively)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[list[str]] = []
    for start in graph:
        if start in index:
            continue
        work = [(start, iter(sorted(graph[start])))]
        index[start] = low[start] = len(index)
        stack.append(start)
        on_stack.add(start)
        while work:
            node, edges = work[-1]
            advanced = False
            for target in edges:
                if target not in graph:
                    continue
                if target not in index:
                    index[target] = low[target] = len(index)
                    stack.append(target)
                    on_stack.add(target)
                    work.append((target, iter(sorted(graph[target]))))
                    advanced = True
                    break
                if target in on_stack:
                    low[node] = min(low[node], index[target])
            if advanced:
                continue
            work.pop()
            if work:
                low[work[-1][0]] = min(low[work[-1][0]], low[node])
            if low[node] == index[node]:
                group = []
                while True:
                    top = stack.pop()
                    on_stack.discard(top)
                    group.append(top)
                    if top == node:
                        break
                if len(group) > 1:
                    found.append(sorted(group))
    return found


def test_the_circle_finder_finds_a_circle() -> None:
    assert circles({"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}) == [["a", "b", "c"]]
    assert circles({"a": {"b"}, "b": set()}) == []


def test_no_circle_of_imports_in_the_product() -> None:
    assert circles(_graph()) == []


@pytest.mark.parametrize("room", sorted(ALLOWED))
def test_each_room_imports_only_the_rooms_below_it(room: str) -> None:
    wrong = []
    for name, targets in _graph().items():
        if name.split(".")[0] != room:
            continue
        for target in targets:
            other = target.split(".")[0]
            allowed = ALLOWED[room]
            if other != room and other not in allowed and target not in allowed:
                wrong.append(f"{name} → {target}")
    assert wrong == []


def test_no_private_name_is_imported_from_another_module() -> None:
    modules = _modules()
    wrong = [
        f"{name} imports {target}.{imported}"
        for name, path in modules.items()
        for target, imported in _imports(path, modules)
        if imported.startswith("_") and imported != "_" and not imported.startswith("__")
    ]
    assert wrong == []


def test_no_module_is_over_400_lines() -> None:
    long = {
        name: n
        for name, path in _modules().items()
        if (n := len(path.read_text(encoding="utf-8").splitlines())) > MAX_LINES
    }
    assert long == {}


def test_handlers_keeps_its_features_in_folders() -> None:
    top = [p.name for p in (ROOT / "handlers").glob("*.py")]
    assert len(top) <= HANDLERS_TOP_FILES, sorted(top)
    for folder in (ROOT / "handlers").iterdir():
        if folder.is_dir() and folder.name != "__pycache__":
            init = folder / "__init__.py"
            assert init.is_file() and ast.get_docstring(ast.parse(init.read_text())), folder
