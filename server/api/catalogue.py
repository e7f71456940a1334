"""Services, counters and the centre: the configured catalogue, for terminals."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Depends, Request

from core.events import iso
from core.hours import WEEKDAYS
from server.api.deps import context, requires
from server.api.json_body import StrictJSONRoute
from server.auth import Permission, Principal
from server.payloads import counter_payload, department_payload, localized, service_payload
from server.public_url import status_url_template

router = APIRouter(tags=["catalogue"], route_class=StrictJSONRoute)


@router.get("/services")
async def list_services(
    request: Request, principal: Principal = Depends(requires(Permission.READ))
) -> list[dict[str, Any]]:
    """Every service with its service standard."""
    return [service_payload(s) for s in context(request).catalogue.services]


@router.get("/counters")
async def list_counters(
    request: Request, principal: Principal = Depends(requires(Permission.READ))
) -> list[dict[str, Any]]:
    """Every counter with its profile and live state."""
    ctx = context(request)
    snapshot = ctx.engine.snapshot
    return [counter_payload(c, snapshot.counters[c.id]) for c in ctx.catalogue.counters]


@router.get("/centre")
async def centre(
    request: Request, principal: Principal = Depends(requires(Permission.READ))
) -> dict[str, Any]:
    """Centre details, categories, life situations, opening hours and today's status.
    `status_url` is the ticket status page's address with `{ticket_id}` to fill in (what
    kiosks print as a QR code), derived from the server's public URL."""
    ctx = context(request)
    catalogue = ctx.catalogue
    hours = ctx.engine.hours
    now = ctx.clock.now()
    status = hours.status(now)
    return {
        "name": localized(catalogue.centre.name),
        "address": localized(catalogue.centre.address),
        "phone": catalogue.centre.phone,
        "website": catalogue.centre.website,
        "timezone": hours.timezone,
        "languages": list(catalogue.centre.languages),
        "ticket_footer": localized(catalogue.centre.ticket_footer),
        "status_url": status_url_template(catalogue, ctx.config.public_url, str(request.base_url)),
        "categories": [{"id": c.id, "name": localized(c.name)} for c in catalogue.categories],
        "life_situations": [
            {"id": s.id, "name": localized(s.name)} for s in catalogue.life_situations
        ],
        "departments": [department_payload(d) for d in catalogue.departments],
        "national_version": catalogue.national_version,
        "weekly_hours": {
            WEEKDAYS[day]: [r.label() for r in ranges] for day, ranges in hours.weekly.items()
        },
        "exceptions": [
            {"date": e.day.isoformat(), "hours": [r.label() for r in e.ranges], "note": e.note}
            for e in sorted(hours.exceptions.values(), key=lambda e: e.day)
        ],
        "is_open": status.is_open,
        "opens_at": iso(status.opens_at),
        "closes_at": iso(status.closes_at),
    }
