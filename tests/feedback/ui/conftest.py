"""Fixtures for feedback terminal UI tests: the same real server, terminal clock and
Kivy harness as the kiosk's UI tests (the terminal shares the kiosk's widgets)."""

from __future__ import annotations

from tests.kiosk.ui.conftest import make_terminal, terminal_clock

__all__ = ["make_terminal", "terminal_clock"]
