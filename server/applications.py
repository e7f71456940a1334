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
    ApplicationStatus,
    answer_deadline,
    check_status_change,
    kept_after_retention,
    normalize_secret,
    registration_number,
    validate_submission,
)
from core.catalogue import Catalogue
from core.csv_export import csv_text
from core.errors import Forbidden, InvalidInput, NotFound
from core.events import application_lodged_event, application_status_event, iso
from core.free_text import APPLICATION_NOTE, clean_text
from server import forwarding
from server.auth import Permission, Principal
from server.store import applications as store
from server.store import forwarding as forwarding_store
from server.store.times import parse_time
from server.store.writer import Transaction

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
    secret: str | None = None
    """The receipt's code, made beforehand (`new_secret`); None: made while lodging."""
    receipt_verifier: str | None = None
    """Its `receipt_verifier` when the application will be forwarded, made beforehand
    outside the writer (`server.forwarding.verifier_for`); None: made while lodging."""


def new_secret() -> str:
    """`ABCD-EFGH`: about 40 bits, enough behind a rate-limited lookup."""
    raw = "".join(secrets.choice(SECRET_ALPHABET) for _ in range(SECRET_LENGTH))
    return f"{raw[:4]}-{raw[4:]}"


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
    seq = store.last_seq_of_year(tx.db.conn, year) + 1
    number = registration_number(prefix, year, seq)
    secret = lodging.secret or new_secret()
    deadline = answer_deadline(local_now.date(), application_type.answer_days)
    application_id = uuid.uuid4().hex
    store.insert_application(
        tx.db.conn,
        application_id=application_id,
        registration_number=number,
        year=year,
        seq=seq,
        type_id=application_type.id,
        service_id=application_type.service_id,
        department_id=application_type.department_id,
        language=lodging.language,
        fields=cleaned,
        secret_hash=secret_digest(number, secret),
        status=ApplicationStatus.RECEIVED.value,
        lodged_at=tx.now,
        lodged_by=tx.actor or "?",
        kiosk_reference=lodging.kiosk_reference,
        answer_deadline=deadline,
    )
    _history(tx, application_id, ApplicationStatus.RECEIVED.value, None)
    forwarding.queue_if_forwarded(
        tx,
        catalogue,
        application_id=application_id,
        registration_number=number,
        type_id=application_type.id,
        service_id=application_type.service_id,
        department_id=application_type.department_id,
        language=lodging.language,
        fields=cleaned,
        answer_deadline=deadline,
        verifier=lodging.receipt_verifier,
        secret=secret,
    )
    tx.emit(
        application_lodged_event(
            number,
            application_type.id,
            application_type.department_id,
            application_type.service_id,
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
    store.add_history(tx.db.conn, application_id, tx.now, tx.actor or "?", status, note)


def audit(tx: Transaction, action: str, application_id: str | None, detail: str = "") -> None:
    """Record that a member of staff read or exported application data."""
    store.add_audit(tx.db.conn, tx.now, tx.actor or "?", action, application_id, detail)


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


def _row(conn: sqlite3.Connection, application_id: str) -> dict[str, Any]:
    row = store.application(conn, application_id)
    if row is None:
        raise NotFound("application", application_id[:64])
    return row


def _summary(row: dict[str, Any], today: str) -> dict[str, Any]:
    return {
        "id": row["id"],
        "registration_number": row["registration_number"],
        "type_id": row["type_id"],
        "department_id": row["department_id"],
        "status": row["status"],
        "lodged_at": iso(parse_time(row["lodged_at"])),
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
    today = _local(catalogue, now).date().isoformat()
    rows = store.inbox(conn, allowed, status=status, search=search, limit=LIST_LIMIT)
    return [_summary(row, today) for row in rows]


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
        {"at": iso(parse_time(at)), "actor": actor, "status": status, "note": note}
        for at, actor, status, note in store.history(tx.db.conn, row["id"])
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
    move_status(tx, row, new, _checked_note(note))
    return {"id": row["id"], "status": new.value}


def move_status(
    tx: Transaction, row: dict[str, Any], new: ApplicationStatus, note: str | None
) -> None:
    """Move the application `row` (a store row) to `new` by the one lifecycle
    (`core.applications.check_status_change`, `IllegalTransition` otherwise): its
    status, a history step by `tx.actor` with the (checked) note, and the event."""
    check_status_change(row["registration_number"], ApplicationStatus(row["status"]), new)
    store.set_status(tx.db.conn, row["id"], new.value, tx.now if new.is_closed else None)
    _history(tx, row["id"], new.value, note)
    tx.emit(
        application_status_event(
            row["registration_number"],
            row["type_id"],
            row["department_id"],
            new.value,
            row["service_id"],
        )
    )


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
    row = store.by_registration(conn, number)
    expected = secret_digest(number, secret[:40])
    stored = row[1] if row is not None else secret_digest("-", "-")
    if row is None or not hmac.compare_digest(stored, expected):
        raise NotFound("application", "with this registration number and code")
    application_type = catalogue.application_type(row[2])
    department = catalogue.department(application_type.department_id)
    steps = store.status_steps(conn, row[0])
    return {
        "registration_number": number,
        "type_name": application_type.name.as_dict(),
        "department_name": department.name.as_dict(),
        "status": row[3],
        "lodged_at": iso(parse_time(row[4])),
        "answer_deadline": row[5],
        "history": [{"at": iso(parse_time(at)), "status": status} for at, status in steps],
    }


def shown_from_hub(catalogue: Catalogue, answer: dict[str, Any]) -> dict[str, Any]:
    """The hub's answer to a status check (`server.hub_link.lookup.hub_status`) in the
    shape of `lookup`'s, named from this centre's catalogue (the national types and
    institutions are the same at every subscribed centre; an id it does not know is
    shown as it is)."""
    try:
        type_name = catalogue.application_type(str(answer["type_id"])).name.as_dict()
    except NotFound:
        type_name = {"en": str(answer["type_id"])}
    try:
        department_name = catalogue.department(str(answer["department_id"])).name.as_dict()
    except NotFound:
        department_name = {"en": str(answer["department_id"])}
    return {
        "registration_number": answer["registration_number"],
        "type_name": type_name,
        "department_name": department_name,
        "status": answer["status"],
        "lodged_at": answer["lodged_at"],
        "answer_deadline": answer["answer_deadline"],
        "history": [{"at": h["at"], "status": h["status"]} for h in answer["history"]],
    }


def purge_expired(tx: Transaction, retention_days: int) -> int:
    """Remove personal fields (and staff notes) of applications closed long enough ago.

    Type, department, status and dates stay, so statistics are unchanged.
    """
    rows = store.closed_unpurged(tx.db.conn, tx.now - timedelta(days=retention_days))
    for application_id, fields in rows:
        kept = kept_after_retention(json.loads(fields))
        store.purge(tx.db.conn, application_id, kept, tx.now)
        forwarding_store.purge_payload(tx.db.conn, application_id, kept)
    if rows:
        audit(tx, "purge", None, f"{len(rows)} applications")
    return len(rows)


def audit_log(
    conn: sqlite3.Connection, application_id: str | None = None, limit: int = 200
) -> list[dict[str, Any]]:
    """Recent audit entries, newest first."""
    return [
        {"at": at, "actor": actor, "action": action, "application_id": app, "detail": detail}
        for at, actor, action, app, detail in store.audit_entries(conn, application_id, limit)
    ]
