"""Visitor feedback from feedback terminals: find a visit by ticket number, rate it."""

from __future__ import annotations

from typing import Any

from anyio import to_thread
from fastapi import APIRouter, Depends, Query, Request
from fastapi.responses import JSONResponse
from pydantic import Field, StrictInt, StrictStr

from core.wire.payloads import RatingView, VisitView
from server import feedback
from server.api.deps import context, idempotency_from, requires
from server.api.json_body import StrictJSONRoute
from server.api.schemas import Strict
from server.api.wire_models import response_model
from server.auth import Permission, Principal
from server.store.writer import Replayed, Transaction

router = APIRouter(tags=["feedback"], route_class=StrictJSONRoute)


class FeedbackIn(Strict):
    ticket_id: StrictStr = Field(min_length=1, max_length=64)
    rating: StrictInt = Field(ge=1, le=5)


@router.get("/feedback/visit", response_model=response_model(VisitView))
async def find_visit(
    request: Request,
    number: str = Query(min_length=1, max_length=20, description="As printed, e.g. A042"),
    principal: Principal = Depends(requires(Permission.FEEDBACK)),
) -> dict[str, Any]:
    """Today's served, not yet rated visit with this ticket number (for exit terminals)."""
    ctx = context(request)
    today = ctx.engine.today(ctx.clock.now())
    return await to_thread.run_sync(feedback.find_visit, ctx.reads.get(), principal, number, today)


@router.post("/feedback", status_code=201, response_model=response_model(RatingView))
async def give_feedback(
    body: FeedbackIn,
    request: Request,
    principal: Principal = Depends(requires(Permission.FEEDBACK)),
) -> JSONResponse:
    """One rating (1-5) of a served visit; a second rating of the same visit is refused.
    Send an `Idempotency-Key`: a retry of the same rating returns the first answer."""
    ctx = context(request)
    idempotency = idempotency_from(request, principal, body.model_dump())

    def command(tx: Transaction) -> dict[str, Any]:
        return feedback.record_feedback(tx, principal, body.ticket_id, body.rating)

    result = await ctx.writer.run(
        command, actor=f"device:{principal.name}", idempotency=idempotency
    )
    headers = {"Idempotent-Replayed": "true"} if isinstance(result, Replayed) else None
    return JSONResponse(dict(result), status_code=201, headers=headers)
