"""What the board says, per language: truthful waits, where a counter is, closing."""

from __future__ import annotations

from datetime import UTC, datetime
from zoneinfo import ZoneInfo

import pytest

from display.board import BoardState, Call, CounterPlace, ServiceLine
from display.texts import board_view, figures_text, wait_text, where_texts

RIGA = ZoneInfo("Europe/Riga")
NOW = datetime(2026, 11, 23, 10, 0, tzinfo=RIGA)


def line(estimate: int | None, reason: str | None = None, waiting: int = 2) -> ServiceLine:
    return ServiceLine(
        "residence", {"lv": "Deklarēšana", "ru": "Декларирование"}, waiting, estimate, reason
    )


@pytest.mark.parametrize(
    ("service", "language", "text"),
    [
        (line(None), "lv", "šobrīd neviens nepieņem"),
        (line(None), "ru", "сейчас никто не принимает"),
        (line(None), "en", "no counter serving now"),
        (line(0), "lv", "bez gaidīšanas"),
        (line(480), "en", "~8 min"),
        (line(480, "daily_cap_reached"), "lv", "Šodienas biļetes beigušās"),
        (line(None, "service_closed"), "en", "Not served at this time"),
        (line(480, "some_future_reason"), "en", "Not served at this time"),
    ],
)
def test_wait_wording_is_truthful(service: ServiceLine, language: str, text: str) -> None:
    assert wait_text(service, language) == text


def test_figures_after_closing_promise_no_wait() -> None:
    assert figures_text(line(480), "lv") == "2 rindā · ~8 min"
    assert figures_text(line(480), "lv", is_open=False) == "2 rindā"


def test_where_a_counter_is() -> None:
    room = CounterPlace(
        "4", {"lv": "4. kabinets", "en": "Room 4"}, {"lv": "2. stāvs", "en": "2nd floor"}
    )
    assert where_texts(room, "en") == ("Room 4", "2nd floor")
    assert where_texts(room, "ru") == ("4. kabinets", "2. stāvs"), "Latvian when untranslated"
    assert where_texts(CounterPlace("3", {"lv": "3. lodziņš"}), "lv") == ("3. lodziņš", "")
    assert where_texts(None, "lv") == ("", "")


def board(**changes) -> BoardState:
    call = Call("t1", "A042", "c4", "4", "residence", datetime(2026, 11, 23, 8, tzinfo=UTC), 5)
    base = BoardState(
        current=(call,),
        recent=(call,),
        services=(line(480), line(None, waiting=0)),
        counter_places={"c4": CounterPlace("4", {"lv": "4. kabinets"}, {"lv": "2. stāvs"})},
        centre_name={"lv": "Centrs"},
    )
    from dataclasses import replace

    return replace(base, **changes)


def view(state: BoardState, language: str = "lv"):
    return board_view(
        state,
        language=language,
        languages=("lv", "ru"),
        local_now=NOW,
        connected=True,
        page_slot=0,
        recent_limit=8,
    )


def test_open_board() -> None:
    shown = view(board())
    assert shown.closed == "" and not shown.hall_empty
    assert (shown.current[0].place, shown.current[0].area) == ("4. kabinets", "2. stāvs")
    assert [s.figures for s in shown.services] == [
        "2 rindā · ~8 min",
        "0 rindā · šobrīd neviens nepieņem",
    ]
    assert [s.name for s in shown.services_by_language[1]] == ["Декларирование", "Декларирование"]
    assert shown.date == "Pirmdiena, 23.11.2026" and shown.clock == "10:00"


def test_closed_with_calls_still_made_is_not_just_closed() -> None:
    opens = datetime(2026, 11, 24, 8, 30, tzinfo=RIGA)
    shown = view(board(is_open=False, opens_at=opens))
    assert shown.closed == "Biļetes šodien vairs neizsniedz — atvērsies 24.11.\u00a008:30"
    assert not shown.hall_empty
    assert [s.figures for s in shown.services] == ["2 rindā"], "only services people wait for"


def test_closed_and_empty_fills_the_board() -> None:
    opens = datetime(2026, 11, 24, 8, 30, tzinfo=RIGA)
    shown = view(
        board(is_open=False, opens_at=opens, current=(), services=(line(None, waiting=0),)), "ru"
    )
    assert shown.hall_empty and shown.closed == "Закрыто — откроется 24.11.\u00a008:30"
    assert shown.services == ()


def test_offline_notice() -> None:
    shown = board_view(
        board(),
        language="en",
        languages=("en",),
        local_now=NOW,
        connected=False,
        page_slot=0,
        recent_limit=8,
    )
    assert shown.offline.startswith("● No connection to the server")


@pytest.mark.parametrize(("language", "text"), [("lv", "6–12 min"), ("ru", "6–12 мин")])
def test_the_board_shows_the_range_the_server_told(language: str, text: str) -> None:
    """Issue 22: a `/queue` row's range reaches the board's service line and is shown
    instead of the single figure; without one (or one that rounds to one minute) the
    single figure stays."""
    from display.board import Snapshot, reduce

    row = {
        "service_id": "residence",
        "waiting": 2,
        "estimated_wait_seconds": 480,
        "estimated_wait_range_seconds": [370, 720],
    }
    state = reduce(BoardState(), Snapshot(queue={"seq": 1, "services": [row]}))
    assert wait_text(state.services[0], language) == text
    assert figures_text(state.services[0], "lv") == "2 rindā · 6–12 min"
    assert wait_text(line(480), language).startswith("~8")
    narrow = ServiceLine("residence", {}, 2, 480, estimate_range_seconds=(470, 490))
    assert wait_text(narrow, language).startswith("~8")
