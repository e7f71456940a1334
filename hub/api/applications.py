"""Applications forwarded by a centre to the institution that decides them.

    POST /api/v1/centres/{id}/applications   one application (stored once per
                                              registration number; resending is safe)
    GET  /api/v1/centres/{id}/application-updates?after=N   status steps made at
                                              the hub on what it forwarded
    POST /api/v1/status-lookups               a resident's check at any centre
    GET  /api/v1/applications?status=&q=      the signed-in institution's inbox
    GET  /api/v1/applications.csv             the same as CSV (audited)
    GET  /api/v1/applications/audit           who read what (admins)
    GET  /api/v1/applications/{id}            one application (audited)
    POST /api/v1/applications/{id}/status     move it on (the back office's lifecycle)
    POST /api/v1/applications/{id}/notes      a note

Only the centre's own token may forward (`wrong_centre` otherwise); only institution
staff read the inbox, and only their own institution's (`hub.inbox`).
"""

from __future__ import annotations

from datetime import date, datetime, timedelta
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Query, Request, Response
from pydantic import BaseModel, ConfigDict, Field, StrictStr, field_validator

from core import free_text
from core.applications import STANDARD_FIELDS, normalize_secret
from core.errors import Forbidden
from hub import inbox
from hub.accounts import HubPrincipal, HubRole
from hub.api.deps import authenticate, context
from hub.applications import status_for_resident, status_updates, store_forwarded
from server.api.json_body import StrictJSONRoute
from server.api.schemas import free_text_check
from server.applications import normalize_registration
from server.ratelimit import RateLimiter

router = APIRouter(tags=["applications"], route_class=StrictJSONRoute)

CatalogueId = Annotated[
    StrictStr, Field(min_length=1, max_length=64), free_text_check(free_text.CATALOGUE_ID)
]


class ForwardedApplication(BaseModel):
    """An application as it travels (`server.forwarding.TRAVELLING`)."""

    model_config = ConfigDict(extra="forbid")

    registration_number: StrictStr = Field(min_length=1, max_length=40, pattern=r"^[A-Z0-9/_-]+$")
    type_id: CatalogueId
    service_id: CatalogueId
    department_id: CatalogueId
    language: StrictStr = Field(min_length=2, max_length=8)
    lodged_at: datetime
    answer_deadline: date
    fields: dict[StrictStr, StrictStr] = Field(max_length=len(STANDARD_FIELDS))
    receipt_verifier: StrictStr = Field(pattern=r"^[0-9a-f]{32}\$[0-9a-f]{64}$")

    @field_validator("fields")
    @classmethod
    def _standard_fields(cls, fields: dict[str, str]) -> dict[str, str]:
        for name, value in fields.items():
            spec = STANDARD_FIELDS.get(name)
            if spec is None:
                raise ValueError(f"{name!r} is not a standard application field")
            if len(value) > spec.max_length:
                raise ValueError(f"{name!r} is longer than {spec.max_length} characters")
        return fields


@router.post("/centres/{centre_id}/applications")
def post_application(
    centre_id: str,
    body: ForwardedApplication,
    request: Request,
    principal: HubPrincipal = Depends(authenticate),
) -> dict[str, Any]:
    """Store a forwarded application; `stored` is False when the hub had it already."""
    principal.require_centre(centre_id)
    ctx = context(request)

    with ctx.pool.connection() as conn:
        stored = store_forwarded(conn, centre_id, **body.model_dump(), now=ctx.clock.now())
    return {"registration_number": body.registration_number, "stored": stored}


@router.get("/centres/{centre_id}/application-updates")
def get_updates(
    centre_id: str,
    request: Request,
    after: int = Query(default=0, ge=0, le=2**62),
    principal: HubPrincipal = Depends(authenticate),
) -> dict[str, Any]:
    """The status steps institutions made on this centre's forwarded applications,
    after position `after` (oldest first, at most 500): the centre resumes from the
    last `seq` it applied."""
    principal.require_centre(centre_id)
    ctx = context(request)
    with ctx.pool.connection() as conn:
        return {"updates": status_updates(conn, centre_id, after)}


class LookupIn(BaseModel):
    """A resident's status check, passed on by a centre."""

    model_config = ConfigDict(extra="forbid")

    registration_number: StrictStr = Field(min_length=1, max_length=40)
    secret: StrictStr = Field(min_length=1, max_length=40)


LOOKUPS = RateLimiter(10, timedelta(minutes=1))
"""Status checks per registration number (and per centre, ten times that) a minute,
as at a centre (`ServerConfig.status_lookups_per_minute`)."""


@router.post("/status-lookups")
def status_lookup(
    body: LookupIn, request: Request, principal: HubPrincipal = Depends(authenticate)
) -> dict[str, Any]:
    """A resident's status check at any centre, for an application another centre
    forwarded: the registration number **and** the receipt's code. Rate-limited; a
    wrong number and a wrong code get the same answer; never personal data."""
    if principal.role is not HubRole.CENTRE:
        raise Forbidden("Status checks are passed on by centres.")
    ctx = context(request)
    number = normalize_registration(body.registration_number)[:40]
    now = ctx.clock.now()
    LOOKUPS.hit(f"number:{number}", now)
    with ctx.pool.connection() as conn:
        return status_for_resident(conn, number, normalize_secret(body.secret))


class StatusIn(BaseModel):
    """A status change."""

    model_config = ConfigDict(extra="forbid")

    status: StrictStr = Field(max_length=20)
    note: StrictStr | None = Field(default=None, max_length=2000)


class NoteIn(BaseModel):
    """A note."""

    model_config = ConfigDict(extra="forbid")

    note: StrictStr = Field(max_length=2000)


@router.get("/applications")
def list_applications(
    request: Request,
    status: str | None = None,
    q: str | None = None,
    principal: HubPrincipal = Depends(authenticate),
) -> dict[str, Any]:
    """The institution's inbox from every centre (no personal fields)."""
    institution = principal.require_institution()
    ctx = context(request)
    with ctx.pool.connection() as conn:
        rows = inbox.inbox(conn, institution, status=status, search=(q or "")[:40] or None)
    return {"institution": institution, "applications": rows}


@router.get("/applications.csv", response_class=Response)
def export_applications(
    request: Request, principal: HubPrincipal = Depends(authenticate)
) -> Response:
    """The inbox as CSV (no personal fields); the export is audited."""
    institution = principal.require_institution()
    ctx = context(request)
    with ctx.pool.connection() as conn:
        text = inbox.inbox_csv(conn, principal.name, institution, ctx.clock.now())
    return Response(text, media_type="text/csv; charset=utf-8")


@router.get("/applications/audit")
def application_audit(
    request: Request, principal: HubPrincipal = Depends(authenticate)
) -> dict[str, Any]:
    """Who read or exported which application, when (newest first)."""
    principal.require_admin()
    ctx = context(request)
    with ctx.pool.connection() as conn:
        return {"entries": inbox.audit_log(conn)}


@router.get("/applications/{application_id}")
def read_application(
    application_id: str, request: Request, principal: HubPrincipal = Depends(authenticate)
) -> dict[str, Any]:
    """One application with its personal fields and history; the read is audited."""
    institution = principal.require_institution()
    ctx = context(request)
    with ctx.pool.connection() as conn:
        return inbox.read(conn, principal.name, institution, application_id, ctx.clock.now())


@router.post("/applications/{application_id}/status")
def change_status(
    application_id: str,
    body: StatusIn,
    request: Request,
    principal: HubPrincipal = Depends(authenticate),
) -> dict[str, Any]:
    """Move the application on: `forwarded → in_progress → answered | rejected`."""
    institution = principal.require_institution()
    ctx = context(request)
    with ctx.pool.connection() as conn:
        return inbox.change_status(
            conn,
            principal.name,
            institution,
            application_id,
            body.status,
            body.note,
            ctx.clock.now(),
        )


@router.post("/applications/{application_id}/notes", status_code=204)
def add_note(
    application_id: str,
    body: NoteIn,
    request: Request,
    principal: HubPrincipal = Depends(authenticate),
) -> Response:
    """A note in the application's history."""
    institution = principal.require_institution()
    ctx = context(request)
    with ctx.pool.connection() as conn:
        inbox.add_note(
            conn, principal.name, institution, application_id, body.note, ctx.clock.now()
        )
    return Response(status_code=204)
