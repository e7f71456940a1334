"""The public ticket page behind a ticket's QR code, and its live updates.

No sign-in: whoever holds the ticket (its id is unguessable, 64 random bits)
may follow it. So the page, and its event stream, show that one ticket's
view and nothing else: number, service, status, people ahead, estimated
wait, the counter it is called to. Not the centre's event log, not other
tickets. The stream (`GET /t/{id}/events`) sends the view when it changes and
ends once the ticket is finished.
"""

from __future__ import annotations

import asyncio
import json
from collections.abc import AsyncIterator
from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, StreamingResponse

from core.catalogue import Catalogue
from core.errors import NotFound
from core.i18n import format_wait, t
from core.model import TicketStatus
from server.api.deps import context
from server.api.tickets import find_ticket
from server.broker import CLOSED, EventFilter
from server.store.faults import StorageUnavailable
from server.web.render import page_language, render

router = APIRouter(include_in_schema=False)
MAX_TICKET_ID = 64
RETRY_MILLISECONDS = 3000


def ticket_view(ticket: dict[str, Any], catalogue: Catalogue, language: str) -> dict[str, Any]:
    """What the public sees of a ticket, in `language`.

    `{number, service, status, final, called, counter, people_ahead, wait, status_text}`:
    `counter` only while called, `people_ahead` and `wait` only while waiting."""
    status = TicketStatus(ticket["status"])
    service = catalogue.services_by_id.get(ticket["service_id"])
    counter = catalogue.counters_by_id.get(ticket["counter_id"] or "")
    called = status.holds_counter
    waiting = status is TicketStatus.WAITING
    return {
        "number": ticket["number"],
        "service": service.name.get(language) if service else "",
        "status": status.value,
        "final": status.is_final,
        "called": called,
        "counter": counter.name.get(language) if called and counter else "",
        "people_ahead": ticket["people_ahead"] if waiting else None,
        "wait": format_wait(ticket["estimated_wait_seconds"], language) if waiting else "",
        "status_text": t(f"status.{status.value}", language),
    }


@router.get("/t/{ticket_id}")
async def ticket_status(request: Request, ticket_id: str) -> HTMLResponse:
    """The public status page (live while the ticket is not finished)."""
    ctx = context(request)
    try:
        ticket = find_ticket(request, ticket_id[:MAX_TICKET_ID])
    except NotFound:
        return render(request, "ticket_status.html", status_code=404, view=None)
    view = ticket_view(ticket, ctx.catalogue, page_language(request))
    return render(
        request,
        "ticket_status.html",
        message_prefixes=("ticket_status.",),
        view=view,
        ticket_id=ticket["id"],
    )


def _message(view: dict[str, Any]) -> str:
    data = json.dumps(view, ensure_ascii=False, separators=(",", ":"))
    return f"event: ticket\ndata: {data}\n\n"


@router.get("/t/{ticket_id}/events")
async def ticket_events(request: Request, ticket_id: str) -> StreamingResponse:
    """Server-Sent Events of one ticket's view (`event: ticket`, data as `ticket_view`):
    sent at once, then whenever it changes; the stream ends after a final status.
    404 `unknown_ticket`; 429 `too_many_streams`."""
    ctx = context(request)
    language = page_language(request)
    ticket_id = ticket_id[:MAX_TICKET_ID]
    view = ticket_view(find_ticket(request, ticket_id), ctx.catalogue, language)
    streams = ctx.ticket_streams
    streams.open(ticket_id)
    # Any committed event may move this ticket (a call ahead of it, a counter opening,
    # a transfer): each wake-up recomputes the view, and sends it only if it changed.
    subscription = ctx.broker.subscribe(EventFilter())

    async def stream() -> AsyncIterator[str]:
        sent = view
        try:
            yield f"retry: {RETRY_MILLISECONDS}\n" + _message(view)
            while not sent["final"]:
                try:
                    item = await asyncio.wait_for(
                        subscription.queue.get(), ctx.config.heartbeat_seconds
                    )
                except TimeoutError:
                    yield ": heartbeat\n\n"
                    continue
                while item is not CLOSED and not subscription.queue.empty():
                    item = subscription.queue.get_nowait()
                if item is CLOSED:
                    break
                try:
                    ticket = find_ticket(request, ticket_id)
                except StorageUnavailable:  # reported by /health; the page retries
                    break
                current = ticket_view(ticket, ctx.catalogue, language)
                if current != sent:
                    sent = current
                    yield _message(current)
        finally:
            ctx.broker.unsubscribe(subscription)
            streams.close(ticket_id)

    return StreamingResponse(
        stream(),
        media_type="text/event-stream",
        headers={"Cache-Control": "no-store", "X-Accel-Buffering": "no"},
    )
