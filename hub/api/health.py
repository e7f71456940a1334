"""`GET /api/v1/health`: is the hub up and its database reachable (no authentication)."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request

from core.events import iso
from hub.api.deps import context
from hub.store.migrate import current_version

router = APIRouter(tags=["health"])
API_VERSION = "1"


@router.get("/health")
def health(request: Request) -> dict[str, Any]:
    """Liveness, the hub's time and its schema version."""
    ctx = context(request)
    with ctx.pool.connection() as conn:
        version = current_version(conn)
    return {
        "status": "ok",
        "api_version": API_VERSION,
        "role": "hub",
        "time": iso(ctx.clock.now()),
        "schema_version": version,
    }
