"""What a hall reads on the board: names in each centre language in turn, where a counter
is, truthful waits, and what closing means (Kivy under Xvfb, a real server; language
turns on an injected clock)."""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest

from core.numbering import spoken_number
from terminal.speech import Utterance
from tests.display.ui.geometry import board_problems
from tests.display.ui.test_layout import busy_hall
from tests.support.catalogues import RIGA, demo_catalogue
from tests.support.manual_monotonic import ManualMonotonic
from tests.support.running_server import RunningServer

pytestmark = pytest.mark.gui


def figures_of(app, service_name: str) -> str | None:
    """The figures line under a service's name on the board now."""
    texts = app.screen.texts()
    return texts[texts.index(service_name) + 1] if service_name in texts else None


def test_names_turn_through_the_centre_languages_and_pages(make_display, server, staff) -> None:
    busy_hall(server, staff.manager, staff.kiosk)
    monotonic = ManualMonotonic()
    display = make_display(monotonic=monotonic, flash_seconds=0)
    app = display.app
    display.until(lambda: len(app.board.current) == 3, what="the busy hall")
    assert app.languages == ("lv", "ru", "en"), "the centre's languages, none configured"
    turn = app.display_config.language_seconds
    expected = [
        ("Izsaukti", "Dzīvesvietas deklarēšana", "4. kabinets", "Pirmdiena, 23.11.2026"),
        ("Вызваны", "Декларирование места жительства", "Кабинет 4", "Понедельник, 23.11.2026"),
        ("Now calling", "Declaring your place of residence", "Room 4", "Monday, 23.11.2026"),
    ]
    for heading, service, room, date in expected:
        display.until(lambda: heading in app.screen.texts(), what=heading)  # noqa: B023
        texts = app.screen.texts()
        assert service in texts and room in " ".join(texts) and date in texts
        assert board_problems(app) == []
        monotonic.advance(turn)
    # After every language, the next page of waiting times (the same pages in each).
    display.until(lambda: "Izsaukti" in app.screen.texts())
    composition = app.screen.composition
    assert composition is not None and composition.pages > 1 and composition.page == 1
    assert "Dzīvesvietas deklarēšana" not in app.screen.texts()
    # Announcements speak every language of the centre and say where the counter is.
    app.speaker.wait_until_quiet(20)
    spoken = [p.text for s in app.speaker.history for p in s.parts if isinstance(p, Utterance)]
    newest = app.board.newest
    number = spoken_number(newest.number)
    assert f"Biļete {number}, 4. kabinets, 2. stāvs" in spoken
    assert f"Талон {number}, Кабинет 4, 2-й этаж" in spoken
    assert f"Ticket {number}, Room 4, 2nd floor" in spoken


def test_waits_say_that_nobody_serves_a_service_now(make_display, server, staff) -> None:
    display = make_display(languages=("lv",))
    app = display.app
    display.until(lambda: app.connected and app.board.services, what="the first snapshot")
    display.pump(0.1)
    texts = app.screen.texts()
    assert "0 rindā · šobrīd neviens nepieņem" in texts, "no counter open: nobody serves it"
    assert not any("nav zināms" in text or text.endswith("—") for text in texts)
    with server.client(staff.manager) as http:
        http.post("/counters/c1/open").raise_for_status()
    display.until(
        lambda: figures_of(app, "Dzīvesvietas deklarēšana") == "0 rindā · bez gaidīšanas",
        what="the wait once a counter serves it",
    )


def test_after_closing_the_last_calls_stay_and_the_notice_says_no_new_visitors(
    tmp_path, make_display
) -> None:
    from core.clock import ManualClock

    clock = ManualClock(datetime(2026, 11, 23, 18, 50, tzinfo=RIGA))  # Monday, closes 19:00
    monotonic = ManualMonotonic()
    with RunningServer(tmp_path / "late", clock=clock, catalogue=demo_catalogue()) as late:
        display_token = late.add_device("hall", "display")
        kiosk = late.add_device("kiosk", "kiosk")
        late.add_user("boss", "manager")
        boss = late.login("boss")
        with late.client(kiosk) as http:
            for _ in range(2):
                http.post("/tickets", json={"service_id": "residence"}).raise_for_status()
        display = make_display(
            server_url=late.url,
            token=display_token,
            now=clock.now,
            monotonic=monotonic,
            languages=("lv",),
            flash_seconds=0,
        )
        app = display.app
        display.until(lambda: app.connected and app.board.is_open, what="the open board")
        clock.advance(timedelta(minutes=15))  # 19:05: closed, two visitors still inside
        with late.client(boss) as http:
            http.post("/counters/c1/open").raise_for_status()
            http.post("/counters/c1/call-next").raise_for_status()
        display.until(lambda: not app.board.is_open, what="the closed centre")
        display.until(lambda: app.board.newest is not None, what="the call after closing")
        display.pump(0.1)
        texts = app.screen.texts()
        assert "A001 → 1" in texts, "a call after closing is shown"
        notice = "Biļetes šodien vairs neizsniedz — atvērsies 24.11.\u00a008:30"
        assert notice in texts
        assert not any(text.startswith("Slēgts") for text in texts)
        assert figures_of(app, "Dzīvesvietas deklarēšana") == "1 rindā", "no estimate"
        assert "Sociālā palīdzība" not in texts, "services nobody waits for are not listed"
        assert board_problems(app) == []
        display.screenshot("display-closed-serving")


def test_a_small_window_still_shows_the_call(make_display, server, staff) -> None:
    display = make_display(size=(800, 600), languages=("lv",))
    app = display.app
    display.until(lambda: app.connected and app.board.services, what="the first snapshot")
    with server.client(staff.kiosk) as http:
        http.post("/tickets", json={"service_id": "residence"}).raise_for_status()
    with server.client(staff.manager) as http:
        http.post("/counters/c1/open").raise_for_status()
        http.post("/counters/c1/call-next").raise_for_status()
    display.until(lambda: "A001 → 1" in app.screen.texts(), what="the call")
    display.until(
        lambda: figures_of(app, "Dzīvesvietas deklarēšana") != "0 rindā · šobrīd neviens nepieņem",
        what="the residence wait once c1 serves it",
    )
    assert board_problems(app) == []
    display.screenshot("display-800x600")
