"""Imports flow one way between Rinda's packages (README, "Packages and import directions").

`core` (the pure domain, plus a few listed I/O seams) imports no other package; the
terminal client and the simulator build on `core` only; the centre server never
imports a terminal, the printer, the simulator or the hub; terminals reach the server
only over HTTP. The composition root `rinda` names the others only by string.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
ALLOWED: dict[str, set[str]] = {
    "core": set(),
    "terminal": {"core"},
    "simulation": {"core"},
    "printer": {"core"},
    "server": {"core"},
    "kiosk": {"core", "terminal", "printer"},
    "feedback": {"core", "terminal", "kiosk"},
    "display": {"core", "terminal"},
    "hub": {"core", "server", "simulation"},
    "rinda": set(),
}
"""Which packages each package may import (besides itself, the standard library and
third-party libraries)."""


def imports_of(path: Path) -> list[tuple[int, str]]:
    """(line, imported package) for every absolute import in the file, including those
    inside functions."""
    found = []
    for node in ast.walk(ast.parse(path.read_text("utf-8"))):
        if isinstance(node, ast.Import):
            found += [(node.lineno, alias.name.split(".")[0]) for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            found.append((node.lineno, node.module.split(".")[0]))
    return found


def wrong_imports(package: str, root: Path = ROOT) -> list[str]:
    """Every import in `package` of one of Rinda's packages it may not import."""
    wrong = []
    for path in sorted((root / package).rglob("*.py")):
        for line, imported in imports_of(path):
            if imported in ALLOWED and imported != package and imported not in ALLOWED[package]:
                wrong.append(f"{path.relative_to(root)}:{line} imports {imported}")
    return wrong


def test_every_package_is_listed() -> None:
    packages = {
        path.parent.name
        for path in ROOT.glob("*/__init__.py")
        if path.parent.name not in {"tests", "bench", "scripts", "docs"}
    }
    listed = {name for name in ALLOWED if (ROOT / name).is_dir()}
    assert packages == listed, f"list {packages - listed} in ALLOWED"


@pytest.mark.parametrize("package", sorted(ALLOWED))
def test_imports_flow_one_way(package: str) -> None:
    if not (ROOT / package).is_dir():
        pytest.skip(f"no {package}/ package")
    assert wrong_imports(package) == []


def test_the_check_catches_a_wrong_import(tmp_path: Path) -> None:
    """A server module importing the kiosk is reported, with its file and line."""
    (tmp_path / "server").mkdir()
    (tmp_path / "server" / "bad.py").write_text("import json\n\ndef f():\n    import kiosk.app\n")
    assert wrong_imports("server", tmp_path) == ["server/bad.py:4 imports kiosk"]
