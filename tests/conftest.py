"""Shared fixtures."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest

from core.clock import ManualClock
from tests.support.catalogues import MONDAY_MORNING, always_open
from tests.support.running_server import RunningServer

os.environ.setdefault("ESCPOS_CAPABILITIES_PICKLE_DIR", "/tmp/rinda-escpos-cache")
pytest_plugins = ["tests.support.postgres_fixtures"]


@pytest.fixture
def clock() -> ManualClock:
    """A clock stopped on a Monday morning in Riga."""
    return ManualClock(MONDAY_MORNING)


@pytest.fixture
def server(tmp_path: Path, clock: ManualClock) -> Iterator[RunningServer]:
    """A real server on 127.0.0.1 with the demo catalogue, open around the clock."""
    with RunningServer(tmp_path / "data", clock=clock, catalogue=always_open()) as running:
        yield running


class Staff:
    """Accounts and devices on the running server, created on first use."""

    def __init__(self, server: RunningServer) -> None:
        self.server = server
        self._tokens: dict[str, str] = {}

    def _device(self, name: str, role: str, counter_id: str | None = None) -> str:
        if name not in self._tokens:
            self._tokens[name] = self.server.add_device(name, role, counter_id)
        return self._tokens[name]

    def _user(self, name: str, role: str, counter_id: str | None = None) -> str:
        """The user's session token; they sign in again when their session has ended
        (tests on a fake clock often jump past the idle time)."""
        token = self._tokens.get(name)
        if token is None:
            self.server.add_user(name, role, counter_id=counter_id)
        elif not self._session_alive(token):
            token = None
        if token is None:
            token = self._tokens[name] = self.server.login(name)
        return token

    def _session_alive(self, token: str) -> bool:
        # Marked as background, so that asking does not keep the session alive.
        with self.server.client(token) as http:
            return http.get("/session", headers={"X-Rinda-Background": "1"}).status_code == 200

    @property
    def kiosk(self) -> str:
        return self._device("kiosk-1", "kiosk")

    @property
    def display(self) -> str:
        return self._device("display-1", "display")

    @property
    def feedback(self) -> str:
        return self._device("feedback-1", "feedback", "c1")

    @property
    def exit_feedback(self) -> str:
        """A feedback terminal by the exit (bound to no counter)."""
        return self._device("feedback-exit", "feedback")

    @property
    def manager(self) -> str:
        return self._user("boss", "manager")

    @property
    def admin(self) -> str:
        return self._user("root", "admin")

    def clerk(self, counter_id: str) -> str:
        return self._user(f"clerk-{counter_id}", "clerk", counter_id)


@pytest.fixture
def staff(server: RunningServer) -> Staff:
    """Accounts and devices on the running server."""
    return Staff(server)


@pytest.fixture
def staff_factory():
    """Staff for a server a test starts itself."""
    return Staff
