"""Counters: call next, open / pause / close, walk-direct visits."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Depends, Request, Response
from fastapi.responses import JSONResponse

from core.wire.codec import Json
from core.wire.payloads import CounterStateView, LiveTicketView
from server.api.deps import actor_of, context, requires
from server.api.json_body import StrictJSONRoute
from server.api.schemas import ErrorOut, WalkDirectIn
from server.api.wire_models import response_list, response_model
from server.auth import Permission, Principal
from server.commands.counters import CounterAction
from server.queue_view import waiting_list

router = APIRouter(tags=["counters"], route_class=StrictJSONRoute)
ERRORS: dict[int | str, dict[str, Any]] = {
    code: {"model": ErrorOut} for code in (401, 403, 404, 409, 422)
}


@router.post(
    "/counters/{counter_id}/call-next",
    response_model=response_model(LiveTicketView),
    responses={**ERRORS, 204: {"description": "Nobody waits for this counter"}},
)
async def call_next(
    counter_id: str, request: Request, principal: Principal = Depends(requires(Permission.OPERATE))
) -> Response:
    """Call the next ticket by the counter's work profile; 204 when nobody waits."""
    ticket = await context(request).engine.tickets.call_next(counter_id, actor_of(principal))
    if ticket is None:
        return Response(status_code=204)
    return JSONResponse(ticket)


@router.post(
    "/counters/{counter_id}/walk-direct",
    status_code=201,
    response_model=response_model(LiveTicketView),
    responses=ERRORS,
)
async def walk_direct(
    counter_id: str,
    body: WalkDirectIn,
    request: Request,
    principal: Principal = Depends(requires(Permission.OPERATE)),
) -> JSONResponse:
    """Record a visitor served straight away without a ticket."""
    ticket = await context(request).engine.tickets.walk_direct(
        counter_id, body.service_id, body.language, actor_of(principal)
    )
    return JSONResponse(ticket, status_code=201)


@router.get("/counters/{counter_id}/waiting", response_model=response_list(LiveTicketView))
async def counter_waiting(
    counter_id: str, request: Request, principal: Principal = Depends(requires(Permission.READ))
) -> JSONResponse:
    """The waiting and parked tickets this counter may call, in queue order."""
    ctx = context(request)
    counter = ctx.catalogue.counter(counter_id)
    tickets = waiting_list(ctx.engine, ctx.clock.now(), set(counter.profile.service_ids))
    return JSONResponse(
        [
            t
            for t in tickets
            if t["target_counter_id"] in (None, counter_id)
            and (t["status"] != "parked" or t["counter_id"] == counter_id)
        ]
    )


@router.post(
    "/counters/{counter_id}/{action}",
    response_model=response_model(CounterStateView),
    responses=ERRORS,
)
async def counter_action(
    counter_id: str,
    action: str,
    request: Request,
    principal: Principal = Depends(requires(Permission.OPERATE)),
) -> JSONResponse:
    """`open`, `pause` or `close` the counter."""
    state: Json = await context(request).engine.counters.act(
        counter_id, CounterAction.named(action), actor_of(principal)
    )
    return JSONResponse(state)
