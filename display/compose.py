"""Where each text goes on the board. No widgets: the Kivy screen places what this returns.

Every text is at least the size the legibility rule asks for (`display.metrics`),
wraps only between words, and no two texts overlap. What does not fit is left
out in order of importance (recent calls before current ones); the waiting
times are split into pages that the board turns through (each language its own
pages, as long or short as its names are).

Coordinates are Kivy's: pixels from the bottom-left corner.
"""

from __future__ import annotations

from dataclasses import dataclass

from display.calls_column import place_calls
from display.metrics import FontSizes
from display.placing import NOTICE_EM, Column, Composer, Measure, Panel, Text
from display.view import BoardView, CallView, ServiceView

__all__ = ["BoardView", "CallView", "Composition", "Measure", "ServiceView", "compose"]

CLOCK_EM = 1.5
"""The clock, in multiples of the text size."""
CLOSED_EM = 1.2
"""The closed notice filling an empty board, in multiples of the call size."""
RIGHT_COLUMN_SHARE = (0.42, 0.55)
"""The waiting-times column takes this share of a landscape board's width (least, most)."""
STACKED_CALLS_SHARE = 0.55
"""On a stacked (portrait or narrow) board the calls take at most this share of its body."""


@dataclass(frozen=True)
class Composition:
    """The laid-out board."""

    texts: tuple[Text, ...]
    panels: tuple[Panel, ...]
    pages: int
    page: int
    two_columns: bool
    sizes: FontSizes
    squeezed: tuple[str, ...] = ()
    """Texts that had to go below the least size to keep a word whole (screen too small
    for the viewing distance); empty on a board that meets the rule."""
    left_out: tuple[str, ...] = ()
    """Current calls that found no room."""

    def text(self, key: str) -> Text | None:
        """The text with this key, if shown."""
        return next((t for t in self.texts if t.key == key), None)


def compose(
    view: BoardView, width: float, height: float, sizes: FontSizes, measure: Measure
) -> Composition:
    """Lay the board out on a `width` × `height` pixel screen, no text under its tier's
    least size (`sizes`)."""
    c = Composer(width, height, sizes.text, sizes.call, measure)
    top = _header(c, view)
    if view.offline:
        top = _band(c, top, "offline", "warning", view.offline)
    bottom = _ticker(c, view)
    body = Column(0, top, width, bottom)
    if view.hall_empty:
        _closed_board(c, view, body)
        return Composition(tuple(c.texts), tuple(c.panels), 1, 0, False, sizes, tuple(c.squeezed))
    right_needed = _waits_width_needed(c, view)
    two_columns = width > height and right_needed <= RIGHT_COLUMN_SHARE[1] * width
    if two_columns:
        right_width = max(right_needed, RIGHT_COLUMN_SHARE[0] * width)
        calls = Column(
            c.pad, body.top - c.pad, width - right_width - 2 * c.pad, body.bottom + c.pad
        )
        waits = Column(
            width - right_width + c.pad,
            body.top - c.pad,
            right_width - 2 * c.pad,
            body.bottom + c.pad,
        )
        left_out = place_calls(c, view, calls)
    else:
        calls_height = (body.top - body.bottom) * STACKED_CALLS_SHARE
        calls = Column(c.pad, body.top - c.pad, width - 2 * c.pad, body.top - calls_height)
        left_out = place_calls(c, view, calls)
        waits = Column(c.pad, calls.top - c.gap, width - 2 * c.pad, body.bottom + c.pad)
    pages, page = _waits(c, view, waits)
    return Composition(
        tuple(c.texts),
        tuple(c.panels),
        pages,
        page,
        two_columns,
        sizes,
        tuple(c.squeezed),
        tuple(left_out),
    )


def _header(c: Composer, view: BoardView) -> float:
    """Date left, clock right, the centre's name between them if it fits on one line."""
    pad, font = c.pad, c.font
    clock_size = round(CLOCK_EM * font)
    clock_width = c.measure.size(view.clock, clock_size, True, None)[0] + 1
    date_room = c.width - 3 * pad - clock_width
    date_size, date_height = c.fit("date", "muted", view.date, font, date_room)
    date_width = min(date_room, c.measure.size(view.date, date_size, False, None)[0] + 1)
    clock_height = c.measure.size(view.clock, clock_size, True, None)[1]
    band = max(clock_height, date_height) + 2 * c.gap
    top = c.height
    c.panels.append(Panel("header", "header", (0, top - band, c.width, band)))
    c.texts.append(
        Text(
            "clock",
            "clock",
            view.clock,
            clock_size,
            (c.width - pad - clock_width, top - c.gap - clock_height, clock_width, clock_height),
            "right",
        )
    )
    middle = top - band / 2
    c.texts.append(
        Text(
            "date",
            "muted",
            view.date,
            date_size,
            (pad, middle - date_height / 2, date_width, date_height),
        )
    )
    name_room = c.width - 4 * pad - clock_width - date_width
    if view.centre:
        name_width, name_height = c.measure.size(view.centre, font, True, None)
        name_width += 1
        if name_width <= name_room and name_height <= band - 2 * c.gap:
            x = pad + date_width + pad + (name_room - name_width) / 2
            c.texts.append(
                Text(
                    "centre",
                    "centre",
                    view.centre,
                    font,
                    (x, middle - name_height / 2, name_width, name_height),
                    "center",
                )
            )
    return top - band


def _band(c: Composer, top: float, key: str, role: str, text: str) -> float:
    size, height = c.fit(key, role, text, c.font, c.width - 2 * c.pad)
    band = height + 2 * c.gap
    c.panels.append(Panel(key, key, (0, top - band, c.width, band)))
    c.texts.append(
        Text(key, role, text, size, (c.pad, top - c.gap - height, c.width - 2 * c.pad, height))
    )
    return top - band


def _ticker(c: Composer, view: BoardView) -> float:
    if not view.ticker:
        return 0.0
    text_width, text_height = c.measure.size(view.ticker, c.font, True, None)
    text_width += 1
    band = text_height + 2 * c.gap
    c.panels.append(Panel("ticker", "ticker", (0, 0, c.width, band)))
    # The ticker scrolls: its box starts at the right edge; the screen moves it.
    c.texts.append(
        Text("ticker", "ticker", view.ticker, c.font, (c.width, c.gap, text_width, text_height))
    )
    return band


def _closed_board(c: Composer, view: BoardView, body: Column) -> None:
    column = Column(c.pad * 2, body.top, body.width - 4 * c.pad, body.bottom)
    size, height = c.fit(
        "closed", "accent", view.closed, round(CLOSED_EM * c.call_font), column.width
    )
    y = body.bottom + max(0.0, (body.room - height) / 2)
    c.texts.append(
        Text("closed", "accent", view.closed, size, (column.x, y, column.width, height), "center")
    )


def _waits_texts(view: BoardView, font: int) -> list[tuple[str, str, int]]:
    texts = [
        ("heading", view.waits_heading + "\u00a08/8", font),
        ("accent", view.closed, round(NOTICE_EM * font)),
    ]
    texts += [("heading", text, font) for text in view.headings_by_language]
    for services in view.services_by_language or (view.services,):
        for service in services:
            texts += [("body", service.name, font), ("muted", service.figures, font)]
    return [(role, text, size) for role, text, size in texts if text]


def _waits_width_needed(c: Composer, view: BoardView) -> float:
    """The waiting-times column must hold its longest word in every language."""
    widest = max(
        (
            c.widest_word(text, size, c.bold(role))
            for role, text, size in _waits_texts(view, c.font)
        ),
        default=0.0,
    )
    return widest + 2 * c.pad + c.gap


def _waits(c: Composer, view: BoardView, column: Column) -> tuple[int, int]:
    """The closed notice if the centre is closed; waiting figures per service, in pages."""
    font, gap = c.font, c.gap
    if view.closed:
        if c.place(column, "closed", "accent", view.closed, round(NOTICE_EM * font)) is None:
            return 1, 0
        column.top -= gap
    if not view.services:
        return 1, 0
    heading_height = c.height_of("heading", f"{view.waits_heading}\u00a08/8", font, column.width)
    pages = _pages(c, view, column.width, column.room - heading_height - gap / 2)
    page = view.page_slot % len(pages)
    # A no-break space keeps "1/2" with the word before it.
    heading = view.waits_heading + (f"\u00a0{page + 1}/{len(pages)}" if len(pages) > 1 else "")
    c.place(column, "waits_heading", "heading", heading, font)
    column.top -= gap / 2
    for index in pages[page]:
        service = view.services[index]
        height = c.height_of("body", service.name, font, column.width) + c.height_of(
            "muted", service.figures, font, column.width
        )
        if height > column.room:
            break
        c.place(column, f"service.{index}.name", "body", service.name, font)
        c.place(column, f"service.{index}.figures", "muted", service.figures, font)
        column.top -= gap
    return len(pages), page


def _pages(c: Composer, view: BoardView, width: float, room: float) -> list[list[int]]:
    """Services grouped into pages that fit `room` in the language shown."""
    pages: list[list[int]] = [[]]
    used = 0.0
    for index, service in enumerate(view.services):
        height = (
            c.height_of("body", service.name, c.font, width)
            + c.height_of("muted", service.figures, c.font, width)
            + c.gap
        )
        if pages[-1] and used + height > room:
            pages.append([])
            used = 0.0
        pages[-1].append(index)
        used += height
    return pages
