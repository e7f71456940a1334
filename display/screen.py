"""The board's widgets: places the texts and panels `display.compose` lays out.

Labels and panels are kept by key and reused, so only a text that changed is
rendered again (text rendering is the cost on a software-rendered display).
"""

from __future__ import annotations

from collections import OrderedDict
from typing import Any

from kivy.core.text import Label as CoreLabel
from kivy.properties import ListProperty, ObjectProperty, StringProperty
from kivy.uix.floatlayout import FloatLayout
from kivy.uix.label import Label
from kivy.uix.widget import Widget

from display.compose import Composition, compose
from display.placing import BOLD_ROLES, Panel, Text
from terminal.kivy_setup import register_fonts

TEXT = (1, 1, 1, 1)
MUTED = (0.80, 0.85, 0.92, 1)
ACCENT = (1.0, 0.80, 0.10, 1)
DARK = (0.05, 0.05, 0.05, 1)
WARNING = (1.0, 0.55, 0.45, 1)
PANEL_BG = (0.07, 0.13, 0.25, 1)
TICKER_BG = (0.55, 0.42, 0.0, 1)
OFFLINE_BG = (0.25, 0.06, 0.04, 1)
ROLE_COLOURS = {
    "heading": MUTED,
    "body": TEXT,
    "muted": MUTED,
    "hint": MUTED,
    "place": MUTED,
    "number": TEXT,
    "tile_number": DARK,
    "tile_place": DARK,
    "tile_note": DARK,
    "clock": TEXT,
    "centre": TEXT,
    "accent": ACCENT,
    "warning": WARNING,
    "ticker": TEXT,
}
PANEL_FILLS = {
    "header": PANEL_BG,
    "call": PANEL_BG,
    "ticker": TICKER_BG,
    "offline": OFFLINE_BG,
}


class BoardText(Label):
    """One text of the board (style set from its role)."""

    role = StringProperty("")


class BoardPanel(Widget):
    """A coloured band behind texts."""

    fill = ListProperty([0, 0, 0, 0])


class TilePanel(Widget):
    """The newest call's panel (flashes with the app's `flash_on`)."""


class KivyMeasure:
    """Text measurement with Kivy's own text layout, without rendering (cached)."""

    def __init__(self, capacity: int = 8192) -> None:
        register_fonts()
        self._cache: OrderedDict[tuple[Any, ...], Any] = OrderedDict()
        self._capacity = capacity

    def _layout(self, text: str, font_size: int, bold: bool, width: float | None) -> Any:
        key = (text, font_size, bold, None if width is None else round(width))
        hit = self._cache.get(key)
        if hit is not None:
            self._cache.move_to_end(key)
            return hit
        label = CoreLabel(
            text=text,
            font_size=font_size,
            bold=bold,
            text_size=(None, None) if width is None else (round(width), None),
        )
        size = label.render(real=False)
        lines = [" ".join(word.text for word in line.words) for line in label._cached_lines]
        if width is not None:
            size = (max((label.get_extents(line)[0] for line in lines), default=0), size[1])
        result = (size, lines)
        self._cache[key] = result
        if len(self._cache) > self._capacity:
            self._cache.popitem(last=False)
        return result

    def size(
        self, text: str, font_size: int, bold: bool, width: float | None
    ) -> tuple[float, float]:
        """(width, height) of `text` wrapped at `width` (None: on one line)."""
        (w, h), _ = self._layout(text, font_size, bold, width)
        return float(w), float(h)

    def lines(self, text: str, font_size: int, bold: bool, width: float) -> list[str]:
        """The lines `text` wraps into at `width`."""
        return list(self._layout(text, font_size, bold, width)[1])


class BoardScreen(FloatLayout):
    """The whole board; `draw(board)` updates it."""

    controller = ObjectProperty(None)

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.measure = KivyMeasure()
        self.composition: Composition | None = None
        self._labels: dict[str, BoardText] = {}
        self._panels: dict[str, Widget] = {}
        self._board: Any = None
        self.bind(size=lambda *args: self.redraw())

    def draw(self, board: Any) -> None:
        """Show `board` (a `BoardState`) in the language shown now."""
        self._board = board
        self.redraw()

    def redraw(self) -> None:
        """Lay the board out again (new state, language, page, size or clock)."""
        if self._board is None or self.controller is None or self.width < 2:
            return
        app = self.controller
        view = app.board_view(self._board)
        composition = compose(
            view, self.width, self.height, app.font_sizes((self.width, self.height)), self.measure
        )
        self.composition = composition
        self._place(composition)
        app.composed(composition)

    def _place(self, composition: Composition) -> None:
        wanted: list[Widget] = [self._panel(panel) for panel in composition.panels]
        wanted += [self._label(text) for text in composition.texts]
        if [*reversed(self.children)] != wanted:
            self.clear_widgets()
            for widget in wanted:
                self.add_widget(widget)
        self.scroll_ticker(self.controller.ticker_offset)

    def _panel(self, panel: Panel) -> Widget:
        kind = TilePanel if panel.role == "tile" else BoardPanel
        widget = self._panels.get(panel.key)
        if not isinstance(widget, kind):
            widget = kind(size_hint=(None, None))
            self._panels[panel.key] = widget
        if isinstance(widget, BoardPanel):
            widget.fill = PANEL_FILLS.get(panel.role, PANEL_BG)
        x, y, width, height = panel.rect
        widget.pos, widget.size = (x, y), (width, height)
        return widget

    def _label(self, text: Text) -> BoardText:
        label = self._labels.get(text.key)
        if label is None:
            label = BoardText(size_hint=(None, None))
            self._labels[text.key] = label
        x, y, width, height = text.rect
        label.text = text.text
        label.font_size = text.font_size
        label.bold = text.role in BOLD_ROLES
        label.color = ROLE_COLOURS.get(text.role, TEXT)
        label.halign = text.halign
        label.pos, label.size = (x, y), (width, height)
        label.role = text.role
        return label

    def scroll_ticker(self, offset: float) -> None:
        """Move the ticker text (it runs right to left across the screen, over and over)."""
        label = self._labels.get("ticker")
        if label is None or label.parent is None:
            return
        span = self.width + label.width
        label.x = self.width - (offset % (span + 1))

    def labels(self) -> list[BoardText]:
        """The texts on the board now."""
        return [child for child in self.children if isinstance(child, BoardText)]

    def texts(self) -> list[str]:
        """Every visible text on the board (for tests and debugging)."""
        return [label.text for label in reversed(self.children) if isinstance(label, BoardText)]
