"""The priority choice, with a clear explanation of who qualifies."""

from __future__ import annotations

from kivy.properties import StringProperty

from kiosk.screens import KioskScreen


class PriorityScreen(KioskScreen):
    """Yes, I qualify / No, a normal ticket."""

    service_id = StringProperty("")

    def show(self, service_id: str) -> None:
        self.service_id = service_id

    def choose(self, priority: bool) -> None:
        self.controller.take_ticket(self.service_id, priority)

    def back(self) -> None:
        self.controller.go("services")

    def summary(self) -> str:
        return self.texts("question_label", "explanation_label", "fairness_label")
