"""Checking a booking in at the kiosk (`POST /appointments/check-in`): on time a ticket
marked with the booked time, early the time check-in opens, late a normal ticket or
nothing by policy; a repeated check-in gives the same ticket; bad codes change nothing."""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterator
from dataclasses import replace
from datetime import UTC, timedelta
from pathlib import Path

import httpx
import pytest

from core.clock import ManualClock
from core.model import AppointmentPolicy, LateArrival
from server.hub_link.shipped import shipped_data
from server.store.database import database_path
from tests.server.test_appointments import BOARD_NOON, book
from tests.support.catalogues import always_open
from tests.support.running_server import RunningServer


@pytest.fixture
def centre(tmp_path: Path, clock: ManualClock) -> Iterator[RunningServer]:
    with RunningServer(
        tmp_path / "data", clock=clock, catalogue=always_open(), bookings_per_minute=1000
    ) as running:
        yield running


def check_in(kiosk: httpx.Client, code: str) -> httpx.Response:
    return kiosk.post("/appointments/check-in", json={"code": code, "language": "ru"})


def waiting(http: httpx.Client) -> int:
    return sum(s["waiting"] for s in http.get("/queue").json()["services"])


def test_a_booking_checked_in_on_time_becomes_one_ticket_marked_with_its_time(
    centre: RunningServer, clock: ManualClock
) -> None:
    kiosk_token = centre.add_device("kiosk-1", "kiosk")
    with centre.client() as public, centre.client(kiosk_token) as kiosk:
        booked = book(public, BOARD_NOON)
        clock.advance(timedelta(hours=3, minutes=40))  # 13:40, the window opens at 13:30
        answer = check_in(kiosk, booked["code"].lower().replace("-", " "))
        assert answer.status_code == 200, answer.text
        body = answer.json()
        assert body["outcome"] == "checked_in"
        ticket = body["ticket"]
        assert ticket["service_id"] == "building-board" and ticket["number"].startswith("D")
        assert ticket["appointment_at"] == BOARD_NOON.astimezone(UTC).isoformat()
        assert ticket["language"] == "ru"
        again = check_in(kiosk, booked["code"]).json()
        assert again["outcome"] == "checked_in" and again["ticket"]["id"] == ticket["id"]
        assert waiting(kiosk) == 1
        view = public.get(f"/appointments/manage/{booked['manage_token']}").json()
        assert view["status"] == "checked_in"
    conn = sqlite3.connect(database_path(centre.data_dir))
    try:
        ((data,),) = conn.execute(
            "SELECT data FROM events WHERE type = 'appointment.checked_in'"
        ).fetchall()
    finally:
        conn.close()
    assert centre.catalogue is not None
    shipped = shipped_data(
        "appointment.checked_in", json.loads(data), centre.catalogue, lambda name: None
    )
    assert shipped == {
        "appointment_id": booked["id"],
        "starts_at": BOARD_NOON.astimezone(UTC).isoformat(),
    }  # the ticket it gave is the event's own `ticket_id`, which is shipped too


def test_too_early_says_when_check_in_opens_and_issues_nothing(
    centre: RunningServer, clock: ManualClock
) -> None:
    kiosk_token = centre.add_device("kiosk-1", "kiosk")
    with centre.client() as public, centre.client(kiosk_token) as kiosk:
        booked = book(public, BOARD_NOON)
        clock.advance(timedelta(hours=3, minutes=29))
        body = check_in(kiosk, booked["code"]).json()
        assert body["outcome"] == "early" and body["ticket"] is None
        opens = (BOARD_NOON - timedelta(minutes=30)).astimezone(UTC).isoformat()
        assert body["opens_at"] == opens
        assert waiting(kiosk) == 0
        assert (
            public.get(f"/appointments/manage/{booked['manage_token']}").json()["status"]
            == "booked"
        )


@pytest.mark.parametrize(
    ("late_arrival", "offered"),
    [(LateArrival.NORMAL_TICKET, True), (LateArrival.REFUSE, False)],
)
def test_too_late_offers_a_normal_ticket_only_when_the_policy_does(
    tmp_path: Path, clock: ManualClock, late_arrival: LateArrival, offered: bool
) -> None:
    catalogue = always_open()
    catalogue = replace(catalogue, appointment_policy=AppointmentPolicy(late_arrival=late_arrival))
    with RunningServer(
        tmp_path / "data", clock=clock, catalogue=catalogue, bookings_per_minute=1000
    ) as centre:
        kiosk_token = centre.add_device("kiosk-1", "kiosk")
        with centre.client() as public, centre.client(kiosk_token) as kiosk:
            booked = book(public, BOARD_NOON)
            clock.advance(timedelta(hours=4, minutes=11))  # 14:11: the window closed at 14:10
            body = check_in(kiosk, booked["code"]).json()
            assert (body["outcome"], body["normal_ticket"], body["ticket"]) == (
                "late", offered, None,
            )  # fmt: skip
            assert waiting(kiosk) == 0


def test_bad_codes_are_refused_with_a_code_and_change_nothing(
    centre: RunningServer, clock: ManualClock
) -> None:
    kiosk_token = centre.add_device("kiosk-1", "kiosk")
    with centre.client() as public, centre.client(kiosk_token) as kiosk:
        booked = book(public, BOARD_NOON)
        public.post(f"/appointments/manage/{booked['manage_token']}/cancel")
        clock.advance(timedelta(hours=3, minutes=45))
        cancelled = check_in(kiosk, booked["code"])
        assert (cancelled.status_code, cancelled.json()["code"]) == (409, "booking_not_active")
        for code in ("ZZZZ-ZZZZ", "x", booked["code"] + "X"):
            unknown = check_in(kiosk, code)
            assert (unknown.status_code, unknown.json()["code"]) == (404, "unknown_appointment")
        empty = check_in(kiosk, "")
        assert empty.status_code == 422
        anonymous = public.post("/appointments/check-in", json={"code": booked["code"]})
        assert anonymous.status_code == 401
        assert waiting(kiosk) == 0


def test_a_clerk_marks_an_arrival_also_before_check_in_opens(
    centre: RunningServer, clock: ManualClock
) -> None:
    from tests.conftest import Staff

    staff = Staff(centre)
    with centre.client() as public:
        booked = book(public, BOARD_NOON)
    path = f"/appointments/{booked['id']}/check-in"
    with centre.client(staff.kiosk) as kiosk:
        assert kiosk.post(path, json={}).status_code == 403
    with centre.client(staff.clerk("c4")) as clerk:
        body = clerk.post(path, json={"language": "en"}).json()
        assert body["outcome"] == "checked_in"
        assert body["ticket"]["appointment_at"] == BOARD_NOON.astimezone(UTC).isoformat()
        assert clerk.post(path, json={}).json()["ticket"]["id"] == body["ticket"]["id"]
        unknown = clerk.post("/appointments/nope/check-in", json={})
        assert (unknown.status_code, unknown.json()["code"]) == (404, "unknown_appointment")
