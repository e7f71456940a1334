"""Kiosk widgets: large buttons that can take keypad focus, the accessibility bar and the
inactivity warning (the on-screen keyboard is `kiosk.keyboard`). Styles are in widgets.kv:
one rule draws every button's colours, edge, selected mark and focus ring, so no other
rule can undo a state it shows."""

from __future__ import annotations

from kivy.properties import BooleanProperty, ObjectProperty, StringProperty
from kivy.uix.boxlayout import BoxLayout
from kivy.uix.button import Button
from kivy.uix.modalview import ModalView


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
    """An accessibility switch: shows on/off in words and as selected, not only by colour."""

    active = BooleanProperty(False)
    label = StringProperty("")


class TabButton(BigButton):
    """A tab: the selected one is marked with a tick as well as drawn selected."""

    label = StringProperty("")


class KeyButton(ControlButton):
    """A key of the on-screen keyboard."""


class AccessibilityBar(BoxLayout):
    """Larger text, high contrast and speech: one step away on every screen."""


class IdleWarning(ModalView):
    """Are you still there? — with a countdown and a button to continue."""

    title = StringProperty("")
    body = StringProperty("")
    button_text = StringProperty("")
    on_continue = ObjectProperty(None, allownone=True)
