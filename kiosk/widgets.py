"""Kiosk widgets: large buttons that can take keypad focus and the inactivity warning
(the on-screen keyboard is `kiosk.keyboard`; the accessibility bar is part of the screen
frame, `kiosk.screens.frame`). Styles are in widgets.kv: one rule draws every button's
colours, edge, selected mark and focus ring, so no other rule can undo a state it shows."""

from __future__ import annotations

from collections.abc import Sequence

from kivy.metrics import dp
from kivy.properties import BooleanProperty, NumericProperty, ObjectProperty, StringProperty
from kivy.uix.button import Button
from kivy.uix.modalview import ModalView
from kivy.uix.scrollview import ScrollView
from kivy.uix.textinput import TextInput

TALLEST_LINE = "ĀŅÉjgqЙЁ|"
"""Letters with marks above and below: a line of them is as high as any typed line."""

_TEXT_ROOMS: dict[tuple[tuple[str, ...], float, float, bool], float] = {}
"""Measured rooms, by texts, font size, width and boldness (each measured once)."""


def text_room(texts: Sequence[str], font_size: float, width: float, bold: bool = False) -> float:
    """The height (px) the tallest of `texts` needs wrapped at `width` in the default
    font: the room kept for a line that comes and goes (an error under a field), so that
    nothing below it moves under the visitor's finger when it appears or goes."""
    if width <= 0 or not texts:
        return 0.0
    key = (tuple(texts), float(font_size), float(width), bold)
    if key not in _TEXT_ROOMS:
        from kivy.core.text import Label as CoreLabel

        heights = []
        for text in texts:
            label = CoreLabel(text=text, font_size=font_size, text_size=(width, None), bold=bold)
            label.refresh()
            heights.append(label.texture.size[1])
        _TEXT_ROOMS[key] = float(max(heights))
    return _TEXT_ROOMS[key]


class RoomScroll(ScrollView):
    """A screen's middle part: it fills the room between the screen's top and its
    accessibility bar and, where its one child needs more than that (a small screen at a
    legible text size, `terminal.screen_scale`), scrolls with a bar that stays in sight,
    so nothing is ever cut off. The child is a layout whose `minimum_height` is what it
    needs: flexible parts inside it give `size_hint_min_y`."""

    def __init__(self, **kwargs: object) -> None:
        kwargs.setdefault("do_scroll_x", False)
        kwargs.setdefault("bar_width", dp(14))
        super().__init__(**kwargs)
        # A bar that fades would hide that there is more below.
        self.bar_inactive_color = self.bar_color
        self.bind(size=self._fit)

    def add_widget(self, widget: object, *args: object, **kwargs: object) -> None:
        super().add_widget(widget, *args, **kwargs)
        widget.size_hint = (None, None)  # type: ignore[attr-defined]
        widget.bind(minimum_height=self._fit)  # type: ignore[attr-defined]
        self._fit()

    def _fit(self, *args: object) -> None:
        for child in self.children:
            scrolls = child.minimum_height > self.height + 1
            # A scrolling middle leaves the bar its own strip: it never covers a text.
            child.width = self.width - (self.bar_width + dp(8) if scrolls else 0)
            child.height = max(self.height, child.minimum_height)


class Focusable:
    """A widget the keypad can move to. `spoken` is what speech mode reads for it."""

    focused = BooleanProperty(False)
    spoken = StringProperty("")

    def speech_text(self) -> str:
        """What to say when focused."""
        return self.spoken or getattr(self, "text", "")


class ControlButton(Focusable, Button):
    """A button drawn by the one `<ControlButton>` rule: an edge that stands out from
    the page in both themes, and a selected state shown by a mark, not by colour alone."""

    selected = BooleanProperty(False)
    """The chosen tab, choice or switch: inverted colours and a bar along the bottom."""
    emphasis = BooleanProperty(False)
    """The screen's main action (e.g. *Next*): the accent colour."""


class BigButton(ControlButton):
    """A large touch target (at least 90 px high) with a focus ring."""

    hint = StringProperty("")


class ServiceButton(BigButton):
    """A service: name, queue figures, and the reason when it cannot be chosen."""

    service_id = StringProperty("")
    detail = StringProperty("")
    reason = StringProperty("")


class ToggleBigButton(BigButton):
    """A switch (the accessibility bar's, `kiosk.screens.frame`): its name, and its state
    once in words (on/off) besides being drawn selected while on, never by colour alone."""

    active = BooleanProperty(False)
    label = StringProperty("")


class ChoiceButton(BigButton):
    """One of several choices (a language, a tab, a form's answer): the chosen one is
    `selected`, drawn inverted and marked with a tick before its `label` (one rule in
    widgets.kv), never told apart by colour alone."""

    label = StringProperty("")

    def speech_text(self) -> str:
        return self.spoken or self.label


class TabButton(ChoiceButton):
    """A tab: a choice of what the screen lists, several in a row."""


class KeyButton(ControlButton):
    """A key of the on-screen keyboard."""


class KioskField(TextInput):
    """A text field filled only by the kiosk's keys (on-screen or physical, see
    `kiosk.keypad`), with an edge of 3:1 (widgets.kv). Its `full_height` holds `lines`
    lines of any letters: a field that grew with what is typed (Kivy measures its lines
    on the text, 1 px higher with "ū" or "ņ"; a long text adds lines) would move the
    keyboard below it under the visitor's finger. Longer texts scroll."""

    lines = NumericProperty(1)
    full_height = NumericProperty(0)

    def height_for(self, font_size: float, padding: Sequence[float], lines: float) -> float:
        """`lines` lines at `font_size` with the field's padding and a margin (px)."""
        line = text_room([TALLEST_LINE], font_size, 100000)
        return line * lines + padding[1] + padding[3] + dp(10)


class IdleWarning(ModalView):
    """Are you still there? — with a countdown and a button to continue."""

    title = StringProperty("")
    body = StringProperty("")
    button_text = StringProperty("")
    on_continue = ObjectProperty(None, allownone=True)
