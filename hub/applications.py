"""Applications forwarded by centres, at the hub: storing them once.

A centre forwards an application whose institution its own back office does not
serve (`server.forwarding`); the hub keeps it under the lodging centre and the
registration number the resident holds, so a resend is stored once
(`store_forwarded` answers whether this call stored it).
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

import psycopg
from psycopg.types.json import Jsonb

from core.applications import receipt_matches, receipt_verifier
from core.errors import InvalidInput, NotFound


def known_department(conn: psycopg.Connection[Any], department_id: str) -> bool:
    """Whether any published national catalogue version has this department."""
    row = conn.execute(
        "SELECT 1 FROM catalogue_departments WHERE department_id = %s LIMIT 1",
        (department_id,),
    ).fetchone()
    return row is not None


def store_forwarded(
    conn: psycopg.Connection[Any],
    centre_id: str,
    *,
    registration_number: str,
    type_id: str,
    service_id: str,
    department_id: str,
    language: str,
    lodged_at: datetime,
    answer_deadline: date,
    fields: dict[str, str],
    receipt_verifier: str,
    now: datetime,
) -> bool:
    """Store a forwarded application once; True when this call stored it, False when
    the hub had it already (a resend). `InvalidInput` (`unknown_department`) for a
    department of no published national catalogue version."""
    with conn.transaction():
        return _store(
            conn,
            centre_id,
            registration_number=registration_number,
            type_id=type_id,
            service_id=service_id,
            department_id=department_id,
            language=language,
            lodged_at=lodged_at,
            answer_deadline=answer_deadline,
            fields=fields,
            receipt_verifier=receipt_verifier,
            now=now,
        )


def _store(
    conn: psycopg.Connection[Any],
    centre_id: str,
    *,
    registration_number: str,
    type_id: str,
    service_id: str,
    department_id: str,
    language: str,
    lodged_at: datetime,
    answer_deadline: date,
    fields: dict[str, str],
    receipt_verifier: str,
    now: datetime,
) -> bool:
    if not known_department(conn, department_id):
        raise InvalidInput(
            f"No institution {department_id!r} in the national catalogue.",
            {"department_id": "unknown_department"},
        )
    row = conn.execute(
        "INSERT INTO applications (centre_id, registration_number, type_id, service_id, "
        "department_id, language, lodged_at, answer_deadline, fields, receipt_verifier, "
        "received_at) VALUES (%s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s) "
        "ON CONFLICT (centre_id, registration_number) DO NOTHING RETURNING id",
        (
            centre_id,
            registration_number,
            type_id,
            service_id,
            department_id,
            language,
            lodged_at,
            answer_deadline,
            Jsonb(fields),
            receipt_verifier,
            now,
        ),
    ).fetchone()
    if row is None:
        return False
    conn.execute(
        "INSERT INTO application_history (application_id, at, actor, status) "
        "VALUES (%s, %s, %s, 'forwarded')",
        (row[0], now, f"centre:{centre_id}"),
    )
    return True


UPDATES_LIMIT = 500


def status_updates(
    conn: psycopg.Connection[Any], centre_id: str, after: int, limit: int = UPDATES_LIMIT
) -> list[dict[str, Any]]:
    """The status steps institutions made on the applications `centre_id` forwarded,
    after position `after`, oldest first: `{seq, registration_number, status, at}`
    (no notes, no names: what the resident's status check shows)."""
    rows = conn.execute(
        "SELECT h.id, a.registration_number, h.status, h.at FROM application_history h "
        "JOIN applications a ON a.id = h.application_id "
        "WHERE a.centre_id = %s AND h.id > %s AND h.status IS NOT NULL "
        "AND h.actor NOT LIKE 'centre:%%' ORDER BY h.id LIMIT %s",
        (centre_id, after, limit),
    ).fetchall()
    return [
        {"seq": seq, "registration_number": number, "status": status, "at": at.isoformat()}
        for seq, number, status, at in rows
    ]


def status_for_resident(
    conn: psycopg.Connection[Any], registration_number: str, secret: str
) -> dict[str, Any]:
    """What a resident may see of a forwarded application, for the registration number
    **and** the receipt's code (normalised): status and dates, never personal data or
    names. A wrong number and a wrong code give the same `NotFound`."""
    rows = conn.execute(
        "SELECT id, receipt_verifier, type_id, department_id, status, lodged_at, "
        "answer_deadline FROM applications WHERE registration_number = %s LIMIT 5",
        (registration_number,),
    ).fetchall()
    match = None
    for row in rows or [("", receipt_verifier("-", "00" * 16), "", "", "", None, None)]:
        if receipt_matches(row[1], secret):  # the same work when the number is unknown
            match = row
    if match is None:
        raise NotFound("application", "with this registration number and code")
    steps = conn.execute(
        "SELECT at, status FROM application_history WHERE application_id = %s "
        "AND status IS NOT NULL ORDER BY id",
        (match[0],),
    ).fetchall()
    return {
        "registration_number": registration_number,
        "type_id": match[2],
        "department_id": match[3],
        "status": match[4],
        "lodged_at": match[5].isoformat(),
        "answer_deadline": match[6].isoformat(),
        "history": [
            {"at": match[5].isoformat(), "status": "received"},  # lodged at the centre
            *({"at": at.isoformat(), "status": status} for at, status in steps),
        ],
    }
