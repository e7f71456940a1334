"""A real network hub (uvicorn) on a socket bound to 127.0.0.1, in a thread or in a
process of its own (for kill -9)."""

from __future__ import annotations

import os
import socket
import subprocess
import threading
import time
from datetime import UTC, datetime
from typing import Any

import httpx
import psycopg
import uvicorn

from core.clock import Clock
from hub.accounts import HubRole, add_centre, add_user
from hub.app import create_app
from hub.config import HubConfig
from hub.context import HubContext
from hub.runner import uvicorn_config
from tests.support.processes import RINDA


def bind_loopback(port: int = 0) -> socket.socket:
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.bind(("127.0.0.1", port))
    return sock


class HubAccounts:
    """Centres and users of a hub database (works whether or not the hub runs)."""

    dsn: str

    def add_centre(self, centre_id: str, municipality: str = "Rīga", name: str = "") -> str:
        with psycopg.connect(self.dsn, autocommit=True) as conn:
            return add_centre(conn, centre_id, name or centre_id, municipality, datetime.now(UTC))

    def add_user(
        self,
        name: str,
        role: str = "analyst",
        municipality: str | None = None,
        password: str = "correct horse",
        institution: str | None = None,
    ) -> None:
        with psycopg.connect(self.dsn, autocommit=True) as conn:
            add_user(
                conn,
                name,
                HubRole(role),
                password,
                datetime.now(UTC),
                municipality,
                institution=institution,
            )


class RunningHub(HubAccounts):
    """A hub in a thread of this process. Start with `start()` or as a context manager."""

    def __init__(self, dsn: str, *, clock: Clock | None = None, port: int = 0, **config: Any):
        self.dsn = dsn
        self.clock = clock
        self.port = port
        self.config_overrides = config
        self.ctx: HubContext | None = None
        self._server: uvicorn.Server | None = None
        self._thread: threading.Thread | None = None

    @property
    def url(self) -> str:
        scheme = "https" if self.config_overrides.get("tls_cert") else "http"
        return f"{scheme}://127.0.0.1:{self.port}"

    def start(self) -> RunningHub:
        sock = bind_loopback(self.port)
        self.port = sock.getsockname()[1]
        config = HubConfig(
            database=self.dsn,
            host="127.0.0.1",
            port=self.port,
            **{"heartbeat_seconds": 1.0, **self.config_overrides},
        )
        self.ctx = HubContext.open(config, self.clock)
        self._server = uvicorn.Server(uvicorn_config(create_app(self.ctx), config))
        self._thread = threading.Thread(
            target=self._server.run, kwargs={"sockets": [sock]}, daemon=True
        )
        self._thread.start()
        deadline = time.monotonic() + 20
        while not self._server.started:
            if time.monotonic() > deadline or not self._thread.is_alive():
                raise RuntimeError("hub did not start")
            time.sleep(0.01)
        return self

    def stop(self) -> None:
        if self._server is not None and self.ctx is not None:
            self.ctx.begin_shutdown()
            self._server.should_exit = True
            assert self._thread is not None
            self._thread.join(timeout=10)
            self.ctx.close()
            self._server = None

    def __enter__(self) -> RunningHub:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()

    def login(self, name: str, password: str = "correct horse") -> str:
        response = httpx.post(
            f"{self.url}/api/v1/session", json={"username": name, "password": password}
        )
        response.raise_for_status()
        token: str = response.json()["token"]
        return token

    def client(self, token: str | None = None) -> httpx.Client:
        headers = {"Authorization": f"Bearer {token}"} if token else {}
        return httpx.Client(base_url=f"{self.url}/api/v1", headers=headers, timeout=30)


class HubProcess(HubAccounts):
    """`rinda hub` as a separate process on 127.0.0.1:port (killable with -9)."""

    def __init__(self, dsn: str, port: int) -> None:
        self.dsn = dsn
        self.port = port
        self.process: subprocess.Popen[bytes] | None = None

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def start(self) -> HubProcess:
        args = [
            *RINDA,
            "hub",
            "--database",
            self.dsn,
            "--host",
            "127.0.0.1",
            "--port",
            str(self.port),
        ]
        self.process = subprocess.Popen(args, env={**os.environ, "PYTHONUNBUFFERED": "1"})
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise AssertionError(f"hub exited with {self.process.returncode}")
            try:
                if httpx.get(f"{self.url}/api/v1/health", timeout=0.5).status_code == 200:
                    return self
            except httpx.TransportError:
                time.sleep(0.05)
        self.process.kill()
        raise AssertionError("hub did not come up")

    def kill(self) -> None:
        """kill -9."""
        if self.process is not None:
            self.process.kill()
            self.process.wait(timeout=10)
            self.process = None

    def stop(self) -> None:
        if self.process is not None:
            self.process.terminate()
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.process.kill()
            self.process = None
