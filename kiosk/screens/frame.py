"""What every kiosk and feedback-terminal screen has around its content: the
accessibility switches at the bottom (larger text, high contrast, speech), one step away
on every screen. Styles are in frame.kv.

The bar is as high as its tallest switch needs (a switch's words wrap in larger text and
in Russian) and never taller than that: it must not grow over the screen's own buttons.
"""

from __future__ import annotations

from typing import Any

from kivy.metrics import dp
from kivy.uix.boxlayout import BoxLayout

MIN_SWITCH_HEIGHT = 90
"""dp: a switch is a large touch target even when its words are short."""


class AccessibilityBar(BoxLayout):
    """Larger text, high contrast and speech: one step away on every screen."""

    def on_kv_post(self, base_widget: Any) -> None:
        for switch in self.children:
            switch.bind(texture_size=self._fit)
        self._fit()

    def _fit(self, *args: Any) -> None:
        text_height = max((s.texture_size[1] for s in self.children), default=0)
        self.height = max(dp(MIN_SWITCH_HEIGHT), text_height + dp(24)) + dp(10)
