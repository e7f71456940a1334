"""The hall display under Xvfb against a real server."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from terminal.speech import Utterance
from tests.support.running_server import RunningServer

pytestmark = pytest.mark.gui


def issue(server: RunningServer, token: str, service: str = "residence") -> dict:
    with server.client(token) as http:
        return http.post("/tickets", json={"service_id": service}).json()


def call_next(server: RunningServer, token: str, counter: str) -> dict:
    with server.client(token) as http:
        http.post(f"/counters/{counter}/open")
        return http.post(f"/counters/{counter}/call-next").json()


def test_a_call_appears_and_is_announced(make_display, server, staff) -> None:
    display = make_display()
    app = display.app
    display.until(lambda: app.connected, what="the connection")
    issue(server, staff.kiosk)
    issue(server, staff.kiosk, "social-assistance")
    first = call_next(server, staff.manager, "c1")
    second = call_next(server, staff.manager, "c3")
    display.until(lambda: len(app.board.current) == 2, what="both calls on the board")
    assert [(c.number, c.counter_label) for c in app.board.current] == [
        ("B001", "3"),
        ("A001", "1"),
    ]
    texts = app.screen.texts()
    assert "B001 → 3" in texts and "A001 → 1" in texts and "3. lodziņš" in texts
    assert [a.number for a in app.announcer.announced] == ["A001", "B001"]
    app.speaker.wait_until_quiet(20)
    spoken = [s for s in app.speaker.history]
    assert any(
        isinstance(p, Utterance) and p.text == "Biļete A 1, 1. lodziņš"
        for s in spoken
        for p in s.parts
    )
    assert any(
        isinstance(p, Utterance) and p.text == "Талон B 1, Окно 3" for s in spoken for p in s.parts
    )
    assert all(str(s.parts[0]).endswith("chime.wav") for s in spoken), "a chime before every call"
    display.screenshot("display-two-calls")
    # A recall repeats the announcement.
    with server.client(staff.manager) as http:
        http.post(f"/tickets/{first['id']}/recall").raise_for_status()
    display.until(lambda: len(app.announcer.announced) == 3)
    assert app.announcer.announced[-1].recall and app.board.newest.number == "A001"
    # Once the visitor is at the counter the call leaves "now calling" but stays listed.
    with server.client(staff.manager) as http:
        http.post(f"/tickets/{second['id']}/start").raise_for_status()
    display.until(lambda: [c.number for c in app.board.current] == ["A001"])
    assert [c.number for c in app.board.recent] == ["A001", "B001"]


def test_flashing_is_at_most_two_flashes_a_second(make_display, server, staff) -> None:
    import time

    display = make_display(flash_seconds=2.0)
    app = display.app
    display.until(lambda: app.connected)
    issue(server, staff.kiosk)
    call_next(server, staff.manager, "c1")
    display.until(lambda: app.board.newest is not None)
    changes, last, started = 0, app.flash_on, time.monotonic()
    while time.monotonic() - started < 1.0:
        display.pump(0.01)
        if app.flash_on != last:
            changes += 1
            last = app.flash_on
    assert 2 <= changes <= 6, f"{changes} changes in a second (3 flashes = 6 changes is the limit)"
    display.pump(2.0)
    assert not app.flash_on, "it stops after the flash time"


def test_reconnects_after_a_server_restart_and_catches_up(make_display, server, staff) -> None:
    display = make_display()
    app = display.app
    display.until(lambda: app.connected)
    issue(server, staff.kiosk)
    issue(server, staff.kiosk)
    call_next(server, staff.manager, "c1")
    display.until(lambda: app.board.newest is not None and app.board.newest.number == "A001")
    port, data_dir, clock, catalogue = server.port, server.data_dir, server.clock, server.catalogue
    manager = staff.manager
    server.stop()
    display.until(lambda: not app.connected, what="the lost connection")
    assert "A001 → 1" in app.screen.texts(), "the board is not blanked"
    assert any("Nav savienojuma" in text for text in app.screen.texts())
    display.screenshot("display-connection-lost")
    revived = RunningServer(data_dir, clock=clock, catalogue=catalogue, port=port)
    # A call made while the display could not hear: started before it reconnects.
    revived.start()
    try:
        with revived.client(manager) as http:
            http.post(f"/tickets/{app.board.newest.ticket_id}/no-show").raise_for_status()
            http.post("/counters/c1/call-next").raise_for_status()
        display.until(lambda: app.connected, timeout=20, what="the reconnection")
        display.until(
            lambda: app.board.newest is not None and app.board.newest.number == "A002",
            timeout=10,
            what="the missed call",
        )
        assert not any("Nav savienojuma" in text for text in app.screen.texts())
    finally:
        revived.stop()


def test_zone_shows_only_its_counters(make_display, server, staff) -> None:
    display = make_display(counters=("c3",), services=("social-assistance", "family-benefits"))
    app = display.app
    display.until(lambda: app.connected)
    issue(server, staff.kiosk)
    issue(server, staff.kiosk, "social-assistance")
    call_next(server, staff.manager, "c1")
    call_next(server, staff.manager, "c3")
    display.until(lambda: app.board.newest is not None)
    display.pump(0.5)
    assert [c.number for c in app.board.current] == ["B001"]
    assert [a.number for a in app.announcer.announced] == ["B001"]
    assert {s.service_id for s in app.board.services} == {"social-assistance", "family-benefits"}


def test_closed_with_nobody_left_the_notice_fills_the_board_in_each_language(
    tmp_path, make_display
) -> None:
    from core.clock import ManualClock
    from tests.support.catalogues import demo_catalogue
    from tests.support.manual_monotonic import ManualMonotonic

    clock = ManualClock(datetime(2026, 11, 22, 10, 0, tzinfo=UTC))  # a Sunday
    monotonic = ManualMonotonic()
    with RunningServer(tmp_path / "closed", clock=clock, catalogue=demo_catalogue()) as closed:
        token = closed.add_device("hall", "display")
        display = make_display(
            server_url=closed.url, token=token, now=clock.now, monotonic=monotonic
        )
        app = display.app
        display.until(lambda: not app.board.is_open and app.connected, what="the closed board")
        display.pump(0.1)
        assert app.screen.texts() == [
            "12:00",
            "Svētdiena, 22.11.2026",
            "Slēgts — atvērsies 23.11.\u00a008:30",
        ]
        display.screenshot("display-closed")
        monotonic.advance(app.display_config.language_seconds)
        display.until(lambda: "Закрыто — откроется 23.11.\u00a008:30" in app.screen.texts())
        monotonic.advance(app.display_config.language_seconds)
        display.until(lambda: "Closed — opens at 23.11.\u00a008:30" in app.screen.texts())


def test_ticker_text_set_on_the_server(make_display, server, staff) -> None:
    from tests.display.ui.geometry import board_problems

    display = make_display(languages=("lv",))
    app = display.app
    display.until(lambda: app.connected)
    with server.client(staff.manager) as http:
        http.put(
            "/display/ticker", json={"text": "Pirmdienās strādājam līdz 19:00"}
        ).raise_for_status()
    display.until(lambda: app.board.ticker == "Pirmdienās strādājam līdz 19:00")
    assert "Pirmdienās strādājam līdz 19:00" in app.screen.texts()
    ticker = next(label for label in app.screen.labels() if label.role == "ticker")
    start = ticker.x
    display.until(lambda: ticker.x < start - 50, what="the ticker running")
    app.ticker_offset = ticker.width + 100  # where it has run fully onto the screen
    app.screen.scroll_ticker(app.ticker_offset)
    assert ticker.right < app.screen.width and ticker.x > 0
    assert board_problems(app) == [], "the ticker band takes room from the board, not over it"
    display.screenshot("display-ticker")
