"""The kiosk when things go wrong: lost answers, printer faults, the server going away."""

from __future__ import annotations

import sqlite3

import pytest

from server.store.database import database_path
from tests.kiosk.ui.test_ticket_flow import button_with
from tests.support.fake_printer import FakeNetworkPrinter, closed_port
from tests.support.flaky_proxy import FlakyProxy
from tests.support.kivy_harness import find, texts
from tests.support.running_server import RunningServer

pytestmark = pytest.mark.gui


def take_ticket(kiosk) -> None:
    """Start screen -> residence -> normal ticket."""
    app = kiosk.app
    kiosk.until(lambda: app.manager.current == "start", what="the start screen")
    kiosk.tap(find(app.screens["start"], "take_ticket_button"))
    services = app.screens["services"]
    kiosk.tap(button_with(services, "Dzīvesvieta un dokumenti"))
    kiosk.tap(button_with(services, "Dzīvesvietas deklarēšana"))
    kiosk.tap(find(app.screens["priority"], "priority_no_button"))


def tickets_in(server: RunningServer) -> list[tuple]:
    conn = sqlite3.connect(database_path(server.data_dir))
    try:
        return conn.execute("SELECT number, printed FROM tickets").fetchall()
    finally:
        conn.close()


def test_a_retry_after_a_lost_answer_does_not_create_a_second_ticket(make_kiosk, server) -> None:
    with FlakyProxy(server.port) as proxy:
        kiosk = make_kiosk(server_url=proxy.url)
        take_ticket_prepared = kiosk.app
        kiosk.until(lambda: take_ticket_prepared.manager.current == "start")
        proxy.drop_next_ticket_answer = True
        take_ticket(kiosk)
        screen = kiosk.app.screens["ticket"]
        kiosk.until(lambda: screen.state == "issued", what="the ticket after the retry")
        assert proxy.dropped == 1, "the first answer was really lost"
    assert screen.number == "A001"
    assert tickets_in(server) == [("A001", 1)]


@pytest.mark.parametrize("fault", ["paper_out", "offline"])
def test_printer_fault_shows_the_number_and_tells_staff(
    make_kiosk, server, staff, fault: str
) -> None:
    with FakeNetworkPrinter("paper_out") as paperless:
        spec = (
            f"network:{paperless.spec_address};timeout=3"
            if fault == "paper_out"
            else f"network:127.0.0.1:{closed_port()};timeout=1"
        )
        kiosk = make_kiosk(printer=spec)
        take_ticket(kiosk)
        screen = kiosk.app.screens["ticket"]
        kiosk.until(lambda: screen.state == "issued", what="the screen-only ticket")
        assert not screen.printed
        shown = " ".join(texts(screen))
        assert "A001" in shown and "Printeris nedarbojas" in shown
        assert screen.ids.qr_image.texture is not None, "the status QR code is on screen"
        kiosk.screenshot(f"kiosk-ticket-printer-{fault}")
        start = kiosk.app.screens["start"]
        kiosk.until(lambda: kiosk.app.printer_faulty)
        assert "Printeris šobrīd nedarbojas" in find(start, "printer_notice_label").text
        with server.client(staff.manager) as http:
            ticket = http.get(f"/tickets/{kiosk.app.outcome.ticket.id}").json()
            devices = {d["name"]: d for d in http.get("/devices").json()}
    assert ticket["status"] == "waiting" and ticket["printed"] is False
    assert devices["kiosk-1"]["printer"] == fault
    assert tickets_in(server) == [("A001", 0)]


def test_server_stops_then_comes_back(make_kiosk, server) -> None:
    kiosk = make_kiosk()
    app = kiosk.app
    kiosk.until(lambda: app.manager.current == "start")
    port, data_dir, clock, catalogue = server.port, server.data_dir, server.clock, server.catalogue
    server.stop()
    kiosk.until(lambda: app.manager.current == "unavailable", what="the unavailable screen")
    assert (
        "Lūdzu, vērsieties pie darbinieka."
        in find(app.screens["unavailable"], "unavailable_label").text
    )
    kiosk.screenshot("kiosk-server-gone")
    revived = RunningServer(data_dir, clock=clock, catalogue=catalogue, port=port).start()
    try:
        kiosk.until(lambda: app.manager.current == "start", timeout=20, what="recovery")
        take_ticket(kiosk)
        kiosk.until(lambda: app.screens["ticket"].state == "issued")
        assert app.screens["ticket"].number == "A001"
    finally:
        revived.stop()


def test_closed_outside_opening_hours(tmp_path, make_kiosk) -> None:
    from datetime import UTC, datetime

    from core.clock import ManualClock
    from tests.support.catalogues import demo_catalogue

    # Sunday noon: the demo centre is closed until Monday 08:30.
    clock = ManualClock(datetime(2026, 11, 22, 10, 0, tzinfo=UTC))
    with RunningServer(tmp_path / "closed", clock=clock, catalogue=demo_catalogue()) as closed:
        token = closed.add_device("kiosk-closed", "kiosk")
        kiosk = make_kiosk(server_url=closed.url, token=token)
        app = kiosk.app
        kiosk.until(lambda: app.manager.current == "closed", what="the closed screen")
        message = find(app.screens["closed"], "closed_label").text
        assert "Slēgts — atvērsies 23.11. 08:30" in message
        assert "Closed — opens at 23.11. 08:30" in message
        assert "Pirmdiena  08:30–19:00" in find(app.screens["closed"], "hours_label").text


def test_idle_warning_then_reset(make_kiosk) -> None:
    kiosk = make_kiosk(idle_seconds=60, warning_seconds=20)
    app = kiosk.app
    kiosk.until(lambda: app.manager.current == "start")
    kiosk.tap(button_with(app.screens["start"], "English"))
    kiosk.tap(find(app.screens["start"], "take_ticket_button"))
    kiosk.advance(59)
    assert app._warning is None, "a minute's grace"
    kiosk.advance(1)
    warning = app._warning
    assert warning is not None and "Are you still there?" in warning.title
    assert "20" in warning.body
    kiosk.screenshot("kiosk-idle-warning")
    # Audible: the attention sound and the words, queued to the speaker.
    app.speaker.wait_until_quiet(10)
    assert any("attention.wav" in str(f) for spoken in app.speaker.history for f in spoken.files)
    assert any("Are you still there?" in spoken.text for spoken in app.speaker.history)
    kiosk.advance(5)
    assert "15" in warning.body, "the countdown counts"
    kiosk.tap(find(warning, "idle_continue_button"))
    assert app._warning is None and app.manager.current == "services"
    kiosk.advance(60)
    assert app._warning is not None
    kiosk.advance(19)
    assert app.manager.current == "services" and app.language == "en"
    kiosk.advance(1)
    assert app.manager.current == "start", "the reset"
    assert app._warning is None
    assert app.language == "lv", "the next visitor starts in the default language"
