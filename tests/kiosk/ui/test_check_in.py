"""Checking a booking in at the kiosk: the code typed on the screen or scanned (a
scanner is a keyboard: real X key events), the ticket printed with the booked time;
too early, when to come back; too late, a normal ticket; a wrong code, said so."""

from __future__ import annotations

from datetime import timedelta

import pytest

from printer.profiles import profile_info
from tests.kiosk.ui.test_applications import tap_keys
from tests.kiosk.ui.test_ticket_flow import button_with
from tests.server.test_appointments import BOARD_NOON, book
from tests.support.escpos_decoder import decode
from tests.support.fake_printer import FakeNetworkPrinter
from tests.support.kivy_harness import find, texts

pytestmark = pytest.mark.gui


def booking(server) -> dict:
    with server.client() as public:
        return book(public, BOARD_NOON)


def open_check_in(kiosk, language_name: str = "Latviešu"):
    app = kiosk.app
    kiosk.until(lambda: app.manager.current == "start", what="the start screen")
    start = app.screens["start"]
    kiosk.until(lambda: app.appointments_enabled, what="the check-in entry")
    kiosk.tap(button_with(start, language_name))
    kiosk.tap(find(start, "check_in_button"))
    assert app.manager.current == "checkin"
    return app.screens["checkin"]


def test_a_code_typed_on_the_screen_gives_a_printed_ticket_with_the_booked_time(
    make_kiosk, server, clock
) -> None:
    booked = booking(server)
    clock.advance(timedelta(hours=3, minutes=40))  # 13:40: check-in opened at 13:30
    with FakeNetworkPrinter("healthy") as printer:
        kiosk = make_kiosk(printer=f"network:{printer.spec_address};profile=TM-T20II")
        screen = open_check_in(kiosk, "Русский")
        tap_keys(kiosk, screen, booked["code"].lower())
        assert find(screen, "code_input").text == booked["code"]
        kiosk.screenshot("kiosk-check-in-code-ru")
        kiosk.tap(find(screen, "submit_button"))
        app = kiosk.app
        ticket_screen = app.screens["ticket"]
        kiosk.until(lambda: ticket_screen.state == "issued", what="the ticket")
        assert ticket_screen.number.startswith("D")
        assert ticket_screen.wait == "Время записи: 14:00"
        assert ticket_screen.people_ahead == ""
        assert "Вас вызовут около 14:00" in ticket_screen.spoken_summary()
        kiosk.screenshot("kiosk-check-in-ticket-ru")
        printer.wait_for_jobs(2)
    printed = decode(printer.printed(), profile_info("TM-T20II").code_pages)
    assert ticket_screen.number in printed.text
    assert "Время записи: 14:00" in printed.text
    assert "Перед вами" not in printed.text


def test_a_scanned_code_checks_in_without_touching_the_screen(make_kiosk, server, clock) -> None:
    booked = booking(server)
    clock.advance(timedelta(hours=4, minutes=5))  # 14:05: late, but within the 10 minutes
    kiosk = make_kiosk()
    screen = open_check_in(kiosk)
    # What a barcode scanner sends for the QR code: the code, then Enter.
    kiosk.xdotool_type(booked["code"].replace("-", ""))
    kiosk.xdotool_keys("Return")
    ticket_screen = kiosk.app.screens["ticket"]
    kiosk.until(lambda: ticket_screen.state == "issued", what="the ticket")
    assert ticket_screen.wait == "Pieraksta laiks: 14:00"
    kiosk.tap(find(ticket_screen, "done_button"))
    # The next visitor finds nothing of this one's code.
    assert kiosk.app.manager.current == "start"
    assert screen.mode == "code" and find(screen, "code_input").text == ""


def test_too_early_says_when_to_come_back_and_issues_nothing(make_kiosk, server, clock) -> None:
    booked = booking(server)
    clock.advance(timedelta(hours=1))  # 11:00
    kiosk = make_kiosk()
    screen = open_check_in(kiosk, "English")
    kiosk.type_text(booked["code"])
    kiosk.tap(find(screen, "submit_button"))
    kiosk.until(lambda: screen.mode == "early", what="the answer")
    message = find(screen, "message_label").text
    assert message == (
        "Your booking is today at 14:00. Check-in opens at 13:30. Please come back then."
    )
    assert find(screen, "normal_ticket_button").opacity == 0
    kiosk.screenshot("kiosk-check-in-early-en")
    with server.client() as public:
        view = public.get(f"/appointments/manage/{booked['manage_token']}").json()
    assert view["status"] == "booked"
    kiosk.tap(find(screen, "back_button"))
    assert kiosk.app.manager.current == "start" and kiosk.app.session is None


def test_too_late_offers_a_normal_ticket(make_kiosk, server, clock) -> None:
    booked = booking(server)
    clock.advance(timedelta(hours=4, minutes=11))  # 14:11: the window closed at 14:10
    kiosk = make_kiosk()
    screen = open_check_in(kiosk, "English")
    kiosk.type_text(booked["code"])
    kiosk.key(13)
    kiosk.until(lambda: screen.mode == "late", what="the answer")
    assert "Your booked time (14:00) has passed" in find(screen, "message_label").text
    kiosk.screenshot("kiosk-check-in-late-en")
    kiosk.tap(find(screen, "normal_ticket_button"))
    ticket_screen = kiosk.app.screens["ticket"]
    kiosk.until(lambda: ticket_screen.state == "issued", what="the normal ticket")
    assert kiosk.app.outcome.ticket.appointment_at is None
    assert ticket_screen.people_ahead.startswith("People ahead")


def test_a_wrong_code_is_named_and_can_be_corrected(make_kiosk, server, clock) -> None:
    booked = booking(server)
    clock.advance(timedelta(hours=3, minutes=45))
    kiosk = make_kiosk()
    screen = open_check_in(kiosk, "English")
    kiosk.type_text("ZZZZZZZZ")
    kiosk.key(13)
    kiosk.until(lambda: screen.error != "", what="the error")
    assert screen.error == "No booking has this code. Please check it."
    assert screen.mode == "code"
    assert "No booking has this code. Please check it." in texts(screen)
    for _ in range(8):
        kiosk.key(8)
    kiosk.type_text(booked["code"])
    assert screen.error == ""
    kiosk.key(13)
    ticket_screen = kiosk.app.screens["ticket"]
    kiosk.until(lambda: ticket_screen.state == "issued", what="the ticket")
