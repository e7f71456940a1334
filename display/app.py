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

from core.audio import player_for
from core.data import sound_path
from core.i18n import format_wait, t
from core.kivy_setup import on_main_thread, register_fonts
from core.speech import Espeak, Speaker
from display.announcer import Announcer
from display.backend import DisplayBackend
from display.board import BoardState, Snapshot, Zone, announcement_for, reduce
from display.config import DisplayConfig
from display.screen import BoardScreen

log = logging.getLogger(__name__)
BOARD_BACKGROUND = (0.035, 0.075, 0.16, 1)
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
        **kwargs: Any,
    ) -> None:
        super().__init__(**kwargs)
        self.display_config = config
        self.title = "Rinda hall display"
        self.zone = Zone(frozenset(config.counters), frozenset(config.services))
        self.now = now
        self.backend = DisplayBackend(config, self.post, self)
        self.speaker = speaker or Speaker(Espeak(), player_for(config.audio_player))
        self.announcer = Announcer(
            self.speaker,
            config.languages if config.sound else (),
            self.backend.counter_name,
            chime=sound_path("chime.wav") if config.sound and config.chime else None,
            clips_dir=config.clips_dir,
        )
        self.applied_at: dict[str, float] = {}
        """When each call reached the board (monotonic), for latency measurements."""
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
        self.set_board(reduce(self.board, snapshot, self.zone))

    def on_event(self, event: dict[str, Any]) -> None:
        before = self.board
        after = reduce(before, event, self.zone)
        if after is before:
            return
        newest_before = before.newest.ticket_id if before.newest else None
        self.set_board(after)
        announcement = announcement_for(event, self.zone)
        if announcement is not None:
            self.applied_at[event["ticket"]["id"]] = time.monotonic()
            if after.newest is not None and (
                after.newest.ticket_id != newest_before or announcement.recall
            ):
                self._flash_until = time.monotonic() + self.display_config.flash_seconds
            if self._recent_enough(announcement.at):
                self.announcer.announce(announcement)

    def _recent_enough(self, at: datetime | None) -> bool:
        """Calls replayed after a long break are shown but not announced any more."""
        if at is None:
            return True
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

    def _flash(self, dt: float) -> None:
        flashing = time.monotonic() < self._flash_until
        self.flash_on = (not self.flash_on) if flashing else False

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
