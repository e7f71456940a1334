"""The calls column: now calling (the newest in a framed tile), then recent calls.

When not every current call fits, the board shows less of each before it leaves
any out (`DETAILS`); recent calls give way first.
"""

from __future__ import annotations

from dataclasses import dataclass

from display.placing import NOTICE_EM, Column, Composer, Panel
from display.view import BoardView, CallView

TILE_NUMBER_EM = 1.8
"""The newest call's number, in multiples of the call size (smaller, never under it, if too
wide)."""


def _call_text(call: CallView) -> str:
    return f"{call.number} → {call.label}"


@dataclass(frozen=True)
class _Detail:
    """How much of each current call to show; the board takes the richest that holds
    every current call."""

    tile_em: float
    """The newest call's number, in multiples of the call size."""
    tile_place_call_size: bool
    """Where to go for the newest call at the call size (else at the text size)."""
    row_places: bool
    """Where to go for the other current calls (at the text size)."""


DETAILS = (
    _Detail(TILE_NUMBER_EM, True, True),
    _Detail(1.4, True, False),
    _Detail(1.0, False, False),
)


def place_calls(c: Composer, view: BoardView, column: Column) -> list[str]:
    """Now calling (the newest in a framed tile), then recent calls while they fit."""
    font, gap = c.font, c.gap
    if c.place(column, "now_calling", "heading", view.now_calling, font) is None:
        return [call.number for call in view.current]
    column.top -= gap / 2
    if not view.current:
        c.place(column, "no_calls", "hint", view.no_calls, round(NOTICE_EM * font), halign="center")
    left_out: list[str] = []
    marks = (len(c.texts), len(c.panels), len(c.squeezed), column.top)
    for detail in DETAILS:
        del c.texts[marks[0] :], c.panels[marks[1] :], c.squeezed[marks[2] :]
        column.top = marks[3]
        left_out = []
        for index, call in enumerate(view.current):
            if not _call_tile(c, column, call, index, detail):
                left_out = [later.number for later in view.current[index:]]
                break
        if not left_out:
            break
    shown = {call.number for call in view.current}
    recent = [call for call in view.recent if call.number not in shown]
    if recent and not left_out:
        heading_height = c.height_of("heading", view.recent_heading, font, column.width)
        first_height = c.height_of("body", _recent_text(recent[0]), font, column.width)
        if heading_height + first_height + gap <= column.room:
            column.top -= gap
            c.place(column, "recent_heading", "heading", view.recent_heading, font)
            for index, call in enumerate(recent):
                if c.place(column, f"recent.{index}", "body", _recent_text(call), font) is None:
                    break
    return left_out


def _recent_text(call: CallView) -> str:
    return f"{call.number} → {call.where or call.label}"


def _call_tile(c: Composer, column: Column, call: CallView, index: int, detail: _Detail) -> bool:
    """A call in a panel: `A042 → 4` large, where the counter is below it."""
    call_font, pad = c.call_font, c.pad
    newest = index == 0
    inner = column.width - 2 * pad
    largest = round((detail.tile_em if newest else 1.0) * call_font)
    number_role = "tile_number" if newest else "number"
    line = _call_text(call)
    size = c.one_line_size(line, number_role, largest, call_font, inner)
    number_height = c.height_of(number_role, line, size, inner)
    place_role, place_size = "", 0
    if call.where and newest:
        place_role, place_size = (
            ("tile_place", call_font) if detail.tile_place_call_size else ("tile_note", c.font)
        )
    elif call.where and detail.row_places:
        place_role, place_size = "muted", c.font
    places = _where_lines(c, call, place_role, place_size, inner) if place_role else []
    place_height = sum(c.height_of(place_role, text, place_size, inner) for text in places)
    height = number_height + place_height + pad
    if height > column.room:
        return False
    top = column.top
    c.panels.append(
        Panel(
            f"call.{index}",
            "tile" if newest else "call",
            (column.x, top - height, column.width, height),
        )
    )
    box = Column(column.x + pad, top - pad / 2, inner, top - height)
    c.place(box, f"call.{index}.number", number_role, line, size)
    for part, text in enumerate(places):
        c.place(box, f"call.{index}.place.{part}", place_role, text, place_size)
    column.top = top - height - c.gap / 2
    return True


def _where_lines(c: Composer, call: CallView, role: str, size: int, width: float) -> list[str]:
    """Name and area on one line if they fit, else each on its own (never `2.` / `stāvs`)."""
    if c.measure.size(call.where, size, c.bold(role), None)[0] <= width:
        return [call.where]
    return [part for part in (call.place, call.area) if part]
