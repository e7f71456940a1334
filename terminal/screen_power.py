"""Keep an X11 screen on while a terminal runs: no screen saver blanking it, no DPMS
powering it down (a kiosk stands idle for hours and must show its start screen when a
visitor walks up). What `xset s off -dpms` does, through Xlib (libX11, libXext) so that no
extra program is needed; the previous settings come back when the terminal stops.

SDL's own "screen saver off" (Kivy's `allow_screensaver = 0`) only suspends an XScreenSaver
client where the X server has that extension: the X server's blanking timer and DPMS
stay on, and a bare X server without a window manager blanks after ten minutes.
"""

from __future__ import annotations

import ctypes
import ctypes.util
import logging
import os
from collections.abc import Callable
from dataclasses import dataclass

log = logging.getLogger(__name__)
DONT_PREFER_BLANKING = 0
DEFAULT_EXPOSURES = 2


@dataclass(frozen=True)
class ScreenPower:
    """The X server's screen saver and DPMS settings."""

    saver_timeout_s: int
    """Seconds idle before the screen saver blanks; 0: never."""
    saver_interval_s: int
    prefer_blanking: int
    allow_exposures: int
    dpms_capable: bool
    dpms_enabled: bool


def _libraries() -> tuple[ctypes.CDLL, ctypes.CDLL | None] | None:
    x11_name = ctypes.util.find_library("X11")
    if x11_name is None:
        return None
    try:
        x11 = ctypes.CDLL(x11_name)
    except OSError:
        return None
    x11.XOpenDisplay.restype = ctypes.c_void_p
    x11.XOpenDisplay.argtypes = [ctypes.c_char_p]
    for name in ("XCloseDisplay", "XFlush", "XSync"):
        getattr(x11, name).argtypes = [ctypes.c_void_p] + (
            [ctypes.c_int] if name == "XSync" else []
        )
    x11.XGetScreenSaver.argtypes = [ctypes.c_void_p] + [ctypes.POINTER(ctypes.c_int)] * 4
    x11.XSetScreenSaver.argtypes = [ctypes.c_void_p] + [ctypes.c_int] * 4
    xext_name = ctypes.util.find_library("Xext")
    xext = None
    if xext_name is not None:
        try:
            xext = ctypes.CDLL(xext_name)
            xext.DPMSQueryExtension.argtypes = [ctypes.c_void_p] + [
                ctypes.POINTER(ctypes.c_int)
            ] * 2
            xext.DPMSCapable.argtypes = [ctypes.c_void_p]
            xext.DPMSEnable.argtypes = [ctypes.c_void_p]
            xext.DPMSDisable.argtypes = [ctypes.c_void_p]
            xext.DPMSInfo.argtypes = [
                ctypes.c_void_p,
                ctypes.POINTER(ctypes.c_ushort),
                ctypes.POINTER(ctypes.c_ubyte),
            ]
        except (OSError, AttributeError):
            xext = None
    return x11, xext


def _read(x11: ctypes.CDLL, xext: ctypes.CDLL | None, display: int) -> ScreenPower:
    values = [ctypes.c_int() for _ in range(4)]
    x11.XGetScreenSaver(display, *(ctypes.byref(v) for v in values))
    event_base, error_base = ctypes.c_int(), ctypes.c_int()
    capable = bool(
        xext is not None
        # (asked first: DPMSCapable prints a warning where the extension is missing)
        and xext.DPMSQueryExtension(display, ctypes.byref(event_base), ctypes.byref(error_base))
        and xext.DPMSCapable(display)
    )
    enabled = False
    if capable and xext is not None:
        level, state = ctypes.c_ushort(), ctypes.c_ubyte()
        xext.DPMSInfo(display, ctypes.byref(level), ctypes.byref(state))
        enabled = bool(state.value)
    timeout, interval, prefer_blanking, allow_exposures = (v.value for v in values)
    return ScreenPower(timeout, interval, prefer_blanking, allow_exposures, capable, enabled)


def screen_power(display_name: str | None = None) -> ScreenPower | None:
    """The screen saver and DPMS settings of the X server `display_name` (default: $DISPLAY);
    None where there is no X server to ask."""
    libraries = _libraries()
    if libraries is None:
        return None
    x11, xext = libraries
    display = x11.XOpenDisplay(display_name.encode() if display_name else None)
    if not display:
        return None
    try:
        return _read(x11, xext, display)
    finally:
        x11.XCloseDisplay(display)


def keep_screen_on() -> Callable[[], None] | None:
    """Turn the X server's screen saver and DPMS off; returns what puts them back as they
    were (None, and a warning logged, where there is no X server to tell)."""
    libraries = _libraries() if os.environ.get("DISPLAY") else None
    display = libraries[0].XOpenDisplay(None) if libraries else None
    if libraries is None or not display:
        log.warning("no X server to keep the screen on: it may blank when idle")
        return None
    x11, xext = libraries
    before = _read(x11, xext, display)
    x11.XSetScreenSaver(display, 0, 0, DONT_PREFER_BLANKING, DEFAULT_EXPOSURES)
    if before.dpms_capable and xext is not None:
        xext.DPMSDisable(display)
    x11.XSync(display, 0)
    log.info("screen blanking and DPMS off while running")

    def restore() -> None:
        x11.XSetScreenSaver(
            display,
            before.saver_timeout_s,
            before.saver_interval_s,
            before.prefer_blanking,
            before.allow_exposures,
        )
        if before.dpms_enabled and xext is not None:
            xext.DPMSEnable(display)
        x11.XSync(display, 0)
        x11.XCloseDisplay(display)

    return restore
