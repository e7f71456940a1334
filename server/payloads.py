"""JSON shapes of the public API (one place, so REST, SSE and idempotent replays agree)."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from core.catalogue import Catalogue
from core.catalogue_services import Department
from core.events import counter_state_json, iso, ticket_json
from core.model import Counter, CounterState, Localized, Service, Ticket
from server.live import QueueSnapshot, RecentCall


def localized(text: Localized) -> dict[str, str]:
    """A localized text as `{lv, ru, en}`."""
    return text.as_dict()


def ticket_payload(
    ticket: Ticket,
    catalogue: Catalogue,
    *,
    people_ahead: int,
    estimated_wait_seconds: int | None,
    now: datetime,
    estimated_wait_range_seconds: tuple[int, int] | None = None,
) -> dict[str, Any]:
    """A ticket as the API returns it: stored fields plus live figures. The range is
    the 80 % range (seconds) told with the estimate, where the centre has learnt one."""
    payload = ticket_json(ticket)
    counter_id = ticket.counter_id or ticket.target_counter_id
    counter = catalogue.counters_by_id.get(counter_id) if counter_id else None
    payload.update(
        people_ahead=people_ahead,
        estimated_wait_seconds=estimated_wait_seconds,
        estimated_wait_range_seconds=list(estimated_wait_range_seconds)
        if estimated_wait_range_seconds is not None
        else None,
        counter_label=counter.label if counter is not None else None,
        waited_seconds=int(ticket.waited(now).total_seconds()),
    )
    return payload


def seconds(delta: timedelta | None) -> int | None:
    """A duration in whole seconds (None stays None)."""
    return int(delta.total_seconds()) if delta is not None else None


def snapshot_ticket_payload(
    ticket: Ticket, snapshot: QueueSnapshot, now: datetime
) -> dict[str, Any]:
    """A ticket with its figures taken from the live snapshot."""
    ahead, wait = snapshot.ticket_wait(ticket, now)
    return ticket_payload(
        ticket, snapshot.catalogue, people_ahead=ahead, estimated_wait_seconds=wait, now=now
    )


def service_payload(service: Service) -> dict[str, Any]:
    """A service with its standard, for kiosks and the console."""
    standard = service.standard
    return {
        "id": service.id,
        "prefix": service.prefix,
        "name": localized(service.name),
        "description": localized(service.description),
        "category_id": service.category_id,
        "life_situation_ids": list(service.life_situation_ids),
        "expected_duration_seconds": int(service.expected_duration.total_seconds()),
        "target_wait_seconds": int(service.target_wait.total_seconds()),
        "daily_cap": service.daily_cap,
        "has_own_hours": service.weekly_hours is not None,
        "local": service.is_local,
        "withdrawn": service.withdrawn,
        "standard": {
            "who_may_apply": localized(standard.who_may_apply),
            "documents": localized(standard.documents),
            "fee": localized(standard.fee),
            "decision_time": localized(standard.decision_time),
            "institution": localized(standard.institution),
            "department_id": standard.department_id,
            "channels": [c.value for c in standard.channels],
            "result_delivery": localized(standard.result_delivery),
            "fee_amount": None if standard.fee_amount is None else f"{standard.fee_amount:.2f}",
        },
    }


def department_payload(department: Department) -> dict[str, Any]:
    """A department (institution): who it is, how to reach it, and where its fees go."""
    return {
        "id": department.id,
        "name": localized(department.name),
        "kind": department.kind,
        "contact": localized(department.contact),
        "payee_name": department.payee_name,
        "iban": department.iban,
        "bic": department.bic,
    }


def counter_payload(counter: Counter, state: CounterState) -> dict[str, Any]:
    """A counter's configuration and live state."""
    return {
        "id": counter.id,
        "label": counter.label,
        "name": localized(counter.name),
        "area": localized(counter.area),
        "service_ids": list(counter.profile.service_ids),
        "strategy": counter.profile.strategy.value,
        **{k: v for k, v in counter_state_json(state).items() if k != "counter_id"},
    }


def recent_call_payload(call: RecentCall) -> dict[str, Any]:
    """One entry of the recent-calls list."""
    return {
        "ticket_id": call.ticket_id,
        "number": call.number,
        "counter_id": call.counter_id,
        "counter_label": call.counter_label,
        "service_id": call.service_id,
        "at": iso(call.at),
        "recall": call.recall,
    }
