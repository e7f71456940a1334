"""Contrast measured on real pixels of screenshots, as WCAG 2.1 defines it.

`contrast_ratio` is the one contrast formula of the test suite: relative luminance
of sRGB colours (WCAG 2.1, "relative luminance" and "contrast ratio" definitions),
(L1 + 0.05) / (L2 + 0.05). `edge_contrast` measures a control's boundary against
what surrounds it on a screenshot (SC 1.4.11 Non-text Contrast asks for 3:1).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from typing import Any

from PIL import Image

RGB = tuple[int, int, int]
NON_TEXT_MINIMUM = 3.0
"""WCAG 2.1 SC 1.4.11: boundaries of user-interface components and their states."""


def relative_luminance(rgb: Sequence[float]) -> float:
    """Relative luminance (0 black .. 1 white) of an 8-bit sRGB colour (WCAG 2.1)."""

    def linear(channel: float) -> float:
        c = channel / 255
        return c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4

    r, g, b = (linear(c) for c in rgb[:3])
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def contrast_ratio(first: Sequence[float], second: Sequence[float]) -> float:
    """WCAG contrast ratio of two 8-bit sRGB colours, from 1.0 to 21.0."""
    a, b = relative_luminance(first), relative_luminance(second)
    lighter, darker = max(a, b), min(a, b)
    return (lighter + 0.05) / (darker + 0.05)


def kivy_rgb(rgba: Sequence[float]) -> RGB:
    """A Kivy colour (0..1 floats) as 8-bit sRGB."""
    return (round(rgba[0] * 255), round(rgba[1] * 255), round(rgba[2] * 255))


def window_box(widget: Any, image: Image.Image) -> tuple[int, int, int, int]:
    """The widget's (left, top, right, bottom) in screenshot pixels (y down)."""
    x, y = widget.to_window(*widget.pos)
    left, right = round(x), round(x + widget.width)
    top, bottom = round(image.height - (y + widget.height)), round(image.height - y)
    return left, top, right, bottom


def _mode(image: Image.Image, points: list[tuple[int, int]]) -> RGB:
    colours = Counter(image.getpixel(p)[:3] for p in points)
    return colours.most_common(1)[0][0]


def edge_contrast(image: Image.Image, widget: Any, band: int = 4, outset: int = 4) -> float:
    """The lowest, over the four sides, of the contrast between the widget's edge and
    the page just outside it (`outset` px away).

    The edge is the band of `band` pixels inside the widget's bounds; its most
    contrasting line counts (a border of a few pixels is an edge, and positions are
    rounded to whole pixels). Each line is sampled along the side's middle half and
    reduced to its most common colour, so anti-aliasing and text do not count."""
    image = image.convert("RGB")
    left, top, right, bottom = window_box(widget, image)
    xs = range(left + (right - left) // 4, right - (right - left) // 4)
    ys = range(top + (bottom - top) // 4, bottom - (bottom - top) // 4)

    def side(line: Any, outside: Any) -> float:
        page = _mode(image, outside)
        return max(contrast_ratio(_mode(image, line(depth)), page) for depth in range(band))

    sides = (
        side(lambda d: [(x, top + d) for x in xs], [(x, top - outset) for x in xs]),
        side(lambda d: [(x, bottom - 1 - d) for x in xs], [(x, bottom - 1 + outset) for x in xs]),
        side(lambda d: [(left + d, y) for y in ys], [(left - outset, y) for y in ys]),
        side(lambda d: [(right - 1 - d, y) for y in ys], [(right - 1 + outset, y) for y in ys]),
    )
    return min(sides)


def fill_colour(image: Image.Image, widget: Any, inset: int = 12) -> RGB:
    """The most common colour of a band just inside the widget's left edge (its fill)."""
    image = image.convert("RGB")
    left, top, _, bottom = window_box(widget, image)
    points = [(left + inset + dx, y) for dx in range(4) for y in range(top + 12, bottom - 12)]
    return _mode(image, points)
