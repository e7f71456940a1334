"""Numbering restarts at the business-day boundary in Riga, across DST; closing expires."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from core.clock import ManualClock
from tests.support.catalogues import always_open, demo_catalogue
from tests.support.running_server import RunningServer

RIGA = ZoneInfo("Europe/Riga")


@pytest.mark.parametrize(
    "last_evening",
    [
        datetime(2026, 3, 28, 23, 59, tzinfo=RIGA),  # the night clocks go forward
        datetime(2026, 10, 24, 23, 59, tzinfo=RIGA),  # the night before clocks go back
        datetime(2026, 10, 25, 23, 59, tzinfo=RIGA),  # the day that had 25 hours
    ],
    ids=["spring-forward", "before-fall-back", "fall-back-day"],
)
def test_numbering_resets_at_local_midnight_across_dst(
    tmp_path: Path, last_evening: datetime
) -> None:
    clock = ManualClock(last_evening.astimezone(UTC))
    with RunningServer(tmp_path / "d", clock=clock, catalogue=always_open()) as server:
        kiosk = server.add_device("k", "kiosk")
        with server.client(kiosk) as http:
            late = [
                http.post("/tickets", json={"service_id": "residence"}).json() for _ in range(2)
            ]
            clock.advance(timedelta(seconds=61))  # 00:00:01 the next local day
            early = http.post("/tickets", json={"service_id": "residence"}).json()
    assert [t["number"] for t in late] == ["A001", "A002"]
    assert late[0]["business_day"] == last_evening.date().isoformat()
    assert early["number"] == "A001"
    assert early["business_day"] == (last_evening.date() + timedelta(days=1)).isoformat()


def test_tickets_still_waiting_after_closing_expire(tmp_path: Path) -> None:
    # Friday 27 November 2026: the demo centre closes at 15:00, expiry 30 minutes later.
    clock = ManualClock(datetime(2026, 11, 27, 14, 0, tzinfo=RIGA).astimezone(UTC))
    with RunningServer(tmp_path / "d", clock=clock, catalogue=demo_catalogue()) as server:
        kiosk = server.add_device("k", "kiosk")
        server.add_user("anna", "clerk", counter_id="c1")
        clerk = server.login("anna")
        with server.client(kiosk) as http:
            waiting = http.post("/tickets", json={"service_id": "residence"}).json()
            serving = http.post("/tickets", json={"service_id": "residence"}).json()
        with server.client(clerk) as http:
            http.post("/counters/c1/open").raise_for_status()
            http.post(f"/tickets/{serving['id']}/call").raise_for_status()
            http.post(f"/tickets/{serving['id']}/start").raise_for_status()
        engine = server.ctx.engine
        clock.set(datetime(2026, 11, 27, 15, 10, tzinfo=RIGA).astimezone(UTC))
        assert server.ctx.writer.call(engine.housekeeping.command) == 0  # within the grace period
        clock.set(datetime(2026, 11, 27, 15, 31, tzinfo=RIGA).astimezone(UTC))
        assert server.ctx.writer.call(engine.housekeeping.command) == 1
        with server.client(kiosk) as http:
            assert http.get(f"/tickets/{waiting['id']}").json()["status"] == "expired"
            assert http.get(f"/tickets/{serving['id']}").json()["status"] == "serving"
        # The next morning the visit left open is closed and the counter freed.
        clock.set(datetime(2026, 11, 30, 8, 0, tzinfo=RIGA).astimezone(UTC))
        assert server.ctx.writer.call(engine.housekeeping.command) == 1
        with server.client(kiosk) as http:
            assert http.get(f"/tickets/{serving['id']}").json()["status"] == "done"
            counters = {c["id"]: c for c in http.get("/counters").json()}
        assert counters["c1"]["current_ticket_id"] is None
