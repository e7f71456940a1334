"""Feedback over the API: exit terminals find the visit by ticket number; retries are safe."""

from __future__ import annotations

from tests.server.test_stats import serve


def test_exit_terminal_finds_todays_served_visit_by_number(server, staff, clock) -> None:
    served = serve(server, staff, clock, wait=60, service=60)
    with server.client(staff.kiosk) as http:
        waiting = http.post("/tickets", json={"service_id": "residence", "language": "ru"}).json()
    with server.client(staff.exit_feedback) as http:
        visit = http.get("/feedback/visit", params={"number": "a 1"})
        assert visit.status_code == 200, visit.text
        assert visit.json()["ticket_id"] == served["id"]
        assert visit.json()["number"] == served["number"] == "A001"
        assert visit.json()["language"] == served["language"]
        bad = http.get("/feedback/visit", params={"number": "42"})
        assert bad.status_code == 422 and bad.json()["fields"] == {"number": "invalid"}
        missing = http.get("/feedback/visit", params={"number": "Z999"})
        assert missing.status_code == 404 and "Z999" in missing.json()["message"]
        early = http.get("/feedback/visit", params={"number": waiting["number"]})
        assert early.status_code == 409 and early.json()["code"] == "not_served"
        # An exit terminal may rate any counter's visit.
        assert (
            http.post("/feedback", json={"ticket_id": served["id"], "rating": 4}).status_code == 201
        )
        rated = http.get("/feedback/visit", params={"number": "A001"})
        assert rated.status_code == 409 and rated.json()["code"] == "already_rated"


def test_counter_terminal_finds_only_its_counters_visits(server, staff, clock) -> None:
    other = serve(server, staff, clock, wait=10, service=10, counter="c2")
    with server.client(staff.feedback) as http:  # bound to c1
        answer = http.get("/feedback/visit", params={"number": other["number"]})
        assert answer.status_code == 404


def test_a_retried_rating_is_answered_once_and_stored_once(server, staff, clock) -> None:
    served = serve(server, staff, clock, wait=10, service=10)
    body = {"ticket_id": served["id"], "rating": 5}
    with server.client(staff.feedback) as http:
        first = http.post("/feedback", json=body, headers={"Idempotency-Key": "r-1"})
        retry = http.post("/feedback", json=body, headers={"Idempotency-Key": "r-1"})
        assert first.status_code == retry.status_code == 201
        assert retry.headers.get("Idempotent-Replayed") == "true"
        other = http.post(
            "/feedback", json={**body, "rating": 1}, headers={"Idempotency-Key": "r-2"}
        )
        assert other.status_code == 409 and other.json()["code"] == "already_rated"
    with server.client(staff.manager) as http:
        figures = http.get("/stats", params={"group": "total"}).json()["groups"]
    (total,) = figures.values()
    assert total["feedback"]["count"] == 1 and total["feedback"]["average"] == 5.0
