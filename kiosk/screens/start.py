"""The start screen: language, then take a ticket, read about services, applications."""

from __future__ import annotations

from kivy.properties import StringProperty

from kiosk.screens import KioskScreen
from kiosk.viewmodels import language_names
from kiosk.widgets import ChoiceButton


class StartScreen(KioskScreen):
    """Language buttons and the big entries."""

    centre = StringProperty("")

    def on_kv_post(self, base_widget: object) -> None:
        self.refresh()

    def refresh(self, live_only: bool = False) -> None:
        if live_only or self.controller is None:
            return
        box = self.ids.language_box
        box.clear_widgets()
        for code, name in language_names(self.controller.kiosk_config.languages):
            button = ChoiceButton(label=name)
            button.language_code = code
            button.bind(on_release=lambda b: self.controller.set_language(b.language_code))
            box.add_widget(button)
        self._mark_language()

    def _mark_language(self) -> None:
        for button in self.ids.language_box.children:
            button.selected = button.language_code == self.controller.language

    def on_pre_enter(self, *args: object) -> None:
        super().on_pre_enter(*args)
        self._mark_language()

    def summary(self) -> str:
        self._mark_language()
        return self.texts("welcome_label", "take_ticket_button", "info_button")
