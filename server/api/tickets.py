"""Tickets: issue, look up, act on, report printing."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Depends, Request
from fastapi.responses import JSONResponse

from core.errors import NotFound
from core.wire.codec import Json
from core.wire.payloads import LiveTicketView
from server.api.deps import actor_of, context, idempotency_from, requires
from server.api.json_body import StrictJSONRoute
from server.api.schemas import ErrorOut, IssueTicketIn, PrintResultIn, TicketActionIn
from server.api.wire_models import response_model
from server.auth import Permission, Principal
from server.commands.tickets import TicketAction, TicketParams
from server.payloads import snapshot_ticket_payload, ticket_payload
from server.store.tickets import ticket_by_id
from server.store.writer import Replayed

router = APIRouter(tags=["tickets"], route_class=StrictJSONRoute)
TICKET = response_model(LiveTicketView)
ERRORS: dict[int | str, dict[str, Any]] = {
    code: {"model": ErrorOut} for code in (400, 401, 403, 404, 409, 422)
}


@router.post("/tickets", status_code=201, response_model=TICKET, responses=ERRORS)
async def issue_ticket(
    body: IssueTicketIn,
    request: Request,
    principal: Principal = Depends(requires(Permission.ISSUE)),
) -> JSONResponse:
    """Issue a ticket. Send an `Idempotency-Key` header: a retry returns the same ticket."""
    ctx = context(request)
    idempotency = idempotency_from(request, principal, body.model_dump())
    ticket = await ctx.engine.tickets.issue(
        body.service_id, body.language, body.priority, actor_of(principal), idempotency
    )
    headers = {"Idempotent-Replayed": "true"} if isinstance(ticket, Replayed) else None
    return JSONResponse(dict(ticket), status_code=201, headers=headers)


@router.get("/tickets/{ticket_id}", response_model=TICKET, responses=ERRORS)
async def get_ticket(
    ticket_id: str, request: Request, principal: Principal = Depends(requires(Permission.READ))
) -> JSONResponse:
    """A ticket with its live position and estimated wait."""
    return JSONResponse(find_ticket(request, ticket_id))


def find_ticket(request: Request, ticket_id: str) -> Json:
    """A live ticket from the snapshot, or a finished one from the database."""
    ctx = context(request)
    now = ctx.clock.now()
    snapshot = ctx.engine.snapshot
    live = snapshot.tickets.get(ticket_id)
    if live is not None:
        return snapshot_ticket_payload(live, snapshot, now)
    if len(ticket_id) > 64:
        raise NotFound("ticket", ticket_id[:64])
    ticket = ticket_by_id(ctx.reads.get(), ticket_id)
    if ticket is None:
        raise NotFound("ticket", ticket_id)
    return ticket_payload(
        ticket, ctx.catalogue, people_ahead=0, estimated_wait_seconds=None, now=now
    )


@router.post("/tickets/{ticket_id}/print-result", response_model=TICKET, responses=ERRORS)
async def print_result(
    ticket_id: str,
    body: PrintResultIn,
    request: Request,
    principal: Principal = Depends(requires(Permission.REPORT_PRINT)),
) -> JSONResponse:
    """The kiosk says whether the ticket came out of its printer."""
    ctx = context(request)
    ticket = await ctx.engine.tickets.report_print(
        ticket_id, body.printed, body.error, actor_of(principal)
    )
    return JSONResponse(ticket)


@router.post("/tickets/{ticket_id}/{action}", response_model=TICKET, responses=ERRORS)
async def ticket_action(
    ticket_id: str,
    action: str,
    request: Request,
    body: TicketActionIn | None = None,
    principal: Principal = Depends(requires(Permission.OPERATE)),
) -> JSONResponse:
    """One of: call (with `counter_id`), recall, start, finish, no-show, park, resume,
    transfer (with `service_id` and/or `counter_id`), cancel, reactivate."""
    ticket_action = TicketAction.named(action)
    ctx = context(request)
    params = body or TicketActionIn()
    ticket = await ctx.engine.tickets.act(
        ticket_id,
        ticket_action,
        TicketParams(
            counter_id=params.counter_id,
            service_id=params.service_id,
            delivered_service=params.delivered_service,
            note=params.note,
        ),
        actor_of(principal),
    )
    if ticket["status"] == "waiting":
        return JSONResponse(find_ticket(request, ticket_id))
    return JSONResponse(ticket)
