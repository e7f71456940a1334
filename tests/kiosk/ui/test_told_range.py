"""Issue 22: once the centre has learnt how its estimates turn out, the kiosk shows the
80 % range the server tells ("12–20 min") on the service buttons and the ticket screen,
and prints it on the ticket."""

from __future__ import annotations

import random
from datetime import timedelta

import pytest

from core.wait_range import MINIMUM_OUTCOMES
from printer.profiles import profile_info
from tests.kiosk.ui.test_ticket_flow import button_with
from tests.support.escpos_decoder import decode
from tests.support.fake_printer import FakeNetworkPrinter
from tests.support.kivy_harness import find, texts

pytestmark = pytest.mark.gui

SERVICE = "residence"


def teach(server, staff, clock) -> None:
    """A morning of visitors at one counter, each called some minutes after the last:
    enough outcomes for the server to tell a range."""
    with server.client(staff.manager) as manager, server.client(staff.kiosk) as kiosk:
        assert manager.post("/counters/c1/open").status_code == 200
        body = {"service_id": SERVICE, "language": "en", "priority": False}
        lengths = random.Random(22)
        for _ in range(MINIMUM_OUTCOMES + 5):
            issued = [kiosk.post("/tickets", json=body).json() for _ in range(3)]
            for ticket in issued:  # visits of varying length: the outcomes spread
                clock.advance(timedelta(minutes=lengths.uniform(1, 12)))
                assert manager.post("/counters/c1/call-next").status_code == 200
                assert manager.post(f"/tickets/{ticket['id']}/no-show").status_code == 200
        for _ in range(2):  # people waiting, so the range is wider than a minute
            kiosk.post("/tickets", json=body)
        row = next(
            r for r in manager.get("/queue").json()["services"] if r["service_id"] == SERVICE
        )
        low, high = row["estimated_wait_range_seconds"]
        assert round(high / 60) > round(low / 60), row


def test_the_kiosk_shows_and_prints_the_told_range(make_kiosk, server, staff, clock) -> None:
    teach(server, staff, clock)
    with FakeNetworkPrinter("healthy") as printer:
        kiosk = make_kiosk(printer=f"network:{printer.spec_address};profile=TM-T20II")
        app = kiosk.app
        kiosk.until(lambda: app.manager.current == "start", what="the start screen")
        kiosk.tap(button_with(app.screens["start"], "English"))
        kiosk.tap(find(app.screens["start"], "take_ticket_button"))
        services = app.screens["services"]
        kiosk.tap(button_with(services, "Residence and documents"))
        button = button_with(services, "Declaring your place of residence")
        kiosk.screenshot("kiosk-services-range-en")
        assert "–" in button.text and " min" in button.text, button.text
        kiosk.tap(button)
        kiosk.tap(find(app.screens["priority"], "priority_no_button"))
        ticket_screen = app.screens["ticket"]
        kiosk.until(lambda: ticket_screen.state == "issued", what="the issued ticket")
        kiosk.screenshot("kiosk-ticket-range-en")
        told = app.outcome.ticket.estimated_wait_range_seconds
        assert told is not None
        low, high = (round(end / 60) for end in told)
        assert ticket_screen.wait == f"Estimated wait: {low}–{high} min"
        assert ticket_screen.wait in texts(ticket_screen)
        assert ticket_screen.view.spoken.endswith(f"Estimated wait {low} to {high} minutes.")
        printer.wait_for_jobs(2)
    printed = decode(printer.printed(), profile_info("TM-T20II").code_pages)
    assert f"{low}–{high} min" in printed.text
