"""What analysts and admins read: the centres and their links, live.

GET /api/v1/network/centres   every centre the reader may see, with its link state
GET /api/v1/network/stream    the same changes live (SSE): `centre.link` events
"""

from __future__ import annotations

import asyncio
import json
from collections.abc import AsyncIterator
from datetime import datetime
from typing import Any

import psycopg
from anyio import to_thread
from fastapi import APIRouter, Depends, Query, Request
from fastapi.responses import StreamingResponse

from core.errors import NotAuthenticated
from hub.accounts import HubPrincipal, list_centres
from hub.api.deps import authenticate, bearer_token, caller, context, lookup
from hub.streams import Closed

router = APIRouter(tags=["network"])


def _iso(value: datetime | None) -> str | None:
    return value.isoformat() if value is not None else None


def centre_json(row: dict[str, Any]) -> dict[str, Any]:
    """A centre and its link as readers see it."""
    return {
        "id": row["id"],
        "name": row["name"],
        "municipality": row["municipality"],
        "revoked": row["revoked_at"] is not None,
        "acknowledged_seq": row["acknowledged_seq"],
        "events_stored": row["events_stored"],
        "last_event_at": _iso(row["last_event_at"]),
        "last_contact_at": _iso(row["last_contact_at"]),
        "timezone": row["timezone"],
    }


@router.get("/network/centres")
def centres(
    request: Request,
    municipality: str | None = Query(default=None, max_length=100),
    principal: HubPrincipal = Depends(authenticate),
) -> dict[str, Any]:
    """The centres the reader may see (an analyst limited to a municipality sees only
    its centres), optionally of one municipality."""
    principal.require_reader()
    ctx = context(request)
    with ctx.pool.connection() as conn:
        rows = list_centres(conn)
    visible = [
        centre_json(row)
        for row in rows
        if principal.sees(row["municipality"])
        and (municipality is None or row["municipality"] == municipality)
    ]
    return {"at": _iso(ctx.clock.now()), "centres": visible}


@router.get("/network/stream")
async def stream(request: Request) -> StreamingResponse:
    """Server-Sent Events: `centre.link` whenever a visible centre's link moves. The
    stream ends at once when its token is revoked or its user disabled."""
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
                    # A missed notification must not keep a revoked token's stream open.
                    if not await to_thread.run_sync(still_valid):
                        return
                    yield b": heartbeat\n\n"
                    continue
                if isinstance(message, Closed):
                    return
                data = {k: v for k, v in message.items() if k != "type"}
                yield f"event: {message['type']}\ndata: {json.dumps(data)}\n\n".encode()
        finally:
            ctx.streams.unsubscribe(subscription)

    return StreamingResponse(
        body(),
        media_type="text/event-stream",
        headers={"Cache-Control": "no-store", "X-Accel-Buffering": "no"},
    )
