"""What every Rinda touchscreen app shares with the kv styles in `widgets.kv`:
the colour theme (normal or high contrast), text scale, language and texts.

Both themes keep text at 4.5:1 or more against its background and every
boundary of a field or control at 3:1 or more against what surrounds it
(WCAG 2.1 SC 1.4.3 and 1.4.11): fields have an edge (`field_border_color`),
buttons a fill or, in high contrast, an edge (`control_border_color`) that
stands out from the page; a selected tab or switch is inverted
(`selected_color`) and marked, never told apart by hue alone.
The kiosk and the feedback terminal are both `ThemedApp`s."""

from __future__ import annotations

from typing import Any

from kivy.app import App
from kivy.properties import BooleanProperty, ColorProperty, NumericProperty, StringProperty
from kivy.uix.screenmanager import NoTransition, ScreenManager

from core.i18n import t

NORMAL_THEME = {
    "bg_color": (0.957, 0.965, 0.973, 1),
    "panel_color": (1, 1, 1, 1),
    "fg_color": (0.10, 0.10, 0.12, 1),
    "muted_color": (0.25, 0.27, 0.30, 1),
    "button_color": (0.043, 0.239, 0.569, 1),
    "pressed_color": (0.02, 0.14, 0.36, 1),
    "button_text_color": (1, 1, 1, 1),
    "accent_color": (0.0, 0.45, 0.25, 1),
    "disabled_color": (0.82, 0.83, 0.85, 1),
    "disabled_text_color": (0.20, 0.21, 0.23, 1),
    "focus_color": (0.95, 0.55, 0.0, 1),
    "warning_color": (0.62, 0.10, 0.05, 1),
    "field_border_color": (0.33, 0.35, 0.38, 1),
    "control_border_color": (0, 0, 0, 0),
    "disabled_border_color": (0.46, 0.47, 0.50, 1),
    "selected_color": (1, 1, 1, 1),
    "selected_border_color": (0.043, 0.239, 0.569, 1),
    "selected_text_color": (0.043, 0.239, 0.569, 1),
}
HIGH_CONTRAST_THEME = {
    "bg_color": (0, 0, 0, 1),
    "panel_color": (0, 0, 0, 1),
    "fg_color": (1, 1, 1, 1),
    "muted_color": (1, 1, 1, 1),
    "button_color": (0.10, 0.10, 0.10, 1),
    "pressed_color": (0.35, 0.35, 0.0, 1),
    "button_text_color": (1, 0.86, 0.0, 1),
    "accent_color": (0.0, 0.35, 0.0, 1),
    "disabled_color": (0.0, 0.0, 0.0, 1),
    "disabled_text_color": (0.75, 0.75, 0.75, 1),
    "focus_color": (0.0, 0.85, 1.0, 1),
    "warning_color": (1, 0.86, 0.0, 1),
    "field_border_color": (1, 1, 1, 1),
    "control_border_color": (1, 0.86, 0.0, 1),
    "disabled_border_color": (0.60, 0.60, 0.60, 1),
    "selected_color": (1, 0.86, 0.0, 1),
    "selected_border_color": (1, 0.86, 0.0, 1),
    "selected_text_color": (0, 0, 0, 1),
}


LARGE_TEXT_SCALE = 1.4


class ThemedApp(App):
    """The properties the shared kv styles read (`app.fg_color`, `app.text_scale` ...)."""

    language = StringProperty("lv")
    text_scale = NumericProperty(1.0)
    high_contrast = BooleanProperty(False)
    speech_on = BooleanProperty(False)
    clock_text = StringProperty("")
    centre_name = StringProperty("")
    bg_color = ColorProperty(NORMAL_THEME["bg_color"])
    panel_color = ColorProperty(NORMAL_THEME["panel_color"])
    fg_color = ColorProperty(NORMAL_THEME["fg_color"])
    muted_color = ColorProperty(NORMAL_THEME["muted_color"])
    button_color = ColorProperty(NORMAL_THEME["button_color"])
    pressed_color = ColorProperty(NORMAL_THEME["pressed_color"])
    button_text_color = ColorProperty(NORMAL_THEME["button_text_color"])
    accent_color = ColorProperty(NORMAL_THEME["accent_color"])
    disabled_color = ColorProperty(NORMAL_THEME["disabled_color"])
    disabled_text_color = ColorProperty(NORMAL_THEME["disabled_text_color"])
    focus_color = ColorProperty(NORMAL_THEME["focus_color"])
    warning_color = ColorProperty(NORMAL_THEME["warning_color"])
    field_border_color = ColorProperty(NORMAL_THEME["field_border_color"])
    control_border_color = ColorProperty(NORMAL_THEME["control_border_color"])
    disabled_border_color = ColorProperty(NORMAL_THEME["disabled_border_color"])
    selected_color = ColorProperty(NORMAL_THEME["selected_color"])
    selected_border_color = ColorProperty(NORMAL_THEME["selected_border_color"])
    selected_text_color = ColorProperty(NORMAL_THEME["selected_text_color"])

    def tr(self, language: str, key: str, **values: Any) -> str:
        """A text in `language` (kv passes `app.language` so texts follow the language)."""
        return t(key, language, **values)

    def t(self, key: str, **values: Any) -> str:
        """A text in the current language."""
        return t(key, self.language, **values)

    def mount_screens(self, screens: dict[str, Any]) -> ScreenManager:
        """The screen manager holding `screens` (by name), starting on "unavailable";
        every screen change calls `self._on_screen_changed()`."""
        self.screens = screens
        self.manager = ScreenManager(transition=NoTransition())
        for screen in screens.values():
            self.manager.add_widget(screen)
        self.manager.current = "unavailable"
        self.manager.bind(current=lambda *_: self._on_screen_changed())
        return self.manager

    def toggle_large_text(self) -> None:
        """The large-text mode on or off (every size in the kv files follows `text_scale`)."""
        self.set_large_text(self.text_scale <= 1)

    def set_large_text(self, on: bool) -> None:
        self.text_scale = LARGE_TEXT_SCALE if on else 1.0

    def toggle_contrast(self) -> None:
        self.set_contrast(not self.high_contrast)

    def set_contrast(self, on: bool) -> None:
        """Switch between the normal and the high-contrast theme."""
        self.high_contrast = on
        for name, value in (HIGH_CONTRAST_THEME if on else NORMAL_THEME).items():
            setattr(self, name, value)
