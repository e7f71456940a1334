"""Checking a booking in: the code typed on the on-screen keyboard, on a physical
keyboard, or scanned (a barcode scanner types the QR code's text and Enter), then
the ticket, or when to come back (early), or a normal ticket or none (late).

The rules are the server's (`server.commands.appointments`); this screen only says
what it answered, in the centre's time zone.
"""

from __future__ import annotations

from datetime import datetime

from kivy.properties import BooleanProperty, StringProperty

from core.i18n import format_date, format_time, t
from kiosk import keyboard as _keyboard  # noqa: F401  (registers OnScreenKeyboard for kv)
from kiosk.backend import CheckInResult
from kiosk.screens import KioskScreen
from kiosk.viewmodels import centre_zone

CODE_CHARACTERS = 9
"""`K7MP-3XQ9`: what the field takes at most (a scanner sends the code without the hyphen)."""
ERRORS = {
    "unknown_appointment": "checkin.not_found",
    "booking_not_active": "checkin.cancelled",
    "invalid_input": "checkin.not_found",
}


class CheckInScreen(KioskScreen):
    """Modes: `code` (typing), `checking`, `early`, `late`."""

    mode = StringProperty("code")
    message = StringProperty("")
    error = StringProperty("")
    offer_ticket = BooleanProperty(False)
    """Late, and the centre's policy gives a normal ticket instead."""
    in_use = BooleanProperty(False)
    """A visitor is checking in here (the keyboard follows the language only then: a
    language switch elsewhere rebuilds no keyboard)."""

    def on_kv_post(self, base_widget: object) -> None:
        self.service_id = ""

    def start(self) -> None:
        """A visitor with a booking: an empty field and the keyboard in Latin."""
        self.reset()
        self.in_use = True
        self.ids.keyboard.open()

    def reset(self) -> None:
        self.mode = "code"
        self.in_use = False
        self.message = self.error = ""
        self.offer_ticket = False
        self.service_id = ""
        self.ids.code_input.text = ""  # nothing the last visitor typed stays behind

    # -- typing ----------------------------------------------------------------------

    def wants_text(self) -> bool:
        return self.mode == "code"

    def type_key(self, char: str) -> bool:
        if self.mode != "code":
            return False
        field = self.ids.code_input
        if char == "\r":
            self.submit()
        elif char == "\b":
            field.text = field.text[:-1]
        elif char.isalnum() or char == "-":
            field.text = (field.text + char.upper())[:CODE_CHARACTERS]
        return True

    def typed(self, text: str) -> None:
        """The field changed (on-screen keys write to it directly): capitals, no error."""
        upper = text.upper()[:CODE_CHARACTERS]
        if upper != text:
            self.ids.code_input.text = upper
        self.error = ""

    # -- the server's answer ------------------------------------------------------------

    def submit(self) -> None:
        code = self.ids.code_input.text.strip()
        if self.mode != "code" or not code:
            return
        self.mode = "checking"
        self.controller.check_in(code)

    def answered(self, result: CheckInResult) -> None:
        """The server's answer without a ticket (on the main thread)."""
        language = self.controller.language
        answer = result.answer
        if answer is None:
            key = ERRORS.get(result.error_code or "", "unavailable.body")
            self.mode = "code"
            self.error = t(key, language)
            self.controller.speak_text(self.error)
            return
        zone = centre_zone(self.controller.catalogue.centre)
        starts = datetime.fromisoformat(answer["starts_at"]).astimezone(zone)
        self.service_id = answer["service_id"]
        if answer["outcome"] == "early":
            opens = datetime.fromisoformat(answer["opens_at"]).astimezone(zone)
            today = self.controller.clock.now().astimezone(zone).date()
            day = (
                t("checkin.today", language)
                if starts.date() == today
                else format_date(starts.date(), language)
            )
            if opens.date() != starts.date():
                opens_text = f"{format_date(opens.date(), language)} {format_time(opens, language)}"
            else:
                opens_text = format_time(opens, language)
            self.mode = "early"
            self.offer_ticket = False
            self.message = t(
                "checkin.early",
                language,
                day=day,
                time=format_time(starts, language),
                opens=opens_text,
            )
        else:
            self.mode = "late"
            self.offer_ticket = bool(answer.get("normal_ticket"))
            key = "checkin.late_ticket" if self.offer_ticket else "checkin.late_refused"
            self.message = t(key, language, time=format_time(starts, language))
        self.controller.speak_screen()

    def take_normal_ticket(self) -> None:
        if self.offer_ticket and self.service_id:
            self.controller.take_ticket(self.service_id, priority=False)

    def back(self) -> None:
        if self.mode == "checking":
            return
        if self.mode in ("early", "late"):
            self.controller.finish_visit()
            return
        self.controller.home()

    def summary(self) -> str:
        if self.mode in ("early", "late"):
            return self.texts("title_label", "message_label", "normal_ticket_button")
        if self.mode == "checking":
            return t("checkin.checking", self.controller.language)
        return self.texts("title_label", "prompt_label", "scan_label", "error_label")

    def info_text(self, mode: str, message: str, language: str) -> str:
        """What the message line says in a mode (kv reads it)."""
        if mode == "checking":
            return t("checkin.checking", language)
        return message if mode in ("early", "late") else ""
