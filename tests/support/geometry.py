"""Layout checks by widget geometry: what a visitor would see cut off or covered.

`layout_problems(root, screen_rect)` walks the visible widgets under `root` and reports,
in words, every text or control that
- lies (partly) outside the screen,
- is cut off inside its own box (its text needs more room than it has),
- breaks a word across lines (the box is too narrow for the word),
- overlaps another text or control (a widget and what it contains excepted),
- sits in a scroll area too small to show one whole item of it.
Widgets scrolled out of a scroll area's view are skipped: scrolling brings them back.
"""

from __future__ import annotations

import itertools
import re
from dataclasses import dataclass
from typing import Any

Rect = tuple[float, float, float, float]
"""x, y, width, height in window pixels (origin bottom left, as Kivy has it)."""
SLACK = 1.5
"""Pixels of rounding forgiven."""
MARKUP = re.compile(r"\[/?(?:b|i|u|s|sub|sup|size|color|font|ref|anchor)(?:=[^\]]*)?\]")


@dataclass(frozen=True)
class Item:
    """A visible text or control."""

    widget: Any
    rect: Rect
    name: str


def window_rect(widget: Any) -> Rect:
    x, y = widget.to_window(*widget.pos)
    return (x, y, float(widget.width), float(widget.height))


def intersection(a: Rect, b: Rect) -> Rect | None:
    left, bottom = max(a[0], b[0]), max(a[1], b[1])
    right, top = min(a[0] + a[2], b[0] + b[2]), min(a[1] + a[3], b[1] + b[3])
    if right - left <= SLACK or top - bottom <= SLACK:
        return None
    return (left, bottom, right - left, top - bottom)


def inside(inner: Rect, outer: Rect) -> bool:
    return (
        inner[0] >= outer[0] - SLACK
        and inner[1] >= outer[1] - SLACK
        and inner[0] + inner[2] <= outer[0] + outer[2] + SLACK
        and inner[1] + inner[3] <= outer[1] + outer[3] + SLACK
    )


def describe(widget: Any) -> str:
    ident = ""
    parent = widget.parent
    while parent is not None and not ident and parent is not parent.parent:
        ident = next((k for k, v in getattr(parent, "ids", {}).items() if v is widget), "")
        parent = parent.parent
    text = str(getattr(widget, "text", "") or "").replace("\n", " ")
    text = text if len(text) < 40 else text[:37] + "..."
    return f"{type(widget).__name__}{'#' + ident if ident else ''} {text!r}"


def is_item(widget: Any) -> bool:
    from kivy.uix.behaviors import ButtonBehavior
    from kivy.uix.image import Image
    from kivy.uix.label import Label
    from kivy.uix.textinput import TextInput

    if isinstance(widget, ButtonBehavior | TextInput):
        return True
    if isinstance(widget, Label):
        return bool(str(widget.text).strip())
    return isinstance(widget, Image) and widget.texture is not None


def collect(root: Any) -> tuple[list[Item], list[str]]:
    """The visible items under `root`, and problems found on the way (scroll areas)."""
    from kivy.uix.scrollview import ScrollView

    items: list[Item] = []
    problems: list[str] = []

    def visit(widget: Any, view: Rect | None) -> None:
        if widget.opacity <= 0 or widget.width <= 0 or widget.height <= 0:
            return
        rect = window_rect(widget)
        if view is not None:
            seen = intersection(rect, view)
            if seen is None:
                return  # scrolled out of sight
            rect = seen  # a scroll area shows only what is inside it
        if is_item(widget):
            items.append(Item(widget, rect, describe(widget)))
        if isinstance(widget, ScrollView):
            content = [c for c in widget.children if c.height > 0]
            shown = (
                [c for c in content[0].children if c.height > 0 and c.opacity > 0]
                if content
                else []
            )
            if shown:
                smallest = min(child.height for child in shown)
                if widget.height + SLACK < min(smallest, content[0].height):
                    problems.append(
                        f"{describe(widget)} is {widget.height:.0f} px high: too small to show "
                        f"one whole item ({smallest:.0f} px)"
                    )
            view = rect if view is None else intersection(rect, view)
            if view is None:
                return
        for child in widget.children:
            visit(child, view)

    visit(root, None)
    return items, problems


def text_cut_off(item: Item) -> str | None:
    """Whether a text needs more room than its box gives it."""
    from kivy.uix.label import Label

    widget = item.widget
    if not isinstance(widget, Label) or not str(widget.text).strip():
        return None
    text_width, text_height = widget.texture_size
    if text_height > widget.height + SLACK:
        return f"{item.name}: its text is {text_height:.0f} px high in a {widget.height:.0f} px box"
    if text_width > widget.width + SLACK:
        return f"{item.name}: its text is {text_width:.0f} px wide in a {widget.width:.0f} px box"
    return None


def broken_word_in(plain: str, lines: list[str]) -> str | None:
    """The word `lines` (the wrapped lines of the text `plain`, markup removed) break in
    the middle (`Распеч|атать`), None if none."""
    position = 0
    for before, after in itertools.pairwise(lines):
        start = plain.find(before, position) if before else -1
        if start < 0:
            continue
        end = start + len(before)
        position = end
        if before[-1:].isalnum() and after[:1].isalnum() and plain[end : end + 1] == after[:1]:
            return f"{before.split()[-1]}|{after.split()[0]}"
    return None


def broken_word(item: Item) -> str | None:
    """Whether the text wraps in the middle of a word (`Распеч|атать`)."""
    from kivy.uix.label import Label

    widget = item.widget
    if not isinstance(widget, Label) or widget.text_size[0] is None:
        return None
    lines = getattr(widget._label, "_cached_lines", None) or []
    texts = ["".join(word.text for word in line.words) for line in lines]
    plain = MARKUP.sub("", str(widget.text)) if widget.markup else str(widget.text)
    word = broken_word_in(plain, texts)
    return f"{item.name}: a word is broken across lines ({word})" if word else None


def contains(outer: Any, inner: Any) -> bool:
    parent = inner.parent
    while parent is not None and parent is not parent.parent:
        if parent is outer:
            return True
        parent = parent.parent
    return False


def layout_problems(root: Any, screen: Rect) -> list[str]:
    """Everything cut off or covered under `root` on a screen of `screen` (window pixels)."""
    items, problems = collect(root)
    for item in items:
        if not inside(item.rect, screen):
            x, y, w, h = item.rect
            problems.append(
                f"{item.name} at ({x:.0f}, {y:.0f}, {w:.0f} x {h:.0f}) leaves the screen"
            )
        for problem in (text_cut_off(item), broken_word(item)):
            if problem:
                problems.append(problem)
    for index, first in enumerate(items):
        for second in items[index + 1 :]:
            if contains(first.widget, second.widget) or contains(second.widget, first.widget):
                continue
            overlap = intersection(first.rect, second.rect)
            if overlap is not None:
                problems.append(
                    f"{first.name} and {second.name} overlap by "
                    f"{overlap[2]:.0f} x {overlap[3]:.0f} px"
                )
    return problems
