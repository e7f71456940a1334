"""`rinda hub demo` (`scripts/demo network`): a small network on this machine.

Starts a private PostgreSQL cluster, the hub, and three demo centres in two
municipalities (two in Rīga, one in Ogre), each shipping its event log to the hub
and busy with simulated visitors; prints where everything is and how to sign in.
Everything lives under `--base-dir` and survives a restart; Ctrl+C stops it all.
"""

from __future__ import annotations

import argparse
import contextlib
import hashlib
import json
import os
import signal
import subprocess
import sys
import time
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import httpx

DATABASE = "rinda_hub"
CENTRES = (
    ("riga-centrs", "Rīgas centra klientu centrs", "Rīga"),
    ("riga-imanta", "Imantas klientu centrs", "Rīga"),
    ("ogre", "Ogres novada klientu centrs", "Ogre"),
)
USERS: tuple[tuple[str, str, str, str | None], ...] = (
    ("analyst", "analyst", "demo-analyst", None),
    ("ogre", "analyst", "demo-ogre-analyst", "Ogre"),
    ("admin", "admin", "demo-hub-admin", None),
)
RINDA = [sys.executable, "-m", "rinda"]


@dataclass
class Centre:
    """One demo centre process."""

    centre_id: str
    name: str
    municipality: str
    url: str
    process: subprocess.Popen[bytes]
    device_tokens: dict[str, str]


def _wait_for(url: str, process: subprocess.Popen[bytes], what: str) -> None:
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise SystemExit(f"error: {what} exited with status {process.returncode}")
        try:
            if httpx.get(f"{url}/api/v1/health", timeout=1).status_code == 200:
                return
        except httpx.TransportError:
            time.sleep(0.1)
    raise SystemExit(f"error: {what} did not start")


def _hub_accounts(dsn: str, base_dir: Path) -> dict[str, str]:
    """Centres and users at the hub (once); returns each centre's token."""
    import psycopg

    from core.errors import Conflict
    from hub.accounts import HubRole, add_centre, add_user
    from hub.store.migrate import migrate

    saved = base_dir / "centre-tokens.json"
    tokens: dict[str, str] = json.loads(saved.read_text()) if saved.exists() else {}
    now = datetime.now(UTC)
    with psycopg.connect(dsn, autocommit=True) as conn:
        migrate(conn)
        for centre_id, name, municipality in CENTRES:
            if centre_id not in tokens:
                tokens[centre_id] = add_centre(conn, centre_id, name, municipality, now)
        for username, role, password, limited_to in USERS:
            with contextlib.suppress(Conflict):
                add_user(conn, username, HubRole(role), password, now, limited_to)
    saved.write_text(json.dumps(tokens, indent=2))
    saved.chmod(0o600)
    return tokens


def run_demo(args: argparse.Namespace) -> int:
    import logging

    import psycopg

    from hub.demo_visitors import Visitors
    from hub.private_cluster import Cluster
    from server.demo import prepare

    logging.getLogger("httpx").setLevel(logging.WARNING)  # not every visitor's request
    base_dir: Path = args.base_dir.resolve()
    base_dir.mkdir(parents=True, exist_ok=True)
    cluster = Cluster(_postgres_dir(base_dir), durable=True).start()
    processes: list[subprocess.Popen[bytes]] = []
    visitors: list[Visitors] = []
    try:
        with psycopg.connect(cluster.dsn(), autocommit=True) as conn:
            if not conn.execute(
                "SELECT 1 FROM pg_database WHERE datname = %s", (DATABASE,)
            ).fetchone():
                conn.execute(f"CREATE DATABASE {DATABASE}".encode())
        dsn = cluster.dsn(DATABASE)
        tokens = _hub_accounts(dsn, base_dir)
        hub_url = f"http://127.0.0.1:{args.port}"
        env = {**os.environ, "PYTHONUNBUFFERED": "1", "RINDA_HUB_DATABASE": dsn}
        hub = subprocess.Popen(
            [*RINDA, "hub", "--host", "127.0.0.1", "--port", str(args.port)], env=env
        )
        processes.append(hub)
        _wait_for(hub_url, hub, "the hub")
        centres = []
        now = datetime.now(UTC)
        for offset, (centre_id, name, municipality) in enumerate(CENTRES):
            data_dir = base_dir / "centres" / centre_id
            setup = prepare(data_dir, now)
            port = args.centre_port + offset
            process = subprocess.Popen(
                [
                    *RINDA,
                    "server",
                    "--data-dir",
                    str(data_dir),
                    "--host",
                    "127.0.0.1",
                    "--port",
                    str(port),
                    "--no-advertise",
                    "--hub",
                    hub_url,
                ],
                env={**os.environ, "PYTHONUNBUFFERED": "1", "RINDA_HUB_TOKEN": tokens[centre_id]},
            )
            processes.append(process)
            url = f"http://127.0.0.1:{port}"
            centres.append(Centre(centre_id, name, municipality, url, process, setup.tokens))
        for seed, centre in enumerate(centres):
            _wait_for(centre.url, centre.process, f"centre {centre.centre_id}")
            manager = httpx.post(
                f"{centre.url}/api/v1/session",
                json={"username": "manager", "password": "demo-manager"},
            ).json()["token"]
            visitors.append(
                Visitors(
                    centre.url,
                    centre.device_tokens["kiosk-demo"],
                    manager,
                    centre.device_tokens["feedback-demo"],
                    seed=seed,
                    pace=args.pace,
                ).start()
            )
        print(_banner(hub_url, hub.pid, centres, base_dir, cluster.root), flush=True)
        signal.signal(signal.SIGTERM, _interrupt)
        while True:  # until Ctrl+C or SIGTERM (a stopped hub is part of the demo)
            time.sleep(1)
    except KeyboardInterrupt:
        return 0
    finally:
        for driver in visitors:
            driver.stop()
        for process in processes:
            if process.poll() is None:
                process.terminate()
        for process in processes:
            try:
                process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                process.kill()
        cluster.stop(remove=False)


def _postgres_dir(base_dir: Path) -> Path:
    """`base_dir/postgres`, or, when PostgreSQL's user cannot reach `base_dir` (a demo
    run as root under /root), a directory of its own under /var/tmp."""
    from hub.private_cluster import reachable_by_server

    if reachable_by_server(base_dir):
        return base_dir / "postgres"
    digest = hashlib.sha256(str(base_dir).encode()).hexdigest()[:8]
    return Path("/var/tmp") / f"rinda-network-demo-{digest}-postgres"


def _interrupt(signum: int, frame: Any) -> None:
    raise KeyboardInterrupt


def _banner(
    hub_url: str, hub_pid: int, centres: list[Centre], base_dir: Path, postgres: Path
) -> str:
    lines = [
        "",
        "Rinda network demo is running (Ctrl+C stops it).",
        f"  Network now:      {hub_url}/network   (every centre live: link, queue, today)",
        f"  Quarterly report: {hub_url}/network/reports",
        "  Hub sign-ins:     analyst / demo-analyst (every municipality),",
        "                    ogre / demo-ogre-analyst (Ogre only), admin / demo-hub-admin",
        f"  Hub API:          {hub_url}/api/v1/docs   (a bearer token from POST /api/v1/session)",
    ]
    for centre in centres:
        lines.append(
            f"  {centre.municipality + ':':<17} {centre.name}: {centre.url}/manager "
            "(manager / demo-manager)"
        )
    lines += [
        "  Each centre has simulated visitors and ships its events to the hub. Stop the hub",
        f"  (kill {hub_pid}) and the centres work on; their manager views show the lag.",
        f"  Centres' data: {base_dir / 'centres'}; the hub's PostgreSQL: {postgres}.",
    ]
    return "\n".join(lines) + "\n"
