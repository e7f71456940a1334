"""The centre learns from the waits that followed its estimates: once enough visitors
have been called, a new ticket is told a calibrated wait with its 80 % range, and the
queue view shows the same for each service."""

from __future__ import annotations

import asyncio
from datetime import timedelta
from pathlib import Path

from core.clock import ManualClock
from core.wait_range import MINIMUM_OUTCOMES
from server.actor import Actor
from server.commands.counters import CounterAction
from server.commands.tickets import TicketAction, TicketParams
from server.engine import Engine
from server.queue_view import queue_payload
from server.store.database import database_path
from server.store.writer import Writer
from tests.support.catalogues import MONDAY_MORNING, always_open

MANAGER = Actor("boss", any_counter=True)
KIOSK = Actor("kiosk-1")


def test_a_ticket_is_told_a_range_once_the_centre_has_learnt_one(tmp_path: Path) -> None:
    clock = ManualClock(MONDAY_MORNING)
    writer = Writer(database_path(tmp_path), clock)
    writer.start()
    engine = Engine(always_open(), writer)
    engine.load()

    async def day() -> tuple[dict, dict]:
        await engine.counters.act("c1", CounterAction.OPEN, MANAGER)
        first = await engine.tickets.issue("residence", "lv", False, KIOSK)
        assert first["estimated_wait_range_seconds"] is None, "nothing learnt yet"
        await engine.tickets.call_next("c1", MANAGER)
        await engine.tickets.act(first["id"], TicketAction.NO_SHOW, TicketParams(), MANAGER)
        for _ in range(MINIMUM_OUTCOMES + 5):
            issued = [await engine.tickets.issue("residence", "lv", False, KIOSK) for _ in range(3)]
            for ticket in issued:
                clock.advance(timedelta(minutes=4))
                await engine.tickets.call_next("c1", MANAGER)
                await engine.tickets.act(
                    ticket["id"], TicketAction.NO_SHOW, TicketParams(), MANAGER
                )
        await engine.tickets.issue("residence", "lv", False, KIOSK)
        told = await engine.tickets.issue("residence", "lv", False, KIOSK)
        return told, queue_payload(engine, clock.now())

    try:
        told, queue = asyncio.run(day())
    finally:
        writer.stop()
    low, high = told["estimated_wait_range_seconds"]
    assert 0 <= low <= told["estimated_wait_seconds"] <= high
    service = next(s for s in queue["services"] if s["service_id"] == "residence")
    assert service["estimated_wait_range_seconds"] is not None
