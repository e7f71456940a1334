"""Checks of the board's geometry as drawn: every text fits its box, wraps only between
words, overlaps no other text, stays on screen and is as large as its tier requires."""

from __future__ import annotations

from typing import Any

from kivy.uix.label import Label

from core.legibility import LOW_VISION_ANGLE_DEGREES, READING_ANGLE_DEGREES, min_cap_height_mm
from display.metrics import ScreenGeometry

CALL_ROLES = {"tile_number", "tile_place", "number"}
"""Texts of the call tier (0.7°); the rest are of the reading tier (22′)."""


def rendered_lines(label: Any) -> list[str]:
    """The lines Kivy actually drew for a label."""
    label.texture_update()
    return [" ".join(word.text for word in line.words) for line in label._label._cached_lines]


def visible_labels(widget: Any) -> list[Label]:
    """Every label with text below `widget` (from the widget tree, whatever built it)."""
    if getattr(widget, "opacity", 1) == 0:
        return []
    found = [widget] if isinstance(widget, Label) and widget.text else []
    for child in widget.children:
        found += visible_labels(child)
    return found


def board_problems(app: Any) -> list[str]:
    """Everything wrong with the board's layout now (empty: nothing)."""
    screen = app.screen
    width, height = screen.size
    config = app.display_config
    geometry = ScreenGeometry(
        int(width), int(height), getattr(config, "screen_diagonal_inches", 43.0)
    )
    distance = getattr(config, "viewing_distance_m", 3.0)
    problems: list[str] = []
    labels = visible_labels(screen)
    for label in labels:
        role = getattr(label, "role", "")
        name = f"{role} {label.text!r}"
        lines = rendered_lines(label)
        # Kivy breaks lines at plain spaces only (a no-break space holds words together).
        if " ".join(lines).split(" ") != [word for word in label.text.split(" ") if word]:
            problems.append(f"{name}: a word broken across lines {lines}")
        tex_w, tex_h = label.texture_size
        if tex_w > label.width + 1 or tex_h > label.height + 1:
            problems.append(f"{name}: text {tex_w}x{tex_h} overflows its box {label.size}")
        x, y = label.to_window(*label.pos)
        if role != "ticker" and (
            x < 0 or y < 0 or x + label.width > width + 0.5 or y + label.height > height + 0.5
        ):
            problems.append(f"{name}: off the screen at {(x, y)} {label.size}")
        angle = LOW_VISION_ANGLE_DEGREES if role in CALL_ROLES else READING_ANGLE_DEGREES
        least = min_cap_height_mm(distance, angle)
        cap = geometry.cap_height_mm(label.font_size)
        if cap < least - 0.01:
            problems.append(f"{name}: capitals {cap:.1f} mm, under {least:.1f} mm")
    boxes = [
        (label.text, *label.to_window(*label.pos), label.width, label.height)
        for label in labels
        if getattr(label, "role", "") != "ticker"
    ]
    for index, (text_a, xa, ya, wa, ha) in enumerate(boxes):
        for text_b, xb, yb, wb, hb in boxes[index + 1 :]:
            if (
                xa < xb + wb - 0.5
                and xb < xa + wa - 0.5
                and ya < yb + hb - 0.5
                and yb < ya + ha - 0.5
            ):
                problems.append(f"{text_a!r} overlaps {text_b!r}")
    composition = getattr(screen, "composition", None)
    if composition is not None and composition.squeezed:
        problems.append(f"shrunk under the rule to keep words whole: {composition.squeezed}")
    if composition is not None and composition.left_out:
        problems.append(f"current calls left out: {composition.left_out}")
    return problems
