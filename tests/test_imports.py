"""The import graph of ``ingest``: no cycles, and the library never imports the flows or Prefect.

Built from the source with ``ast`` (imports inside functions count too: a lazy import only hides
a cycle), so it checks the code, not what happens to be imported at test time.
"""

from __future__ import annotations

import ast
from pathlib import Path

from conftest import REPO

SRC = REPO / "src"
ORCHESTRATION = ("ingest_flows", "prefect")


def module_name(path: Path) -> str:
    """The dotted name of a module file under src/ (a package is its ``__init__``)."""
    parts = list(path.relative_to(SRC).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def imported_names(path: Path) -> set[str]:
    """Every module name an ``import`` or ``from ... import`` anywhere in the file names.

    ``from package import name`` counts as importing ``package.name`` too, which is what it
    does when ``name`` is a submodule. The package uses absolute imports only.
    """
    names: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            assert not node.level, f"relative import in {path}:{node.lineno}"
            names.add(str(node.module))
            names.update(f"{node.module}.{alias.name}" for alias in node.names)
    return names


def import_graph() -> dict[str, set[str]]:
    """Module name -> the ``ingest`` modules it imports."""
    files = {module_name(path): path for path in SRC.joinpath("ingest").rglob("*.py")}
    return {name: imported_names(path) & files.keys() - {name} for name, path in files.items()}


def find_cycle(graph: dict[str, set[str]]) -> list[str] | None:
    """One import cycle (its modules in order, the first repeated at the end), or ``None``.

    >>> find_cycle({"a": {"b"}, "b": {"a"}})
    ['a', 'b', 'a']
    >>> find_cycle({"a": {"b"}, "b": set()}) is None
    True
    """
    done: set[str] = set()
    path: list[str] = []

    def visit(node: str) -> list[str] | None:
        if node in path:
            return [*path[path.index(node) :], node]
        if node in done:
            return None
        path.append(node)
        for target in sorted(graph.get(node, ())):
            if cycle := visit(target):
                return cycle
        path.pop()
        done.add(node)
        return None

    for start in sorted(graph):
        if cycle := visit(start):
            return cycle
    return None


def test_find_cycle_finds_a_longer_cycle() -> None:
    graph = {"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}
    assert find_cycle(graph) == ["a", "b", "c", "a"]


def test_the_graph_sees_lazy_imports() -> None:
    graph = import_graph()
    assert "ingest.output.store" in graph["ingest.output.parquet"]
    assert "ingest.pipeline" in graph["ingest.run.batches"]


def test_ingest_has_no_import_cycle() -> None:
    assert find_cycle(import_graph()) is None


def test_output_imports_neither_the_pipeline_nor_later_stages() -> None:
    later = ("ingest.structure", "ingest.repair", "ingest.run", "ingest.pipeline", "ingest.cli")
    wrong = {
        (name, target)
        for name, targets in import_graph().items()
        if name.startswith("ingest.output")
        for target in targets
        if target.startswith(later)
    }
    assert wrong == set()


def test_the_library_does_not_import_the_flows_or_prefect() -> None:
    importers = {
        module_name(path)
        for path in SRC.joinpath("ingest").rglob("*.py")
        for name in imported_names(path)
        if name.split(".")[0] in ORCHESTRATION
    }
    assert importers == set()
