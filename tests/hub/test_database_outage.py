"""The hub's PostgreSQL stops and comes back: the hub answers 503 meanwhile (nothing
half-stored), the centres retry, and everything arrives once it is back."""

from __future__ import annotations

import subprocess
from pathlib import Path

import httpx
import psycopg
import pytest

from hub.private_cluster import BIN, Cluster
from hub.store.migrate import migrate
from tests.conftest import Staff
from tests.support.catalogues import always_open
from tests.support.centre_activity import activity_for
from tests.support.hub_link import caught_up, eventually, link_config, link_status, stored_seqs
from tests.support.running_hub import RunningHub
from tests.support.running_server import RunningServer


def pg_ctl(cluster: Cluster, *args: str) -> None:
    subprocess.run(
        cluster.as_owner(str(BIN / "pg_ctl"), "-D", str(cluster.data), *args),
        check=True,
        capture_output=True,
    )


@pytest.mark.slow
def test_database_away_then_back(tmp_path: Path, clock) -> None:
    cluster = Cluster().start()
    try:
        dsn = cluster.create_database()
        with psycopg.connect(dsn, autocommit=True) as conn:
            migrate(conn)
        # The hub gives up on the database (pool_timeout) well before the centre gives up on
        # the hub (io_timeout 10 s), as in production (10 s against 30 s).
        with RunningHub(dsn, pool_timeout=2.0) as hub:
            token = hub.add_centre("liepaja", "Liepāja")
            with RunningServer(
                tmp_path / "centre",
                clock=clock,
                catalogue=always_open(),
                hub=link_config(hub.url, token),
            ) as centre:
                staff = Staff(centre)
                activity = activity_for(centre, staff, clock, seed=8)
                activity.run(30)
                eventually(lambda: caught_up(centre.url))

                pg_ctl(cluster, "-m", "fast", "-w", "stop")
                activity.run(60)
                status = eventually(
                    lambda: (s := link_status(centre.url))["state"] == "retrying" and s,
                    what="the centre to hear the hub cannot store",
                )
                assert (
                    "503" in status["last_error"] and "database_unavailable" in status["last_error"]
                )
                health = httpx.get(f"{hub.url}/api/v1/health", timeout=30)
                assert health.status_code == 503
                assert health.json()["code"] == "database_unavailable"

                options = f"-k {cluster.socket_dir} -c listen_addresses='' -c fsync=off"
                pg_ctl(cluster, "-o", options, "-l", str(cluster.log), "-w", "start")
                eventually(lambda: caught_up(centre.url), what="the catch-up")
                local = [r[0] for r in centre.ctx.reads.get().execute("SELECT seq FROM events")]
                assert stored_seqs(dsn, "liepaja") == sorted(local)
    finally:
        cluster.stop()
