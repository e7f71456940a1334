"""Faults of the store's files: found before they bite, reported, never hidden.

SQLite keeps a centre's data in three files: `rinda.sqlite3`, its write-ahead log
`-wal` and the log's shared-memory index `-shm`, which SQLite maps into memory.
When one of them stops being writable (a read-only or immutable file, a file
system remounted read-only) or is removed while the server runs, what follows
is, by file:

- the database or the log: writes fail deep inside SQLite (`SQLITE_IOERR`,
  `SQLITE_READONLY`), or, for a file removed or replaced, they seem to succeed
  but land in a file nobody can open again, lost at the next restart;
- the `-shm` index: the next write to a mapped page (readers write there too)
  kills the process with SIGBUS, without a word.

So the files are checked before SQLite is given work: before each write
transaction all three files and the directory (`StorageWatch.check_for_write`),
before each read the `-shm` index (`check_for_read`). A failed check, or an
I/O error SQLite reports (disk full, say), becomes `StorageUnavailable`: the
request is refused with HTTP 503 and code `storage_unavailable`, and the fault
is shown by `GET /api/v1/health` and the manager's view until it is repaired.
Nothing is half-done: a refused command never began its transaction.

A file's identity (device and inode) is remembered when the writer opens it;
a different identity later means the file was replaced under the server.

Error tree: `StorageUnavailable` (a `RindaError`), problems in `StorageProblem`.
"""

from __future__ import annotations

import errno
import logging
import os
import sqlite3
import stat
import tempfile
import threading
from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum
from pathlib import Path
from typing import Any

from core.clock import Clock
from core.errors import RindaError
from core.events import iso

log = logging.getLogger(__name__)
WAL_SUFFIX = "-wal"
SHM_SUFFIX = "-shm"


class StorageProblem(StrEnum):
    """What is wrong with the store (the `problem` of a fault)."""

    READ_ONLY = "read_only"
    """A file or the data directory cannot be written."""
    DISK_FULL = "disk_full"
    """No space left (SQLite's `SQLITE_FULL`)."""
    MISSING = "missing"
    """A file of the store was removed or replaced while the server ran."""
    DAMAGED = "damaged"
    """The database file is not a database, or is corrupt."""
    BUSY = "busy"
    """Another program held the database longer than the busy timeout."""
    IO_ERROR = "io_error"
    """Any other input/output error reported by the operating system."""


class StorageUnavailable(RindaError):
    """The store cannot be used now; `problem` says why, `file` names the file (no path).
    The server answers 503 with code `storage_unavailable`."""

    code = "storage_unavailable"

    def __init__(self, problem: StorageProblem, message: str, file: str = "") -> None:
        super().__init__(message)
        self.problem = problem
        self.file = file


@dataclass(frozen=True)
class StorageFault:
    """A fault as reported: what, which file, since when, and the operator's message."""

    problem: StorageProblem
    file: str
    message: str
    since: datetime

    def as_json(self, *, with_message: bool) -> dict[str, Any]:
        """`{status: "fault", problem, file, since}`, plus the operator's `message` (which
        names the server's paths) only `with_message` (for staff, not the public)."""
        payload: dict[str, Any] = {
            "status": "fault",
            "problem": self.problem.value,
            "file": self.file,
            "since": iso(self.since),
        }
        if with_message:
            payload["message"] = self.message
        return payload


# SQLite primary result codes (https://www.sqlite.org/rescode.html) that mean the
# store, not the statement, failed.
_SQLITE_PROBLEMS = {
    3: StorageProblem.READ_ONLY,  # SQLITE_PERM
    5: StorageProblem.BUSY,  # SQLITE_BUSY
    6: StorageProblem.BUSY,  # SQLITE_LOCKED
    8: StorageProblem.READ_ONLY,  # SQLITE_READONLY
    10: StorageProblem.IO_ERROR,  # SQLITE_IOERR
    11: StorageProblem.DAMAGED,  # SQLITE_CORRUPT
    13: StorageProblem.DISK_FULL,  # SQLITE_FULL
    14: StorageProblem.MISSING,  # SQLITE_CANTOPEN
    26: StorageProblem.DAMAGED,  # SQLITE_NOTADB
}
_OS_PROBLEMS = {
    errno.EROFS: StorageProblem.READ_ONLY,
    errno.EACCES: StorageProblem.READ_ONLY,
    errno.EPERM: StorageProblem.READ_ONLY,
    errno.ENOSPC: StorageProblem.DISK_FULL,
    errno.EDQUOT: StorageProblem.DISK_FULL,
    errno.ENOENT: StorageProblem.MISSING,
}
_ADVICE = {
    StorageProblem.READ_ONLY: "the server needs to write every file of its data directory",
    StorageProblem.DISK_FULL: "free some space on that disk",
    StorageProblem.MISSING: "restore the file and restart the server",
    StorageProblem.DAMAGED: "restore the database from a backup",
    StorageProblem.BUSY: "another program holds the database; stop it",
    StorageProblem.IO_ERROR: "check the disk (dmesg) and its file system",
}


def sqlite_problem(error: sqlite3.Error) -> StorageProblem | None:
    """The storage problem behind a SQLite error, or None for an error of the statement."""
    code = getattr(error, "sqlite_errorcode", None)
    if code is None:
        return None
    return _SQLITE_PROBLEMS.get(code & 0xFF)


def _why_unwritable(path: Path) -> str:
    """A few words on why `access(W_OK)` failed for an existing `path`."""
    try:
        if os.statvfs(path).f_flag & os.ST_RDONLY:
            return "read-only file system"
        info = os.stat(path)
    except OSError as exc:
        return exc.strerror or str(exc)
    if os.geteuid() != 0 and not _mode_allows_write(info):
        return f"permission denied: owner uid {info.st_uid}, mode {stat.filemode(info.st_mode)}"
    return "immutable or append-only attribute, see lsattr"


def _mode_allows_write(info: os.stat_result) -> bool:
    if info.st_uid == os.geteuid():
        return bool(info.st_mode & stat.S_IWUSR)
    if info.st_gid in (os.getegid(), *os.getgroups()):
        return bool(info.st_mode & stat.S_IWGRP)
    return bool(info.st_mode & stat.S_IWOTH)


def _unwritable(path: Path, what: str) -> StorageUnavailable:
    problem = StorageProblem.READ_ONLY
    return StorageUnavailable(
        problem,
        f"{what} {path} cannot be written: {_why_unwritable(path)}; {_ADVICE[problem]}",
        path.name,
    )


def _from_os_error(
    exc: OSError, doing: str, path: Path, advice: str | None = None
) -> StorageUnavailable:
    problem = _OS_PROBLEMS.get(exc.errno or 0, StorageProblem.IO_ERROR)
    reason = exc.strerror or str(exc)
    if exc.errno == errno.EPERM:
        reason += " (an immutable attribute? see lsattr)"
    return StorageUnavailable(
        problem, f"{doing} {path}: {reason}; {advice or _ADVICE[problem]}", path.name
    )


def store_files(database: Path) -> tuple[Path, Path, Path]:
    """The database, its write-ahead log and the log's shared-memory index."""
    return (
        database,
        database.with_name(database.name + WAL_SUFFIX),
        database.with_name(database.name + SHM_SUFFIX),
    )


def check_data_dir(data_dir: Path, database: Path) -> None:
    """Before anything opens the store: the directory exists (or is created) and can be
    written, and every file of the store already there can be read and written. Raises
    `StorageUnavailable` with a one-line message naming the path and the cause."""
    try:
        data_dir.mkdir(parents=True, exist_ok=True)
    except FileExistsError:
        raise StorageUnavailable(
            StorageProblem.IO_ERROR, f"the data directory {data_dir} is a file, not a directory"
        ) from None
    except OSError as exc:
        raise _from_os_error(
            exc,
            "cannot create the data directory",
            data_dir,
            "create it, writable by the server's user, or choose another --data-dir",
        ) from None
    try:
        # A real write (not only access()) says why it fails: read-only file system,
        # permission, immutable attribute, or no space left.
        with tempfile.TemporaryFile(dir=data_dir, prefix=".rinda-write-check-"):
            pass
    except OSError as exc:
        raise _from_os_error(exc, "cannot write in the data directory", data_dir) from None
    for path in (*store_files(database), data_dir / "server.lock"):
        if path.exists() and not os.access(path, os.R_OK | os.W_OK):
            raise _unwritable(path, "the file")


def store_error(
    error: sqlite3.Error, database: Path, doing: str = "cannot open the database"
) -> StorageUnavailable | None:
    """The one-line `StorageUnavailable` for SQLite failing on `database` (opening it,
    migrating it, an admin command's transaction), or None when the error is not about
    the store."""
    problem = sqlite_problem(error)
    if problem is None:
        return None
    return StorageUnavailable(
        problem, f"{doing} {database}: {error}; {_ADVICE[problem]}", database.name
    )


class StorageWatch:
    """Checks the store's files before SQLite touches them and keeps the current fault.

    Thread-safe: the writer thread, read threads and the event loop all use it.
    """

    def __init__(self, database: Path, clock: Clock) -> None:
        self.database = database
        self._files = store_files(database)
        self._clock = clock
        self._lock = threading.Lock()
        self._identity: dict[Path, tuple[int, int]] = {}
        self._known: tuple[tuple[str, tuple[int, int]], ...] = ()
        self._directory = str(database.parent)
        self._shm = str(self._files[2])
        self._fault: StorageFault | None = None
        self._fault_from_sqlite = False

    def remember_files(self) -> None:
        """Note the identity of each file once the writer has opened them."""
        identity = {}
        for path in self._files:
            try:
                info = os.stat(path)
            except FileNotFoundError:
                continue
            identity[path] = (info.st_dev, info.st_ino)
        with self._lock:
            self._identity = identity
            self._known = tuple((str(path), known) for path, known in identity.items())

    def _probe_file(self, path: Path) -> StorageUnavailable | None:
        try:
            info = os.stat(path)
        except FileNotFoundError:
            return StorageUnavailable(
                StorageProblem.MISSING,
                f"{path} was removed while the server ran; what is written now would be lost: "
                f"{_ADVICE[StorageProblem.MISSING]}",
                path.name,
            )
        except OSError as exc:
            return _from_os_error(exc, "cannot examine", path)
        known = self._identity.get(path)
        if known is not None and known != (info.st_dev, info.st_ino):
            return StorageUnavailable(
                StorageProblem.MISSING,
                f"{path} was replaced while the server ran: "
                f"{_ADVICE[StorageProblem.MISSING]} (or restart to use the new file)",
                path.name,
            )
        if not os.access(path, os.W_OK):
            return _unwritable(path, "the file")
        return None

    def _all_well(self) -> bool:
        """The quick check before each transaction: a stat and an access() per file."""
        try:
            for path, (device, inode) in self._known:
                info = os.stat(path)
                if info.st_ino != inode or info.st_dev != device or not os.access(path, os.W_OK):
                    return False
        except OSError:
            return False
        return os.access(self._directory, os.W_OK | os.X_OK)

    def probe_for_write(self) -> StorageUnavailable | None:
        """What would stop a write now (None: nothing). Costs a few system calls."""
        if self._known and self._all_well():
            return None
        for path in self._files:
            if path in self._identity or path.exists():
                problem = self._probe_file(path)
                if problem is not None:
                    return problem
        directory = self.database.parent
        if not os.access(directory, os.W_OK | os.X_OK):
            return _unwritable(directory, "the data directory")
        return None

    def probe_for_read(self) -> StorageUnavailable | None:
        """What would make a read unsafe now: SQLite's readers write to the memory-mapped
        `-shm` index, and a page of it that cannot be written kills the process (SIGBUS)."""
        shm = self._files[2]
        if shm not in self._identity or os.access(self._shm, os.W_OK):
            return None
        return self._probe_file(shm) or _unwritable(shm, "the file")

    def check_for_write(self) -> None:
        """Raise `StorageUnavailable` (and record the fault) unless a write can go ahead."""
        self._raise_if(self.probe_for_write())

    def check_for_read(self) -> None:
        """Raise `StorageUnavailable` (and record the fault) unless reading is safe."""
        self._raise_if(self.probe_for_read())

    def _raise_if(self, problem: StorageUnavailable | None) -> None:
        if problem is not None:
            self._record(problem, from_sqlite=False)
            raise problem

    def failed(self, error: sqlite3.Error, doing: str = "writing") -> StorageUnavailable | None:
        """Record a SQLite error that is about the store; return what to raise instead
        (None: the error is about the statement, not the store)."""
        problem = sqlite_problem(error)
        if problem is None:
            return None
        unavailable = StorageUnavailable(
            problem,
            f"{doing} {self.database} failed: {error}; {_ADVICE[problem]}",
            self.database.name,
        )
        if problem is not StorageProblem.BUSY:
            self._record(unavailable, from_sqlite=True)
        return unavailable

    def succeeded(self) -> None:
        """A transaction committed: a fault SQLite reported is over."""
        if self._fault is not None:
            with self._lock:
                fault, self._fault = self._fault, None
            if fault is not None:
                log.warning("storage works again (was: %s)", fault.message)

    def _record(self, problem: StorageUnavailable, *, from_sqlite: bool) -> None:
        with self._lock:
            current = self._fault
            if (
                current is not None
                and current.problem == problem.problem
                and current.file == problem.file
            ):
                return
            self._fault = StorageFault(
                problem.problem, problem.file, problem.message, self._clock.now()
            )
            self._fault_from_sqlite = from_sqlite
        log.error("storage fault: %s", problem.message)

    def current(self) -> StorageFault | None:
        """The fault now: the files are probed afresh; a fault SQLite reported stays
        until a transaction commits."""
        problem = self.probe_for_write()
        if problem is not None:
            self._record(problem, from_sqlite=False)
        else:
            with self._lock:
                if self._fault is not None and not self._fault_from_sqlite:
                    log.warning("storage works again (was: %s)", self._fault.message)
                    self._fault = None
        return self._fault

    def status(self, *, with_message: bool = False) -> dict[str, Any]:
        """`{status: "ok"}` or the fault's JSON (see `StorageFault.as_json`)."""
        fault = self.current()
        return {"status": "ok"} if fault is None else fault.as_json(with_message=with_message)
