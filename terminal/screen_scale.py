"""How large a touchscreen terminal draws on the screen it starts on (pure).

The kiosk and the feedback terminal are laid out in Kivy's density-independent units
(`dp`, `sp`) for a design size (`DesignSize`); `density` is how many pixels one unit
takes on the real screen. Two rules, the larger wins:

- **fit**: the design fills the screen — a smaller screen draws everything smaller, a
  larger one larger (in both orientations: a landscape screen is measured against the
  design turned on its side);
- **legible**: the smallest text on the terminal (`least_font_sp`) keeps capitals that
  subtend 22′ (ISO 9241-303, `core.legibility.READING_ANGLE_DEGREES`) at arm's length
  (`ARM_LENGTH_M`) on the screen's physical pixels.

Where the legible size does not let the design fit, the screens adapt (they scroll or
use fewer columns; see kiosk/screens/*.kv) — they never clip.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from core.legibility import READING_ANGLE_DEGREES, least_font_px, mm_per_px

ARM_LENGTH_M = 0.5
"""How far a visitor's eyes are from a touchscreen they use: within reach of the hand
(ISO 9241-303 assumes at least 0.4 m for displays used within arm's reach)."""


@dataclass(frozen=True)
class DesignSize:
    """The size (pixels at density 1, portrait or landscape) a terminal is laid out for."""

    width: int
    height: int

    def turned_like(self, width: int, height: int) -> tuple[int, int]:
        """This size turned to the orientation of a `width` × `height` screen."""
        short, long = sorted((self.width, self.height))
        return (long, short) if width > height else (short, long)


def fit_density(width: int, height: int, design: DesignSize) -> float:
    """The density at which the design, turned like the screen, just fills it."""
    design_width, design_height = design.turned_like(width, height)
    return min(width / design_width, height / design_height)


def legible_density(width: int, height: int, diagonal_inches: float, least_font_sp: float) -> float:
    """The least density at which a `least_font_sp` text meets the 22′ rule at arm's length.
    Raises ValueError for a size or diagonal that is not positive."""
    pixel = mm_per_px(width, height, diagonal_inches)
    return least_font_px(pixel, ARM_LENGTH_M, READING_ANGLE_DEGREES) / least_font_sp


def density(
    width: int, height: int, design: DesignSize, diagonal_inches: float, least_font_sp: float
) -> float:
    """The density (pixels per dp) for a `width` × `height` screen of `diagonal_inches`:
    the larger of `fit_density` and `legible_density`, rounded to 0.01."""
    chosen = max(
        fit_density(width, height, design),
        legible_density(width, height, diagonal_inches, least_font_sp),
    )
    return math.ceil(chosen * 100) / 100
