"""Fixtures for kiosk UI tests: a real server, a fake network printer, a fresh kiosk app,
a fresh feedback terminal."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from core.clock import ManualClock
from tests.support.catalogues import MONDAY_MORNING
from tests.support.kivy_harness import Driver, setup_kivy

setup_kivy()
FEEDBACK_SIZE = (1280, 800)


@pytest.fixture
def terminal_clock() -> ManualClock:
    """The terminal's own clock (its timeouts and the time it shows): it moves only when
    the test advances it, so nothing depends on how fast the machine is."""
    return ManualClock(MONDAY_MORNING)


@pytest.fixture
def make_kiosk(
    server, staff, tmp_path: Path, terminal_clock: ManualClock
) -> Iterator[Callable[..., Driver]]:
    """Build and start a kiosk app against the test server; stopped after the test."""
    from kiosk.app import KioskApp
    from kiosk.config import KioskConfig
    from terminal.speech import Espeak, SilentPlayer, Speaker

    drivers: list[Driver] = []

    def build(
        printer: str = "dummy;profile=TM-T20II", size: tuple[int, int] = (1080, 1920), **settings
    ) -> Driver:
        config = KioskConfig(
            server_url=settings.pop("server_url", server.url),
            discover=False,
            token=settings.pop("token", staff.kiosk),
            printer=printer,
            fullscreen=False,
            status_interval_seconds=settings.pop("status_interval_seconds", 0.5),
            **settings,
        )
        speaker = Speaker(Espeak(tmp_path / "speech-cache"), SilentPlayer())
        app = KioskApp(config, speaker=speaker, clock=terminal_clock)
        driver = Driver(app, size=size).start()
        drivers.append(driver)
        return driver

    yield build
    for driver in drivers:
        driver.stop()


@pytest.fixture
def make_terminal(
    server, staff, tmp_path: Path, terminal_clock: ManualClock
) -> Iterator[Callable[..., Driver]]:
    """Build and start a feedback terminal against the test server."""
    from feedback.app import FeedbackApp
    from kiosk.config import KioskConfig
    from terminal.speech import Espeak, SilentPlayer, Speaker

    drivers: list[Driver] = []

    def build(size: tuple[int, int] = FEEDBACK_SIZE, **settings) -> Driver:
        config = KioskConfig(
            server_url=server.url,
            discover=False,
            token=settings.pop("token", staff.feedback),
            fullscreen=False,
            mode="feedback",
            outbox_dir=settings.pop("outbox_dir", tmp_path / "feedback-outbox"),
            status_interval_seconds=settings.pop("status_interval_seconds", 0.5),
            **settings,
        )
        speaker = Speaker(Espeak(tmp_path / "speech-cache"), SilentPlayer())
        app = FeedbackApp(config, speaker=speaker, clock=terminal_clock)
        driver = Driver(app, size=size).start()
        drivers.append(driver)
        return driver

    yield build
    for driver in drivers:
        driver.stop()
