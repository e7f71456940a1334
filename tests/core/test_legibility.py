"""The legibility rule: capital height from viewing distance and visual angle."""

from __future__ import annotations

import pytest

from core.legibility import (
    LOW_VISION_ANGLE_DEGREES,
    READING_ANGLE_DEGREES,
    min_cap_height_mm,
    readable_distance_m,
)


@pytest.mark.parametrize(
    ("distance_m", "low_vision_mm", "reading_mm"),
    [(0.5, 6.1, 3.2), (2.0, 24.4, 12.8), (3.0, 36.7, 19.2), (5.0, 61.1, 32.0)],
)
def test_cap_heights(distance_m: float, low_vision_mm: float, reading_mm: float) -> None:
    assert min_cap_height_mm(distance_m, LOW_VISION_ANGLE_DEGREES) == pytest.approx(
        low_vision_mm, abs=0.05
    )
    assert min_cap_height_mm(distance_m, READING_ANGLE_DEGREES) == pytest.approx(
        reading_mm, abs=0.05
    )


def test_distance_is_the_inverse() -> None:
    cap = min_cap_height_mm(3.2, LOW_VISION_ANGLE_DEGREES)
    assert readable_distance_m(cap, LOW_VISION_ANGLE_DEGREES) == pytest.approx(3.2)


@pytest.mark.parametrize(("distance", "angle"), [(0, 0.7), (-1, 0.7), (2, 0)])
def test_nonsense_is_refused(distance: float, angle: float) -> None:
    with pytest.raises(ValueError):
        min_cap_height_mm(distance, angle)
