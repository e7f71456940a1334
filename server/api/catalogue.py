"""Services, counters and the centre: the configured catalogue, for terminals."""

from __future__ import annotations

from fastapi import APIRouter, Depends, Request, Response

from core.hours import WEEKDAYS
from core.wire.payloads import (
    CentreView,
    CounterView,
    DepartmentView,
    HoursExceptionView,
    NamedView,
    ServiceView,
)
from server.api.deps import context, requires
from server.api.json_body import StrictJSONRoute
from server.api.wire_models import response_list, response_model, wire_response
from server.auth import Permission, Principal
from server.public_url import status_url_template

router = APIRouter(tags=["catalogue"], route_class=StrictJSONRoute)


@router.get("/services", response_model=response_list(ServiceView))
async def list_services(
    request: Request, principal: Principal = Depends(requires(Permission.READ))
) -> Response:
    """Every service with its service standard."""
    return wire_response([ServiceView.of(s) for s in context(request).catalogue.services])


@router.get("/counters", response_model=response_list(CounterView))
async def list_counters(
    request: Request, principal: Principal = Depends(requires(Permission.READ))
) -> Response:
    """Every counter with its profile and live state."""
    ctx = context(request)
    snapshot = ctx.engine.snapshot
    return wire_response(
        [CounterView.of(c, snapshot.counters[c.id]) for c in ctx.catalogue.counters]
    )


@router.get("/centre", response_model=response_model(CentreView))
async def centre(
    request: Request, principal: Principal = Depends(requires(Permission.READ))
) -> Response:
    """Centre details, categories, life situations, opening hours and today's status.
    `status_url` is the ticket status page's address with `{ticket_id}` to fill in (what
    kiosks print as a QR code), derived from the server's public URL."""
    ctx = context(request)
    catalogue = ctx.catalogue
    hours = ctx.engine.hours
    now = ctx.clock.now()
    status = hours.status(now)
    return wire_response(
        CentreView(
            name=catalogue.centre.name,
            address=catalogue.centre.address,
            phone=catalogue.centre.phone,
            website=catalogue.centre.website,
            timezone=hours.timezone,
            languages=tuple(catalogue.centre.languages),
            ticket_footer=catalogue.centre.ticket_footer,
            status_url=status_url_template(catalogue, ctx.config.public_url, str(request.base_url)),
            categories=tuple(NamedView(c.id, c.name) for c in catalogue.categories),
            life_situations=tuple(NamedView(s.id, s.name) for s in catalogue.life_situations),
            departments=tuple(DepartmentView.of(d) for d in catalogue.departments),
            weekly_hours={
                WEEKDAYS[day]: tuple(r.label() for r in ranges)
                for day, ranges in hours.weekly.items()
            },
            exceptions=tuple(
                HoursExceptionView(e.day, tuple(r.label() for r in e.ranges), e.note)
                for e in sorted(hours.exceptions.values(), key=lambda e: e.day)
            ),
            is_open=status.is_open,
            opens_at=status.opens_at,
            closes_at=status.closes_at,
            national_version=catalogue.national_version,
        )
    )
