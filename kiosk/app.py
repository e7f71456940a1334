"""The kiosk application (Kivy): screens, navigation, keypad focus, speech, inactivity.

Screens live in `kiosk/screens/` (a .py and a .kv each); what they show is
computed in `kiosk.viewmodels`; everything that blocks runs in
`kiosk.backend` worker threads and comes back here through `Clock`.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Hashable
from typing import Any

from kivy.clock import Clock
from kivy.core.window import Window
from kivy.properties import BooleanProperty
from kivy.uix.screenmanager import ScreenManager
from kivy.uix.widget import Widget

from core.clock import IntervalClock, SystemClock
from core.wire.payloads import QueueView
from kiosk.application_form import ApplicationForm
from kiosk.backend import CheckInResult, KioskBackend, TicketOutcome
from kiosk.config import KioskConfig
from kiosk.keypad import KeypadFocus
from kiosk.lodging import LodgingOutcome
from kiosk.screens import load_kv
from kiosk.screens.application import ApplicationScreen
from kiosk.screens.checkin import CheckInScreen
from kiosk.screens.info import InfoScreen
from kiosk.screens.messages import ClosedScreen, UnavailableScreen
from kiosk.screens.priority import PriorityScreen
from kiosk.screens.services import ServicesScreen
from kiosk.screens.start import StartScreen
from kiosk.screens.ticket import TicketScreen
from kiosk.session import IdleRules, VisitorSession
from kiosk.theme import ThemedApp
from kiosk.viewmodels import Accessibility, KioskCatalogue
from kiosk.visits import VisitorSessions
from kiosk.widgets import IdleWarning
from printer.spec import parse_spec
from printer.ticket_printer import PrinterState, TicketPrinter
from terminal.audio import player_for
from terminal.kivy_setup import on_main_thread, register_fonts
from terminal.speech import Espeak, Speaker, Utterance

log = logging.getLogger(__name__)


class KioskApp(VisitorSessions, KeypadFocus, ThemedApp):
    """One kiosk: touch, keypad and speech; server and printer through the backend."""

    printer_faulty = BooleanProperty(False)
    connected = BooleanProperty(False)
    applications_enabled = BooleanProperty(False)
    appointments_enabled = BooleanProperty(False)
    """Some service takes appointments: the start screen offers check-in."""

    def __init__(
        self,
        config: KioskConfig,
        *,
        printer: TicketPrinter | None = None,
        speaker: Speaker | None = None,
        clock: IntervalClock | None = None,
        **kwargs: Any,
    ) -> None:
        super().__init__(**kwargs)
        self.kiosk_config = config
        self.title = "Rinda kiosk"
        self.clock = clock or SystemClock()
        """Every timeout (idle visitor, ticket on screen) and the time shown run on it."""
        self.printer = printer or TicketPrinter(parse_spec(config.printer))
        self.speaker = speaker or Speaker(Espeak(), player_for(config.audio_player))
        self.language = config.languages[0]
        self.idle_rules = IdleRules(config.idle_seconds, config.warning_seconds)
        self.session: VisitorSession | None = None
        """The visitor in front of the kiosk (None between visitors)."""
        self.backend = KioskBackend(
            config, self.printer, self.post, self, monotonic=self.clock.monotonic
        )
        self.catalogue = KioskCatalogue()
        self.focus_index = -1
        self._warning: IdleWarning | None = None
        self._events: list[Any] = []
        self.stopped = False
        self.outcome: TicketOutcome | None = None

    # -- Kivy ------------------------------------------------------------------------

    def build(self) -> ScreenManager:
        register_fonts()
        load_kv()
        self.mount_screens(
            {
                "start": StartScreen(name="start", controller=self),
                "services": ServicesScreen(name="services", controller=self),
                "info": InfoScreen(name="info", controller=self),
                "priority": PriorityScreen(name="priority", controller=self),
                "ticket": TicketScreen(name="ticket", controller=self),
                "unavailable": UnavailableScreen(name="unavailable", controller=self),
                "closed": ClosedScreen(name="closed", controller=self),
                "application": ApplicationScreen(name="application", controller=self),
                "checkin": CheckInScreen(name="checkin", controller=self),
            }
        )
        for screen in self.screens.values():
            screen.language = self.language
        self.bind_keys()
        Window.bind(on_touch_down=self._on_any_touch)
        self._events.append(Clock.schedule_interval(self.tick, 0.5))
        self.backend.start()
        self._apply_access(self.default_access())
        self.tick()
        return self.manager

    def on_stop(self) -> None:
        self.shutdown()

    def shutdown(self) -> None:
        """Stop timers, the backend and speech (also used by tests between apps)."""
        self.stopped = True
        for event in self._events:
            event.cancel()
        self._events.clear()
        self.unbind_keys()
        Window.unbind(on_touch_down=self._on_any_touch)
        if self._warning is not None:
            self._warning.dismiss()
        self.backend.stop()
        self.speaker.close()

    def post(self, action: Callable[[], None]) -> None:
        """Run `action` on the main thread (from backend threads)."""
        on_main_thread(self, action)

    # -- backend listener ---------------------------------------------------------------

    def on_catalogue(self, catalogue: KioskCatalogue) -> None:
        before = self.catalogue
        self.catalogue = catalogue
        self.applications_enabled = bool(self.backend.application_types)
        self.appointments_enabled = bool(self.backend.appointment_services)
        if self.session is not None and not before.same_offer(catalogue):
            # Another server, or its catalogue changed: the visitor's choices may name
            # services that are no longer there. Start again from the start screen (a
            # screen left as it was would show a service the session no longer knows).
            self.end_session("the catalogue changed")
            if self.manager.current not in ("unavailable", "closed"):
                self.home()
        self.centre_name = catalogue.centre_name(self.language)
        self._show_availability()
        self.refresh_screens()

    def on_queue(self, queue: QueueView) -> None:
        self.catalogue.queue = queue
        self._show_availability()
        self.refresh_screens(live_only=True)

    def on_connection(self, connected: bool) -> None:
        self.connected = connected
        self._show_availability()

    def on_printer(self, state: PrinterState, detail: str) -> None:
        self.printer_faulty = state in (PrinterState.PAPER_OUT, PrinterState.OFFLINE)

    def _show_availability(self) -> None:
        """Switch to the unavailable or closed screen and back, by the server's state."""
        current = self.manager.current
        if not self.connected or not self.catalogue.services:
            # A form in progress carries on: if the server is still away when it is
            # submitted, it waits in the outbox.
            if current not in ("unavailable", "ticket", "application", "checkin"):
                self.go("unavailable")
            return
        if not self.catalogue.is_open:
            if current not in ("closed", "ticket"):
                self.end_session("closing time")
                self.go("closed")
            return
        if current in ("unavailable", "closed"):
            self.go("start")

    def finish_visit(self) -> None:
        """The visitor is done: clear everything for the next one."""
        self.end_session("visit over")
        if self.manager.current not in ("unavailable", "closed"):
            self.home()
        self._show_availability()

    # -- navigation ------------------------------------------------------------------

    def go(self, name: str) -> None:
        """Show a screen."""
        self.manager.current = name

    def home(self) -> None:
        """Back to the start screen."""
        self.go("start")

    def set_language(self, language: str) -> None:
        """The visitor chose a language."""
        self.visitor().language = language
        self._apply_language(language)
        self.speak_screen()

    def _apply_language(self, language: str) -> None:
        if language == self.language and self.centre_name:
            return
        self.language = language
        self.centre_name = self.catalogue.centre_name(language)
        # The screen in front of the visitor now; the others as they are shown.
        self.manager.current_screen.catch_up()

    def refresh_screens(self, live_only: bool = False) -> None:
        """Let every screen redraw what depends on data or language."""
        for screen in self.screens.values():
            screen.refresh(live_only=live_only)

    def choose_services(self, mode: str) -> None:
        """Open the service list, to take a ticket or to read about a service."""
        self.screens["services"].open(mode)
        self.go("services")

    def show_info(self, service_id: str) -> None:
        """Show a service's standard."""
        self.screens["info"].show(service_id)
        self.go("info")

    def choose_service(self, service_id: str) -> None:
        """The visitor picked a service to take a ticket for."""
        if self.kiosk_config.priority:
            self.screens["priority"].show(service_id)
            self.go("priority")
        else:
            self.take_ticket(service_id, priority=False)

    def start_application(self) -> None:
        """Lodge an application: choose its type, fill in, consent, review, submit."""
        self.screens["application"].start_lodging()
        self.go("application")

    def start_check_in(self) -> None:
        """A visitor with a booking types or scans its code."""
        self.screens["checkin"].start()
        self.go("checkin")

    def check_application_status(self) -> None:
        """Look an application up by registration number and the receipt's code."""
        self.screens["application"].start_lookup()
        self.go("application")

    # -- actions that create something: once per visitor intent -----------------------------

    def lodge_application(self, form: ApplicationForm) -> None:
        """Send the finished form (outbox, server, receipt) in the backend, once."""
        intent = ("application", id(form))
        if self._begin(intent) is None:
            return
        self.backend.lodge_application(
            form.body(self.language), form.info, lambda outcome: self._lodged(intent, outcome)
        )

    def _lodged(self, intent: Hashable, outcome: LodgingOutcome) -> None:
        if outcome.result is None and not outcome.queued_reference and self.session:
            self.session.done(intent)  # refused: corrected, it may be sent again
        self.screens["application"].lodged(outcome)

    def print_information(
        self, service_id: str, sections: list[tuple[str, str]], done: Callable[[bool], None]
    ) -> None:
        """Print a service's standard; a press while it prints adds no second copy."""
        intent = ("print", service_id)
        if self._begin(intent) is None:
            return

        def printed(ok: bool) -> None:
            if self.session is not None:
                self.session.done(intent)
            done(ok)

        self.backend.print_information(service_id, self.language, sections, printed)

    def take_ticket(self, service_id: str, priority: bool) -> None:
        """Issue, print and show the ticket: one per visitor and service, however many
        presses (fingers, repeated touch events) ask for it."""
        key = self._begin(("ticket", service_id))
        if key is None:
            return
        ticket_screen = self.screens["ticket"]
        ticket_screen.start(service_id)
        self.go("ticket")
        self.backend.issue_ticket(service_id, self.language, priority, key, self._ticket_done)

    def check_in(self, code: str) -> None:
        """Check the booking in (once per visitor and code, however many presses): its
        ticket is printed and shown like any other; early or late, the screen says so."""
        intent = ("check_in", code.upper().replace("-", "").replace(" ", ""))
        if self._begin(intent) is None:
            return
        self.backend.check_in(code, self.language, lambda result: self._checked_in(intent, result))

    def _checked_in(self, intent: Hashable, result: CheckInResult) -> None:
        if self.session is None or self.manager.current != "checkin":
            return  # the visit ended meanwhile
        if result.ticket is None:
            self.session.done(intent)  # another code, or the same one later, may be tried
            self.screens["checkin"].answered(result)
            return
        assert result.ticket.ticket is not None
        self.screens["ticket"].start(result.ticket.ticket.service_id)
        self.go("ticket")
        self._ticket_done(result.ticket)

    def _ticket_done(self, outcome: TicketOutcome) -> None:
        if self.session is None or self.manager.current != "ticket":
            return  # the visit ended meanwhile (closing time, another server)
        self.outcome = outcome
        if outcome.printer_error:
            self.printer_faulty = True
        screen = self.screens["ticket"]
        screen.show_outcome(outcome)
        if outcome.ticket is not None:
            self.speak_text(screen.spoken_summary())
        seconds = (
            self.kiosk_config.ticket_seconds
            if outcome.printed
            else self.kiosk_config.failed_ticket_seconds
        )
        self.session.ends_at = self.clock.monotonic() + seconds

    # -- accessibility ---------------------------------------------------------------

    def set_large_text(self, on: bool) -> None:
        self.visitor().access.large_text = on
        super().set_large_text(on)

    def set_contrast(self, on: bool) -> None:
        self.visitor().access.high_contrast = on
        super().set_contrast(on)

    def toggle_speech(self) -> None:
        self.set_speech(not self.speech_on)

    def set_speech(self, on: bool, announce: bool = True) -> None:
        self.visitor().access.speech = on
        self.speech_on = on
        if on:
            if announce:
                self.speaker.say([Utterance(self.t("speech.on"), self.language)])
            self.speak_screen(interrupt=not announce)
        elif announce:
            self.speaker.say([Utterance(self.t("speech.off"), self.language)])

    def _apply_access(self, access: Accessibility) -> None:
        """Show the kiosk with these settings (without making them anybody's choice)."""
        ThemedApp.set_large_text(self, access.large_text)
        ThemedApp.set_contrast(self, access.high_contrast)
        self.speech_on = access.speech
        self.speaker.volume = access.volume

    def speak_text(self, text: str, interrupt: bool = True) -> None:
        """Say `text` in the screen's language (speech mode only)."""
        if self.speech_on and text:
            self.speaker.say([Utterance(text, self.language)], interrupt=interrupt)

    def speak_screen(self, interrupt: bool = True) -> None:
        """Read the current screen's summary."""
        screen = self.manager.current_screen
        self.speak_text(screen.summary(), interrupt=interrupt)

    # -- keypad focus ------------------------------------------------------------------

    def focus_root(self) -> Widget:
        """The inactivity warning while it shows, else the current screen."""
        return self._warning if self._warning is not None else self.manager.current_screen

    def keys_used(self) -> None:
        self.user_active()

    def shortcut(self, char: str) -> None:
        """Outside text fields: R repeats, + and - change the volume (keys: `kiosk.keypad`)."""
        if char in ("r", "R"):
            if self.speech_on:
                self.speaker.repeat()
        elif char in ("+", "="):
            self.speaker.volume = self.visitor().access.louder()
            self.speak_screen()
        elif char == "-":
            self.speaker.volume = self.visitor().access.quieter()
            self.speak_screen()

    def _on_any_touch(self, window: Any, touch: Any) -> bool:
        self.user_active()
        return False

    def _on_screen_changed(self) -> None:
        self.clear_focus()
        self.speak_screen()
