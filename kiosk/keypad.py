"""Moving through a touchscreen app with a keypad or keyboard: Tab and the arrows move
a visible focus ring over the `Focusable` widgets (top to bottom, left to right),
Enter presses the focused one, and speech mode reads it."""

from __future__ import annotations

from typing import Any

from kivy.uix.widget import Widget

from kiosk.widgets import Focusable


class KeypadFocus:
    """Mixed into an app that has `manager`, `t(key)` and `speak_text(text)`."""

    manager: Any
    t: Any
    speak_text: Any
    _focused: Any = None

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
