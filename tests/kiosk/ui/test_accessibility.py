"""Keypad-only use and speech mode."""

from __future__ import annotations

import pytest

from terminal.speech import wav_seconds
from tests.support.fake_printer import FakeNetworkPrinter
from tests.support.kivy_harness import find

pytestmark = pytest.mark.gui

TAB, ENTER, ESCAPE, F1, DOWN = 9, 13, 27, 282, 274


def focus_on(kiosk, predicate, what: str, limit: int = 40) -> None:
    """Press Tab until the focused widget satisfies `predicate`."""
    for _ in range(limit):
        kiosk.key(TAB)
        focused = getattr(kiosk.app, "_focused", None)
        if focused is not None and predicate(focused):
            return
    raise AssertionError(f"Tab never reached {what}")


def text_of(widget) -> str:
    return f"{getattr(widget, 'text', '')} {getattr(widget, 'hint', '')}"


def test_keypad_only_flow(make_kiosk) -> None:
    with FakeNetworkPrinter("healthy") as printer:
        kiosk = make_kiosk(printer=f"network:{printer.spec_address}")
        app = kiosk.app
        kiosk.until(lambda: app.manager.current == "start")
        focus_on(kiosk, lambda w: "English" in text_of(w), "English")
        kiosk.key(ENTER)
        assert app.language == "en"
        start = app.screens["start"]
        focus_on(kiosk, lambda w: w == find(start, "take_ticket_button"), "Take a ticket")
        assert find(start, "take_ticket_button").focused, "the focus ring is drawn"
        kiosk.screenshot("kiosk-keypad-focus")
        kiosk.key(ENTER)
        assert app.manager.current == "services"
        focus_on(kiosk, lambda w: "Residence and documents" in text_of(w), "the topic")
        kiosk.key(ENTER)
        focus_on(kiosk, lambda w: "Declaring your place of residence" in text_of(w), "the service")
        kiosk.key(ENTER)
        assert app.manager.current == "priority"
        # Escape goes back, Enter on the service again comes forward.
        kiosk.key(ESCAPE)
        assert app.manager.current == "services"
        focus_on(kiosk, lambda w: "Declaring your place of residence" in text_of(w), "the service")
        kiosk.key(ENTER)
        focus_on(kiosk, lambda w: w == find(app.screens["priority"], "priority_no_button"), "No")
        kiosk.key(ENTER)
        kiosk.until(lambda: app.screens["ticket"].state == "issued")
        assert app.screens["ticket"].number == "A001"
        printer.wait_for_jobs(2)
    assert b"A001" in printer.printed()


def test_search_by_physical_keyboard(make_kiosk) -> None:
    kiosk = make_kiosk()
    app = kiosk.app
    kiosk.until(lambda: app.manager.current == "start")
    app.choose_services("ticket")
    app.screens["services"].show_view("search")
    kiosk.type_text("buvv")
    services = app.screens["services"]
    assert services.ids.search_input.text == "buvv"
    assert list(services._buttons) == ["building-board"], "diacritics are ignored"
    kiosk.key(8)  # backspace edits the search, it does not leave the screen
    assert services.ids.search_input.text == "buv" and app.manager.current == "services"


def test_speech_mode_reads_screens_focus_and_the_ticket(make_kiosk) -> None:
    kiosk = make_kiosk()
    app = kiosk.app
    speaker = app.speaker
    kiosk.until(lambda: app.manager.current == "start")
    kiosk.key(F1)  # speech mode starts without needing sight
    assert app.speech_on
    speaker.wait_until_quiet(20)
    assert "Runas režīms ieslēgts" in speaker.history[-2].text or any(
        "Runas režīms ieslēgts" in s.text for s in speaker.history
    )
    focus_on(
        kiosk, lambda w: w == find(app.screens["start"], "take_ticket_button"), "Take a ticket"
    )
    kiosk.key(ENTER)
    speaker.wait_until_quiet(20)
    assert any("Izvēlieties pakalpojumu" in s.text for s in speaker.history)
    focus_on(kiosk, lambda w: "Dzīvesvieta un dokumenti" in text_of(w), "the topic")
    kiosk.key(ENTER)
    focus_on(kiosk, lambda w: "Dzīvesvietas deklarēšana" in text_of(w), "the service")
    speaker.wait_until_quiet(20)
    assert "Dzīvesvietas deklarēšana" in speaker.history[-1].text
    assert "Rindā: 0" in speaker.history[-1].text
    kiosk.key(ENTER)
    focus_on(kiosk, lambda w: w == find(app.screens["priority"], "priority_no_button"), "No")
    kiosk.key(ENTER)
    kiosk.until(lambda: app.screens["ticket"].state == "issued")
    speaker.wait_until_quiet(30)
    spoken = speaker.history[-1]
    assert "Jūsu numurs A 1" in spoken.text
    assert "Pirms jums rindā 0" in spoken.text
    # Real espeak-ng rendered the sentence to a WAV file of several seconds.
    assert spoken.files and wav_seconds(spoken.files[0]) > 3
    before = len(speaker.history)
    kiosk.key(ord("r"), "r")  # repeat
    speaker.wait_until_quiet(30)
    assert len(speaker.history) == before + 1 and speaker.history[-1].text == spoken.text
    kiosk.key(ord("+"), "+")
    assert speaker.volume == 125
    app.finish_visit()
    assert speaker.volume == 100, "volume resets for the next visitor"
