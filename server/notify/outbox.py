"""Queueing notifications: one message per trigger and channel, in the trigger's own
transaction (a booking and its confirmation commit together or not at all; a trigger
that fires again, after a retry or a restart, queues nothing more)."""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum

from core.catalogue import Catalogue
from core.i18n import format_datetime, t
from server.store import notifications as store
from server.store.appointments import AppointmentRow
from server.store.writer import Transaction


class Kind(StrEnum):
    """What a message is about."""

    BOOKED = "booked"
    REMINDER = "reminder"
    CANCELLED = "cancelled"


class Channel(StrEnum):
    """How a message travels."""

    EMAIL = "email"
    SMS = "sms"


def _values(catalogue: Catalogue, row: AppointmentRow, link: str) -> dict[str, str]:
    language = row.language
    local = row.starts_at.astimezone(catalogue.hours.zone)
    code = row.code or ""
    return {
        "service": catalogue.service(row.service_id).name.get(language),
        "when": format_datetime(local, language),
        "code": f"{code[:4]}-{code[4:]}",
        "centre": catalogue.centre.name.get(language),
        "address": catalogue.centre.address.get(language),
        "link": link,
    }


def queue_booking_notice(
    tx: Transaction, catalogue: Catalogue, row: AppointmentRow, kind: Kind, link: str = ""
) -> int:
    """Queue `kind` about a booking to its e-mail and its phone (whichever it has); returns
    how many messages were new."""
    values = _values(catalogue, row, link)
    subject = t(f"notice.{kind.value}.subject", row.language, **values)
    body = t(f"notice.{kind.value}.body", row.language, **values)
    queued = 0
    for channel, recipient in ((Channel.EMAIL, row.email), (Channel.SMS, row.phone)):
        if recipient:
            queued += store.enqueue(
                tx.db.conn,
                trigger_key=f"{kind.value}:{row.id}:{channel.value}",
                kind=kind.value,
                channel=channel.value,
                recipient=recipient,
                subject=subject,
                body=body,
                appointment_id=row.id,
                now=tx.now,
            )
    return queued


def purge(tx: Transaction, created_before: datetime) -> int:
    """Drop recipients and texts of messages queued before `created_before` (sent or
    given up); returns how many."""
    return store.purge(tx.db.conn, created_before, tx.now)
