"""Every visit starts clean: after a ticket, an idle reset, closing time or a change of
server, the kiosk is exactly as a freshly started kiosk is, whatever the last visitor did
(language, larger text, contrast, speech, volume, keypad focus, a search, an idle warning).
"""

from __future__ import annotations

import re
from dataclasses import replace
from datetime import datetime, timedelta
from typing import Any

import pytest

from core.clock import ManualClock
from core.model import Localized
from tests.kiosk.ui.test_accessibility import TAB, focus_on, text_of
from tests.kiosk.ui.test_ticket_flow import button_with
from tests.support.catalogues import RIGA, always_open, demo_catalogue
from tests.support.kivy_harness import find, texts
from tests.support.running_server import RunningServer

pytestmark = pytest.mark.gui
CLOCK_TEXT = re.compile(r"^\d\d:\d\d$")


def fingerprint(app) -> dict[str, Any]:
    """Everything of a visit a next visitor could see or hear (every screen laid out at
    the manager's size, as when shown: one never shown has Kivy's default 100 × 100 and
    would count as a short screen)."""
    from kivy.core.window import Window

    for screen in app.manager.screens:
        screen.size = app.manager.size

    focused = [
        text_of(widget)
        for screen in app.screens.values()
        for widget in screen.walk()
        if getattr(widget, "focused", False)
    ]
    return {
        "screen": app.manager.current,
        "session": app.session,
        "language": app.language,
        "centre name": app.centre_name,
        "text scale": app.text_scale,
        "high contrast": app.high_contrast,
        "speech": app.speech_on,
        "volume": app.speaker.volume,
        "focus": focused,
        "on top of the screen": [type(child).__name__ for child in Window.children],
        "texts": {
            name: [text for text in texts(screen) if not CLOCK_TEXT.match(text)]
            for name, screen in app.screens.items()
        },
    }


def a_visitor_does_everything(kiosk, *, take_a_ticket: bool = False) -> None:
    """Russian, larger text, high contrast, speech, louder, the keypad focus, a search."""
    app = kiosk.app
    start = app.screens["start"]
    kiosk.tap(button_with(start, "Русский"))
    kiosk.tap(find(start, "large_text_toggle"))
    kiosk.tap(find(start, "contrast_toggle"))
    kiosk.tap(find(start, "speech_toggle"))
    kiosk.key(ord("+"), "+")
    focus_on(kiosk, lambda w: "Русский" in text_of(w), "Русский")
    assert app.language == "ru" and app.text_scale > 1 and app.high_contrast and app.speech_on
    assert app.speaker.volume > 100
    kiosk.tap(find(start, "take_ticket_button"))
    services = app.screens["services"]
    kiosk.tap(find(services, "search_tab_button"))
    kiosk.type_text("дек")
    assert services.ids.search_input.text == "дек"
    if take_a_ticket:
        kiosk.tap(button_with(services, "Декларирование места жительства"))
        kiosk.tap(find(app.screens["priority"], "priority_no_button"))
        kiosk.until(lambda: app.screens["ticket"].state == "issued", what="the ticket")
    else:
        kiosk.advance(app.kiosk_config.idle_seconds)
        assert app._warning is not None, "the idle warning is showing"


def compare_with_a_fresh_kiosk(kiosk, make_kiosk, **settings) -> None:
    after = fingerprint(kiosk.app)
    screen = after["screen"]
    kiosk.stop()
    fresh = make_kiosk(**settings)
    fresh.until(lambda: fresh.app.manager.current == screen, what=f"the {screen} screen")
    fresh.pump(0.2)
    assert after == fingerprint(fresh.app)


def test_after_an_idle_reset(make_kiosk) -> None:
    kiosk = make_kiosk()
    app = kiosk.app
    kiosk.until(lambda: app.manager.current == "start")
    a_visitor_does_everything(kiosk)
    kiosk.advance(app.kiosk_config.warning_seconds)
    assert app.manager.current == "start"
    compare_with_a_fresh_kiosk(kiosk, make_kiosk)


def test_after_a_ticket(make_kiosk) -> None:
    kiosk = make_kiosk()
    app = kiosk.app
    kiosk.until(lambda: app.manager.current == "start")
    a_visitor_does_everything(kiosk, take_a_ticket=True)
    kiosk.advance(app.kiosk_config.ticket_seconds)
    assert app.manager.current == "start"
    compare_with_a_fresh_kiosk(kiosk, make_kiosk)


def test_at_closing_time(make_kiosk, tmp_path) -> None:
    before_closing = datetime(2026, 11, 23, 18, 55, tzinfo=RIGA)  # a Monday; closes at 19:00
    clock = ManualClock(before_closing)
    with RunningServer(tmp_path / "closing", clock=clock, catalogue=demo_catalogue()) as centre:
        token = centre.add_device("kiosk-closing", "kiosk")
        kiosk = make_kiosk(server_url=centre.url, token=token)
        app = kiosk.app
        kiosk.until(lambda: app.manager.current == "start")
        a_visitor_does_everything(kiosk)
        clock.advance(timedelta(minutes=6))
        app.backend.link.refresh_soon()
        kiosk.until(lambda: app.manager.current == "closed", what="the closed screen")
        kiosk.advance(600)  # nothing is left counting down over the closed screen
        compare_with_a_fresh_kiosk(kiosk, make_kiosk, server_url=centre.url, token=token)


def test_when_the_server_changes(make_kiosk, server, tmp_path) -> None:
    kiosk = make_kiosk()
    app = kiosk.app
    kiosk.until(lambda: app.manager.current == "start")
    a_visitor_does_everything(kiosk)
    server.stop()
    # The centre's server comes back with another catalogue (e.g. a new centre name).
    catalogue = always_open()
    renamed = replace(
        catalogue,
        centre=replace(catalogue.centre, name=Localized("Jaunais centrs", "Новый центр", "New")),
    )
    with RunningServer(server.data_dir, clock=server.clock, catalogue=renamed, port=server.port):
        kiosk.until(lambda: app.centre_name == "Jaunais centrs", timeout=30, what="the new server")
        kiosk.until(lambda: app.manager.current == "start")
        compare_with_a_fresh_kiosk(kiosk, make_kiosk)


def test_the_keypad_focus_does_not_outlive_the_visitor(make_kiosk) -> None:
    kiosk = make_kiosk()
    app = kiosk.app
    kiosk.until(lambda: app.manager.current == "start")
    focus_on(kiosk, lambda w: "Русский" in text_of(w), "Русский")
    kiosk.key(13)  # Enter: Russian, the focus stays on the button on the same screen
    assert app.language == "ru"
    kiosk.advance(app.kiosk_config.idle_seconds + app.kiosk_config.warning_seconds)
    assert app.language == "lv"
    assert not [w for w in app.screens["start"].walk() if getattr(w, "focused", False)]
    kiosk.key(TAB)
    assert app._focused is not None and "Latviešu" in text_of(app._focused), (
        "the keypad starts from the top again"
    )
