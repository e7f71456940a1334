"""8 kiosks issue 500 tickets for one service while 4 counters call next."""

from __future__ import annotations

import sqlite3
import threading
from collections import Counter
from pathlib import Path

from core.catalogue import load_catalogue_text
from core.clock import ManualClock
from server.store.database import database_path
from tests.support.catalogues import single_service_toml
from tests.support.running_server import RunningServer

TICKETS = 500
KIOSKS = 8
COUNTERS = 4


def test_concurrent_issue_and_call_next_never_duplicates(
    tmp_path: Path, clock: ManualClock
) -> None:
    catalogue = load_catalogue_text(single_service_toml(COUNTERS))
    with RunningServer(tmp_path / "d", clock=clock, catalogue=catalogue) as server:
        kiosk_token = server.add_device("kiosk", "kiosk")
        server.add_user("boss", "manager")
        manager = server.login("boss")
        issued: list[dict] = []
        called: list[tuple[str, str]] = []
        lock = threading.Lock()
        done_issuing = threading.Event()
        errors: list[str] = []

        def kiosk(share: int) -> None:
            with server.client(kiosk_token) as http:
                for _ in range(share):
                    response = http.post("/tickets", json={"service_id": "residence"})
                    if response.status_code != 201:
                        errors.append(response.text)
                        continue
                    with lock:
                        issued.append(response.json())

        def desk(counter_id: str) -> None:
            with server.client(manager) as http:
                http.post(f"/counters/{counter_id}/open").raise_for_status()
                while True:
                    response = http.post(f"/counters/{counter_id}/call-next")
                    if response.status_code == 204:
                        if done_issuing.is_set():
                            # One more look: something may have arrived meanwhile.
                            if http.post(f"/counters/{counter_id}/call-next").status_code == 204:
                                return
                            continue
                        continue
                    if response.status_code != 200:
                        errors.append(response.text)
                        return
                    ticket = response.json()
                    with lock:
                        called.append((ticket["id"], counter_id))
                    for action in ("start", "finish"):
                        http.post(f"/tickets/{ticket['id']}/{action}").raise_for_status()

        kiosks = [
            threading.Thread(target=kiosk, args=(TICKETS // KIOSKS + (i < TICKETS % KIOSKS),))
            for i in range(KIOSKS)
        ]
        desks = [threading.Thread(target=desk, args=(f"c{i}",)) for i in range(1, COUNTERS + 1)]
        for thread in kiosks + desks:
            thread.start()
        for thread in kiosks:
            thread.join()
        done_issuing.set()
        for thread in desks:
            thread.join(timeout=120)
        assert not errors, errors[:3]

        numbers = [t["number"] for t in issued]
        assert len(numbers) == TICKETS
        assert len(set(numbers)) == TICKETS, "a number was issued twice"
        assert sorted(int(n[1:]) for n in numbers) == list(range(1, TICKETS + 1))
        ids = [ticket_id for ticket_id, _ in called]
        duplicates = [i for i, c in Counter(ids).items() if c > 1]
        assert not duplicates, f"called twice: {duplicates[:5]}"
        assert set(ids) == {t["id"] for t in issued}, "every ticket is called"
        assert len({counter for _, counter in called}) == COUNTERS

    conn = sqlite3.connect(database_path(tmp_path / "d"))
    rows = conn.execute("SELECT status, COUNT(*) FROM tickets GROUP BY status").fetchall()
    calls = conn.execute("SELECT COUNT(*) FROM events WHERE type = 'ticket.called'").fetchone()[0]
    conn.close()
    assert rows == [("done", TICKETS)]
    assert calls == TICKETS
