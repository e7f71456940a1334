"""`GET /api/v1/network/stats[.csv]`: a centre's statistics, for any set of centres.

The same figures by the same definitions and code as a centre's `/api/v1/stats`
(`core.statistics.Figures`, read from the rollups by `hub.figures`), the same day
rule (`core.days`), the same CSV (`core.stats_csv`). Grouped by centre,
municipality, service, day, week, month, quarter or total. An analyst limited to a
municipality counts only its centres.
"""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from anyio import to_thread
from fastapi import APIRouter, Depends, Query, Request, Response

from core.errors import NotFound
from core.stats_csv import stats_csv
from hub import figures
from hub.accounts import HubPrincipal
from hub.api.deps import authenticate, context
from server.api.json_body import StrictJSONRoute
from server.api.schemas import CSV_RESPONSE, Day

router = APIRouter(tags=["network statistics"], route_class=StrictJSONRoute)
GROUP_HELP = "centre, municipality, service, day, week, month, quarter or total"


def default_period(request: Request, start: date | None, end: date | None) -> tuple[date, date]:
    """As at a centre: the 30 days up to today (in the network's time zone)."""
    ctx = context(request)
    today = ctx.clock.now().astimezone(ZoneInfo(ctx.config.timezone)).date()
    end = end or today
    return start or end - timedelta(days=29), end


def network_statistics(
    request: Request,
    principal: HubPrincipal,
    start: date,
    end: date,
    group: str,
    centre: str | None,
    municipality: str | None,
    service: str | None,
) -> dict[str, Any]:
    """The figures of the centres the reader may see, filtered and grouped."""
    principal.require_reader()
    figures.check(group, start, end)
    ctx = context(request)
    with ctx.pool.connection() as conn:
        where = figures.municipalities(conn)
        if centre is not None and not (centre in where and principal.sees(where[centre])):
            raise NotFound("centre", centre)  # unknown, or not the reader's to see
        chosen = [
            centre_id
            for centre_id, place in where.items()
            if principal.sees(place)
            and (municipality is None or place == municipality)
            and (centre is None or centre_id == centre)
        ]
        scope = figures.Scope(start, end, tuple(chosen), service)
        rows = figures.read(conn, scope, daily_only=group in ("day", "week"))
    return {
        "from": start.isoformat(),
        "to": end.isoformat(),
        "group": group,
        "centre": centre,
        "municipality": municipality,
        "service": service,
        "groups": figures.grouped(rows, group, where),
    }


@router.get("/network/stats")
async def get_stats(
    request: Request,
    start: Day | None = Query(default=None, alias="from", description="First local day"),
    end: Day | None = Query(default=None, alias="to", description="Last local day (inclusive)"),
    group: str = Query(default="centre", max_length=20, description=GROUP_HELP),
    centre: str | None = Query(default=None, min_length=1, max_length=64),
    municipality: str | None = Query(default=None, min_length=1, max_length=100),
    service: str | None = Query(default=None, min_length=1, max_length=64),
    principal: HubPrincipal = Depends(authenticate),
) -> dict[str, Any]:
    """Tickets, waits, service times, service level and feedback, grouped; each centre's
    visits counted on its own local days. `clerk_time` is always null: it stays at the
    centres."""
    first, last = default_period(request, start, end)
    return await to_thread.run_sync(
        network_statistics, request, principal, first, last, group, centre, municipality, service
    )


@router.get("/network/stats.csv", response_class=Response, responses=CSV_RESPONSE)
async def get_stats_csv(
    request: Request,
    start: Day | None = Query(default=None, alias="from"),
    end: Day | None = Query(default=None, alias="to"),
    group: str = Query(default="centre", max_length=20),
    centre: str | None = Query(default=None, min_length=1, max_length=64),
    municipality: str | None = Query(default=None, min_length=1, max_length=100),
    service: str | None = Query(default=None, min_length=1, max_length=64),
    principal: HubPrincipal = Depends(authenticate),
) -> Response:
    """The same figures as CSV, one row per group (the columns of a centre's CSV)."""
    data = await get_stats(request, start, end, group, centre, municipality, service, principal)
    return Response(
        stats_csv(group, data["groups"]),
        media_type="text/csv; charset=utf-8",
        headers={"Content-Disposition": f'attachment; filename="rinda-network-stats-{group}.csv"'},
    )
