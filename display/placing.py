"""Placing texts in columns: the measuring and fitting machinery under `display.compose`.

A text is placed at the top of a column, at its size, wrapped at the column's
width; it only ever goes below that size to keep its longest word whole (which
is recorded as `squeezed`). Coordinates are Kivy's: pixels from the bottom-left.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import Protocol

Rect = tuple[float, float, float, float]
"""x, y, width, height."""

NOTICE_EM = 1.3
"""The closed notice beside calls still being made, and the no-calls hint (text size)."""
BOLD_ROLES = frozenset(
    {
        "heading",
        "tile_number",
        "tile_place",
        "tile_note",
        "number",
        "clock",
        "accent",
        "ticker",
        "centre",
    }
)


class Measure(Protocol):
    """Text measurement in the board's font (a Kivy core label in the app)."""

    def size(
        self, text: str, font_size: int, bold: bool, width: float | None
    ) -> tuple[float, float]:
        """(width, height) of `text` wrapped at `width` (None: one line)."""
        ...

    def lines(self, text: str, font_size: int, bold: bool, width: float) -> list[str]:
        """The lines `text` wraps into at `width`."""
        ...


@dataclass(frozen=True)
class Text:
    """One label: what, in which style, how large, where."""

    key: str
    role: str
    text: str
    font_size: int
    rect: Rect
    halign: str = "left"


@dataclass(frozen=True)
class Panel:
    """A coloured band or frame behind texts."""

    key: str
    role: str
    rect: Rect


@dataclass
class Column:
    """A column being filled from the top."""

    x: float
    top: float
    width: float
    bottom: float

    @property
    def room(self) -> float:
        """Height left."""
        return self.top - self.bottom


@dataclass
class Composer:
    """Places texts and panels, never under the least sizes (unless a word would break)."""

    width: float
    height: float
    font: int
    call_font: int
    measure: Measure
    texts: list[Text] = field(default_factory=list)
    panels: list[Panel] = field(default_factory=list)
    squeezed: list[str] = field(default_factory=list)

    @property
    def pad(self) -> float:
        """Padding around columns and inside panels."""
        return max(4.0, round(0.3 * self.font))

    @property
    def gap(self) -> float:
        """Space between items."""
        return max(2.0, round(0.25 * self.font))

    def bold(self, role: str) -> bool:
        """Whether a role's texts are bold."""
        return role in BOLD_ROLES

    def widest_word(self, text: str, size: int, bold: bool) -> float:
        """The widest stretch Kivy will not break (it breaks at plain spaces only)."""
        words = [word for word in text.split(" ") if word]
        return max((self.measure.size(w, size, bold, None)[0] for w in words), default=0)

    def fit(self, key: str, role: str, text: str, size: int, width: float) -> tuple[int, float]:
        """The size to draw `text` at within `width` (smaller only to keep a word whole)
        and its height."""
        bold = self.bold(role)
        widest = self.widest_word(text, size, bold)
        while widest > width and size > 1:
            size = max(1, math.floor(size * width / widest) - 1)
            widest = self.widest_word(text, size, bold)
            if key not in self.squeezed:
                self.squeezed.append(key)
        return size, self.measure.size(text, size, bold, width)[1]

    def one_line_size(self, text: str, role: str, largest: int, least: int, width: float) -> int:
        """The largest size up to `largest` (not under `least`) at which `text` fits `width`
        on one line."""
        natural = self.measure.size(text, largest, self.bold(role), None)[0]
        if natural <= width:
            return largest
        return max(least, math.floor(largest * width / natural) - 1)

    def place(
        self,
        column: Column,
        key: str,
        role: str,
        text: str,
        size: int,
        *,
        halign: str = "left",
    ) -> float | None:
        """Put `text` at the top of `column` (moving its top down); None if it does not fit."""
        size, height = self.fit(key, role, text, size, column.width)
        if height > column.room:
            return None
        rect = (column.x, column.top - height, column.width, height)
        self.texts.append(Text(key, role, text, size, rect, halign))
        column.top -= height
        return height

    def height_of(self, role: str, text: str, size: int, width: float) -> float:
        """How high `text` is drawn within `width` (without placing it)."""
        bold = self.bold(role)
        if self.widest_word(text, size, bold) > width:
            size = math.floor(size * width / self.widest_word(text, size, bold)) - 1
        return self.measure.size(text, max(1, size), bold, width)[1]
