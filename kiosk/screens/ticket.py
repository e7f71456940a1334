"""The issued ticket: number, people ahead, estimated wait; and what to do if printing failed."""

from __future__ import annotations

import io

from kivy.core.image import Image as CoreImage
from kivy.properties import BooleanProperty, StringProperty

from core.i18n import t
from kiosk.backend import TicketOutcome
from kiosk.screens import KioskScreen
from kiosk.viewmodels import TicketView, booked_time, queue_wait_words, ticket_view
from printer.raster import qr_image


class TicketScreen(KioskScreen):
    """`issuing`, then `issued` (printed or not), or `failed`."""

    state = StringProperty("issuing")
    number = StringProperty("")
    service_name = StringProperty("")
    people_ahead = StringProperty("")
    wait = StringProperty("")
    hint = StringProperty("")
    notice = StringProperty("")
    printed = BooleanProperty(True)

    def start(self, service_id: str) -> None:
        """A ticket is being issued."""
        self.reset()
        self.service_id = service_id

    def reset(self) -> None:
        self.service_id = ""
        self.state = "issuing"
        self.number = self.service_name = self.people_ahead = self.wait = ""
        self.hint = self.notice = ""
        self.printed = True
        self.view: TicketView | None = None
        self.ids.qr_image.texture = None

    def show_outcome(self, outcome: TicketOutcome) -> None:
        """Show the ticket (or why there is none)."""
        language = self.controller.language
        if outcome.ticket is None:
            self.state = "failed"
            reason = (
                t(f"reason.{outcome.error_code}", language)
                if outcome.error_code
                and outcome.error_code.startswith(("centre", "service", "daily"))
                else ""
            )
            self.notice = " ".join(
                part
                for part in (
                    t("ticket.failed", language),
                    reason,
                    t("ticket.failed_retry", language),
                )
                if part
            )
            self.controller.speak_text(self.notice)
            return
        service = self.controller.catalogue.service(self.service_id)
        centre = self.controller.catalogue.centre
        hint = self.controller.backend.counter_hint(self.service_id, language)
        wait = queue_wait_words(
            self.controller.catalogue,
            self.service_id,
            outcome.ticket.estimated_wait_seconds,
            language,
            outcome.ticket.estimated_wait_range_seconds,
        )
        self.view = ticket_view(
            outcome.ticket,
            service,
            language,
            hint,
            wait,
            booked_time(outcome.ticket, centre, language),
        )
        self.state = "issued"
        self.number = self.view.number
        self.service_name = self.view.service_name
        self.people_ahead = self.view.people_ahead
        self.wait = self.view.wait
        self.hint = f"{t('ticket.go_to', language)}: {hint}" if hint else ""
        self.printed = outcome.printed
        if outcome.printed:
            self.notice = t("ticket.take", language)
        else:
            self.notice = f"{t('ticket.print_failed', language)} {t('ticket.valid', language)}"
            self._show_qr(self.controller.backend.status_url(outcome.ticket))

    def _show_qr(self, url: str) -> None:
        if not url:
            return
        image = qr_image(url, 360, 8).convert("RGB")
        buffer = io.BytesIO()
        image.save(buffer, format="png")
        buffer.seek(0)
        self.ids.qr_image.texture = CoreImage(buffer, ext="png").texture

    def spoken_summary(self) -> str:
        """The ticket as read aloud."""
        if self.view is None:
            return self.notice
        parts = [self.view.spoken]
        if self.hint:
            parts.append(self.hint)
        parts.append(self.notice)
        return " ".join(parts)

    def summary(self) -> str:
        if self.state == "issuing":
            return t("ticket.issuing", self.controller.language)
        return self.spoken_summary()

    def back(self) -> None:
        if self.state != "issuing":
            self.controller.finish_visit()
