"""An open event stream ends within seconds of its credential becoming invalid,
whatever made it invalid; streams of other, valid credentials carry on."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import closing
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path

import httpx
import pytest

from core.clock import ManualClock
from core.events import ADMIN_EVENTS
from tests.conftest import Staff
from tests.support.catalogues import always_open
from tests.support.processes import rinda
from tests.support.running_server import RunningServer
from tests.support.sse import OpenStream

ADMIN_PASSWORD = "correct horse"
DEFAULT_SESSION_IDLE = timedelta(minutes=30)
DEFAULT_SESSION_LIFETIME = timedelta(hours=12)
"""The documented defaults (docs/administration.md)."""


@pytest.fixture
def server(tmp_path: Path, clock: ManualClock) -> Iterator[RunningServer]:
    """A real server that re-checks open streams' credentials every 0.2 s."""
    with RunningServer(
        tmp_path / "data", clock=clock, catalogue=always_open(), credential_check_seconds=0.2
    ) as running:
        yield running


@dataclass(frozen=True)
class Scene:
    """The running server, its people, the credential holder and their open stream."""

    server: RunningServer
    staff: Staff
    holder: httpx.Client
    stream: OpenStream

    @property
    def admin(self) -> httpx.Client:
        return self.server.client(self.staff.admin)

    def cli(self, *args: str, stdin: str | None = None) -> None:
        rinda(*args, "--data-dir", str(self.server.data_dir), stdin=stdin)

    @property
    def clock(self) -> ManualClock:
        assert isinstance(self.server.clock, ManualClock)
        return self.server.clock


@dataclass(frozen=True)
class Way:
    """One way a credential stops being valid."""

    holder: str
    """`display` (a device token), `clerk` (a bearer session) or `clerk-cookie`."""
    invalidate: Callable[[Scene], object]


def _sign_out_of_console(scene: Scene) -> None:
    csrf = scene.holder.get("/session").json()["csrf_token"]
    scene.holder.delete("/session", headers={"X-CSRF-Token": csrf}).raise_for_status()


def _outlive_lifetime(scene: Scene) -> None:
    """Keep the session in use (a request every 20 minutes) until past its lifetime;
    the stream stays open all the while."""
    start = scene.clock.now()
    while scene.clock.now() - start < DEFAULT_SESSION_LIFETIME - timedelta(minutes=20):
        scene.clock.advance(timedelta(minutes=20))
        scene.holder.get("/queue").raise_for_status()
        scene.server.wait_session_used("clerk-c1", scene.clock.now())
    assert not scene.stream.ended.is_set()
    scene.clock.advance(timedelta(minutes=21))


WAYS = {
    "device revoked by `rinda devices revoke` in another process": Way(
        "display", lambda scene: scene.cli("devices", "revoke", "display-1")
    ),
    "device revoked through the admin API": Way(
        "display",
        lambda scene: scene.admin.post("/admin/devices/display-1/revoke").raise_for_status(),
    ),
    "signed out (bearer token)": Way(
        "clerk", lambda scene: scene.holder.delete("/session").raise_for_status()
    ),
    "signed out (console cookie)": Way("clerk-cookie", _sign_out_of_console),
    "user disabled through the admin API": Way(
        "clerk",
        lambda scene: scene.admin.post("/admin/users/clerk-c1/disable").raise_for_status(),
    ),
    "user disabled by `rinda users disable` in another process": Way(
        "clerk", lambda scene: scene.cli("users", "disable", "clerk-c1")
    ),
    "password changed through the admin API": Way(
        "clerk",
        lambda scene: scene.admin.post(
            "/admin/users/clerk-c1/password", json={"password": "a new password"}
        ).raise_for_status(),
    ),
    "password changed by `rinda users password` in another process": Way(
        "clerk",
        lambda scene: scene.cli("users", "password", "clerk-c1", stdin="a new password\n"),
    ),
    "session idle for longer than the idle time": Way(
        "clerk", lambda scene: scene.clock.advance(DEFAULT_SESSION_IDLE + timedelta(seconds=1))
    ),
    "session older than its lifetime, though in use": Way("clerk", _outlive_lifetime),
}


def _holder(server: RunningServer, staff: Staff, holder: str) -> tuple[OpenStream, httpx.Client]:
    """A stream opened with the holder's credential, and a client acting as the holder."""
    if holder == "display":
        token = staff.display
        return OpenStream(server.url, token=token), server.client(token)
    if holder == "clerk":
        token = staff.clerk("c1")
        return OpenStream(server.url, token=token), server.client(token)
    staff.clerk("c1")
    browser = httpx.Client(base_url=f"{server.url}/api/v1", timeout=10)
    browser.post(
        "/session", json={"username": "clerk-c1", "password": ADMIN_PASSWORD}
    ).raise_for_status()
    return OpenStream(server.url, cookies=dict(browser.cookies)), browser


@pytest.mark.parametrize("way", list(WAYS.values()), ids=list(WAYS))
def test_stream_ends_when_its_credential_becomes_invalid(
    server: RunningServer, staff: Staff, way: Way
) -> None:
    staff.admin  # noqa: B018 - the admin signs in before anything changes the clock
    staff.kiosk  # noqa: B018 - added (and logged) before the streams open
    control_token = server.add_device("display-control", "display")
    stream, holder = _holder(server, staff, way.holder)
    with stream, OpenStream(server.url, token=control_token) as control, closing(holder):
        with server.client(staff.kiosk) as kiosk:
            kiosk.post("/tickets", json={"service_id": "residence"}).raise_for_status()
        assert stream.next_event().event == "ticket.issued"
        assert control.next_event().event == "ticket.issued"

        way.invalidate(Scene(server, staff, holder, stream))

        stream.wait_ended()
        assert stream.status == 200
        with server.client(staff.kiosk) as kiosk:
            kiosk.post("/tickets", json={"service_id": "residence"}).raise_for_status()
        # The change itself is logged (an admin change) before the next ticket.
        issued = control.next_event_past(ADMIN_EVENTS)
        assert issued.event == "ticket.issued", "a valid stream was ended too"
        assert not control.ended.is_set()
        again = OpenStream(server.url, **_credential_of(stream)).start()
        again.wait_ended()
        assert again.status == 401


def _credential_of(stream: OpenStream) -> dict[str, object]:
    token = stream.headers.get("Authorization", "").removeprefix("Bearer ")
    return {"token": token} if token else {"cookies": stream.cookies}


def test_the_check_ends_only_the_sessions_that_ended(
    server: RunningServer, staff: Staff, clock: ManualClock
) -> None:
    """Two clerks signed in ten minutes apart: when the first one's idle time is up, the
    check that ends their stream leaves the second one's stream open."""
    earlier = staff.clerk("c2")
    clock.advance(timedelta(minutes=10))
    later = staff.clerk("c1")
    staff.kiosk  # noqa: B018 - added (and logged) before the streams open
    with (
        OpenStream(server.url, token=earlier) as ending,
        OpenStream(server.url, token=later) as staying,
    ):
        clock.advance(DEFAULT_SESSION_IDLE - timedelta(minutes=5))
        ending.wait_ended()
        with server.client(staff.kiosk) as kiosk:
            kiosk.post("/tickets", json={"service_id": "residence"}).raise_for_status()
        assert staying.next_event().event == "ticket.issued"
        assert not staying.ended.is_set()
