"""Moving through a touchscreen app with a keypad or keyboard: Tab and the arrows move
a visible focus ring over the `Focusable` widgets (top to bottom, left to right),
Enter presses the focused one, and speech mode reads it.

Physical keys come in two kinds, kept apart here (the one place both apps take
keys from). Keys that *do* something (Tab, arrows, Enter, Space outside a text
field, Escape, Backspace, F1) are read from `Window.on_key_down` by key code.
Text comes only from `Window.on_textinput`: what SDL composes from the keys
with Shift, Caps Lock and the keyboard layout applied. The key-down
`codepoint` is never used as text: Kivy fills it with `chr(keycode)` for every
key, so F1 (282) would be typed as "Ě", Shift (304) as "İ" and Caps Lock as "ĭ",
and letters would stay small whatever Shift says.
"""

from __future__ import annotations

from typing import Any

from kivy.uix.widget import Widget

from kiosk.widgets import Focusable

KEY_BACKSPACE, KEY_TAB, KEY_ENTER, KEY_ESCAPE, KEY_SPACE = 8, 9, 13, 27, 32
KEY_NUMPAD_ENTER, KEY_UP, KEY_DOWN, KEY_RIGHT, KEY_LEFT, KEY_F1 = 271, 273, 274, 275, 276, 282
"""Kivy's key codes (`kivy.core.window.Keyboard.keycodes`)."""


class KeypadFocus:
    """Mixed into an app that has `manager`, `t(key)`, `speak_text(text)` and
    `toggle_speech()`; `bind_keys()` when built, `unbind_keys()` when stopped."""

    manager: Any
    t: Any
    speak_text: Any
    toggle_speech: Any
    _focused: Any = None

    # -- physical keys -------------------------------------------------------------------

    def bind_keys(self) -> None:
        """Take the window's key and text events."""
        from kivy.core.window import Window

        Window.bind(on_key_down=self._on_key_down, on_textinput=self._on_textinput)

    def unbind_keys(self) -> None:
        from kivy.core.window import Window

        Window.unbind(on_key_down=self._on_key_down, on_textinput=self._on_textinput)

    def keys_used(self) -> None:
        """Called for every key and text (e.g. to restart an inactivity timer)."""

    def shortcut(self, char: str) -> None:
        """A character typed where no text field takes it (e.g. R to repeat)."""

    def _on_key_down(
        self, window: Any, key: int, scancode: int, codepoint: str | None, modifiers: list[str]
    ) -> bool:
        # `codepoint` is deliberately not read (see the module docstring).
        self.keys_used()
        screen = self.manager.current_screen
        if key == KEY_TAB:
            self.move_focus(-1 if "shift" in modifiers else 1)
        elif key in (KEY_DOWN, KEY_RIGHT):
            self.move_focus(1)
        elif key in (KEY_UP, KEY_LEFT):
            self.move_focus(-1)
        elif key in (KEY_ENTER, KEY_NUMPAD_ENTER) or (key == KEY_SPACE and not screen.wants_text()):
            # (In a text field Space is text: it arrives through on_textinput.)
            if self._focused is not None and self._focused.focused:
                self.activate_focus()
            else:
                screen.type_key("\r")
        elif key == KEY_ESCAPE:
            screen.back()
        elif key == KEY_F1:
            self.toggle_speech()
        elif key == KEY_BACKSPACE and not screen.type_key("\b"):
            screen.back()
        return True

    def _on_textinput(self, window: Any, text: str) -> None:
        self.keys_used()
        for char in text:
            if not char.isprintable():
                continue
            screen = self.manager.current_screen
            if screen.wants_text():
                screen.type_key(char)
            else:
                self.shortcut(char)

    # -- focus -----------------------------------------------------------------------------

    def focus_root(self) -> Widget:
        """Where focusable widgets are looked for."""
        return self.manager.current_screen

    def focusables(self) -> list[Widget]:
        """Widgets the keypad can reach on the current screen, top to bottom, left to right."""
        root = self.focus_root()
        found: list[Widget] = []

        def visit(widget: Widget, visible: bool) -> None:
            visible = visible and widget.opacity > 0 and widget.height > 0
            if isinstance(widget, Focusable) and visible:
                found.append(widget)
            for child in widget.children:
                visit(child, visible)

        visit(root, True)
        return sorted(
            found, key=lambda w: (-round(w.to_window(*w.pos)[1] + w.height), w.to_window(*w.pos)[0])
        )

    def move_focus(self, step: int) -> None:
        """Move the keypad focus forwards or backwards and read the focused item."""
        items = self.focusables()
        if not items:
            return
        for item in items:
            item.focused = False
        current = next((i for i, w in enumerate(items) if w is self._focused), -1)
        index = (current + step) % len(items)
        focused = items[index]
        focused.focused = True
        self._focused = focused
        self._scroll_to(focused)
        text = focused.speech_text()
        if focused.disabled:
            text = f"{text}. {self.t('speech.disabled')}"
        self.speak_text(text)

    def _scroll_to(self, widget: Widget) -> None:
        from kivy.uix.scrollview import ScrollView

        parent = widget.parent
        while parent is not None and not isinstance(parent, ScrollView):
            if parent.parent is parent:  # the window is its own parent
                return
            parent = parent.parent
        if parent is not None:
            parent.scroll_to(widget, padding=20, animate=False)

    def activate_focus(self) -> None:
        """Press the focused item."""
        focused = self._focused
        if focused is not None and focused.focused and not focused.disabled:
            focused.trigger_action(duration=0)

    def clear_focus(self) -> None:
        focused = self._focused
        if focused is not None:
            focused.focused = False
        self._focused = None
