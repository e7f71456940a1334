"""The whole ticket flow by touch, in each language, ending in printed bytes."""

from __future__ import annotations

import pytest

from printer.profiles import profile_info
from tests.support.escpos_decoder import decode
from tests.support.fake_printer import FakeNetworkPrinter
from tests.support.kivy_harness import find, texts

pytestmark = pytest.mark.gui

CHOICES = {
    "lv": ("Latviešu", "Dzīvesvieta un dokumenti", "Dzīvesvietas deklarēšana"),
    "ru": ("Русский", "Место жительства и документы", "Декларирование места жительства"),
    "en": ("English", "Residence and documents", "Declaring your place of residence"),
}


def button_with(root, text: str):
    """The button whose text contains `text`."""
    from kivy.uix.button import Button

    matches = []

    def visit(widget) -> None:
        if isinstance(widget, Button) and text in (getattr(widget, "text", "") or ""):
            matches.append(widget)
        for child in widget.children:
            visit(child)

    visit(root)
    assert matches, f"no button with {text!r}"
    return matches[0]


@pytest.mark.parametrize("language", ["lv", "ru", "en"])
def test_ticket_flow_by_touch(make_kiosk, server, staff, language: str) -> None:
    with FakeNetworkPrinter("healthy") as printer:
        kiosk = make_kiosk(printer=f"network:{printer.spec_address};profile=TM-T20II")
        app = kiosk.app
        kiosk.until(lambda: app.manager.current == "start", what="the start screen")
        language_name, category, service = CHOICES[language]
        start = app.screens["start"]
        kiosk.tap(button_with(start, language_name))
        assert app.language == language
        kiosk.tap(find(start, "take_ticket_button"))
        services = app.screens["services"]
        assert app.manager.current == "services"
        kiosk.tap(button_with(services, category))
        kiosk.tap(button_with(services, service))
        assert app.manager.current == "priority"
        kiosk.tap(find(app.screens["priority"], "priority_no_button"))
        ticket_screen = app.screens["ticket"]
        kiosk.until(lambda: ticket_screen.state == "issued", what="the issued ticket")
        number = ticket_screen.number
        assert number == "A001"
        assert ticket_screen.printed
        printer.wait_for_jobs(2)
    printed = decode(printer.printed(), profile_info("TM-T20II").code_pages)
    assert number in printed.text
    assert service in printed.text.replace("\n", " ")
    with server.client(staff.manager) as http:
        stored = http.get(f"/tickets/{app.outcome.ticket.id}").json()
    assert stored["printed"] is True and stored["language"] == language
    assert number in texts(ticket_screen)
