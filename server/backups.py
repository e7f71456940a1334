"""`rinda backup`, `rinda restore` and `rinda tls`: the server's files kept safe; and the
backups a running server makes by itself.

The copying and checking is `server.store.backup`; this module parses, schedules
and reports.
"""

from __future__ import annotations

import argparse
import asyncio
import logging
import sys
from datetime import datetime
from pathlib import Path
from typing import Any

from core.clock import Clock, SystemClock
from server.config import DEFAULT_DATA_DIR, BackupSchedule
from server.store.backup import DEFAULT_KEEP, BackupError, back_up, backups
from server.store.faults import StorageUnavailable

log = logging.getLogger(__name__)


def register_tls(commands: Any) -> None:
    """Add `rinda tls fingerprint`."""
    tls = commands.add_parser("tls", help="the server's certificate authority")
    sub = tls.add_subparsers(dest="tls_command", required=True, metavar="ACTION")
    show = sub.add_parser(
        "fingerprint", help="print the CA's SHA-256 fingerprint (for `rinda pair --token`)"
    )
    show.add_argument("--data-dir", type=Path, default=DEFAULT_DATA_DIR)
    show.set_defaults(handler=_fingerprint)


def _fingerprint(args: argparse.Namespace) -> int:
    from server.tls import fingerprint

    ca_file = args.data_dir / "tls" / "ca.pem"
    if not ca_file.is_file():
        print(f"error: no {ca_file}: start the server once with --tls", file=sys.stderr)
        return 2
    print(fingerprint(ca_file.read_bytes()))
    return 0


def register_backup(commands: Any) -> None:
    """Add `rinda backup` and `rinda restore`."""
    backup = commands.add_parser(
        "backup",
        help="copy the database into a backup directory (safe while the server runs)",
        description="Writes DIR/rinda-<UTC time>.sqlite3 and keeps the newest --keep backups.",
    )
    backup.add_argument("--to", type=Path, required=True, metavar="DIR")
    backup.add_argument("--data-dir", type=Path, default=DEFAULT_DATA_DIR)
    backup.add_argument(
        "--keep", type=int, default=DEFAULT_KEEP, help=f"backups kept (default: {DEFAULT_KEEP})"
    )
    backup.set_defaults(handler=_backup)
    restore = commands.add_parser(
        "restore",
        help="make a backup the database again (stop the server first)",
        description="The database it replaces is kept beside it as rinda.sqlite3.replaced-<time>.",
    )
    restore.add_argument("file", type=Path, metavar="FILE")
    restore.add_argument("--data-dir", type=Path, default=DEFAULT_DATA_DIR)
    restore.set_defaults(handler=_restore)


def _backup(args: argparse.Namespace, clock: Clock | None = None) -> int:
    try:
        made = back_up(args.data_dir, args.to, now=(clock or SystemClock()).now(), keep=args.keep)
    except BackupError as exc:
        print(f"error: {exc.message}", file=sys.stderr)
        return 2
    print(f"backup written to {made.path} (integrity check ok)")
    return 0


def _restore(args: argparse.Namespace) -> int:
    from server.store.backup import restore
    from server.store.database import DataDirLocked

    try:
        kept = restore(args.file, args.data_dir, now=SystemClock().now())
    except (BackupError, StorageUnavailable) as exc:
        print(f"error: {exc.message}", file=sys.stderr)
        return 2
    except DataDirLocked as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    print(f"restored {args.file} into {args.data_dir} (integrity check ok)")
    if kept is not None:
        print(f"the database it replaced is kept as {kept}")
    return 0


def backup_due(schedule: BackupSchedule, now: datetime) -> bool:
    """Whether a scheduled backup is due: none in the directory yet, or the newest is at
    least `schedule.every` old (so restarting the server does not add backups)."""
    existing = backups(schedule.directory)
    return not existing or now - existing[-1].taken_at >= schedule.every


async def backup_loop(data_dir: Path, schedule: BackupSchedule, clock: Clock) -> None:
    """Make a backup whenever one is due (checked every `schedule.check_seconds`);
    a failure is logged and tried again at the next check."""
    while True:
        now = clock.now()
        if backup_due(schedule, now):
            try:
                made = await asyncio.to_thread(
                    back_up, data_dir, schedule.directory, now=now, keep=schedule.keep
                )
            except BackupError as exc:
                log.error("scheduled backup failed: %s", exc.message)
            else:
                log.info("scheduled backup written to %s", made.path)
        await asyncio.sleep(schedule.check_seconds)
