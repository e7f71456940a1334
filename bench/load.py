"""Load benchmark of the centre server over HTTP on loopback, against the limit.

    .venv/bin/python bench/load.py [--kiosks 8] [--counters 4] [--listeners 20]
                                   [--seconds 10] [--rounds 3] [--json]

Each round measures, one after another on the same machine and with the same client:
  * `limit`: the bare one-insert-per-request server of `bench/limit.py`;
  * `rinda`: `rinda server` (a one-service centre, SQLite with synchronous=FULL) with
    N kiosks issuing back to back (durable: acknowledged after commit), M counters
    calling next every --call-interval seconds (then marking a no-show), and K
    listeners following the SSE stream (noting when each `ticket.called` arrives);
  * `rinda, 100 listeners`: the same with --many-listeners listeners;
  * `rinda, N waiting`: the same after --waiting tickets were issued first.
Rounds are interleaved (limit, rinda, ... then again) so that a change in the
machine's load hits every configuration alike. Prints each run's figures, then
min / median / max over the rounds of: tickets/s of Rinda ÷ the limit; with many
listeners ÷ with K; with N waiting ÷ with none; issue p99; call -> event p99. The
machine's load average is printed with them: other processes share the cores.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

import httpx  # noqa: E402

from bench.client import Connection, milliseconds  # noqa: E402
from bench.limit import measure_limit  # noqa: E402
from tests.support.catalogues import single_service_toml  # noqa: E402
from tests.support.processes import free_port, rinda, start_server  # noqa: E402


def rss_kib(pid: int) -> int:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1])
    return 0


async def fill(port: int, kiosk: str, tickets: int, clients: int = 8) -> None:
    """Issue `tickets` tickets before the measurement (nobody calls them)."""
    left = tickets

    async def client() -> None:
        nonlocal left
        conn = await Connection(port, kiosk).open()
        while left > 0:
            left -= 1
            status, _ = await conn.post("/tickets", {"service_id": "residence"})
            assert status == 201, status
        conn.close()

    await asyncio.gather(*(client() for _ in range(clients)))


async def run_load(
    port: int, kiosk: str, manager: str, args: argparse.Namespace, listeners: int, pid: int
) -> dict[str, Any]:
    stop = asyncio.Event()
    issue_latency: list[float] = []
    issue_errors = 0
    call_latency: list[float] = []
    sent_at: dict[str, float] = {}
    delivery: list[float] = []
    connected = 0
    peak_rss = 0

    async def kiosk_loop() -> None:
        nonlocal issue_errors
        conn = await Connection(port, kiosk).open()
        while not stop.is_set():
            started = time.perf_counter()
            status, _ = await conn.post("/tickets", {"service_id": "residence"})
            if status == 201:
                issue_latency.append(time.perf_counter() - started)
            else:
                issue_errors += 1
        conn.close()

    async def counter_loop(counter_id: str) -> None:
        conn = await Connection(port, manager).open()
        await conn.post(f"/counters/{counter_id}/open")
        while not stop.is_set():
            started = time.perf_counter()
            status, ticket = await conn.post(f"/counters/{counter_id}/call-next")
            if status == 200 and ticket is not None:
                call_latency.append(time.perf_counter() - started)
                sent_at[ticket["id"]] = started
                await conn.post(f"/tickets/{ticket['id']}/no-show")
            await asyncio.sleep(args.call_interval)
        conn.close()

    async def listener() -> None:
        nonlocal connected
        reader, writer = await asyncio.open_connection("127.0.0.1", port)
        writer.write(
            f"GET /api/v1/events?type=ticket.called HTTP/1.1\r\nHost: x\r\n"
            f"Authorization: Bearer {kiosk}\r\n\r\n".encode()
        )
        await reader.readuntil(b"\r\n\r\n")
        connected += 1
        while not stop.is_set():
            try:
                line = await asyncio.wait_for(reader.readline(), 0.5)
            except TimeoutError:
                continue
            if line.startswith(b"data: {"):
                arrived = time.perf_counter()
                ticket_id = json.loads(line[6:])["ticket_id"]
                # The response to call-next may still be on its way: wait for it.
                for _ in range(100):
                    if ticket_id in sent_at:
                        break
                    await asyncio.sleep(0.001)
                if ticket_id in sent_at:
                    delivery.append(arrived - sent_at[ticket_id])
        writer.close()

    async def sample_rss() -> None:
        nonlocal peak_rss
        while not stop.is_set():
            peak_rss = max(peak_rss, rss_kib(pid))
            await asyncio.sleep(0.2)

    if args.waiting_now:
        await fill(port, kiosk, args.waiting_now)
    streams = [asyncio.create_task(listener()) for _ in range(listeners)]
    while connected < listeners:
        await asyncio.sleep(0.01)
    tasks = [asyncio.create_task(kiosk_loop()) for _ in range(args.kiosks)]
    tasks += [asyncio.create_task(counter_loop(f"c{i + 1}")) for i in range(args.counters)]
    tasks.append(asyncio.create_task(sample_rss()))
    began = time.perf_counter()
    await asyncio.sleep(args.seconds)
    stop.set()
    elapsed = time.perf_counter() - began
    await asyncio.gather(*tasks, *streams)
    return {
        "seconds": round(elapsed, 2),
        "listeners": listeners,
        "waiting_at_start": args.waiting_now,
        "tickets_per_second": round(len(issue_latency) / elapsed, 1),
        "issue_errors": issue_errors,
        "issue_p50_ms": milliseconds(issue_latency, 0.5),
        "issue_p99_ms": milliseconds(issue_latency, 0.99),
        "calls": len(call_latency),
        "call_next_p50_ms": milliseconds(call_latency, 0.5),
        "call_next_p99_ms": milliseconds(call_latency, 0.99),
        "deliveries": len(delivery),
        "call_to_event_p50_ms": milliseconds(delivery, 0.5),
        "call_to_event_p99_ms": milliseconds(delivery, 0.99),
        "server_peak_rss_mib": round(peak_rss / 1024, 1),
    }


def measure_rinda(args: argparse.Namespace, listeners: int, waiting: int) -> dict[str, Any]:
    """Start `rinda server` in a fresh data directory, load it, stop it."""
    with tempfile.TemporaryDirectory(prefix="rinda-bench-") as tmp:
        data = Path(tmp) / "data"
        catalogue = Path(tmp) / "centre.toml"
        catalogue.write_text(single_service_toml(args.counters))
        kiosk = rinda(
            "devices", "add", "bench-kiosk", "--role", "kiosk", "--data-dir", str(data)
        ).stdout.split()[-1]
        rinda(
            "users",
            "add",
            "bench",
            "--role",
            "manager",
            "--password-stdin",
            "--data-dir",
            str(data),
            stdin="bench-password\n",
        )
        port = free_port()
        server = start_server(data, port, catalogue)
        try:
            manager = httpx.post(
                f"http://127.0.0.1:{port}/api/v1/session",
                json={"username": "bench", "password": "bench-password"},
            ).json()["token"]
            args.waiting_now = waiting
            return asyncio.run(run_load(port, kiosk, manager, args, listeners, server.pid))
        finally:
            server.terminate()
            server.wait(timeout=30)


def spread(values: list[float]) -> str:
    """min / median / max."""
    if not values:
        return "—"
    return f"{min(values):.2f} / {statistics.median(values):.2f} / {max(values):.2f}"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--kiosks", type=int, default=8)
    parser.add_argument("--counters", type=int, default=4)
    parser.add_argument("--listeners", type=int, default=20)
    parser.add_argument("--many-listeners", type=int, default=100)
    parser.add_argument("--waiting", type=int, default=2000)
    parser.add_argument("--seconds", type=float, default=10.0)
    parser.add_argument("--call-interval", type=float, default=0.1)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument(
        "--only-rinda", action="store_true", help="one Rinda run per round, no comparisons"
    )
    parser.add_argument("--json", action="store_true", help="print the figures as JSON")
    args = parser.parse_args()
    runs: list[dict[str, Any]] = []
    ratios: dict[str, list[float]] = {
        "rinda / limit": [],
        f"{args.many_listeners} listeners / {args.listeners}": [],
        f"{args.waiting} waiting / none": [],
    }
    load_before = os.getloadavg()
    for round_number in range(1, args.rounds + 1):
        base = measure_rinda(args, args.listeners, 0)
        runs.append({"round": round_number, "run": "rinda", **base})
        if args.only_rinda:
            continue
        limit = measure_limit(args.kiosks, args.seconds)
        runs.append({"round": round_number, "run": "limit", **limit})
        many = measure_rinda(args, args.many_listeners, 0)
        runs.append({"round": round_number, "run": "rinda, many listeners", **many})
        full = measure_rinda(args, args.listeners, args.waiting)
        runs.append({"round": round_number, "run": "rinda, waiting", **full})
        rate = base["tickets_per_second"]
        ratios["rinda / limit"].append(rate / limit["tickets_per_second"])
        ratios[f"{args.many_listeners} listeners / {args.listeners}"].append(
            many["tickets_per_second"] / rate
        )
        ratios[f"{args.waiting} waiting / none"].append(full["tickets_per_second"] / rate)
        if not args.json:
            print(
                f"round {round_number}: "
                + ", ".join(f"{k} {v[-1]:.2f}" for k, v in ratios.items()),
                file=sys.stderr,
            )
    rinda_runs = [r for r in runs if r["run"] == "rinda"]
    summary = {
        "machine_load_average_before": [round(x, 2) for x in load_before],
        "machine_load_average_after": [round(x, 2) for x in os.getloadavg()],
        **{f"{name} (min/median/max)": spread(values) for name, values in ratios.items()},
        "rinda tickets/s (min/median/max)": spread([r["tickets_per_second"] for r in rinda_runs]),
        "limit tickets/s (min/median/max)": spread(
            [r["tickets_per_second"] for r in runs if r["run"] == "limit"]
        ),
        "issue p99 ms (min/median/max)": spread([r["issue_p99_ms"] or 0 for r in rinda_runs]),
        "call -> event p99 ms (min/median/max)": spread(
            [r["call_to_event_p99_ms"] or 0 for r in rinda_runs]
        ),
    }
    if args.json:
        print(json.dumps({"runs": runs, "summary": summary}, indent=2))
        return
    keys = [k for k in runs[0] if k not in ("round", "run")]
    width = max(len(k) for k in keys)
    for run in runs:
        print(f"\nround {run['round']}: {run['run']}")
        for key in keys:
            if key in run:
                print(f"  {key:<{width}}  {run[key]}")
    print()
    width = max(len(k) for k in summary)
    for key, value in summary.items():
        print(f"{key:<{width}}  {value}")


if __name__ == "__main__":
    main()
