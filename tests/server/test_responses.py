"""Every route declares what it answers, and what it really answers matches.

The OpenAPI document is generated from the response models (for what terminals and the
hub read: from the wire views of `core.wire`), which refuse undeclared members and
require every declared one. A real server is then driven through a working day that
calls every JSON route, and each answer is checked against the schema the server
publishes (`/api/v1/openapi.json`), and each terminal-facing answer and every event
logged on the way is decoded strictly by its wire view (so the views' encoders write
exactly the views).
"""

from __future__ import annotations

import sqlite3
import typing
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

import jsonschema_rs
import pytest
from fastapi.responses import StreamingResponse
from fastapi.routing import APIRoute
from pydantic import BaseModel

from core.clock import ManualClock
from core.wire.codec import decode
from core.wire.events import decode_event
from core.wire.payloads import (
    ApplicationStatusView,
    ApplicationTypeView,
    CentreView,
    CertificateAuthorityView,
    CounterStateView,
    CounterView,
    HealthView,
    LiveTicketView,
    LodgedView,
    PairingRequestView,
    PairingStateView,
    PrincipalView,
    QueueView,
    RatingView,
    ServiceView,
    VisitView,
)
from server.store.database import database_path
from server.store.events import events_after
from tests.conftest import Staff
from tests.support.api_contract import code_routes
from tests.support.catalogues import RIGA, always_open
from tests.support.running_server import RunningServer

BOARD_NOON = datetime(2026, 11, 23, 14, 0, tzinfo=RIGA)
"""A building-board slot four hours after the test clock's 10:00."""
WIRE_VIEWS: dict[tuple[str, str], type] = {
    ("GET", "/health"): HealthView,
    ("GET", "/services"): ServiceView,
    ("GET", "/counters"): CounterView,
    ("GET", "/centre"): CentreView,
    ("GET", "/queue"): QueueView,
    ("POST", "/tickets"): LiveTicketView,
    ("GET", "/tickets/{ticket_id}"): LiveTicketView,
    ("POST", "/tickets/{ticket_id}/print-result"): LiveTicketView,
    ("POST", "/tickets/{ticket_id}/{action}"): LiveTicketView,
    ("POST", "/counters/{counter_id}/call-next"): LiveTicketView,
    ("POST", "/counters/{counter_id}/walk-direct"): LiveTicketView,
    ("GET", "/counters/{counter_id}/waiting"): LiveTicketView,
    ("POST", "/counters/{counter_id}/{action}"): CounterStateView,
    ("GET", "/application-types"): ApplicationTypeView,
    ("POST", "/applications"): LodgedView,
    ("POST", "/applications/lookup"): ApplicationStatusView,
    ("GET", "/feedback/visit"): VisitView,
    ("GET", "/session"): PrincipalView,
    ("GET", "/pairing/ca"): CertificateAuthorityView,
    ("POST", "/pairings"): PairingRequestView,
    ("POST", "/pairings/{pairing_id}/collect"): PairingStateView,
    ("POST", "/feedback"): RatingView,
}
"""What terminals read, and the wire view each answer must decode into strictly."""


def answers_json(route: APIRoute) -> bool:
    """Whether the route answers with a JSON body (not 204, CSV or a stream)."""
    if route.status_code == 204:
        return False
    return route.response_class not in (StreamingResponse,) and not (
        route.responses.get(200, {}).get("content", {}).get("text/csv")
    )


def declares_a_model(route: APIRoute) -> bool:
    """Whether the route's response model is a model (or a list of one), not nothing and
    not the `dict[str, Any]` FastAPI reads from a return annotation, which says nothing."""
    model = route.response_model
    if typing.get_origin(model) is list:
        (model,) = typing.get_args(model)
    return isinstance(model, type) and issubclass(model, BaseModel)


def test_every_json_route_declares_its_response_model() -> None:
    missing = sorted(
        f"{method} {path}"
        for (method, path), route in code_routes().items()
        if answers_json(route) and not declares_a_model(route)
    )
    assert missing == []


def test_the_declaration_check_catches_a_route_without_a_model() -> None:
    """A route that returns a dict, with or without `dict[str, Any]` as its annotation, is
    found (the kind of fault: 29 of the 36 JSON routes once declared no real model)."""

    def untyped() -> dict[str, Any]:
        return {}

    for endpoint in (lambda: {}, untyped):
        route = APIRoute("/x", endpoint=endpoint, methods=["GET"])
        assert answers_json(route) and not declares_a_model(route)


@dataclass
class Calls:
    """A client that records each answer under its route, for checking afterwards."""

    server: RunningServer
    answers: list[tuple[str, str, int, Any]] = field(default_factory=list)

    def __call__(
        self,
        token: str | None,
        method: str,
        template: str,
        *,
        path: dict[str, str] | None = None,
        expect: int = 200,
        **kwargs: Any,
    ) -> Any:
        url = template.format(**(path or {}))
        with self.server.client(token) as http:
            response = http.request(method, url, **kwargs)
        assert response.status_code == expect, f"{method} {url}: {response.text}"
        body = response.json() if response.content else None
        self.answers.append((method, template.partition("?")[0], response.status_code, body))
        return body


def working_day(server: RunningServer, staff: Staff, clock: ManualClock) -> Calls:
    """Call every JSON route at least once, as the parts of Rinda do in a day."""
    call = Calls(server)
    admin, manager, kiosk = staff.admin, staff.manager, staff.kiosk
    clerk, feedback = staff.clerk("c1"), staff.feedback
    call(None, "GET", "/health")
    call(admin, "POST", "/admin/users", expect=201, json={
        "username": "anna", "role": "clerk", "password": "a long enough secret",
        "display_name": "Anna", "counter_id": "c2",
    })  # fmt: skip
    call(admin, "GET", "/admin/users")
    call(admin, "POST", "/admin/devices", expect=201, json={"name": "kiosk-9", "role": "kiosk"})
    call(admin, "GET", "/admin/devices")
    call(admin, "POST", "/admin/hours", expect=201, json={
        "date": "2031-12-24", "hours": ["09:00-12:00"], "note": "Christmas Eve"
    })  # fmt: skip
    call(admin, "GET", "/admin/hours")
    call(manager, "PUT", "/display/ticker", json={"text": "Welcome"})
    call(None, "POST", "/session", json={"username": "anna", "password": "a long enough secret"})
    call(manager, "GET", "/session")
    for read in ("/services", "/counters", "/centre", "/queue", "/application-types"):
        call(kiosk, "GET", read)
    call(kiosk, "POST", "/devices/me/status", json={"printer": "near_end", "detail": "paper"})
    issued = [
        call(kiosk, "POST", "/tickets", expect=201, json={"service_id": "residence"})
        for _ in range(3)
    ]
    call(kiosk, "POST", "/tickets/{ticket_id}/print-result", path={"ticket_id": issued[0]["id"]},
         json={"printed": False, "error": "paper out"})  # fmt: skip
    lodged = call(kiosk, "POST", "/applications", expect=201, json={
        "type_id": "certificate-request",
        "fields": {"name": "Jānis Bērziņš", "personal_code": "120389-11220",
                   "phone": "+371 20000000", "text": "Lūdzu izziņu.", "delivery": "in_person"},
        "consent": True,
    })  # fmt: skip
    call(None, "POST", "/applications/lookup", json={
        "registration_number": lodged["registration_number"], "secret": lodged["secret"]
    })  # fmt: skip
    call(
        clerk,
        "POST",
        "/counters/{counter_id}/{action}",
        path={"counter_id": "c1", "action": "open"},
    )
    call(clerk, "GET", "/counters/{counter_id}/waiting", path={"counter_id": "c1"})
    called = call(clerk, "POST", "/counters/{counter_id}/call-next", path={"counter_id": "c1"})
    call(clerk, "GET", "/queue")  # a counter holding a called ticket
    ticket = {"ticket_id": called["id"]}
    call(clerk, "GET", "/tickets/{ticket_id}", path=ticket)
    call(clerk, "POST", "/tickets/{ticket_id}/{action}", path={**ticket, "action": "start"})
    clock.advance(timedelta(minutes=6))
    call(clerk, "POST", "/tickets/{ticket_id}/{action}", path={**ticket, "action": "finish"},
         json={"delivered_service": "Residence declared"})  # fmt: skip
    call(feedback, "GET", "/feedback/visit?number={number}", path={"number": called["number"]})
    call(feedback, "POST", "/feedback", expect=201, json={"ticket_id": called["id"], "rating": 5})
    call(clerk, "POST", "/counters/{counter_id}/walk-direct", path={"counter_id": "c1"},
         expect=201, json={"service_id": "residence"})  # fmt: skip
    call(clerk, "POST", "/tickets/{ticket_id}/{action}",
         path={"ticket_id": issued[1]["id"], "action": "cancel"})  # fmt: skip
    call(manager, "GET", "/devices")
    call(manager, "GET", "/overview")
    for group in ("service", "day", "clerk"):
        call(manager, "GET", "/stats?group={group}", path={"group": group})
    call(manager, "GET", "/stats/applications")
    call(manager, "GET", "/applications")
    call(manager, "GET", "/applications/{application_id}", path={"application_id": lodged["id"]})
    call(manager, "POST", "/applications/{application_id}/status",
         path={"application_id": lodged["id"]}, json={"status": "in_progress"})  # fmt: skip
    call(manager, "GET", "/applications/audit")
    booking_day(call, manager, kiosk, clerk)
    pairing_day(call, admin)
    return call


def booking_day(call: Calls, manager: str, kiosk: str, clerk: str) -> None:
    """A resident books, looks at and cancels an appointment (no token); another booking
    is checked in at the kiosk (too early: told when) and marked arrived by a clerk."""
    call(None, "GET", "/appointments/services")
    service = {"service_id": "building-board"}
    call(None, "GET", "/appointments/days?service_id={service_id}", path=service)
    slot = BOARD_NOON.isoformat()
    call(None, "GET", "/appointments/slots?service_id={service_id}&day={day}",
         path={**service, "day": BOARD_NOON.date().isoformat()})  # fmt: skip
    held = call(None, "POST", "/appointments/holds", expect=201,
                json={**service, "starts_at": slot})  # fmt: skip
    booked = call(None, "POST", "/appointments/holds/{hold_id}/confirm", expect=201,
                  path={"hold_id": held["hold_id"]},
                  json={"name": "Anna Bērziņa", "phone": "+371 2000 0000", "language": "lv"})  # fmt: skip
    token = {"token": booked["manage_token"]}
    call(None, "GET", "/appointments/manage/{token}", path=token)
    call(None, "POST", "/appointments/manage/{token}/cancel", path=token)
    later = (BOARD_NOON + timedelta(minutes=30)).isoformat()
    held = call(None, "POST", "/appointments/holds", expect=201,
                json={**service, "starts_at": later})  # fmt: skip
    booked = call(None, "POST", "/appointments/holds/{hold_id}/confirm", expect=201,
                  path={"hold_id": held["hold_id"]},
                  json={"name": "Ivan Petrov", "email": "ivan@example.lv", "language": "ru"})  # fmt: skip
    call(kiosk, "POST", "/appointments/check-in", json={"code": booked["code"], "language": "ru"})
    call(clerk, "GET", "/counters/{counter_id}/bookings", path={"counter_id": "c1"})
    call(clerk, "POST", "/appointments/{appointment_id}/check-in",
         path={"appointment_id": booked["id"]}, json={"language": "ru"})  # fmt: skip
    call(manager, "GET", "/stats/appointments")
    call(manager, "GET", "/notifications")


def pairing_day(call: Calls, admin: str) -> None:
    """A terminal asks to be paired over TLS; an admin confirms; it collects its token."""
    call(None, "GET", "/pairing/ca")
    made = call(None, "POST", "/pairings", expect=201,
                json={"name": "kiosk-7", "role": "kiosk", "nonce": "ab" * 16})  # fmt: skip
    call(admin, "GET", "/admin/pairings")
    call(admin, "POST", "/admin/pairings/{pairing_id}/{decision}",
         path={"pairing_id": made["id"], "decision": "confirm"})  # fmt: skip
    call(None, "POST", "/pairings/{pairing_id}/collect", path={"pairing_id": made["id"]},
         json={"secret": made["secret"]})  # fmt: skip


def schema_checker(server: RunningServer) -> Callable[[str, str, int, Any], list[str]]:
    """Checks an answer against the schema the server publishes for its route and status."""
    with server.client() as http:
        document = http.get("/openapi.json").json()

    def check(method: str, template: str, status: int, body: Any) -> list[str]:
        operation = document["paths"][f"/api/v1{template}"][method.lower()]
        content = operation["responses"][str(status)].get("content", {})
        schema = content.get("application/json", {}).get("schema")
        if schema is None:
            return [f"{method} {template} {status}: no JSON schema published"]
        validator = jsonschema_rs.Draft202012Validator(
            {**schema, "components": document["components"]}, validate_formats=True
        )
        return [
            f"{method} {template} {status}: {error.message} at {list(error.instance_path)}"
            for error in validator.iter_errors(body)
        ]

    return check


@pytest.fixture
def centre(tmp_path: Path, clock: ManualClock) -> Iterator[RunningServer]:
    """A centre serving HTTPS (so terminals can be paired) and taking bookings."""
    with RunningServer(
        tmp_path / "data",
        clock=clock,
        catalogue=always_open(),
        tls=True,
        bookings_per_minute=1000,
    ) as running:
        yield running


@pytest.fixture
def day(centre: RunningServer, clock: ManualClock) -> Calls:
    return working_day(centre, Staff(centre), clock)


def test_every_json_route_is_exercised(day: Calls) -> None:
    exercised = {(method, template) for method, template, _, _ in day.answers}
    json_routes = {key for key, route in code_routes().items() if answers_json(route)}
    assert json_routes - exercised == set()


def test_every_answer_matches_its_published_schema(centre: RunningServer, day: Calls) -> None:
    check = schema_checker(centre)
    problems = [p for answer in day.answers for p in check(*answer)]
    assert problems == []


def test_the_schema_check_catches_an_undeclared_or_missing_member(
    centre: RunningServer, day: Calls
) -> None:
    """An answer with a member the model does not declare, or without one it does, fails
    (the old ticket model declared 13 of the ticket's 33 members)."""
    check = schema_checker(centre)
    ticket = next(body for m, t, _, body in day.answers if (m, t) == ("POST", "/tickets"))
    assert check("POST", "/tickets", 201, ticket) == []
    assert check("POST", "/tickets", 201, {**ticket, "surprise": 1}) != []
    assert check("POST", "/tickets", 201, {k: v for k, v in ticket.items() if k != "note"}) != []


def test_terminal_answers_decode_strictly_into_their_wire_views(day: Calls) -> None:
    seen = set()
    for method, template, _, body in day.answers:
        view = WIRE_VIEWS.get((method, template))
        if view is None or body is None:
            continue
        for item in body if isinstance(body, list) else [body]:
            decode(view, item, strict=True)
        seen.add((method, template))
    assert seen == set(WIRE_VIEWS)


def test_every_logged_event_decodes_strictly(centre: RunningServer, day: Calls) -> None:
    conn = sqlite3.connect(database_path(centre.data_dir))
    try:
        events = events_after(conn, 0, 10_000)
    finally:
        conn.close()
    types = {event.type for event in events}
    assert {"ticket.issued", "ticket.print_failed", "counter.opened", "feedback.given"} <= types
    assert {"user.added", "device.added", "hours.exception_added", "display.ticker"} <= types
    assert {"application.lodged", "application.status", "device.status"} <= types
    for event in events:
        decoded = decode_event(event.as_json(), strict=True)
        assert decoded.seq == event.seq
