"""One shipper process of the network benchmark: it stands in for many centres at once.

Each centre it holds does what a centre's shipper does (`server.hub_link.shipper`), in
a thread of its own with an HTTP client of its own, as a centre does: say who it is
(`GET /session`), send its profile, ask where to resume, then send its log in batches
of `batch` events, each after the hub acknowledged the previous one. All its centres
do so at the same time, over real HTTP to the real hub.

Unlike a real centre, the day's log is prepared and encoded before the clock starts
(a real centre encodes each batch on its own machine, not on the hub's).
"""

from __future__ import annotations

import json
import threading
import time
from datetime import date
from multiprocessing.connection import Connection
from typing import Any

import httpx

from hub.simulated_logs import day_log, profile

PROFILE = profile()


def encoded_batches(log: list[dict[str, Any]], batch: int) -> list[tuple[int, int, bytes]]:
    """(after, through, body) of each batch of the log."""
    bodies = []
    for first in range(0, len(log), batch):
        part = log[first : first + batch]
        body = {"after": first, "through": first + len(part), "events": part}
        bodies.append((first, first + len(part), json.dumps(body, separators=(",", ":")).encode()))
    return bodies


def ship_centre(
    url: str, centre_id: str, token: str, batches: list[tuple[int, int, bytes]]
) -> dict[str, Any]:
    """Ship one centre's log; what it took."""
    latencies: list[float] = []
    failures: list[str] = []
    with httpx.Client(
        base_url=f"{url}/api/v1", headers={"Authorization": f"Bearer {token}"}, timeout=600
    ) as http:

        def ask(method: str, path: str, **options: Any) -> Any:
            while True:  # as a real shipper does: note a failure and try again
                began = time.perf_counter()
                try:
                    response = http.request(method, path, **options)
                except httpx.TransportError as exc:
                    failures.append(
                        f"{method} {path}: {type(exc).__name__} after "
                        f"{time.perf_counter() - began:.1f} s"
                    )
                    time.sleep(1.0)
                    continue
                if response.status_code == 200:
                    if method == "POST":
                        latencies.append(time.perf_counter() - began)
                    return response.json()
                failures.append(f"{method} {path}: answered {response.status_code}")
                time.sleep(1.0)

        me = ask("GET", "/session")
        assert me["username"] == centre_id, me
        ask("PUT", f"/centres/{centre_id}/profile", json=PROFILE)
        acknowledged = ask("GET", f"/centres/{centre_id}/position")["acknowledged_seq"]
        for _after, through, body in batches:
            if through > acknowledged:
                receipt = ask(
                    "POST",
                    f"/centres/{centre_id}/events",
                    content=body,
                    headers={"Content-Type": "application/json"},
                )
                acknowledged = receipt["acknowledged_seq"]
    return {
        "centre_id": centre_id,
        "acknowledged": acknowledged,
        "done_at": time.time(),
        "latencies": latencies,
        "retries": len(failures),
        "failures": failures,
    }


def run(
    url: str,
    centres: list[tuple[str, str, int]],
    day: date,
    batch: int,
    pipe: Connection,
) -> None:
    """Prepare every centre's day, say how many events, wait for the start, ship."""
    prepared = []
    events = 0
    for centre_id, token, seed in centres:
        log = day_log(centre_id, day, seed)
        events += len(log)
        prepared.append((centre_id, token, encoded_batches(log, batch)))
    pipe.send(("ready", events))
    assert pipe.recv() == "go"
    results: list[dict[str, Any]] = []
    threads = [
        threading.Thread(
            target=lambda args=args: results.append(ship_centre(url, *args)), daemon=True
        )
        for args in prepared
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    pipe.send(("done", results))
