"""The single writer: every command runs here, one `BEGIN IMMEDIATE` transaction each.

A command is a function of a `Transaction`. It reads what it needs, applies a
pure domain transition, writes rows and emits events; the writer appends the
events to the log, commits, then runs the command's after-commit hooks (which
update in-memory state) and hands the events to the publisher. Only then is
the caller's future resolved: nothing is acknowledged before it is durable.

Before each transaction the store's files are checked (`StorageWatch`); a
command refused for a storage fault, or failing with an I/O error of SQLite,
fails with `StorageUnavailable` and the writer carries on with the next one.

Another process may append to the log too: an admin command run with `rinda users
...` while the server runs opens a writer of its own on the same file (SQLite's
lock serialises the two). This writer hands such *foreign* events on in log order:
before the events of its own next commit, or when `catch_up` runs (the server runs
it every second), whichever comes first. So a live subscriber sees every event of
the log, once, in sequence order.
"""

from __future__ import annotations

import asyncio
import concurrent.futures
import hashlib
import itertools
import json
import logging
import queue
import sqlite3
import threading
from collections.abc import Callable
from contextlib import AbstractContextManager, nullcontext
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any, Generic, TypeVar

from sqlite_utils import Database

from core.clock import Clock
from core.errors import IdempotencyConflict
from core.events import Event, EventDraft
from server.store.database import open_writer_database
from server.store.events import events_after, last_event_seq
from server.store.faults import StorageWatch
from server.store.times import to_db_time

log = logging.getLogger(__name__)
T = TypeVar("T")
URGENT, BULK, STOP = 0, 1, 2
"""Writer queue classes: staff actions, kiosk issues, and the stop marker (last)."""


@dataclass
class Transaction:
    """What a command sees: the connection, the time, and where to put events."""

    db: Database
    now: datetime
    actor: str | None = None
    events: list[Event] = field(default_factory=list)
    after_commit: list[Callable[[], object]] = field(default_factory=list)

    def execute(self, sql: str, params: Any = ()) -> sqlite3.Cursor:
        """Run one SQL statement inside the transaction."""
        return self.db.conn.execute(sql, params)

    def emit(self, draft: EventDraft) -> Event:
        """Append an event to the log (committed with the transaction)."""
        cursor = self.execute(
            "INSERT INTO events (type, at, service_id, counter_id, ticket_id, actor, data) "
            "VALUES (?, ?, ?, ?, ?, ?, ?)",
            (
                draft.type,
                to_db_time(self.now),
                draft.service_id,
                draft.counter_id,
                draft.ticket_id,
                self.actor,
                json.dumps(draft.data, ensure_ascii=False, separators=(",", ":")),
            ),
        )
        assert cursor.lastrowid is not None
        event = Event(
            seq=cursor.lastrowid,
            type=draft.type,
            at=self.now,
            data=draft.data,
            service_id=draft.service_id,
            counter_id=draft.counter_id,
            ticket_id=draft.ticket_id,
        )
        self.events.append(event)
        return event

    def on_commit(self, hook: Callable[[], object]) -> None:
        """Run `hook` in the writer thread once the transaction has committed."""
        self.after_commit.append(hook)


@dataclass(frozen=True)
class Idempotency:
    """A client's idempotency key for a creating request."""

    scope: str
    key: str
    request: Any

    @property
    def request_hash(self) -> str:
        """Fingerprint of the request body, to catch a key reused for another request."""
        body = json.dumps(self.request, sort_keys=True, default=str)
        return hashlib.sha256(body.encode()).hexdigest()


class Replayed(dict[str, Any]):
    """The stored result of an earlier request with the same idempotency key."""


Observer = Callable[[Database, list[Event], bool], None]
"""Told of committed events in the writer thread: (connection, events, foreign)."""
FOREIGN_BATCH = 1000
"""Foreign events read and handed on at a time."""


@dataclass
class _Job(Generic[T]):
    command: Callable[[Transaction], T]
    future: concurrent.futures.Future[T]
    actor: str | None
    idempotency: Idempotency | None
    transactional: bool = True


class Writer:
    """Owns the writing connection in its own thread and serialises commands."""

    def __init__(
        self,
        path: Path,
        clock: Clock,
        publish: Callable[[list[Event]], None] = lambda events: None,
        watch: StorageWatch | None = None,
    ) -> None:
        self._path = path
        self._clock = clock
        self._publish = publish
        self.watch = watch or StorageWatch(path, clock)
        """Checks the store's files before each transaction and keeps the current fault."""
        self._jobs: queue.PriorityQueue[tuple[int, int, _Job[Any] | None]] = queue.PriorityQueue()
        self._order = itertools.count()
        self._thread = threading.Thread(target=self._run, name="rinda-writer", daemon=True)
        self._ready = threading.Event()
        self._startup_error: BaseException | None = None
        self.last_event_seq = 0
        """The newest event handed to the publisher (the log may hold newer ones that
        another process appended and `catch_up` has not read yet)."""
        self.after_commit_lock: AbstractContextManager[Any] = nullcontext()
        """Held while one transaction's after-commit hooks run, so readers of the
        in-memory state they change see all of a transaction or none of it."""
        self._observers: list[Observer] = []

    def start(self) -> None:
        """Open the database in the writer thread and wait until it is ready."""
        self._thread.start()
        self._ready.wait()
        if self._startup_error is not None:
            raise self._startup_error

    def stop(self) -> None:
        """Finish queued commands, then close the connection."""
        if self._thread.is_alive():
            self._jobs.put((STOP, next(self._order), None))
            self._thread.join()

    def set_publisher(self, publish: Callable[[list[Event]], None]) -> None:
        """Where committed events go (the SSE broker)."""
        self._publish = publish

    def observe(self, observer: Observer) -> None:
        """Tell `observer` of every batch of committed events, in log order, in the
        writer thread, under `after_commit_lock`, before they are published: this
        writer's own (`foreign` False, after the commit's after-commit hooks) and
        those another process appended (`foreign` True)."""
        self._observers.append(observer)

    def catch_up(self) -> concurrent.futures.Future[int]:
        """Hand on the events another process appended since the last commit; the
        future resolves to how many there were."""
        future: concurrent.futures.Future[int] = concurrent.futures.Future()
        job = _Job(self._read_foreign, future, None, None, transactional=False)
        self._jobs.put((URGENT, next(self._order), job))
        return future

    def submit(
        self,
        command: Callable[[Transaction], T],
        *,
        actor: str | None = None,
        idempotency: Idempotency | None = None,
        bulk: bool = False,
    ) -> concurrent.futures.Future[T]:
        """Queue a command; the future resolves after its commit. A `bulk` command
        (a kiosk issuing a ticket) lets other commands waiting at the same time go
        first, so a clerk's call is not held up behind a burst of issues; commands
        of one kind keep their order."""
        future: concurrent.futures.Future[T] = concurrent.futures.Future()
        job = _Job(command, future, actor, idempotency)
        self._jobs.put((BULK if bulk else URGENT, next(self._order), job))
        return future

    async def run(
        self,
        command: Callable[[Transaction], T],
        *,
        actor: str | None = None,
        idempotency: Idempotency | None = None,
        bulk: bool = False,
    ) -> T:
        """Run a command from async code."""
        future = self.submit(command, actor=actor, idempotency=idempotency, bulk=bulk)
        return await asyncio.wrap_future(future)

    def call(self, command: Callable[[Transaction], T], *, actor: str | None = None) -> T:
        """Run a command and wait for it (CLI and start-up code)."""
        return self.submit(command, actor=actor).result()

    def _run(self) -> None:
        try:
            db = open_writer_database(self._path)
            self.last_event_seq = last_event_seq(db.conn)
            self.watch.remember_files()
        except BaseException as exc:  # reported to start()'s caller
            self._startup_error = exc
            self._ready.set()
            return
        self._ready.set()
        try:
            while True:
                _, _, job = self._jobs.get()
                if job is None:
                    break
                self._execute(db, job)
        finally:
            db.close()

    def _execute(self, db: Database, job: _Job[Any]) -> None:
        if not job.future.set_running_or_notify_cancel():
            return
        tx = Transaction(db=db, now=self._clock.now(), actor=job.actor)
        if not job.transactional:
            try:
                job.future.set_result(job.command(tx))
            except BaseException as exc:
                job.future.set_exception(self._translate(exc))
            return
        try:
            self.watch.check_for_write()
            db.execute("BEGIN IMMEDIATE")
            result = self._apply(tx, job)
            db.execute("COMMIT")
        except BaseException as exc:
            self._roll_back(db)
            job.future.set_exception(self._translate(exc))
            return
        self.watch.succeeded()
        gap_closed = True
        with self.after_commit_lock:
            if tx.events and tx.events[0].seq > self.last_event_seq + 1:
                gap_closed = self._hand_on_foreign(db, before=tx.events[0].seq)
            for hook in tx.after_commit:
                try:
                    hook()
                except Exception:  # the commit stands; a broken cache is rebuilt on restart
                    log.exception("after-commit hook failed")
            if tx.events:
                self._tell_observers(db, tx.events, foreign=False)
        if tx.events and gap_closed:
            self._hand_on(tx.events)
        job.future.set_result(result)

    def _read_foreign(self, tx: Transaction) -> int:
        with self.after_commit_lock:
            before = self.last_event_seq
            self._hand_on_foreign(tx.db, before=None, raise_errors=True)
            return self.last_event_seq - before

    def _hand_on_foreign(
        self, db: Database, *, before: int | None, raise_errors: bool = False
    ) -> bool:
        """Publish the events another process appended after `last_event_seq` (and
        before `before`); False when they could not be read (then nothing newer is
        published either: the next `catch_up` hands on all of them, in order)."""
        while True:
            try:
                events = events_after(db.conn, self.last_event_seq, FOREIGN_BATCH, before=before)
            except sqlite3.Error:
                if raise_errors:
                    raise
                log.exception("reading events another process appended failed")
                return False
            if not events:
                return True
            self._tell_observers(db, events, foreign=True)
            self._hand_on(events)

    def _tell_observers(self, db: Database, events: list[Event], *, foreign: bool) -> None:
        for observer in self._observers:
            try:
                observer(db, events, foreign)
            except Exception:
                log.exception("an observer of committed events failed")

    def _hand_on(self, events: list[Event]) -> None:
        self.last_event_seq = events[-1].seq
        try:
            self._publish(events)
        except Exception:
            log.exception("publishing events failed; clients will catch up on resume")

    def _translate(self, error: BaseException) -> BaseException:
        """A SQLite error about the store becomes `StorageUnavailable` (and is recorded)."""
        if not isinstance(error, sqlite3.Error):
            return error
        unavailable = self.watch.failed(error)
        if unavailable is None:
            return error
        unavailable.__cause__ = error
        return unavailable

    @staticmethod
    def _roll_back(db: Database) -> None:
        """Undo an unfinished transaction. A rollback failing too (the disk gone) must not
        end the writer thread: every later command would wait for ever."""
        if not db.conn.in_transaction:
            return
        try:
            db.execute("ROLLBACK")
        except sqlite3.Error as exc:
            log.error("rolling back failed: %s", exc)

    def _apply(self, tx: Transaction, job: _Job[Any]) -> Any:
        idem = job.idempotency
        if idem is None:
            return job.command(tx)
        row = tx.execute(
            "SELECT request_hash, response FROM idempotency WHERE scope = ? AND key = ?",
            (idem.scope, idem.key),
        ).fetchone()
        if row is not None:
            if row[0] != idem.request_hash:
                raise IdempotencyConflict(
                    "This Idempotency-Key was already used for a different request."
                )
            return Replayed(json.loads(row[1]))
        result = job.command(tx)
        tx.execute(
            "INSERT INTO idempotency (scope, key, request_hash, status, response, created_at) "
            "VALUES (?, ?, ?, ?, ?, ?)",
            (
                idem.scope,
                idem.key,
                idem.request_hash,
                200,
                json.dumps(result, ensure_ascii=False),
                to_db_time(tx.now),
            ),
        )
        return result
