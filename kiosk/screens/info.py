"""A service's published standard, in large type, printable."""

from __future__ import annotations

from kivy.factory import Factory
from kivy.properties import StringProperty

from kiosk.screens import KioskScreen
from kiosk.viewmodels import service_row, standard_sections, text_in


class InfoScreen(KioskScreen):
    """Who may apply, documents, fee, decision time, institution, channels."""

    service_id = StringProperty("")
    service_name = StringProperty("")
    print_status = StringProperty("")
    ticket_possible = StringProperty("")

    def show(self, service_id: str) -> None:
        """Show this service."""
        self.service_id = service_id
        self.print_status = ""
        self.refresh()

    def reset(self) -> None:
        self.service_id = self.service_name = self.print_status = self.ticket_possible = ""
        self.ids.sections_box.clear_widgets()

    def refresh(self, live_only: bool = False) -> None:
        if not self.service_id or self.controller is None:
            return
        language = self.controller.language
        catalogue = self.controller.catalogue
        try:
            service = catalogue.service(self.service_id)
        except KeyError:
            return
        row = service_row(catalogue, service, language)
        self.ticket_possible = "" if row.enabled else row.reason
        if live_only:
            return
        self.service_name = text_in(service.name, language)
        box = self.ids.sections_box
        box.clear_widgets()
        description = text_in(service.description, language)
        if description:
            box.add_widget(Factory.KioskText(text=description))
        for heading, text in standard_sections(service, language):
            box.add_widget(Factory.KioskSectionHeading(text=heading))
            box.add_widget(Factory.KioskText(text=text))

    def print_page(self) -> None:
        """Print the standard on the kiosk's printer."""
        language = self.controller.language
        service = self.controller.catalogue.service(self.service_id)
        self.print_status = "…"
        self.controller.print_information(
            self.service_id, standard_sections(service, language), self._printed
        )

    def _printed(self, ok: bool) -> None:
        self.print_status = self.controller.t("info.printed" if ok else "info.print_failed")
        self.controller.speak_text(self.print_status)

    def take_ticket(self) -> None:
        self.controller.choose_service(self.service_id)

    def back(self) -> None:
        self.controller.go("services")

    def summary(self) -> str:
        language = self.controller.language
        service = self.controller.catalogue.service(self.service_id)
        parts = [self.service_name] + [f"{h}: {t}" for h, t in standard_sections(service, language)]
        return ". ".join(parts)
