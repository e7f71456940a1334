"""Where each text goes on the board. No widgets: the Kivy screen places what this returns.

Every text is at least the size the legibility rule asks for (`display.metrics`),
wraps only between words, and no two texts overlap. What does not fit is left
out in order of importance (recent calls before current ones); the waiting
times are split into pages that the board turns through, the same pages in
every language.

Coordinates are Kivy's: pixels from the bottom-left corner.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Protocol

from display.metrics import FontSizes

Rect = tuple[float, float, float, float]
"""x, y, width, height."""

TILE_NUMBER_EM = 1.8
"""The newest call's number, in multiples of the call size (smaller, never under it, if too
wide)."""
CLOCK_EM = 1.5
"""The clock, in multiples of the text size."""
CLOSED_EM = 1.2
"""The closed notice filling an empty board, in multiples of the call size."""
NOTICE_EM = 1.3
"""The closed notice beside calls still being made, and the no-calls hint (text size)."""
RIGHT_COLUMN_SHARE = (0.42, 0.55)
"""The waiting-times column takes this share of a landscape board's width (least, most)."""
STACKED_CALLS_SHARE = 0.55
"""On a stacked (portrait or narrow) board the calls take at most this share of its body."""
BOLD_ROLES = frozenset(
    {
        "heading",
        "tile_number",
        "tile_place",
        "tile_note",
        "number",
        "clock",
        "accent",
        "ticker",
        "centre",
    }
)


class Measure(Protocol):
    """Text measurement in the board's font (a Kivy core label in the app)."""

    def size(
        self, text: str, font_size: int, bold: bool, width: float | None
    ) -> tuple[float, float]:
        """(width, height) of `text` wrapped at `width` (None: one line)."""
        ...

    def lines(self, text: str, font_size: int, bold: bool, width: float) -> list[str]:
        """The lines `text` wraps into at `width`."""
        ...


@dataclass(frozen=True)
class CallView:
    """A call as the board shows it: `A042 → 4`, `4. kabinets, 2. stāvs`."""

    number: str
    label: str
    place: str
    """The counter's name in the shown language; empty when it says no more than the label."""
    area: str = ""
    """Where in the building, in the shown language (`2. stāvs`), if the catalogue says."""

    @property
    def where(self) -> str:
        """`4. kabinets, 2. stāvs`."""
        return ", ".join(part for part in (self.place, self.area) if part)


@dataclass(frozen=True)
class ServiceView:
    """A service's waiting figures as the board shows them."""

    name: str
    figures: str


@dataclass(frozen=True)
class BoardView:
    """Everything the board says, in the language shown now (plus the other languages'
    texts where layout must not change between languages)."""

    date: str
    clock: str
    centre: str
    now_calling: str
    recent_heading: str
    waits_heading: str
    no_calls: str
    current: tuple[CallView, ...] = ()
    recent: tuple[CallView, ...] = ()
    services: tuple[ServiceView, ...] = ()
    services_by_language: tuple[tuple[ServiceView, ...], ...] = ()
    """The same services in every board language (pages are the same in all)."""
    headings_by_language: tuple[str, ...] = ()
    """Every language's texts that size the columns (headings, notices)."""
    closed: str = ""
    """The closed notice, or "" while open."""
    hall_empty: bool = False
    """Closed with nobody called or waiting: the notice fills the board."""
    offline: str = ""
    ticker: str = ""
    page_slot: int = 0
    """Which page of waiting times to show (taken modulo the number of pages)."""


@dataclass(frozen=True)
class Text:
    """One label: what, in which style, how large, where."""

    key: str
    role: str
    text: str
    font_size: int
    rect: Rect
    halign: str = "left"


@dataclass(frozen=True)
class Panel:
    """A coloured band or frame behind texts."""

    key: str
    role: str
    rect: Rect


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


@dataclass
class _Column:
    x: float
    top: float
    width: float
    bottom: float

    @property
    def room(self) -> float:
        return self.top - self.bottom


@dataclass
class _Composer:
    width: float
    height: float
    font: int
    call_font: int
    measure: Measure
    texts: list[Text] = field(default_factory=list)
    panels: list[Panel] = field(default_factory=list)
    squeezed: list[str] = field(default_factory=list)

    @property
    def pad(self) -> float:
        return max(4.0, round(0.3 * self.font))

    @property
    def gap(self) -> float:
        return max(2.0, round(0.25 * self.font))

    def bold(self, role: str) -> bool:
        return role in BOLD_ROLES

    def widest_word(self, text: str, size: int, bold: bool) -> float:
        """The widest stretch Kivy will not break (it breaks at plain spaces only)."""
        words = [word for word in text.split(" ") if word]
        return max((self.measure.size(w, size, bold, None)[0] for w in words), default=0)

    def fit(self, key: str, role: str, text: str, size: int, width: float) -> tuple[int, float]:
        """The size to draw `text` at within `width` (smaller only to keep a word whole)
        and its height."""
        bold = self.bold(role)
        widest = self.widest_word(text, size, bold)
        while widest > width and size > 1:
            size = max(1, math.floor(size * width / widest) - 1)
            widest = self.widest_word(text, size, bold)
            if key not in self.squeezed:
                self.squeezed.append(key)
        return size, self.measure.size(text, size, bold, width)[1]

    def one_line_size(self, text: str, role: str, largest: int, least: int, width: float) -> int:
        """The largest size up to `largest` (not under `least`) at which `text` fits `width`
        on one line."""
        natural = self.measure.size(text, largest, self.bold(role), None)[0]
        if natural <= width:
            return largest
        return max(least, math.floor(largest * width / natural) - 1)

    def place(
        self,
        column: _Column,
        key: str,
        role: str,
        text: str,
        size: int,
        *,
        halign: str = "left",
        indent: float = 0.0,
        dry: bool = False,
    ) -> float | None:
        """Put `text` at the top of `column` (moving its top down); None if it does not fit."""
        width = column.width - 2 * indent
        size, height = self.fit(key, role, text, size, width)
        if height > column.room:
            return None
        if not dry:
            rect = (column.x + indent, column.top - height, width, height)
            self.texts.append(Text(key, role, text, size, rect, halign))
            column.top -= height
        return height

    def height_of(self, role: str, text: str, size: int, width: float) -> float:
        bold = self.bold(role)
        if self.widest_word(text, size, bold) > width:
            size = math.floor(size * width / self.widest_word(text, size, bold)) - 1
        return self.measure.size(text, max(1, size), bold, width)[1]


def compose(
    view: BoardView, width: float, height: float, sizes: FontSizes, measure: Measure
) -> Composition:
    """Lay the board out on a `width` × `height` pixel screen, no text under its tier's
    least size (`sizes`)."""
    c = _Composer(width, height, sizes.text, sizes.call, measure)
    top = _header(c, view)
    if view.offline:
        top = _band(c, top, "offline", "warning", view.offline)
    bottom = _ticker(c, view)
    body = _Column(0, top, width, bottom)
    if view.hall_empty:
        _closed_board(c, view, body)
        return Composition(tuple(c.texts), tuple(c.panels), 1, 0, False, sizes, tuple(c.squeezed))
    right_needed = _waits_width_needed(c, view)
    two_columns = width > height and right_needed <= RIGHT_COLUMN_SHARE[1] * width
    if two_columns:
        right_width = max(right_needed, RIGHT_COLUMN_SHARE[0] * width)
        calls = _Column(
            c.pad, body.top - c.pad, width - right_width - 2 * c.pad, body.bottom + c.pad
        )
        waits = _Column(
            width - right_width + c.pad,
            body.top - c.pad,
            right_width - 2 * c.pad,
            body.bottom + c.pad,
        )
        left_out = _calls(c, view, calls)
    else:
        calls_height = (body.top - body.bottom) * STACKED_CALLS_SHARE
        calls = _Column(c.pad, body.top - c.pad, width - 2 * c.pad, body.top - calls_height)
        left_out = _calls(c, view, calls)
        waits = _Column(c.pad, calls.top - c.gap, width - 2 * c.pad, body.bottom + c.pad)
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


def _header(c: _Composer, view: BoardView) -> float:
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


def _band(c: _Composer, top: float, key: str, role: str, text: str) -> float:
    size, height = c.fit(key, role, text, c.font, c.width - 2 * c.pad)
    band = height + 2 * c.gap
    c.panels.append(Panel(key, key, (0, top - band, c.width, band)))
    c.texts.append(
        Text(key, role, text, size, (c.pad, top - c.gap - height, c.width - 2 * c.pad, height))
    )
    return top - band


def _ticker(c: _Composer, view: BoardView) -> float:
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


def _closed_board(c: _Composer, view: BoardView, body: _Column) -> None:
    column = _Column(c.pad * 2, body.top, body.width - 4 * c.pad, body.bottom)
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


def _waits_width_needed(c: _Composer, view: BoardView) -> float:
    """The waiting-times column must hold its longest word in every language."""
    widest = max(
        (
            c.widest_word(text, size, c.bold(role))
            for role, text, size in _waits_texts(view, c.font)
        ),
        default=0.0,
    )
    return widest + 2 * c.pad + c.gap


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


def _calls(c: _Composer, view: BoardView, column: _Column) -> list[str]:
    """Now calling (the newest in a framed tile), then recent calls while they fit."""
    font, gap = c.font, c.gap
    if c.place(column, "now_calling", "heading", view.now_calling, font) is None:
        return [call.number for call in view.current]
    column.top -= gap / 2
    if not view.current:
        c.place(column, "no_calls", "hint", view.no_calls, round(NOTICE_EM * font), halign="center")
    left_out: list[str] = []
    marks = (len(c.texts), len(c.panels), column.top)
    for detail in DETAILS:
        del c.texts[marks[0] :], c.panels[marks[1] :]
        column.top = marks[2]
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


def _call_tile(c: _Composer, column: _Column, call: CallView, index: int, detail: _Detail) -> bool:
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
    box = _Column(column.x + pad, top - pad / 2, inner, top - height)
    c.place(box, f"call.{index}.number", number_role, line, size)
    for part, text in enumerate(places):
        c.place(box, f"call.{index}.place.{part}", place_role, text, place_size)
    column.top = top - height - c.gap / 2
    return True


def _where_lines(c: _Composer, call: CallView, role: str, size: int, width: float) -> list[str]:
    """Name and area on one line if they fit, else each on its own (never `2.` / `stāvs`)."""
    if c.measure.size(call.where, size, c.bold(role), None)[0] <= width:
        return [call.where]
    return [part for part in (call.place, call.area) if part]


def _waits(c: _Composer, view: BoardView, column: _Column) -> tuple[int, int]:
    """The closed notice if the centre is closed; waiting figures per service, in pages."""
    font, gap = c.font, c.gap
    if view.closed:
        if c.place(column, "closed", "accent", view.closed, round(NOTICE_EM * font)) is None:
            return 1, 0
        column.top -= gap
    if not view.services:
        return 1, 0
    heading_height = max(
        c.height_of("heading", f"{text}\u00a08/8", font, column.width)
        for text in (view.waits_heading, *view.headings_by_language)
    )
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


def _pages(c: _Composer, view: BoardView, width: float, room: float) -> list[list[int]]:
    """Services grouped into pages that fit `room` in every language."""
    languages: Sequence[tuple[ServiceView, ...]] = view.services_by_language or (view.services,)
    heights = [
        max(
            c.height_of("body", services[i].name, c.font, width)
            + c.height_of("muted", services[i].figures, c.font, width)
            for services in languages
        )
        + c.gap
        for i in range(len(view.services))
    ]
    pages: list[list[int]] = [[]]
    used = 0.0
    for index, height in enumerate(heights):
        if pages[-1] and used + height > room:
            pages.append([])
            used = 0.0
        pages[-1].append(index)
        used += height
    return pages
