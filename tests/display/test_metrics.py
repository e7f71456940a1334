"""Pixels from millimetres: the board's two text tiers on real screen sizes."""

from __future__ import annotations

import pytest

from core.legibility import LOW_VISION_ANGLE_DEGREES, READING_ANGLE_DEGREES, min_cap_height_mm
from display.metrics import ScreenGeometry


@pytest.mark.parametrize(
    ("size", "inches"),
    [((1920, 1080), 43), ((1366, 768), 32), ((1080, 1920), 55), ((1920, 1080), 21.5)],
)
@pytest.mark.parametrize("distance", [1.5, 3.0, 6.0])
def test_each_tier_meets_its_angle_and_no_more_than_a_pixel_over(
    size: tuple[int, int], inches: float, distance: float
) -> None:
    screen = ScreenGeometry(*size, inches)
    sizes = screen.font_sizes(distance)
    for font, angle in (
        (sizes.text, READING_ANGLE_DEGREES),
        (sizes.call, LOW_VISION_ANGLE_DEGREES),
    ):
        least = min_cap_height_mm(distance, angle)
        assert screen.cap_height_mm(font) >= least
        assert screen.cap_height_mm(font - 1) < least
        assert screen.readable_from_m(font, angle) >= distance
    assert sizes.call > sizes.text


def test_the_issue_s_screen() -> None:
    """21.5" full HD: the old 19-pixel capitals (4.7 mm) met 22′ only up to 0.7 m."""
    screen = ScreenGeometry(1920, 1080, 21.5)
    assert screen.mm_per_px == pytest.approx(0.2479, abs=0.0005)
    assert screen.cap_height_mm(26) == pytest.approx(4.7, abs=0.05)
    assert screen.readable_from_m(26, READING_ANGLE_DEGREES) < 0.75
    assert screen.font_sizes(3.0).text == 107  # capitals of 19.2 mm
