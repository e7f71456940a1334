"""A private PostgreSQL cluster: initdb in a directory of its own, run as an unprivileged
user (initdb and postgres refuse root, and CI runs as root), listening only on a
Unix socket. For the network demo (`rinda hub demo`), the tests and the benchmarks;
never the machine's system cluster. Production hubs use a PostgreSQL server set up
by the operator (docs/network.md).
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


def reachable_by_server(path: Path) -> bool:
    """Whether the user PostgreSQL will run as can reach `path` (when running as root,
    that user is `nobody`, who cannot enter e.g. /root)."""
    if os.geteuid() != 0:
        return True
    probe = subprocess.run(
        ["runuser", "-u", UNPRIVILEGED, "--", "test", "-x", str(path)], check=False
    )
    return probe.returncode == 0


class Cluster:
    """A private PostgreSQL server listening on a Unix socket only."""

    def __init__(self, root: Path | None = None, *, durable: bool = False) -> None:
        """A cluster in `root` (default: a new temporary directory). `durable` keeps
        fsync on (a demo that survives a power cut); tests and benchmarks turn it off."""
        if not (BIN / "initdb").exists():
            raise Unavailable(f"no {BIN / 'initdb'}: run scripts/bootstrap --hub")
        if root is None:
            root = Path(tempfile.mkdtemp(prefix="rinda-pg-"))
        root.mkdir(parents=True, exist_ok=True)
        self.root = root
        self.durable = durable
        self.root.chmod(0o777)
        self.data = self.root / "data"
        # A short path of its own: a Unix socket's path may not exceed about 100 bytes.
        self.socket_dir = Path(tempfile.mkdtemp(prefix="rinda-pgs-"))
        self.socket_dir.chmod(0o777)
        self.log = self.root / "server.log"
        self._names = itertools.count(1)
        self._running = False

    def as_owner(self, *args: str) -> list[str]:
        """A command line run as the cluster's owner (`nobody` when we are root)."""
        if os.geteuid() == 0:
            return ["runuser", "-u", UNPRIVILEGED, "--", *args]
        return list(args)

    def start(self) -> Cluster:
        """initdb (unless the directory holds a cluster already) and start; returns once
        it accepts connections."""
        if os.geteuid() == 0:
            user = pwd.getpwnam(UNPRIVILEGED)
            os.chown(self.root, user.pw_uid, user.pw_gid)
        if not (self.data / "PG_VERSION").exists():
            subprocess.run(
                self.as_owner(
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
        options = f"-k {self.socket_dir} -c listen_addresses='' -c max_connections=200"
        if not self.durable:
            options += " -c fsync=off -c synchronous_commit=off -c full_page_writes=off"
        subprocess.run(
            self.as_owner(
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

    def stop(self, *, remove: bool = True) -> None:
        """Stop the server (fast shutdown) and, unless told otherwise, remove its directory."""
        if self._running:
            mode = "immediate" if remove else "fast"
            with contextlib.suppress(subprocess.CalledProcessError):
                subprocess.run(
                    self.as_owner(
                        str(BIN / "pg_ctl"), "-D", str(self.data), "-m", mode, "-w", "stop"
                    ),
                    check=True,
                    capture_output=True,
                )
            self._running = False
        shutil.rmtree(self.socket_dir, ignore_errors=True)
        if remove:
            shutil.rmtree(self.root, ignore_errors=True)
