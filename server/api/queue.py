"""`GET /api/v1/queue`: the live queue snapshot; the display ticker."""

from __future__ import annotations

from fastapi import APIRouter, Depends, Request
from fastapi.responses import JSONResponse

from core.wire.event_data import TickerData
from core.wire.payloads import QueueView
from server.api.deps import actor_of, context, requires
from server.api.json_body import StrictJSONRoute
from server.api.schemas import TickerIn
from server.api.wire_models import response_model, wire_response
from server.auth import Permission, Principal
from server.queue_view import queue_view

router = APIRouter(tags=["queue"], route_class=StrictJSONRoute)


@router.get("/queue", response_model=response_model(QueueView))
async def queue(
    request: Request, principal: Principal = Depends(requires(Permission.READ))
) -> JSONResponse:
    """Per service: waiting, longest wait, estimated wait, whether tickets can be issued
    (and why not); per counter: state and current ticket; recent calls; the ticker.
    `seq` is the last event reflected: stream `/events` with `Last-Event-ID: seq`."""
    ctx = context(request)
    return wire_response(queue_view(ctx.engine, ctx.clock.now()))


@router.put("/display/ticker", response_model=response_model(TickerData))
async def set_ticker(
    body: TickerIn, request: Request, principal: Principal = Depends(requires(Permission.MANAGE))
) -> JSONResponse:
    """Set the text that runs along the bottom of the hall displays (the answer is the
    `display.ticker` event's data)."""
    text = await context(request).engine.counters.set_ticker(body.text.strip(), actor_of(principal))
    return wire_response(TickerData(text))
