"""The network hub link, measured: how fast the hub ingests, and whether a centre's own
commands are any slower with a hub configured, up, down or silent.

    .venv/bin/python bench/hub_link.py [--events 60000] [--batch 500] [--centres 4]
                                       [--commands 400]

1. Ingest: starts a private PostgreSQL cluster and `rinda hub` (its own process), then
   `--centres` simulated centres ship `--events` events between them concurrently, in
   batches of `--batch` (each visit: issued, called, started, finished, half rated).
   Prints events/s, the time per batch (p50/p95) and one large batch of 2000.
2. Local latency: starts `rinda server` (a one-service centre) four times: without a
   hub, with the hub up (shipping as commands run), with the hub down (connection
   refused, retrying), and with a link that accepts connections but passes nothing.
   All four run at once and a clerk-and-kiosk loop sends `--commands` commands to each
   (issue, call next, start, finish), alternating between them in rounds of 20 so that
   the machine's other load falls on every condition alike; prints the per-command
   latency p50/p95/p99.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

import httpx

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from core.histogram import percentile  # noqa: E402
from hub.private_cluster import Cluster  # noqa: E402
from server.admin import run_admin  # noqa: E402
from server.auth import Role  # noqa: E402
from server.commands.admin import add_device, add_user  # noqa: E402
from tests.support.catalogues import single_service_toml  # noqa: E402
from tests.support.link_proxy import LinkProxy  # noqa: E402
from tests.support.processes import RINDA, free_port  # noqa: E402
from tests.support.running_hub import HubProcess  # noqa: E402

PASSWORD = "bench password"


def visit_events(centre: str, visits: int) -> list[dict]:
    """A centre's log: each visit issued, called, started and finished; every other rated."""
    start = datetime(2026, 11, 23, 6, tzinfo=UTC)
    events: list[dict] = []

    def add(kind: str, at: datetime, ticket: dict | None, **data: object) -> None:
        body = {"ticket": dict(ticket)} if ticket is not None else dict(data)
        events.append(
            {
                "seq": len(events) + 1,
                "type": kind,
                "at": at.isoformat(),
                "schema_version": 1,
                "ticket_id": ticket["id"] if ticket else data.get("ticket_id"),
                "data": body if ticket else {"rating": data["rating"]},
            }
        )

    for n in range(visits):
        issued = start + timedelta(seconds=20 * n)
        ticket = {
            "id": f"{centre}-{n}",
            "original_service_id": ("residence", "certificates", "council")[n % 3],
            "status": "waiting",
            "issued_at": issued.isoformat(),
            "target_wait_seconds": 900,
            "walk_direct": False,
        }
        add("ticket.issued", issued, ticket)
        called = issued + timedelta(seconds=60 + n % 900)
        ticket.update(status="called", first_called_at=called.isoformat(), counter_id="c1")
        add("ticket.called", called, ticket)
        ticket.update(status="serving", started_at=(called + timedelta(seconds=30)).isoformat())
        add("ticket.started", called + timedelta(seconds=30), ticket)
        finished = called + timedelta(seconds=30 + 200 + n % 300)
        ticket.update(status="done", finished_at=finished.isoformat())
        add("ticket.finished", finished, ticket)
        if n % 2:
            add("feedback.given", finished, None, ticket_id=ticket["id"], rating=1 + n % 5)
    return events


def ship(url: str, centre: str, token: str, events: list[dict], batch: int, times: list[float]):
    with httpx.Client(
        base_url=f"{url}/api/v1", headers={"Authorization": f"Bearer {token}"}, timeout=120
    ) as http:
        http.put(
            f"/centres/{centre}/profile", json={"timezone": "Europe/Riga", "counters": 1}
        ).raise_for_status()
        for first in range(0, len(events), batch):
            part = events[first : first + batch]
            began = time.perf_counter()
            response = http.post(
                f"/centres/{centre}/events",
                json={"after": first, "through": first + len(part), "events": part},
            )
            response.raise_for_status()
            times.append(time.perf_counter() - began)


def bench_ingest(cluster: Cluster, args: argparse.Namespace) -> None:
    dsn = cluster.create_database()
    hub = HubProcess(dsn, free_port()).start()
    try:
        per_centre = args.events // args.centres
        logs = {
            f"centre-{i}": visit_events(f"centre-{i}", per_centre * 2 // 9)
            for i in range(args.centres)
        }
        tokens = {centre: hub.add_centre(centre, "Bench") for centre in logs}
        times: list[float] = []
        total = sum(len(log) for log in logs.values())
        began = time.perf_counter()
        threads = [
            threading.Thread(target=ship, args=(hub.url, c, tokens[c], logs[c], args.batch, times))
            for c in logs
        ]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        elapsed = time.perf_counter() - began
        print(
            f"ingest: {total} events from {args.centres} centres in {elapsed:.1f} s "
            f"= {total / elapsed:.0f} events/s (batches of {args.batch}: "
            f"p50 {percentile(times, 0.5) * 1000:.0f} ms, p95 {percentile(times, 0.95) * 1000:.0f} ms)"
        )
        big = visit_events("big", 450)[:2000]
        token = hub.add_centre("big", "Bench")
        single: list[float] = []
        ship(hub.url, "big", token, big, 2000, single)
        print(
            f"ingest: one batch of {len(big)} events in {single[0] * 1000:.0f} ms "
            f"= {len(big) / single[0]:.0f} events/s"
        )
    finally:
        hub.stop()


def centre_process(data_dir: Path, port: int, catalogue: Path, hub: list[str]) -> subprocess.Popen:
    args = [
        *RINDA,
        "server",
        "--data-dir",
        str(data_dir),
        "--catalogue",
        str(catalogue),
        "--host",
        "127.0.0.1",
        "--port",
        str(port),
        "--no-advertise",
        *hub,
    ]
    process = subprocess.Popen(
        args, env={**os.environ, "PYTHONUNBUFFERED": "1"}, stderr=subprocess.DEVNULL
    )
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        try:
            if httpx.get(f"http://127.0.0.1:{port}/api/v1/health", timeout=0.5).status_code == 200:
                return process
        except httpx.TransportError:
            time.sleep(0.05)
    process.kill()
    raise RuntimeError("centre did not start")


class Centre:
    """A `rinda server` process with a clerk and a kiosk, timing each command."""

    def __init__(self, workdir: Path, label: str, hub: list[str]) -> None:
        self.label = label
        catalogue = workdir / "catalogue.toml"
        catalogue.write_text(single_service_toml(1), "utf-8")
        data_dir = workdir / label

        def accounts(tx):
            add_user(tx, "clerk", Role.CLERK, PASSWORD, counter_id="c1")
            return add_device(tx, "kiosk", Role.KIOSK)

        kiosk_token = run_admin(data_dir, accounts)
        port = free_port()
        self.process = centre_process(data_dir, port, catalogue, hub)
        self.base = f"http://127.0.0.1:{port}/api/v1"
        session = httpx.post(
            f"{self.base}/session", json={"username": "clerk", "password": PASSWORD}
        )
        self.kiosk = httpx.Client(
            base_url=self.base, headers={"Authorization": f"Bearer {kiosk_token}"}
        )
        self.clerk = httpx.Client(
            base_url=self.base, headers={"Authorization": f"Bearer {session.json()['token']}"}
        )
        self.clerk.post("/counters/c1/open").raise_for_status()
        self.latencies: list[float] = []

    def _timed(self, client: httpx.Client, path: str, body: dict | None = None) -> dict:
        began = time.perf_counter()
        response = client.post(path, json=body)
        self.latencies.append(time.perf_counter() - began)
        response.raise_for_status()
        return response.json()

    def visits(self, count: int) -> None:
        """Issue, call next, start, finish: four commands a visit."""
        for _ in range(count):
            self._timed(self.kiosk, "/tickets", {"service_id": "residence", "language": "lv"})
            ticket = self._timed(self.clerk, "/counters/c1/call-next")
            self._timed(self.clerk, f"/tickets/{ticket['id']}/start")
            self._timed(self.clerk, f"/tickets/{ticket['id']}/finish", {})

    def report(self) -> None:
        link = httpx.get(f"{self.base}/health").json()["hub_link"]
        ms = [value * 1000 for value in self.latencies]
        state = f"link {link['state']}, lag {link['lag_events']} events" if link else "no hub"
        print(
            f"local commands, {self.label:<12} n={len(ms)}: p50 {percentile(ms, 0.5):.1f} ms, "
            f"p95 {percentile(ms, 0.95):.1f} ms, p99 {percentile(ms, 0.99):.1f} ms, "
            f"mean {statistics.fmean(ms):.1f} ms ({state})"
        )

    def close(self) -> None:
        self.kiosk.close()
        self.clerk.close()
        self.process.terminate()
        self.process.wait(timeout=15)


def bench_latency(cluster: Cluster, args: argparse.Namespace) -> None:
    """All four centres run at once; rounds alternate between them, so the machine's
    other load falls on every condition alike."""
    dsn = cluster.create_database()
    hub = HubProcess(dsn, free_port()).start()
    centres: list[Centre] = []
    try:
        with (
            tempfile.TemporaryDirectory(prefix="rinda-bench-") as tmp,
            LinkProxy(hub.port) as proxy,
        ):
            workdir = Path(tmp)
            proxy.set_mode("stall")
            closed = f"http://127.0.0.1:{free_port()}"
            for label, url in (
                ("no-hub", None),
                ("hub-up", hub.url),
                ("hub-down", closed),
                ("link-silent", proxy.url),
            ):
                link = ["--hub", url, "--hub-token", hub.add_centre(label, "Bench")] if url else []
                centres.append(Centre(workdir, label, link))
            rounds = max(1, args.commands // 20)
            for _ in range(rounds):
                for centre in centres:
                    centre.visits(5)
            for centre in centres:
                centre.report()
    finally:
        for centre in centres:
            centre.close()
        hub.stop()


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--events", type=int, default=60000)
    parser.add_argument("--batch", type=int, default=500)
    parser.add_argument("--centres", type=int, default=4)
    parser.add_argument("--commands", type=int, default=400)
    parser.add_argument("--skip-ingest", action="store_true")
    parser.add_argument("--skip-latency", action="store_true")
    args = parser.parse_args()
    cluster = Cluster().start()
    try:
        if not args.skip_ingest:
            bench_ingest(cluster, args)
        if not args.skip_latency:
            bench_latency(cluster, args)
    finally:
        cluster.stop()


if __name__ == "__main__":
    main()
