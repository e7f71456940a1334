"""Screens shown when the kiosk cannot issue tickets: server unreachable, centre closed.

The visitor has not chosen a language yet, so every configured language is shown.
"""

from __future__ import annotations

from kivy.properties import StringProperty

from core.i18n import t
from kiosk.screens import KioskScreen
from kiosk.viewmodels import centre_zone, opening_hours_lines, opens_at_text


class UnavailableScreen(KioskScreen):
    """Temporarily unavailable — please ask staff. Recovers by itself."""

    message = StringProperty("")

    def on_kv_post(self, base_widget: object) -> None:
        self.refresh()

    def refresh(self, live_only: bool = False) -> None:
        if self.controller is None:
            return
        languages = self.controller.kiosk_config.languages
        self.message = "\n\n".join(
            f"[b]{t('unavailable.title', lang)}[/b]\n{t('unavailable.body', lang)}"
            for lang in languages
        )

    def summary(self) -> str:
        lang = self.controller.language
        return f"{t('unavailable.title', lang)}. {t('unavailable.body', lang)}"

    def back(self) -> None:
        """Nothing to go back to."""


class ClosedScreen(KioskScreen):
    """Closed — opens at …, with the weekly hours."""

    message = StringProperty("")
    hours = StringProperty("")

    def refresh(self, live_only: bool = False) -> None:
        if self.controller is None:
            return
        catalogue = self.controller.catalogue
        zone = centre_zone(catalogue.centre)
        languages = self.controller.kiosk_config.languages
        self.message = "\n\n".join(
            f"[b]{t('closed.title', lang)}[/b]\n{opens_at_text(catalogue.queue, lang, zone)}"
            for lang in languages
        )
        first = languages[0]
        lines = opening_hours_lines(catalogue.centre, first)
        self.hours = f"[b]{t('closed.hours', first)}[/b]\n" + "\n".join(lines) if lines else ""

    def summary(self) -> str:
        lang = self.controller.language
        zone = centre_zone(self.controller.catalogue.centre)
        return opens_at_text(self.controller.catalogue.queue, lang, zone)

    def back(self) -> None:
        """Nothing to go back to."""
