"""`GET /api/v1/queue`: the live queue snapshot; the display ticker."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Depends, Request

from server.api.deps import actor_of, context, requires
from server.api.json_body import StrictJSONRoute
from server.api.schemas import TickerIn
from server.auth import Permission, Principal
from server.queue_view import queue_payload

router = APIRouter(tags=["queue"], route_class=StrictJSONRoute)


@router.get("/queue")
async def queue(
    request: Request, principal: Principal = Depends(requires(Permission.READ))
) -> dict[str, Any]:
    """Per service: waiting, longest wait, estimated wait, whether tickets can be issued
    (and why not); per counter: state and current ticket; recent calls; the ticker.
    `seq` is the last event reflected: stream `/events` with `Last-Event-ID: seq`."""
    ctx = context(request)
    return queue_payload(ctx.engine, ctx.clock.now())


@router.put("/display/ticker")
async def set_ticker(
    body: TickerIn, request: Request, principal: Principal = Depends(requires(Permission.MANAGE))
) -> dict[str, str]:
    """Set the text that runs along the bottom of the hall displays."""
    text = await context(request).engine.counters.set_ticker(body.text.strip(), actor_of(principal))
    return {"text": text}
