"""The layering of ARCHITECTURE.md, read from the source: arrows point down, faces use the facade.

The engine must not import the companion (it wires the LLM backend from ``tandem.llm``), and
the companion must not reach past the identity-bound view into the store or the raw engine:
a rule enforced in the engine is bypassed by every such reach.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

SRC = Path(__file__).resolve().parents[1] / "src" / "tandem"


def _modules(package: str) -> list[Path]:
    return sorted((SRC / package).rglob("*.py"))


def _imports(path: Path) -> set[str]:
    """Every module ``path`` imports, wherever the import statement is (TYPE_CHECKING too)."""
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module:
            found.add(node.module)
    return found


@pytest.mark.parametrize(
    ("package", "forbidden"),
    [
        ("engine", ("tandem.companion", "tandem.api", "tandem.cli")),
        ("llm", ("tandem.engine", "tandem.companion", "tandem.store")),
        ("companion", ("tandem.store", "tandem.api", "tandem.cli")),
        ("batch", ("tandem.engine", "tandem.store", "tandem.search", "tandem.api", "tandem.cli")),
    ],
)
def test_a_layer_never_imports_one_above_it(package: str, forbidden: tuple[str, ...]) -> None:
    bad = {
        f"{path.relative_to(SRC)}: {name}"
        for path in _modules(package)
        for name in _imports(path)
        if name.startswith(forbidden)
    }
    assert not bad


def test_the_companion_never_reaches_past_the_view() -> None:
    """No ``x.store`` or ``x.engine`` in the companion: it has only the view's methods."""
    reaches = {
        f"{path.relative_to(SRC)}:{node.lineno} .{node.attr}"
        for path in _modules("companion")
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8")))
        if isinstance(node, ast.Attribute) and node.attr in ("store", "engine")
    }
    assert not reaches
