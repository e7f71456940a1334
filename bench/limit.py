"""The limit to measure Rinda against: a bare server doing one durable SQLite insert per
request.

    .venv/bin/python bench/limit.py [--kiosks 8] [--seconds 10]       # measure it alone
    .venv/bin/python bench/limit.py --serve PORT --db FILE             # just run it

The server is the least a durable ticket needs on this machine, with the same
parts as `rinda server`: uvicorn (httptools, uvloop), SQLite in WAL with
`synchronous=FULL`. `POST /api/v1/tickets` inserts one row, commits (one fsync)
and answers `201` with a small JSON body; no authentication, no validation, no
events, no estimate. `bench/load.py` runs it beside Rinda with the same client
and prints the ratio.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import sqlite3
import subprocess
import sys
import tempfile
import time
from collections.abc import Awaitable, Callable, MutableMapping
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bench.client import Connection, milliseconds  # noqa: E402
from tests.support.processes import free_port  # noqa: E402

Scope = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[MutableMapping[str, Any]]]
Send = Callable[[MutableMapping[str, Any]], Awaitable[None]]


def bare_app(path: Path) -> Callable[[Scope, Receive, Send], Awaitable[None]]:
    """An ASGI app: each POST inserts one ticket row and commits before answering."""
    conn = sqlite3.connect(str(path), isolation_level=None)
    conn.execute("PRAGMA journal_mode=WAL")
    conn.execute("PRAGMA synchronous=FULL")
    conn.execute(
        "CREATE TABLE IF NOT EXISTS tickets "
        "(id INTEGER PRIMARY KEY, service_id TEXT NOT NULL, issued_at REAL NOT NULL)"
    )

    async def app(scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            return
        body = b""
        while True:
            message = await receive()
            body += message.get("body", b"")
            if not message.get("more_body"):
                break
        service_id = json.loads(body or b"{}").get("service_id", "")
        cursor = conn.execute(
            "INSERT INTO tickets (service_id, issued_at) VALUES (?, ?)", (service_id, time.time())
        )
        answer = json.dumps({"id": cursor.lastrowid, "service_id": service_id}).encode()
        await send(
            {
                "type": "http.response.start",
                "status": 201,
                "headers": [
                    (b"content-type", b"application/json"),
                    (b"content-length", str(len(answer)).encode()),
                ],
            }
        )
        await send({"type": "http.response.body", "body": answer})

    return app


def serve(port: int, path: Path) -> None:
    import uvicorn

    uvicorn.run(
        bare_app(path),
        host="127.0.0.1",
        port=port,
        http="httptools",
        loop="uvloop",
        log_level="warning",
        access_log=False,
        lifespan="off",
    )


def start_limit(port: int, path: Path) -> subprocess.Popen[bytes]:
    """The bare server in its own process; returns once it accepts connections."""
    process = subprocess.Popen([sys.executable, __file__, "--serve", str(port), "--db", str(path)])
    deadline = time.monotonic() + 20
    while time.monotonic() < deadline:
        try:
            asyncio.run(_probe(port))
            return process
        except OSError:
            time.sleep(0.05)
    process.kill()
    raise RuntimeError("the bare server did not come up")


async def _probe(port: int) -> None:
    _, writer = await asyncio.open_connection("127.0.0.1", port)
    writer.close()


async def issue_load(port: int, token: str, kiosks: int, seconds: float) -> dict[str, Any]:
    """`kiosks` clients issuing back to back for `seconds`: tickets/s and latency."""
    stop = asyncio.Event()
    latency: list[float] = []
    errors = 0

    async def kiosk() -> None:
        nonlocal errors
        conn = await Connection(port, token).open()
        while not stop.is_set():
            started = time.perf_counter()
            status, _ = await conn.post("/tickets", {"service_id": "residence"})
            if status == 201:
                latency.append(time.perf_counter() - started)
            else:
                errors += 1
        conn.close()

    tasks = [asyncio.create_task(kiosk()) for _ in range(kiosks)]
    began = time.perf_counter()
    await asyncio.sleep(seconds)
    stop.set()
    elapsed = time.perf_counter() - began
    await asyncio.gather(*tasks)
    return {
        "tickets_per_second": round(len(latency) / elapsed, 1),
        "issue_p50_ms": milliseconds(latency, 0.5),
        "issue_p99_ms": milliseconds(latency, 0.99),
        "errors": errors,
    }


def measure_limit(kiosks: int, seconds: float) -> dict[str, Any]:
    """Start the bare server, load it like Rinda's kiosks, stop it."""
    with tempfile.TemporaryDirectory(prefix="rinda-limit-") as tmp:
        port = free_port()
        server = start_limit(port, Path(tmp) / "limit.sqlite3")
        try:
            return asyncio.run(issue_load(port, "none", kiosks, seconds))
        finally:
            server.terminate()
            server.wait(timeout=30)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--kiosks", type=int, default=8)
    parser.add_argument("--seconds", type=float, default=10.0)
    parser.add_argument("--serve", type=int, metavar="PORT", help="only run the bare server")
    parser.add_argument("--db", type=Path, help="its database file (with --serve)")
    args = parser.parse_args()
    if args.serve is not None:
        if args.db is None:
            parser.error("--serve needs --db")
        serve(args.serve, args.db)
        return
    for key, value in measure_limit(args.kiosks, args.seconds).items():
        print(f"{key:<20}  {value}")


if __name__ == "__main__":
    main()
