"""Small builders of domain values for unit tests."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import UTC, date, datetime, timedelta

from core import lifecycle
from core.model import Counter, Localized, Service, Strategy, Ticket, WorkProfile

T0 = datetime(2026, 11, 23, 8, 0, tzinfo=UTC)


def service(
    service_id: str,
    prefix: str | None = None,
    *,
    expected_minutes: float = 10,
    target_minutes: float = 15,
    daily_cap: int | None = None,
) -> Service:
    return Service(
        id=service_id,
        prefix=prefix or service_id[0].upper(),
        name=Localized.same(service_id),
        description=Localized.same(""),
        category_id="general",
        life_situation_ids=(),
        expected_duration=timedelta(minutes=expected_minutes),
        target_wait=timedelta(minutes=target_minutes),
        daily_cap=daily_cap,
    )


def counter(
    counter_id: str,
    service_ids: tuple[str, ...],
    strategy: Strategy = Strategy.LONGEST_WAIT,
    weights: Mapping[str, float] | None = None,
) -> Counter:
    return Counter(
        id=counter_id,
        label=counter_id,
        name=Localized.same(counter_id),
        profile=WorkProfile(service_ids, strategy, dict(weights or {})),
    )


def ticket(
    svc: Service,
    seq: int,
    issued_at: datetime,
    *,
    is_priority: bool = False,
    day: date = date(2026, 11, 23),
) -> Ticket:
    return lifecycle.issue(
        ticket_id=f"{svc.prefix}{seq}",
        service=svc,
        seq=seq,
        business_day=day,
        language="lv",
        is_priority=is_priority,
        now=issued_at,
    )
