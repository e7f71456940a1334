"""The queue snapshot as terminals see it: per service and per counter, with estimates."""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime

from core.estimate import NewTicketEstimate
from core.issuing import issue_refusal
from core.model import Ticket, TicketStatus
from core.wire.codec import Json
from core.wire.payloads import (
    CentreStatusView,
    CounterQueueView,
    QueueView,
    ServiceQueueView,
)
from server.engine import Engine
from server.live import QueueSnapshot
from server.payloads import seconds, snapshot_ticket, snapshot_ticket_payload


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


def queue_view(engine: Engine, now: datetime) -> QueueView:
    """`GET /api/v1/queue`: waiting, longest wait, estimate and availability per service."""
    snapshot = engine.snapshot
    figures = snapshot.figures(now)
    catalogue = snapshot.catalogue  # the one the figures were worked out on
    waiting_by_service: dict[str, list[Ticket]] = {s.id: [] for s in catalogue.services}
    for ticket in snapshot.tickets.values():
        if ticket.status is TicketStatus.WAITING and ticket.service_id in waiting_by_service:
            waiting_by_service[ticket.service_id].append(ticket)
    open_counters = snapshot.open_counters(now)
    services = []
    for service in catalogue.services:
        waiting = waiting_by_service[service.id]
        longest = max((t.waited(now) for t in waiting), default=None)
        estimate = figures.new_ticket[service.id]
        priority_estimate = figures.new_priority_ticket[service.id]
        services.append(
            ServiceQueueView(
                service_id=service.id,
                waiting=len(waiting),
                waiting_priority=sum(1 for t in waiting if t.is_priority),
                longest_wait_seconds=int(longest.total_seconds()) if longest else 0,
                estimated_wait_seconds=seconds(estimate.wait),
                estimated_wait_range_seconds=_range(estimate),
                estimated_priority_wait_seconds=seconds(priority_estimate.wait),
                people_ahead=estimate.people_ahead,
                issued_today=snapshot.issued_today.get(service.id, 0),
                daily_cap=service.daily_cap,
                unavailable_reason=availability(engine, snapshot, service.id, now),
                counters_open=sum(
                    1 for oc in open_counters if service.id in oc.counter.profile.service_ids
                ),
            )
        )
    counters = []
    for counter in catalogue.counters:
        state = snapshot.counters[counter.id]
        current = snapshot.tickets.get(state.current_ticket_id) if state.current_ticket_id else None
        counters.append(
            replace(
                CounterQueueView.of(counter, state),
                current=snapshot_ticket(current, snapshot, now) if current else None,
            )
        )
    status = engine.hours.status(now)
    return QueueView(
        at=now,
        seq=snapshot.event_seq,
        version=snapshot.version,
        business_day=snapshot.business_day,
        centre=CentreStatusView(
            is_open=status.is_open,
            opens_at=status.opens_at,
            closes_at=status.closes_at,
            day_closes_at=status.day_closes_at,
        ),
        services=tuple(services),
        counters=tuple(counters),
        recent_calls=tuple(snapshot.recent_calls),
        ticker=snapshot.ticker,
    )


def queue_payload(engine: Engine, now: datetime) -> Json:
    """`queue_view` as JSON."""
    return queue_view(engine, now).encode()


def waiting_list(engine: Engine, now: datetime, service_ids: set[str] | None = None) -> list[Json]:
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


def _range(estimate: NewTicketEstimate) -> tuple[int, int] | None:
    """The 80 % range told with an estimate, in seconds, where one has been learnt."""
    if estimate.low is None or estimate.high is None:
        return None
    return (int(estimate.low.total_seconds()), int(estimate.high.total_seconds()))
