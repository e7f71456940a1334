"""Storage faults are reported, not hidden: 503 with a code, /health says so, no crash."""

from __future__ import annotations

import signal
import sqlite3
from pathlib import Path

import httpx
import pytest

from tests.conftest import Staff
from tests.support.catalogues import single_service_toml
from tests.support.processes import free_port, rinda, start_server
from tests.support.running_server import RunningServer
from tests.support.unwritable import immutable, require_immutable_files

WAL = "rinda.sqlite3-wal"
SHM = "rinda.sqlite3-shm"
DB = "rinda.sqlite3"


def issue(server: RunningServer, token: str, key: str | None = None) -> tuple[int, dict]:
    headers = {"Idempotency-Key": key} if key else {}
    with server.client(token) as http:
        response = http.post(
            "/tickets", json={"service_id": "residence", "language": "lv"}, headers=headers
        )
        return response.status_code, response.json()


def health(server: RunningServer) -> tuple[int, dict]:
    with server.client() as http:
        response = http.get("/health")
        return response.status_code, response.json()


@pytest.mark.parametrize("name", [DB, WAL, "."])
def test_unwritable_store_file_refuses_writes_with_503_and_health_reports_it(
    server: RunningServer, staff: Staff, name: str
) -> None:
    require_immutable_files(server.data_dir)
    kiosk = staff.kiosk
    assert issue(server, kiosk)[0] == 201
    with immutable(server.data_dir / name):
        status, body = issue(server, kiosk, key="press-2")
        assert status == 503, body
        assert body["code"] == "storage_unavailable"
        assert body["problem"] == "read_only"
        code, report = health(server)
        assert code == 503
        assert report["status"] == "degraded"
        assert report["storage"]["problem"] == "read_only"
        assert report["storage"]["file"] == (server.data_dir.name if name == "." else name)
        assert "message" not in report["storage"], "no server paths for the public"
    # Repaired: the kiosk's retry with the same key goes through, once, and health is
    # ok again; the refused requests changed nothing (numbers go on from the first).
    status, ticket = issue(server, kiosk, key="press-2")
    assert status == 201
    assert ticket["number"].endswith("002")
    assert issue(server, kiosk, key="press-2") == (201, ticket)
    assert health(server)[1]["storage"] == {"status": "ok"}


@pytest.mark.slow
def test_unwritable_shm_index_is_reported_instead_of_a_bus_error(tmp_path: Path) -> None:
    """SQLite maps `-shm` into memory: writing to a page that can no longer be written
    kills the process with SIGBUS. The server must see it coming and say so."""
    require_immutable_files(tmp_path)
    data = tmp_path / "data"
    catalogue = tmp_path / "centre.toml"
    catalogue.write_text(single_service_toml(1))
    token = rinda(
        "devices", "add", "kiosk", "--role", "kiosk", "--data-dir", str(data)
    ).stdout.splitlines()[-1]
    port = free_port()
    process = start_server(data, port, catalogue)
    url = f"http://127.0.0.1:{port}/api/v1"
    headers = {"Authorization": f"Bearer {token}"}
    try:
        first = httpx.post(f"{url}/tickets", json={"service_id": "residence"}, headers=headers)
        assert first.status_code == 201
        with immutable(data / SHM):
            for _ in range(3):
                refused = httpx.post(
                    f"{url}/tickets", json={"service_id": "residence"}, headers=headers
                )
                assert refused.status_code == 503, refused.text
                assert refused.json()["code"] == "storage_unavailable"
                # Reads would write to the index too: refused as well, not a crash.
                read = httpx.get(f"{url}/tickets/{first.json()['id']}", headers=headers)
                assert read.status_code == 503
                report = httpx.get(f"{url}/health")
                assert report.status_code == 503
                assert report.json()["storage"]["file"] == SHM
            assert process.poll() is None, "the server is still running"
        again = httpx.post(f"{url}/tickets", json={"service_id": "residence"}, headers=headers)
        assert again.status_code == 201
        assert httpx.get(f"{url}/health").json()["status"] == "ok"
        # Stopping while the index cannot be written: closing the database would write
        # to it (a checkpoint), so the server leaves it for recovery at the next start.
        with immutable(data / SHM):
            assert httpx.get(f"{url}/health").status_code == 503
            process.send_signal(signal.SIGTERM)
            process.wait(timeout=30)
            assert process.returncode == 0, "a clean stop, no SIGBUS (-7)"
        process = start_server(data, port, catalogue)
        kept = httpx.get(f"{url}/tickets/{again.json()['id']}", headers=headers)
        assert kept.status_code == 200, "nothing acknowledged was lost"
    finally:
        process.send_signal(signal.SIGTERM)
        process.wait(timeout=30)
    assert process.returncode == 0


def test_disk_full_answers_503_and_clears_once_a_write_succeeds(
    server: RunningServer, staff: Staff
) -> None:
    """SQLITE_FULL, provoked by capping the database's size (a real full disk needs a
    file system of its own)."""
    kiosk = staff.kiosk
    assert issue(server, kiosk)[0] == 201
    assert server.ctx is not None
    writer = server.ctx.writer
    pages = writer.call(lambda tx: tx.execute("PRAGMA page_count").fetchone()[0])
    writer.call(lambda tx: tx.execute(f"PRAGMA max_page_count = {pages}"))
    issued = 1
    for _ in range(500):
        status, body = issue(server, kiosk)
        if status != 201:
            break
        issued += 1
    assert status == 503, body
    assert body == {
        "code": "storage_unavailable",
        "message": "The server cannot store data now: its disk is full. "
        "Nothing was changed; try again later.",
        "problem": "disk_full",
        "file": DB,
    }
    code, report = health(server)
    assert (code, report["storage"]["problem"]) == (503, "disk_full")
    # The fault stays reported (nothing cleared it) ...
    assert health(server)[0] == 503
    # ... until space returns and a write goes through.
    writer.call(lambda tx: tx.execute("PRAGMA max_page_count = 1000000"))
    status, ticket = issue(server, kiosk)
    assert status == 201
    assert int(ticket["number"][1:]) == issued + 1, "the refused issues took no number"
    assert health(server)[1]["storage"] == {"status": "ok"}


@pytest.mark.parametrize("name", [DB, WAL])
def test_store_file_removed_while_running_is_reported_not_written_to(
    server: RunningServer, staff: Staff, name: str
) -> None:
    """SQLite would go on writing into the removed file: acknowledged, then lost at restart."""
    kiosk = staff.kiosk
    assert issue(server, kiosk)[0] == 201
    path = server.data_dir / name
    moved = path.with_name(name + ".moved")
    path.rename(moved)
    try:
        status, body = issue(server, kiosk)
        assert (status, body["problem"]) == (503, "missing")
        assert health(server)[1]["storage"] == {
            "status": "fault",
            "problem": "missing",
            "file": name,
            "since": health(server)[1]["storage"]["since"],
        }
    finally:
        moved.rename(path)
    assert issue(server, kiosk)[0] == 201


def _start_and_fail(data: Path) -> str:
    """`rinda server` on `data` must stop at once with one line saying what is wrong."""
    result = rinda(
        "server",
        "--data-dir",
        str(data),
        "--host",
        "127.0.0.1",
        "--port",
        str(free_port()),
        "--no-advertise",
        check=False,
    )
    assert result.returncode == 2, result.stderr
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    assert lines[0].startswith("error: "), lines
    assert str(data) in lines[0]
    return lines[0]


def _new_store(data: Path) -> None:
    rinda("devices", "add", "kiosk", "--role", "kiosk", "--data-dir", str(data))


@pytest.mark.slow
def test_start_on_an_unwritable_data_directory_explains_in_one_line(tmp_path: Path) -> None:
    require_immutable_files(tmp_path)
    empty = tmp_path / "empty"
    empty.mkdir()
    with immutable(empty):
        line = _start_and_fail(empty)
    assert "cannot write in the data directory" in line
    assert "immutable" in line
    # Admin commands say the same in one line.
    with immutable(empty):
        result = rinda("devices", "list", "--data-dir", str(empty), check=False)
    assert result.returncode == 2
    assert result.stderr.count("\n") == 1 and "cannot write in the data directory" in result.stderr


@pytest.mark.slow
@pytest.mark.parametrize("name", [DB, SHM, "server.lock"])
def test_start_with_an_unwritable_store_file_explains_in_one_line(
    tmp_path: Path, name: str
) -> None:
    """A leftover `-shm` (after a crash) that cannot be written would be a SIGBUS."""
    require_immutable_files(tmp_path)
    data = tmp_path / "data"
    _new_store(data)
    (data / name).touch()
    with immutable(data / name):
        line = _start_and_fail(data)
    assert f"{data / name} cannot be written: immutable" in line


@pytest.mark.slow
def test_start_where_the_data_directory_cannot_be_made_or_used(tmp_path: Path) -> None:
    a_file = tmp_path / "a-file"
    a_file.write_text("not a directory")
    assert "is a file, not a directory" in _start_and_fail(a_file)
    assert "Not a directory" in _start_and_fail(a_file / "data")
    garbage = tmp_path / "garbage"
    garbage.mkdir()
    (garbage / DB).write_bytes(b"this is not a database, " * 100)
    line = _start_and_fail(garbage)
    assert "file is not a database" in line and "restore the database from a backup" in line


@pytest.mark.slow
def test_admin_command_on_a_database_held_by_another_program_says_so(tmp_path: Path) -> None:
    data = tmp_path / "data"
    _new_store(data)
    holder = sqlite3.connect(data / DB, isolation_level=None)
    holder.execute("BEGIN IMMEDIATE")  # as a long backup or a stuck program would
    try:
        result = rinda(
            "devices", "add", "kiosk-2", "--role", "kiosk", "--data-dir", str(data), check=False
        )
    finally:
        holder.execute("ROLLBACK")
        holder.close()
    assert result.returncode == 2
    assert result.stderr.startswith(f"error: cannot change the database {data / DB}: ")
    assert "another program holds the database" in result.stderr
    assert result.stderr.count("\n") == 1
