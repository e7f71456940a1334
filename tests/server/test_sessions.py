"""Sign-in sessions end after the configured idle time and absolute lifetime; what a
person does keeps a session alive, what a page does on its own does not."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path

import httpx
import pytest

from core.clock import ManualClock
from tests.conftest import Staff
from tests.support.catalogues import always_open
from tests.support.processes import rinda
from tests.support.running_server import RunningServer

IDLE = timedelta(minutes=15)
LIFETIME = timedelta(hours=2)
PASSWORD = "correct horse"


@pytest.fixture
def server(tmp_path: Path, clock: ManualClock) -> Iterator[RunningServer]:
    """A server configured for 15 minutes' idle time and a 2-hour lifetime."""
    with RunningServer(
        tmp_path / "data",
        clock=clock,
        catalogue=always_open(),
        session_idle=IDLE,
        session_lifetime=LIFETIME,
    ) as running:
        yield running


def _status(server: RunningServer, token: str, **headers: str) -> int:
    with server.client(token) as http:
        return http.get("/queue", headers=headers).status_code


def test_a_session_ends_after_the_idle_time(
    server: RunningServer, staff: Staff, clock: ManualClock
) -> None:
    token = staff.clerk("c1")
    clock.advance(IDLE - timedelta(seconds=1))
    with server.client(token) as http:
        assert http.get("/queue", headers={"X-Rinda-Background": "1"}).status_code == 200
    clock.advance(timedelta(seconds=1))
    with server.client(token) as http:
        ended = http.get("/queue")
    assert ended.status_code == 401 and ended.json()["code"] == "not_authenticated"


def test_use_keeps_a_session_alive_until_its_lifetime(
    server: RunningServer, staff: Staff, clock: ManualClock
) -> None:
    token = staff.clerk("c1")
    signed_in_at = clock.now()
    while clock.now() + timedelta(minutes=10) < signed_in_at + LIFETIME:
        clock.advance(timedelta(minutes=10))
        assert _status(server, token) == 200
        server.wait_session_used("clerk-c1", clock.now())
    clock.set(signed_in_at + LIFETIME)
    assert _status(server, token) == 401


def test_requests_a_page_makes_on_its_own_do_not_keep_a_session_alive(
    server: RunningServer, staff: Staff, clock: ManualClock
) -> None:
    token = staff.clerk("c1")
    for _ in range(3):
        clock.advance(IDLE / 3 - timedelta(seconds=1))
        assert _status(server, token, **{"X-Rinda-Background": "1"}) == 200
    clock.advance(timedelta(seconds=3))
    assert _status(server, token) == 401


def test_opening_a_page_is_use(server: RunningServer, staff: Staff, clock: ManualClock) -> None:
    staff.clerk("c1")
    with httpx.Client(base_url=server.url, timeout=10) as browser:
        browser.post(
            "/api/v1/session", json={"username": "clerk-c1", "password": PASSWORD}
        ).raise_for_status()
        clock.advance(IDLE - timedelta(minutes=1))
        assert browser.get("/console").status_code == 200
        server.wait_session_used("clerk-c1", clock.now())
        clock.advance(IDLE - timedelta(minutes=1))
        assert browser.get("/api/v1/queue").status_code == 200
        clock.advance(IDLE)
        assert browser.get("/api/v1/queue").status_code == 401
        page = browser.get("/console")
        assert page.status_code == 303 and page.headers["location"].startswith("/login")


def test_use_is_written_at_most_once_a_minute(
    server: RunningServer, staff: Staff, clock: ManualClock
) -> None:
    token = staff.clerk("c1")
    signed_in_at = clock.now()
    clock.advance(timedelta(seconds=59))
    assert _status(server, token) == 200
    # A kiosk's ticket is queued behind any write that request asked for.
    with server.client(staff.kiosk) as kiosk:
        kiosk.post("/tickets", json={"service_id": "residence"}).raise_for_status()
    assert server.session_last_seen("clerk-c1") == signed_in_at
    clock.advance(timedelta(seconds=1))
    assert _status(server, token) == 200
    server.wait_session_used("clerk-c1", clock.now())
    assert server.session_last_seen("clerk-c1") == signed_in_at + timedelta(minutes=1)


def test_signing_out_ends_the_session(server: RunningServer, staff: Staff) -> None:
    token = staff.clerk("c1")
    with server.client(token) as http:
        assert http.delete("/session").status_code == 204
        assert http.get("/queue").status_code == 401


@pytest.mark.parametrize(
    ("flags", "complaint"),
    [
        (["--session-idle-minutes", "0"], "--session-idle-minutes must be at least 1"),
        (
            ["--session-idle-minutes", "120", "--session-lifetime-hours", "1"],
            "no longer than the session lifetime",
        ),
        (["--trusted-proxy", "proxy.local"], "--trusted-proxy 'proxy.local' is not an IP"),
    ],
)
def test_server_refuses_bad_session_and_proxy_settings(
    tmp_path: Path, flags: list[str], complaint: str
) -> None:
    result = rinda("server", "--data-dir", str(tmp_path), "--no-advertise", *flags, check=False)
    assert result.returncode == 2 and complaint in result.stderr
