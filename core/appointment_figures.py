"""Appointment figures of a period, per service: how many were booked, cancelled,
checked in and missed, and how punctually booked visitors came and were called.

The wait of a booked visitor counts from the booked time, or from the check-in when
that came later (`core.model.Ticket.queued_since`); the service level is the share
called within the service's target wait of that moment, as for walk-ins
(`core.statistics.service_level`). Durations are summarised by
`core.statistics.summary` (whole seconds: mean, median, p90, max).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from core.statistics import service_level, summary

STATUSES = ("booked", "cancelled", "checked_in", "missed")
"""What becomes of a booking (a hold never booked is not counted)."""


@dataclass(frozen=True)
class BookedVisit:
    """One booking of the period and, once checked in, what became of its ticket."""

    service_id: str
    status: str
    """One of `STATUSES`; `booked` while it has not yet been checked in or missed."""
    starts_at: datetime
    checked_in_at: datetime | None
    first_called_at: datetime | None
    ticket_status: str | None
    target_wait_seconds: float


def appointment_figures(bookings: Iterable[BookedVisit]) -> dict[str, dict[str, Any]]:
    """Figures per service id and `total`: `booked` (every booking, also cancelled),
    `cancelled`, `checked_in`, `missed` (not checked in within the window), `pending`
    (not yet due), `no_show` (checked in, then not at the counter when called),
    `late_check_ins`, `check_in_lead_seconds` (how long before the booked time those
    on time checked in), `wait_seconds` (call after the booked time or late check-in)
    and `service_level` (share called within the target wait; None when none was)."""
    groups: dict[str, list[BookedVisit]] = {}
    for booking in bookings:
        groups.setdefault(booking.service_id, []).append(booking)
        groups.setdefault("total", []).append(booking)
    return {key: _figures(items) for key, items in groups.items()}


def _figures(bookings: list[BookedVisit]) -> dict[str, Any]:
    leads, waits = [], []
    late = within = 0
    for booking in bookings:
        if booking.checked_in_at is None:
            continue
        if booking.checked_in_at > booking.starts_at:
            late += 1
        else:
            leads.append((booking.starts_at - booking.checked_in_at).total_seconds())
        if booking.first_called_at is not None:
            since = max(booking.starts_at, booking.checked_in_at)
            wait = max((booking.first_called_at - since).total_seconds(), 0.0)
            waits.append(wait)
            within += wait <= booking.target_wait_seconds
    count = {status: sum(1 for b in bookings if b.status == status) for status in STATUSES}
    return {
        "booked": len(bookings),
        "cancelled": count["cancelled"],
        "checked_in": count["checked_in"],
        "missed": count["missed"],
        "pending": count["booked"],
        "no_show": sum(1 for b in bookings if b.ticket_status == "no_show"),
        "late_check_ins": late,
        "check_in_lead_seconds": summary(leads),
        "wait_seconds": summary(waits),
        "service_level": service_level(within, len(waits)),
    }
