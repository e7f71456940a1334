"""The server's answers built from their wire views (`core.wire.payloads`), so REST,
SSE and idempotent replays agree, and the OpenAPI document describes what is sent."""

from __future__ import annotations

from datetime import datetime, timedelta

from core.catalogue import Catalogue
from core.model import Ticket
from core.wire.codec import Json
from core.wire.payloads import LiveTicketView
from server.live import QueueSnapshot


def live_ticket(
    ticket: Ticket,
    catalogue: Catalogue,
    *,
    people_ahead: int,
    estimated_wait_seconds: int | None,
    now: datetime,
    estimated_wait_range_seconds: tuple[int, int] | None = None,
) -> LiveTicketView:
    """A ticket with its live figures and its counter's label. The range is the 80 %
    range (seconds) told with the estimate, where the centre has learnt one."""
    counter_id = ticket.counter_id or ticket.target_counter_id
    counter = catalogue.counters_by_id.get(counter_id) if counter_id else None
    return LiveTicketView.live(
        ticket,
        people_ahead=people_ahead,
        estimated_wait_seconds=estimated_wait_seconds,
        estimated_wait_range_seconds=estimated_wait_range_seconds,
        counter_label=counter.label if counter is not None else None,
        waited_seconds=int(ticket.waited(now).total_seconds()),
    )


def ticket_payload(
    ticket: Ticket,
    catalogue: Catalogue,
    *,
    people_ahead: int,
    estimated_wait_seconds: int | None,
    now: datetime,
    estimated_wait_range_seconds: tuple[int, int] | None = None,
) -> Json:
    """A ticket as the API returns it (`LiveTicketView`)."""
    return live_ticket(
        ticket,
        catalogue,
        people_ahead=people_ahead,
        estimated_wait_seconds=estimated_wait_seconds,
        estimated_wait_range_seconds=estimated_wait_range_seconds,
        now=now,
    ).encode()


def seconds(delta: timedelta | None) -> int | None:
    """A duration in whole seconds (None stays None)."""
    return int(delta.total_seconds()) if delta is not None else None


def snapshot_ticket(ticket: Ticket, snapshot: QueueSnapshot, now: datetime) -> LiveTicketView:
    """A ticket with its figures taken from the live snapshot."""
    ahead, wait = snapshot.ticket_wait(ticket, now)
    return live_ticket(
        ticket, snapshot.catalogue, people_ahead=ahead, estimated_wait_seconds=wait, now=now
    )


def snapshot_ticket_payload(ticket: Ticket, snapshot: QueueSnapshot, now: datetime) -> Json:
    """`snapshot_ticket` as JSON."""
    return snapshot_ticket(ticket, snapshot, now).encode()
