"""What a centre's link does at the hub: say who it is, ask where to resume, ship events.

    PUT  /api/v1/centres/{id}/profile    time zone and services (at every link start)
    GET  /api/v1/centres/{id}/position   the highest seq stored without a gap
    POST /api/v1/centres/{id}/events     a batch of events (stored exactly once)
    POST /api/v1/centres/{id}/heartbeat  "still here, my log ends at N" (when idle)

Only the centre's own token may call them (`wrong_centre` otherwise).
"""

from __future__ import annotations

from collections.abc import Callable, Coroutine
from typing import Annotated, Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from anyio import to_thread
from fastapi import APIRouter, Depends, Request, Response
from fastapi.exceptions import RequestValidationError
from psycopg.types.json import Jsonb
from pydantic import BaseModel, ConfigDict, Field, StrictBool, StrictInt, StrictStr

from core import free_text
from core.errors import InvalidInput
from hub.accounts import HubPrincipal
from hub.api.deps import authenticate, context
from hub.context import HubContext
from hub.ingest import Receipt, ingest
from hub.wire import Batch, check_batch, refusal
from server.api.json_body import StrictJSONRoute
from server.api.schemas import free_text_check

router = APIRouter(tags=["centre link"], route_class=StrictJSONRoute)


class BatchRoute(StrictJSONRoute):
    """The events route: a batch that fails its schema is refused with the hub's own
    field codes (`invalid_event_data`, `invalid_feedback`, the envelope's field)."""

    def get_route_handler(self) -> Callable[[Request], Coroutine[Any, Any, Response]]:
        handler = super().get_route_handler()

        async def batch_handler(request: Request) -> Response:
            try:
                return await handler(request)
            except RequestValidationError as exc:
                if any(error.get("type") == "json_invalid" for error in exc.errors()):
                    raise  # malformed JSON: answered as everywhere else
                raise refusal(exc.errors()) from None

        return batch_handler


CatalogueId = Annotated[
    StrictStr, Field(min_length=1, max_length=64), free_text_check(free_text.CATALOGUE_ID)
]
Names = Annotated[
    dict[
        Annotated[StrictStr, Field(max_length=8)],
        Annotated[StrictStr, Field(max_length=200), free_text_check(free_text.CATALOGUE_NAME)],
    ],
    Field(max_length=10),
]
"""A name in each language (`lv`, `ru`, `en` ...), each by the free-text rule."""


class ServiceProfile(BaseModel):
    """A service as the centre's catalogue describes it."""

    model_config = ConfigDict(extra="forbid")

    id: CatalogueId
    name: Names
    target_wait_seconds: int = Field(ge=0, le=7 * 24 * 3600)
    local: StrictBool = False
    """Offered only at this centre (not part of the national catalogue)."""


class CentreProfile(BaseModel):
    """What a centre says about itself."""

    model_config = ConfigDict(extra="forbid")

    timezone: str = Field(min_length=1, max_length=64)
    name: Names = Field(default_factory=dict)
    services: list[ServiceProfile] = Field(default_factory=list, max_length=500)
    counters: int = Field(default=0, ge=0, le=10_000)


@router.put("/centres/{centre_id}/profile")
def put_profile(
    centre_id: str,
    body: CentreProfile,
    request: Request,
    principal: HubPrincipal = Depends(authenticate),
) -> dict[str, Any]:
    """Store the centre's time zone (its visits are counted on its local days) and its
    services' names and targets."""
    principal.require_centre(centre_id)
    try:
        ZoneInfo(body.timezone)
    except (ZoneInfoNotFoundError, ValueError):
        raise InvalidInput(
            f"Unknown time zone {body.timezone!r}.", {"timezone": "unknown"}
        ) from None
    ctx = context(request)
    with ctx.pool.connection() as conn:
        conn.execute(
            "UPDATE centres SET timezone = %s, profile = %s, profile_at = %s, "
            "last_contact_at = %s WHERE id = %s",
            (body.timezone, Jsonb(body.model_dump()), ctx.clock.now(), ctx.clock.now(), centre_id),
        )
    return {"centre_id": centre_id, "timezone": body.timezone}


@router.get("/centres/{centre_id}/position")
def get_position(
    centre_id: str, request: Request, principal: HubPrincipal = Depends(authenticate)
) -> dict[str, Any]:
    """Where the centre's shipping resumes: every event up to `acknowledged_seq` is stored."""
    principal.require_centre(centre_id)
    ctx = context(request)
    with ctx.pool.connection() as conn:
        row = conn.execute(
            "SELECT acknowledged_seq, events_stored, last_event_at, timezone IS NOT NULL "
            "FROM centres WHERE id = %s",
            (centre_id,),
        ).fetchone()
    assert row is not None  # the token was just found
    return {
        "centre_id": centre_id,
        "acknowledged_seq": row[0],
        "events_stored": row[1],
        "last_event_at": row[2].isoformat() if row[2] else None,
        "has_profile": row[3],
    }


class Heartbeat(BaseModel):
    """An idle centre's word that its link is up, and where its log ends."""

    model_config = ConfigDict(extra="forbid")

    log_end: StrictInt = Field(ge=0, le=2**62)


@router.post("/centres/{centre_id}/heartbeat")
def heartbeat(
    centre_id: str,
    body: Heartbeat,
    request: Request,
    principal: HubPrincipal = Depends(authenticate),
) -> dict[str, Any]:
    """Record the contact (a centre not heard from for 90 s is shown as down) and the
    end of its log (how far behind the hub is); answers the acknowledged position."""
    principal.require_centre(centre_id)
    ctx = context(request)
    now = ctx.clock.now()
    with ctx.pool.connection() as conn:
        row = conn.execute(
            "UPDATE centres SET last_contact_at = %s, log_end = %s WHERE id = %s "
            "RETURNING acknowledged_seq, municipality",
            (now, body.log_end, centre_id),
        ).fetchone()
    assert row is not None  # the token was just found
    answer = {"centre_id": centre_id, "acknowledged_seq": row[0]}
    ctx.streams.publish_threadsafe(
        {"type": "centre.link", "municipality": row[1], "at": now.isoformat(), **answer}
    )
    return answer


async def post_events(
    centre_id: str,
    body: Batch,
    request: Request,
    principal: HubPrincipal = Depends(authenticate),
) -> dict[str, Any]:
    """Store a batch; answers the acknowledged position. Resending is always safe."""
    principal.require_centre(centre_id)
    batch = check_batch(body)
    text = await request.body()  # read already: each event's data is stored as sent
    ctx = context(request)
    receipt = await to_thread.run_sync(store_batch, ctx, centre_id, batch, text)
    return receipt.as_json()


router.add_api_route(
    "/centres/{centre_id}/events",
    post_events,
    methods=["POST"],
    route_class_override=BatchRoute,
)


def store_batch(ctx: HubContext, centre_id: str, batch: Batch, text: bytes) -> Receipt:
    """Ingest, then tell the live streams the centre's link moved."""
    now = ctx.clock.now()
    with ctx.pool.connection() as conn:
        receipt = ingest(conn, centre_id, batch, text, now, ctx.partitions)
    ctx.streams.publish_threadsafe(
        {
            "type": "centre.link",
            "municipality": receipt.municipality,
            "at": now.isoformat(),
            **receipt.as_json(),
        }
    )
    return receipt
