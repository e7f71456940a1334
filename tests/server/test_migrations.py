"""Upgrades: a database at every earlier schema version, holding a centre's real data,
migrates to the current schema with nothing lost, and a server runs on it.

The data is made by a real server (tickets issued, called, served and rated,
applications lodged and handled, users signed in, devices, opening-hours
exceptions); for each earlier version the rows are loaded into a database
migrated only that far, column by column as that version has them. A migration
that changes existing data rather than adding to it needs its own check here.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from sqlite_utils import Database

from core.clock import ManualClock
from server.store.database import SchemaTooNew, database_path, migrate
from server.store.schema import migration_names, migrations
from tests.conftest import Staff
from tests.server.test_stats import serve
from tests.support.catalogues import MONDAY_MORNING, always_open
from tests.support.processes import free_port, rinda
from tests.support.running_server import RunningServer

INTERNAL_TABLES = {"_sqlite_migrations", "sqlite_sequence"}
FORM = {
    "name": "Jānis Bērziņš",
    "personal_code": "120389-11220",
    "phone": "+371 20000000",
    "text": "Lūdzu izziņu par deklarēto dzīvesvietu.",
    "delivery": "in_person",
}


@dataclass
class CentreData:
    """A day's worth of real rows, table by table, and the credentials behind them."""

    tables: dict[str, tuple[list[str], list[tuple[Any, ...]]]]
    kiosk_token: str
    last_number: str


def _tables(path: Path) -> dict[str, tuple[list[str], list[tuple[Any, ...]]]]:
    conn = sqlite3.connect(path)
    try:
        names = [
            row[0]
            for row in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")
            if row[0] not in INTERNAL_TABLES
        ]
        result = {}
        for name in names:
            cursor = conn.execute(f"SELECT * FROM {name} ORDER BY rowid")
            result[name] = ([d[0] for d in cursor.description], cursor.fetchall())
        return result
    finally:
        conn.close()


@pytest.fixture(scope="module")
def centre_data(tmp_path_factory: pytest.TempPathFactory) -> CentreData:
    data_dir = tmp_path_factory.mktemp("centre") / "data"
    clock = ManualClock(MONDAY_MORNING)
    with RunningServer(data_dir, clock=clock, catalogue=always_open()) as server:
        staff = Staff(server)
        served = [serve(server, staff, clock, wait=60 * i, service=300) for i in (1, 2, 3)]
        with server.client(staff.feedback) as http:
            assert http.post("/feedback", json={"ticket_id": served[0]["id"], "rating": 4})
        with server.client(staff.kiosk) as http:
            waiting = http.post("/tickets", json={"service_id": "residence"}).json()
            lodged = http.post(
                "/applications",
                json={
                    "type_id": "certificate-request",
                    "language": "lv",
                    "fields": FORM,
                    "consent": True,
                },
            ).json()
        server.add_user("inese", "clerk", department_id="registry")
        with server.client(server.login("inese")) as http:
            step = http.post(f"/applications/{lodged['id']}/status", json={"status": "in_progress"})
            assert step.status_code == 200, step.text
        assert staff.manager
        kiosk_token = staff.kiosk
    assert waiting["number"]
    path = database_path(data_dir)
    tables = _tables(path)
    for table in (
        "tickets",
        "events",
        "applications",
        "application_history",
        "feedback",
        "users",
        "sessions",
        "devices",
    ):
        assert tables[table][1], f"the fixture should hold {table}"
    return CentreData(tables, kiosk_token, waiting["number"])


def _schema(path: Path) -> dict[str, Any]:
    conn = sqlite3.connect(path)
    try:
        shape: dict[str, Any] = {}
        for kind, name, table in conn.execute(
            "SELECT type, name, tbl_name FROM sqlite_master WHERE name NOT LIKE 'sqlite_%'"
        ):
            if kind == "table":
                shape[f"table {name}"] = conn.execute(f"PRAGMA table_info({name})").fetchall()
            elif kind == "index":
                shape[f"index {name}"] = (
                    table,
                    conn.execute(f"PRAGMA index_info({name})").fetchall(),
                )
            else:
                shape[f"{kind} {name}"] = table
        return shape
    finally:
        conn.close()


def _database_at(path: Path, version: int) -> None:
    """A database with only the first `version` migrations applied."""
    db = Database(sqlite3.connect(path))
    migrations.apply(db, stop_before=migration_names()[version])
    db.close()


def _load(path: Path, data: CentreData) -> dict[str, list[str]]:
    """Load the rows into the database as its version has them; returns the columns
    of each table at that version."""
    conn = sqlite3.connect(path)
    try:
        conn.execute("PRAGMA foreign_keys=OFF")
        columns_at_version: dict[str, list[str]] = {}
        for (table,) in conn.execute(
            "SELECT name FROM sqlite_master WHERE type = 'table'"
        ).fetchall():
            if table in INTERNAL_TABLES:
                continue
            present = [row[1] for row in conn.execute(f"PRAGMA table_info({table})")]
            columns, rows = data.tables[table]
            kept = [c for c in columns if c in present]
            indexes = [columns.index(c) for c in kept]
            conn.executemany(
                f"INSERT INTO {table} ({', '.join(kept)}) VALUES ({', '.join('?' * len(kept))})",
                [tuple(row[i] for i in indexes) for row in rows],
            )
            columns_at_version[table] = kept
        conn.commit()
        return columns_at_version
    finally:
        conn.close()


def earlier_versions() -> Iterator[Any]:
    names = migration_names()
    for version in range(1, len(names)):
        yield pytest.param(version, id=f"from-{names[version - 1]}")


@pytest.mark.parametrize("version", list(earlier_versions()))
def test_every_earlier_schema_migrates_with_its_data(
    tmp_path: Path, centre_data: CentreData, version: int
) -> None:
    fresh = tmp_path / "fresh.sqlite3"
    migrate(fresh)
    data_dir = tmp_path / "data"
    data_dir.mkdir()
    path = database_path(data_dir)
    _database_at(path, version)
    assert len(migrations.applied(Database(path))) == version
    old_columns = _load(path, centre_data)

    migrate(path)

    assert _schema(path) == _schema(fresh), "an upgraded database has the fresh schema"
    conn = sqlite3.connect(path)
    assert conn.execute("PRAGMA integrity_check").fetchone() == ("ok",)
    assert conn.execute("PRAGMA foreign_key_check").fetchall() == []
    conn.close()
    upgraded = _tables(path)
    for table, kept in old_columns.items():
        columns, rows = centre_data.tables[table]
        now_columns, now_rows = upgraded[table]
        assert len(now_rows) == len(rows), table
        for column in kept:
            before = [row[columns.index(column)] for row in rows]
            after = [row[now_columns.index(column)] for row in now_rows]
            assert after == before, f"{table}.{column} changed in the upgrade"
        if table == "sessions" and "last_seen_at" not in kept:
            created = [row[now_columns.index("created_at")] for row in now_rows]
            assert [row[now_columns.index("last_seen_at")] for row in now_rows] == created

    # A server runs on the upgraded database: the old device token issues the next
    # number, the old event log resumes after its last event.
    clock = ManualClock(MONDAY_MORNING)
    with RunningServer(data_dir, clock=clock, catalogue=always_open()) as server:
        token = (
            centre_data.kiosk_token
            if "devices" in old_columns
            else server.add_device("kiosk-new", "kiosk")
        )
        with server.client(token) as http:
            issued = http.post("/tickets", json={"service_id": "residence"})
            assert issued.status_code == 201, issued.text
            last = int(centre_data.last_number.lstrip("ABCDEFGHIJKLMNOPQRSTUVWXYZ"))
            assert issued.json()["number"].endswith(f"{last + 1:03d}")
        events = _tables(path)["events"][1]
        assert len(events) > len(centre_data.tables["events"][1])


def test_an_older_rinda_refuses_a_database_a_newer_one_upgraded(tmp_path: Path) -> None:
    data_dir = tmp_path / "data"
    data_dir.mkdir()
    path = database_path(data_dir)
    migrate(path)
    conn = sqlite3.connect(path)
    conn.execute(
        "INSERT INTO _sqlite_migrations (migration_set, name, applied_at) "
        "VALUES ('rinda', 'm999_from_the_future', '2030-01-01')"
    )
    conn.commit()
    conn.close()
    before = path.read_bytes()
    with pytest.raises(SchemaTooNew, match="m999_from_the_future"):
        RunningServer(data_dir, catalogue=always_open()).start()
    port = free_port()
    result = rinda(
        "server",
        "--data-dir",
        str(data_dir),
        "--host",
        "127.0.0.1",
        "--port",
        str(port),
        "--no-advertise",
        check=False,
    )
    assert result.returncode == 2
    assert "upgraded by a newer Rinda" in result.stderr
    assert path.read_bytes() == before
