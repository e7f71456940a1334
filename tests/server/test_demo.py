"""`rinda demo`: the server with demo data, and the kiosk and hall display windows."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import time
from pathlib import Path

import httpx
import pytest

from server.public_url import is_loopback, lan_address, public_url_for
from tests.support.processes import RINDA, free_port

pytestmark = [pytest.mark.slow, pytest.mark.gui]


def test_demo_runs_server_kiosk_and_display(tmp_path: Path) -> None:
    if not os.environ.get("DISPLAY"):
        pytest.skip("needs a screen (the test suite runs under Xvfb)")
    port = free_port()
    data = tmp_path / "demo"
    env = {
        **os.environ,
        "SDL_AUDIODRIVER": "dummy",
        "KIVY_NO_CONSOLELOG": "1",
        "KIVY_HOME": str(tmp_path / "kivy"),
    }
    demo = subprocess.Popen(
        [*RINDA, "demo", "--data-dir", str(data), "--port", str(port)],
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        env=env,
    )
    try:
        url = f"http://127.0.0.1:{port}/api/v1"
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            try:
                if httpx.get(f"{url}/health", timeout=0.5).status_code == 200:
                    break
            except httpx.TransportError:
                time.sleep(0.2)
        login = httpx.post(
            f"{url}/session", json={"username": "manager", "password": "demo-manager"}
        )
        assert login.status_code == 200, "the demo manager can sign in"
        headers = {"Authorization": f"Bearer {login.json()['token']}"}
        tokens = json.loads((data / "demo-devices.json").read_text())
        assert set(tokens) == {"kiosk-demo", "display-demo", "feedback-demo"}
        # The kiosk and the display report in once connected.
        seen: dict = {}
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            devices = httpx.get(f"{url}/devices", headers=headers).json()
            seen = {d["name"]: d["last_seen_at"] for d in devices}
            if all(seen.get(name) for name in ("kiosk-demo", "display-demo", "feedback-demo")):
                break
            time.sleep(0.5)
        assert seen.get("kiosk-demo") and seen.get("display-demo"), seen
        assert seen.get("feedback-demo"), "the feedback terminal reports in too"
        assert httpx.get(f"{url}/health").json()["is_open"] is True, "open all day for the demo"
        # Ticket QR codes point at this machine's address on its network, which a phone
        # can open (not 127.0.0.1, where the demo used to send them).
        status_url = httpx.get(f"{url}/centre", headers=headers).json()["status_url"]
        lan = lan_address()
        assert status_url == f"{public_url_for('0.0.0.0', port, lan)}/t/{{ticket_id}}"
        if lan is not None:
            assert not is_loopback(status_url)
    finally:
        demo.send_signal(signal.SIGINT)
        output, _ = demo.communicate(timeout=30)
    assert "Clerk console:" in output and "anna / demo-clerk" in output
    assert "Ticket QR codes:" in output
    assert "Kiosk, hall display and counter 1's feedback terminal windows" in output
    assert demo.returncode == 0
