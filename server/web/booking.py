"""The public booking pages: pick a service, a day and a time; confirm; the booking's
own page with its code, QR code, calendar file and cancel button.

Plain HTML forms (no script needed), phone-first, in the visitor's language, no sign-in.
Every step calls the same functions as the REST API (`server.api.appointments`), so
the rules, the rate limit and the race for the last place are the same.
"""

from __future__ import annotations

import base64
import io
from datetime import date, datetime
from typing import Any

import qrcode
import qrcode.image.svg
from anyio import to_thread
from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from icalendar import Calendar, Event

from core.catalogue import Catalogue
from core.days import day_problem
from core.errors import InvalidInput, NotFound, RindaError
from core.i18n import format_date, format_datetime, format_time, t
from core.model import Service
from server import appointments as booking
from server.api.appointments import cancel_booking, confirm_hold, hold_slot
from server.api.deps import context
from server.web.render import page_language, render

router = APIRouter(include_in_schema=False)
SEE_OTHER = 303


def _services(catalogue: Catalogue, query: str, language: str) -> list[Service]:
    needle = query.strip().casefold()
    return [
        service
        for service in catalogue.services
        if service.appointments is not None
        and (
            not needle
            or needle in service.name.get(language).casefold()
            or needle in service.description.get(language).casefold()
        )
    ]


def _error_text(error: RindaError, language: str) -> str:
    code = error.code
    if isinstance(error, InvalidInput) and error.fields:
        code = next(iter(error.fields.values()))
    key = f"book.error.{code}"
    try:
        return t(key, language)
    except KeyError:
        return error.message


@router.get("/book", response_class=HTMLResponse)
async def services_page(request: Request, q: str = "") -> HTMLResponse:
    """Services that take appointments, by life situation; `?q=` filters by name."""
    ctx = context(request)
    language = page_language(request)
    services = _services(ctx.catalogue, q[:100], language)
    groups = []
    for situation in ctx.catalogue.life_situations:
        members = [s for s in services if situation.id in s.life_situation_ids]
        if members:
            groups.append((situation.name.get(language), members))
    return render(request, "book_services.html", services=services, groups=groups, query=q[:100])


def _local(ctx_catalogue: Catalogue, moment: datetime) -> datetime:
    return moment.astimezone(ctx_catalogue.hours.zone)


async def _slots_page(
    request: Request, service_id: str, day_text: str | None, error: str = "", status: int = 200
) -> HTMLResponse:
    ctx = context(request)
    service, _ = booking.appointment_service(ctx.catalogue, service_id[:64])
    now = ctx.clock.now()
    days = await to_thread.run_sync(
        booking.free_days, ctx.reads.get(), ctx.catalogue, ctx.engine.hours, service.id, now
    )
    chosen: date | None = None
    if day_text:
        parsed, problem = day_problem(day_text)
        if problem is None and parsed is not None and any(d == parsed for d, _ in days):
            chosen = parsed
    if chosen is None:
        chosen = next((d for d, free in days if free > 0), days[0][0] if days else None)
    slots = []
    if chosen is not None:
        found = await to_thread.run_sync(
            booking.slots_of_day,
            ctx.reads.get(),
            ctx.catalogue,
            ctx.engine.hours,
            service.id,
            chosen,
            now,
        )
        slots = [(s.starts_at.isoformat(), format_time(_local(ctx.catalogue, s.starts_at), "lv"))
                 for s in found]  # fmt: skip
    language = page_language(request)
    return render(
        request,
        "book_slots.html",
        status_code=status,
        service=service,
        days=[(d, format_date(d, language), free) for d, free in days],
        chosen=chosen,
        chosen_text=format_date(chosen, language) if chosen else "",
        slots=slots,
        error=error,
    )


@router.get("/book/{service_id}", response_class=HTMLResponse)
async def slots_page(request: Request, service_id: str, day: str | None = None) -> HTMLResponse:
    """The days that may be booked, and the free times of the chosen day."""
    try:
        return await _slots_page(request, service_id, day)
    except NotFound:
        return render(request, "book_services.html", status_code=404, services=[], groups=[],
                      query="")  # fmt: skip


@router.post("/book/{service_id}/hold", response_model=None)
async def hold_page(request: Request, service_id: str) -> Response:
    """Hold the chosen time, then show the form."""
    form = await request.form()
    starts_text = str(form.get("starts_at", ""))[:40]
    language = page_language(request)
    try:
        starts_at = datetime.fromisoformat(starts_text)
        if starts_at.tzinfo is None:
            raise ValueError(starts_text)
    except ValueError:
        return await _slots_page(request, service_id, None, t("book.error.not_bookable", language),
                                 422)  # fmt: skip
    try:
        held = await hold_slot(request, service_id[:64], starts_at, language)
    except RindaError as exc:
        status = 429 if exc.code == "too_many_attempts" else 409
        if isinstance(exc, (InvalidInput, NotFound)):
            status = 422 if isinstance(exc, InvalidInput) else 404
        return await _slots_page(
            request, service_id, starts_at.date().isoformat(), _error_text(exc, language), status
        )
    return RedirectResponse(f"/book/hold/{held['hold_id']}", status_code=SEE_OTHER)


def _form_page(
    request: Request,
    row: Any,
    *,
    values: dict[str, str] | None = None,
    errors: dict[str, str] | None = None,
    error: str = "",
    status: int = 200,
) -> HTMLResponse:
    ctx = context(request)
    language = page_language(request)
    service = ctx.catalogue.service(row.service_id)
    return render(
        request,
        "book_form.html",
        status_code=status,
        hold_id=row.id,
        service=service,
        when=format_datetime(_local(ctx.catalogue, row.starts_at), language),
        until=format_time(_local(ctx.catalogue, row.held_until), language),
        values=values or {},
        errors={name: t(f"book.field.{code}", language) for name, code in (errors or {}).items()},
        error=error,
        retention_days=ctx.config.retention_days,
    )


@router.get("/book/hold/{hold_id}", response_class=HTMLResponse)
async def form_page(request: Request, hold_id: str) -> HTMLResponse:
    """The contact form of a running hold."""
    ctx = context(request)
    language = page_language(request)
    try:
        row = await to_thread.run_sync(booking.held, ctx.reads.get(), hold_id, ctx.clock.now())
    except RindaError as exc:
        return render(request, "book_services.html", status_code=409, services=[], groups=[],
                      query="", error=_error_text(exc, language))  # fmt: skip
    return _form_page(request, row)


@router.post("/book/hold/{hold_id}", response_model=None)
async def confirm_page(request: Request, hold_id: str) -> Response:
    """Confirm the booking; the booking's own page follows."""
    ctx = context(request)
    language = page_language(request)
    form = await request.form()
    values = {key: str(form.get(key, ""))[:254].strip() for key in ("name", "phone", "email")}
    contact = booking.Contact(
        values["name"], values["phone"] or None, values["email"] or None, language
    )
    try:
        confirmed = await confirm_hold(request, hold_id, contact)
    except RindaError as exc:
        try:
            row = await to_thread.run_sync(booking.held, ctx.reads.get(), hold_id, ctx.clock.now())
        except RindaError as gone:
            return render(request, "book_services.html", status_code=409, services=[], groups=[],
                          query="", error=_error_text(gone, language))  # fmt: skip
        if isinstance(exc, InvalidInput):
            return _form_page(request, row, values=values, errors=exc.fields, status=422)
        status = 429 if exc.code == "too_many_attempts" else 409
        return _form_page(request, row, values=values, error=_error_text(exc, language),
                          status=status)  # fmt: skip
    return RedirectResponse(f"/b/{confirmed['manage_token']}", status_code=SEE_OTHER)


def qr_data_uri(text: str) -> str:
    """An SVG QR code of `text` as a `data:` address (the page's CSP allows data images)."""
    image = qrcode.make(text, image_factory=qrcode.image.svg.SvgPathImage, box_size=12, border=2)
    buffer = io.BytesIO()
    image.save(buffer)
    return "data:image/svg+xml;base64," + base64.b64encode(buffer.getvalue()).decode()


@router.get("/b/{token}", response_class=HTMLResponse)
async def booking_page(request: Request, token: str) -> HTMLResponse:
    """The booking's own page."""
    ctx = context(request)
    language = page_language(request)
    try:
        row = await to_thread.run_sync(booking.by_token, ctx.reads.get(), token)
    except NotFound:
        return render(request, "booking.html", status_code=404, view=None)
    view = booking.public_view(ctx.catalogue, row)
    return render(
        request,
        "booking.html",
        view=view,
        token=token,
        service=ctx.catalogue.service(row.service_id).name.get(language),
        when=format_datetime(_local(ctx.catalogue, row.starts_at), language),
        address=ctx.catalogue.centre.address.get(language),
        qr=qr_data_uri(row.code or "") if view["status"] == "booked" else "",
        early=int(ctx.catalogue.appointment_policy.check_in_early.total_seconds() // 60),
        status_text=t(f"book.status.{view['status']}", language),
    )


@router.get("/b/{token}/calendar.ics", response_model=None)
async def calendar_file(request: Request, token: str) -> Response:
    """The booking as an iCalendar event (RFC 5545), for the phone's calendar."""
    ctx = context(request)
    language = page_language(request)
    try:
        row = await to_thread.run_sync(booking.by_token, ctx.reads.get(), token)
    except NotFound:
        return Response("No such booking.", status_code=404, media_type="text/plain")
    centre = ctx.catalogue.centre
    calendar = Calendar()
    calendar.add("prodid", "-//Rinda//appointments//EN")
    calendar.add("version", "2.0")
    event = Event()
    event.add("uid", f"{row.id}@rinda")
    event.add("dtstamp", row.booked_at or row.starts_at)
    event.add("dtstart", row.starts_at)
    event.add("dtend", row.ends_at)
    event.add("summary", ctx.catalogue.service(row.service_id).name.get(language))
    event.add("location", f"{centre.name.get(language)}, {centre.address.get(language)}")
    code = booking.display_code(row.code) if row.code else ""
    event.add("description", f"{t('book.code', language)}: {code}")
    calendar.add_component(event)
    return Response(
        calendar.to_ical(),
        media_type="text/calendar; charset=utf-8",
        headers={"Content-Disposition": 'attachment; filename="appointment.ics"'},
    )


@router.post("/b/{token}/cancel", response_model=None)
async def cancel_page(request: Request, token: str) -> Response:
    """Cancel, then show the booking's page again (now cancelled)."""
    try:
        await cancel_booking(request, token)
    except NotFound:
        return render(request, "booking.html", status_code=404, view=None)
    except RindaError:
        pass  # begun or ended: the page shows the booking's status as it is
    return RedirectResponse(f"/b/{token}", status_code=SEE_OTHER)
