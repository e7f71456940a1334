"""The board's widgets: current calls, recent calls, waiting per service, ticker."""

from __future__ import annotations

from typing import Any

from kivy.factory import Factory
from kivy.properties import BooleanProperty, ObjectProperty, StringProperty
from kivy.uix.boxlayout import BoxLayout

from display.board import BoardState

CURRENT_ROWS = 5


class CallRow(BoxLayout):
    """`A042 → 3`; the newest call is larger, framed, and flashes for a few seconds."""

    number = StringProperty("")
    counter = StringProperty("")
    emphasised = BooleanProperty(False)


class BoardScreen(BoxLayout):
    """The whole board; `draw(state)` updates it."""

    controller = ObjectProperty(None)

    def draw(self, board: BoardState) -> None:
        """Show `board`, touching only the parts that changed (text rendering is the cost)."""
        app = self.controller
        calls = tuple(
            (call.number, call.counter_label, index == 0)
            for index, call in enumerate(board.current[:CURRENT_ROWS])
        )
        if calls != getattr(self, "_calls", None):
            self._calls = calls
            box = self.ids.calls_box
            box.clear_widgets()
            for number, counter, emphasised in calls:
                box.add_widget(CallRow(number=number, counter=counter, emphasised=emphasised))
            if not calls:
                box.add_widget(Factory.BoardHint(text=app.tr("board.no_calls")))
        recent = [(call.number, f"→ {call.counter_label}") for call in board.recent]
        self._fill(
            self.ids.recent_box,
            [text for row in recent for text in row],
            (Factory.RecentNumber, Factory.RecentCounter),
        )
        services = [
            (
                app.service_name(dict(line.name)),
                str(line.waiting),
                app.wait_text(line.estimate_seconds),
            )
            for line in board.services
        ]
        self._fill(
            self.ids.services_box,
            [text for row in services for text in row],
            (Factory.ServiceName, Factory.ServiceFigure, Factory.ServiceFigure),
        )
        if self.ids.ticker_label.text != board.ticker:
            self.ids.ticker_label.text = board.ticker
        closed = "" if board.is_open else app.closed_text()
        if self.ids.closed_label.text != closed:
            self.ids.closed_label.text = closed
        if board.centre_name:
            name = app.service_name(dict(board.centre_name))
            if self.ids.centre_label.text != name:
                self.ids.centre_label.text = name

    @staticmethod
    def _fill(grid: Any, texts: list[str], kinds: tuple[Any, ...]) -> None:
        """Put `texts` into a grid's cells, reusing the labels already there."""
        cells = list(reversed(grid.children))
        if len(cells) != len(texts):
            grid.clear_widgets()
            for index, text in enumerate(texts):
                grid.add_widget(kinds[index % len(kinds)](text=text))
            return
        for cell, text in zip(cells, texts, strict=True):
            if cell.text != text:
                cell.text = text

    def texts(self) -> list[str]:
        """Every visible text on the board (for tests and debugging)."""
        found: list[str] = []

        def visit(widget: object) -> None:
            text = getattr(widget, "text", None)
            if isinstance(text, str) and text and getattr(widget, "opacity", 1) > 0:
                found.append(text)
            for child in getattr(widget, "children", []):
                visit(child)

        visit(self)
        return found
