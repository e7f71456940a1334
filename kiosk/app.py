"""The kiosk application (Kivy): screens, navigation, keypad focus, speech, inactivity.

Screens live in `kiosk/screens/` (a .py and a .kv each); what they show is
computed in `kiosk.viewmodels`; everything that blocks runs in
`kiosk.backend` worker threads and comes back here through `Clock`.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from typing import Any

from kivy.clock import Clock
from kivy.core.window import Window
from kivy.properties import BooleanProperty
from kivy.uix.screenmanager import ScreenManager
from kivy.uix.widget import Widget

from core.data import sound_path
from core.wire.payloads import QueueView
from kiosk.application_form import ApplicationForm
from kiosk.backend import KioskBackend, TicketOutcome
from kiosk.config import KioskConfig
from kiosk.keypad import KeypadFocus
from kiosk.lodging import LodgingOutcome
from kiosk.screens import load_kv
from kiosk.screens.application import ApplicationScreen
from kiosk.screens.info import InfoScreen
from kiosk.screens.messages import ClosedScreen, UnavailableScreen
from kiosk.screens.priority import PriorityScreen
from kiosk.screens.services import ServicesScreen
from kiosk.screens.start import StartScreen
from kiosk.screens.ticket import TicketScreen
from kiosk.theme import ThemedApp
from kiosk.viewmodels import Accessibility, IdleTimer, KioskCatalogue
from kiosk.widgets import IdleWarning
from printer.spec import parse_spec
from printer.ticket_printer import PrinterState, TicketPrinter
from terminal.audio import player_for
from terminal.kivy_setup import on_main_thread, register_fonts
from terminal.speech import Espeak, Speaker, Utterance

log = logging.getLogger(__name__)
ATTENTION_SOUND = sound_path("attention.wav")


class KioskApp(KeypadFocus, ThemedApp):
    """One kiosk: touch, keypad and speech; server and printer through the backend."""

    printer_faulty = BooleanProperty(False)
    connected = BooleanProperty(False)
    applications_enabled = BooleanProperty(False)

    def __init__(
        self,
        config: KioskConfig,
        *,
        printer: TicketPrinter | None = None,
        speaker: Speaker | None = None,
        monotonic: Callable[[], float] = time.monotonic,
        **kwargs: Any,
    ) -> None:
        super().__init__(**kwargs)
        self.kiosk_config = config
        self.title = "Rinda kiosk"
        self.printer = printer or TicketPrinter(parse_spec(config.printer))
        self.speaker = speaker or Speaker(Espeak(), player_for(config.audio_player))
        self.monotonic = monotonic
        self.language = config.languages[0]
        self.access = Accessibility()
        self.idle = IdleTimer(config.idle_seconds, config.warning_seconds, monotonic())
        self.backend = KioskBackend(config, self.printer, self.post, self)
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
            }
        )
        self.bind_keys()
        Window.bind(on_touch_down=self._on_any_touch)
        self._events.append(Clock.schedule_interval(self._tick, 0.5))
        self.backend.start()
        if self.kiosk_config.speech:
            self.set_speech(True, announce=False)
        self._tick(0)
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
        self.catalogue = catalogue
        self.applications_enabled = bool(self.backend.application_types)
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
            if current not in ("unavailable", "ticket", "application"):
                self.go("unavailable")
            return
        if not self.catalogue.is_open:
            if current not in ("closed", "ticket"):
                self.reset_session()
                self.go("closed")
            return
        if current in ("unavailable", "closed"):
            self.go("start")

    # -- navigation ------------------------------------------------------------------

    def go(self, name: str) -> None:
        """Show a screen."""
        self.manager.current = name

    def home(self) -> None:
        """Back to the start screen."""
        self.go("start")

    def reset_session(self) -> None:
        """Forget the visitor: language, choices, accessibility settings, volume."""
        self.language = self.kiosk_config.languages[0]
        self.access = Accessibility()
        self.text_scale = 1.0
        self.set_contrast(False)
        self.speech_on = self.kiosk_config.speech
        self.speaker.volume = self.access.volume
        self.screens["services"].reset()
        self.screens["application"].reset()
        self.outcome = None

    def set_language(self, language: str) -> None:
        """The visitor chose a language."""
        self.language = language
        self.centre_name = self.catalogue.centre_name(language)
        self.refresh_screens()
        self.speak_screen()

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

    def check_application_status(self) -> None:
        """Look an application up by registration number and the receipt's code."""
        self.screens["application"].start_lookup()
        self.go("application")

    def lodge_application(self, form: ApplicationForm) -> None:
        """Send the finished form (outbox, server, receipt) in the backend."""
        self.backend.lodge_application(form.body(self.language), form.info, self._lodged)

    def _lodged(self, outcome: LodgingOutcome) -> None:
        self.screens["application"].lodged(outcome)

    def take_ticket(self, service_id: str, priority: bool) -> None:
        """Issue, print and show the ticket."""
        ticket_screen = self.screens["ticket"]
        ticket_screen.start(service_id)
        self.go("ticket")
        self.backend.issue_ticket(service_id, self.language, priority, self._ticket_done)

    def _ticket_done(self, outcome: TicketOutcome) -> None:
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
            self._events.append(
                Clock.schedule_once(lambda dt: self._ticket_timeout(outcome), seconds)
            )

    def _ticket_timeout(self, outcome: TicketOutcome) -> None:
        if self.manager.current == "ticket" and self.outcome is outcome:
            self.finish_visit()

    def finish_visit(self) -> None:
        """The visitor is done: clear everything for the next one."""
        self.reset_session()
        self.home()
        self._show_availability()

    # -- accessibility ---------------------------------------------------------------

    def set_large_text(self, on: bool) -> None:
        super().set_large_text(on)
        self.access.large_text = on

    def set_contrast(self, on: bool) -> None:
        super().set_contrast(on)
        self.access.high_contrast = on

    def toggle_speech(self) -> None:
        self.set_speech(not self.speech_on)

    def set_speech(self, on: bool, announce: bool = True) -> None:
        self.speech_on = on
        self.access.speech = on
        if on:
            if announce:
                self.speaker.say([Utterance(self.t("speech.on"), self.language)])
            self.speak_screen(interrupt=not announce)
        elif announce:
            self.speaker.say([Utterance(self.t("speech.off"), self.language)])

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
            self.speaker.volume = self.access.louder()
            self.speak_screen()
        elif char == "-":
            self.speaker.volume = self.access.quieter()
            self.speak_screen()

    def _on_any_touch(self, window: Any, touch: Any) -> bool:
        self.user_active()
        return False

    def _on_screen_changed(self) -> None:
        self.clear_focus()
        self.speak_screen()

    # -- inactivity and clock ----------------------------------------------------------------

    def user_active(self) -> None:
        """Anything the visitor does restarts the inactivity timer."""
        self.idle.touch(self.monotonic())
        if self._warning is not None:
            self._dismiss_warning()

    def _session_in_progress(self) -> bool:
        current = self.manager.current
        if current in ("unavailable", "closed", "ticket"):
            return False
        if current != "start":
            return True
        return (
            self.language != self.kiosk_config.languages[0]
            or self.text_scale > 1
            or self.high_contrast
            or self.speech_on != self.kiosk_config.speech
        )

    def _tick(self, dt: float) -> None:
        now = self.monotonic()
        self.clock_text = time.strftime("%H:%M")
        if not self._session_in_progress():
            self.idle.touch(now)
            return
        state = self.idle.state(now)
        if state == "warning":
            self._show_warning(now)
        elif state == "reset":
            self._dismiss_warning()
            self.finish_visit()
            self.idle.touch(now)

    def _show_warning(self, now: float) -> None:
        seconds = self.idle.seconds_left(now)
        if self._warning is None:
            warning = IdleWarning(
                title=self.t("idle.title"),
                body=self.t("idle.body", seconds=seconds),
                button_text=self.t("idle.continue"),
            )
            warning.on_continue = self.user_active
            warning.open(animation=False)
            self._warning = warning
            parts: list[Any] = [ATTENTION_SOUND] if ATTENTION_SOUND.exists() else []
            parts.append(
                Utterance(
                    f"{self.t('idle.title')} {self.t('idle.body', seconds=seconds)}", self.language
                )
            )
            # Audible in every mode (the visitor may not be looking), in the visitor's language.
            self.speaker.say(parts)
        else:
            self._warning.body = self.t("idle.body", seconds=seconds)

    def _dismiss_warning(self) -> None:
        if self._warning is not None:
            self._warning.dismiss(animation=False)
            self._warning = None
