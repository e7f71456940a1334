"""Driving a real Kivy app in the test process (under Xvfb): frames, taps, keys, screenshots.

The window is created once per process; each test builds a fresh app on it
and removes it afterwards (`App.run()` is never called). Every frame also reads
the window's real SDL events, so keys pressed with `xdotool` under Xvfb reach
the app exactly as a keyboard's would.
"""

from __future__ import annotations

import logging
import os
import shutil
import subprocess
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

SCANCODE_PAUSE = 72
"""SDL's scancode of the Pause key (USB HID usage 0x48): the marker `xdotool_keys` sends."""
SCREENSHOT_DIR = Path(
    os.environ.get("RINDA_SCREENSHOTS", Path(tempfile.gettempdir()) / "rinda-screenshots")
)


def setup_kivy(width: int = 1080, height: int = 1920) -> None:
    """Environment and config that must be set before Kivy's window is imported."""
    os.environ.setdefault("KIVY_NO_ARGS", "1")
    os.environ.setdefault("KIVY_NO_FILELOG", "1")
    os.environ.setdefault("KIVY_NO_CONSOLELOG", "1")
    os.environ.setdefault("SDL_AUDIODRIVER", "dummy")
    os.environ.setdefault("KIVY_HOME", str(Path(tempfile.gettempdir()) / "rinda-kivy-home"))
    from kivy.config import Config

    Config.set("graphics", "width", str(width))
    Config.set("graphics", "height", str(height))
    Config.set("graphics", "fullscreen", "0")
    Config.set("kivy", "exit_on_escape", "0")
    Config.set("input", "mouse", "mouse,multitouch_on_demand")


class _LayoutLoops(logging.Handler):
    """Catches Kivy's "too much iteration" (rules and layouts setting each other off in
    a circle, every frame: the screen looks still but burns the CPU)."""

    def __init__(self) -> None:
        super().__init__()
        self.seen: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        if "too much iteration" in record.getMessage():
            self.seen.append(record.getMessage())


class Driver:
    """Pumps frames and simulates a visitor. Time for the app's timeouts passes only when
    the test says so (`advance`): its `clock` is a `ManualClock` the test holds."""

    def __init__(self, app: Any, size: tuple[int, int] = (1080, 1920)) -> None:
        self.app = app
        self.size = size
        self.clock = getattr(app, "clock", None)

    def start(self) -> Driver:
        from kivy.base import EventLoop
        from kivy.core.window import Window

        if tuple(Window.size) != self.size:
            Window.size = self.size
        self.app._run_prepare()
        EventLoop.status = "started"
        self.pump(0.1)
        return self

    def pump(self, seconds: float = 0.05) -> None:
        """Run frames for `seconds` (at least one), each reading the window's events."""
        from kivy.base import EventLoop

        deadline = time.monotonic() + seconds
        self._frame(EventLoop)
        while time.monotonic() < deadline:
            self._frame(EventLoop)

    @staticmethod
    def _frame(event_loop: Any) -> None:
        # What EventLoop.mainloop() does per frame: SDL's queued events, then a frame.
        if event_loop.window is not None:
            event_loop.window.mainloop()
        event_loop.idle()

    def settle(self, frames: int = 3, limit: int = 300) -> None:
        """Run frames until the layout stops moving: every widget's place, size and text
        size the same `frames` frames in a row (however slow the machine)."""
        from kivy.base import EventLoop
        from kivy.core.window import Window

        def signature() -> tuple[Any, ...]:
            return tuple(
                (id(w), tuple(w.pos), tuple(w.size), tuple(getattr(w, "texture_size", ())))
                for root in Window.children
                for w in root.walk()
            )

        loops = _LayoutLoops()
        kivy_logger = logging.getLogger("kivy")
        kivy_logger.addHandler(loops)
        try:
            last: tuple[Any, ...] | None = None
            steady = 0
            for _ in range(limit):
                self._frame(EventLoop)
                current = signature()
                steady = steady + 1 if current == last else 0
                if steady >= frames:
                    break
                last = current
            else:
                raise AssertionError("the layout never settled")
            self._frame(EventLoop)  # one more, settled: nothing may still be laying itself out
        finally:
            kivy_logger.removeHandler(loops)
        assert not loops.seen, f"layouts that never stop laying out: {loops.seen[0]}"

    def advance(self, seconds: float) -> None:
        """Move the app's clock forward and let it notice (idle warnings, questions and
        tickets that time out), then draw a frame."""
        from datetime import timedelta

        assert self.clock is not None and hasattr(self.clock, "advance"), "no manual clock"
        self.clock.advance(timedelta(seconds=seconds))
        self.app.tick()
        self.pump(0.02)

    def advance_until(
        self, predicate: Callable[[], bool], step: float = 1.0, what: str = "", limit: int = 200
    ) -> None:
        """Move the clock `step` seconds at a time until `predicate()` holds (a worker's
        retry budget, measured on the app's clock, runs out only as the clock moves)."""
        for _ in range(limit):
            if predicate():
                return
            self.advance(step)
        raise AssertionError(f"{what or predicate} did not happen")

    def until(self, predicate: Callable[[], bool], timeout: float = 10, what: str = "") -> None:
        """Run frames until `predicate()` holds."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            self.pump(0.02)
            if predicate():
                return
        raise AssertionError(f"timed out waiting for {what or predicate}")

    def tap(self, widget: Any) -> None:
        """Touch the centre of a widget, as a finger would."""
        from kivy.tests.common import UnitTestTouch

        assert widget.get_root_window() is not None, f"{widget} is not on screen"
        assert widget.opacity > 0 and widget.height > 0, f"{widget} is hidden"
        self.pump(0.02)
        touch = UnitTestTouch(*widget.to_window(*widget.center))
        touch.touch_down()
        self.pump(0.02)
        touch.touch_up()
        self.pump(0.06)

    def key(self, key: int, codepoint: str | None = None, modifiers: tuple[str, ...] = ()) -> None:
        """Press a key, synthesised the way Kivy's SDL window delivers it: `on_key_down`
        with Kivy's codepoint (for keys past Latin-1, such as F1 or Shift, that is
        `chr(keycode)`: "Ě", "İ"), then, for a key that types `codepoint`, `on_textinput`.
        `xdotool_keys` presses real keys instead."""
        from kivy.core.window import Window

        if codepoint is None and key >= 256:
            codepoint = chr(key)
        Window.dispatch("on_key_down", key, 0, codepoint, list(modifiers))
        if codepoint is not None and key < 256 and codepoint.isprintable():
            Window.dispatch("on_textinput", codepoint)
        Window.dispatch("on_key_up", key, 0)
        self.pump(0.05)

    def type_text(self, text: str) -> None:
        """Type on a physical keyboard (any letters, e.g. Latvian ones, which xdotool cannot
        type reliably: it remaps keys on the fly and SDL may read the old map)."""
        for char in text:
            self.key(ord(char.lower()) if char.isascii() else 0, char)

    def xdotool_keys(self, *keys: str) -> None:
        """Press real keys (X key events through `xdotool`, Debian package `xdotool`),
        e.g. `xdotool_keys("F1", "shift+a", "Caps_Lock")`; waits until the window has
        received them."""
        self._xdotool("key", *keys)

    def xdotool_type(self, text: str) -> None:
        """Type ASCII text with real X key events (Shift pressed for capitals)."""
        self._xdotool("type", text)

    def _xdotool(self, *command: str) -> None:
        from kivy.core.window import Window

        window_id = str(Window.get_window_info().window)
        marker_seen: list[int] = []

        def on_key_up(window: Any, key: int, scancode: int = 0, *args: Any) -> None:
            if scancode == SCANCODE_PAUSE:
                marker_seen.append(key)

        Window.bind(on_key_up=on_key_up)
        try:
            # Events reach the window in the order sent: once the Pause key sent after
            # the command is seen, everything before it has been handled.
            for args in ((*command,), ("key", "Pause")):
                process = subprocess.Popen(["xdotool", "windowfocus", "--sync", window_id, *args])
                try:
                    self.until(lambda p=process: p.poll() is not None, what=f"xdotool {args}")
                finally:
                    if process.poll() is None:
                        process.kill()
                    process.wait()
                assert process.returncode == 0, f"xdotool failed: {args}"
            self.until(lambda: bool(marker_seen), what=f"the window to receive {command}")
        finally:
            Window.unbind(on_key_up=on_key_up)

    def screenshot(self, name: str) -> Path:
        """Save the window as SCREENSHOT_DIR/name.png and return the path."""
        from kivy.core.window import Window

        self.pump(0.1)
        target = SCREENSHOT_DIR / f"{name}.png"
        target.parent.mkdir(parents=True, exist_ok=True)
        width, height = Window.size
        if width % 4:
            # Kivy's own screenshot skews rows whose byte length is no multiple of 4
            # (1366 px wide): read them packed and write the PNG with Pillow.
            from kivy.graphics.opengl import (
                GL_PACK_ALIGNMENT,
                GL_RGB,
                GL_UNSIGNED_BYTE,
                glPixelStorei,
                glReadPixels,
            )
            from PIL import Image

            glPixelStorei(GL_PACK_ALIGNMENT, 1)
            pixels = glReadPixels(0, 0, width, height, GL_RGB, GL_UNSIGNED_BYTE)
            glPixelStorei(GL_PACK_ALIGNMENT, 4)
            image = Image.frombytes("RGB", (width, height), bytes(pixels))
            image.transpose(Image.Transpose.FLIP_TOP_BOTTOM).save(target)
            return target
        written = Window.screenshot(name=str(SCREENSHOT_DIR / f"{name}-tmp.png"))
        shutil.move(written, target)
        return target

    def stop(self) -> None:
        """Tear the app down but keep the window for the next test."""
        from kivy.app import App
        from kivy.core.window import Window

        for child in list(Window.children):
            Window.remove_widget(child)
        # Let kv updates still queued for this app's widgets run against this app.
        self.pump(0.05)
        # on_stop (not just shutdown): kv's `app` proxy forgets a stopped app only then,
        # otherwise the next test's widgets would bind to this app's properties.
        self.app.dispatch("on_stop")
        App._running_app = None


def find(root: Any, widget_id: str) -> Any:
    """A widget by kv id anywhere below `root` (screens keep their own ids)."""
    if widget_id in getattr(root, "ids", {}):
        return root.ids[widget_id]
    for child in root.children:
        found = find(child, widget_id)
        if found is not None:
            return found
    return None


def texts(root: Any) -> list[str]:
    """Every visible label text below `root` (for assertions)."""
    result = []

    def visit(widget: Any) -> None:
        if getattr(widget, "opacity", 1) == 0:
            return
        text = getattr(widget, "text", None)
        if isinstance(text, str) and text:
            result.append(text)
        for child in widget.children:
            visit(child)

    visit(root)
    return result
