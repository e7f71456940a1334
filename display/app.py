"""The hall display (Kivy): draws the board state and announces calls.

What is on the board is `display.board` (a pure reducer); what it says, in
the language shown now, is `display.texts`; where each text goes is
`display.compose`. This module feeds events in, turns the languages on the
injected clock, flashes the newest call (at most twice a second) and
announces each call once (`board.new_calls`).
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
from kivy.properties import BooleanProperty, NumericProperty, ObjectProperty
from kivy.uix.widget import Widget

from core.data import sound_path
from core.wire.events import EventView
from display.announcer import Announcer
from display.backend import DisplayBackend
from display.board import Announcement, BoardState, Call, Snapshot, Zone, new_calls, reduce
from display.compose import BoardView, Composition
from display.config import DisplayConfig
from display.metrics import FontSizes, ScreenGeometry
from display.screen import BoardScreen
from display.texts import board_view, where_texts
from terminal.audio import player_for
from terminal.kivy_setup import on_main_thread, register_fonts
from terminal.speech import Espeak, Speaker

log = logging.getLogger(__name__)
BOARD_BACKGROUND = (0.035, 0.075, 0.16, 1)
ANNOUNCED_MEMORY = 200
FLASH_INTERVAL = 0.25
"""Half a flash period: two flashes a second, below the limit of three."""
TICKER_SPEED = 2.5
"""How fast the ticker runs, in multiples of the font size per second (~4 letters a second)."""
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
        self.speaker = speaker or Speaker(Espeak(), player_for(config.audio_player))
        self.announcer = Announcer(
            self.speaker,
            config.languages,
            self.spoken_place,
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
        self._started = monotonic()
        self._turn: tuple[Any, ...] = ()
        self._warned: set[str] = set()

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

    # -- languages and pages -----------------------------------------------------------

    @property
    def languages(self) -> tuple[str, ...]:
        """The languages the board turns through: the configured ones, else the centre's."""
        return self.display_config.languages or self.board.centre_languages or ("lv",)

    @property
    def slot(self) -> int:
        """How many language turns since the board started (on the injected clock)."""
        elapsed = self.monotonic() - self._started
        return max(0, int(elapsed // self.display_config.language_seconds))

    @property
    def language(self) -> str:
        """The language on the board now."""
        languages = self.languages
        return languages[self.slot % len(languages)]

    def spoken_place(self, counter_id: str, language: str) -> str:
        """Where a counter is, for announcements: `4. kabinets, 2. stāvs`, `Окно 3`."""
        name, area = where_texts(self.board.counter_places.get(counter_id), language)
        name = name or self.board.counter_labels.get(counter_id, counter_id)
        return ", ".join(part for part in (name, area) if part)

    def local_now(self) -> datetime:
        """The centre's local time."""
        centre = self.backend.centre
        return self.now().astimezone(ZoneInfo(centre.timezone if centre else "Europe/Riga"))

    def board_view(self, board: BoardState) -> BoardView:
        """What the board says now (for the screen)."""
        return board_view(
            board,
            language=self.language,
            languages=self.languages,
            local_now=self.local_now(),
            connected=self.connected,
            page_slot=self.slot // len(self.languages),
            recent_limit=self.display_config.recent,
        )

    def geometry(self, size: tuple[float, float]) -> ScreenGeometry:
        """The screen in millimetres (the window fills it in service)."""
        width, height = size
        return ScreenGeometry(int(width), int(height), self.display_config.screen_diagonal_inches)

    def font_sizes(self, size: tuple[float, float]) -> FontSizes:
        """The least font sizes (px) legible from the configured viewing distance."""
        return self.geometry(size).font_sizes(self.display_config.viewing_distance_m)

    def composed(self, composition: Composition) -> None:
        """Warn (once per kind) when the screen is too small for the viewing distance."""
        for kind, names in (("squeezed", composition.squeezed), ("left_out", composition.left_out)):
            if names and kind not in self._warned:
                self._warned.add(kind)
                log.warning(
                    "the board does not fit this screen at %.1f m (%s: %s): set a shorter "
                    "viewing_distance_m, a larger screen or a zone with fewer services",
                    self.display_config.viewing_distance_m,
                    kind,
                    ", ".join(names),
                )

    # -- backend listener -------------------------------------------------------------

    def on_snapshot(self, snapshot: Snapshot) -> None:
        self.show(reduce(self.board, snapshot, self.zone))

    def on_event(self, event: EventView) -> None:
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
        if self.display_config.sound:
            self.announcer.languages = self.languages  # the centre's, once it is known
            self.announcer.announce(Announcement.of(call))

    def _recent_enough(self, at: datetime) -> bool:
        """Calls older than `announce_max_age_seconds` are shown but not announced."""
        age = (self.now() - at).total_seconds()
        return age <= self.display_config.announce_max_age_seconds

    def on_connection(self, connected: bool) -> None:
        if connected != self.connected:
            self.connected = connected
            self.screen.draw(self.board)

    def set_board(self, board: BoardState) -> None:
        """Show a new board state."""
        self.board = board
        self.screen.draw(board)

    # -- timers ---------------------------------------------------------------------

    def _tick(self, dt: float) -> None:
        """Redraw when the minute, the language or the page changes."""
        local = self.local_now()
        turn = (local.strftime("%H:%M %d"), self.slot, self.languages)
        if turn != self._turn:
            self._turn = turn
            if self.board is not None:
                self.screen.draw(self.board)

    @property
    def flashing(self) -> bool:
        """Whether the newest call is still flashing."""
        return time.monotonic() < self._flash_until

    def _flash(self, dt: float) -> None:
        self.flash_on = (not self.flash_on) if self.flashing else False

    def _scroll_ticker(self, dt: float) -> None:
        if self.board.ticker:  # nothing to move without a ticker text
            self.ticker_offset += dt * TICKER_SPEED * self.font_sizes(self.screen.size).text
            self.screen.scroll_ticker(self.ticker_offset)
