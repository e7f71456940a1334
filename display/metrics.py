"""Text sizes on the board from the screen's physical size and the viewing distance.

The rules live in `core.legibility`; the board applies them in two tiers:

- **calls** (the ticket number and where to go, for calls still open, and the
  closed notice): capitals subtend 0.7° at the viewing distance (EN 301 549
  V3.2.1 clause 5.1.4, low vision). A visitor must not miss the call.
- **every other text** (headings, waiting figures, recent calls, date, clock,
  notices): capitals subtend 22′ (ISO 9241-303, preferred reading size);
  low-vision visitors read them from about half the distance, and hear calls.

Knowing the screen's diagonal and resolution turns millimetres into pixels.
"""

from __future__ import annotations

from dataclasses import dataclass

from core.legibility import (
    CAP_HEIGHT_EM,
    LOW_VISION_ANGLE_DEGREES,
    READING_ANGLE_DEGREES,
    least_font_px,
    mm_per_px,
    readable_distance_m,
)


@dataclass(frozen=True)
class FontSizes:
    """The least font sizes (pixels per em) of the board's two tiers."""

    text: int
    """Headings, figures, recent calls, date and clock (22′)."""
    call: int
    """Calls still open and the closed notice (0.7°)."""


@dataclass(frozen=True)
class ScreenGeometry:
    """A screen: its resolution and visible diagonal (square pixels assumed)."""

    width_px: int
    height_px: int
    diagonal_inches: float

    @property
    def mm_per_px(self) -> float:
        """The size of one pixel in millimetres."""
        return mm_per_px(self.width_px, self.height_px, self.diagonal_inches)

    def font_px(self, viewing_distance_m: float, angle_degrees: float) -> int:
        """The least font size (pixels per em) whose capitals subtend the angle."""
        return least_font_px(self.mm_per_px, viewing_distance_m, angle_degrees)

    def font_sizes(self, viewing_distance_m: float) -> FontSizes:
        """The least sizes of both tiers for the viewing distance."""
        return FontSizes(
            text=self.font_px(viewing_distance_m, READING_ANGLE_DEGREES),
            call=self.font_px(viewing_distance_m, LOW_VISION_ANGLE_DEGREES),
        )

    def cap_height_mm(self, font_px: float) -> float:
        """How high capitals of a `font_px` font are on this screen."""
        return font_px * CAP_HEIGHT_EM * self.mm_per_px

    def readable_from_m(self, font_px: float, angle_degrees: float) -> float:
        """The farthest viewing distance at which a `font_px` font meets the angle."""
        return readable_distance_m(self.cap_height_mm(font_px), angle_degrees)
