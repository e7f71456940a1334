"""`rinda install`: the systemd units pass `systemd-analyze verify`, the settings files
it writes are read by the parts, and the server talks to systemd (ready, watchdog)."""

from __future__ import annotations

import os
import shutil
import signal
import socket
import subprocess
from pathlib import Path

import pytest

from core.settings_file import load_settings
from display.config import load_config as load_display_config
from kiosk.config import load_config as load_kiosk_config
from server.settings import ServerSettings, server_config
from tests.support.processes import RINDA, free_port, rinda

REPO = Path(__file__).resolve().parents[1]
needs_systemd_analyze = pytest.mark.skipif(
    shutil.which("systemd-analyze") is None, reason="systemd-analyze is not installed"
)


def _install(root: Path, *args: str) -> None:
    rinda("install", *args, "--root", str(root), "--prefix", str(REPO))


def _verify(unit: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        ["systemd-analyze", "verify", "--man=no", str(unit)],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )


@needs_systemd_analyze
@pytest.mark.parametrize(
    ("kind", "session", "unit"),
    [
        ("server", "xinit", "rinda-server.service"),
        ("kiosk", "xinit", "rinda-kiosk.service"),
        ("kiosk", "cage", "rinda-kiosk.service"),
        ("display", "xinit", "rinda-display.service"),
        ("display", "cage", "rinda-display.service"),
    ],
)
def test_units_pass_systemd_analyze_verify(
    tmp_path: Path, kind: str, session: str, unit: str
) -> None:
    _install(tmp_path, kind, "--session", session)
    path = tmp_path / "etc/systemd/system" / unit
    result = _verify(path)
    assert result.returncode == 0, result.stderr
    assert result.stderr.strip() == "" and result.stdout.strip() == "", result.stderr
    text = path.read_text()
    assert "Restart=always" in text
    assert f"{REPO}/.venv/bin/rinda {kind}" in text
    if kind == "server":
        assert "Type=notify" in text and "WatchdogSec=" in text
    else:
        assert "TTYPath=/dev/tty1" in text and "Conflicts=getty@tty1.service" in text
        if session == "xinit":
            assert "-nocursor -s 0 -dpms" in text, "pointer hidden, no blanking, no DPMS"
    watchdog = tmp_path / "etc/systemd/system.conf.d/rinda-watchdog.conf"
    assert "RuntimeWatchdogSec=15s" in watchdog.read_text()


@needs_systemd_analyze
def test_the_check_finds_a_broken_unit(tmp_path: Path) -> None:
    """systemd-analyze verify fails on what a mistake in the unit text would cause."""
    _install(tmp_path, "server")
    unit = tmp_path / "etc/systemd/system/rinda-server.service"
    broken = tmp_path / "rinda-server.service"
    broken.write_text(unit.read_text().replace(f"{REPO}/.venv/bin/rinda", "/opt/nowhere/rinda"))
    assert _verify(broken).returncode != 0
    broken.write_text(unit.read_text().replace("Restart=always", "Restart=sometimes"))
    assert "sometimes" in _verify(broken).stderr, (
        "a bad value is reported (the test asks for silence)"
    )


def test_the_settings_files_it_writes_are_read_by_the_parts(tmp_path: Path) -> None:
    for kind in ("server", "kiosk", "display"):
        _install(tmp_path, kind)
    server = server_config(load_settings(tmp_path / "etc/rinda/server.toml", ServerSettings(), {}))
    assert server.tls and server.backup is not None
    assert server.data_dir == Path("/var/lib/rinda")
    kiosk = tmp_path / "var/lib/rinda-kiosk/kiosk.toml"
    assert kiosk.stat().st_mode & 0o777 == 0o600
    assert load_kiosk_config(kiosk).fullscreen
    assert load_display_config(tmp_path / "var/lib/rinda-display/display.toml").fullscreen
    # A second run keeps what the operator changed.
    (tmp_path / "etc/rinda/server.toml").write_text('data_dir = "/srv/rinda"\n')
    _install(tmp_path, "server")
    assert (tmp_path / "etc/rinda/server.toml").read_text() == 'data_dir = "/srv/rinda"\n'


def test_without_root_it_refuses_to_touch_the_machine(tmp_path: Path) -> None:
    if os.geteuid() == 0:
        pytest.skip("running as root")
    result = rinda("install", "server", check=False)
    assert result.returncode == 2 and "run as root" in result.stderr


def test_the_server_tells_systemd_it_is_ready_pings_its_watchdog_and_stops(
    tmp_path: Path,
) -> None:
    """The notify protocol of a `Type=notify` unit with `WatchdogSec=`, on a real socket."""
    address = str(tmp_path / "notify")
    listener = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
    listener.bind(address)
    listener.settimeout(30)
    port = free_port()
    env = {**os.environ, "NOTIFY_SOCKET": address, "WATCHDOG_USEC": "400000"}
    server = subprocess.Popen(
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
        ],
        env=env,
    )
    try:
        messages = []
        while messages.count("WATCHDOG=1") < 3:
            messages.append(listener.recv(4096).decode())
        assert messages[0] == "READY=1", messages
        server.send_signal(signal.SIGTERM)
        while messages[-1] != "STOPPING=1":
            messages.append(listener.recv(4096).decode())
        assert server.wait(timeout=20) == 0
    finally:
        if server.poll() is None:
            server.kill()
        listener.close()
