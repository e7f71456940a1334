"""Kiosk screens: each a `<name>.py` (behaviour) and `<name>.kv` (layout)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from kivy.lang import Builder
from kivy.metrics import sp
from kivy.properties import AliasProperty, ObjectProperty, StringProperty
from kivy.uix.screenmanager import Screen

from kiosk.screens.frame import AccessibilityBar

__all__ = ["AccessibilityBar", "KioskScreen", "load_kv"]  # the frame's widgets, known to kv

HERE = Path(__file__).resolve().parent
KV_FILES = (
    HERE.parent / "widgets.kv",
    HERE / "frame.kv",
    *(
        HERE / f"{name}.kv"
        for name in (
            "start",
            "services",
            "info",
            "priority",
            "ticket",
            "messages",
            "application",
            "checkin",
        )
    ),
)
_loaded: set[Path] = set()
SHORT_SCREEN_SP = 700
"""Below this height (sp: measured in text, which on a small screen is larger against the
layout, `terminal.screen_scale`) a screen is short, and the screens stack less and put
less side by side (`short`, `wide`)."""


def load_kv(extra: tuple[Path, ...] = ()) -> None:
    """Load the kv files once per process (loading twice would duplicate the rules)."""
    for path in (*KV_FILES, *extra):
        if path not in _loaded and path.exists():
            Builder.load_file(str(path))
            _loaded.add(path)


class KioskScreen(Screen):
    """A screen that knows the kiosk app (its controller) and can be read aloud."""

    controller = ObjectProperty(None)
    language = StringProperty("lv")
    """The language the screen is drawn in (its kv texts follow it). It follows the
    visitor's language while the screen is shown and catches up just before it is shown
    again: switching language redraws the screen in front of the visitor, not all eight."""

    def _is_short(self) -> bool:
        return bool(self.height < sp(SHORT_SCREEN_SP))

    short = AliasProperty(_is_short, bind=["height"], cache=True)
    """Whether the screen is short (`SHORT_SCREEN_SP`): its layout stacks less."""

    def _is_wide(self) -> bool:
        return bool(self.width > self.height and not self._is_short())

    wide = AliasProperty(_is_wide, bind=["width", "height"], cache=True)
    """Whether the screen lays its parts side by side (landscape, not short); otherwise
    they stack in one column, which scrolls where it must (`kiosk.widgets.RoomScroll`)."""

    def on_pre_enter(self, *args: Any) -> None:
        self.catch_up()

    def catch_up(self) -> None:
        """Draw the screen in the visitor's language, if it is not already."""
        language = getattr(self.controller, "language", None)
        if language and language != self.language:
            self.language = language
            self.refresh()

    def refresh(self, live_only: bool = False) -> None:
        """Redraw what depends on the language or the server's data."""

    def summary(self) -> str:
        """What speech mode says when the screen appears."""
        return ""

    def reset(self) -> None:
        """Forget what the last visitor did here (the visit ended)."""

    def back(self) -> None:
        """The visitor asked to go back (Escape, Backspace or the back button)."""
        self.controller.home()

    def wants_text(self) -> bool:
        """Whether a text field is being filled (physical keys then type text)."""
        return False

    def type_key(self, char: str) -> bool:
        """A typed character; True if the screen used it."""
        return False

    def texts(self, *ids: str) -> str:
        """The texts of some child widgets, joined (for summaries)."""
        parts: list[Any] = [getattr(self.ids.get(name), "text", "") for name in ids]
        return ". ".join(str(part).replace("\n", ". ") for part in parts if part)
