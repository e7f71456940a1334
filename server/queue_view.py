"""The queue snapshot as terminals see it: per service and per counter, with estimates."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from core.estimate import NewTicketEstimate
from core.events import iso
from core.issuing import issue_refusal
from core.model import TicketStatus
from server.engine import Engine
from server.live import QueueSnapshot
from server.payloads import counter_payload, recent_call_payload, snapshot_ticket_payload


def availability(
    engine: Engine, snapshot: QueueSnapshot, service_id: str, now: datetime
) -> str | None:
    """Why a ticket for the service cannot be issued now (the error code issuing would
    answer with, by the same rule: `core.issuing.issue_refusal`), or None."""
    refusal = issue_refusal(
        engine.catalogue.service(service_id),
        engine.hours,
        now,
        issued_today=snapshot.issued_today.get(service_id, 0),
        expected_wait=lambda: snapshot.figures(now).new_ticket[service_id].wait,
    )
    return refusal.value if refusal is not None else None


def queue_payload(engine: Engine, now: datetime) -> dict[str, Any]:
    """`GET /api/v1/queue`: waiting, longest wait, estimate and availability per service."""
    snapshot = engine.snapshot
    figures = snapshot.figures(now)
    catalogue = snapshot.catalogue  # the one the figures were worked out on
    waiting_by_service: dict[str, list[Any]] = {s.id: [] for s in catalogue.services}
    for ticket in snapshot.tickets.values():
        if ticket.status is TicketStatus.WAITING and ticket.service_id in waiting_by_service:
            waiting_by_service[ticket.service_id].append(ticket)
    services = []
    for service in catalogue.services:
        waiting = waiting_by_service[service.id]
        longest = max((t.waited(now) for t in waiting), default=None)
        estimate = figures.new_ticket[service.id]
        priority_estimate = figures.new_priority_ticket[service.id]
        services.append(
            {
                "service_id": service.id,
                "waiting": len(waiting),
                "waiting_priority": sum(1 for t in waiting if t.is_priority),
                "longest_wait_seconds": int(longest.total_seconds()) if longest else 0,
                "estimated_wait_seconds": _seconds(estimate.wait),
                "estimated_wait_range_seconds": _range(estimate),
                "estimated_priority_wait_seconds": _seconds(priority_estimate.wait),
                "people_ahead": estimate.people_ahead,
                "issued_today": snapshot.issued_today.get(service.id, 0),
                "daily_cap": service.daily_cap,
                "unavailable_reason": availability(engine, snapshot, service.id, now),
                "counters_open": sum(
                    1
                    for oc in snapshot.open_counters(now)
                    if service.id in oc.counter.profile.service_ids
                ),
            }
        )
    counters = []
    for counter in catalogue.counters:
        state = snapshot.counters[counter.id]
        current = snapshot.tickets.get(state.current_ticket_id) if state.current_ticket_id else None
        counters.append(
            {
                **counter_payload(counter, state),
                "current": snapshot_ticket_payload(current, snapshot, now) if current else None,
            }
        )
    status = engine.hours.status(now)
    return {
        "at": iso(now),
        "seq": snapshot.event_seq,
        "version": snapshot.version,
        "business_day": snapshot.business_day.isoformat() if snapshot.business_day else None,
        "centre": {
            "is_open": status.is_open,
            "opens_at": iso(status.opens_at),
            "closes_at": iso(status.closes_at),
            "day_closes_at": iso(status.day_closes_at),
        },
        "services": services,
        "counters": counters,
        "recent_calls": [recent_call_payload(c) for c in snapshot.recent_calls],
        "ticker": snapshot.ticker,
    }


def waiting_list(
    engine: Engine, now: datetime, service_ids: set[str] | None = None
) -> list[dict[str, Any]]:
    """The waiting (and parked) tickets with their figures, in queue order."""
    snapshot = engine.snapshot
    tickets = sorted(
        (
            t
            for t in snapshot.tickets.values()
            if t.status in (TicketStatus.WAITING, TicketStatus.PARKED)
            and (service_ids is None or t.service_id in service_ids or t.target_counter_id)
        ),
        key=lambda t: (not t.is_priority, t.order_key),
    )
    return [snapshot_ticket_payload(t, snapshot, now) for t in tickets]


def _seconds(delta: Any) -> int | None:
    return int(delta.total_seconds()) if delta is not None else None


def _range(estimate: NewTicketEstimate) -> list[int] | None:
    """The 80 % range told with an estimate, in seconds, where one has been learnt."""
    if estimate.low is None or estimate.high is None:
        return None
    return [int(estimate.low.total_seconds()), int(estimate.high.total_seconds())]
