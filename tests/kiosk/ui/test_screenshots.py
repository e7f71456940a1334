"""Screenshots of every kiosk screen in normal, large-text and high-contrast modes.

They are written to $RINDA_SCREENSHOTS (default /tmp/rinda-screenshots) to be looked at;
the test checks each mode really changes what is drawn.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime

import pytest
from PIL import Image, ImageChops

from tests.kiosk.ui.test_ticket_flow import button_with
from tests.support.kivy_harness import find

pytestmark = pytest.mark.gui

MODES = ("normal", "large", "contrast")


def set_mode(app, mode: str) -> None:
    app.text_scale = 1.4 if mode == "large" else 1.0
    app.set_contrast(mode == "contrast")


def test_screenshots_of_every_screen(make_kiosk) -> None:
    kiosk = make_kiosk()
    app = kiosk.app
    kiosk.until(lambda: app.manager.current == "start")
    shots: dict[str, dict[str, Image.Image]] = {}

    def shoot(screen: str) -> None:
        for mode in MODES:
            set_mode(app, mode)
            path = kiosk.screenshot(f"kiosk-{screen}-{mode}")
            shots.setdefault(screen, {})[mode] = Image.open(path).convert("RGB")
        set_mode(app, "normal")

    shoot("start")
    kiosk.tap(find(app.screens["start"], "take_ticket_button"))
    shoot("services-categories")
    services = app.screens["services"]
    kiosk.tap(button_with(services, "Dzīvesvieta un dokumenti"))
    shoot("services-group")
    services.show_view("situations")
    shoot("services-situations")
    services.show_view("search")
    kiosk.type_text("dekl")
    shoot("services-search")
    services.show_view("categories")
    kiosk.tap(button_with(services, "Dzīvesvieta un dokumenti"))
    kiosk.tap(button_with(services, "Dzīvesvietas deklarēšana"))
    shoot("priority")
    kiosk.tap(find(app.screens["priority"], "priority_no_button"))
    kiosk.until(lambda: app.screens["ticket"].state == "issued")
    shoot("ticket")
    app.finish_visit()
    app.choose_services("info")
    kiosk.tap(button_with(services, "Īpašums un būvniecība"))
    kiosk.tap(button_with(services, "Būvvaldes konsultācijas"))
    shoot("info")
    app.go("unavailable")
    shoot("unavailable")
    queue = app.catalogue.queue
    app.catalogue.queue = replace(
        queue,
        centre=replace(
            queue.centre, is_open=False, opens_at=datetime(2026, 11, 24, 6, 30, tzinfo=UTC)
        ),
    )
    app.screens["closed"].refresh()
    app.go("closed")
    shoot("closed")
    for screen, images in shots.items():
        normal = images["normal"]
        for mode in ("large", "contrast"):
            difference = ImageChops.difference(normal, images[mode]).getbbox()
            assert difference is not None, f"{mode} mode changed nothing on {screen}"
