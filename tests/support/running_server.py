"""A real centre server (uvicorn) on a socket bound to 127.0.0.1, in a thread."""

from __future__ import annotations

import socket
import sqlite3
import ssl
import threading
import time
from datetime import datetime
from pathlib import Path
from typing import Any

import httpx
import uvicorn

from core.catalogue import Catalogue
from core.clock import Clock
from server.admin import run_admin
from server.app import create_app
from server.auth import Role
from server.commands.admin import add_device, add_user
from server.config import ServerConfig
from server.context import ServerContext
from server.runner import uvicorn_config
from server.store.database import database_path


class RunningServer:
    """Start with `start()` (or as a context manager); stop with `stop()`."""

    def __init__(
        self,
        data_dir: Path,
        *,
        clock: Clock | None = None,
        catalogue: Catalogue | None = None,
        port: int = 0,
        **config: Any,
    ) -> None:
        self.data_dir = data_dir
        self.clock = clock
        self.catalogue = catalogue
        self.port = port
        self.config_overrides = config
        self.ctx: ServerContext | None = None
        self._server: uvicorn.Server | None = None
        self._thread: threading.Thread | None = None

    @property
    def url(self) -> str:
        scheme = "https" if self.config_overrides.get("tls") else "http"
        return f"{scheme}://127.0.0.1:{self.port}"

    @property
    def verify(self) -> ssl.SSLContext | bool:
        """What a client trusts: the server's own CA when it serves HTTPS."""
        if self.ctx is None or self.ctx.tls is None:
            return True
        return ssl.create_default_context(cafile=str(self.ctx.tls.ca_file))

    def start(self) -> RunningServer:
        sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        sock.bind(("127.0.0.1", self.port))
        self.port = sock.getsockname()[1]
        config = ServerConfig(
            data_dir=self.data_dir,
            host="127.0.0.1",
            port=self.port,
            advertise=False,
            **{"heartbeat_seconds": 1.0, **self.config_overrides},
        )
        self.ctx = ServerContext.open(config, self.clock, self.catalogue)
        app = create_app(self.ctx)
        self._server = uvicorn.Server(uvicorn_config(app, config, tls=self.ctx.tls))
        self._thread = threading.Thread(
            target=self._server.run, kwargs={"sockets": [sock]}, daemon=True
        )
        self._thread.start()
        deadline = time.monotonic() + 10
        while not self._server.started:
            if time.monotonic() > deadline or not self._thread.is_alive():
                raise RuntimeError("server did not start")
            time.sleep(0.01)
        return self

    def stop(self) -> None:
        if self._server is not None and self.ctx is not None:
            self.ctx.broker.close_all()
            self._server.should_exit = True
            assert self._thread is not None
            self._thread.join(timeout=10)
            self.ctx.close()
            self._server = None

    def __enter__(self) -> RunningServer:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()

    # -- accounts ------------------------------------------------------------

    def add_user(
        self,
        name: str,
        role: str,
        password: str = "correct horse",
        counter_id: str | None = None,
        department_id: str | None = None,
    ) -> None:
        """Add a user as `rinda users add` does (a writer of its own, actor `cli:<user>`)."""
        assert self.ctx is not None
        run_admin(
            self.data_dir,
            lambda tx: add_user(
                tx,
                name,
                Role(role),
                password,
                counter_id=counter_id,
                department_id=department_id,
            ),
            clock=self.ctx.clock,
        )

    def log_end(self) -> int:
        """The last event of the log, events other writers appended included (users and
        devices are added by a writer of their own, as at the command line)."""
        assert self.ctx is not None
        self.ctx.writer.catch_up().result()
        return self.ctx.writer.last_event_seq

    def add_device(self, name: str, role: str, counter_id: str | None = None) -> str:
        """Add a device as `rinda devices add` does; returns its token."""
        assert self.ctx is not None
        token: str = run_admin(
            self.data_dir,
            lambda tx: add_device(tx, name, Role(role), counter_id),
            clock=self.ctx.clock,
        )
        return token

    def login(
        self, name: str, password: str = "correct horse", counter_id: str | None = None
    ) -> str:
        body: dict[str, Any] = {"username": name, "password": password}
        if counter_id:
            body["counter_id"] = counter_id
        response = httpx.post(f"{self.url}/api/v1/session", json=body, verify=self.verify)
        response.raise_for_status()
        token: str = response.json()["token"]
        return token

    def session_last_seen(self, username: str) -> datetime | None:
        """When the user's latest session was last noted in use (read from the file)."""
        conn = sqlite3.connect(database_path(self.data_dir))
        try:
            row = conn.execute(
                "SELECT MAX(last_seen_at) FROM sessions WHERE username = ?", (username,)
            ).fetchone()
        finally:
            conn.close()
        return None if row[0] is None else datetime.fromisoformat(row[0])

    def wait_session_used(self, username: str, moment: datetime, timeout: float = 10) -> None:
        """Wait until the user's session records use at `moment` or later (the server
        writes it after answering the request)."""
        deadline = time.monotonic() + timeout
        while True:
            seen = self.session_last_seen(username)
            if seen is not None and seen >= moment:
                return
            if time.monotonic() > deadline:
                raise AssertionError(f"the use of {username}'s session was not recorded")
            time.sleep(0.02)

    def client(self, token: str | None = None) -> httpx.Client:
        headers = {"Authorization": f"Bearer {token}"} if token else {}
        return httpx.Client(
            base_url=f"{self.url}/api/v1", headers=headers, timeout=10, verify=self.verify
        )
