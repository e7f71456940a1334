"""Statistics and feedback over the API, against a real server with a manual clock."""

from __future__ import annotations

import csv
import io
from datetime import timedelta


def serve(
    server, staff, clock, wait: int, service: int, counter: str = "c1", language: str = "lv"
) -> dict:
    """Issue a ticket and serve it at `counter`, with the given wait and service time."""
    with server.client(staff.kiosk) as http:
        body = {"service_id": "residence", "language": language}
        ticket = http.post("/tickets", json=body).json()
    clerk = staff.clerk(counter)
    with server.client(clerk) as http:
        http.post(f"/counters/{counter}/open")
        clock.advance(timedelta(seconds=wait))
        http.post(f"/tickets/{ticket['id']}/call", json={"counter_id": counter}).raise_for_status()
        http.post(f"/tickets/{ticket['id']}/start").raise_for_status()
        clock.advance(timedelta(seconds=service))
        http.post(f"/tickets/{ticket['id']}/finish", json={}).raise_for_status()
    return ticket


def test_feedback_once_per_visit_and_statistics(server, staff, clock) -> None:
    first = serve(server, staff, clock, wait=120, service=300)
    second = serve(server, staff, clock, wait=1200, service=60)
    with server.client(staff.feedback) as http:
        assert (
            http.post("/feedback", json={"ticket_id": first["id"], "rating": 5}).status_code == 201
        )
        again = http.post("/feedback", json={"ticket_id": first["id"], "rating": 1})
        assert again.status_code == 409 and "already" in again.json()["message"]
        assert (
            http.post("/feedback", json={"ticket_id": second["id"], "rating": 0}).status_code == 422
        )
        assert (
            http.post("/feedback", json={"ticket_id": second["id"], "rating": 2}).status_code == 201
        )
    other = serve(server, staff, clock, wait=10, service=10, counter="c2")
    with server.client(staff.feedback) as http:  # bound to counter c1
        assert (
            http.post("/feedback", json={"ticket_id": other["id"], "rating": 4}).status_code == 403
        )
    with server.client(staff.manager) as http:
        day = http.get("/stats", params={"group": "service"}).json()
        residence = day["groups"]["residence"]
        assert residence["served"] == 3
        assert residence["wait_seconds"]["max"] == 1200.0
        assert residence["within_target"] == 2  # target 15 min
        assert residence["feedback"]["average"] == 3.5
        assert residence["clerk_time"] is None  # a counter's time is not one service's
        clerks = http.get("/stats", params={"group": "clerk"}).json()["groups"]
        assert clerks["clerk-c1"]["serving_seconds_total"] == 360.0
        # Counter c1 idled 120 s before the first call, 1200 s before the second and
        # 20 s while c2 served; it served 300 + 60 s. c2 idled 10 s and served 10 s.
        assert clerks["clerk-c1"]["clerk_time"] == {
            "idle_seconds": 1340.0,
            "calling_seconds": 0.0,
            "serving_seconds": 360.0,
            "paused_seconds": 0.0,
            "present_seconds": 1700.0,
            "busy_share": round(360 / 1700, 4),
        }
        assert clerks["clerk-c2"]["clerk_time"]["busy_share"] == 0.5
        hours = http.get("/stats", params={"group": "hour"}).json()["groups"]
        assert hours["10"]["clerk_time"]["present_seconds"] == 1700.0 + 20.0
        exported = http.get("/stats.csv", params={"group": "counter"})
        rows = list(csv.DictReader(io.StringIO(exported.text)))
        assert {r["counter"] for r in rows} == {"c1", "c2"}
        assert {r["counter"]: r["clerk_idle_s"] for r in rows} == {"c1": "1340.0", "c2": "10.0"}
        bad = http.get("/stats", params={"group": "fortnight"})
        assert bad.status_code == 422 and bad.json()["fields"] == {"group": "invalid_choice"}
        backwards = http.get("/stats", params={"from": "2026-11-20", "to": "2026-11-01"})
        assert backwards.status_code == 422
    with server.client(staff.clerk("c1")) as http:
        assert http.get("/stats").status_code == 403


def test_application_statistics(server, staff) -> None:
    fields = {"name": "Anna", "phone": "20000000", "text": "Tikšanās"}
    with server.client(staff.kiosk) as http:
        for _ in range(2):
            http.post(
                "/applications",
                json={"type_id": "specialist-meeting", "fields": fields, "consent": True},
            ).raise_for_status()
    with server.client(staff.manager) as http:
        inbox = http.get("/applications").json()
        http.post(f"/applications/{inbox[0]['id']}/status", json={"status": "rejected"})
        figures = http.get("/stats/applications").json()["types"]["specialist-meeting"]
    assert figures["lodged"] == 2
    assert figures["by_status"] == {"received": 1, "rejected": 1}
    assert figures["time_to_answer_seconds"]["max"] == 0.0
