"""The single writer: every command runs here, in order, inside a `BEGIN IMMEDIATE`
transaction.

A command is a function of a `Transaction`. It reads what it needs, applies a
pure domain transition, writes rows and emits events; the writer appends the
events to the log, runs the command's after-commit hooks (which update in-memory
state), commits and hands the events to the publisher. Only then is the caller's
future resolved: nothing is acknowledged before it is durable.

Group commit: the commands waiting when the writer takes the next one (at most
`MAX_GROUP`; staff commands before kiosk issues, each kind in arrival order) run
one after another in *one* transaction, each inside its own savepoint, and are
acknowledged together after one commit (one fsync for the group, not one per
command). A command sees exactly what it would have seen alone: the commands
before it in the group have run, their hooks have updated the in-memory state
(under `after_commit_lock`, held for the whole group, so readers see all of the
group or none of it), and a command that fails is rolled back to its savepoint
alone and fails as it would have alone. If the group cannot be committed (or a
command meets an SQLite error, which may have spoilt the transaction), everything
is rolled back, the in-memory state is rebuilt from the database (`rebuild`, as at
a restart) and each command of the group runs again in a transaction of its own.

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
MAX_GROUP = 64
"""At most this many commands are committed together (bounds the time readers wait for
`after_commit_lock` and the work redone when a group cannot be committed)."""


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
        *,
        max_group: int = MAX_GROUP,
    ) -> None:
        self._path = path
        self.max_group = max(max_group, 1)
        """Commands committed together at most (1: every command commits alone)."""
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
        self.rebuild: Callable[[Transaction], None] = lambda tx: None
        """Rebuilds the in-memory state the after-commit hooks keep from the database,
        outside any transaction (after a group that ran hooks could not be committed)."""
        self.groups = 0
        """Transactions committed with more than one command (for tests and benchmarks)."""

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
            pending: _Job[Any] | None = None
            while True:
                job = pending if pending is not None else self._jobs.get()[2]
                pending = None
                if job is None:
                    break
                if not job.transactional:
                    self._execute(db, job)
                    continue
                group, pending, stop = self._take_group(job)
                self._execute_group(db, group)
                if stop:
                    break
        finally:
            db.close()

    def _take_group(self, first: _Job[Any]) -> tuple[list[_Job[Any]], _Job[Any] | None, bool]:
        """`first` and the transactional commands queued behind it, in queue order (at
        most `max_group`); the job taken that ends the group, if any; whether the stop
        marker was taken."""
        group = [first]
        while len(group) < self.max_group:
            try:
                _, _, job = self._jobs.get_nowait()
            except queue.Empty:
                break
            if job is None:
                return group, None, True
            if not job.transactional:
                return group, job, False
            group.append(job)
        return group, None, False

    def _execute_group(self, db: Database, group: list[_Job[Any]]) -> None:
        jobs = [job for job in group if job.future.set_running_or_notify_cancel()]
        if len(jobs) == 1:
            self._execute(db, jobs[0], running=True)
        elif jobs and not self._commit_together(db, jobs):
            for job in jobs:
                self._execute(db, job, running=True)

    def _commit_together(self, db: Database, jobs: list[_Job[Any]]) -> bool:
        """Run `jobs` in one transaction, each in a savepoint, and commit once; False
        (everything undone, the in-memory state rebuilt) when they must run alone."""
        outcomes: list[tuple[_Job[Any], Any, BaseException | None]] = []
        published: list[Event] = []
        gap_closed = True
        try:
            self.watch.check_for_write()
        except BaseException:
            return False  # each command meets the fault on its own and reports it
        with self.after_commit_lock:
            try:
                db.execute("BEGIN IMMEDIATE")
                for job in jobs:
                    tx = Transaction(db=db, now=self._clock.now(), actor=job.actor)
                    db.execute("SAVEPOINT command")
                    try:
                        result = self._apply(tx, job)
                    except sqlite3.Error:
                        raise
                    except BaseException as exc:
                        db.execute("ROLLBACK TO command")
                        db.execute("RELEASE command")
                        outcomes.append((job, None, exc))
                        continue
                    db.execute("RELEASE command")
                    if tx.events and tx.events[0].seq > self._next_seq(published):
                        gap_closed = gap_closed and self._hand_on_foreign(
                            db, before=tx.events[0].seq
                        )
                    self._after_commit(db, tx)
                    published += tx.events
                    outcomes.append((job, result, None))
                db.execute("COMMIT")
            except BaseException:
                self._roll_back(db)
                log.warning(
                    "a group of %d commands could not be committed; each runs alone", len(jobs)
                )
                self._rebuild(db)
                return False
        self.watch.succeeded()
        self.groups += 1
        if published and gap_closed:
            self._hand_on(published)
        for job, result, error in outcomes:
            if error is None:
                job.future.set_result(result)
            else:
                job.future.set_exception(self._translate(error))
        return True

    def _next_seq(self, published: list[Event]) -> int:
        """The sequence number the next event of this writer would have without a gap."""
        return (published[-1].seq if published else self.last_event_seq) + 1

    def _rebuild(self, db: Database) -> None:
        try:
            self.rebuild(Transaction(db=db, now=self._clock.now()))
        except Exception:
            log.exception("rebuilding the in-memory state failed")

    def _after_commit(self, db: Database, tx: Transaction) -> None:
        """Run a transaction's hooks and tell the observers of its events (under
        `after_commit_lock`)."""
        for hook in tx.after_commit:
            try:
                hook()
            except Exception:  # the commit stands; a broken cache is rebuilt on restart
                log.exception("after-commit hook failed")
        if tx.events:
            self._tell_observers(db, tx.events, foreign=False)

    def _execute(self, db: Database, job: _Job[Any], *, running: bool = False) -> None:
        if not running and not job.future.set_running_or_notify_cancel():
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
            self._after_commit(db, tx)
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
