"""`scripts/demo network` (`rinda hub demo`): a private PostgreSQL, the hub and three busy
demo centres in two municipalities, shipping; Ctrl+C (SIGTERM) stops everything."""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import threading
from pathlib import Path

import httpx
import pytest

from tests.support.hub_link import eventually
from tests.support.processes import RINDA, free_port


@pytest.mark.slow
def test_network_demo_runs_ships_and_stops(tmp_path: Path) -> None:
    hub_port, centre_port = free_port(), free_port()
    while centre_port in range(hub_port - 2, hub_port + 1):
        centre_port = free_port()
    process = subprocess.Popen(
        [
            *RINDA,
            "hub",
            "demo",
            "--base-dir",
            str(tmp_path / "net"),
            "--port",
            str(hub_port),
            "--centre-port",
            str(centre_port),
            "--pace",
            "0.1",
        ],
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        text=True,
        env={**os.environ, "PYTHONUNBUFFERED": "1"},
    )
    output: list[str] = []
    reader = threading.Thread(
        target=lambda: output.extend(iter(process.stdout.readline, "")), daemon=True
    )
    reader.start()
    try:
        eventually(lambda: any("network demo is running" in line for line in output), 90)
        banner = "".join(output)
        assert "analyst / demo-analyst" in banner and f"127.0.0.1:{centre_port}/manager" in banner
        assert f"127.0.0.1:{hub_port}/network " in banner
        assert f"127.0.0.1:{hub_port}/network/reports" in banner
        hub = f"http://127.0.0.1:{hub_port}/api/v1"

        tokens: dict[str, str] = {}

        def centres(user: str, password: str) -> list[dict]:
            if user not in tokens:
                tokens[user] = httpx.post(
                    f"{hub}/session", json={"username": user, "password": password}
                ).json()["token"]
            token = tokens[user]
            response = httpx.get(
                f"{hub}/network/centres", headers={"Authorization": f"Bearer {token}"}
            )
            return list(response.json()["centres"])

        everyone = centres("analyst", "demo-analyst")
        assert {(c["id"], c["municipality"]) for c in everyone} == {
            ("riga-centrs", "Rīga"),
            ("riga-imanta", "Rīga"),
            ("ogre", "Ogre"),
        }
        assert [c["id"] for c in centres("ogre", "demo-ogre-analyst")] == ["ogre"]
        eventually(
            lambda: all(c["events_stored"] > 10 for c in centres("analyst", "demo-analyst")),
            90,
            what="every demo centre to ship its visitors' events",
        )
        # The live view, as the banner says: sign in with the printed login.
        with httpx.Client(base_url=f"http://127.0.0.1:{hub_port}") as browser:
            form = browser.get("/login").text
            csrf = form.split('name="csrf" value="')[1].split('"')[0]
            browser.post(
                "/login", data={"username": "ogre", "password": "demo-ogre-analyst", "csrf": csrf}
            )
            assert browser.get("/network").status_code == 200
            live = browser.get("/api/v1/network/live").json()["centres"]
            assert [(c["id"], c["link"]["state"]) for c in live] == [("ogre", "up")]
            assert live[0]["live"]["counters_open"] > 0
    finally:
        process.send_signal(signal.SIGTERM)
        assert process.wait(timeout=60) == 0
        reader.join(timeout=10)
        for line in output:  # the demo keeps its data; this test does not
            if "the hub's PostgreSQL: " in line:
                shutil.rmtree(line.split("the hub's PostgreSQL: ")[1].strip().rstrip("."))
    for port in (hub_port, centre_port, centre_port + 1, centre_port + 2):
        with pytest.raises(httpx.TransportError):
            httpx.get(f"http://127.0.0.1:{port}/api/v1/health", timeout=2)
