"""The feedback terminal (`rinda feedback`): a small touchscreen at a
counter or by the exit that asks "How was your service?" with five faces.

Which kind it is follows from its device token: bound to a counter, it asks
whenever the clerk there finishes a visit, in that visit's language; bound to
none, it asks for the ticket number first. The steps are in
`feedback.flow`, the server and the durable ratings in
`feedback.backend`; this module is the Kivy part.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

from kivy.clock import Clock
from kivy.properties import BooleanProperty, StringProperty
from kivy.uix.screenmanager import ScreenManager

from core.clock import IntervalClock, SystemClock
from core.wire.payloads import CentreView, CounterView
from feedback.backend import (
    DEFAULT_FEEDBACK_OUTBOX,
    FeedbackBackend,
    FeedbackSettings,
    Lookup,
)
from feedback.flow import FeedbackFlow, FeedbackTimes, VisitToRate
from feedback.screens import (
    FeedbackEntryScreen,
    FeedbackIdleScreen,
    FeedbackQuestionScreen,
    FeedbackThanksScreen,
)
from kiosk.config import KioskConfig
from kiosk.keypad import KeypadFocus
from kiosk.screens import load_kv
from kiosk.screens.messages import UnavailableScreen
from kiosk.theme import ThemedApp
from kiosk.viewmodels import clock_text, text_in
from terminal.audio import player_for
from terminal.kivy_setup import on_main_thread, register_fonts
from terminal.speech import Espeak, Speaker, Utterance


class FeedbackApp(KeypadFocus, ThemedApp):
    """One feedback terminal."""

    connected = BooleanProperty(False)
    loaded = BooleanProperty(False)
    exit_terminal = BooleanProperty(False)
    counter_name = StringProperty("")

    def __init__(
        self,
        config: KioskConfig,
        *,
        speaker: Speaker | None = None,
        clock: IntervalClock | None = None,
        **kwargs: Any,
    ) -> None:
        super().__init__(**kwargs)
        self.kiosk_config = config
        self.title = "Rinda feedback"
        self.speaker = speaker or Speaker(Espeak(), player_for(config.audio_player))
        self.clock = clock or SystemClock()
        """Every timeout (the question, the thanks, a half-typed number) and the time shown
        run on it."""
        self.monotonic = self.clock.monotonic
        self.language = config.languages[0]
        self.times = FeedbackTimes(question=config.question_seconds, thanks=config.thanks_seconds)
        self.flow = FeedbackFlow(exit_terminal=False, times=self.times)
        self.centre: CentreView | None = None
        self.counter: CounterView | None = None
        outbox = config.outbox_dir or DEFAULT_FEEDBACK_OUTBOX
        self.backend = FeedbackBackend(
            FeedbackSettings(
                token=config.token,
                server_url=config.server_url,
                server_ca=config.server_ca,
                discover=config.discover,
                centre=config.centre,
                outbox_dir=outbox,
                heartbeat_seconds=config.status_interval_seconds,
                question_seconds=config.question_seconds,
            ),
            self.post,
            self,
            monotonic=self.monotonic,
        )
        self._events: list[Any] = []
        self.stopped = False

    # -- Kivy --------------------------------------------------------------------------

    def build(self) -> ScreenManager:
        register_fonts()
        load_kv((Path(__file__).resolve().parent / "screens.kv",))
        self.mount_screens(
            {
                "unavailable": UnavailableScreen(name="unavailable", controller=self),
                "idle": FeedbackIdleScreen(name="idle", controller=self),
                "entry": FeedbackEntryScreen(name="entry", controller=self),
                "question": FeedbackQuestionScreen(name="question", controller=self),
                "thanks": FeedbackThanksScreen(name="thanks", controller=self),
            }
        )
        self.bind_keys()
        self._events.append(Clock.schedule_interval(self.tick, 0.25))
        self.set_speech(self.kiosk_config.speech, announce=False)
        self.backend.start()
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
        self.backend.stop()
        self.speaker.close()

    def post(self, action: Callable[[], None]) -> None:
        """Run `action` on the main thread (from backend threads)."""
        on_main_thread(self, action)

    # -- backend listener ----------------------------------------------------------------

    def on_ready(self, centre: CentreView, counter: CounterView | None) -> None:
        self.centre = centre
        self.exit_terminal = counter is None
        self.counter = counter
        if self.flow.exit_terminal != self.exit_terminal:
            self.flow = FeedbackFlow(exit_terminal=self.exit_terminal, times=self.times)
            self.flow.set_patient(self.speech_on, self.monotonic())
        self.loaded = True
        self._show()

    def on_connection(self, connected: bool) -> None:
        self.connected = connected
        self._show()

    def on_visit_finished(self, visit: VisitToRate) -> None:
        if self.flow.ask(visit, self.monotonic()):
            self._show()

    def prefix_letters(self) -> str:
        """The letters ticket numbers start with (for the exit terminal's keys)."""
        letters = {ch for prefix in self.backend.prefixes for ch in prefix}
        return "".join(sorted(letters)) or "ABCDEFGHIJ"

    # -- what the visitor does ---------------------------------------------------------------

    def rate(self, rating: int) -> None:
        """A face was tapped: keep the rating (durably) and thank the visitor."""
        visit = self.flow.rate(rating, self.monotonic())
        if visit is None:
            return
        self.backend.rate(visit, rating)
        self._show()

    def typing(self) -> None:
        """A key of the ticket number was pressed."""
        self.flow.typing(self.monotonic())

    def find_visit(self, typed: str) -> None:
        """Look the typed number up on the server."""
        self.backend.find_visit(typed, self._found)

    def _found(self, lookup: Lookup) -> None:
        entry = self.screens["entry"]
        if lookup.visit is None:
            entry.failed(lookup.error_code or "other")
            return
        entry.clear()
        self.flow.ask(lookup.visit, self.monotonic())
        self._show()

    # -- screens -----------------------------------------------------------------------

    def _show(self) -> None:
        """The screen for the connection and the flow's state."""
        state = self.flow.state
        if (not self.loaded or not self.connected) and state not in ("question", "thanks"):
            # A question already on screen carries on: the rating waits in the outbox.
            self.manager.current = "unavailable"
            return
        visit = self.flow.visit
        if state in ("question", "thanks") and visit is not None:
            language = visit.language
            known = language in self.kiosk_config.languages
            self.language = language if known else self.kiosk_config.languages[0]
            self.screens["question"].number = visit.number
        else:
            self.language = self.kiosk_config.languages[0]
        self.centre_name = text_in(self.centre.name if self.centre else None, self.language)
        self.counter_name = text_in(self.counter.name, self.language) if self.counter else ""
        self._update_seconds()
        for screen in self.screens.values():
            screen.refresh()
        if self.manager.current == state == "question":
            self.speak_screen()  # a newer visit replaced the question: read it again
        self.manager.current = state

    def _update_seconds(self) -> None:
        """The question's countdown (-1: no time limit, in speech mode)."""
        until = self.flow.until
        left = max(0.0, until - self.monotonic()) if until is not None else -1.0
        self.screens["question"].seconds_left = int(left + 0.999) if left >= 0 else -1

    def tick(self, dt: float = 0) -> None:
        """Time passes (four times a second, and when a test moves the clock): the clock
        on screen and the steps that run out."""
        self.clock_text = clock_text(self.clock.now(), self.centre)
        if self.flow.tick(self.monotonic()):
            if self.flow.state == "entry":
                self.screens["entry"].clear()
            self.reset_access()
            self._show()
        elif self.flow.state == "question":
            self._update_seconds()

    def _on_screen_changed(self) -> None:
        self.clear_focus()
        self.speak_screen()

    # -- speech and keys -------------------------------------------------------------------

    def speak_text(self, text: str, interrupt: bool = True) -> None:
        """Say `text` in the screen's language (speech mode only)."""
        if self.speech_on and text:
            self.speaker.say([Utterance(text, self.language)], interrupt=interrupt)

    def speak_screen(self) -> None:
        self.speak_text(self.manager.current_screen.summary())

    # -- accessibility ---------------------------------------------------------------------

    def toggle_speech(self) -> None:
        self.set_speech(not self.speech_on)

    def set_speech(self, on: bool, announce: bool = True) -> None:
        """Speech mode on or off; while on, nothing is timed out silently."""
        self.speech_on = on
        self.flow.set_patient(on, self.monotonic())
        self._update_seconds()
        if announce:
            self.speaker.say(
                [
                    Utterance(
                        self.tr(self.language, f"speech.{'on' if on else 'off'}"), self.language
                    )
                ]
            )
        if on:
            self.speak_screen()

    def reset_access(self) -> None:
        """Between visitors: the next one starts with the terminal's own settings."""
        self.set_large_text(False)
        self.set_contrast(False)
        if self.speech_on != self.kiosk_config.speech:
            self.set_speech(self.kiosk_config.speech, announce=False)

    def shortcut(self, char: str) -> None:
        """On the question, the digits 1 to 5 rate (keys: `kiosk.keypad`)."""
        if self.manager.current == "question" and char in ("1", "2", "3", "4", "5"):
            self.rate(int(char))
