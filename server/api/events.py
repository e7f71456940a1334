"""`GET /api/v1/events`: the event log as Server-Sent Events, resumable.

The stream subscribes to live events first, then replays from the log every
event after `Last-Event-ID` (or `?since=`), then continues live, skipping any
event already sent: none is missed and none is sent twice.
"""

from __future__ import annotations

from collections.abc import AsyncIterator

from anyio import to_thread
from fastapi import APIRouter, Depends, Query, Request
from fastapi.responses import StreamingResponse

from core.errors import InvalidInput
from core.events import HEARTBEAT_HEADER, Event
from server.api.deps import context, requires
from server.api.event_params import EVENT_STREAM_RESPONSE, MAX_EVENT_SEQ, checked_filter
from server.auth import Permission, Principal
from server.broker import Batch, sse_bytes
from server.context import ServerContext
from server.store.events import events_after, last_event_seq

router = APIRouter(tags=["events"])
REPLAY_BATCH = 500
RETRY_MILLISECONDS = 1000


def read_events(ctx: ServerContext, after: int, limit: int) -> list[Event]:
    """Events with seq > `after` from the log (read connection)."""
    return events_after(ctx.reads.get(), after, limit)


def _parse_last_id(header: str | None, since: int | None) -> int | None:
    if header is not None and header.strip():
        try:
            value = int(header.strip())
        except ValueError:
            raise InvalidInput(
                "Last-Event-ID must be an event number.", {"Last-Event-ID": "not_a_number"}
            ) from None
        if value < 0:
            raise InvalidInput("Last-Event-ID must not be negative.", {"Last-Event-ID": "negative"})
        if value > MAX_EVENT_SEQ:
            raise InvalidInput(
                f"Last-Event-ID must be at most {MAX_EVENT_SEQ}.", {"Last-Event-ID": "out_of_range"}
            )
        return value
    return since


def _split(values: list[str] | None) -> frozenset[str]:
    return frozenset(v for value in values or [] for v in value.split(",") if v)


@router.get("/events", response_class=StreamingResponse, responses=EVENT_STREAM_RESPONSE)
async def events(
    request: Request,
    since: int | None = Query(
        default=None, ge=0, le=MAX_EVENT_SEQ, description="Resume after this event number"
    ),
    service: list[str] | None = Query(default=None, description="Only these services"),
    counter: list[str] | None = Query(default=None, description="Only these counters"),
    type: list[str] | None = Query(default=None, description="Only these event types or prefixes"),
    principal: Principal = Depends(requires(Permission.READ, counts_as_use=False)),
) -> StreamingResponse:
    """Server-Sent Events; `id:` is the event's sequence number. Resume with the
    `Last-Event-ID` header. A comment line is sent as a heartbeat after every
    `heartbeat_seconds` of silence; the `Rinda-Heartbeat-Seconds` header says how
    often, so a client can treat a stream silent for longer as a dead link. The stream
    ends within `credential_check_seconds` of its token ceasing to be valid; a stream
    open does not keep a session alive."""
    ctx = context(request)
    last_id = _parse_last_id(request.headers.get("last-event-id"), since)
    event_filter = checked_filter(ctx.catalogue, _split(service), _split(counter), _split(type))
    subscription = ctx.broker.subscribe(event_filter, principal.credential)
    if last_id is None:  # from now: the end of the log, whichever writer appended to it
        last_id = await to_thread.run_sync(lambda: last_event_seq(ctx.reads.get()))
    start = last_id

    async def stream() -> AsyncIterator[bytes]:
        sent = start
        try:
            yield f"retry: {RETRY_MILLISECONDS}\n: connected at {sent}\n\n".encode()
            while True:
                batch = await to_thread.run_sync(read_events, ctx, sent, REPLAY_BATCH)
                if subscription.dropped:
                    return
                for event in batch:
                    sent = event.seq
                    if event_filter.matches(event):
                        yield sse_bytes(event)
                if len(batch) < REPLAY_BATCH:
                    break
            heartbeat = ctx.config.heartbeat_seconds
            while True:
                items = await subscription.next(heartbeat)
                if items is None:
                    yield b": heartbeat\n\n"
                    continue
                # Whatever else is already queued goes out in the same write: under
                # load a listener gets one chunk per wake-up, not one per event. The
                # bytes of a batch are built once and shared by every listener.
                chunks = [
                    item.sse_after(sent)
                    for item in items
                    if isinstance(item, Batch) and item.last_seq > sent
                ]
                newest = max((i.last_seq for i in items if isinstance(i, Batch)), default=sent)
                sent = max(sent, newest)
                if chunks:
                    yield chunks[0] if len(chunks) == 1 else b"".join(chunks)
                if not isinstance(items[-1], Batch):
                    break
        finally:
            ctx.broker.unsubscribe(subscription)

    return StreamingResponse(
        stream(),
        media_type="text/event-stream",
        headers={
            "Cache-Control": "no-store",
            "X-Accel-Buffering": "no",
            HEARTBEAT_HEADER: f"{ctx.config.heartbeat_seconds:g}",
        },
    )
