"""The on-screen keyboard in every language: Latin with the Latvian letters and Cyrillic,
one labelled tap apart; Latin-only fields open in Latin; a Russian-speaking visitor can
give an e-mail address and a Latvian street name and get the answer by e-mail."""

from __future__ import annotations

import json
import sqlite3

import pytest

from tests.kiosk.ui.test_applications import key_with_face, tap_keys
from tests.kiosk.ui.test_ticket_flow import CHOICES, button_with
from tests.support.kivy_harness import find

pytestmark = pytest.mark.gui

LATVIAN_LETTERS = "ĀČĒĢĪĶĻŅŠŪŽ"
SCRIPT = {"lv": "latin", "ru": "cyrillic", "en": "latin"}


def choose_language(kiosk, language: str) -> None:
    app = kiosk.app
    kiosk.until(lambda: app.manager.current == "start", what="the start screen")
    kiosk.tap(button_with(app.screens["start"], CHOICES[language][0]))
    assert app.language == language


@pytest.mark.parametrize("language", ["lv", "ru", "en"])
def test_every_keyboard_has_both_scripts_one_labelled_tap_apart(make_kiosk, language) -> None:
    kiosk = make_kiosk()
    app = kiosk.app
    choose_language(kiosk, language)
    kiosk.tap(find(app.screens["start"], "take_ticket_button"))
    services = app.screens["services"]
    kiosk.tap(find(services, "search_tab_button"))
    keyboard = find(services, "keyboard")
    assert keyboard.script == SCRIPT[language], "it opens in the script of the language"
    kiosk.screenshot(f"kiosk-keyboard-{language}")
    if keyboard.script == "cyrillic":
        tap_keys(kiosk, services, "дек")
        assert services.ids.search_input.text == "дек"
        kiosk.tap(key_with_face(keyboard, "⌫"))
        kiosk.tap(key_with_face(keyboard, "⌫"))
        kiosk.tap(key_with_face(keyboard, "⌫"))
    switch = key_with_face(keyboard, "АБВ" if keyboard.script == "latin" else "ABC")
    assert switch.spoken, "the switch says what it does"
    kiosk.tap(switch)
    assert keyboard.script == ("cyrillic" if SCRIPT[language] == "latin" else "latin")
    if keyboard.script == "latin":
        kiosk.screenshot(f"kiosk-keyboard-{language}-latin")
    else:
        kiosk.screenshot(f"kiosk-keyboard-{language}-cyrillic")
        kiosk.tap(key_with_face(keyboard, "ABC"))
    assert keyboard.script == "latin"
    for letter in LATVIAN_LETTERS:
        key_with_face(keyboard, letter)
    tap_keys(kiosk, services, "būvv")
    assert services.ids.search_input.text == "būvv"
    assert list(services._buttons) == ["building-board"]


def stored_fields(server) -> dict:
    with sqlite3.connect(server.data_dir / "rinda.sqlite3") as conn:
        (fields,) = conn.execute("SELECT fields FROM applications").fetchone()
    return json.loads(fields)


def test_a_russian_speaker_gets_the_answer_by_e_mail(make_kiosk, server) -> None:
    kiosk = make_kiosk()
    app = kiosk.app
    choose_language(kiosk, "ru")
    kiosk.until(lambda: app.applications_enabled, what="applications")
    kiosk.tap(find(app.screens["start"], "lodge_button"))
    screen = app.screens["application"]
    keyboard = find(screen, "keyboard")
    kiosk.tap(button_with(screen, "Запрос справки"))
    assert screen.form.current == "name" and keyboard.script == "cyrillic"
    tap_keys(kiosk, screen, "иван петров")
    assert find(screen, "field_input").text == "Иван Петров"
    kiosk.tap(find(screen, "next_button"))
    assert keyboard.script == "latin", "a personal code is typed in Latin and digits"
    tap_keys(kiosk, screen, "120389-11220")
    kiosk.tap(find(screen, "next_button"))
    assert screen.form.current == "delivery"
    kiosk.tap(button_with(screen, "По e-mail"))
    assert screen.form.current == "phone"
    kiosk.tap(find(screen, "next_button"))
    assert screen.form.current == "email"
    assert "(обязательно)" in find(screen, "prompt_label").text
    assert "по e-mail" in find(screen, "need_label").text
    assert keyboard.script == "latin", "an e-mail address opens in Latin"
    kiosk.screenshot("kiosk-application-email-ru")
    tap_keys(kiosk, screen, "ivan@example.lv")
    kiosk.tap(find(screen, "next_button"))
    assert screen.form.current == "address"
    assert keyboard.script == "cyrillic"
    kiosk.tap(key_with_face(keyboard, "ABC"))  # one tap to Latin for a Latvian street
    tap_keys(kiosk, screen, "rīgas iela 1")
    assert find(screen, "field_input").text == "Rīgas iela 1"
    kiosk.screenshot("kiosk-keyboard-ru-latin-address")
    kiosk.tap(find(screen, "next_button"))
    kiosk.type_text("Прошу справку о месте жительства.")
    kiosk.tap(find(screen, "next_button"))
    kiosk.tap(find(screen, "next_button"))  # consent
    assert screen.form.current == "review"
    kiosk.tap(find(screen, "next_button"))
    kiosk.until(lambda: screen.mode == "done", what="the lodged application")
    fields = stored_fields(server)
    assert fields["email"] == "ivan@example.lv"
    assert fields["address"] == "Rīgas iela 1"
    assert fields["delivery"] == "email"
    assert fields["name"] == "Иван Петров"


def test_shift_changes_the_case_of_the_next_letter_and_the_keys_show_it(make_kiosk) -> None:
    kiosk = make_kiosk()
    app = kiosk.app
    choose_language(kiosk, "lv")
    kiosk.until(lambda: app.applications_enabled, what="applications")
    kiosk.tap(find(app.screens["start"], "lodge_button"))
    screen = app.screens["application"]
    keyboard = find(screen, "keyboard")
    kiosk.tap(button_with(screen, "Izziņas pieprasījums"))
    assert key_with_face(keyboard, "a").text == "A", "a name starts with a capital"
    tap_keys(kiosk, screen, "mc")
    assert key_with_face(keyboard, "a").text == "a"
    kiosk.tap(key_with_face(keyboard, "⇧"))
    assert key_with_face(keyboard, "⇧").selected
    assert key_with_face(keyboard, "d").text == "D"
    tap_keys(kiosk, screen, "donalds")
    assert find(screen, "field_input").text == "McDonalds"
    assert not key_with_face(keyboard, "⇧").selected, "shift is for one letter"


def test_letters_with_marks_move_no_key_of_the_search(make_kiosk) -> None:
    """The search field keeps its height whatever is typed (Kivy measures a field's
    line on its text: "ū" made it 1 px higher and moved every key under the finger)."""
    from kiosk.widgets import KeyButton
    from tests.support.geometry import window_rect

    kiosk = make_kiosk()
    app = kiosk.app
    choose_language(kiosk, "lv")
    kiosk.tap(find(app.screens["start"], "take_ticket_button"))
    services = app.screens["services"]
    kiosk.tap(find(services, "search_tab_button"))
    keys = [k for k in find(services, "keyboard").walk() if isinstance(k, KeyButton)]
    kiosk.settle()
    before = [window_rect(k) for k in keys]
    for text in ("b", "būvv", "Ņ", "ЁЙ", ""):
        services.ids.search_input.text = text
        kiosk.settle()
        assert [window_rect(k) for k in keys] == before, f"{text!r} moved the keys"
