"""Opening the SQLite file: pragmas, migrations, read connections, the data-dir lock."""

from __future__ import annotations

import fcntl
import os
import sqlite3
import threading
from pathlib import Path
from typing import IO

from sqlite_utils import Database

from core.errors import RindaError
from server.store.faults import (
    StorageProblem,
    StorageUnavailable,
    StorageWatch,
    check_data_dir,
    store_error,
)
from server.store.schema import migrations, newer_migrations

DATABASE_NAME = "rinda.sqlite3"


class DataDirLocked(RuntimeError):
    """Another Rinda server already uses this data directory."""


class SchemaTooNew(RindaError):
    """The database was upgraded by a newer Rinda; this version must not change it."""

    code = "schema_too_new"


def database_path(data_dir: Path) -> Path:
    """Where the database lives inside a data directory."""
    return data_dir / DATABASE_NAME


def open_writer_database(path: Path) -> Database:
    """Open the database for the writer: WAL, full fsync, foreign keys, migrated.

    Raises `StorageUnavailable` (one line naming the path and the cause) when the data
    directory or a file of the store cannot be used."""
    check_data_dir(path.parent, path)
    conn = sqlite3.connect(str(path), check_same_thread=True)
    try:
        db = Database(conn)
        with db.ensure_autocommit_on():
            db.execute("PRAGMA journal_mode=WAL")
        db.execute("PRAGMA synchronous=FULL")
        db.execute("PRAGMA foreign_keys=ON")
        db.execute("PRAGMA busy_timeout=5000")
        newer = newer_migrations(db)
        if newer:
            raise SchemaTooNew(
                f"the database {path} was upgraded by a newer Rinda (schema "
                f"{', '.join(newer)}); run that version, or restore a backup made by this one"
            )
        migrations.apply(db)
    except sqlite3.Error as exc:
        conn.close()
        unavailable = store_error(exc, path)
        if unavailable is None:
            raise
        raise unavailable from exc
    except BaseException:
        conn.close()
        raise
    return db


def migrate(path: Path) -> None:
    """Create or upgrade the database at `path` (used by admin commands)."""
    open_writer_database(path).close()


class ReadConnections:
    """One read-only connection per thread (WAL lets readers run beside the writer)."""

    def __init__(self, path: Path, watch: StorageWatch | None = None) -> None:
        self._path = path
        self._watch = watch
        self._local = threading.local()
        self._all: list[sqlite3.Connection] = []
        self._lock = threading.Lock()

    def get(self) -> sqlite3.Connection:
        """This thread's connection. Raises `StorageUnavailable` when reading is not safe
        now (see `StorageWatch.check_for_read`): call it for each use, not once."""
        if self._watch is not None:
            self._watch.check_for_read()
        conn: sqlite3.Connection | None = getattr(self._local, "conn", None)
        if conn is None:
            conn = sqlite3.connect(f"file:{self._path}?mode=ro", uri=True, check_same_thread=False)
            conn.row_factory = sqlite3.Row
            conn.execute("PRAGMA busy_timeout=5000")
            self._local.conn = conn
            with self._lock:
                self._all.append(conn)
        return conn

    def close(self) -> None:
        """Close every connection handed out."""
        with self._lock:
            for conn in self._all:
                conn.close()
            self._all.clear()


class DataDirLock:
    """An exclusive lock on the data directory, held while the server runs."""

    def __init__(self, data_dir: Path) -> None:
        self._path = data_dir / "server.lock"
        self._file: IO[str] | None = None

    def acquire(self) -> None:
        """Take the lock or raise `DataDirLocked`; `StorageUnavailable` when the data
        directory cannot be used."""
        data_dir = self._path.parent
        check_data_dir(data_dir, database_path(data_dir))
        try:
            handle = open(self._path, "a+")  # noqa: SIM115 - held for the server's lifetime
        except OSError as exc:
            raise StorageUnavailable(
                StorageProblem.READ_ONLY, f"cannot open the lock file {self._path}: {exc.strerror}"
            ) from None
        try:
            fcntl.flock(handle.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            handle.close()
            raise DataDirLocked(
                f"Another Rinda server is using {self._path.parent}; stop it first."
            ) from None
        handle.seek(0)
        handle.truncate()
        handle.write(str(os.getpid()))
        handle.flush()
        self._file = handle

    def release(self) -> None:
        """Let go of the lock."""
        if self._file is not None:
            fcntl.flock(self._file.fileno(), fcntl.LOCK_UN)
            self._file.close()
            self._file = None
