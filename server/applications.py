"""Applications in the store: lodging, the back-office inbox, status, lookup, retention.

Every function that reads personal data for a member of staff runs inside a
writer transaction and writes its audit entry in that same transaction, so a
read without an audit entry cannot happen. Events about applications carry no
personal data (the event log is kept for statistics and streamed to terminals).
"""

from __future__ import annotations

import hashlib
import hmac
import json
import secrets
import sqlite3
import uuid
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from core.applications import (
    STANDARD_FIELDS,
    ApplicationStatus,
    answer_deadline,
    check_status_change,
    registration_number,
    validate_submission,
)
from core.catalogue import Catalogue
from core.csv_export import csv_text
from core.errors import Forbidden, InvalidInput, NotFound
from core.events import APPLICATION_LODGED, APPLICATION_STATUS, EventDraft, iso
from core.free_text import APPLICATION_NOTE, clean_text
from server.auth import Permission, Principal
from server.store.rows import parse_time
from server.store.writer import Transaction, to_db_time

SECRET_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"
"""No 0/O or 1/I: the secret is read off paper and typed on a touchscreen."""
SECRET_LENGTH = 8
MAX_NOTE = APPLICATION_NOTE.max_length
LIST_LIMIT = 500
CSV_COLUMNS = (
    "registration_number",
    "type_id",
    "department_id",
    "status",
    "lodged_at",
    "answer_deadline",
    "closed_at",
    "kiosk_reference",
)


@dataclass(frozen=True)
class Lodging:
    """What a kiosk (or a clerk on a visitor's behalf) sends."""

    type_id: str
    language: str
    fields: dict[str, Any]
    consent: bool
    kiosk_reference: str | None = None


def new_secret() -> str:
    """`ABCD-EFGH`: about 40 bits, enough behind a rate-limited lookup."""
    raw = "".join(secrets.choice(SECRET_ALPHABET) for _ in range(SECRET_LENGTH))
    return f"{raw[:4]}-{raw[4:]}"


def normalize_secret(secret: str) -> str:
    """Case, spaces and the hyphen do not matter when the secret is typed back."""
    return "".join(ch for ch in secret.upper() if ch.isalnum())


def secret_digest(registration: str, secret: str) -> str:
    """What is stored instead of the secret."""
    message = f"{registration}\n{normalize_secret(secret)}".encode()
    return hashlib.sha256(message).hexdigest()


def normalize_registration(text: str) -> str:
    """`kac/2026/123` and ` KAC/2026/000123 ` both mean `KAC/2026/000123`."""
    parts = text.strip().upper().split("/")
    if len(parts) == 3 and parts[1].isdigit() and parts[2].isdigit():
        return registration_number(parts[0], int(parts[1]), int(parts[2]))
    return text.strip().upper()


def _local(catalogue: Catalogue, moment: datetime) -> datetime:
    return moment.astimezone(ZoneInfo(catalogue.centre.timezone))


def lodge(tx: Transaction, catalogue: Catalogue, prefix: str, lodging: Lodging) -> dict[str, Any]:
    """Validate and store an application; the answer holds the secret, shown only now."""
    try:
        application_type = catalogue.application_type(lodging.type_id)
    except NotFound:
        raise InvalidInput(
            f"No application type {lodging.type_id!r}.", {"type_id": "unknown_type"}
        ) from None
    local_now = _local(catalogue, tx.now)
    cleaned = validate_submission(
        application_type, lodging.fields, consent=lodging.consent, today=local_now.date()
    )
    year = local_now.year
    (last,) = tx.execute(
        "SELECT COALESCE(MAX(seq), 0) FROM applications WHERE year = ?", (year,)
    ).fetchone()
    seq = int(last) + 1
    number = registration_number(prefix, year, seq)
    secret = new_secret()
    deadline = answer_deadline(local_now.date(), application_type.answer_days)
    application_id = uuid.uuid4().hex
    tx.execute(
        "INSERT INTO applications (id, registration_number, year, seq, type_id, service_id, "
        "department_id, language, fields, secret_hash, status, lodged_at, lodged_by, "
        "kiosk_reference, answer_deadline) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        (
            application_id,
            number,
            year,
            seq,
            application_type.id,
            application_type.service_id,
            application_type.department_id,
            lodging.language,
            json.dumps(cleaned, ensure_ascii=False),
            secret_digest(number, secret),
            ApplicationStatus.RECEIVED.value,
            to_db_time(tx.now),
            tx.actor or "?",
            lodging.kiosk_reference,
            deadline.isoformat(),
        ),
    )
    _history(tx, application_id, ApplicationStatus.RECEIVED.value, None)
    tx.emit(
        EventDraft(
            APPLICATION_LODGED,
            {
                "registration_number": number,
                "type_id": application_type.id,
                "department_id": application_type.department_id,
            },
            service_id=application_type.service_id,
        )
    )
    department = catalogue.department(application_type.department_id)
    return {
        "id": application_id,
        "registration_number": number,
        "secret": secret,
        "status": ApplicationStatus.RECEIVED.value,
        "type_id": application_type.id,
        "department_id": department.id,
        "department_name": department.name.as_dict(),
        "lodged_at": iso(tx.now),
        "answer_deadline": deadline.isoformat(),
        "kiosk_reference": lodging.kiosk_reference,
    }


def _history(tx: Transaction, application_id: str, status: str | None, note: str | None) -> None:
    tx.execute(
        "INSERT INTO application_history (application_id, at, actor, status, note) "
        "VALUES (?, ?, ?, ?, ?)",
        (application_id, to_db_time(tx.now), tx.actor or "?", status, note),
    )


def audit(tx: Transaction, action: str, application_id: str | None, detail: str = "") -> None:
    """Record that a member of staff read or exported application data."""
    tx.execute(
        "INSERT INTO application_audit (at, actor, action, application_id, detail) "
        "VALUES (?, ?, ?, ?, ?)",
        (to_db_time(tx.now), tx.actor or "?", action, application_id, detail),
    )


# -- access ---------------------------------------------------------------------


def departments_of(principal: Principal, catalogue: Catalogue) -> set[str]:
    """The departments whose inbox this person may see."""
    if principal.can(Permission.MANAGE):
        return {d.id for d in catalogue.departments}
    if principal.can(Permission.BACK_OFFICE) and principal.department_id:
        return {principal.department_id}
    return set()


def _check_access(principal: Principal, catalogue: Catalogue, department_id: str) -> None:
    if department_id not in departments_of(principal, catalogue):
        raise Forbidden("This application belongs to another department's inbox.")


def _row(conn: sqlite3.Connection, application_id: str) -> sqlite3.Row:
    conn.row_factory = sqlite3.Row
    try:
        row = conn.execute("SELECT * FROM applications WHERE id = ?", (application_id,)).fetchone()
    finally:
        conn.row_factory = None
    if row is None:
        raise NotFound("application", application_id[:64])
    return row  # type: ignore[no-any-return]


def _summary(row: sqlite3.Row | dict[str, Any], today: str) -> dict[str, Any]:
    return {
        "id": row["id"],
        "registration_number": row["registration_number"],
        "type_id": row["type_id"],
        "department_id": row["department_id"],
        "status": row["status"],
        "lodged_at": iso(parse_time(row["lodged_at"])),  # type: ignore[arg-type]
        "answer_deadline": row["answer_deadline"],
        "overdue": row["closed_at"] is None and row["answer_deadline"] < today,
        "closed_at": row["closed_at"],
        "kiosk_reference": row["kiosk_reference"],
        "purged": row["purged_at"] is not None,
    }


def inbox(
    conn: sqlite3.Connection,
    catalogue: Catalogue,
    principal: Principal,
    now: datetime,
    *,
    department: str | None = None,
    status: str | None = None,
    search: str | None = None,
) -> list[dict[str, Any]]:
    """Applications in the departments this person may see, newest first (no personal data)."""
    allowed = departments_of(principal, catalogue)
    if department is not None:
        if department not in allowed:
            raise Forbidden("You may not see this department's inbox.")
        allowed = {department}
    if not allowed:
        raise Forbidden("You are not in any department's inbox; ask an administrator.")
    if status is not None and status not in {s.value for s in ApplicationStatus}:
        raise InvalidInput(f"Unknown status {status!r}.", {"status": "invalid_choice"})
    sql = f"SELECT * FROM applications WHERE department_id IN ({', '.join('?' * len(allowed))})"
    params: list[Any] = sorted(allowed)
    if status is not None:
        sql += " AND status = ?"
        params.append(status)
    if search:
        sql += " AND (registration_number LIKE ? OR kiosk_reference = ?)"
        params += [f"%{search.strip().upper()}%", search.strip().upper()]
    sql += f" ORDER BY lodged_at DESC LIMIT {LIST_LIMIT}"
    today = _local(catalogue, now).date().isoformat()
    conn.row_factory = sqlite3.Row
    try:
        return [_summary(row, today) for row in conn.execute(sql, params)]
    finally:
        conn.row_factory = None


def inbox_csv(rows: list[dict[str, Any]]) -> str:
    """The inbox as CSV (no personal data), for spreadsheets."""
    return csv_text(CSV_COLUMNS, ([row[column] for column in CSV_COLUMNS] for row in rows))


def read_application(
    tx: Transaction, catalogue: Catalogue, principal: Principal, application_id: str
) -> dict[str, Any]:
    """The whole application with its history; the read is audited."""
    row = _row(tx.db.conn, application_id)
    _check_access(principal, catalogue, row["department_id"])
    audit(tx, "read", row["id"])
    today = _local(catalogue, tx.now).date().isoformat()
    result = _summary(row, today)
    result["language"] = row["language"]
    result["fields"] = json.loads(row["fields"])
    result["lodged_by"] = row["lodged_by"]
    result["history"] = [
        {"at": iso(parse_time(at)), "actor": actor, "status": status, "note": note}  # type: ignore[arg-type]
        for at, actor, status, note in tx.execute(
            "SELECT at, actor, status, note FROM application_history "
            "WHERE application_id = ? ORDER BY id",
            (row["id"],),
        )
    ]
    return result


def change_status(
    tx: Transaction,
    catalogue: Catalogue,
    principal: Principal,
    application_id: str,
    status: str,
    note: str | None,
) -> dict[str, Any]:
    """Move an application on (`received → forwarded → in progress → answered | rejected`)."""
    row = _row(tx.db.conn, application_id)
    _check_access(principal, catalogue, row["department_id"])
    try:
        new = ApplicationStatus(status)
    except ValueError:
        raise InvalidInput(f"Unknown status {status!r}.", {"status": "invalid_choice"}) from None
    check_status_change(row["registration_number"], ApplicationStatus(row["status"]), new)
    note = _checked_note(note)
    closed_at = to_db_time(tx.now) if new.is_closed else None
    tx.execute(
        "UPDATE applications SET status = ?, closed_at = ? WHERE id = ?",
        (new.value, closed_at, row["id"]),
    )
    _history(tx, row["id"], new.value, note)
    tx.emit(
        EventDraft(
            APPLICATION_STATUS,
            {
                "registration_number": row["registration_number"],
                "type_id": row["type_id"],
                "department_id": row["department_id"],
                "status": new.value,
            },
            service_id=row["service_id"],
        )
    )
    return {"id": row["id"], "status": new.value}


def add_note(
    tx: Transaction, catalogue: Catalogue, principal: Principal, application_id: str, note: str
) -> None:
    """A note in the application's history, with who wrote it and when."""
    row = _row(tx.db.conn, application_id)
    _check_access(principal, catalogue, row["department_id"])
    checked = _checked_note(note)
    if not checked:
        raise InvalidInput("The note is empty.", {"note": "required"})
    _history(tx, row["id"], None, checked)


def _checked_note(note: str | None) -> str | None:
    if note is None:
        return None
    return clean_text(note, APPLICATION_NOTE, "note") or None


def lookup(
    conn: sqlite3.Connection, catalogue: Catalogue, registration: str, secret: str
) -> dict[str, Any]:
    """What the applicant may see: status and dates, never personal data or staff names.

    A wrong number and a wrong secret give the same answer, so the lookup
    reveals nothing about which applications exist.
    """
    number = normalize_registration(registration)[:40]
    row = conn.execute(
        "SELECT id, secret_hash, type_id, status, lodged_at, answer_deadline "
        "FROM applications WHERE registration_number = ?",
        (number,),
    ).fetchone()
    expected = secret_digest(number, secret[:40])
    stored = row[1] if row is not None else secret_digest("-", "-")
    if row is None or not hmac.compare_digest(stored, expected):
        raise NotFound("application", "with this registration number and code")
    application_type = catalogue.application_type(row[2])
    department = catalogue.department(application_type.department_id)
    steps = conn.execute(
        "SELECT at, status FROM application_history WHERE application_id = ? "
        "AND status IS NOT NULL ORDER BY id",
        (row[0],),
    ).fetchall()
    return {
        "registration_number": number,
        "type_name": application_type.name.as_dict(),
        "department_name": department.name.as_dict(),
        "status": row[3],
        "lodged_at": iso(parse_time(row[4])),  # type: ignore[arg-type]
        "answer_deadline": row[5],
        "history": [{"at": iso(parse_time(at)), "status": status} for at, status in steps],  # type: ignore[arg-type]
    }


def purge_expired(tx: Transaction, retention_days: int) -> int:
    """Remove personal fields (and staff notes) of applications closed long enough ago.

    Type, department, status and dates stay, so statistics are unchanged.
    """
    cutoff = to_db_time(tx.now - timedelta(days=retention_days))
    rows = tx.execute(
        "SELECT id, fields FROM applications WHERE purged_at IS NULL AND closed_at IS NOT NULL "
        "AND closed_at <= ?",
        (cutoff,),
    ).fetchall()
    for application_id, fields in rows:
        kept = {
            name: value
            for name, value in json.loads(fields).items()
            if name in STANDARD_FIELDS and not STANDARD_FIELDS[name].personal
        }
        tx.execute(
            "UPDATE applications SET fields = ?, purged_at = ? WHERE id = ?",
            (json.dumps(kept), to_db_time(tx.now), application_id),
        )
        tx.execute(
            "UPDATE application_history SET note = NULL WHERE application_id = ?",
            (application_id,),
        )
    if rows:
        audit(tx, "purge", None, f"{len(rows)} applications")
    return len(rows)


def audit_log(
    conn: sqlite3.Connection, application_id: str | None = None, limit: int = 200
) -> list[dict[str, Any]]:
    """Recent audit entries, newest first."""
    sql = "SELECT at, actor, action, application_id, detail FROM application_audit"
    params: tuple[Any, ...] = ()
    if application_id is not None:
        sql += " WHERE application_id = ?"
        params = (application_id,)
    sql += " ORDER BY id DESC LIMIT ?"
    return [
        {"at": at, "actor": actor, "action": action, "application_id": app, "detail": detail}
        for at, actor, action, app, detail in conn.execute(sql, (*params, limit))
    ]
