"""The SQLite store: migrations, restart, append-only log, the data-directory lock."""

from __future__ import annotations

import sqlite3
from datetime import timedelta
from pathlib import Path

import pytest

from core.clock import ManualClock
from server.store.database import DataDirLock, DataDirLocked, database_path, open_writer_database
from tests.support.catalogues import always_open
from tests.support.running_server import RunningServer


def test_migrations_are_idempotent(tmp_path: Path) -> None:
    path = tmp_path / "rinda.sqlite3"
    first = open_writer_database(path)
    schema = first.execute("SELECT sql FROM sqlite_master ORDER BY name").fetchall()
    applied = first.execute("SELECT name FROM _sqlite_migrations").fetchall()
    first.close()
    second = open_writer_database(path)
    assert second.execute("SELECT sql FROM sqlite_master ORDER BY name").fetchall() == schema
    assert second.execute("SELECT name FROM _sqlite_migrations").fetchall() == applied
    assert second.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    assert second.execute("PRAGMA foreign_keys").fetchone()[0] == 1
    second.close()


def test_event_log_is_append_only(tmp_path: Path) -> None:
    db = open_writer_database(tmp_path / "rinda.sqlite3")
    db.execute("INSERT INTO events (type, at, data) VALUES ('x', 'now', '{}')")
    with pytest.raises(sqlite3.IntegrityError, match="append-only"):
        db.execute("UPDATE events SET type = 'y'")
    with pytest.raises(sqlite3.IntegrityError, match="append-only"):
        db.execute("DELETE FROM events")
    db.close()


def test_duplicate_number_is_refused_by_the_database(tmp_path: Path) -> None:
    db = open_writer_database(tmp_path / "rinda.sqlite3")
    row = (
        "t1",
        "A001",
        "A",
        1,
        "2026-11-23",
        "s",
        "s",
        "lv",
        0,
        "waiting",
        "2026-11-23T08:00:00+00:00",
    )
    insert = (
        "INSERT INTO tickets (id, number, prefix, seq, business_day, service_id, "
        "original_service_id, language, is_priority, status, issued_at) VALUES "
        "(?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"
    )
    db.execute(insert, row)
    with pytest.raises(sqlite3.IntegrityError, match="UNIQUE"):
        db.execute(insert, ("t2", *row[1:]))
    db.close()


def test_state_is_intact_after_a_restart(tmp_path: Path, clock: ManualClock) -> None:
    data = tmp_path / "data"
    catalogue = always_open()
    with RunningServer(data, clock=clock, catalogue=catalogue) as server:
        kiosk = server.add_device("k", "kiosk")
        server.add_user("anna", "clerk", counter_id="c1")
        clerk = server.login("anna")
        with server.client(kiosk) as http:
            tickets = [
                http.post("/tickets", json={"service_id": "residence"}).json() for _ in range(3)
            ]
        with server.client(clerk) as http:
            http.post("/counters/c1/open").raise_for_status()
            http.post("/counters/c1/call-next").raise_for_status()
        port = server.port
    clock.advance(timedelta(minutes=1))
    with RunningServer(data, clock=clock, catalogue=catalogue, port=port) as server:
        with server.client(kiosk) as http:
            snapshot = http.get("/queue").json()
            residence = next(s for s in snapshot["services"] if s["service_id"] == "residence")
            assert residence["waiting"] == 2
            c1 = next(c for c in snapshot["counters"] if c["id"] == "c1")
            assert c1["status"] == "open" and c1["current"]["id"] == tickets[0]["id"]
            assert (
                http.post("/tickets", json={"service_id": "residence"}).json()["number"] == "A004"
            )
        with server.client(clerk) as http:
            assert http.post(f"/tickets/{tickets[0]['id']}/start").json()["status"] == "serving"


def test_a_second_server_cannot_share_the_data_directory(tmp_path: Path) -> None:
    first = DataDirLock(tmp_path)
    first.acquire()
    with pytest.raises(DataDirLocked, match="Another Rinda server"):
        DataDirLock(tmp_path).acquire()
    first.release()
    again = DataDirLock(tmp_path)
    again.acquire()
    again.release()
    assert not database_path(tmp_path).exists()


def test_staff_commands_go_before_queued_kiosk_issues(tmp_path: Path) -> None:
    """A clerk's call must not wait behind a burst of tickets being issued; commands of
    one kind keep their order, and stopping finishes everything queued."""
    import threading

    from core.clock import SystemClock
    from server.store.writer import Writer

    writer = Writer(tmp_path / "rinda.sqlite3", SystemClock())
    writer.start()
    release = threading.Event()
    order: list[str] = []

    def job(name: str):
        def command(tx) -> str:
            if name == "busy":
                release.wait(5)
            order.append(name)
            return name

        return command

    first = writer.submit(job("busy"))
    futures = [writer.submit(job(f"issue-{n}"), bulk=True) for n in range(3)]
    futures.append(writer.submit(job("call")))
    futures.append(writer.submit(job("issue-3"), bulk=True))
    futures.append(writer.submit(job("finish")))
    release.set()
    writer.stop()
    assert first.result() == "busy" and all(f.done() for f in futures)
    assert order == ["busy", "call", "finish", "issue-0", "issue-1", "issue-2", "issue-3"]
