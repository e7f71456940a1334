"""How large a terminal draws on a screen: the design fills it, controls stay 9 mm across,
text stays legible at arm's length."""

from __future__ import annotations

import pytest

from core.legibility import CAP_HEIGHT_EM, READING_ANGLE_DEGREES, min_cap_height_mm, mm_per_px
from terminal.screen_scale import (
    ARM_LENGTH_M,
    LEAST_TOUCH_MM,
    DesignSize,
    fit_density,
    scale,
)

KIOSK = DesignSize(1080, 1920)


def test_the_design_size_draws_as_designed_in_both_orientations() -> None:
    assert scale(1080, 1920, KIOSK, 32, 22, 84).density == 1.0
    assert scale(1920, 1080, KIOSK, 24, 22, 84).density == 1.0
    assert fit_density(1920, 1080, KIOSK) == 1.0  # turned on its side, not squeezed


def test_a_larger_screen_draws_larger() -> None:
    assert scale(2160, 3840, KIOSK, 43, 22, 84).density == 2.0


@pytest.mark.parametrize(
    ("width", "height", "inches"),
    [(800, 480, 7), (1280, 1024, 19), (1366, 768, 18.5), (1024, 600, 10.1), (480, 800, 5)],
)
def test_text_and_controls_keep_their_least_physical_size(width, height, inches) -> None:
    drawn = scale(width, height, KIOSK, inches, 22, 84)
    pixel = mm_per_px(width, height, inches)
    assert 84 * drawn.density * pixel >= LEAST_TOUCH_MM - 1e-9
    cap_mm = 22 * drawn.density * drawn.fontscale * CAP_HEIGHT_EM * pixel
    assert cap_mm >= min_cap_height_mm(ARM_LENGTH_M, READING_ANGLE_DEGREES) - 1e-9
    assert drawn.fontscale >= 1.0, "text never smaller against the layout than designed"


def test_a_small_panel_draws_text_larger_against_the_layout() -> None:
    drawn = scale(800, 480, KIOSK, 7, 22, 84)
    assert drawn.density < 0.6
    assert drawn.fontscale > 1.5


def test_a_screen_without_size_is_refused() -> None:
    with pytest.raises(ValueError):
        scale(800, 480, KIOSK, 0, 22, 84)
