"""The address on printed tickets: derived from the server's public URL, never loopback."""

from __future__ import annotations

import os
import signal
import subprocess
import time
from dataclasses import replace
from pathlib import Path

import httpx
import pytest

from core.clock import ManualClock
from server.public_url import public_url_for
from tests.support.catalogues import always_open
from tests.support.processes import RINDA, free_port, rinda
from tests.support.running_server import RunningServer


def centre(server: RunningServer, token: str) -> dict:
    with server.client(token) as http:
        return http.get("/centre").json()


def test_status_url_follows_the_public_url(tmp_path: Path, clock: ManualClock) -> None:
    with RunningServer(
        tmp_path / "data", clock=clock, catalogue=always_open(), public_url="https://kac.example.lv"
    ) as server:
        token = server.add_device("kiosk-1", "kiosk")
        assert centre(server, token)["status_url"] == "https://kac.example.lv/t/{ticket_id}"


def test_without_a_public_url_the_address_the_kiosk_used_is_taken(server, staff) -> None:
    """Not an address fixed in the catalogue (the demo's was http://127.0.0.1:8787)."""
    assert centre(server, staff.kiosk)["status_url"] == f"{server.url}/t/{{ticket_id}}"
    with httpx.Client(
        base_url=f"http://localhost:{server.port}/api/v1",
        headers={"Authorization": f"Bearer {staff.kiosk}"},
    ) as http:
        assert http.get("/centre").json()["status_url"] == (
            f"http://localhost:{server.port}/t/{{ticket_id}}"
        )


def test_a_catalogue_status_url_still_overrides(tmp_path: Path, clock: ManualClock) -> None:
    catalogue = always_open()
    catalogue = replace(
        catalogue,
        centre=replace(catalogue.centre, status_url="https://pakalpojumi.example.lv/r/{ticket_id}"),
    )
    with RunningServer(
        tmp_path / "data", clock=clock, catalogue=catalogue, public_url="http://kac.local:8787"
    ) as server:
        token = server.add_device("kiosk-1", "kiosk")
        assert centre(server, token)["status_url"] == "https://pakalpojumi.example.lv/r/{ticket_id}"


def _server_output(tmp_path: Path, *extra: str) -> str:
    """Start `rinda server`, wait until it answers, stop it; its log output."""
    port = free_port()
    log = tmp_path / "server.log"
    with log.open("w") as output:
        process = subprocess.Popen(
            [
                *RINDA,
                "server",
                "--data-dir",
                str(tmp_path / "data"),
                "--host",
                "127.0.0.1",
                "--port",
                str(port),
                "--no-advertise",
                *extra,
            ],
            stdout=output,
            stderr=subprocess.STDOUT,
            env={**os.environ, "PYTHONUNBUFFERED": "1"},
        )
        try:
            deadline = time.monotonic() + 20
            while time.monotonic() < deadline:
                assert process.poll() is None, log.read_text()
                try:
                    httpx.get(f"http://127.0.0.1:{port}/api/v1/health", timeout=0.5)
                    break
                except httpx.TransportError:
                    time.sleep(0.05)
        finally:
            process.send_signal(signal.SIGTERM)
            process.wait(timeout=30)
    return log.read_text()


@pytest.mark.slow
def test_start_warns_when_phones_could_not_open_the_ticket_address(tmp_path: Path) -> None:
    output = _server_output(tmp_path, "--public-url", "http://127.0.0.1:8787/")
    assert "WARNING" in output
    assert "--public-url http://127.0.0.1:8787 points at the machine that opens it" in output
    output = _server_output(tmp_path)
    assert "--public-url is not set: ticket QR codes carry the address each kiosk uses" in output
    output = _server_output(tmp_path, "--public-url", "http://kac.example.lv:8787")
    assert "WARNING" not in output


def test_an_unusable_public_url_stops_the_server_in_one_line(tmp_path: Path) -> None:
    result = rinda("server", "--data-dir", str(tmp_path), "--public-url", "kac.local", check=False)
    assert result.returncode == 2
    assert result.stderr == (
        "error: --public-url 'kac.local' is not an address like http://kac.example.lv:8787\n"
    )


def test_the_demo_offers_its_network_address_to_phones() -> None:
    assert public_url_for("0.0.0.0", 8787, "192.168.1.20") == "http://192.168.1.20:8787"
    assert public_url_for("0.0.0.0", 8787, None) == "http://127.0.0.1:8787"
    assert public_url_for("127.0.0.1", 9000, "192.168.1.20") == "http://127.0.0.1:9000"
    assert public_url_for("10.0.0.5", 8787, "192.168.1.20") == "http://10.0.0.5:8787"
