"""Kivy settings shared by the kiosk, the feedback terminal and the hall display (Kivy is
imported lazily here): the window, logging, fonts and the main-thread hand-over."""

from __future__ import annotations

import atexit
import ctypes
import ctypes.util
import importlib.util
import json
import logging
import os
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from core.data import font_path

log = logging.getLogger(__name__)
_fonts_registered = False
GEOMETRY_DUMP_ENV = "RINDA_GEOMETRY_DUMP"
"""When set to a file path, the app writes what is on screen where to it every second
(JSON, see `screen_geometry`): for support and for the full-screen tests."""
SDL_INIT_VIDEO = 0x20


class _CutBufferNotice(logging.Filter):
    """Kivy logs a missing X11 cut buffer (xclip, xsel) as CRITICAL with two tracebacks at
    every start; the terminals never copy text between programs, so one INFO line says it."""

    def filter(self, record: logging.LogRecord) -> bool:
        if record.levelno >= logging.CRITICAL and "Cutbuffer" in str(record.msg):
            record.levelno, record.levelname = logging.INFO, "INFO"
            record.msg, record.args = "no X11 cut buffer (xclip, xsel): not needed here", ()
        return True


@dataclass(frozen=True)
class ScreenBounds:
    """A screen's position and size in pixels, as the windowing system places windows."""

    x: int
    y: int
    width: int
    height: int


class _SdlRect(ctypes.Structure):
    _fields_ = [("x", ctypes.c_int), ("y", ctypes.c_int), ("w", ctypes.c_int), ("h", ctypes.c_int)]


def _sdl_library() -> ctypes.CDLL | None:
    """The SDL2 library Kivy's window uses (the copy bundled with the Kivy wheel, else the
    system's)."""
    candidates: list[str] = []
    spec = importlib.util.find_spec("kivy")
    if spec is not None and spec.origin:
        bundled = Path(spec.origin).resolve().parent.parent / "Kivy.libs"
        candidates += [str(path) for path in sorted(bundled.glob("libSDL2-2*.so*"))]
    system = ctypes.util.find_library("SDL2")
    if system:
        candidates.append(system)
    for candidate in candidates:
        try:
            return ctypes.CDLL(candidate)
        except OSError:
            continue
    return None


def screen_bounds(display: int = 0) -> ScreenBounds | None:
    """The bounds of `display` as SDL sees it, asked before Kivy opens its window;
    None when SDL cannot tell (no library, no video device)."""
    sdl = _sdl_library()
    if sdl is None:
        return None
    if sdl.SDL_InitSubSystem(SDL_INIT_VIDEO) != 0:
        return None
    try:
        rect = _SdlRect()
        if sdl.SDL_GetDisplayBounds(display, ctypes.byref(rect)) != 0:
            return None
        return ScreenBounds(rect.x, rect.y, rect.w, rect.h)
    finally:
        sdl.SDL_QuitSubSystem(SDL_INIT_VIDEO)


def configure_kivy(
    fullscreen: bool, width: int, height: int, density: float = 1.0, fontscale: float = 1.0
) -> None:
    """Settings that must be made before Kivy's window exists.

    Full screen means the whole screen whatever starts the program: kiosks run on a
    bare X server without a window manager, where SDL's "full screen" request is
    never acted on and the window would stay at Kivy's 800 × 600 default in the middle
    of the screen while Kivy lays out for the whole screen. So the window is also
    created at the screen's size and position; with a window manager the full-screen
    request then changes nothing visible. Full screen also keeps the screen on (no
    blanking, no DPMS, `terminal.screen_power`) and hides the pointer (a touch screen).

    Logging goes through Python's `logging` as `rinda` set it up (INFO, DEBUG with
    `-v`, each line once): Kivy would otherwise add its own console handler to the
    root logger (every line twice) and open the root logger to every level (DEBUG
    from every library).
    """
    os.environ.setdefault("KIVY_NO_ARGS", "1")
    os.environ.setdefault("KIVY_NO_FILELOG", "1")
    os.environ.setdefault("KIVY_LOG_MODE", "PYTHON")
    if density != 1.0:
        os.environ.setdefault("KIVY_METRICS_DENSITY", str(density))
    if fontscale != 1.0:
        os.environ.setdefault("KIVY_METRICS_FONTSCALE", str(fontscale))
    from kivy.config import Config

    # Kivy sets its logger's level from its config file at import; follow rinda's instead.
    kivy_logger = logging.getLogger("kivy")
    kivy_logger.setLevel(logging.NOTSET)
    if not any(isinstance(f, _CutBufferNotice) for f in kivy_logger.filters):
        kivy_logger.addFilter(_CutBufferNotice())
    if not logging.getLogger().isEnabledFor(logging.DEBUG):
        # A line per heartbeat request (two a minute, all day) says nothing an operator
        # needs; failures are logged by the terminal's own code. `-v` shows them.
        logging.getLogger("httpx").setLevel(logging.WARNING)
    Config.set("kivy", "exit_on_escape", "0")
    Config.set("input", "mouse", "mouse,multitouch_on_demand")
    Config.set("graphics", "allow_screensaver", "0")
    if fullscreen:
        Config.set("graphics", "fullscreen", "auto")
        Config.set("graphics", "borderless", "1")
        Config.set("graphics", "show_cursor", "0")
        Config.set("graphics", "resizable", "0")
        from terminal.screen_power import keep_screen_on

        restore = keep_screen_on()
        if restore is not None:
            atexit.register(restore)
        bounds = screen_bounds()
        if bounds is None:
            log.warning("the screen size is not known: the window may not cover the screen")
        else:
            log.info("full screen: %d x %d", bounds.width, bounds.height)
            Config.set("graphics", "width", str(bounds.width))
            Config.set("graphics", "height", str(bounds.height))
            Config.set("graphics", "position", "custom")
            Config.set("graphics", "left", str(bounds.x))
            Config.set("graphics", "top", str(bounds.y))
    else:
        Config.set("graphics", "fullscreen", "0")
        Config.set("graphics", "width", str(width))
        Config.set("graphics", "height", str(height))
    dump_path = os.environ.get(GEOMETRY_DUMP_ENV)
    if dump_path:
        from kivy.clock import Clock

        Clock.schedule_interval(lambda dt: write_geometry(Path(dump_path)), 1.0)


def screen_geometry() -> dict[str, Any]:
    """What is on screen where: the window's size, Kivy's density (pixels per dp) and every
    visible widget that shows text or takes a touch, with its rectangle in window pixels
    (origin top left), its font size and the size its text needs (pixels), and whether it
    lies in a scroll area (where scrolling brings what lies outside the view) and the part
    of it `shown` in that area's view (None: scrolled out of sight), the `lines` a wrapped
    text is drawn in; `id` is its
    kv id, `owner` the index of the listed widget it lies in (None: none)."""
    from kivy.core.window import Window
    from kivy.uix.behaviors import ButtonBehavior
    from kivy.uix.label import Label
    from kivy.uix.scrollview import ScrollView

    width, height = Window.size
    widgets: list[dict[str, Any]] = []
    names: dict[int, str] = {}

    def name(widget: Any) -> None:
        for key, named in getattr(widget, "ids", {}).items():
            # kv keeps ids as weak proxies; `__self__` is the widget itself
            names.setdefault(id(getattr(named, "__self__", named)), key)
        for child in widget.children:
            name(child)

    for root in Window.children:
        name(root)

    def top_left(widget: Any) -> list[float]:
        x, y = widget.to_window(*widget.pos)
        return [x, height - (y + widget.height), widget.width, widget.height]

    def clip(rect: list[float], view: list[float] | None) -> list[float] | None:
        if view is None:
            return rect
        left, top = max(rect[0], view[0]), max(rect[1], view[1])
        right = min(rect[0] + rect[2], view[0] + view[2])
        bottom = min(rect[1] + rect[3], view[1] + view[3])
        return [left, top, right - left, bottom - top] if right > left and bottom > top else None

    def visit(widget: Any, visible: bool, view: list[float] | None, owner: int | None) -> None:
        visible = visible and widget.opacity > 0 and widget.width > 0 and widget.height > 0
        if not visible:
            return
        in_scroll = view is not None
        touchable = isinstance(widget, ButtonBehavior)
        text = getattr(widget, "text", "")
        if touchable or (isinstance(widget, Label) and text):
            widgets.append(
                {
                    "kind": type(widget).__name__,
                    "id": names.get(id(widget), ""),
                    "owner": owner,
                    "touchable": touchable,
                    "text": str(text),
                    "rect": top_left(widget),
                    "shown": clip(top_left(widget), view),
                    "background": list(getattr(widget, "background_color", []) or []),
                    "font_size": float(getattr(widget, "font_size", 0) or 0),
                    "texture_size": [float(v) for v in getattr(widget, "texture_size", (0, 0))],
                    "in_scroll": in_scroll,
                    "lines": _lines(widget),
                }
            )
            owner = len(widgets) - 1
        if isinstance(widget, ScrollView):
            view = clip(top_left(widget), view) or [0.0, 0.0, 0.0, 0.0]
        for child in widget.children:
            visit(child, visible, view, owner)

    for root in Window.children:
        visit(root, True, None, None)
    from kivy.app import App

    manager = getattr(App.get_running_app(), "manager", None)
    screen = getattr(manager, "current", None)
    from kivy.metrics import Metrics

    return {
        "window": [width, height],
        "density": float(Metrics.density),
        "fontscale": float(Metrics.fontscale),
        "screen": screen,
        "widgets": widgets,
    }


def _lines(widget: Any) -> list[str]:
    """The lines a wrapped text is drawn in (empty: not wrapped, or not a text)."""
    if getattr(widget, "text_size", (None, None))[0] is None:
        return []
    core = getattr(widget, "_label", None)
    lines = getattr(core, "_cached_lines", None) or []
    return ["".join(word.text for word in line.words) for line in lines]


def write_geometry(path: Path) -> None:
    """Write `screen_geometry()` to `path` (atomically: readers never see half a file)."""
    scratch = path.with_name(path.name + ".part")
    scratch.write_text(json.dumps(screen_geometry()), encoding="utf-8")
    scratch.replace(path)


def register_fonts() -> None:
    """Use DejaVu Sans (Latvian, Cyrillic and arrows) as the default font everywhere."""
    global _fonts_registered
    if not _fonts_registered:
        from kivy.core.text import DEFAULT_FONT, LabelBase

        LabelBase.register(DEFAULT_FONT, str(font_path()), fn_bold=str(font_path(bold=True)))
        _fonts_registered = True


def on_main_thread(app: Any, action: Callable[[], None]) -> None:
    """Run `action` on Kivy's main thread at the next frame (backends call this from their
    threads); dropped if `app.stopped` by then."""
    from kivy.clock import Clock

    Clock.schedule_once(lambda dt: None if app.stopped else action(), 0)
