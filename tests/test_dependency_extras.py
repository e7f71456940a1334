"""Each machine role installs what its code imports, and no more than its extra names.

pyproject.toml splits the dependencies into extras per role (`server`, `kiosk`,
`display`, `hub`, …) so a server does not install Kivy and a kiosk does not install
FastAPI. This test reads every import in the code a role runs and checks that the
distribution providing it is in that role's extra (with the base dependencies and the
extras it includes): a new import without its dependency fails here, not on a centre.
"""

from __future__ import annotations

import ast
import re
import sys
import tomllib
from importlib.metadata import packages_distributions
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
OURS = {
    "core",
    "feedback",
    "terminal",
    "simulation",
    "server",
    "printer",
    "kiosk",
    "display",
    "hub",
    "rinda",
}
ROLES = {
    "server": ("core", "server", "rinda"),
    "printer": ("core", "printer"),
    "kiosk": ("core", "terminal", "kiosk", "feedback", "printer", "rinda"),
    "display": ("core", "terminal", "display", "rinda"),
    "hub": ("core", "server", "simulation", "hub", "rinda"),
}
"""The extra a machine installs, and the packages whose code it runs."""


def _name(requirement: str) -> tuple[str, list[str]]:
    match = re.match(r"\s*([A-Za-z0-9_.-]+)(?:\[([^\]]*)\])?", requirement)
    assert match, requirement
    name = re.sub(r"[-_.]+", "-", match.group(1)).lower()
    extras = [extra.strip() for extra in (match.group(2) or "").split(",") if extra.strip()]
    return name, extras


def installed_by(extra: str) -> set[str]:
    """Normalised distribution names the extra installs (base dependencies included)."""
    project = tomllib.loads((ROOT / "pyproject.toml").read_text("utf-8"))["project"]
    names = {_name(requirement)[0] for requirement in project["dependencies"]}
    todo, seen = [extra], set()
    while todo:
        current = todo.pop()
        if current in seen:
            continue
        seen.add(current)
        for requirement in project["optional-dependencies"][current]:
            name, extras = _name(requirement)
            if name == "rinda":
                todo += extras
            else:
                names.add(name)
    return names


def third_party_imports(packages: tuple[str, ...]) -> dict[str, str]:
    """Top-level third-party module name -> a file:line that imports it."""
    found: dict[str, str] = {}
    for package in packages:
        for path in sorted((ROOT / package).rglob("*.py")):
            for node in ast.walk(ast.parse(path.read_text("utf-8"))):
                if isinstance(node, ast.Import):
                    names = [alias.name for alias in node.names]
                elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
                    names = [node.module]
                else:
                    continue
                for name in names:
                    top = name.split(".")[0]
                    if top not in OURS and top not in sys.stdlib_module_names:
                        found.setdefault(top, f"{path.relative_to(ROOT)}:{node.lineno}")
    return found


def missing_from(extra: str, packages: tuple[str, ...]) -> list[str]:
    """Imports in `packages` whose distribution `extra` does not install."""
    providers = packages_distributions()
    installed = installed_by(extra)
    missing = []
    for module, where in sorted(third_party_imports(packages).items()):
        dists = {re.sub(r"[-_.]+", "-", dist).lower() for dist in providers.get(module, [])}
        if not dists:
            missing.append(f"{where} imports {module}, which no installed distribution provides")
        elif not dists & installed:
            missing.append(
                f"{where} imports {module} ({', '.join(sorted(dists))}), not in [{extra}]"
            )
    return missing


@pytest.mark.parametrize("extra", sorted(ROLES))
def test_each_role_installs_what_its_code_imports(extra: str) -> None:
    assert missing_from(extra, ROLES[extra]) == []


def test_a_server_installs_no_kivy_and_a_kiosk_no_web_framework() -> None:
    assert "kivy" not in installed_by("server") | installed_by("hub")
    assert not {"fastapi", "matplotlib", "uvicorn"} & installed_by("kiosk")
    assert not {"fastapi", "matplotlib", "python-escpos"} & installed_by("display")


def test_the_check_catches_a_missing_dependency() -> None:
    """The kiosk imports Kivy; the server's extra does not install it."""
    assert any("kivy" in line for line in missing_from("server", ("kiosk",)))
