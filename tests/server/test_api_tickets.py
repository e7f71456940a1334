"""The REST API against a real uvicorn server: the ticket lifecycle end to end."""

from __future__ import annotations

from datetime import timedelta

from core.clock import ManualClock
from tests.conftest import Staff
from tests.support.running_server import RunningServer


def issue(server: RunningServer, token: str, service_id: str = "residence", **extra) -> dict:
    with server.client(token) as http:
        response = http.post("/tickets", json={"service_id": service_id, "language": "lv", **extra})
    assert response.status_code == 201, response.text
    return response.json()


def test_issue_returns_a_numbered_ticket_with_position_and_estimate(
    server: RunningServer, staff: Staff
) -> None:
    with server.client(staff.clerk("c1")) as http:
        assert http.post("/counters/c1/open").status_code == 200
    first = issue(server, staff.kiosk)
    second = issue(server, staff.kiosk)
    assert (first["number"], second["number"]) == ("A001", "A002")
    for key in (
        "id",
        "number",
        "service_id",
        "status",
        "people_ahead",
        "estimated_wait_seconds",
        "issued_at",
        "counter_id",
    ):
        assert key in first
    assert first["status"] == "waiting" and first["counter_id"] is None
    assert (first["people_ahead"], second["people_ahead"]) == (0, 1)
    # Counter 1 serves three services; residence takes 8 minutes by the catalogue.
    assert second["estimated_wait_seconds"] == 8 * 60
    with server.client(staff.kiosk) as http:
        again = http.get(f"/tickets/{second['id']}").json()
    assert again["people_ahead"] == 1 and again["estimated_wait_seconds"] == 8 * 60


def test_full_visit_through_the_api(
    server: RunningServer, staff: Staff, clock: ManualClock
) -> None:
    ticket = issue(server, staff.kiosk, "certificates")
    with server.client(staff.clerk("c2")) as http:
        assert http.post("/counters/c2/call-next").status_code == 409  # closed counter
        http.post("/counters/c2/open").raise_for_status()
        clock.advance(timedelta(minutes=3))
        called = http.post("/counters/c2/call-next").json()
        assert called["id"] == ticket["id"] and called["status"] == "called"
        assert called["counter_id"] == "c2" and called["counter_label"] == "2"
        assert http.post(f"/tickets/{ticket['id']}/recall").json()["recall_count"] == 1
        assert http.post(f"/tickets/{ticket['id']}/start").json()["status"] == "serving"
        clock.advance(timedelta(minutes=4))
        done = http.post(
            f"/tickets/{ticket['id']}/finish",
            json={"delivered_service": "certificates", "note": "ok"},
        ).json()
        assert done["status"] == "done" and done["note"] == "ok"
        assert http.post("/counters/c2/call-next").status_code == 204
        counters = {c["id"]: c for c in http.get("/counters").json()}
        assert counters["c2"]["status"] == "open" and counters["c2"]["current_ticket_id"] is None


def test_park_resume_transfer_no_show_reactivate_cancel(
    server: RunningServer, staff: Staff
) -> None:
    first = issue(server, staff.kiosk)
    second = issue(server, staff.kiosk)
    with server.client(staff.manager) as http:
        for counter in ("c1", "c3"):
            http.post(f"/counters/{counter}/open").raise_for_status()
        http.post("/counters/c1/call-next").raise_for_status()
        assert http.post(f"/tickets/{first['id']}/park").json()["status"] == "parked"
        resumed = http.post(f"/tickets/{first['id']}/resume", json={"counter_id": "c1"}).json()
        assert resumed["status"] == "called" and resumed["counter_id"] == "c1"
        moved = http.post(
            f"/tickets/{first['id']}/transfer", json={"service_id": "social-assistance"}
        ).json()
        assert moved["status"] == "waiting" and moved["number"] == "A001"
        assert (
            moved["service_id"] == "social-assistance" and moved["issued_at"] == first["issued_at"]
        )
        at_c3 = http.post("/counters/c3/call-next").json()
        assert at_c3["id"] == first["id"]
        assert http.post(f"/tickets/{first['id']}/no-show").json()["status"] == "no_show"
        assert http.post(f"/tickets/{first['id']}/reactivate").json()["status"] == "waiting"
        assert http.post(f"/tickets/{first['id']}/cancel").json()["status"] == "cancelled"
        to_counter = http.post(
            f"/tickets/{second['id']}/transfer", json={"counter_id": "c3"}
        ).json()
        assert to_counter["target_counter_id"] == "c3"
        assert http.post("/counters/c3/call-next").json()["id"] == second["id"]


def test_call_a_specific_ticket_out_of_order(server: RunningServer, staff: Staff) -> None:
    issue(server, staff.kiosk)
    later = issue(server, staff.kiosk)
    with server.client(staff.clerk("c1")) as http:
        http.post("/counters/c1/open").raise_for_status()
        called = http.post(f"/tickets/{later['id']}/call").json()
        assert called["number"] == "A002" and called["counter_id"] == "c1"


def test_walk_direct_visit_is_recorded(server: RunningServer, staff: Staff) -> None:
    with server.client(staff.clerk("c1")) as http:
        http.post("/counters/c1/open").raise_for_status()
        visit = http.post("/counters/c1/walk-direct", json={"service_id": "certificates"})
        assert visit.status_code == 201
        body = visit.json()
        assert body["walk_direct"] and body["status"] == "serving" and body["number"] == "C001"
        assert http.post(f"/tickets/{body['id']}/finish").json()["status"] == "done"


def test_idempotency_key_returns_the_original_ticket(server: RunningServer, staff: Staff) -> None:
    body = {"service_id": "residence", "language": "ru", "priority": False}
    with server.client(staff.kiosk) as http:
        first = http.post("/tickets", json=body, headers={"Idempotency-Key": "k-1"})
        retry = http.post("/tickets", json=body, headers={"Idempotency-Key": "k-1"})
        other = http.post("/tickets", json=body, headers={"Idempotency-Key": "k-2"})
        misuse = http.post(
            "/tickets",
            json={**body, "service_id": "certificates"},
            headers={"Idempotency-Key": "k-1"},
        )
    assert first.status_code == retry.status_code == 201
    assert retry.json() == first.json()
    assert retry.headers.get("Idempotent-Replayed") == "true"
    assert other.json()["number"] == "A002"
    assert misuse.status_code == 409 and misuse.json()["code"] == "idempotency_key_reused"


def test_queue_snapshot(server: RunningServer, staff: Staff, clock: ManualClock) -> None:
    display = staff.display  # its token is added (and logged) before the tickets
    issue(server, staff.kiosk)
    issue(server, staff.kiosk, priority=True)
    last_issue = server.log_end()
    clock.advance(timedelta(minutes=5))
    with server.client(display) as http:
        snapshot = http.get("/queue").json()
    residence = next(s for s in snapshot["services"] if s["service_id"] == "residence")
    assert residence["waiting"] == 2 and residence["waiting_priority"] == 1
    assert residence["longest_wait_seconds"] == 300
    assert residence["unavailable_reason"] is None
    assert residence["estimated_wait_seconds"] is None  # no counter open yet
    assert snapshot["seq"] == last_issue
    assert {c["id"] for c in snapshot["counters"]} == {"c1", "c2", "c3", "c4", "c5"}
    assert snapshot["centre"]["is_open"] is True


def test_openapi_schema_documents_the_api(server: RunningServer) -> None:
    with server.client() as http:
        schema = http.get("/openapi.json").json()
    paths = schema["paths"]
    for path in (
        "/api/v1/tickets",
        "/api/v1/counters/{counter_id}/call-next",
        "/api/v1/events",
        "/api/v1/queue",
        "/api/v1/session",
        "/api/v1/health",
    ):
        assert path in paths, path
