"""Backups while the centre works, and restoring them: nothing acknowledged is lost."""

from __future__ import annotations

import sqlite3
import threading
import time
from datetime import timedelta
from pathlib import Path

import pytest

from core.clock import ManualClock
from server.config import BackupSchedule
from server.store.backup import BackupError, back_up, backups, integrity_problems, restore
from server.store.database import DataDirLocked, database_path, migrate
from terminal.client import ClientError, RindaClient
from tests.support.catalogues import MONDAY_MORNING, always_open
from tests.support.processes import rinda
from tests.support.running_server import RunningServer

FORM = {
    "name": "Jānis Bērziņš",
    "personal_code": "120389-11220",
    "phone": "+371 20000000",
    "text": "Lūdzu izziņu par deklarēto dzīvesvietu.",
    "delivery": "in_person",
}


def _rows(path: Path, sql: str) -> list[tuple]:
    conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    try:
        return conn.execute(sql).fetchall()
    finally:
        conn.close()


@pytest.mark.slow
def test_backup_while_four_kiosks_issue_then_restore_keeps_every_acknowledged_ticket(
    tmp_path: Path,
) -> None:
    data, backup_dir = tmp_path / "data", tmp_path / "backups"
    server = RunningServer(data, catalogue=always_open()).start()
    try:
        token = server.add_device("kiosk-1", "kiosk")
        with server.client(token) as http:
            lodged = http.post(
                "/applications",
                json={
                    "type_id": "certificate-request",
                    "language": "lv",
                    "fields": FORM,
                    "consent": True,
                },
            )
        assert lodged.status_code == 201, lodged.text
        acknowledged: list[tuple[float, dict]] = []
        lock = threading.Lock()
        stop = threading.Event()

        def kiosk(index: int) -> None:
            client = RindaClient(server.url, token)
            attempt = 0
            try:
                while not stop.is_set():
                    attempt += 1
                    try:
                        ticket = client.issue_ticket(
                            "residence", "lv", False, f"k{index}-{attempt}"
                        )
                    except ClientError:
                        continue
                    with lock:
                        acknowledged.append((time.monotonic(), ticket))
            finally:
                client.close()

        threads = [threading.Thread(target=kiosk, args=(i,)) for i in range(4)]
        for thread in threads:
            thread.start()
        deadline = time.monotonic() + 60
        while len(acknowledged) < 40 and time.monotonic() < deadline:
            time.sleep(0.01)
        backup_started = time.monotonic()
        made = rinda("backup", "--to", str(backup_dir), "--data-dir", str(data))
        issued_during = len(acknowledged)
        while len(acknowledged) < issued_during + 20 and time.monotonic() < deadline:
            time.sleep(0.01)  # the kiosks go on after the backup, too
        stop.set()
        for thread in threads:
            thread.join()
    finally:
        server.stop()
    assert "integrity check ok" in made.stdout
    before_backup = [ticket for at, ticket in acknowledged if at < backup_started]
    assert len(before_backup) >= 40
    [backup] = backups(backup_dir)
    live_events = _rows(database_path(data), "SELECT seq, type, data FROM events ORDER BY seq")
    live_tickets = dict(_rows(database_path(data), "SELECT id, number FROM tickets"))

    result = rinda("restore", str(backup.path), "--data-dir", str(data))
    assert "integrity check ok" in result.stdout
    assert integrity_problems(database_path(data)) == []
    restored_events = _rows(database_path(data), "SELECT seq, type, data FROM events ORDER BY seq")
    # The backup is the log as of one commit: an exact prefix of the live log.
    assert restored_events == live_events[: len(restored_events)]
    restored_tickets = dict(_rows(database_path(data), "SELECT id, number FROM tickets"))
    assert restored_tickets.items() <= live_tickets.items()
    assert len(restored_tickets) < len(live_tickets), "tickets were issued after the backup"
    assert [p.name for p in data.iterdir() if ".replaced-" in p.name], "the old database is kept"

    with RunningServer(data, catalogue=always_open()) as again, again.client(token) as http:
        for ticket in before_backup:
            stored = http.get(f"/tickets/{ticket.id}")
            assert stored.status_code == 200, ticket
            assert stored.json()["number"] == ticket.number
        issued = http.post("/tickets", json={"service_id": "residence"})
    assert issued.status_code == 201
    assert issued.json()["number"] not in restored_tickets.values(), "numbering continues"
    applications = _rows(database_path(data), "SELECT id, registration_number FROM applications")
    assert applications == [(lodged.json()["id"], lodged.json()["registration_number"])]


def test_restore_refuses_while_a_server_uses_the_data_dir(tmp_path: Path, clock) -> None:
    data = tmp_path / "data"
    data.mkdir()
    migrate(database_path(data))
    made = back_up(data, tmp_path / "backups", now=clock.now())
    with RunningServer(data, clock=clock, catalogue=always_open()):
        before = database_path(data).stat().st_ino
        with pytest.raises(DataDirLocked):
            restore(made.path, data, now=clock.now())
        result = rinda("restore", str(made.path), "--data-dir", str(data), check=False)
        assert result.returncode == 2
        assert "Another Rinda server is using" in result.stderr
        assert database_path(data).stat().st_ino == before
        assert not [p for p in data.iterdir() if ".replaced-" in p.name or "restoring" in p.name]


@pytest.mark.parametrize(
    ("content", "problem"),
    [
        (b"not a database at all" * 100, "not a readable SQLite database"),
        (None, "is not a Rinda database"),
    ],
)
def test_restore_refuses_a_file_that_is_not_a_sound_rinda_database(
    tmp_path: Path, clock, content: bytes | None, problem: str
) -> None:
    data = tmp_path / "data"
    data.mkdir()
    migrate(database_path(data))
    before = database_path(data).read_bytes()
    bad = tmp_path / "bad.sqlite3"
    if content is None:
        sqlite3.connect(bad).execute("CREATE TABLE something (x)").connection.close()
    else:
        bad.write_bytes(content)
    with pytest.raises(BackupError, match=problem):
        restore(bad, data, now=clock.now())
    result = rinda("restore", str(bad), "--data-dir", str(data), check=False)
    assert result.returncode == 2 and problem in result.stderr
    assert database_path(data).read_bytes() == before
    assert sorted(p.name for p in data.iterdir()) == ["rinda.sqlite3"]


def test_restore_refuses_a_damaged_backup(tmp_path: Path, clock) -> None:
    data = tmp_path / "data"
    data.mkdir()
    migrate(database_path(data))
    made = back_up(data, tmp_path / "backups", now=clock.now())
    damaged = bytearray(made.path.read_bytes())
    page_size = 4096
    damaged[page_size * 2 : page_size * 2 + 200] = b"\xff" * 200  # a b-tree page overwritten
    made.path.write_bytes(bytes(damaged))
    assert integrity_problems(made.path)
    with pytest.raises(BackupError, match="cannot be restored"):
        restore(made.path, data, now=clock.now())


def test_a_backup_from_a_newer_rinda_is_refused(tmp_path: Path, clock) -> None:
    data = tmp_path / "data"
    data.mkdir()
    migrate(database_path(data))
    made = back_up(data, tmp_path / "backups", now=clock.now())
    conn = sqlite3.connect(made.path)
    conn.execute(
        "INSERT INTO _sqlite_migrations (migration_set, name, applied_at) "
        "VALUES ('rinda', 'm999_from_the_future', '2030-01-01')"
    )
    conn.commit()
    conn.close()
    with pytest.raises(BackupError, match="newer Rinda"):
        restore(made.path, data, now=clock.now())


def test_backups_are_rotated_and_named_by_time(tmp_path: Path, clock) -> None:
    data = tmp_path / "data"
    data.mkdir()
    migrate(database_path(data))
    for hour in range(5):
        back_up(data, tmp_path / "b", now=MONDAY_MORNING + timedelta(hours=hour), keep=3)
    kept = backups(tmp_path / "b")
    assert [b.taken_at for b in kept] == [MONDAY_MORNING + timedelta(hours=h) for h in (2, 3, 4)]
    assert kept[0].path.name == "rinda-20261123T100000Z.sqlite3"
    assert sorted(p.name for p in (tmp_path / "b").iterdir()) == [b.path.name for b in kept]
    # Two in the same second do not overwrite each other.
    back_up(data, tmp_path / "b", now=MONDAY_MORNING + timedelta(hours=4), keep=10)
    assert len(backups(tmp_path / "b")) == 4


def test_backup_into_an_unwritable_place_fails_cleanly(tmp_path: Path, clock) -> None:
    data = tmp_path / "data"
    data.mkdir()
    migrate(database_path(data))
    blocker = tmp_path / "file"
    blocker.write_text("")
    result = rinda("backup", "--to", str(blocker / "sub"), "--data-dir", str(data), check=False)
    assert result.returncode == 2 and "cannot create" in result.stderr
    result = rinda(
        "backup", "--to", str(tmp_path / "b"), "--data-dir", str(tmp_path / "nowhere"), check=False
    )
    assert result.returncode == 2 and "no database at" in result.stderr


def test_the_server_backs_up_on_its_schedule(tmp_path: Path) -> None:
    clock = ManualClock(MONDAY_MORNING)
    schedule = BackupSchedule(tmp_path / "b", every=timedelta(hours=24), keep=2, check_seconds=0.02)

    def wait_for(count: int) -> list:
        deadline = time.monotonic() + 20
        while len(found := backups(schedule.directory)) != count:
            assert time.monotonic() < deadline, f"expected {count} backups, have {len(found)}"
            time.sleep(0.02)
        return found

    with RunningServer(tmp_path / "data", clock=clock, catalogue=always_open(), backup=schedule):
        assert [b.taken_at for b in wait_for(1)] == [MONDAY_MORNING]
        clock.advance(timedelta(hours=23))
        time.sleep(0.2)  # ten checks pass; none is due yet
        assert len(backups(schedule.directory)) == 1
        clock.advance(timedelta(hours=1))
        wait_for(2)
        clock.advance(timedelta(hours=24))
        expected = [MONDAY_MORNING + timedelta(hours=h) for h in (24, 48)]
        deadline = time.monotonic() + 20
        # keep=2: the oldest goes once the newest is written
        while [b.taken_at for b in backups(schedule.directory)] != expected:
            assert time.monotonic() < deadline, backups(schedule.directory)
            time.sleep(0.02)
    # A restarted server does not back up again before one is due.
    with RunningServer(tmp_path / "data", clock=clock, catalogue=always_open(), backup=schedule):
        time.sleep(0.2)
        assert backups(schedule.directory)[-1].taken_at == MONDAY_MORNING + timedelta(hours=48)
