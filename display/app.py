"""The hall display (Kivy): draws the board state and announces calls.

All the logic of what is shown lives in `display.board` (a pure reducer);
this module feeds it events, draws the result, flashes the newest call
(at most twice a second) and queues announcements.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any
from zoneinfo import ZoneInfo

from kivy.app import App
from kivy.clock import Clock
from kivy.lang import Builder
from kivy.properties import BooleanProperty, NumericProperty, ObjectProperty, StringProperty
from kivy.uix.widget import Widget

from core.data import sound_path
from core.i18n import format_wait, t
from core.kivy_setup import on_main_thread, register_fonts
from core.speech import Espeak, Speaker
from display.announcer import Announcer
from display.backend import DisplayBackend
from display.board import Announcement, BoardState, Call, Snapshot, Zone, new_calls, reduce
from display.config import DisplayConfig
from display.screen import BoardScreen

log = logging.getLogger(__name__)
BOARD_BACKGROUND = (0.035, 0.075, 0.16, 1)
ANNOUNCED_MEMORY = 200
FLASH_INTERVAL = 0.25
"""Half a flash period: two flashes a second, below the limit of three."""
_kv_loaded = False


def load_kv() -> None:
    """Load the board's kv once per process."""
    global _kv_loaded
    if not _kv_loaded:
        from pathlib import Path

        Builder.load_file(str(Path(__file__).with_name("screen.kv")))
        _kv_loaded = True


class DisplayApp(App):
    """One hall display."""

    board = ObjectProperty(BoardState(), rebind=True)
    connected = BooleanProperty(False)
    flash_on = BooleanProperty(False)
    clock_text = StringProperty("")
    date_text = StringProperty("")
    ticker_offset = NumericProperty(0)

    def __init__(
        self,
        config: DisplayConfig,
        *,
        speaker: Speaker | None = None,
        now: Callable[[], datetime] = lambda: datetime.now(UTC),
        monotonic: Callable[[], float] = time.monotonic,
        **kwargs: Any,
    ) -> None:
        super().__init__(**kwargs)
        self.display_config = config
        self.title = "Rinda hall display"
        self.zone = Zone(frozenset(config.counters), frozenset(config.services))
        self.now = now
        self.monotonic = monotonic
        """Seconds for timed duties (link refresh and silence, language turns); tests inject it."""
        self.backend = DisplayBackend(config, self.post, self, clock=monotonic)
        self.speaker = speaker or Speaker(Espeak())
        self.announcer = Announcer(
            self.speaker,
            config.languages if config.sound else (),
            self.backend.counter_name,
            chime=sound_path("chime.wav") if config.sound and config.chime else None,
            clips_dir=config.clips_dir,
        )
        self.applied_at: dict[str, float] = {}
        """When each call reached the board (monotonic), for latency measurements."""
        self._announced: dict[tuple[str, datetime, int], None] = {}
        """The calls announced so far (oldest first, bounded): each is announced once."""
        self._events: list[Any] = []
        self.stopped = False
        self._flash_until = 0.0

    def build(self) -> Widget:
        register_fonts()
        load_kv()
        from kivy.core.window import Window

        # The board's background is the window's clear colour: one full-screen fill
        # less per frame (software-rendered displays notice).
        Window.clearcolor = BOARD_BACKGROUND
        self.screen = BoardScreen(controller=self)
        self._events.append(Clock.schedule_interval(self._tick, 0.5))
        self._events.append(Clock.schedule_interval(self._flash, FLASH_INTERVAL))
        self._events.append(Clock.schedule_interval(self._scroll_ticker, 1 / 30))
        self.backend.start()
        self._tick(0)
        return self.screen

    def on_stop(self) -> None:
        self.shutdown()

    def shutdown(self) -> None:
        """Stop timers, the backend and speech."""
        self.stopped = True
        from kivy.core.window import Window

        Window.clearcolor = (0, 0, 0, 1)
        for event in self._events:
            event.cancel()
        self._events.clear()
        self.backend.stop()
        self.speaker.close()

    def post(self, action: Callable[[], None]) -> None:
        """Run `action` on the main thread (from backend threads)."""
        on_main_thread(self, action)

    def tr(self, key: str, **values: Any) -> str:
        """A heading in every board language: `Izsaukti / Вызваны`."""
        return " / ".join(t(key, language, **values) for language in self.display_config.languages)

    @property
    def language(self) -> str:
        """The board's first language (service names, dates)."""
        return self.display_config.languages[0]

    # -- backend listener -------------------------------------------------------------

    def on_snapshot(self, snapshot: Snapshot) -> None:
        self.show(reduce(self.board, snapshot, self.zone))

    def on_event(self, event: dict[str, Any]) -> None:
        self.show(reduce(self.board, event, self.zone))

    def show(self, after: BoardState) -> None:
        """Draw `after`; announce (and flash) every call that first reached the board with
        it, whether an event, a replay or a snapshot brought it (`board.new_calls`)."""
        before = self.board
        if after is before:
            return
        fresh = new_calls(before, after)
        self.set_board(after)
        for call in fresh:
            self.applied_at.setdefault(call.ticket_id, time.monotonic())
            if call.key in self._announced:
                continue
            self._announced[call.key] = None
            while len(self._announced) > ANNOUNCED_MEMORY:
                del self._announced[next(iter(self._announced))]
            self._announce(call, after)

    def _announce(self, call: Call, board: BoardState) -> None:
        if not self._recent_enough(call.at):
            return  # replayed after a long break: shown, no longer spoken
        if board.newest is not None and board.newest.key == call.key:
            self._flash_until = time.monotonic() + self.display_config.flash_seconds
        self.announcer.announce(Announcement.of(call))

    def _recent_enough(self, at: datetime) -> bool:
        """Calls older than `announce_max_age_seconds` are shown but not announced."""
        age = (self.now() - at).total_seconds()
        return age <= self.display_config.announce_max_age_seconds

    def on_connection(self, connected: bool) -> None:
        self.connected = connected

    def set_board(self, board: BoardState) -> None:
        """Show a new board state."""
        self.board = board
        self.screen.draw(board)

    # -- timers ---------------------------------------------------------------------

    def _tick(self, dt: float) -> None:
        zone_name = self.backend.centre.get("timezone", "Europe/Riga")
        local = self.now().astimezone(ZoneInfo(zone_name))
        self.clock_text = local.strftime("%H:%M")
        weekday = t(f"day.{local.weekday()}", self.language)
        self.date_text = f"{weekday}, {local.strftime('%d.%m.%Y')}"

    @property
    def flashing(self) -> bool:
        """Whether the newest call is still flashing."""
        return time.monotonic() < self._flash_until

    def _flash(self, dt: float) -> None:
        self.flash_on = (not self.flash_on) if self.flashing else False

    def _scroll_ticker(self, dt: float) -> None:
        if self.board.ticker:  # nothing to redraw without a ticker text
            self.ticker_offset += dt * 120  # pixels per second

    # -- texts for the screen ---------------------------------------------------------

    def service_name(self, names: dict[str, str]) -> str:
        return names.get(self.language) or names.get("lv") or ""

    def wait_text(self, seconds: int | None) -> str:
        return "—" if seconds is None else format_wait(seconds, self.language)

    def closed_text(self) -> str:
        """`Slēgts — atvērsies 24.11. 08:30` in every board language."""
        opens = self.board.opens_at
        zone = ZoneInfo(self.backend.centre.get("timezone", "Europe/Riga"))
        lines = []
        for language in self.display_config.languages:
            if opens is None:
                lines.append(t("closed", language))
            else:
                when = opens.astimezone(zone).strftime("%d.%m. %H:%M")
                lines.append(t("closed.opens_at", language, when=when))
        return "\n".join(lines)
