"""Statistics for managers and other tools."""

from __future__ import annotations

from datetime import date, timedelta
from functools import partial
from typing import Any
from zoneinfo import ZoneInfo

from anyio import to_thread
from fastapi import APIRouter, Depends, Query, Request, Response

from core.stats_csv import stats_csv
from server import stats
from server.api.deps import context, requires
from server.api.json_body import StrictJSONRoute
from server.api.responses import ApplicationStatsOut, AppointmentStatsOut, StatsOut
from server.api.schemas import CSV_RESPONSE, Day
from server.auth import Permission, Principal

router = APIRouter(tags=["statistics"], route_class=StrictJSONRoute)


def _period(request: Request, start: date | None, end: date | None) -> tuple[date, date]:
    ctx = context(request)
    today = ctx.clock.now().astimezone(ZoneInfo(ctx.catalogue.centre.timezone)).date()
    end = end or today
    return start or end - timedelta(days=29), end


@router.get("/stats", response_model=StatsOut, response_model_by_alias=True)
async def get_stats(
    request: Request,
    start: Day | None = Query(default=None, alias="from", description="First local day"),
    end: Day | None = Query(default=None, alias="to", description="Last local day (inclusive)"),
    group: str = Query(
        default="service",
        max_length=20,
        description="service, counter, clerk, hour, day, week, quarter or total",
    ),
    service: str | None = Query(default=None, max_length=64),
    principal: Principal = Depends(requires(Permission.MANAGE)),
) -> dict[str, Any]:
    """Tickets, waits, service times, service level, feedback and clerk time, grouped.

    `clerk_time` (idle, calling, serving and paused seconds, and the busy share) is
    given for every grouping but `service`, and only without a service filter."""
    ctx = context(request)
    first, last = _period(request, start, end)
    return await to_thread.run_sync(
        lambda: stats.statistics(
            ctx.reads.get(), ctx.catalogue, first, last, group, service, now=ctx.clock.now()
        )
    )


@router.get("/stats.csv", response_class=Response, responses=CSV_RESPONSE)
async def get_stats_csv(
    request: Request,
    start: Day | None = Query(default=None, alias="from"),
    end: Day | None = Query(default=None, alias="to"),
    group: str = Query(default="service", max_length=20),
    service: str | None = Query(default=None, max_length=64),
    principal: Principal = Depends(requires(Permission.MANAGE)),
) -> Response:
    """The same figures as CSV, one row per group."""
    data = await get_stats(request, start, end, group, service, principal)
    return Response(
        stats_csv(group, data["groups"]),
        media_type="text/csv; charset=utf-8",
        headers={"Content-Disposition": f'attachment; filename="rinda-stats-{group}.csv"'},
    )


@router.get("/stats/appointments", response_model=AppointmentStatsOut, response_model_by_alias=True)
async def get_appointment_stats(
    request: Request,
    start: Day | None = Query(default=None, alias="from"),
    end: Day | None = Query(default=None, alias="to"),
    principal: Principal = Depends(requires(Permission.MANAGE)),
) -> dict[str, Any]:
    """Bookings whose time lies in the period, per service and `total`: booked,
    cancelled, checked in, missed, no-shows, punctuality of check-in and of the call."""
    ctx = context(request)
    first, last = _period(request, start, end)
    return await to_thread.run_sync(
        partial(
            stats.appointment_statistics,
            ctx.reads.get(),
            ctx.catalogue,
            first,
            last,
            now=ctx.clock.now(),
        )
    )


@router.get("/stats/applications", response_model=ApplicationStatsOut, response_model_by_alias=True)
async def get_application_stats(
    request: Request,
    start: Day | None = Query(default=None, alias="from"),
    end: Day | None = Query(default=None, alias="to"),
    principal: Principal = Depends(requires(Permission.MANAGE)),
) -> dict[str, Any]:
    """Applications by type and status, and the time to answer them."""
    ctx = context(request)
    first, last = _period(request, start, end)
    return await to_thread.run_sync(
        stats.application_statistics, ctx.reads.get(), ctx.catalogue, first, last
    )
