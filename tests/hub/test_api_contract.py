"""docs/hub-api.md is the hub's real contract: its routes, who may call each, and its
error codes, checked against the running hub both ways (as docs/api.md is for a
centre: tests/server/test_api_contract.py).

Who may call a route is asked of the hub itself: every route is called with no
token, a centre's token, an analyst's and an admin's, each with a valid request; a
caller the hub does not refuse (401, 403) may call it."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from core.data import national_catalogue_text
from hub.app import API_ROUTERS
from tests.support.api_contract import (
    ROOT,
    documented_codes,
    documented_routes,
    raised_codes,
)
from tests.support.postgres_fixtures import TEMPLATE
from tests.support.running_hub import RunningHub

HUB_DOC = ROOT / "docs" / "hub-api.md"
ROLES = {"centre", "analyst", "admin", "institution"}
GROUPS = {
    "any token": set(ROLES),
    "reader": {"analyst", "admin"},
    "no token": set(),
}
USERS = {"analyst": "anna", "admin": "root", "institution": "olga"}
PROFILE = {"timezone": "Europe/Riga", "services": [], "counters": 1}
EVENT = {
    "seq": 1,
    "type": "display.ticker",
    "at": "2026-11-23T08:00:00+00:00",
    "schema_version": 1,
    "data": {},
}
PROBES: dict[tuple[str, str], dict | None] = {
    ("GET", "/health"): None,
    ("POST", "/session"): {"username": "anna", "password": "correct horse"},
    ("GET", "/session"): None,
    ("DELETE", "/session"): None,
    ("PUT", "/centres/{centre_id}/profile"): PROFILE,
    ("GET", "/centres/{centre_id}/position"): None,
    ("POST", "/centres/{centre_id}/events"): {"after": 0, "through": 1, "events": [EVENT]},
    ("POST", "/centres/{centre_id}/heartbeat"): {"log_end": 1},
    ("GET", "/network/centres"): None,
    ("GET", "/network/live"): None,
    ("GET", "/network/stream"): None,
    ("GET", "/network/stats"): None,
    ("GET", "/network/stats.csv"): None,
    ("GET", "/catalogue"): None,
    ("GET", "/catalogue/versions"): None,
    ("GET", "/catalogue/versions/{number}"): None,
    ("GET", "/catalogue/versions/{number}/changes"): None,
    ("POST", "/catalogue/versions"): {"document": "[oops", "note": "probe"},
    ("POST", "/catalogue/rollback"): {"version": 1, "note": "probe"},
    ("PUT", "/centres/{centre_id}/catalogue"): {"version": 1},
    ("POST", "/centres/{centre_id}/applications"): {
        "registration_number": "KAC/2026/000001",
        "type_id": "certificate-request",
        "service_id": "certificates",
        "department_id": "registry",
        "language": "lv",
        "lodged_at": "2026-11-23T08:00:00+00:00",
        "answer_deadline": "2026-12-03",
        "fields": {"name": "Probe"},
        "receipt_verifier": "0" * 32 + "$" + "0" * 64,
    },
    ("GET", "/centres/{centre_id}/application-updates"): None,
    ("POST", "/status-lookups"): {"registration_number": "KAC/2026/000001", "secret": "AB"},
    ("GET", "/applications"): None,
    ("GET", "/applications.csv"): None,
    ("GET", "/applications/audit"): None,
    ("GET", "/applications/{application_id}"): None,
    ("POST", "/applications/{application_id}/status"): {"status": "in_progress"},
    ("POST", "/applications/{application_id}/notes"): {"note": "probe"},
}
"""A valid request for each route (a new route needs one here)."""
SHARED = [
    ROOT / "core" / "days.py",
    ROOT / "core" / "national.py",
    ROOT / "core" / "free_text.py",
    ROOT / "server" / "ratelimit.py",
    ROOT / "server" / "api" / "errors.py",
    ROOT / "server" / "api" / "json_body.py",
]
"""Modules of the centre's that the hub's requests pass through."""


def code_routes() -> set[tuple[str, str]]:
    return {
        (method, route.path)  # type: ignore[attr-defined]
        for router in API_ROUTERS
        for route in router.routes
        for method in route.methods  # type: ignore[attr-defined]
    }


@pytest.fixture(scope="module")
def hub(pg_cluster) -> Iterator[RunningHub]:
    dsn = pg_cluster.create_database(template=TEMPLATE)
    with RunningHub(dsn) as running:
        running.tokens = {"centre": running.add_centre("riga", "Rīga")}  # type: ignore[attr-defined]
        running.add_user("anna", "analyst")
        running.add_user("root", "admin")
        with running.client(running.login("root")) as admin:
            admin.post(
                "/catalogue/versions", json={"document": national_catalogue_text(), "note": "1"}
            ).raise_for_status()
        running.add_user("olga", "institution", institution="registry")
        with running.client(running.tokens["centre"]) as http:  # type: ignore[attr-defined]
            http.put("/centres/riga/profile", json=PROFILE).raise_for_status()
        yield running
    pg_cluster.drop_database(dsn)


def credential(hub: RunningHub, who: str, *, fresh: bool) -> str | None:
    """The caller's token (a new session when the call may end it)."""
    tokens: dict[str, str] = hub.tokens  # type: ignore[attr-defined]
    if who == "none":
        return None
    if who == "centre":
        return tokens[who]
    if fresh:
        return hub.login(USERS[who])
    if who not in tokens:
        tokens[who] = hub.login(USERS[who])
    return tokens[who]


def allowed(hub: RunningHub, method: str, path: str, who: str) -> bool:
    token = credential(hub, who, fresh=(method, path) == ("DELETE", "/session"))
    body = PROBES[(method, path)]
    url = (
        path.replace("{centre_id}", "riga")
        .replace("{number}", "1")
        .replace("{application_id}", "no-such-application")
    )
    with hub.client(token) as http:
        if path == "/network/stream":
            with http.stream(method, url) as response:
                status = response.status_code
        else:
            status = http.request(method, url, json=body).status_code
    assert status < 500, (method, path, who, status)
    return status not in (401, 403)


def route_differences(text: str, hub: RunningHub) -> list[str]:
    problems = []
    documented = {(r.method, r.path): r for r in documented_routes(text, GROUPS, ROLES)}
    routes = code_routes()
    for key in sorted(routes - set(documented)):
        problems.append(f"{key[0]} {key[1]} is in the code but not in docs/hub-api.md")
    for key in sorted(set(documented) - routes):
        problems.append(f"{key[0]} {key[1]} is in docs/hub-api.md but not in the code")
    for key in sorted(routes & set(documented)):
        assert key in PROBES, f"give {key} a valid request in PROBES"
        doc = documented[key]
        if allowed(hub, *key, "none"):
            if not doc.public:
                problems.append(
                    f"{key[0]} {key[1]}: needs no token, the docs say {sorted(doc.who)}"
                )
            continue
        who = {role for role in sorted(ROLES) if allowed(hub, *key, role)}
        if doc.public or who != doc.who:
            problems.append(
                f"{key[0]} {key[1]}: the hub lets {sorted(who)}, docs/hub-api.md says "
                f"{'no token' if doc.public else sorted(doc.who)}"
            )
    return problems


def test_every_route_and_who_may_call_it_is_in_the_docs_and_back(hub: RunningHub) -> None:
    assert route_differences(HUB_DOC.read_text(), hub) == []


def test_the_route_check_catches_a_disagreement(hub: RunningHub) -> None:
    text = HUB_DOC.read_text()
    row = "| `GET /network/live?municipality=` | reader |"
    wrong = text.replace(row, row.replace("reader", "any token"))
    assert wrong != text
    assert route_differences(wrong, hub) == [
        "GET /network/live: the hub lets ['admin', 'analyst'], docs/hub-api.md says "
        "['admin', 'analyst', 'centre', 'institution']"
    ]
    forgotten = "\n".join(
        line for line in text.splitlines() if "`POST /centres/{centre_id}/heartbeat`" not in line
    )
    assert route_differences(forgotten, hub) == [
        "POST /centres/{centre_id}/heartbeat is in the code but not in docs/hub-api.md"
    ]


def test_the_openapi_document_has_exactly_the_api_routes(hub: RunningHub) -> None:
    schema = httpx.get(f"{hub.url}/api/v1/openapi.json").json()
    published = {
        (method.upper(), path.removeprefix("/api/v1"))
        for path, operations in schema["paths"].items()
        for method in operations
    }
    assert published == code_routes()


def test_every_error_code_is_documented_with_its_status_and_back() -> None:
    files = [*Path(ROOT / "hub").rglob("*.py"), *SHARED]
    raised = raised_codes(files)
    documented = documented_codes(HUB_DOC.read_text())
    assert {c: s for c, s in raised.items() if documented.get(c) != s} == {}
    assert {c: s for c, s in documented.items() if raised.get(c) != s} == {}
