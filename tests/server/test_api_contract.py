"""docs/api.md is the real contract: routes, who may call them, error codes, event types.

Datasette checks its documentation against its code the same way: the docs are
parsed, the code is introspected, and any difference either way fails.
"""

from __future__ import annotations

import pytest

from core.events import EVENT_TYPES
from server.auth import Role
from tests.support.api_contract import (
    API_DOC,
    GROUPS,
    NO_TOKEN,
    authenticates,
    code_routes,
    documented_codes,
    documented_event_types,
    documented_routes,
    permissions_of,
    raised_codes,
    roles_holding,
)
from tests.support.running_server import RunningServer

ALL_ROLES = frozenset(GROUPS["any token"])


def route_differences(doc_text: str, server: RunningServer) -> list[str]:
    """Every disagreement between the docs' route tables and the code, as sentences."""
    problems: list[str] = []
    documented = {(r.method, r.path): r for r in documented_routes(doc_text)}
    routes = code_routes()
    for key in sorted(set(routes) - set(documented)):
        problems.append(f"{key[0]} {key[1]} is in the code but not in docs/api.md")
    for key in sorted(set(documented) - set(routes)):
        problems.append(f"{key[0]} {key[1]} is in docs/api.md but not in the code")
    with server.client() as anonymous:
        for key in sorted(set(routes) & set(documented)):
            route, doc = routes[key], documented[key]
            permissions = permissions_of(route.dependant)
            if permissions:
                who = roles_holding(permissions)
            elif authenticates(route.dependant):
                who = ALL_ROLES
            else:  # no dependency says: ask the route itself whether it wants a token
                path = key[1].replace("{", "").replace("}", "")
                status = anonymous.request(key[0], path).status_code
                who = ALL_ROLES if status == 401 else frozenset()
            if who != doc.who:
                problems.append(
                    f"{key[0]} {key[1]}: the code lets {sorted(who) or NO_TOKEN}, "
                    f"docs/api.md says {sorted(doc.who) or NO_TOKEN}"
                )
            if doc.public and permissions:
                problems.append(f"{key[0]} {key[1]}: documented as 'no token' but checks a role")
    return problems


def test_every_route_and_role_rule_in_the_code_is_in_the_docs_and_back(
    server: RunningServer,
) -> None:
    assert route_differences(API_DOC.read_text(), server) == []


def test_the_route_check_catches_a_disagreement(server: RunningServer) -> None:
    """The check itself must fail on docs that say staff may rate a visit, or that
    forget a route (the two kinds of mismatch the docs once had)."""
    text = API_DOC.read_text()
    wrong_role = text.replace(
        "| `POST /feedback` `{ticket_id, rating}` | feedback |",
        "| `POST /feedback` `{ticket_id, rating}` | feedback, staff |",
    )
    assert wrong_role != text
    assert route_differences(wrong_role, server) == [
        "POST /feedback: the code lets ['feedback'], docs/api.md says "
        "['admin', 'clerk', 'feedback', 'manager']"
    ]
    forgotten = "\n".join(
        line for line in text.splitlines() if not line.startswith("| `GET /overview`")
    )
    assert route_differences(forgotten, server) == [
        "GET /overview is in the code but not in docs/api.md"
    ]


def test_the_openapi_document_has_exactly_the_api_routes(server: RunningServer) -> None:
    with server.client() as http:
        schema = http.get("/openapi.json").json()
    published = {
        (method.upper(), path.removeprefix("/api/v1"))
        for path, operations in schema["paths"].items()
        for method in operations
    }
    assert published == set(code_routes())


def test_every_error_code_in_the_code_is_documented_with_its_status_and_back() -> None:
    raised, documented = raised_codes(), documented_codes()
    assert {c: s for c, s in raised.items() if documented.get(c) != s} == {}
    assert {c: s for c, s in documented.items() if raised.get(c) != s} == {}


def test_every_event_type_is_documented_and_back() -> None:
    assert documented_event_types() == set(EVENT_TYPES)


@pytest.mark.parametrize(
    ("method", "path", "body"),
    [
        ("POST", "/devices/me/status", {"printer": "paper_out", "detail": "forged"}),
        ("POST", "/feedback", {"ticket_id": "x", "rating": 5}),
        ("POST", "/tickets/x/print-result", {"printed": True}),
        ("GET", "/feedback/visit?number=A001", None),
    ],
)
@pytest.mark.parametrize("role", [Role.ADMIN, Role.MANAGER, Role.CLERK])
def test_no_person_does_what_only_a_terminal_does(
    server: RunningServer, staff, method: str, path: str, body: dict | None, role: Role
) -> None:
    token = {Role.ADMIN: staff.admin, Role.MANAGER: staff.manager, Role.CLERK: staff.clerk("c1")}[
        role
    ]
    with server.client(token) as http:
        response = http.request(method, path, json=body)
    assert response.status_code == 403, response.text
    assert response.json()["code"] == "forbidden"
