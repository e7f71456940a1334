"""Switching language redraws the screen in front of the visitor, not every screen
(the others catch up as they are shown): no keyboard is rebuilt, no hidden list is
remade. The time it takes is measured by bench/kiosk_language.py, not here."""

from __future__ import annotations

import pytest

from tests.kiosk.ui.test_ticket_flow import button_with
from tests.support.kivy_harness import find, texts

pytestmark = pytest.mark.gui


def test_a_language_switch_redraws_only_the_screen_in_front(make_kiosk, monkeypatch) -> None:
    from kiosk.keyboard import OnScreenKeyboard

    kiosk = make_kiosk()
    app = kiosk.app
    kiosk.until(lambda: app.manager.current == "start")
    rebuilt: list[str] = []
    original_rebuild = OnScreenKeyboard.rebuild

    def counting_rebuild(keyboard) -> None:
        rebuilt.append(keyboard.language)
        original_rebuild(keyboard)

    monkeypatch.setattr(OnScreenKeyboard, "rebuild", counting_rebuild)
    refreshed: list[str] = []
    for name, screen in app.screens.items():
        original = screen.refresh

        def counting(live_only: bool = False, name=name, original=original) -> None:
            if not live_only:  # (live queue figures come in all the time)
                refreshed.append(name)
            original(live_only=live_only)

        monkeypatch.setattr(screen, "refresh", counting)

    kiosk.tap(button_with(app.screens["start"], "Русский"))
    assert refreshed == ["start"], "only the screen in front is redrawn"
    assert rebuilt == [], "no keyboard is rebuilt for a language switch"
    assert "Взять талон в очередь" in " ".join(texts(app.screens["start"]))

    # The other screens are in Russian when they are shown.
    kiosk.tap(find(app.screens["start"], "take_ticket_button"))
    services = app.screens["services"]
    assert find(services, "title_label").text == "Выберите услугу"
    assert "Место жительства и документы" in " ".join(texts(services))
    kiosk.tap(find(services, "search_tab_button"))
    assert rebuilt == ["ru"], "the search keyboard is made in Russian when it is opened"
    # (in the case it types: the search takes small letters)
    assert button_with(find(services, "keyboard"), "й")
