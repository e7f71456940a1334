"""Admin changes go through a writer and the event log, whoever makes them.

`rinda users|devices|hours` once wrote to SQLite with transactions of their own: no
event, no actor, nothing a hub could replicate or an auditor could see. Now they run
the admin pages' commands through a writer of their own (`server.admin.run_admin`),
also while a server runs on the same data directory, and the server hands their
events to its live streams in log order.
"""

from __future__ import annotations

import getpass
import json
import sqlite3
from collections.abc import Iterator
from pathlib import Path

import pytest

from core.clock import ManualClock
from core.events import ADMIN_EVENTS
from server.store.database import database_path
from tests.conftest import Staff
from tests.support.catalogues import always_open
from tests.support.processes import rinda
from tests.support.running_server import RunningServer
from tests.support.sse import OpenStream, wait_until

PASSWORD = "long enough password"


def logged(server: RunningServer, seq: int) -> tuple[str, str, dict[str, object]]:
    """(type, actor, data) of one event, read from the file."""
    with sqlite3.connect(database_path(server.data_dir)) as conn:
        kind, actor, data = conn.execute(
            "SELECT type, actor, data FROM events WHERE seq = ?", (seq,)
        ).fetchone()
    return kind, actor, json.loads(data)


def cli(server: RunningServer, *args: str, stdin: str | None = None) -> None:
    rinda(*args, "--data-dir", str(server.data_dir), stdin=stdin)


def test_a_user_added_at_the_command_line_is_logged_with_its_actor_and_streamed(
    server: RunningServer, staff: Staff
) -> None:
    display = staff.display
    base = server.log_end()
    with OpenStream(server.url, token=display) as stream:
        cli(server, "users", "add", "ilze", "--role", "clerk", "--password-stdin", stdin=PASSWORD)
        # Nothing else happens on the server: its check of the log hands the event on.
        event = stream.next_event()
    assert (event.event, event.id) == ("user.added", base + 1)
    assert event.json()["username"] == "ilze" and event.json()["role"] == "clerk"
    kind, actor, data = logged(server, base + 1)
    assert (kind, actor) == ("user.added", f"cli:{getpass.getuser()}")
    assert PASSWORD not in json.dumps(data) and "scrypt" not in json.dumps(data)
    with server.client() as http:
        wait_until(lambda: http.get("/health").json()["event_seq"] == base + 1, what="health")
    with server.client(display) as http:
        assert http.get("/queue").json()["seq"] == base + 1


@pytest.fixture
def quiet_server(tmp_path: Path, clock: ManualClock) -> Iterator[RunningServer]:
    """A server that never looks at the log by itself (an hour between checks)."""
    with RunningServer(
        tmp_path / "data", clock=clock, catalogue=always_open(), log_check_seconds=3600
    ) as running:
        yield running


def test_an_event_another_process_appended_goes_out_before_the_servers_next_one(
    quiet_server: RunningServer, staff_factory: type[Staff]
) -> None:
    staff = staff_factory(quiet_server)
    display, kiosk = staff.display, staff.kiosk
    base = quiet_server.log_end()
    with OpenStream(quiet_server.url, token=display) as stream:
        cli(quiet_server, "devices", "add", "kiosk-2", "--role", "kiosk")
        with quiet_server.client(kiosk) as http:
            http.post("/tickets", json={"service_id": "residence"}).raise_for_status()
        first, second = stream.next_event(), stream.next_event()
        assert stream.events.empty()
    assert [(first.event, first.id), (second.event, second.id)] == [
        ("device.added", base + 1),
        ("ticket.issued", base + 2),
    ]
    assert "token" not in first.json()


def test_an_hours_exception_added_at_the_command_line_applies_at_once(
    server: RunningServer, clock: ManualClock
) -> None:
    """The running server re-reads its hours when it sees the change's event, instead of
    at its next housekeeping."""
    with server.client() as http:
        assert http.get("/health").json()["is_open"] is True
        today = clock.now().astimezone(always_open().hours.zone).date().isoformat()
        cli(server, "hours", "add", today, "--closed", "--note", "inventory")
        wait_until(lambda: http.get("/health").json()["is_open"] is False, what="closed")
        cli(server, "hours", "remove", today)
        wait_until(lambda: http.get("/health").json()["is_open"] is True, what="open again")


def test_changes_on_the_admin_pages_log_the_admin_and_no_secret(
    server: RunningServer, staff: Staff
) -> None:
    admin_token = staff.admin
    base = server.log_end()
    with server.client(admin_token) as admin:
        token = admin.post("/admin/devices", json={"name": "hall-2", "role": "display"}).json()
        admin.post("/admin/devices/hall-2/revoke").raise_for_status()
        admin.post(
            "/admin/users",
            json={"username": "ilze", "role": "clerk", "password": PASSWORD, "counter_id": "c1"},
        ).raise_for_status()
        admin.post("/admin/users/ilze/password", json={"password": "another password"})
        admin.post("/admin/users/ilze/disable").raise_for_status()
        admin.post("/admin/users/ilze/enable").raise_for_status()
        admin.post("/admin/hours", json={"date": "2026-12-24", "closed": True}).raise_for_status()
        admin.delete("/admin/hours/2026-12-24").raise_for_status()
    events = [logged(server, seq) for seq in range(base + 1, server.log_end() + 1)]
    assert [kind for kind, _, _ in events] == [
        "device.added",
        "device.revoked",
        "user.added",
        "user.password_changed",
        "user.disabled",
        "user.enabled",
        "hours.exception_added",
        "hours.exception_removed",
    ]
    assert {kind for kind, _, _ in events} == ADMIN_EVENTS
    assert {actor for _, actor, _ in events} == {"user:root"}
    text = json.dumps([data for _, _, data in events])
    for secret in (token["token"], PASSWORD, "another password", "scrypt$"):
        assert secret not in text
