"""Running `rinda` as a separate process (for kill -9 tests and the CLI)."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
from pathlib import Path

import httpx

RINDA = [sys.executable, "-m", "rinda"]


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def rinda(
    *args: str, stdin: str | None = None, check: bool = True
) -> subprocess.CompletedProcess[str]:
    """Run a `rinda` command to completion."""
    result = subprocess.run(
        [*RINDA, *args], input=stdin, capture_output=True, text=True, timeout=60, check=False
    )
    if check and result.returncode != 0:
        raise AssertionError(f"rinda {' '.join(args)} failed: {result.stderr}")
    return result


def start_server(
    data_dir: Path, port: int, catalogue: Path | None = None
) -> subprocess.Popen[bytes]:
    """`rinda server` on 127.0.0.1:port; returns once it answers /health."""
    args = [
        *RINDA,
        "server",
        "--data-dir",
        str(data_dir),
        "--host",
        "127.0.0.1",
        "--port",
        str(port),
        "--no-advertise",
    ]
    if catalogue is not None:
        args += ["--catalogue", str(catalogue)]
    process = subprocess.Popen(args, env={**os.environ, "PYTHONUNBUFFERED": "1"})
    deadline = time.monotonic() + 20
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise AssertionError(f"server exited with {process.returncode}")
        try:
            if httpx.get(f"http://127.0.0.1:{port}/api/v1/health", timeout=0.5).status_code == 200:
                return process
        except httpx.TransportError:
            time.sleep(0.05)
    process.kill()
    raise AssertionError("server did not come up")
