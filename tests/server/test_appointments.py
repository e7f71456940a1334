"""Booking through the centre server: holds, confirmation, the race for the last place,
cancelling with a release delay, the per-person limit, and the rate limit."""

from __future__ import annotations

import json
import sqlite3
import threading
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime, timedelta
from pathlib import Path

import httpx
import pytest

from core.clock import ManualClock
from server.store.database import database_path
from tests.support.catalogues import RIGA, always_open
from tests.support.running_server import RunningServer

BOARD_NOON = datetime(2026, 11, 23, 14, 0, tzinfo=RIGA)
"""A building-board slot (30 min, one place) four hours after the test clock's 10:00."""


@pytest.fixture
def booking_server(tmp_path: Path, clock: ManualClock) -> Iterator[RunningServer]:
    with RunningServer(
        tmp_path / "data", clock=clock, catalogue=always_open(), bookings_per_minute=1000
    ) as running:
        yield running


def hold(http: httpx.Client, starts_at: datetime, service: str = "building-board"):
    return http.post(
        "/appointments/holds", json={"service_id": service, "starts_at": starts_at.isoformat()}
    )


def book(
    http: httpx.Client,
    starts_at: datetime,
    *,
    service: str = "building-board",
    phone: str | None = "+371 2000 0000",
    email: str | None = None,
) -> dict:
    held = hold(http, starts_at, service)
    assert held.status_code == 201, held.text
    confirmed = http.post(
        f"/appointments/holds/{held.json()['hold_id']}/confirm",
        json={"name": "Anna Bērziņa", "phone": phone, "email": email, "language": "lv"},
    )
    assert confirmed.status_code == 201, confirmed.text
    return confirmed.json()


def free_at(http: httpx.Client, starts_at: datetime, service: str = "building-board") -> int:
    slots = http.get(
        "/appointments/slots",
        params={"service_id": service, "day": starts_at.date().isoformat()},
    ).json()
    return next((s["free"] for s in slots if s["starts_at"] == starts_at.isoformat()), 0)


def test_twenty_concurrent_attempts_at_the_last_place_give_exactly_one_booking(
    booking_server: RunningServer,
) -> None:
    start = threading.Barrier(20)

    def attempt(index: int) -> tuple[int, str]:
        with booking_server.client() as http:
            start.wait()
            held = hold(http, BOARD_NOON)
            if held.status_code != 201:
                return held.status_code, held.json()["code"]
            confirmed = http.post(
                f"/appointments/holds/{held.json()['hold_id']}/confirm",
                json={"name": f"Person {index}", "phone": f"+3712000{index:04d}"},
            )
            return confirmed.status_code, "booked"

    with ThreadPoolExecutor(max_workers=20) as pool:
        outcomes = list(pool.map(attempt, range(20)))
    assert sorted(outcomes).count((201, "booked")) == 1, outcomes
    assert sorted(outcomes).count((409, "slot_taken")) == 19, outcomes
    with booking_server.client() as http:
        assert free_at(http, BOARD_NOON) == 0


def test_a_booking_has_a_code_a_link_and_its_own_view(booking_server: RunningServer) -> None:
    with booking_server.client() as http:
        booked = book(http, BOARD_NOON, email="Anna@Example.LV")
        assert booked["status"] == "booked"
        assert len(booked["code"]) == 9 and booked["code"][4] == "-"
        assert booked["manage_url"].endswith(f"/b/{booked['manage_token']}")
        assert booked["phone"] == "+371••••••00" and booked["email"] == "a•••@example.lv"
        view = http.get(f"/appointments/manage/{booked['manage_token']}")
        assert view.status_code == 200
        assert view.json()["code"] == booked["code"]
        assert "manage_token" not in view.json()
        assert http.get("/appointments/manage/not-a-token").json()["code"] == "unknown_appointment"


def test_a_held_place_is_taken_until_the_hold_runs_out(
    booking_server: RunningServer, clock: ManualClock
) -> None:
    with booking_server.client() as http:
        held = hold(http, BOARD_NOON)
        assert held.status_code == 201
        assert free_at(http, BOARD_NOON) == 0
        assert hold(http, BOARD_NOON).json()["code"] == "slot_taken"
        clock.advance(timedelta(minutes=10))
        assert free_at(http, BOARD_NOON) == 1
        late = http.post(
            f"/appointments/holds/{held.json()['hold_id']}/confirm",
            json={"name": "Anna", "phone": "20000000"},
        )
        assert (late.status_code, late.json()["code"]) == (409, "hold_expired")


def test_a_cancelled_place_returns_only_after_the_release_delay(
    booking_server: RunningServer, clock: ManualClock
) -> None:
    with booking_server.client() as http:
        booked = book(http, BOARD_NOON)
        cancelled = http.post(f"/appointments/manage/{booked['manage_token']}/cancel")
        assert cancelled.status_code == 200 and cancelled.json()["status"] == "cancelled"
        again = http.post(f"/appointments/manage/{booked['manage_token']}/cancel")
        assert again.json()["status"] == "cancelled"
        assert free_at(http, BOARD_NOON) == 0
        clock.advance(timedelta(minutes=29))
        assert free_at(http, BOARD_NOON) == 0
        clock.advance(timedelta(minutes=1))
        assert free_at(http, BOARD_NOON) == 1


def test_one_phone_holds_one_upcoming_booking_of_a_service(booking_server: RunningServer) -> None:
    with booking_server.client() as http:
        book(http, BOARD_NOON, phone="20000000")
        held = hold(http, BOARD_NOON + timedelta(hours=1))
        refused = http.post(
            f"/appointments/holds/{held.json()['hold_id']}/confirm",
            json={"name": "Anna", "phone": "+371 2000 0000"},
        )
        assert (refused.status_code, refused.json()["code"]) == (409, "booking_limit_reached")
        # Another service is another limit.
        book(http, BOARD_NOON, service="residence", phone="20000000")


def test_bad_input_is_refused_with_a_code_and_changes_nothing(
    booking_server: RunningServer,
) -> None:
    with booking_server.client() as http:
        off_grid = hold(http, BOARD_NOON + timedelta(minutes=5))
        assert (off_grid.status_code, off_grid.json()["fields"]) == (
            422,
            {"starts_at": "not_a_slot"},
        )
        too_soon = hold(http, datetime(2026, 11, 23, 11, 0, tzinfo=RIGA))
        assert too_soon.json()["fields"] == {"starts_at": "not_bookable"}
        assert hold(http, BOARD_NOON, service="certificates").json()["code"] == "unknown_service"
        naive = http.post(
            "/appointments/holds",
            json={"service_id": "building-board", "starts_at": "2026-11-23T12:00:00"},
        )
        assert naive.status_code == 422
        held = hold(http, BOARD_NOON).json()
        for contact, field in (
            ({"phone": "12"}, {"phone": "invalid_phone"}),
            ({"email": "anna@"}, {"email": "invalid_email"}),
            ({}, {"phone": "required"}),
        ):
            refused = http.post(
                f"/appointments/holds/{held['hold_id']}/confirm", json={"name": "A", **contact}
            )
            assert (refused.status_code, refused.json()["fields"]) == (422, field)
        assert free_at(http, BOARD_NOON) == 0, "the hold still stands"


def test_holds_from_one_address_are_rate_limited(tmp_path: Path, clock: ManualClock) -> None:
    with (
        RunningServer(tmp_path / "data", clock=clock, catalogue=always_open()) as running,
        running.client() as http,
    ):
        answers = [
            hold(http, BOARD_NOON + timedelta(minutes=30 * i)).status_code for i in range(11)
        ]
        assert answers[:10] == [201] * 10
        assert answers[10] == 429


def test_appointment_events_reach_the_hub_without_personal_data(
    booking_server: RunningServer,
) -> None:
    from server.hub_link.shipped import shipped_data

    with booking_server.client() as http:
        book(http, BOARD_NOON, email="anna@example.lv")
    conn = sqlite3.connect(database_path(booking_server.data_dir))
    try:
        ((kind, data),) = conn.execute(
            "SELECT type, data FROM events WHERE type LIKE 'appointment.%'"
        ).fetchall()
    finally:
        conn.close()
    assert kind == "appointment.booked"
    assert "anna" not in data and "Bērziņa" not in data
    assert booking_server.catalogue is not None
    shipped = shipped_data(kind, json.loads(data), booking_server.catalogue, lambda name: None)
    assert shipped == {
        "appointment_id": json.loads(data)["appointment_id"],
        "starts_at": BOARD_NOON.astimezone(UTC).isoformat(),
    }
