"""A centre killed (-9) while a batch is in flight: after its restart it resumes from the
position the hub acknowledges, and every event is stored exactly once."""

from __future__ import annotations

import os
import subprocess
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import httpx
import pytest

from server.admin import run_admin
from server.auth import Role
from server.commands.admin import add_device, add_user
from tests.support.catalogues import single_service_toml
from tests.support.centre_activity import Activity
from tests.support.hub_link import (
    caught_up,
    centre_figures,
    eventually,
    hub_figures,
    link_status,
    stored_seqs,
)
from tests.support.link_proxy import LinkProxy
from tests.support.processes import RINDA, free_port
from tests.support.running_hub import RunningHub

COUNTERS = ("c1", "c2", "c3", "c4")
PASSWORD = "correct horse"


def start_centre(
    data_dir: Path, port: int, catalogue: Path, hub_url: str, token: str
) -> subprocess.Popen[bytes]:
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
        "--hub",
        hub_url,
    ]
    env = {**os.environ, "PYTHONUNBUFFERED": "1", "RINDA_HUB_TOKEN": token}
    process = subprocess.Popen(args, env=env)
    eventually(
        lambda: _answers(f"http://127.0.0.1:{port}/api/v1/health") or process.poll() is not None,
        timeout=30,
    )
    assert process.poll() is None, "the centre did not start"
    return process


def _answers(url: str) -> bool:
    try:
        return httpx.get(url, timeout=0.5).status_code == 200
    except httpx.TransportError:
        return False


def login(url: str, name: str) -> str:
    response = httpx.post(f"{url}/api/v1/session", json={"username": name, "password": PASSWORD})
    response.raise_for_status()
    return str(response.json()["token"])


@pytest.mark.slow
def test_centre_killed_mid_batch_resumes_from_the_hub_position(
    tmp_path: Path, hub_dsn: str
) -> None:
    catalogue = tmp_path / "catalogue.toml"
    catalogue.write_text(single_service_toml(len(COUNTERS)), "utf-8")
    data_dir = tmp_path / "centre"

    def accounts(tx):
        for counter in COUNTERS:
            add_user(tx, f"clerk-{counter}", Role.CLERK, PASSWORD, counter_id=counter)
        add_user(tx, "boss", Role.MANAGER, PASSWORD)
        return add_device(tx, "kiosk-1", Role.KIOSK), add_device(tx, "exit", Role.FEEDBACK)

    kiosk, feedback = run_admin(data_dir, accounts)
    port = free_port()
    url = f"http://127.0.0.1:{port}"
    with RunningHub(hub_dsn) as hub, LinkProxy(hub.port) as proxy:
        token = hub.add_centre("sigulda", "Sigulda")
        centre = start_centre(data_dir, port, catalogue, proxy.url, token)
        try:
            first_day = datetime.now(ZoneInfo("Europe/Riga")).date()
            activity = Activity(
                url=url,
                kiosk_token=kiosk,
                clerk_tokens={c: login(url, f"clerk-{c}") for c in COUNTERS},
                feedback_token=feedback,
                clock=None,
                seed=4,
                services=("residence",),
                counters=COUNTERS,
            )
            activity.open_counters()
            activity.run(120)
            eventually(lambda: caught_up(url), what="the first catch-up")

            proxy.set_mode("no_answer")  # batches reach the hub; its answers are lost
            activity.run(120)

            def hub_ahead_of_centre() -> bool:
                told = link_status(url)["acknowledged_seq"] or 0
                stored = stored_seqs(hub_dsn, "sigulda")
                return bool(stored) and max(stored) > told

            eventually(hub_ahead_of_centre, what="a batch stored but not yet acknowledged")
            centre.kill()
            centre.wait(timeout=10)

            proxy.set_mode("pass")
            centre = start_centre(data_dir, port, catalogue, proxy.url, token)
            activity.run(40)
            eventually(lambda: caught_up(url), what="the catch-up after the restart")
            local = [
                row[0]
                for row in run_admin(
                    data_dir, lambda tx: tx.execute("SELECT seq FROM events").fetchall()
                )
            ]
            assert stored_seqs(hub_dsn, "sigulda") == sorted(local)
            last_day = datetime.now(ZoneInfo("Europe/Riga")).date()
            manager = login(url, "boss")
            for group in ("service", "day", "total"):
                assert hub_figures(hub_dsn, "sigulda", first_day, last_day, group) == (
                    centre_figures(url, manager, first_day, last_day, group)
                ), group
        finally:
            centre.kill()
            centre.wait(timeout=10)
