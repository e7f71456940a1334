"""Appointment statistics (`GET /stats/appointments`): booked, cancelled, checked in,
missed, no-shows, and how punctually booked visitors came and were called."""

from __future__ import annotations

from datetime import timedelta

from core.clock import ManualClock
from tests.conftest import Staff
from tests.server.test_appointments import BOARD_NOON, book
from tests.support.running_server import RunningServer

HALF_HOUR = timedelta(minutes=30)


def test_appointments_are_counted_apart_with_their_punctuality(
    server: RunningServer, staff: Staff, clock: ManualClock
) -> None:
    with server.client() as public, server.client(staff.kiosk) as kiosk:
        on_time = book(public, BOARD_NOON, phone="20000001")
        late = book(public, BOARD_NOON + HALF_HOUR, phone="20000002")
        cancelled = book(public, BOARD_NOON + 2 * HALF_HOUR, phone="20000003")
        book(public, BOARD_NOON + 3 * HALF_HOUR, phone="20000004")  # never comes
        public.post(f"/appointments/manage/{cancelled['manage_token']}/cancel")
        counter_id = next(
            c["id"] for c in kiosk.get("/counters").json() if "building-board" in c["service_ids"]
        )
        clock.advance(timedelta(hours=3, minutes=40))  # 13:40: 20 minutes early
        assert (
            kiosk.post("/appointments/check-in", json={"code": on_time["code"]}).json()["outcome"]
            == "checked_in"
        )

        def clerk(path: str) -> dict:
            # (Signed in again whenever the fake clock has run past the session's idle time.)
            with server.client(staff.clerk(counter_id)) as http:
                response = http.post(path)
                response.raise_for_status()
                return response.json()

        clerk(f"/counters/{counter_id}/open")
        clock.advance(timedelta(minutes=25))  # 14:05
        first = clerk(f"/counters/{counter_id}/call-next")
        clerk(f"/tickets/{first['id']}/no-show")
        clock.advance(timedelta(minutes=30))  # 14:35: 5 minutes late
        kiosk.post("/appointments/check-in", json={"code": late["code"]}).raise_for_status()
        clock.advance(timedelta(minutes=10))  # 14:45
        clerk(f"/counters/{counter_id}/call-next")
        clock.advance(timedelta(hours=1))  # 15:45: the 15:30 booking's window has closed
    with server.client(staff.manager) as manager:
        answer = manager.get(
            "/stats/appointments", params={"from": "2026-11-23", "to": "2026-11-23"}
        )
        assert answer.status_code == 200, answer.text
        body = answer.json()
        assert body["from"] == "2026-11-23"
        total = body["groups"]["total"]
        assert body["groups"]["building-board"] == total
        assert {k: total[k] for k in (
            "booked", "cancelled", "checked_in", "missed", "pending", "no_show", "late_check_ins"
        )} == {
            "booked": 4, "cancelled": 1, "checked_in": 2, "missed": 1, "pending": 0,
            "no_show": 1, "late_check_ins": 1,
        }  # fmt: skip
        assert total["check_in_lead_seconds"]["mean"] == 20 * 60
        # Waits from the booked time (14:00 → 14:05) and from the late check-in
        # (14:35 → 14:45): both within the 30-minute target.
        assert total["wait_seconds"]["mean"] == 450 and total["wait_seconds"]["max"] == 600
        assert total["service_level"] == 1.0
        with server.client(staff.kiosk) as kiosk:
            assert kiosk.get("/stats/appointments").status_code == 403
