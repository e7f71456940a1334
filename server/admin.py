"""Admin commands from the command line, with or without a running server.

`rinda users|devices|hours` run the same commands as the admin pages
(`server.commands.admin`), through a writer of their own opened on the data
directory: one `BEGIN IMMEDIATE` transaction each, with an event naming the person at
the command line (`cli:<user>`). SQLite's lock serialises that writer with a running
server's (a command waits up to the busy timeout); the server hands the events on to
its live streams (`Writer.catch_up`) and applies the change (credentials at once,
opening hours when it sees their event).
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable
from pathlib import Path
from typing import TypeVar

from core.clock import Clock, SystemClock
from server.actor import Actor, command_line_actor
from server.store.database import database_path
from server.store.faults import StorageUnavailable, store_error
from server.store.writer import Transaction, Writer

T = TypeVar("T")


def run_admin(
    data_dir: Path,
    command: Callable[[Transaction], T],
    *,
    actor: Actor | None = None,
    clock: Clock | None = None,
) -> T:
    """Run one command in its own transaction on the database in `data_dir` (created
    and migrated if need be), as `actor` (default: the person at the command line).
    Raises the command's errors, and `StorageUnavailable` when the store cannot be used
    (locked by another program for longer than the busy timeout, a full disk ...)."""
    path = database_path(data_dir)
    writer = Writer(path, clock or SystemClock())
    writer.start()
    try:
        return writer.call(command, actor=(actor or command_line_actor()).ref)
    except StorageUnavailable as exc:
        cause = exc.__cause__
        if isinstance(cause, sqlite3.Error):
            raise (store_error(cause, path, "cannot change the database") or exc) from cause
        raise
    finally:
        writer.stop()
