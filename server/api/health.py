"""`GET /api/v1/health`: is the server up and can it store data (no authentication)."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import JSONResponse

from core.events import iso
from core.wire.payloads import HealthView
from server.api.deps import context
from server.api.json_body import StrictJSONRoute
from server.api.wire_models import response_model
from server.hub_link.status import status_json

router = APIRouter(tags=["health"], route_class=StrictJSONRoute)
API_VERSION = "1"


@router.get(
    "/health",
    response_model=response_model(HealthView),
    responses={503: {"model": response_model(HealthView), "description": "The store has a fault"}},
)
async def health(request: Request) -> JSONResponse:
    """Liveness, whether the store can be written, and the basics a terminal needs to
    show (centre name, open or closed). `200` with `status: "ok"`; `503` with
    `status: "degraded"` while `storage` reports a fault
    (`{status: "fault", problem, file, since}`); `hub_link` gives the network
    hub link's state and lag (None without a hub); `catalogue` which national catalogue
    version runs and whether a newer one waits."""
    ctx = context(request)
    now = ctx.clock.now()
    status = ctx.engine.hours.status(now)
    storage = ctx.storage.status()
    healthy = storage["status"] == "ok"
    body = {
        "status": "ok" if healthy else "degraded",
        "api_version": API_VERSION,
        "centre": ctx.catalogue.centre.name.as_dict(),
        "time": iso(now),
        "is_open": status.is_open,
        "event_seq": ctx.engine.snapshot.event_seq,
        "storage": storage,
        "hub_link": status_json(ctx.hub_link, now),
        "catalogue": ctx.catalogue_status().encode(),
    }
    return JSONResponse(body, status_code=200 if healthy else 503)
