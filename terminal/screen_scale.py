"""How large a touchscreen terminal draws on the screen it starts on (pure).

The kiosk and the feedback terminal are laid out in Kivy's density-independent units
(`dp` for sizes, `sp` for text) for a design size (`DesignSize`); `scale` gives how many
pixels one unit takes on the real screen (Kivy's density and font scale). Three rules:

- **fit**: the design fills the screen — a smaller screen draws everything smaller, a
  larger one larger (in both orientations: a landscape screen is measured against the
  design turned on its side);
- **touch**: the smallest control stays `LEAST_TOUCH_MM` across;
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

LEAST_TOUCH_MM = 9.0
"""The least width or height of a touch target: 9 mm, as Android's 48 dp (≈ 9 mm) and
Microsoft's touch guidance (9 mm) give it for a fingertip."""
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


@dataclass(frozen=True)
class Scale:
    """How large a terminal draws: `density` pixels per dp (sizes, gaps, controls) and
    `fontscale` (text: one sp is `density × fontscale` pixels)."""

    density: float
    fontscale: float


def touch_density(
    width: int, height: int, diagonal_inches: float, least_control_dp: float
) -> float:
    """The least density at which a `least_control_dp` control is `LEAST_TOUCH_MM` across.
    Raises ValueError for a size or diagonal that is not positive."""
    return LEAST_TOUCH_MM / mm_per_px(width, height, diagonal_inches) / least_control_dp


def scale(
    width: int,
    height: int,
    design: DesignSize,
    diagonal_inches: float,
    least_font_sp: float,
    least_control_dp: float,
) -> Scale:
    """How large to draw on a `width` × `height` screen of `diagonal_inches`.

    Sizes (dp) follow the design filling the screen, but a control never shrinks below
    `LEAST_TOUCH_MM`; text (sp) follows the sizes but never shrinks below the 22′ reading
    size at arm's length. On a small screen text is thus larger against the layout than
    in the design, and the screens make room for it (they scroll, or stack less where
    `kiosk.screens.KioskScreen.short`). Both figures are rounded up to 0.01."""
    sizes = max(
        fit_density(width, height, design),
        touch_density(width, height, diagonal_inches, least_control_dp),
    )
    sizes = math.ceil(sizes * 100) / 100
    text = legible_density(width, height, diagonal_inches, least_font_sp)
    return Scale(sizes, max(1.0, math.ceil(text / sizes * 100) / 100))
