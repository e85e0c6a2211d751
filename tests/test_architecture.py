"""The shape of the code: no import cycles between builder's modules, counting imports inside functions.

An import inside a function still ties two modules together; only imports for type checking
(`if TYPE_CHECKING:`) are left out. The registry finds built-in kinds by listing their folder, which
is no import edge.
"""

from __future__ import annotations

import ast
from pathlib import Path

from .conftest import REPO


def import_graph(root: Path, package: str = "builder") -> dict[str, set[str]]:
    """module -> the modules of `package` it imports anywhere in its code."""
    modules: dict[str, Path] = {}
    for path in (root / package).rglob("*.py"):
        parts = list(path.relative_to(root).with_suffix("").parts)
        modules[".".join(parts[:-1] if parts[-1] == "__init__" else parts)] = path

    def owner(name: str) -> str | None:
        while name and name not in modules:
            name = name.rpartition(".")[0]
        return name or None

    graph: dict[str, set[str]] = {name: set() for name in modules}
    for name, path in modules.items():
        tree = ast.parse(path.read_text(encoding="utf-8"))
        typing_only = {id(node) for block in ast.walk(tree)
                       if isinstance(block, ast.If) and "TYPE_CHECKING" in ast.unparse(block.test)
                       for node in ast.walk(block)}
        for node in ast.walk(tree):
            if id(node) in typing_only:
                continue
            targets: list[str | None] = []
            if isinstance(node, ast.ImportFrom) and node.level == 0 and (node.module or "").startswith(package):
                base = node.module or ""
                targets = [owner(f"{base}.{a.name}") if f"{base}.{a.name}" in modules else owner(base)
                           for a in node.names]
            elif isinstance(node, ast.Import):
                targets = [owner(a.name) for a in node.names if a.name.startswith(package)]
            graph[name] |= {t for t in targets if t and t != name}
    return graph


def cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """The strongly connected groups of more than one module (Tarjan's algorithm)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    found: list[list[str]] = []

    def visit(node: str) -> None:
        index[node] = low[node] = len(index)
        stack.append(node)
        for other in sorted(graph[node]):
            if other not in index:
                visit(other)
                low[node] = min(low[node], low[other])
            elif other in stack:
                low[node] = min(low[node], index[other])
        if low[node] == index[node]:
            group = []
            while True:
                member = stack.pop()
                group.append(member)
                if member == node:
                    break
            if len(group) > 1:
                found.append(sorted(group))

    for node in sorted(graph):
        if node not in index:
            visit(node)
    return found


def test_builder_has_no_import_cycles() -> None:
    assert cycles(import_graph(REPO)) == []


def test_a_cycle_through_a_function_level_import_is_found(tmp_path: Path) -> None:
    package = tmp_path / "builder"
    (package / "load").mkdir(parents=True)
    (package / "__init__.py").write_text("", encoding="utf-8")
    (package / "load" / "__init__.py").write_text("", encoding="utf-8")
    (package / "load" / "pack.py").write_text("from builder.checks import run\n", encoding="utf-8")
    (package / "checks.py").write_text("def run():\n    from builder.load import pack\n", encoding="utf-8")
    (package / "model.py").write_text("from typing import TYPE_CHECKING\nif TYPE_CHECKING:\n"
                                      "    from builder.checks import run\n", encoding="utf-8")
    (package / "render.py").write_text("from builder import model\n", encoding="utf-8")
    assert cycles(import_graph(tmp_path)) == [["builder.checks", "builder.load.pack"]]


def test_every_stage_has_its_folder() -> None:
    folders = {p.name for p in (REPO / "builder").iterdir() if (p / "__init__.py").is_file()}
    assert {"core", "load", "resolve", "components", "render", "check", "release", "importer"} <= folders
    assert {p.name for p in (REPO / "builder" / "render").iterdir() if p.is_dir() and p.name != "__pycache__"} \
        == {"html", "pdf", "docx", "brf", "quiz"}
