"""A throwaway PostgreSQL cluster for the hub's tests: initdb in a temporary directory,
run as an unprivileged user (initdb and postgres refuse root, and CI runs as root),
listening only on a Unix socket; removed when the test session ends.

One cluster per test session; each test gets a fresh database, copied from a
template that already holds the migrated schema (CREATE DATABASE ... TEMPLATE).
"""

from __future__ import annotations

import contextlib
import itertools
import os
import pwd
import shutil
import subprocess
import tempfile
from pathlib import Path

import psycopg

BIN = Path(os.environ.get("RINDA_PG_BIN", "/usr/lib/postgresql/15/bin"))
UNPRIVILEGED = "nobody"


class Unavailable(RuntimeError):
    """PostgreSQL's server binaries are not installed (scripts/bootstrap --test installs them)."""


class Cluster:
    """A private PostgreSQL server on a Unix socket in a temporary directory."""

    def __init__(self) -> None:
        if not (BIN / "initdb").exists():
            raise Unavailable(f"no {BIN / 'initdb'}: run scripts/bootstrap --test")
        self.root = Path(tempfile.mkdtemp(prefix="rinda-pg-"))
        self.root.chmod(0o777)
        self.data = self.root / "data"
        self.socket_dir = self.root / "socket"
        self.socket_dir.mkdir()
        self.socket_dir.chmod(0o777)
        self.log = self.root / "server.log"
        self._names = itertools.count(1)
        self._running = False

    def _as_owner(self, *args: str) -> list[str]:
        if os.geteuid() == 0:
            return ["runuser", "-u", UNPRIVILEGED, "--", *args]
        return list(args)

    def start(self) -> Cluster:
        """initdb and start; returns once it accepts connections."""
        if os.geteuid() == 0:
            user = pwd.getpwnam(UNPRIVILEGED)
            os.chown(self.root, user.pw_uid, user.pw_gid)
        subprocess.run(
            self._as_owner(
                str(BIN / "initdb"),
                "-D",
                str(self.data),
                "-A",
                "trust",
                "-U",
                "postgres",
                "--no-sync",
                "-E",
                "UTF8",
                "--locale",
                "C.UTF-8",
            ),
            check=True,
            capture_output=True,
        )
        options = (
            f"-k {self.socket_dir} -c listen_addresses='' -c fsync=off "
            "-c synchronous_commit=off -c full_page_writes=off -c max_connections=200"
        )
        subprocess.run(
            self._as_owner(
                str(BIN / "pg_ctl"),
                "-D",
                str(self.data),
                "-o",
                options,
                "-l",
                str(self.log),
                "-w",
                "-t",
                "60",
                "start",
            ),
            check=True,
            capture_output=True,
        )
        self._running = True
        return self

    def dsn(self, database: str = "postgres") -> str:
        """A libpq URI for a database of this cluster."""
        return f"postgresql:///{database}?host={self.socket_dir}&user=postgres"

    def create_database(self, template: str | None = None) -> str:
        """A new empty database (or a copy of `template`); returns its DSN."""
        name = f"test_{os.getpid()}_{next(self._names)}"
        copy = f" TEMPLATE {template}" if template else ""
        with psycopg.connect(self.dsn(), autocommit=True) as conn:
            conn.execute(f"CREATE DATABASE {name}{copy}".encode())
        return self.dsn(name)

    def drop_database(self, dsn: str) -> None:
        """Drop a database made by `create_database` (ending its connections)."""
        name = dsn.split("/")[3].split("?", maxsplit=1)[0]
        with psycopg.connect(self.dsn(), autocommit=True) as conn:
            conn.execute(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)".encode())

    def stop(self) -> None:
        """Stop the server and remove its directory."""
        if self._running:
            with contextlib.suppress(subprocess.CalledProcessError):
                subprocess.run(
                    self._as_owner(
                        str(BIN / "pg_ctl"), "-D", str(self.data), "-m", "immediate", "-w", "stop"
                    ),
                    check=True,
                    capture_output=True,
                )
            self._running = False
        shutil.rmtree(self.root, ignore_errors=True)
