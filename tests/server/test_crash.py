"""kill -9 during concurrent issuance: every acknowledged ticket survives, numbering continues."""

from __future__ import annotations

import signal
import sqlite3
import threading
import time
from pathlib import Path

import httpx
import pytest

from server.store.database import database_path
from tests.support.catalogues import single_service_toml
from tests.support.processes import free_port, rinda, start_server

pytestmark = pytest.mark.slow


def test_acknowledged_tickets_survive_kill_9(tmp_path: Path) -> None:
    data = tmp_path / "data"
    catalogue = tmp_path / "centre.toml"
    catalogue.write_text(single_service_toml(2))
    token = rinda(
        "devices", "add", "kiosk", "--role", "kiosk", "--data-dir", str(data)
    ).stdout.splitlines()[-1]
    port = free_port()
    server = start_server(data, port, catalogue)
    url = f"http://127.0.0.1:{port}/api/v1"
    acknowledged: list[dict] = []
    lock = threading.Lock()
    stop = threading.Event()

    def kiosk(index: int) -> None:
        with httpx.Client(
            base_url=url, headers={"Authorization": f"Bearer {token}"}, timeout=5
        ) as http:
            attempt = 0
            while not stop.is_set():
                attempt += 1
                try:
                    response = http.post(
                        "/tickets",
                        json={"service_id": "residence"},
                        headers={"Idempotency-Key": f"kiosk{index}-{attempt}"},
                    )
                except httpx.TransportError:
                    return
                if response.status_code == 201:
                    with lock:
                        acknowledged.append(response.json())

    threads = [threading.Thread(target=kiosk, args=(i,)) for i in range(8)]
    for thread in threads:
        thread.start()
    deadline = time.monotonic() + 20
    while len(acknowledged) < 200 and time.monotonic() < deadline:
        time.sleep(0.01)
    server.send_signal(signal.SIGKILL)
    server.wait()
    stop.set()
    for thread in threads:
        thread.join()
    assert len(acknowledged) >= 200

    server = start_server(data, port, catalogue)
    try:
        with httpx.Client(base_url=url, headers={"Authorization": f"Bearer {token}"}) as http:
            for ticket in acknowledged:
                stored = http.get(f"/tickets/{ticket['id']}").json()
                assert stored["number"] == ticket["number"] and stored["status"] == "waiting"
            after = http.post("/tickets", json={"service_id": "residence"}).json()
    finally:
        server.send_signal(signal.SIGTERM)
        server.wait(timeout=20)
    assert server.returncode == 0, "SIGTERM shuts the server down cleanly"
    conn = sqlite3.connect(database_path(data))
    seqs = [row[0] for row in conn.execute("SELECT seq FROM tickets ORDER BY seq")]
    conn.close()
    assert len(seqs) == len(set(seqs)), "no duplicate number"
    assert seqs == list(range(1, len(seqs) + 1)), "no gap: every committed number is kept"
    assert int(after["number"][1:]) == len(seqs), "numbering continues after the last stored"
    assert len(seqs) >= len(acknowledged)
