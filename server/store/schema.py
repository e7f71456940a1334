"""Database schema, as sqlite-utils migrations (applied at every start; idempotent)."""

from __future__ import annotations

import sqlite3

from sqlite_utils import Database, Migrations

migrations = Migrations("rinda")


def _run(db: Database, ddl: str) -> None:
    # One statement at a time: executescript() would commit the migration's
    # transaction half way. sqlite3.complete_statement finds where each ends
    # (a trigger body contains semicolons of its own).
    buffer = ""
    for line in ddl.splitlines(keepends=True):
        buffer += line
        if sqlite3.complete_statement(buffer):
            db.execute(buffer)
            buffer = ""
    if buffer.strip():
        db.execute(buffer)


@migrations()
def m001_queue(db: Database) -> None:
    """Tickets, counters, the event log, idempotency keys."""
    _run(
        db,
        """
        CREATE TABLE tickets (
            id TEXT PRIMARY KEY,
            number TEXT NOT NULL,
            prefix TEXT NOT NULL,
            seq INTEGER NOT NULL CHECK (seq >= 1),
            business_day TEXT NOT NULL,
            service_id TEXT NOT NULL,
            original_service_id TEXT NOT NULL,
            language TEXT NOT NULL,
            is_priority INTEGER NOT NULL,
            status TEXT NOT NULL,
            issued_at TEXT NOT NULL,
            first_called_at TEXT,
            called_at TEXT,
            started_at TEXT,
            finished_at TEXT,
            parked_at TEXT,
            no_show_at TEXT,
            cancelled_at TEXT,
            expired_at TEXT,
            transferred_at TEXT,
            counter_id TEXT,
            target_counter_id TEXT,
            recall_count INTEGER NOT NULL DEFAULT 0,
            transfer_count INTEGER NOT NULL DEFAULT 0,
            walk_direct INTEGER NOT NULL DEFAULT 0,
            clerk TEXT,
            printed INTEGER,
            print_error TEXT,
            delivered_service TEXT,
            note TEXT,
            issued_by TEXT,
            UNIQUE (prefix, business_day, seq)
        );
        CREATE INDEX tickets_by_status ON tickets (status);
        CREATE INDEX tickets_by_day ON tickets (business_day, service_id);
        CREATE TABLE counter_states (
            counter_id TEXT PRIMARY KEY,
            status TEXT NOT NULL,
            since TEXT,
            clerk TEXT,
            current_ticket_id TEXT REFERENCES tickets (id)
        );
        CREATE TABLE events (
            seq INTEGER PRIMARY KEY AUTOINCREMENT,
            type TEXT NOT NULL,
            at TEXT NOT NULL,
            service_id TEXT,
            counter_id TEXT,
            ticket_id TEXT,
            actor TEXT,
            data TEXT NOT NULL
        );
        CREATE INDEX events_by_type_at ON events (type, at);
        CREATE INDEX events_by_ticket ON events (ticket_id);
        CREATE TRIGGER events_append_only_update BEFORE UPDATE ON events
        BEGIN SELECT RAISE(ABORT, 'the event log is append-only'); END;
        CREATE TRIGGER events_append_only_delete BEFORE DELETE ON events
        BEGIN SELECT RAISE(ABORT, 'the event log is append-only'); END;
        CREATE TABLE idempotency (
            scope TEXT NOT NULL,
            key TEXT NOT NULL,
            request_hash TEXT NOT NULL,
            status INTEGER NOT NULL,
            response TEXT NOT NULL,
            created_at TEXT NOT NULL,
            PRIMARY KEY (scope, key)
        );
        CREATE TABLE settings (
            key TEXT PRIMARY KEY,
            value TEXT NOT NULL
        );
        CREATE TABLE hours_exceptions (
            day TEXT PRIMARY KEY,
            ranges TEXT NOT NULL,
            note TEXT NOT NULL DEFAULT '',
            created_by TEXT,
            created_at TEXT NOT NULL
        );
        """,
    )


@migrations()
def m002_auth(db: Database) -> None:
    """Users, login sessions and device tokens."""
    _run(
        db,
        """
        CREATE TABLE users (
            username TEXT PRIMARY KEY,
            role TEXT NOT NULL,
            password_hash TEXT NOT NULL,
            display_name TEXT NOT NULL DEFAULT '',
            counter_id TEXT,
            department_id TEXT,
            disabled INTEGER NOT NULL DEFAULT 0,
            created_at TEXT NOT NULL
        );
        CREATE TABLE sessions (
            token_hash TEXT PRIMARY KEY,
            username TEXT NOT NULL REFERENCES users (username),
            csrf_token TEXT NOT NULL,
            counter_id TEXT,
            created_at TEXT NOT NULL,
            expires_at TEXT NOT NULL
        );
        CREATE TABLE devices (
            name TEXT PRIMARY KEY,
            role TEXT NOT NULL,
            token_hash TEXT NOT NULL UNIQUE,
            counter_id TEXT,
            created_at TEXT NOT NULL,
            revoked_at TEXT,
            last_seen_at TEXT,
            status TEXT
        );
        """,
    )


@migrations()
def m003_applications(db: Database) -> None:
    """Applications lodged at kiosks, their status history and the staff read log."""
    _run(
        db,
        """
        CREATE TABLE applications (
            id TEXT PRIMARY KEY,
            registration_number TEXT NOT NULL UNIQUE,
            year INTEGER NOT NULL,
            seq INTEGER NOT NULL,
            type_id TEXT NOT NULL,
            service_id TEXT NOT NULL,
            department_id TEXT NOT NULL,
            language TEXT NOT NULL,
            fields TEXT NOT NULL,
            secret_hash TEXT NOT NULL,
            status TEXT NOT NULL,
            lodged_at TEXT NOT NULL,
            lodged_by TEXT NOT NULL,
            kiosk_reference TEXT,
            answer_deadline TEXT NOT NULL,
            closed_at TEXT,
            purged_at TEXT,
            UNIQUE (year, seq)
        );
        CREATE INDEX applications_department ON applications (department_id, status);
        CREATE TABLE application_history (
            id INTEGER PRIMARY KEY,
            application_id TEXT NOT NULL REFERENCES applications (id),
            at TEXT NOT NULL,
            actor TEXT NOT NULL,
            status TEXT,
            note TEXT
        );
        CREATE INDEX application_history_app ON application_history (application_id, id);
        CREATE TABLE application_audit (
            id INTEGER PRIMARY KEY,
            at TEXT NOT NULL,
            actor TEXT NOT NULL,
            action TEXT NOT NULL,
            application_id TEXT,
            detail TEXT NOT NULL DEFAULT ''
        );
        """,
    )


@migrations()
def m004_feedback(db: Database) -> None:
    """Visitors' ratings after service: one per ticket."""
    _run(
        db,
        """
        CREATE TABLE feedback (
            ticket_id TEXT PRIMARY KEY REFERENCES tickets (id),
            rating INTEGER NOT NULL CHECK (rating BETWEEN 1 AND 5),
            at TEXT NOT NULL,
            service_id TEXT NOT NULL,
            counter_id TEXT,
            clerk TEXT,
            device TEXT NOT NULL
        );
        """,
    )


@migrations()
def m005_session_last_seen(db: Database) -> None:
    """When each sign-in session was last used (for the idle time)."""
    _run(
        db,
        """
        ALTER TABLE sessions ADD COLUMN last_seen_at TEXT NOT NULL DEFAULT '';
        UPDATE sessions SET last_seen_at = created_at;
        """,
    )


@migrations()
def m006_appointments(db: Database) -> None:
    """Appointments (held, booked, cancelled, checked in, missed), the notification outbox
    and the log of staff reading their contacts."""
    _run(
        db,
        """
        CREATE TABLE appointments (
            id TEXT PRIMARY KEY,
            service_id TEXT NOT NULL,
            starts_at TEXT NOT NULL,
            ends_at TEXT NOT NULL,
            status TEXT NOT NULL,
            language TEXT NOT NULL,
            created_at TEXT NOT NULL,
            held_until TEXT NOT NULL,
            code TEXT UNIQUE,
            manage_hash TEXT UNIQUE,
            name TEXT,
            phone TEXT,
            email TEXT,
            contact_key TEXT,
            booked_at TEXT,
            cancelled_at TEXT,
            released_at TEXT,
            checked_in_at TEXT,
            missed_at TEXT,
            ticket_id TEXT REFERENCES tickets (id),
            purged_at TEXT
        );
        CREATE INDEX appointments_by_slot ON appointments (service_id, starts_at);
        CREATE INDEX appointments_by_contact ON appointments (contact_key, status);
        CREATE INDEX appointments_by_status ON appointments (status, starts_at);
        CREATE TABLE notifications (
            id INTEGER PRIMARY KEY,
            trigger_key TEXT NOT NULL UNIQUE,
            kind TEXT NOT NULL,
            channel TEXT NOT NULL,
            recipient TEXT,
            subject TEXT,
            body TEXT,
            appointment_id TEXT,
            status TEXT NOT NULL,
            attempts INTEGER NOT NULL DEFAULT 0,
            next_attempt_at TEXT NOT NULL,
            last_error TEXT,
            created_at TEXT NOT NULL,
            sent_at TEXT,
            purged_at TEXT
        );
        CREATE INDEX notifications_due ON notifications (status, next_attempt_at);
        CREATE TABLE personal_data_audit (
            id INTEGER PRIMARY KEY,
            at TEXT NOT NULL,
            actor TEXT NOT NULL,
            action TEXT NOT NULL,
            subject TEXT,
            detail TEXT NOT NULL DEFAULT ''
        );
        """,
    )


@migrations()
def m007_appointment_tickets(db: Database) -> None:
    """A ticket issued at an appointment's check-in keeps the booked time."""
    _run(db, "ALTER TABLE tickets ADD COLUMN appointment_at TEXT;")


@migrations()
def m008_application_forwarding(db: Database) -> None:
    """The outbox of applications forwarded to the network hub: written in the lodging
    transaction, delivered (and marked) once the hub acknowledges."""
    _run(
        db,
        """
        CREATE TABLE application_forwarding (
            application_id TEXT PRIMARY KEY REFERENCES applications (id),
            payload TEXT NOT NULL,
            queued_at TEXT NOT NULL,
            attempts INTEGER NOT NULL DEFAULT 0,
            last_error TEXT,
            delivered_at TEXT
        );
        CREATE INDEX application_forwarding_pending
            ON application_forwarding (delivered_at, queued_at);
        """,
    )


def migration_names() -> tuple[str, ...]:
    """This version's schema migrations, oldest first (the schema versions it knows)."""
    return tuple(migration.name for migration in migrations.pending(Database(memory=True)))


def newer_migrations(db: Database) -> list[str]:
    """Migrations applied to `db` that this version does not know: the database was
    upgraded by a newer Rinda (empty when it was not)."""
    known = set(migration_names())
    return [m.name for m in migrations.applied(db) if m.name not in known]
