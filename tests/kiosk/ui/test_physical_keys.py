"""Physical keys do what they say: real X key events (xdotool under Xvfb) into the kiosk's
search and form fields and the feedback terminal's number entry. Function and modifier
keys never type text; Shift and Caps Lock give capitals; every key the docs name works."""

from __future__ import annotations

import shutil

import pytest

from tests.kiosk.ui.test_ticket_flow import button_with
from tests.support.kivy_harness import find

pytestmark = [
    pytest.mark.gui,
    pytest.mark.skipif(shutil.which("xdotool") is None, reason="needs xdotool (scripts/bootstrap)"),
]

# Keys that type nothing, whatever Kivy reports as their "codepoint" (F1 is chr(282) "Ě",
# Shift chr(304) "İ", Caps Lock chr(301) "ĭ" ...).
SILENT_KEYS = (
    "Shift_L",
    "Shift_R",
    "Control_L",
    "Control_R",
    "Alt_L",
    "Super_L",
    "Num_Lock",
    "Insert",
    "Home",
    "End",
    "Prior",
    "Next",
    *(f"F{n}" for n in range(2, 13)),
)


def open_search(kiosk):
    app = kiosk.app
    kiosk.until(lambda: app.manager.current == "start", what="the start screen")
    app.choose_services("ticket")
    services = app.screens["services"]
    services.show_view("search")
    kiosk.pump(0.1)
    return services


def test_search_field_takes_text_only_from_text_keys(make_kiosk) -> None:
    kiosk = make_kiosk()
    app = kiosk.app
    services = open_search(kiosk)
    field = services.ids.search_input

    # F1 is the documented speech key: it switches speech on and types nothing.
    kiosk.xdotool_keys("F1")
    assert app.speech_on
    assert field.text == ""
    kiosk.xdotool_keys(*SILENT_KEYS)
    assert field.text == ""
    # Shift gives a capital, Caps Lock capitals until it is released again.
    kiosk.xdotool_keys("shift+b")
    kiosk.xdotool_type("uvv")
    assert field.text == "Buvv"
    kiosk.xdotool_keys("BackSpace", "BackSpace", "BackSpace", "BackSpace")
    assert field.text == ""
    kiosk.xdotool_keys("Caps_Lock")
    kiosk.xdotool_type("dekl")
    kiosk.xdotool_keys("Caps_Lock")
    kiosk.xdotool_type("a")
    assert field.text == "DEKLa"
    assert "residence" in services._buttons, "the search still finds by the letters"
    # In a text field R, + and - are text; Space is a space.
    kiosk.xdotool_keys("space", "r", "plus", "minus")
    assert field.text == "DEKLa r+-"
    assert app.speaker.volume == 100
    # Tab and the arrows move the focus and type nothing; Enter presses the focused item.
    kiosk.xdotool_keys("Tab", "Tab", "Down", "Up", "shift+Tab")
    assert field.text == "DEKLa r+-"
    assert app._focused is not None and app._focused.focused
    # Escape goes back.
    kiosk.xdotool_keys("Escape")
    assert app.manager.current == "start"


def test_keys_outside_text_fields_are_commands(make_kiosk) -> None:
    kiosk = make_kiosk()
    app = kiosk.app
    kiosk.until(lambda: app.manager.current == "start", what="the start screen")
    kiosk.xdotool_keys("plus", "plus", "minus")
    assert app.speaker.volume == 125
    kiosk.xdotool_keys("F1")
    assert app.speech_on
    app.speaker.wait_until_quiet(20)
    before = len(app.speaker.history)
    kiosk.xdotool_keys("r")
    app.speaker.wait_until_quiet(20)
    assert len(app.speaker.history) == before + 1, "R repeats"
    start = app.screens["start"]
    kiosk.xdotool_keys("Tab")
    assert app._focused is not None
    for _ in range(12):
        if app._focused == find(start, "take_ticket_button"):
            break
        kiosk.xdotool_keys("Tab")
    assert app._focused == find(start, "take_ticket_button"), getattr(app._focused, "text", None)
    kiosk.xdotool_keys("Return")
    kiosk.until(lambda: app.manager.current == "services", what="Enter to take a ticket")
    kiosk.xdotool_keys("BackSpace")
    assert app.manager.current == "start", "Backspace goes back outside a text field"


def test_form_field_gets_exactly_what_is_typed(make_kiosk) -> None:
    kiosk = make_kiosk()
    app = kiosk.app
    kiosk.until(
        lambda: app.manager.current == "start" and app.applications_enabled,
        what="the start screen with applications",
    )
    kiosk.tap(find(app.screens["start"], "lodge_button"))
    screen = app.screens["application"]
    kiosk.tap(button_with(screen, "Izziņas pieprasījums"))
    field = find(screen, "field_input")
    # Touching the field itself must not take the keyboard away afterwards.
    kiosk.tap(field)
    kiosk.tap(find(screen, "title_label"))
    kiosk.xdotool_keys("F1", "Shift_L", "Caps_Lock", "Caps_Lock", "Alt_L", "F5")
    assert field.text == ""
    kiosk.xdotool_keys("shift+a")
    kiosk.xdotool_type("nna ")
    kiosk.xdotool_keys("shift+o")
    kiosk.xdotool_type("zola")
    assert field.text == "Anna Ozola"
    assert screen.form.value("name") == "Anna Ozola"


def test_feedback_number_entry_ignores_function_and_modifier_keys(
    make_terminal,
    server,
    staff,
) -> None:
    terminal = make_terminal(token=staff.exit_feedback)
    app = terminal.app
    terminal.until(lambda: app.manager.current == "entry", what="the number entry")
    entry = app.screens["entry"]
    terminal.xdotool_keys("F1", "Shift_L", "Caps_Lock", "Caps_Lock", "F3", "Control_L")
    assert entry.typed == ""
    assert app.speech_on
    terminal.xdotool_type("a12")
    assert entry.typed == "A12"
    terminal.xdotool_keys("BackSpace")
    assert entry.typed == "A1"
