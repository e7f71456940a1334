"""`GET /api/v1/health`: is the server up (no authentication)."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request

from core.events import iso
from server.api.deps import context
from server.api.json_body import StrictJSONRoute

router = APIRouter(tags=["health"], route_class=StrictJSONRoute)
API_VERSION = "1"


@router.get("/health")
async def health(request: Request) -> dict[str, Any]:
    """Liveness and the basics a terminal needs to show (centre name, open or closed)."""
    ctx = context(request)
    now = ctx.clock.now()
    status = ctx.engine.hours.status(now)
    return {
        "status": "ok",
        "api_version": API_VERSION,
        "centre": ctx.catalogue.centre.name.as_dict(),
        "time": iso(now),
        "is_open": status.is_open,
        "event_seq": ctx.engine.snapshot.event_seq,
    }
