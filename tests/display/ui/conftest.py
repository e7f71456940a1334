"""Fixtures for hall display UI tests."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from tests.support.kivy_harness import Driver, setup_kivy
from tests.support.manual_monotonic import ManualMonotonic

setup_kivy()


@pytest.fixture
def make_display(server, staff, tmp_path: Path) -> Iterator[Callable[..., Driver]]:
    """Build and start a display app against the test server; stopped after the test."""
    from display.app import DisplayApp
    from display.config import DisplayConfig
    from terminal.speech import Espeak, SilentPlayer, Speaker

    drivers: list[Driver] = []

    def build(
        *,
        size: tuple[int, int] = (1920, 1080),
        now=None,
        monotonic=None,
        **settings,
    ) -> Driver:
        """`now` (wall clock) defaults to the test server's; `monotonic` (link timers and
        language turns) to one that stands still unless the test moves it."""
        config = DisplayConfig(
            server_url=settings.pop("server_url", server.url),
            discover=False,
            token=settings.pop("token", staff.display),
            fullscreen=False,
            **settings,
        )
        speaker = Speaker(Espeak(tmp_path / "speech-cache"), SilentPlayer())
        app = DisplayApp(
            config,
            speaker=speaker,
            now=now if now is not None else server.ctx.clock.now,
            monotonic=monotonic if monotonic is not None else ManualMonotonic(),
        )
        driver = Driver(app, size=size).start()
        drivers.append(driver)
        return driver

    yield build
    for driver in drivers:
        driver.stop()
