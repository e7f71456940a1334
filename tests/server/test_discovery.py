"""Zeroconf: the server advertises `_rinda._tcp.local.`; terminals find it (or fall back)."""

from __future__ import annotations

import asyncio
import os
import shutil
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from core.discovery import SERVICE_TYPE, Advertiser, browse, find_server_url
from tests.support.processes import RINDA, free_port


def test_service_type_label_fits_zeroconf_limits() -> None:
    assert SERVICE_TYPE == "_rinda._tcp.local."
    assert len(b"_rinda") <= 16


def test_advertised_server_is_found_on_loopback() -> None:
    async def scenario() -> list:
        advertiser = Advertiser(
            "Testa centrs", 8123, interfaces=["127.0.0.1"], instance="Rinda test"
        )
        await advertiser.start()
        try:
            return await browse(timeout=4, interfaces=["127.0.0.1"])
        finally:
            await advertiser.stop()

    found = asyncio.run(scenario())
    assert found, "nothing found"
    server = found[0]
    assert server.url == "http://127.0.0.1:8123"
    assert server.centre == "Testa centrs" and server.api_version == "1"


def test_a_tls_server_is_found_with_an_https_url() -> None:
    async def scenario() -> list:
        advertiser = Advertiser(
            "Testa centrs",
            8124,
            interfaces=["127.0.0.1"],
            instance="Rinda tls test",
            ca_fingerprint="ab" * 32,
        )
        await advertiser.start()
        try:
            return await browse(timeout=4, interfaces=["127.0.0.1"])
        finally:
            await advertiser.stop()

    found = asyncio.run(scenario())
    assert [server.url for server in found] == ["https://127.0.0.1:8124"]


def test_manual_url_is_the_fallback_when_nothing_answers() -> None:
    url = find_server_url("http://10.0.0.5:8787/", timeout=0.5, interfaces=["127.0.0.1"])
    assert url == "http://10.0.0.5:8787"
    assert find_server_url(None, timeout=0.3, interfaces=["127.0.0.1"]) is None


def _ip(*args: str) -> None:
    subprocess.run(["ip", *args], check=True, capture_output=True)


@pytest.fixture
def two_hosts() -> Iterator[tuple[str, str]]:
    """Two network namespaces joined by a veth pair: 10.213.0.1 and 10.213.0.2."""
    if os.geteuid() != 0 or shutil.which("ip") is None:
        pytest.skip("network namespaces need root and iproute2")
    suffix = str(os.getpid())[-5:]
    server_ns, terminal_ns = f"rinda-srv{suffix}", f"rinda-term{suffix}"
    try:
        _ip("netns", "add", server_ns)
        _ip("netns", "add", terminal_ns)
        _ip("link", "add", f"vs{suffix}", "type", "veth", "peer", "name", f"vt{suffix}")
        _ip("link", "set", f"vs{suffix}", "netns", server_ns)
        _ip("link", "set", f"vt{suffix}", "netns", terminal_ns)
        for ns, dev, address in (
            (server_ns, f"vs{suffix}", "10.213.0.1/24"),
            (terminal_ns, f"vt{suffix}", "10.213.0.2/24"),
        ):
            _ip("-n", ns, "addr", "add", address, "dev", dev)
            _ip("-n", ns, "link", "set", dev, "up", "multicast", "on")
            _ip("-n", ns, "link", "set", "lo", "up")
        yield server_ns, terminal_ns
    finally:
        for ns in (server_ns, terminal_ns):
            subprocess.run(["ip", "netns", "del", ns], capture_output=True, check=False)


@pytest.mark.netns
def test_terminal_in_another_namespace_discovers_the_server(two_hosts, tmp_path: Path) -> None:
    server_ns, terminal_ns = two_hosts
    port = free_port()
    server = subprocess.Popen(
        [
            "ip",
            "netns",
            "exec",
            server_ns,
            *RINDA,
            "server",
            "--host",
            "10.213.0.1",
            "--port",
            str(port),
            "--advertise-on",
            "10.213.0.1",
            "--data-dir",
            str(tmp_path / "d"),
        ],
    )
    try:
        probe = (
            "import httpx\n"
            "from core.discovery import find_server_url\n"
            "url = None\n"
            "for _ in range(5):\n"
            "    url = find_server_url(None, timeout=3, interfaces=['10.213.0.2'])\n"
            "    if url: break\n"
            "print(url)\n"
            "print(httpx.get(url + '/api/v1/health').json()['status'])\n"
        )
        time.sleep(1)
        result = subprocess.run(
            ["ip", "netns", "exec", terminal_ns, sys.executable, "-c", probe],
            check=False,
            capture_output=True,
            text=True,
            timeout=60,
            cwd=Path(__file__).resolve().parents[2],
        )
    finally:
        server.send_signal(signal.SIGTERM)
        server.wait(timeout=20)
    assert result.returncode == 0, result.stderr
    url, health = result.stdout.split()
    assert url == f"http://10.213.0.1:{port}"
    assert health == "ok"
