"""The domain modules of core/ are pure: standard library only, no I/O, no clock reads."""

from __future__ import annotations

import ast
import sys
from pathlib import Path

import pytest

CORE = Path(__file__).resolve().parents[2] / "core"
IO_EXCEPTIONS = {
    "clock": "the one seam through which the running system learns the time",
    "discovery": "zeroconf: the server advertises, terminals browse (shared by both)",
    "settings_file": "reads settings files and command-line flags for every part",
    "data": "reads the data files shipped with Rinda (fonts, sounds, demo catalogue)",
}
"""Modules of core/ allowed to do I/O, and why. Every other module of core/ is pure:
a new module is checked without being listed anywhere."""


def module_name(path: Path) -> str:
    relative = path.relative_to(CORE).with_suffix("")
    parts = relative.parts[:-1] if relative.name == "__init__" else relative.parts
    return ".".join(("core", *parts))


def is_exception(path: Path) -> bool:
    relative = path.relative_to(CORE)
    return relative.parts[0].removesuffix(".py") in IO_EXCEPTIONS


def pure_paths() -> list[Path]:
    return [path for path in sorted(CORE.rglob("*.py")) if not is_exception(path)]


PURE = {module_name(path) for path in pure_paths()}


FORBIDDEN_CALLS = {"now", "utcnow", "today", "monotonic", "perf_counter", "sleep", "time_ns"}
FORBIDDEN_NAMES = {"open", "input", "print", "exec", "eval", "__import__"}
FORBIDDEN_STDLIB = {
    "socket",
    "subprocess",
    "os",
    "random",
    "secrets",
    "threading",
    "urllib",
    "http",
}


def imported_modules(tree: ast.AST) -> list[str]:
    names = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names += [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names.append(node.module)
    return names


@pytest.mark.parametrize("path", pure_paths(), ids=module_name)
def test_pure_module_imports_only_stdlib_and_pure_core(path: Path) -> None:
    tree = ast.parse(path.read_text())
    for module in imported_modules(tree):
        top = module.split(".")[0]
        if top == "core":
            assert module in PURE, f"{path.name} imports {module}, which is not pure"
        else:
            assert top in sys.stdlib_module_names, f"{path.name} imports non-stdlib {module}"
            assert top not in FORBIDDEN_STDLIB, f"{path.name} imports I/O module {module}"


@pytest.mark.parametrize("path", pure_paths(), ids=module_name)
def test_pure_module_reads_no_clock_and_does_no_io(path: Path) -> None:
    tree = ast.parse(path.read_text())
    for node in ast.walk(tree):
        if isinstance(node, ast.Call):
            func = node.func
            if isinstance(func, ast.Attribute):
                assert func.attr not in FORBIDDEN_CALLS, (
                    f"{path.name}:{node.lineno} calls .{func.attr}()"
                )
                owner = func.value
                assert not (
                    isinstance(owner, ast.Name) and owner.id == "time" and func.attr == "time"
                ), f"{path.name}:{node.lineno} calls time.time()"
            elif isinstance(func, ast.Name):
                assert func.id not in FORBIDDEN_NAMES, (
                    f"{path.name}:{node.lineno} calls {func.id}()"
                )


def test_the_check_catches_an_impure_module(tmp_path: Path) -> None:
    """The purity check itself must fail on a module that reads the clock."""
    bad = tmp_path / "bad.py"
    bad.write_text("import datetime\n\ndef f():\n    return datetime.datetime.now()\n")
    with pytest.raises(AssertionError):
        test_pure_module_reads_no_clock_and_does_no_io(bad)
    bad.write_text("import httpx\n")
    with pytest.raises(AssertionError):
        test_pure_module_imports_only_stdlib_and_pure_core(bad)


def test_every_exception_exists() -> None:
    """A listed exception that no longer exists would let its name back in unchecked."""
    for name in IO_EXCEPTIONS:
        assert (CORE / f"{name}.py").is_file() or (CORE / name).is_dir(), name
