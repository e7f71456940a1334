"""The priority choice, with a clear explanation of who qualifies."""

from __future__ import annotations

from kivy.properties import StringProperty

from kiosk.screens import KioskScreen
from kiosk.viewmodels import text_in


class PriorityScreen(KioskScreen):
    """Yes, I qualify / No, a normal ticket."""

    service_id = StringProperty("")
    service_name = StringProperty("")
    """The chosen service, named above the question (in the visitor's language)."""

    def show(self, service_id: str) -> None:
        self.service_id = service_id
        self.refresh()

    def refresh(self, live_only: bool = False) -> None:
        if live_only or not self.service_id or self.controller is None:
            return
        try:
            service = self.controller.catalogue.service(self.service_id)
        except KeyError:  # no longer offered
            self.service_name = ""
            return
        self.service_name = text_in(service.name, self.controller.language)

    def reset(self) -> None:
        self.service_id = self.service_name = ""

    def choose(self, priority: bool) -> None:
        self.controller.take_ticket(self.service_id, priority)

    def back(self) -> None:
        self.controller.go("services")

    def summary(self) -> str:
        return self.texts("service_label", "question_label", "explanation_label", "fairness_label")
