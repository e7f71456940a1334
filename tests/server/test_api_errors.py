"""Every bad input gets a 4xx with a stable code, and changes nothing."""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Callable

import httpx
import pytest

from core.clock import ManualClock
from server.store.database import database_path
from tests.conftest import Staff
from tests.support.running_server import RunningServer


def database_state(server: RunningServer) -> tuple:
    conn = sqlite3.connect(database_path(server.data_dir))
    try:
        return (
            conn.execute("SELECT * FROM tickets ORDER BY id").fetchall(),
            conn.execute("SELECT * FROM counter_states ORDER BY counter_id").fetchall(),
            conn.execute("SELECT COUNT(*) FROM events").fetchone(),
            conn.execute("SELECT COUNT(*) FROM idempotency").fetchone(),
        )
    finally:
        conn.close()


@pytest.fixture
def waiting_ticket(server: RunningServer, staff: Staff) -> dict:
    with server.client(staff.kiosk) as http:
        return http.post("/tickets", json={"service_id": "residence"}).json()


Request = Callable[[httpx.Client, dict], httpx.Response]
CASES: list[tuple[str, str, Request, int, str]] = [
    (
        "malformed JSON",
        "kiosk",
        lambda h, t: h.post(
            "/tickets", content=b'{"service_id": ', headers={"content-type": "application/json"}
        ),
        400,
        "malformed_json",
    ),
    (
        "unknown service",
        "kiosk",
        lambda h, t: h.post("/tickets", json={"service_id": "ghost"}),
        404,
        "unknown_service",
    ),
    (
        "missing field",
        "kiosk",
        lambda h, t: h.post("/tickets", json={"language": "lv"}),
        422,
        "invalid_input",
    ),
    (
        "unknown field",
        "kiosk",
        lambda h, t: h.post("/tickets", json={"service_id": "residence", "colour": "red"}),
        422,
        "invalid_input",
    ),
    (
        "wrong type",
        "kiosk",
        lambda h, t: h.post("/tickets", json={"service_id": "residence", "priority": "yes"}),
        422,
        "invalid_input",
    ),
    (
        "bad language",
        "kiosk",
        lambda h, t: h.post("/tickets", json={"service_id": "residence", "language": "de"}),
        422,
        "invalid_input",
    ),
    (
        "oversized field",
        "kiosk",
        lambda h, t: h.post("/tickets", json={"service_id": "x" * 65}),
        422,
        "invalid_input",
    ),
    (
        "oversized body",
        "kiosk",
        lambda h, t: h.post("/tickets", json={"service_id": "residence", "pad": "x" * 70_000}),
        413,
        "body_too_large",
    ),
    ("unknown ticket", "clerk", lambda h, t: h.post("/tickets/nope/start"), 404, "unknown_ticket"),
    ("unknown ticket read", "kiosk", lambda h, t: h.get("/tickets/nope"), 404, "unknown_ticket"),
    (
        "unknown action",
        "clerk",
        lambda h, t: h.post(f"/tickets/{t['id']}/explode"),
        404,
        "unknown_action",
    ),
    (
        "unknown counter",
        "manager",
        lambda h, t: h.post("/counters/c99/call-next"),
        404,
        "unknown_counter",
    ),
    (
        "unknown counter action",
        "clerk",
        lambda h, t: h.post("/counters/c1/dance"),
        404,
        "unknown_action",
    ),
    (
        "illegal transition",
        "clerk",
        lambda h, t: h.post(f"/tickets/{t['id']}/finish"),
        409,
        "illegal_transition",
    ),
    (
        "call at a closed counter",
        "clerk",
        lambda h, t: h.post("/counters/c1/call-next"),
        409,
        "counter_not_open",
    ),
    (
        "oversized note",
        "clerk",
        lambda h, t: h.post(f"/tickets/{t['id']}/cancel", json={"note": "n" * 1001}),
        422,
        "invalid_input",
    ),
    (
        "transfer to nowhere",
        "clerk",
        lambda h, t: h.post(f"/tickets/{t['id']}/transfer", json={}),
        422,
        "invalid_input",
    ),
    (
        "transfer to unknown service",
        "clerk",
        lambda h, t: h.post(f"/tickets/{t['id']}/transfer", json={"service_id": "ghost"}),
        404,
        "unknown_service",
    ),
    (
        "bad idempotency key",
        "kiosk",
        lambda h, t: h.post(
            "/tickets", json={"service_id": "residence"}, headers={"Idempotency-Key": "k" * 101}
        ),
        422,
        "invalid_input",
    ),
    (
        "bad Last-Event-ID",
        "kiosk",
        lambda h, t: h.get("/events", headers={"Last-Event-ID": "abc"}),
        422,
        "invalid_input",
    ),
    ("wrong method", "kiosk", lambda h, t: h.delete("/tickets"), 405, "method_not_allowed"),
    ("unknown path", "kiosk", lambda h, t: h.get("/nothing-here"), 404, "not_found"),
]


@pytest.mark.parametrize(
    ("name", "who", "request_", "status", "code"), CASES, ids=[c[0] for c in CASES]
)
def test_bad_input_is_refused_and_changes_nothing(
    server: RunningServer,
    staff: Staff,
    waiting_ticket: dict,
    name: str,
    who: str,
    request_: Request,
    status: int,
    code: str,
) -> None:
    token = {"kiosk": staff.kiosk, "clerk": staff.clerk("c1"), "manager": staff.manager}[who]
    before = database_state(server)
    with server.client(token) as http:
        response = request_(http, waiting_ticket)
    assert response.status_code == status, response.text
    body = response.json()
    assert body["code"] == code and body["message"]
    assert database_state(server) == before


def test_daily_cap_reached(tmp_path, clock: ManualClock) -> None:
    from core.catalogue import load_catalogue_text
    from tests.support.catalogues import single_service_toml

    catalogue = load_catalogue_text(single_service_toml(1, daily_cap=2))
    with RunningServer(tmp_path / "d", clock=clock, catalogue=catalogue) as server:
        token = server.add_device("k", "kiosk")
        with server.client(token) as http:
            for _ in range(2):
                assert http.post("/tickets", json={"service_id": "residence"}).status_code == 201
            before = database_state(server)
            refused = http.post("/tickets", json={"service_id": "residence"})
            assert refused.status_code == 409 and refused.json()["code"] == "daily_cap_reached"
            snapshot = http.get("/queue").json()
        assert snapshot["services"][0]["unavailable_reason"] == "daily_cap_reached"
        assert database_state(server) == before


def test_closed_centre_and_closed_service(tmp_path, clock: ManualClock) -> None:
    from datetime import UTC, datetime

    from tests.support.catalogues import demo_catalogue

    catalogue = demo_catalogue()
    # Sunday 22 November 2026 at noon: the demo centre is closed on Sundays.
    clock.set(datetime(2026, 11, 22, 10, 0, tzinfo=UTC))
    with RunningServer(tmp_path / "d", clock=clock, catalogue=catalogue) as server:
        token = server.add_device("k", "kiosk")
        with server.client(token) as http:
            refused = http.post("/tickets", json={"service_id": "residence"})
            assert refused.status_code == 409 and refused.json()["code"] == "centre_closed"
            assert "opens at 2026-11-23 08:30" in refused.json()["message"]
            # Monday 10:00: open, but the building board only works Tuesday and Thursday.
            clock.set(datetime(2026, 11, 23, 8, 0, tzinfo=UTC))
            closed = http.post("/tickets", json={"service_id": "building-board"})
            assert closed.status_code == 409 and closed.json()["code"] == "service_closed"
            assert http.post("/tickets", json={"service_id": "residence"}).status_code == 201


def test_cut_off_when_the_wait_would_run_past_closing(tmp_path, clock: ManualClock) -> None:
    from datetime import UTC, datetime

    from tests.support.catalogues import demo_catalogue

    # Friday 27 November 2026, 14:30 local; the centre closes at 15:00.
    clock.set(datetime(2026, 11, 27, 12, 30, tzinfo=UTC))
    with RunningServer(tmp_path / "d", clock=clock, catalogue=demo_catalogue()) as server:
        kiosk = server.add_device("k", "kiosk")
        server.add_user("clerk", "clerk", counter_id="c3")
        clerk = server.login("clerk")
        with server.client(clerk) as http:
            http.post("/counters/c3/open").raise_for_status()
        with server.client(kiosk) as http:
            # Social assistance takes 18 minutes at the only open counter: the second
            # visitor would be called at 14:48, the third at 15:06, past closing.
            assert (
                http.post("/tickets", json={"service_id": "social-assistance"}).status_code == 201
            )
            assert (
                http.post("/tickets", json={"service_id": "social-assistance"}).status_code == 201
            )
            snapshot = http.get("/queue").json()
            social = next(s for s in snapshot["services"] if s["service_id"] == "social-assistance")
            assert social["unavailable_reason"] == "service_cut_off"
            refused = http.post("/tickets", json={"service_id": "social-assistance"})
            assert refused.status_code == 409 and refused.json()["code"] == "service_cut_off"


def test_an_error_body_quoting_what_no_text_is_still_sent() -> None:
    """A field name or message may quote the client's input; the error handler must
    not fail on it (a lone surrogate once made it fail in turn)."""
    from fastapi.responses import JSONResponse

    from server.api.errors import error_body

    body = error_body("invalid_input", "bad \ud800", fields={"x\udfff": "unknown_field"})
    sent = json.loads(JSONResponse(body).body)
    assert sent["message"] == "bad \\ud800"  # shown as its escape
    assert sent["fields"] == {"x\\udfff": "unknown_field"}
