"""How large text must be to be read from a given distance (pure).

A text is legible from distance d when its capital letters subtend a large
enough angle θ at the eye:

    cap height ≥ d × tan(θ)

Two figures, both from standards:

- θ = 0.7° (≈ 12.2 mm per metre): EN 301 549 V3.2.1, clause 5.1.4
  "Functionality closed to text enlargement": where users cannot enlarge text
  themselves, a non-accented capital "H" subtends at least 0.7 degrees at the
  viewing distance the supplier specifies; its intent is text that most users
  with low vision can read.
- θ = 22′ (arc minutes, ≈ 6.4 mm per metre): ISO 9241-303 (after ISO 9241-3,
  5.4), character height on electronic displays: 20′–22′ preferred for reading
  tasks, 16′ the least; the upper end is used here.
"""

from __future__ import annotations

import math

LOW_VISION_ANGLE_DEGREES = 0.7
"""EN 301 549 V3.2.1 clause 5.1.4: the least angle a capital H may subtend."""
READING_ANGLE_DEGREES = 22 / 60
"""ISO 9241-303: the preferred character height for reading, 22 minutes of arc."""
CAP_HEIGHT_EM = 0.729
"""Capital height of DejaVu Sans (the font of every Rinda screen) per em: capHeight 1493 /
unitsPerEm 2048, in the regular and the bold face. A Kivy font size in pixels is one em."""
MM_PER_INCH = 25.4


def min_cap_height_mm(viewing_distance_m: float, angle_degrees: float) -> float:
    """The least capital-letter height (mm) for the angle at `viewing_distance_m` (metres).

    Raises ValueError for a distance or angle that is not positive.
    """
    if viewing_distance_m <= 0 or angle_degrees <= 0:
        raise ValueError("viewing distance and angle must be positive")
    return viewing_distance_m * 1000 * math.tan(math.radians(angle_degrees))


def readable_distance_m(cap_height_mm: float, angle_degrees: float) -> float:
    """The farthest distance (metres) at which capitals `cap_height_mm` high meet the angle."""
    return cap_height_mm / 1000 / math.tan(math.radians(angle_degrees))


def mm_per_px(width_px: int, height_px: int, diagonal_inches: float) -> float:
    """The size of one pixel (mm) of a screen `width_px` × `height_px` with that visible
    diagonal (square pixels assumed). Raises ValueError for a size that is not positive."""
    if width_px <= 0 or height_px <= 0 or diagonal_inches <= 0:
        raise ValueError("screen size and diagonal must be positive")
    return diagonal_inches * MM_PER_INCH / math.hypot(width_px, height_px)


def least_font_px(pixel_mm: float, viewing_distance_m: float, angle_degrees: float) -> int:
    """The least font size (pixels per em, DejaVu Sans) whose capitals subtend the angle at
    `viewing_distance_m` on pixels `pixel_mm` millimetres high."""
    cap_px = min_cap_height_mm(viewing_distance_m, angle_degrees) / pixel_mm
    return math.ceil(cap_px / CAP_HEIGHT_EM)
