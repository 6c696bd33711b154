"""The layering of ``desktop``, checked from the source: what each layer may import, and no cycles.

The import graph is read with ``ast``, without importing anything, and counts every import
statement wherever it stands: at module level, inside functions, and under ``if TYPE_CHECKING:``
(a type-only import still ties the layers together for a reader and for a type checker).
Relative imports are resolved; ``from pkg import name`` is an import of ``pkg.name`` when that
is a module of the scanned package, else of ``pkg``. Importing a submodule is not counted as an
import of its parent packages (as import-linter's graph does), so the usual
``package/__init__.py`` re-exporting its own modules is not a cycle.

Contracts:
- ``desktop.core`` (pure domain) imports no Qt, no I/O library, nothing from ``desktop.data``
  or ``desktop.ui``;
- ``desktop.data`` imports no Qt and nothing from ``desktop.ui``;
- only ``desktop.data.sources.yahoo`` imports ``yfinance`` or ``curl_cffi``;
- no import cycles among ``desktop.*`` modules.

The checker is tested on a small synthetic package first, so the contracts cannot pass because
it sees nothing.
"""

from __future__ import annotations

import ast
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
DESKTOP = REPO / "desktop"

QT = ("PySide6", "shiboken6", "pyqtgraph")
IO_LIBRARIES = ("sqlite3", "sqlite_utils", "yfinance", "requests", "curl_cffi", "urllib")
YAHOO_ONLY = ("yfinance", "curl_cffi")


@dataclass(frozen=True)
class Import:
    """One imported module of one import statement."""

    importer: str  #: the module whose source holds the statement, e.g. ``desktop.ui.chart``
    path: Path  #: that module's file
    line: int  #: the statement's line in it
    target: str  #: the module imported, resolved (see the module docstring)
    statement: str  #: the statement as written, for the failure message

    def where(self) -> str:
        try:
            shown = self.path.relative_to(REPO)
        except ValueError:
            shown = self.path
        return f"{shown}:{self.line} ({self.importer}) `{self.statement}`"


def modules_of(package_dir: Path) -> dict[str, Path]:
    """Every module of the package in ``package_dir`` by dotted name (``__init__`` as the
    package itself)."""
    found = {}
    for path in sorted(package_dir.rglob("*.py")):
        parts = path.relative_to(package_dir.parent).with_suffix("").parts
        if parts[-1] == "__init__":
            parts = parts[:-1]
        found[".".join(parts)] = path
    return found


def _resolve_relative(importer: str, is_package: bool, level: int, module: str | None) -> str:
    package = importer if is_package else importer.rpartition(".")[0]
    parts = package.split(".")
    if level - 1 >= len(parts):
        raise ValueError(f"{importer}: relative import beyond the top-level package")
    base = ".".join(parts[: len(parts) - (level - 1)])
    return f"{base}.{module}" if module else base


def scan(package_dir: Path) -> list[Import]:
    """Every import in the package at ``package_dir``, one ``Import`` per imported module."""
    modules = modules_of(package_dir)
    found = []
    for importer, path in modules.items():
        is_package = path.name == "__init__.py"
        tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
        for node in ast.walk(tree):
            if isinstance(node, ast.Import):
                targets = [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom):
                base = (
                    _resolve_relative(importer, is_package, node.level, node.module)
                    if node.level
                    else node.module or ""
                )
                targets = []
                for alias in node.names:
                    submodule = f"{base}.{alias.name}"
                    targets.append(submodule if submodule in modules else base)
            else:
                continue
            statement = ast.unparse(node)
            for target in dict.fromkeys(targets):  # once per module, in order
                found.append(Import(importer, path, node.lineno, target, statement))
    return sorted(found, key=lambda i: (i.importer, i.line))


def _within(name: str, prefixes: Iterable[str]) -> bool:
    return any(name == p or name.startswith(p + ".") for p in prefixes)


def violations(
    imports: Iterable[Import],
    *,
    importers: Iterable[str],
    forbidden: Iterable[str],
    allowed_importers: Iterable[str] = (),
) -> list[Import]:
    """The imports of a module under ``importers`` (and not under ``allowed_importers``) of a
    module under ``forbidden``."""
    importers, forbidden, allowed = tuple(importers), tuple(forbidden), tuple(allowed_importers)
    return [
        i
        for i in imports
        if _within(i.importer, importers)
        and not _within(i.importer, allowed)
        and _within(i.target, forbidden)
    ]


def cycles(imports: Iterable[Import], within: str) -> list[list[Import]]:
    """The import cycles among modules under ``within``, each as the chain of its imports: for
    every module on a cycle, the shortest cycle through it (so each such module is named)."""
    edges: dict[str, dict[str, Import]] = {}
    for i in imports:
        if _within(i.importer, [within]) and _within(i.target, [within]) and i.target != i.importer:
            edges.setdefault(i.importer, {}).setdefault(i.target, i)  # first statement wins
    found: dict[tuple[str, ...], list[Import]] = {}
    for group in _strongly_connected(edges):
        if len(group) < 2:
            continue
        for module in sorted(group):
            chain = _shortest_cycle(module, edges, group)
            turn = min(range(len(chain)), key=lambda k: chain[k].importer)
            chain = chain[turn:] + chain[:turn]  # the same cycle reads the same from any start
            found.setdefault(tuple(i.importer for i in chain), chain)
    return [found[key] for key in sorted(found)]


def _strongly_connected(edges: dict[str, dict[str, Import]]) -> list[set[str]]:
    """Tarjan's algorithm, iterative (the graph is small, but recursion limits are not ours)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    groups = []
    for root in sorted(edges):
        if root in index:
            continue
        work = [(root, iter(sorted(edges.get(root, {}))))]
        index[root] = low[root] = len(index)
        stack.append(root)
        on_stack.add(root)
        while work:
            node, children = work[-1]
            child = next(children, None)
            if child is not None:
                if child not in index:
                    index[child] = low[child] = len(index)
                    stack.append(child)
                    on_stack.add(child)
                    work.append((child, iter(sorted(edges.get(child, {})))))
                elif child in on_stack:
                    low[node] = min(low[node], index[child])
                continue
            work.pop()
            if work:
                parent = work[-1][0]
                low[parent] = min(low[parent], low[node])
            if low[node] == index[node]:
                group = set()
                while True:
                    member = stack.pop()
                    on_stack.discard(member)
                    group.add(member)
                    if member == node:
                        break
                groups.append(group)
    return groups


def _shortest_cycle(start: str, edges: dict[str, dict[str, Import]], group: set[str]):
    """Breadth-first from ``start`` back to itself, inside ``group``."""
    came_from: dict[str, Import] = {}
    frontier = [start]
    while frontier:
        following = []
        for node in frontier:
            for target, imp in sorted(edges.get(node, {}).items()):
                if target not in group:
                    continue
                if target == start:
                    chain = [imp]
                    while chain[0].importer != start:
                        chain.insert(0, came_from[chain[0].importer])
                    return chain
                if target not in came_from:
                    came_from[target] = imp
                    following.append(target)
        frontier = following
    raise AssertionError(f"{start} is in a strongly connected group but on no cycle")


def describe(found: list[Import], rule: str) -> str:
    lines = [f"{rule}: {len(found)} import(s) break it:"]
    lines += [f"  {i.where()} imports {i.target}" for i in found]
    return "\n".join(lines)


def describe_cycles(found: list[list[Import]]) -> str:
    lines = [f"{len(found)} import cycle(s) among desktop.* modules:"]
    for chain in found:
        lines.append("  " + " -> ".join([i.importer for i in chain] + [chain[-1].target]))
        lines += [f"      {i.where()}" for i in chain]
    return "\n".join(lines)


class Imports(list):
    """The scanned imports, shown by their number (a failing test prints its arguments)."""

    def __repr__(self) -> str:
        return f"<{len(self)} imports>"


@pytest.fixture(scope="module")
def imports() -> Imports:
    return Imports(scan(DESKTOP))


# The checker itself, on a package made to break every rule in the places that are easy to miss.

SYNTHETIC = {
    "__init__.py": "",
    "core/__init__.py": "from .model import Thing\n",
    "core/model.py": (
        "from typing import TYPE_CHECKING\n"
        "\n"
        "if TYPE_CHECKING:\n"
        "    from ..ui import window\n"
        "\n"
        "class Thing:\n"
        "    def draw(self):\n"
        "        from PySide6.QtWidgets import QWidget\n"
        "        return QWidget()\n"
    ),
    "core/a.py": "from . import b\n",
    "core/b.py": "import os\n\nfrom pkg.core.a import name\n",
    "ui/__init__.py": "",
    "ui/window.py": "import pkg.core.model\n",
}


@pytest.fixture
def synthetic(tmp_path: Path) -> list[Import]:
    for name, text in SYNTHETIC.items():
        path = tmp_path / "pkg" / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text)
    return scan(tmp_path / "pkg")


def test_the_checker_resolves_relative_and_from_imports(synthetic):
    seen = {(i.importer, i.line, i.target) for i in synthetic}
    assert ("pkg.core", 1, "pkg.core.model") in seen  # from .model import Thing
    assert ("pkg.core.a", 1, "pkg.core.b") in seen  # from . import b: b is a module
    assert ("pkg.core.b", 3, "pkg.core.a") in seen  # from pkg.core.a import name: not one
    assert ("pkg.ui.window", 1, "pkg.core.model") in seen


def test_the_checker_sees_imports_in_functions_and_under_type_checking(synthetic):
    found = violations(synthetic, importers=["pkg.core"], forbidden=[*QT, "pkg.ui"])
    assert [(i.importer, i.line, i.target) for i in found] == [
        ("pkg.core.model", 4, "pkg.ui.window"),  # under TYPE_CHECKING
        ("pkg.core.model", 8, "PySide6.QtWidgets"),  # inside a method
    ]
    message = describe(found, "rule")
    assert "pkg/core/model.py:8 (pkg.core.model) `from PySide6.QtWidgets import QWidget`" in message
    assert violations(synthetic, importers=["pkg.ui"], forbidden=QT) == []
    allowed = violations(
        synthetic, importers=["pkg"], forbidden=QT, allowed_importers=["pkg.core.model"]
    )
    assert allowed == []


def test_the_checker_finds_cycles_as_chains(synthetic):
    found = cycles(synthetic, "pkg")
    chains = [[i.importer for i in chain] + [chain[-1].target] for chain in found]
    assert chains == [
        ["pkg.core.a", "pkg.core.b", "pkg.core.a"],
        ["pkg.core.model", "pkg.ui.window", "pkg.core.model"],  # one of them type-only
    ]
    assert "pkg.core.a -> pkg.core.b -> pkg.core.a" in describe_cycles(found)
    assert cycles(synthetic, "pkg.ui") == []  # both ends must be inside


def test_the_real_package_is_seen(imports):
    importers = {i.importer for i in imports}
    assert {"desktop.core.model", "desktop.ui.main_window", "desktop.data.store"} <= importers
    assert any(i.target == "desktop.core.model" for i in imports)


# The contracts.


def test_core_imports_no_qt_no_io_and_no_other_layer(imports):
    found = violations(
        imports,
        importers=["desktop.core"],
        forbidden=[*QT, *IO_LIBRARIES, "desktop.data", "desktop.ui"],
    )
    if found:
        pytest.fail(describe(found, "desktop.core imports no Qt, I/O, desktop.data or desktop.ui"))


def test_data_imports_no_qt_and_no_ui(imports):
    found = violations(imports, importers=["desktop.data"], forbidden=[*QT, "desktop.ui"])
    if found:
        pytest.fail(describe(found, "desktop.data imports no Qt and nothing from desktop.ui"))


def test_only_the_yahoo_package_imports_yfinance_and_curl_cffi(imports):
    found = violations(
        imports,
        importers=["desktop"],
        forbidden=YAHOO_ONLY,
        allowed_importers=["desktop.data.sources.yahoo"],
    )
    if found:
        pytest.fail(describe(found, "only desktop.data.sources.yahoo imports yfinance/curl_cffi"))


def test_no_import_cycles(imports):
    found = cycles(imports, "desktop")
    if found:
        pytest.fail(describe_cycles(found))
