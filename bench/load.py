"""Load benchmark of the centre server over HTTP on loopback.

    .venv/bin/python bench/load.py [--kiosks 8] [--counters 4] [--listeners 20] [--seconds 10]

Starts `rinda server` in its own process (a one-service centre, SQLite with
synchronous=FULL), then for a fixed time:
  * N kiosks issue tickets back to back (durable: each is acknowledged after commit);
  * M counters call next every --call-interval seconds, then mark the visitor as a no-show;
  * K listeners follow the SSE stream and note when each `ticket.called` arrives.
Prints tickets/s, call-next latency p50/p99, call -> event delivery p50/p99 over
all listeners, and the server's peak RSS. A small raw HTTP/1.1 client keeps the
load generator's own overhead low (it shares the machine's cores with the server).
"""

from __future__ import annotations

import argparse
import asyncio
import json
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from core.histogram import percentile  # noqa: E402
from tests.support.catalogues import single_service_toml  # noqa: E402
from tests.support.processes import free_port, rinda, start_server  # noqa: E402


class Connection:
    """A keep-alive HTTP/1.1 connection that sends JSON and reads JSON."""

    def __init__(self, port: int, token: str) -> None:
        self.port = port
        self.token = token
        self.reader: asyncio.StreamReader
        self.writer: asyncio.StreamWriter

    async def open(self) -> Connection:
        self.reader, self.writer = await asyncio.open_connection("127.0.0.1", self.port)
        return self

    async def post(self, path: str, body: dict | None = None) -> tuple[int, dict | None]:
        payload = json.dumps(body).encode() if body is not None else b""
        self.writer.write(
            (
                f"POST /api/v1{path} HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                f"Authorization: Bearer {self.token}\r\nContent-Type: application/json\r\n"
                f"Content-Length: {len(payload)}\r\n\r\n"
            ).encode()
            + payload
        )
        head = await self.reader.readuntil(b"\r\n\r\n")
        status = int(head.split(b" ", 2)[1])
        length = 0
        for line in head.split(b"\r\n"):
            if line.lower().startswith(b"content-length:"):
                length = int(line.split(b":")[1])
        data = await self.reader.readexactly(length) if length else b""
        return status, json.loads(data) if data else None

    def close(self) -> None:
        self.writer.close()


def milliseconds(seconds: list[float], share: float) -> float | None:
    """A percentile of durations in seconds, in milliseconds (None for no durations)."""
    return round(percentile(seconds, share) * 1000, 2) if seconds else None


def rss_kib(pid: int) -> int:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1])
    return 0


async def run_load(port: int, kiosk: str, manager: str, args: argparse.Namespace, pid: int) -> dict:
    stop = asyncio.Event()
    issued = 0
    issue_errors = 0
    call_latency: list[float] = []
    sent_at: dict[str, float] = {}
    delivery: list[float] = []
    connected = 0
    peak_rss = 0

    async def kiosk_loop() -> None:
        nonlocal issued, issue_errors
        conn = await Connection(port, kiosk).open()
        while not stop.is_set():
            status, _ = await conn.post("/tickets", {"service_id": "residence"})
            if status == 201:
                issued += 1
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

    listeners = [asyncio.create_task(listener()) for _ in range(args.listeners)]
    while connected < args.listeners:
        await asyncio.sleep(0.01)
    tasks = [asyncio.create_task(kiosk_loop()) for _ in range(args.kiosks)]
    tasks += [asyncio.create_task(counter_loop(f"c{i + 1}")) for i in range(args.counters)]
    tasks.append(asyncio.create_task(sample_rss()))
    began = time.perf_counter()
    await asyncio.sleep(args.seconds)
    stop.set()
    elapsed = time.perf_counter() - began
    await asyncio.gather(*tasks, *listeners)
    return {
        "seconds": round(elapsed, 2),
        "kiosks": args.kiosks,
        "counters": args.counters,
        "listeners": args.listeners,
        "tickets_issued": issued,
        "issue_errors": issue_errors,
        "tickets_per_second": round(issued / elapsed, 1),
        "calls": len(call_latency),
        "call_next_p50_ms": milliseconds(call_latency, 0.5),
        "call_next_p99_ms": milliseconds(call_latency, 0.99),
        "deliveries": len(delivery),
        "call_to_event_p50_ms": milliseconds(delivery, 0.5),
        "call_to_event_p99_ms": milliseconds(delivery, 0.99),
        "call_to_event_mean_ms": round(statistics.fmean(delivery) * 1000, 2) if delivery else None,
        "server_peak_rss_mib": round(peak_rss / 1024, 1),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--kiosks", type=int, default=8)
    parser.add_argument("--counters", type=int, default=4)
    parser.add_argument("--listeners", type=int, default=20)
    parser.add_argument("--seconds", type=float, default=10.0)
    parser.add_argument("--call-interval", type=float, default=0.1)
    parser.add_argument("--json", action="store_true", help="print the figures as JSON")
    args = parser.parse_args()
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
            import httpx

            manager = httpx.post(
                f"http://127.0.0.1:{port}/api/v1/session",
                json={"username": "bench", "password": "bench-password"},
            ).json()["token"]
            figures = asyncio.run(run_load(port, kiosk, manager, args, server.pid))
        finally:
            server.terminate()
            server.wait(timeout=30)
    if args.json:
        print(json.dumps(figures, indent=2))
        return
    width = max(len(k) for k in figures)
    for key, value in figures.items():
        print(f"{key:<{width}}  {value}")


if __name__ == "__main__":
    main()
