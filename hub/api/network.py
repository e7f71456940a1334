"""What analysts and admins read: the centres, their links and halls, live.

GET /api/v1/network/centres   every centre the reader may see, with its link
GET /api/v1/network/live      the same with each live centre's hall now and today
GET /api/v1/network/stream    changes live (SSE): `centre.link` when a centre's link moves

An analyst limited to a municipality sees only its centres, everywhere.
"""

from __future__ import annotations

import asyncio
import json
from collections.abc import AsyncIterator
from typing import Any

import psycopg
from anyio import to_thread
from fastapi import APIRouter, Depends, Query, Request
from fastapi.responses import StreamingResponse

from core.errors import NotAuthenticated
from hub import live
from hub.accounts import HubPrincipal
from hub.api.deps import authenticate, bearer_token, caller, context, lookup
from hub.streams import Closed, Recheck
from server.api.json_body import StrictJSONRoute

router = APIRouter(tags=["network"], route_class=StrictJSONRoute)
Municipality = Query(default=None, min_length=1, max_length=100, description="Only its centres")


def visible(
    request: Request, principal: HubPrincipal, municipality: str | None
) -> list[live.Centre]:
    """The centres the reader may see, optionally of one municipality."""
    ctx = context(request)
    with ctx.pool.connection() as conn:
        found = live.centres(conn, municipality=municipality)
    return [c for c in found if principal.sees(c.municipality)]


def centre_json(centre: live.Centre, request: Request) -> dict[str, Any]:
    """A centre and its link as readers see it."""
    now = context(request).clock.now()
    return {
        "id": centre.id,
        "name": centre.name,
        "municipality": centre.municipality,
        "timezone": centre.timezone,
        "revoked": centre.link.revoked,
        "events_stored": centre.events_stored,
        "catalogue_version": centre.catalogue_version,
        "link": centre.link.as_json(now),
    }


@router.get("/network/centres")
def centres(
    request: Request,
    municipality: str | None = Municipality,
    principal: HubPrincipal = Depends(authenticate),
) -> dict[str, Any]:
    """The centres the reader may see, with their links."""
    principal.require_reader()
    shown = visible(request, principal, municipality)
    ctx = context(request)
    return {
        "at": ctx.clock.now().isoformat(),
        "centres": [centre_json(centre, request) for centre in shown],
    }


@router.get("/network/live")
def live_view(
    request: Request,
    municipality: str | None = Municipality,
    principal: HubPrincipal = Depends(authenticate),
) -> dict[str, Any]:
    """Each visible centre's link and, when its link is live, its hall now (counters
    open, people waiting, longest wait, serving) and today (served, service level).
    A centre whose link is down has `live: null` and the time of its last event."""
    principal.require_reader()
    shown = visible(request, principal, municipality)
    ctx = context(request)
    now = ctx.clock.now()
    with ctx.pool.connection() as conn:
        rows = live.live(conn, shown, now)
    return {"at": now.isoformat(), "centres": rows}


@router.get("/network/stream")
async def stream(request: Request) -> StreamingResponse:
    """Server-Sent Events: `centre.link` whenever a visible centre's link moves (a batch
    stored, a heartbeat). The stream ends at once when its token is revoked, its session
    ends or its user is disabled."""
    principal = await to_thread.run_sync(lambda: caller(request, counts_as_use=False))
    principal.require_reader()
    ctx = context(request)
    token = bearer_token(request)
    keys = frozenset({principal.revocation_key, f"session:{principal.credential}"})
    subscription = ctx.streams.subscribe(keys, principal.sees)

    def still_valid() -> bool:
        """Whether the stream's session still lives. When the database cannot say, the
        stream ends too (it cannot vouch for a revocation it cannot see); the client
        reconnects and is answered 503 until the database is back."""
        try:
            lookup(request, token)
        except (NotAuthenticated, psycopg.Error):
            return False
        return True

    async def body() -> AsyncIterator[bytes]:
        try:
            yield b"retry: 2000\n\n"
            while True:
                try:
                    message = await asyncio.wait_for(
                        subscription.queue.get(), ctx.config.heartbeat_seconds
                    )
                except TimeoutError:
                    message = Recheck()
                if isinstance(message, Closed):
                    return
                if isinstance(message, Recheck):
                    # A notification may have been missed: ask the database itself.
                    if not await to_thread.run_sync(still_valid):
                        return
                    yield b": heartbeat\n\n"
                    continue
                data = {k: v for k, v in message.items() if k != "type"}
                yield f"event: {message['type']}\ndata: {json.dumps(data)}\n\n".encode()
        finally:
            ctx.streams.unsubscribe(subscription)

    return StreamingResponse(
        body(),
        media_type="text/event-stream",
        headers={"Cache-Control": "no-store", "X-Accel-Buffering": "no"},
    )
