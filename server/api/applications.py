"""Applications: lodging at a kiosk, the applicant's status lookup, the back office."""

from __future__ import annotations

from typing import Annotated, Any, Literal

from anyio import to_thread
from fastapi import APIRouter, Depends, Request, Response
from fastapi.responses import JSONResponse
from pydantic import Field, StrictBool, StrictStr

from core.applications import STANDARD_FIELDS
from core.errors import NotAuthenticated, NotFound
from core.wire.payloads import (
    ApplicationStatusView,
    ApplicationTypeView,
    LodgedView,
)
from server import applications as store
from server.api.deps import authenticate, context, idempotency_from, requires
from server.api.json_body import StrictJSONRoute
from server.api.responses import (
    ApplicationOut,
    ApplicationSummaryOut,
    AuditEntryOut,
    StatusChangedOut,
)
from server.api.schemas import CSV_RESPONSE, ApplicationNote, Strict
from server.api.wire_models import response_list, response_model, wire_response
from server.auth import Permission, Principal
from server.forwarding import verifier_for
from server.hub_link.lookup import hub_status
from server.store.writer import Replayed, Transaction

router = APIRouter(tags=["applications"], route_class=StrictJSONRoute)


class LodgeIn(Strict):
    type_id: StrictStr = Field(min_length=1, max_length=64)
    language: Literal["lv", "ru", "en"] = "lv"
    fields: dict[Annotated[StrictStr, Field(max_length=40)], Any] = Field(
        max_length=len(STANDARD_FIELDS) + 5
    )
    consent: StrictBool
    kiosk_reference: StrictStr | None = Field(
        default=None, pattern=r"^[A-Za-z0-9]{1,20}$", description="The kiosk's own reference"
    )


class LookupIn(Strict):
    registration_number: StrictStr = Field(min_length=1, max_length=40)
    secret: StrictStr = Field(min_length=1, max_length=40)


class StatusIn(Strict):
    status: StrictStr = Field(min_length=1, max_length=20)
    note: ApplicationNote | None = None


class NoteIn(Strict):
    note: ApplicationNote


def _actor(principal: Principal) -> str:
    return f"{principal.kind}:{principal.name}"


@router.get("/application-types", response_model=response_list(ApplicationTypeView))
async def application_types(
    request: Request, principal: Principal = Depends(requires(Permission.READ))
) -> JSONResponse:
    """The forms a kiosk offers: fields in order, which are required, who decides."""
    catalogue = context(request).catalogue
    return wire_response(
        [
            ApplicationTypeView.of(kind, catalogue.department(kind.department_id).name)
            for kind in catalogue.application_types
        ]
    )


@router.post("/applications", status_code=201, response_model=response_model(LodgedView))
async def lodge_application(
    body: LodgeIn, request: Request, principal: Principal = Depends(requires(Permission.LODGE))
) -> JSONResponse:
    """Lodge an application. Send an `Idempotency-Key`: a retry returns the same
    registration number and secret, never a second application."""
    ctx = context(request)
    idempotency = idempotency_from(request, principal, body.model_dump())
    secret = store.new_secret()
    # Slow on purpose (scrypt): made here, never in the writer's transaction.
    verifier = await to_thread.run_sync(verifier_for, ctx.catalogue, body.type_id, secret)
    lodging = store.Lodging(
        type_id=body.type_id,
        language=body.language,
        fields=dict(body.fields),
        consent=body.consent,
        kiosk_reference=body.kiosk_reference.upper() if body.kiosk_reference else None,
        secret=secret,
        receipt_verifier=verifier,
    )

    def command(tx: Transaction) -> dict[str, Any]:
        return store.lodge(tx, ctx.catalogue, ctx.config.registration_prefix, lodging)

    result = await ctx.writer.run(command, actor=_actor(principal), idempotency=idempotency)
    headers = {"Idempotent-Replayed": "true"} if isinstance(result, Replayed) else None
    return JSONResponse(dict(result), status_code=201, headers=headers)


@router.post("/applications/lookup", response_model=response_model(ApplicationStatusView))
async def lookup_application(body: LookupIn, request: Request) -> dict[str, Any]:
    """The applicant's status check: registration number **and** the receipt's secret.
    Rate-limited per caller and per registration number; open to anyone."""
    ctx = context(request)
    limiter = ctx.lookup_limiter
    try:
        caller = authenticate(request).name
    except NotAuthenticated:  # anonymous (a resident at home): keyed by address
        caller = request.client.host if request.client else "?"
    now = ctx.clock.now()
    limiter.hit(f"caller:{caller}", now)
    limiter.hit(f"number:{store.normalize_registration(body.registration_number)}", now)
    try:
        return await to_thread.run_sync(
            store.lookup, ctx.reads.get(), ctx.catalogue, body.registration_number, body.secret
        )
    except NotFound:
        if ctx.config.hub is None:
            raise
    # Not lodged here: another centre may have forwarded it to the hub.
    answer = await to_thread.run_sync(
        hub_status, ctx.config.hub, body.registration_number, body.secret
    )
    return store.shown_from_hub(ctx.catalogue, answer)


@router.get("/applications", response_model=list[ApplicationSummaryOut])
async def list_applications(
    request: Request,
    department: str | None = None,
    status: str | None = None,
    q: str | None = None,
    principal: Principal = Depends(requires(Permission.BACK_OFFICE)),
) -> list[dict[str, Any]]:
    """The inbox: applications of the departments the caller belongs to (no personal data)."""
    ctx = context(request)
    return await to_thread.run_sync(
        lambda: store.inbox(
            ctx.reads.get(),
            ctx.catalogue,
            principal,
            ctx.clock.now(),
            department=department,
            status=status,
            search=(q or "")[:40] or None,
        )
    )


@router.get("/applications.csv", response_class=Response, responses=CSV_RESPONSE)
async def export_applications(
    request: Request,
    department: str | None = None,
    status: str | None = None,
    principal: Principal = Depends(requires(Permission.BACK_OFFICE)),
) -> Response:
    """The inbox as CSV; the export is written to the audit log."""
    ctx = context(request)

    def command(tx: Transaction) -> str:
        rows = store.inbox(
            tx.db.conn, ctx.catalogue, principal, tx.now, department=department, status=status
        )
        store.audit(tx, "export", None, f"{len(rows)} rows; department={department or 'all'}")
        return store.inbox_csv(rows)

    text = await ctx.writer.run(command, actor=_actor(principal))
    return Response(
        text,
        media_type="text/csv; charset=utf-8",
        headers={"Content-Disposition": 'attachment; filename="applications.csv"'},
    )


@router.get("/applications/audit", response_model=list[AuditEntryOut])
async def audit_entries(
    request: Request,
    application: str | None = None,
    principal: Principal = Depends(requires(Permission.MANAGE)),
) -> list[dict[str, Any]]:
    """Who read or exported application data, newest first (managers)."""
    ctx = context(request)
    return await to_thread.run_sync(store.audit_log, ctx.reads.get(), application)


@router.get("/applications/{application_id}", response_model=ApplicationOut)
async def read_application(
    application_id: str,
    request: Request,
    principal: Principal = Depends(requires(Permission.BACK_OFFICE)),
) -> dict[str, Any]:
    """One application with its personal fields and history; the read is audited."""
    ctx = context(request)

    def command(tx: Transaction) -> dict[str, Any]:
        return store.read_application(tx, ctx.catalogue, principal, application_id)

    result: dict[str, Any] = await ctx.writer.run(command, actor=_actor(principal))
    return result


@router.post("/applications/{application_id}/status", response_model=StatusChangedOut)
async def change_status(
    application_id: str,
    body: StatusIn,
    request: Request,
    principal: Principal = Depends(requires(Permission.BACK_OFFICE)),
) -> dict[str, Any]:
    """Move the application to its next status, with an optional note."""
    ctx = context(request)

    def command(tx: Transaction) -> dict[str, Any]:
        return store.change_status(
            tx, ctx.catalogue, principal, application_id, body.status, body.note
        )

    result: dict[str, Any] = await ctx.writer.run(command, actor=_actor(principal))
    return result


@router.post("/applications/{application_id}/notes", status_code=204)
async def add_note(
    application_id: str,
    body: NoteIn,
    request: Request,
    principal: Principal = Depends(requires(Permission.BACK_OFFICE)),
) -> Response:
    """Add a note to the application's history."""
    ctx = context(request)

    def command(tx: Transaction) -> None:
        store.add_note(tx, ctx.catalogue, principal, application_id, body.note)

    await ctx.writer.run(command, actor=_actor(principal))
    return Response(status_code=204)
