"""A database fault never escapes as a 500, at whatever stage it strikes: taking a
connection, running a statement, committing, an open event stream, the revocation
listener's connection, shutting down; and what PostgreSQL cannot store is the
sender's fault (422), not the hub's. Faults are made real: connections held, backends
terminated by PostgreSQL itself, a commit held on a lock."""

from __future__ import annotations

import asyncio
import contextlib
import logging
import threading
import time
from collections.abc import Iterator

import httpx
import psycopg
import pytest
from fastapi import FastAPI

from hub.api import database_errors
from hub.api.deps import SESSION_COOKIE
from tests.support.hub_link import eventually
from tests.support.hub_stream import HubStream
from tests.support.running_hub import RunningHub

PROFILE = {"timezone": "Europe/Riga", "services": [], "counters": 1}
TICKET = {
    "id": "t1",
    "original_service_id": "residence",
    "status": "waiting",
    "issued_at": "2026-11-23T08:00:00+00:00",
    "target_wait_seconds": 900,
}


def batch(seq: int = 1, **data: object) -> dict:
    event = {
        "seq": seq,
        "type": "ticket.issued",
        "at": "2026-11-23T08:00:00+00:00",
        "schema_version": 1,
        "ticket_id": "t1",
        "data": {"ticket": TICKET, **data},
    }
    return {"after": seq - 1, "through": seq, "events": [event]}


@contextlib.contextmanager
def every_connection_held(hub: RunningHub) -> Iterator[None]:
    """Take every connection of the hub's pool (as a stalled database would)."""
    assert hub.ctx is not None
    pool = hub.ctx.pool
    held = [pool.getconn() for _ in range(pool.max_size)]
    try:
        yield
    finally:
        for conn in held:
            pool.putconn(conn)


def backend_waiting(dsn: str, what: str) -> int:
    """The pid of the hub's backend blocked on `what` (`Lock`, `advisory`)."""
    with psycopg.connect(dsn, autocommit=True) as conn:

        def find() -> int | None:
            row = conn.execute(
                "SELECT pid FROM pg_stat_activity WHERE datname = current_database() "
                "AND (wait_event_type = %s OR wait_event = %s) AND pid <> pg_backend_pid()",
                (what, what),
            ).fetchone()
            return row[0] if row else None

        return int(eventually(find, 30, what=f"a backend waiting on {what}"))


def terminate(dsn: str, pid: int) -> None:
    with psycopg.connect(dsn, autocommit=True) as conn:
        conn.execute("SELECT pg_terminate_backend(%s)", (pid,))


def assert_unavailable(response: httpx.Response) -> None:
    assert response.status_code == 503, response.text
    assert response.headers["retry-after"] == "5"
    if response.headers["content-type"].startswith("application/json"):
        assert response.json()["code"] == "database_unavailable"
    else:
        assert 'id="database-unavailable"' in response.text


@pytest.fixture
def hub(hub_dsn: str) -> Iterator[RunningHub]:
    with RunningHub(hub_dsn, pool_size=3, pool_timeout=0.5) as running:
        yield running


def test_no_connection_to_be_had_is_503_on_every_kind_of_request(hub: RunningHub) -> None:
    centre = hub.add_centre("riga", "Rīga")
    hub.add_user("anna")
    analyst = hub.login("anna")
    with hub.client(centre) as http:
        http.put("/centres/riga/profile", json=PROFILE).raise_for_status()
    page = httpx.Client(base_url=hub.url, cookies={SESSION_COOKIE: analyst}, timeout=30)
    requests = [
        ("GET", "/health", None, None),
        ("POST", "/session", None, {"username": "anna", "password": "correct horse"}),
        ("GET", "/session", analyst, None),
        ("GET", "/network/centres", analyst, None),
        ("GET", "/network/live", analyst, None),
        ("GET", "/network/stats", analyst, None),
        ("GET", "/network/stats.csv", analyst, None),
        ("GET", "/network/stream", analyst, None),
        ("PUT", "/centres/riga/profile", centre, PROFILE),
        ("GET", "/centres/riga/position", centre, None),
        ("POST", "/centres/riga/events", centre, batch()),
        ("POST", "/centres/riga/heartbeat", centre, {"log_end": 1}),
        ("DELETE", "/session", analyst, None),
    ]
    with every_connection_held(hub):
        for method, path, token, body in requests:
            with hub.client(token) as http:
                assert_unavailable(http.request(method, path, json=body))
        for path in ("/network", "/network/reports"):
            assert_unavailable(page.get(path))
    with hub.client(analyst) as http:  # nothing was changed: the session still lives
        assert http.get("/session").status_code == 200


def test_a_stream_that_cannot_check_its_session_ends_cleanly(
    hub: RunningHub, caplog: pytest.LogCaptureFixture
) -> None:
    hub.add_user("anna")
    stream = HubStream(hub.url, hub.login("anna")).start()
    assert stream.status == 200
    with every_connection_held(hub):
        assert stream.ended.wait(20), "the stream outlived its session check"
    assert stream.broken is None, stream.broken  # ended by the hub, not torn off
    unexpected = [r for r in caplog.records if r.levelno >= logging.ERROR]
    assert unexpected == []


def test_a_connection_lost_while_a_statement_runs_is_503(hub: RunningHub) -> None:
    token = hub.add_centre("riga", "Rīga")
    with hub.client(token) as http:
        http.put("/centres/riga/profile", json=PROFILE).raise_for_status()
        with psycopg.connect(hub.dsn) as blocker:  # holds the centre's row
            blocker.execute("SELECT 1 FROM centres WHERE id = 'riga' FOR UPDATE")
            answer: list[httpx.Response] = []
            sender = threading.Thread(
                target=lambda: answer.append(http.post("/centres/riga/events", json=batch()))
            )
            sender.start()
            terminate(hub.dsn, backend_waiting(hub.dsn, "Lock"))
            sender.join(30)
        assert_unavailable(answer[0])
        again = http.post("/centres/riga/events", json=batch())
        assert again.json()["stored"] == 1 and again.json()["acknowledged_seq"] == 1


def test_a_connection_lost_at_commit_is_503_and_stores_nothing(hub: RunningHub) -> None:
    token = hub.add_centre("riga", "Rīga")
    with psycopg.connect(hub.dsn, autocommit=True) as conn:
        conn.execute(
            "CREATE FUNCTION wait_at_commit() RETURNS trigger LANGUAGE plpgsql AS $$ "
            "BEGIN PERFORM pg_advisory_lock(4242); PERFORM pg_advisory_unlock(4242); "
            "RETURN NULL; END $$"
        )
        conn.execute(
            "CREATE CONSTRAINT TRIGGER wait_at_commit AFTER UPDATE ON centres "
            "DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION wait_at_commit()"
        )
    with hub.client(token) as http, psycopg.connect(hub.dsn, autocommit=True) as holder:
        http.put("/centres/riga/profile", json=PROFILE).raise_for_status()
        holder.execute("SELECT pg_advisory_lock(4242)")  # from now on, commits wait
        answer: list[httpx.Response] = []
        sender = threading.Thread(
            target=lambda: answer.append(http.post("/centres/riga/events", json=batch()))
        )
        sender.start()
        terminate(hub.dsn, backend_waiting(hub.dsn, "advisory"))
        sender.join(30)
        assert_unavailable(answer[0])
        assert holder.execute("SELECT count(*) FROM events").fetchone() == (0,)
        holder.execute("SELECT pg_advisory_unlock(4242)")
        assert http.post("/centres/riga/events", json=batch()).json()["stored"] == 1


def test_revocations_sent_while_the_listener_was_away_still_end_streams(
    hub_dsn: str,
) -> None:
    # A two-minute heartbeat: only the check after the listener's return can end it.
    with RunningHub(hub_dsn, heartbeat_seconds=120.0) as hub:
        hub.add_user("anna")
        stream = HubStream(hub.url, hub.login("anna")).start()
        with psycopg.connect(hub_dsn, autocommit=True) as conn:
            listener = conn.execute(
                "SELECT pid FROM pg_stat_activity WHERE query LIKE 'LISTEN%%' "
                "AND datname = current_database()"
            ).fetchone()
            assert listener is not None
            # In one go: the listener's connection ends, then the user is disabled and
            # the notice sent, before the listener can be back to hear it.
            conn.execute("SELECT pg_terminate_backend(%s)", listener)
            conn.execute("UPDATE users SET disabled = true WHERE username = 'anna'")
            conn.execute("DELETE FROM sessions WHERE username = 'anna'")
            conn.execute("SELECT pg_notify('rinda_hub_revoked', 'user:anna')")
        assert stream.ended.wait(30), "a revocation sent while the listener was away was missed"


def test_a_request_waiting_for_a_connection_at_shutdown_is_answered_503(hub_dsn: str) -> None:
    hub = RunningHub(hub_dsn, pool_size=2, pool_timeout=60.0).start()
    assert hub.ctx is not None
    pool = hub.ctx.pool
    held = [pool.getconn() for _ in range(pool.max_size)]
    answer: list[httpx.Response] = []
    asker = threading.Thread(
        target=lambda: answer.append(httpx.get(f"{hub.url}/api/v1/health", timeout=60))
    )
    asker.start()
    eventually(lambda: pool.get_stats().get("requests_waiting", 0) > 0, 30, what="a waiter")
    began = time.monotonic()
    hub.stop()
    asker.join(30)
    for conn in held:
        pool.putconn(conn)
    assert_unavailable(answer[0])  # not cut off by the shutdown with a bare 500
    assert time.monotonic() - began < 30


def test_what_postgresql_cannot_store_is_refused_as_the_senders_fault(hub: RunningHub) -> None:
    token = hub.add_centre("riga", "Rīga")
    with hub.client(token) as http:
        named = http.put("/centres/riga/profile", json={**PROFILE, "name": {"lv": "Rīga\u0000"}})
        assert named.status_code == 422, named.text
        assert named.json()["fields"] == {"name.lv": "control_characters"}
        http.put("/centres/riga/profile", json=PROFILE).raise_for_status()
        response = http.post("/centres/riga/events", json=batch(note="a\u0000b"))
        assert response.status_code == 422, response.text
        assert response.json()["fields"] == {"events": "invalid_event_data"}
        assert http.get("/centres/riga/position").json()["acknowledged_seq"] == 0


@pytest.mark.parametrize(
    "error",
    [
        psycopg.OperationalError("server closed the connection unexpectedly"),
        psycopg.InterfaceError("the connection is lost"),
        psycopg.errors.AdminShutdown("terminating connection due to administrator command"),
    ],
    ids=lambda e: type(e).__name__,
)
def test_each_kind_of_unavailability_is_503(error: psycopg.Error) -> None:
    """The handler table itself (psycopg raises these from inside the library)."""
    app = FastAPI()
    database_errors.install(app)

    @app.get("/api/v1/fails")
    def fails() -> None:
        raise error

    async def ask() -> httpx.Response:
        transport = httpx.ASGITransport(app=app, raise_app_exceptions=False)
        async with httpx.AsyncClient(transport=transport, base_url="http://hub") as client:
            return await client.get("/api/v1/fails")

    assert_unavailable(asyncio.run(ask()))
