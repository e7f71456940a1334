"""Kivy settings shared by the kiosk and the hall display (Kivy is imported lazily here)."""

from __future__ import annotations

import os
from collections.abc import Callable
from typing import Any

from core.data import font_path

_fonts_registered = False


def configure_kivy(fullscreen: bool, width: int, height: int, density: float = 1.0) -> None:
    """Settings that must be made before Kivy's window exists."""
    os.environ.setdefault("KIVY_NO_ARGS", "1")
    os.environ.setdefault("KIVY_NO_FILELOG", "1")
    if density != 1.0:
        os.environ.setdefault("KIVY_METRICS_DENSITY", str(density))
    from kivy.config import Config

    Config.set("kivy", "exit_on_escape", "0")
    Config.set("input", "mouse", "mouse,multitouch_on_demand")
    Config.set("graphics", "allow_screensaver", "0")
    if fullscreen:
        Config.set("graphics", "fullscreen", "auto")
        Config.set("graphics", "borderless", "1")
        Config.set("graphics", "show_cursor", "0")
    else:
        Config.set("graphics", "fullscreen", "0")
        Config.set("graphics", "width", str(width))
        Config.set("graphics", "height", str(height))


def register_fonts() -> None:
    """Use DejaVu Sans (Latvian, Cyrillic and arrows) as the default font everywhere."""
    global _fonts_registered
    if not _fonts_registered:
        from kivy.core.text import DEFAULT_FONT, LabelBase

        LabelBase.register(DEFAULT_FONT, str(font_path()), fn_bold=str(font_path(bold=True)))
        _fonts_registered = True


def on_main_thread(app: Any, action: Callable[[], None]) -> None:
    """Run `action` on Kivy's main thread at the next frame (backends call this from their
    threads); dropped if `app.stopped` by then."""
    from kivy.clock import Clock

    Clock.schedule_once(lambda dt: None if app.stopped else action(), 0)
