"""What docs/api.md promises and what the code does, read from both for the contract test.

The docs side parses the tables of docs/api.md: every row of a `Call | Who | What`
table names one route (`METHOD /path`, paths as in the code, without `/api/v1`) and
who may call it; the error table maps each status to its codes. The code side reads
the API routers, the role table and every place an error code is raised.
"""

from __future__ import annotations

import ast
import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from fastapi.dependencies.models import Dependant
from fastapi.routing import APIRoute

import core.errors
import server.ratelimit
from server.api import deps
from server.api.errors import HTTP_CODES, status_for
from server.auth import ROLE_PERMISSIONS, Permission, Role

ROOT = Path(__file__).resolve().parents[2]
API_DOC = ROOT / "docs" / "api.md"
NO_TOKEN = "no token"
ANY_TOKEN = "any token"
GROUPS = {
    ANY_TOKEN: {role.value for role in Role},
    "staff": {Role.CLERK.value, Role.MANAGER.value, Role.ADMIN.value},
    NO_TOKEN: set(),
}
"""The words the Who column may use besides role names (docs/api.md defines them)."""
CALL = re.compile(r"^`(GET|POST|PUT|DELETE|PATCH) (/[^` ?]*)")


@dataclass(frozen=True)
class DocumentedRoute:
    method: str
    path: str
    who: frozenset[str]
    """Role names; empty for `no token`."""
    public: bool


def _table_rows(text: str) -> Iterator[tuple[list[str], list[str]]]:
    """(header cells, row cells) of every Markdown table row."""
    header: list[str] | None = None
    for line in text.splitlines():
        if not line.startswith("|"):
            header = None
            continue
        cells = [cell.strip() for cell in line.strip().strip("|").split("|")]
        if header is None:
            header = cells
        elif not all(set(cell) <= {"-", " ", ":"} for cell in cells):
            yield header, cells


def documented_routes(
    text: str | None = None,
    groups: dict[str, set[str]] | None = None,
    roles: set[str] | None = None,
) -> list[DocumentedRoute]:
    """Every route row of docs/api.md (or of `text`, whose Who words are `roles` and
    the names of `groups`: the hub's page has roles of its own)."""
    text = API_DOC.read_text() if text is None else text
    groups = GROUPS if groups is None else groups
    roles = {r.value for r in Role} if roles is None else roles
    routes = []
    for header, cells in _table_rows(text):
        if header[:2] != ["Call", "Who"]:
            continue
        match = CALL.match(cells[0])
        assert match, f"docs/api.md: a Call cell must start with `METHOD /path`: {cells[0]!r}"
        who: set[str] = set()
        words = [w.strip() for w in cells[1].split(",") if w.strip()]
        for word in words:
            if word in groups:
                who |= groups[word]
            else:
                assert word in roles, f"unknown Who {word!r}"
                who.add(word)
        routes.append(DocumentedRoute(match[1], match[2], frozenset(who), NO_TOKEN in words))
    return routes


def documented_codes(text: str | None = None) -> dict[str, int]:
    """Error code -> HTTP status, from the error table (`Status | Codes`)."""
    text = API_DOC.read_text() if text is None else text
    codes: dict[str, int] = {}
    for header, cells in _table_rows(text):
        if header[:2] != ["Status", "Codes"]:
            continue
        # Codes are the backticked words outside parentheses (which explain them).
        for code in re.findall(r"`([a-z_]+)`", re.sub(r"\([^)]*\)", "", cells[1])):
            assert code not in codes, f"docs/api.md lists {code} twice"
            codes[code] = int(cells[0])
    return codes


def documented_event_types(text: str | None = None) -> set[str]:
    """The event types listed after 'Event types:'."""
    text = API_DOC.read_text() if text is None else text
    section = text.split("Event types:", 1)[1].split("\n\n", 1)[0]
    return set(re.findall(r"`([a-z_]+\.[a-z_]+)`", section))


# -- the code side -------------------------------------------------------------


def permissions_of(dependant: Dependant) -> list[Permission]:
    """The permissions a route's `requires(...)` dependencies check."""
    found: list[Permission] = []
    for dependency in dependant.dependencies:
        permission = getattr(dependency.call, "permission", None)
        if permission is not None:
            found.append(permission)
        found += permissions_of(dependency)
    return found


def authenticates(dependant: Dependant) -> bool:
    """Whether a route depends on `authenticate` (any valid token) without a permission."""
    return any(d.call is deps.authenticate or authenticates(d) for d in dependant.dependencies)


def roles_holding(permissions: list[Permission]) -> frozenset[str]:
    """The roles that hold every one of `permissions`."""
    return frozenset(
        role.value
        for role, held in ROLE_PERMISSIONS.items()
        if all(permission in held for permission in permissions)
    )


def code_routes() -> dict[tuple[str, str], APIRoute]:
    """(method, path) -> route, for every route of the API routers."""
    from server.app import API_ROUTERS

    routes = {}
    for router in API_ROUTERS:
        for route in router.routes:
            assert isinstance(route, APIRoute)
            for method in route.methods:
                routes[(method, route.path)] = route
    return routes


def _error_classes() -> dict[str, type[core.errors.RindaError]]:
    classes: dict[str, type[core.errors.RindaError]] = {}
    for module in (core.errors, server.ratelimit):
        for name in dir(module):
            value = getattr(module, name)
            if isinstance(value, type) and issubclass(value, core.errors.RindaError):
                classes[name] = value
    return classes


def _status_of(error_class: type[core.errors.RindaError]) -> int:
    probe = error_class.__new__(error_class)
    return status_for(probe)


CLASS_CHECKS = {"isinstance", "issubclass", "add_exception_handler"}
"""Calls that take an error class without raising it."""


def _called_name(call: ast.Call) -> str | None:
    func = call.func
    return func.id if isinstance(func, ast.Name) else getattr(func, "attr", None)


def raised_codes(files: list[Path] | None = None) -> dict[str, int]:
    """Every error code the server can answer with, and its status, read from the code:
    each `raise SomeError(...)` in core/ and server/ (or in `files`) (NotFound's kind
    gives `unknown_<kind>`, a `code=` argument overrides the class's code), each
    `error_body("code", ...)` with the status beside it, and the HTTP status codes."""
    classes = _error_classes()
    codes: dict[str, int] = {code: status for status, code in HTTP_CODES.items()}
    if files is None:
        files = [*ROOT.joinpath("core").rglob("*.py"), *ROOT.joinpath("server").rglob("*.py")]
    for path in sorted(files):
        tree = ast.parse(path.read_text())
        for node in ast.walk(tree):
            if isinstance(node, ast.Raise) and isinstance(node.exc, ast.Call):
                call = node.exc
                name = call.func.id if isinstance(call.func, ast.Name) else None
                if name not in classes:
                    continue
                error_class = classes[name]
                code = error_class.code
                keyword = next((k for k in call.keywords if k.arg == "code"), None)
                if keyword is not None:
                    assert isinstance(keyword.value, ast.Constant), f"{path}:{node.lineno}"
                    code = keyword.value.value
                elif issubclass(error_class, core.errors.NotFound):
                    kind = call.args[0]
                    assert isinstance(kind, ast.Constant), f"{path}:{node.lineno}: literal kind"
                    code = f"unknown_{kind.value}"
                codes[code] = _status_of(error_class)
            elif (
                isinstance(node, ast.Call)
                and _called_name(node) not in CLASS_CHECKS
                and any(isinstance(arg, ast.Name) and arg.id in classes for arg in node.args)
            ):
                # An error class handed to a reader that raises it, such as
                # `read_document(path, CatalogueError)`.
                for arg in node.args:
                    if isinstance(arg, ast.Name) and arg.id in classes:
                        codes[classes[arg.id].code] = _status_of(classes[arg.id])
            elif isinstance(node, ast.Call) and any(
                isinstance(arg, ast.Call)
                and isinstance(arg.func, ast.Name)
                and arg.func.id == "error_body"
                for arg in node.args
            ):
                body = next(a for a in node.args if isinstance(a, ast.Call))
                first = body.args[0]
                if not isinstance(first, ast.Constant):
                    continue
                status = next(k.value for k in node.keywords if k.arg == "status_code")
                assert isinstance(status, ast.Constant), f"{path}:{node.lineno}"
                codes[first.value] = status.value
    return codes
