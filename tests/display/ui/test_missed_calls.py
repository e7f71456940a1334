"""A call the display missed while its event stream was silent (open, passing no data) is
announced once when it reaches the board, whichever path brings it first.

A real server; a real proxy whose open event streams can be made to pass nothing;
an injected monotonic clock for the periodic refresh and the silence limit, and the
server's clock for the age of calls.
"""

from __future__ import annotations

from datetime import timedelta

import pytest

from terminal.speech import Utterance
from tests.support.catalogues import always_open
from tests.support.flaky_proxy import FlakyProxy
from tests.support.manual_monotonic import ManualMonotonic
from tests.support.running_server import RunningServer

pytestmark = pytest.mark.gui


def issue(server: RunningServer, token: str) -> None:
    with server.client(token) as http:
        http.post("/tickets", json={"service_id": "residence"}).raise_for_status()


def call_next(server: RunningServer, token: str, counter: str = "c1") -> dict:
    with server.client(token) as http:
        http.post(f"/counters/{counter}/open")
        answer = http.post(f"/counters/{counter}/call-next")
        answer.raise_for_status()
        return answer.json()


def spoken(app) -> list[str]:
    app.speaker.wait_until_quiet(20)
    return [p.text for s in app.speaker.history for p in s.parts if isinstance(p, Utterance)]


def settle_events(display, server: RunningServer, token: str) -> None:
    """Wait until the display has applied every event so far: events arrive in order, so
    once a later one (a new ticket) shows, the earlier ones (replays) were handled."""
    app = display.app
    waiting = sum(line.waiting for line in app.board.services)
    issue(server, token)
    display.until(
        lambda: sum(line.waiting for line in app.board.services) == waiting + 1,
        what="a later event on the board",
    )


def test_a_call_first_seen_in_the_periodic_refresh_is_announced_once(
    make_display, tmp_path, clock
) -> None:
    monotonic = ManualMonotonic()
    # A slow heartbeat (the silence limit is two of them): the refresh comes first.
    with (
        RunningServer(
            tmp_path / "slow", clock=clock, catalogue=always_open(), heartbeat_seconds=60
        ) as server,
        FlakyProxy(server.port) as proxy,
    ):
        token = server.add_device("hall", "display")
        kiosk = server.add_device("kiosk", "kiosk")
        server.add_user("boss", "manager")
        boss = server.login("boss")
        display = make_display(
            server_url=proxy.url, token=token, now=clock.now, monotonic=monotonic
        )
        app = display.app
        display.until(lambda: app.connected and app.board.services, what="the first snapshot")
        assert proxy.silence_event_streams() == 1
        issue(server, kiosk)
        call_next(server, boss)
        monotonic.advance(31)  # the periodic refresh is due (every 30 s)
        display.until(lambda: app.board.newest is not None, what="the call by the refresh")
        assert app.backend.link.stream.silent_drops == 0, "the stream was not what brought it"
        assert [a.number for a in app.announcer.announced] == ["A001"]
        assert app.flashing, "the newest call flashes"
        # The stream is given up later; its replay of the call must not repeat it.
        monotonic.advance(121)
        display.until(lambda: app.backend.link.stream.silent_drops == 1, what="the silence")
        display.until(lambda: app.connected, what="the new stream")
        settle_events(display, server, kiosk)
        assert [a.number for a in app.announcer.announced] == ["A001"]
        assert spoken(app).count("Biļete A 1, 1. lodziņš") == 1
        assert all(str(s.parts[0]).endswith("chime.wav") for s in app.speaker.history)


def test_a_call_missed_on_a_silent_stream_comes_with_the_replay_once(
    make_display, server, staff
) -> None:
    monotonic = ManualMonotonic()
    with FlakyProxy(server.port) as proxy:
        display = make_display(server_url=proxy.url, monotonic=monotonic)
        app = display.app
        display.until(lambda: app.connected and app.board.services, what="the first snapshot")
        stream = app.backend.link.stream
        assert stream.silence_limit == 2.0, "two heartbeats of the test server"
        assert proxy.silence_event_streams() == 1
        issue(server, staff.kiosk)
        call_next(server, staff.manager)
        monotonic.advance(2.5)  # two heartbeats without a byte: the link is dead
        display.until(lambda: stream.silent_drops == 1, what="the silence noticed")
        display.until(lambda: app.board.newest is not None, what="the missed call")
        settle_events(display, server, staff.kiosk)
        assert [a.number for a in app.announcer.announced] == ["A001"]
        assert spoken(app).count("Biļete A 1, 1. lodziņš") == 1


def test_a_call_missed_for_longer_than_the_limit_is_shown_not_spoken(
    make_display, server, staff, clock
) -> None:
    monotonic = ManualMonotonic()
    with FlakyProxy(server.port) as proxy:
        display = make_display(
            server_url=proxy.url, monotonic=monotonic, announce_max_age_seconds=60
        )
        app = display.app
        display.until(lambda: app.connected and app.board.services, what="the first snapshot")
        assert proxy.silence_event_streams() == 1
        issue(server, staff.kiosk)
        call_next(server, staff.manager)
        clock.advance(timedelta(seconds=61))
        monotonic.advance(31)  # both paths are due: the stream's silence and the refresh
        display.until(lambda: app.board.newest is not None, what="the missed call")
        settle_events(display, server, staff.kiosk)
        assert app.board.newest.number == "A001"
        assert app.announcer.announced == [] and spoken(app) == []
