"""The national service catalogue at the hub: numbered versions, each with who published
it, when and why; what changed, in words; rollback.

A version's document is catalogue TOML with only the shared sections
(`core.national`), validated by the one catalogue validator before it is stored. A
service published once never disappears: an upload that leaves one out keeps it,
withdrawn (`core.national.with_withdrawn`), and says so. A rollback is a new version
whose document is an earlier one's: history is never rewritten, and every centre sees
a higher number and applies it. Publishing takes a transaction-scoped advisory lock,
so two admins publishing at once get consecutive numbers.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

import psycopg
import tomli_w
from psycopg.types.json import Jsonb

from core.errors import CatalogueError, Conflict, InvalidInput, NotFound
from core.national import NationalCatalogue, describe_changes, parse_national, with_withdrawn
from core.settings import parse_document

PUBLISH_LOCK = 0x72696E6463  # pg_advisory_xact_lock key of publishing
MAX_NOTE = 500


@dataclass(frozen=True)
class Version:
    """One published version of the national catalogue."""

    version: int
    published_by: str
    published_at: datetime
    note: str
    restores: int | None
    """The earlier version a rollback restored (None: an ordinary change)."""
    document: str
    """The catalogue TOML as published."""
    data: dict[str, Any]

    def summary(self) -> dict[str, Any]:
        """The version without its document (for lists)."""
        return {
            "version": self.version,
            "published_by": self.published_by,
            "published_at": self.published_at.isoformat(),
            "note": self.note,
            "restores": self.restores,
        }


@dataclass(frozen=True)
class Published:
    """What publishing did."""

    version: Version
    changes: list[str]
    """What changed from the version before, in words."""
    kept_withdrawn: list[str]
    """Services the upload left out, kept as withdrawn."""


_COLUMNS = "version, published_by, published_at, note, restores, document, data"


def _version(row: tuple[Any, ...]) -> Version:
    return Version(row[0], row[1], row[2], row[3], row[4], row[5], row[6])


def latest(conn: psycopg.Connection) -> Version | None:
    """The current version (the highest number), or None before the first."""
    row = conn.execute(
        f"SELECT {_COLUMNS} FROM catalogue_versions ORDER BY version DESC LIMIT 1"
    ).fetchone()
    return _version(row) if row else None


def version(conn: psycopg.Connection, number: int) -> Version:
    """Version `number`; `NotFound` (`unknown_catalogue_version`) otherwise."""
    row = conn.execute(
        f"SELECT {_COLUMNS} FROM catalogue_versions WHERE version = %s", (number,)
    ).fetchone()
    if row is None:
        raise NotFound("catalogue_version", number)
    return _version(row)


def versions(conn: psycopg.Connection) -> list[Version]:
    """Every version, newest first."""
    rows = conn.execute(f"SELECT {_COLUMNS} FROM catalogue_versions ORDER BY version DESC")
    return [_version(row) for row in rows.fetchall()]


def changes(conn: psycopg.Connection, number: int, since: int | None = None) -> list[str]:
    """What changed from version `since` (default: the one before) to version `number`."""
    new = version(conn, number)
    if since is None:
        since = number - 1
    old = version(conn, since).data if since > 0 else {}
    return describe_changes(old, new.data)


def publish(
    conn: psycopg.Connection,
    text: str,
    *,
    by: str,
    note: str,
    now: datetime,
    source: str = "upload",
    restores: int | None = None,
) -> Published:
    """Validate `text` (catalogue TOML, named `source` in errors) and store it as the next
    version. Raises `CatalogueError` (naming the field), `InvalidInput` (no note) or
    `Conflict` (`catalogue_unchanged`: the same as the current version)."""
    note = note.strip()
    if not note or len(note) > MAX_NOTE:
        raise InvalidInput(
            f"Say what changed and why (1-{MAX_NOTE} characters).", {"note": "required"}
        )
    uploaded = parse_document(text, source, CatalogueError).data
    parse_national(uploaded, source)
    with conn.transaction():
        conn.execute("SELECT pg_advisory_xact_lock(%s)", (PUBLISH_LOCK,))
        previous = latest(conn)
        data, kept = with_withdrawn(uploaded, previous.data if previous else None)
        national = parse_national(data, source)
        if kept:
            text = f"# Left out of the upload, kept withdrawn: {', '.join(kept)}\n" + tomli_w.dumps(
                data
            )
        if previous is not None and previous.data == data:
            raise Conflict(
                f"This is version {previous.version} as it is: nothing to publish.",
                code="catalogue_unchanged",
            )
        number = previous.version + 1 if previous else 1
        conn.execute(
            f"INSERT INTO catalogue_versions ({_COLUMNS}) VALUES (%s, %s, %s, %s, %s, %s, %s)",
            (number, by, now, note, restores, text, Jsonb(data)),
        )
        _store_rows(conn, number, national)
    stored = version(conn, number)
    words = describe_changes(previous.data if previous else {}, data)
    return Published(stored, words, kept)


def rollback(conn: psycopg.Connection, to: int, *, by: str, note: str, now: datetime) -> Published:
    """A new version restoring version `to`'s document (services published since are
    kept withdrawn). `NotFound` for an unknown version."""
    earlier = version(conn, to)
    reason = note.strip() or "no reason given"
    return publish(
        conn,
        earlier.document,
        by=by,
        note=f"Rollback to version {to}: {reason}",
        now=now,
        source=f"version {to}",
        restores=to,
    )


def _store_rows(conn: psycopg.Connection, number: int, national: NationalCatalogue) -> None:
    with conn.cursor() as cursor:
        cursor.executemany(
            "INSERT INTO catalogue_departments "
            "(version, department_id, kind, name, email, iban) VALUES (%s, %s, %s, %s, %s, %s)",
            [
                (number, d.id, d.kind, Jsonb(d.name.as_dict()), d.email, d.iban)
                for d in national.services.departments
            ],
        )
        cursor.executemany(
            "INSERT INTO catalogue_services (version, service_id, name, category_id, "
            "department_id, fee_amount, withdrawn) VALUES (%s, %s, %s, %s, %s, %s, %s)",
            [
                (
                    number,
                    s.id,
                    Jsonb(s.name.as_dict()),
                    s.category_id,
                    s.standard.department_id,
                    s.standard.fee_amount,
                    s.withdrawn,
                )
                for s in national.services.services
            ],
        )


def record_centre_version(
    conn: psycopg.Connection, centre_id: str, number: int, now: datetime
) -> None:
    """A centre says it runs version `number` (shown in the network view)."""
    version(conn, number)  # NotFound for a version the hub never published
    conn.execute(
        "UPDATE centres SET catalogue_applied_at = CASE WHEN catalogue_version IS DISTINCT "
        "FROM %s THEN %s ELSE catalogue_applied_at END, catalogue_version = %s, "
        "last_contact_at = %s WHERE id = %s",
        (number, now, number, now, centre_id),
    )
