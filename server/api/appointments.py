"""Appointments: the public booking flow (no token; rate-limited per address) and the
notification outbox for managers."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Any

from anyio import to_thread
from fastapi import APIRouter, Depends, Query, Request
from fastapi.responses import JSONResponse
from pydantic import AwareDatetime, Field, StrictStr

from core.wire.payloads import LiveTicketView
from server import appointments as booking
from server.api.deps import actor_of, context, requires
from server.api.json_body import StrictJSONRoute
from server.api.responses import Out
from server.api.schemas import Day, Id, Language, Strict
from server.api.wire_models import response_model
from server.auth import Permission, Principal
from server.store import notifications as outbox_store
from server.store.writer import Transaction

router = APIRouter(tags=["appointments"], route_class=StrictJSONRoute)
PUBLIC_ACTOR = "public:booking"


class AppointmentServiceOut(Out):
    """A service that takes appointments."""

    id: str
    name: dict[str, str]
    description: dict[str, str]
    category_id: str
    life_situation_ids: list[str]
    slot_minutes: int
    days_ahead: int


class SlotOut(Out):
    starts_at: str
    ends_at: str
    free: int


class DayOut(Out):
    day: str
    free: int


class HoldIn(Strict):
    service_id: StrictStr = Id
    starts_at: AwareDatetime
    language: Language = "lv"


class HoldOut(Out):
    hold_id: str
    service_id: str
    starts_at: str
    ends_at: str
    held_until: str


class ConfirmIn(Strict):
    name: StrictStr = Field(min_length=1, max_length=100)
    phone: StrictStr | None = Field(default=None, max_length=40)
    email: StrictStr | None = Field(default=None, max_length=254)
    language: Language = "lv"


class BookingOut(Out):
    """A booking as its own page shows it (contacts masked)."""

    id: str
    code: str | None
    status: str
    service_id: str
    service_name: dict[str, str]
    starts_at: str
    ends_at: str
    language: str
    phone: str | None
    email: str | None


class ConfirmedOut(BookingOut):
    """The booking just made: also the management link, shown only now."""

    manage_token: str
    manage_url: str


class CheckInIn(Strict):
    code: StrictStr = Field(min_length=1, max_length=40)
    """The booking code as typed or scanned (case, spaces and the hyphen do not matter)."""
    language: Language = "lv"


class CheckInOut(Out):
    """What checking a booking in came to."""

    outcome: str
    """`checked_in` (with `ticket`), `early` (with `opens_at`) or `late`."""
    service_id: str
    starts_at: str
    opens_at: str | None
    """Early: when check-in opens."""
    normal_ticket: bool
    """Late: whether the visitor may take a normal ticket instead (`late_arrival`)."""
    ticket: response_model(LiveTicketView) | None  # type: ignore[valid-type]


class NotificationOut(Out):
    id: int
    kind: str
    channel: str
    recipient: str | None
    status: str
    attempts: int
    last_error: str | None
    created_at: str | None
    next_attempt_at: str | None
    sent_at: str | None


class NotificationsOut(Out):
    counts: dict[str, int]
    """Messages in each status: `pending`, `sent`, `failed`, `no_sender`."""
    messages: list[NotificationOut]
    """Messages pending, failed or without a sender, newest first."""


def caller_address(request: Request) -> str:
    """The client's address (uvicorn has applied trusted proxies' headers)."""
    return request.client.host if request.client else "?"


def limit_bookings(request: Request, what: str) -> None:
    """Count a hold or confirmation from this address; `TooManyAttempts` over the limit."""
    ctx = context(request)
    assert ctx.booking_limiter is not None
    ctx.booking_limiter.hit(f"{what}:{caller_address(request)}", ctx.clock.now())


def base_url(request: Request) -> str:
    """Where links in messages point: the public URL, else the address asked."""
    return context(request).config.public_url or str(request.base_url)


@router.get("/appointments/services")
async def appointment_services(request: Request) -> list[AppointmentServiceOut]:
    """Services that take appointments, in catalogue order (public)."""
    catalogue = context(request).catalogue
    return [
        AppointmentServiceOut(
            id=service.id,
            name=service.name.as_dict(),
            description=service.description.as_dict(),
            category_id=service.category_id,
            life_situation_ids=list(service.life_situation_ids),
            slot_minutes=int(service.appointments.slot_length.total_seconds() // 60),
            days_ahead=service.appointments.days_ahead,
        )
        for service in catalogue.services
        if service.appointments is not None
    ]


@router.get("/appointments/days")
async def appointment_days(
    request: Request, service_id: Annotated[str, Query(max_length=64)]
) -> list[DayOut]:
    """Every day that may be booked with its free places (public). 404 `unknown_service`."""
    ctx = context(request)
    days = await to_thread.run_sync(
        booking.free_days,
        ctx.reads.get(),
        ctx.catalogue,
        ctx.engine.hours,
        service_id,
        ctx.clock.now(),
    )
    return [DayOut(day=day.isoformat(), free=free) for day, free in days]


@router.get("/appointments/slots")
async def appointment_slots(
    request: Request, service_id: Annotated[str, Query(max_length=64)], day: Day
) -> list[SlotOut]:
    """The free slots of a day (public). 404 `unknown_service`."""
    ctx = context(request)
    slots = await to_thread.run_sync(
        booking.slots_of_day,
        ctx.reads.get(),
        ctx.catalogue,
        ctx.engine.hours,
        service_id,
        day,
        ctx.clock.now(),
    )
    return [
        SlotOut(starts_at=s.starts_at.isoformat(), ends_at=s.ends_at.isoformat(), free=s.free)
        for s in slots
    ]


async def hold_slot(
    request: Request, service_id: str, starts_at: datetime, language: str
) -> dict[str, Any]:
    """Hold a place (shared by the API and the booking page)."""
    ctx = context(request)
    limit_bookings(request, "hold")

    def command(tx: Transaction) -> dict[str, Any]:
        return booking.hold(tx, ctx.catalogue, ctx.engine.hours, service_id, starts_at, language)

    result: dict[str, Any] = await ctx.writer.run(command, actor=PUBLIC_ACTOR)
    return result


async def confirm_hold(request: Request, hold_id: str, contact: booking.Contact) -> dict[str, Any]:
    """Confirm a hold (shared by the API and the booking page)."""
    ctx = context(request)
    limit_bookings(request, "confirm")
    link_base = base_url(request)

    def command(tx: Transaction) -> dict[str, Any]:
        return booking.confirm(tx, ctx.catalogue, hold_id, contact, link_base)

    result: dict[str, Any] = await ctx.writer.run(command, actor=PUBLIC_ACTOR)
    return result


async def cancel_booking(request: Request, token: str) -> dict[str, Any]:
    """Cancel by management link (shared by the API and the booking page)."""
    ctx = context(request)
    link_base = base_url(request)

    def command(tx: Transaction) -> dict[str, Any]:
        return booking.cancel(tx, ctx.catalogue, token, link_base)

    result: dict[str, Any] = await ctx.writer.run(command, actor=PUBLIC_ACTOR)
    return result


@router.post("/appointments/holds", status_code=201, response_model=HoldOut)
async def create_hold(body: HoldIn, request: Request) -> JSONResponse:
    """Hold one place of a slot while the person confirms (public; rate-limited). 409
    `slot_taken`; 422 `not_a_slot` / `not_bookable`; 429 `too_many_attempts`."""
    result = await hold_slot(request, body.service_id, body.starts_at, body.language)
    return JSONResponse(HoldOut(**result).model_dump(), status_code=201)


@router.post("/appointments/holds/{hold_id}/confirm", status_code=201, response_model=ConfirmedOut)
async def confirm_booking(hold_id: str, body: ConfirmIn, request: Request) -> JSONResponse:
    """Book the held slot with a name and a phone and/or e-mail (public; rate-limited).
    409 `hold_expired` / `booking_limit_reached`; 422 with field codes."""
    contact = booking.Contact(body.name, body.phone, body.email, body.language)
    result = await confirm_hold(request, hold_id, contact)
    return JSONResponse(ConfirmedOut(**result).model_dump(), status_code=201)


@router.get("/appointments/manage/{token}")
async def manage_booking(token: str, request: Request) -> BookingOut:
    """The booking behind a management link (public). 404 `unknown_appointment`."""
    ctx = context(request)
    row = await to_thread.run_sync(booking.by_token, ctx.reads.get(), token)
    return BookingOut(**booking.public_view(ctx.catalogue, row))


@router.post("/appointments/manage/{token}/cancel")
async def cancel(token: str, request: Request) -> BookingOut:
    """Cancel the booking (public; the link is the credential). 409 `booking_not_active`."""
    return BookingOut(**await cancel_booking(request, token))


@router.post("/appointments/check-in", response_model=CheckInOut)
async def check_in(
    body: CheckInIn,
    request: Request,
    principal: Principal = Depends(requires(Permission.ISSUE)),
) -> JSONResponse:
    """Check a booking in by its code (kiosks): on time, a ticket marked with the booked
    time; checking in again answers with the same ticket. Early or late, nothing changes.
    404 `unknown_appointment`; 409 `booking_not_active` (cancelled)."""
    ctx = context(request)
    result = await ctx.engine.appointments.check_in(
        body.language, actor_of(principal), code=body.code
    )
    return JSONResponse(result)  # times as the ticket's own encoder writes them


class MarkArrivalIn(Strict):
    language: Language = "lv"


@router.post("/appointments/{appointment_id}/check-in", response_model=CheckInOut)
async def mark_arrival(
    appointment_id: str,
    body: MarkArrivalIn,
    request: Request,
    principal: Principal = Depends(requires(Permission.OPERATE)),
) -> JSONResponse:
    """A clerk marks a booked visitor's arrival: as the kiosk's check-in, but also
    before the window opens (the ticket waits for the booked time). 404
    `unknown_appointment`; 409 `booking_not_active`."""
    ctx = context(request)
    result = await ctx.engine.appointments.check_in(
        body.language, actor_of(principal), appointment_id=appointment_id
    )
    return JSONResponse(result)  # times as the ticket's own encoder writes them


class UpcomingBookingOut(Out):
    """A booking not yet checked in whose check-in window is still open."""

    id: str
    service_id: str
    starts_at: str
    name: str
    """The first name and the initial of the last (`Anna B.`): enough to greet."""


@router.get("/counters/{counter_id}/bookings")
async def counter_bookings(
    counter_id: str,
    request: Request,
    principal: Principal = Depends(requires(Permission.OPERATE)),
) -> list[UpcomingBookingOut]:
    """Today's bookings of the services this counter serves not yet checked in, their
    window still open, in time order (clerks, managers). 404 `unknown_counter`."""
    ctx = context(request)
    counter = ctx.catalogue.counter(counter_id)
    rows = await to_thread.run_sync(
        booking.booked_next,
        ctx.reads.get(),
        ctx.catalogue,
        ctx.engine.hours,
        set(counter.profile.service_ids),
        ctx.clock.now(),
    )
    return [UpcomingBookingOut(**row) for row in rows]


@router.get("/notifications")
async def notifications(
    request: Request,
    limit: Annotated[int, Query(ge=1, le=500)] = 100,
    principal: Principal = Depends(requires(Permission.MANAGE)),
) -> NotificationsOut:
    """Messages not delivered (retrying, failed, no sender) with their last error, and
    counts per status (managers). Recipients are shown; the read is audited."""
    ctx = context(request)

    def command(tx: Transaction) -> NotificationsOut:
        rows = outbox_store.listing(tx.db.conn, ("pending", "failed", "no_sender"), limit)
        booking.audit(tx, "read_notifications", None, f"{len(rows)} messages")
        return NotificationsOut(
            counts=outbox_store.counts(tx.db.conn),
            messages=[NotificationOut(**row) for row in rows],  # type: ignore[arg-type]
        )

    result: NotificationsOut = await ctx.writer.run(
        command, actor=f"{principal.kind}:{principal.name}"
    )
    return result
