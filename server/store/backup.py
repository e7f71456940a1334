"""Backups of a centre's database, and restoring one.

A backup is one SQLite file made with SQLite's online backup API
(`sqlite3.Connection.backup`, https://www.sqlite.org/backup.html): it copies the
database as of one committed moment, in one step, while the server goes on
writing (in WAL mode a reader never blocks the writer). The copy is written
under a temporary name, checked with `PRAGMA integrity_check`, made durable and
only then renamed to `rinda-YYYYMMDDTHHMMSSZ.sqlite3`, so a backup directory
never holds a half-written backup under a backup's name. The newest `keep`
backups are kept, older ones removed.

Restoring refuses while a server holds the data directory (its lock), checks
the file (integrity, and that it is a Rinda database), keeps the database it
replaces beside it (`rinda.sqlite3.replaced-<stamp>`) and migrates the restored
copy to the current schema (a backup from an older version is upgraded).

    BackupError (a RindaError)   code `backup_failed`: the file or directory named
                                 cannot be used; nothing was changed
"""

from __future__ import annotations

import os
import re
import sqlite3
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from sqlite_utils import Database

from core.errors import RindaError
from server.store.database import DataDirLock, database_path, migrate
from server.store.faults import SHM_SUFFIX, WAL_SUFFIX
from server.store.schema import newer_migrations

BACKUP_NAME = re.compile(r"^rinda-(\d{8}T\d{6}(?:\.\d{6})?Z)\.sqlite3$")
"""The name of a finished backup; its stamp is the UTC time the copy was taken."""
DEFAULT_KEEP = 14
"""Backups kept by default: two weeks of daily backups."""
RINDA_TABLES = frozenset({"tickets", "events", "_sqlite_migrations"})
"""Tables a file must have to be restored as a Rinda database."""


class BackupError(RindaError):
    """A backup could not be made or a file cannot be restored; nothing was changed."""

    code = "backup_failed"


@dataclass(frozen=True)
class Backup:
    """One finished backup file."""

    path: Path
    taken_at: datetime
    """When the copy was taken (UTC)."""


def backup_name(taken_at: datetime, *, precise: bool = False) -> str:
    """The file name of a backup taken at `taken_at` (an aware datetime), to the second
    (to the microsecond when `precise`, for a second backup within one second)."""
    stamp = taken_at.astimezone(UTC).strftime("%Y%m%dT%H%M%S.%fZ" if precise else "%Y%m%dT%H%M%SZ")
    return f"rinda-{stamp}.sqlite3"


def backups(directory: Path) -> list[Backup]:
    """The finished backups in `directory`, oldest first (other files are ignored)."""
    found = []
    if not directory.is_dir():
        return []
    for path in directory.iterdir():
        match = BACKUP_NAME.match(path.name)
        if match:
            stamp = match.group(1)
            pattern = "%Y%m%dT%H%M%S.%fZ" if "." in stamp else "%Y%m%dT%H%M%SZ"
            taken_at = datetime.strptime(stamp, pattern).replace(tzinfo=UTC)
            found.append(Backup(path, taken_at))
    return sorted(found, key=lambda backup: backup.taken_at)


def integrity_problems(path: Path) -> list[str]:
    """What `PRAGMA integrity_check` finds wrong with the database at `path` (empty:
    none). Raises `BackupError` when the file cannot be opened as a database."""
    try:
        conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    except sqlite3.Error as exc:
        raise BackupError(f"cannot open {path}: {exc}") from exc
    try:
        rows = conn.execute("PRAGMA integrity_check").fetchall()
        tables = {
            row[0] for row in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")
        }
    except sqlite3.DatabaseError as exc:
        return [f"{path} is not a readable SQLite database: {exc}"]
    finally:
        conn.close()
    problems = [str(row[0]) for row in rows if row[0] != "ok"]
    missing = RINDA_TABLES - tables
    if missing:
        problems.append(f"{path} is not a Rinda database (no {', '.join(sorted(missing))})")
    else:
        unknown = _newer_migrations(path)
        if unknown:
            problems.append(
                f"{path} comes from a newer Rinda (schema {', '.join(sorted(unknown))}): "
                "upgrade Rinda first"
            )
    return problems


def _newer_migrations(path: Path) -> list[str]:
    db = Database(sqlite3.connect(f"file:{path}?mode=ro", uri=True))
    try:
        return newer_migrations(db)
    finally:
        db.close()


def back_up(data_dir: Path, to_dir: Path, *, now: datetime, keep: int = DEFAULT_KEEP) -> Backup:
    """Copy the database in `data_dir` into `to_dir` (created if need be) as it is at
    one committed moment, safe while a server runs; then keep only the newest `keep`
    backups there. Returns the new backup. Raises `BackupError` (nothing is left
    behind) when the database cannot be read, the copy fails its integrity check,
    or `to_dir` cannot be written."""
    if keep < 1:
        raise BackupError("keep at least one backup")
    source_path = database_path(data_dir)
    if not source_path.is_file():
        raise BackupError(f"no database at {source_path}")
    try:
        to_dir.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise BackupError(f"cannot create {to_dir}: {exc.strerror}") from exc
    final = to_dir / backup_name(now)
    if final.exists():
        final = to_dir / backup_name(now, precise=True)
    partial = to_dir / f".{final.name}.partial"
    try:
        source = sqlite3.connect(f"file:{source_path}?mode=ro", uri=True)
        try:
            source.execute("PRAGMA busy_timeout=5000")
            target = sqlite3.connect(str(partial))
            try:
                # pages=-1: the whole database in one step, one consistent snapshot.
                source.backup(target, pages=-1)
                target.execute("PRAGMA journal_mode=DELETE")
            finally:
                target.close()
        finally:
            source.close()
        problems = integrity_problems(partial)
        if problems:
            raise BackupError(f"the copy of {source_path} failed its check: {problems[0]}")
        _fsync(partial)
        os.replace(partial, final)
        _fsync(to_dir)
    except sqlite3.Error as exc:
        partial.unlink(missing_ok=True)
        raise BackupError(f"backing up {source_path} to {to_dir} failed: {exc}") from exc
    except OSError as exc:
        partial.unlink(missing_ok=True)
        raise BackupError(f"cannot write the backup in {to_dir}: {exc.strerror}") from exc
    except BaseException:
        partial.unlink(missing_ok=True)
        raise
    for old in backups(to_dir)[:-keep]:
        old.path.unlink(missing_ok=True)
    return Backup(final, now.astimezone(UTC))


def restore(backup_file: Path, data_dir: Path, *, now: datetime) -> Path | None:
    """Make `backup_file` the database of `data_dir`, upgraded to the current schema.

    Returns where the database it replaced was kept (None if there was none). Raises
    `DataDirLocked` while a server uses `data_dir`, and `BackupError` when the file
    is missing, damaged or not a Rinda database (then nothing was changed)."""
    if not backup_file.is_file():
        raise BackupError(f"no file {backup_file}")
    problems = integrity_problems(backup_file)
    if problems:
        raise BackupError(f"{backup_file} cannot be restored: {'; '.join(problems[:3])}")
    data_dir.mkdir(parents=True, exist_ok=True)
    lock = DataDirLock(data_dir)
    lock.acquire()
    try:
        target = database_path(data_dir)
        kept: Path | None = None
        incoming = data_dir / f".{target.name}.restoring"
        source = sqlite3.connect(f"file:{backup_file}?mode=ro", uri=True)
        try:
            copy = sqlite3.connect(str(incoming))
            try:
                source.backup(copy, pages=-1)
            finally:
                copy.close()
        finally:
            source.close()
        _fsync(incoming)
        if target.exists():
            # The server stopped cleanly has checkpointed its log; one that crashed
            # left committed pages in -wal: checkpoint them into the file kept aside.
            _checkpoint(target)
            kept = target.with_name(f"{target.name}.replaced-{now.strftime('%Y%m%dT%H%M%SZ')}")
            os.replace(target, kept)
        for suffix in (WAL_SUFFIX, SHM_SUFFIX):
            Path(f"{target}{suffix}").unlink(missing_ok=True)
        os.replace(incoming, target)
        _fsync(data_dir)
        migrate(target)
    finally:
        lock.release()
    return kept


def _checkpoint(path: Path) -> None:
    conn = sqlite3.connect(str(path))
    try:
        conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        conn.execute("PRAGMA journal_mode=DELETE")
    finally:
        conn.close()


def _fsync(path: Path) -> None:
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)
