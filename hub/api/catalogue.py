"""The national service catalogue: read by centres, analysts and admins, published and
rolled back by admins.

GET  /api/v1/catalogue                          the current version, with its document
GET  /api/v1/catalogue/versions                 every version, newest first
GET  /api/v1/catalogue/versions/{n}             one version, with its document
GET  /api/v1/catalogue/versions/{n}/changes     what changed (from `since`, default n-1)
POST /api/v1/catalogue/versions                 publish a new version (admin)
POST /api/v1/catalogue/rollback                 restore an earlier version as a new one (admin)
PUT  /api/v1/centres/{id}/catalogue             a centre says which version it runs

A document that fails the catalogue validator is refused with `invalid_catalogue` and
a message naming the field (422); publishing the current version again is
`catalogue_unchanged` (409).
"""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Depends, Query, Request
from pydantic import BaseModel, ConfigDict, Field, StrictInt, StrictStr

from core.errors import NotFound
from hub import catalogue as store
from hub.accounts import HubPrincipal
from hub.api.deps import authenticate, context
from server.api.json_body import StrictJSONRoute

router = APIRouter(tags=["national catalogue"], route_class=StrictJSONRoute)
MAX_DOCUMENT = 2_000_000


def _full(version: store.Version) -> dict[str, Any]:
    return {**version.summary(), "document": version.document}


@router.get("/catalogue")
def current(request: Request, principal: HubPrincipal = Depends(authenticate)) -> dict[str, Any]:
    """The current version and its document (centres read it too);
    `unknown_catalogue_version` before the first."""
    with context(request).pool.connection() as conn:
        latest = store.latest(conn)
    if latest is None:
        raise NotFound("catalogue_version", "current", "Nothing has been published yet.")
    return _full(latest)


@router.get("/catalogue/versions")
def list_versions(
    request: Request, principal: HubPrincipal = Depends(authenticate)
) -> list[dict[str, Any]]:
    """Every version (who, when, why), newest first."""
    principal.require_reader()
    with context(request).pool.connection() as conn:
        return [v.summary() for v in store.versions(conn)]


@router.get("/catalogue/versions/{number}")
def get_version(
    number: int, request: Request, principal: HubPrincipal = Depends(authenticate)
) -> dict[str, Any]:
    """One version with its document (centres read it too)."""
    with context(request).pool.connection() as conn:
        return _full(store.version(conn, number))


@router.get("/catalogue/versions/{number}/changes")
def get_changes(
    number: int,
    request: Request,
    since: int | None = Query(default=None, ge=0, description="default: the version before"),
    principal: HubPrincipal = Depends(authenticate),
) -> dict[str, Any]:
    """What changed, in words."""
    principal.require_reader()
    with context(request).pool.connection() as conn:
        words = store.changes(conn, number, since)
    return {"version": number, "since": number - 1 if since is None else since, "changes": words}


class PublishIn(BaseModel):
    """A new version: the catalogue TOML and a note saying what changed and why."""

    model_config = ConfigDict(extra="forbid")

    document: StrictStr = Field(min_length=1, max_length=MAX_DOCUMENT)
    note: StrictStr = Field(min_length=1, max_length=store.MAX_NOTE)


def _published(result: store.Published) -> dict[str, Any]:
    return {
        **result.version.summary(),
        "changes": result.changes,
        "kept_withdrawn": result.kept_withdrawn,
    }


@router.post("/catalogue/versions", status_code=201)
def publish(
    body: PublishIn, request: Request, principal: HubPrincipal = Depends(authenticate)
) -> dict[str, Any]:
    """Validate and publish a new version; every subscribed centre applies it."""
    principal.require_admin()
    ctx = context(request)
    with ctx.pool.connection() as conn:
        result = store.publish(
            conn, body.document, by=principal.name, note=body.note, now=ctx.clock.now()
        )
    return _published(result)


class RollbackIn(BaseModel):
    """Restore an earlier version (as a new one)."""

    model_config = ConfigDict(extra="forbid")

    version: StrictInt = Field(ge=1)
    note: StrictStr = Field(default="", max_length=400)


@router.post("/catalogue/rollback", status_code=201)
def rollback(
    body: RollbackIn, request: Request, principal: HubPrincipal = Depends(authenticate)
) -> dict[str, Any]:
    """Publish version `version`'s document again as the next version."""
    principal.require_admin()
    ctx = context(request)
    with ctx.pool.connection() as conn:
        result = store.rollback(
            conn, body.version, by=principal.name, note=body.note, now=ctx.clock.now()
        )
    return _published(result)


class RunningIn(BaseModel):
    """The version a centre runs."""

    model_config = ConfigDict(extra="forbid")

    version: StrictInt = Field(ge=1)


@router.put("/centres/{centre_id}/catalogue")
def put_running(
    centre_id: str,
    body: RunningIn,
    request: Request,
    principal: HubPrincipal = Depends(authenticate),
) -> dict[str, Any]:
    """Record which version the centre runs (the network view shows it)."""
    principal.require_centre(centre_id)
    ctx = context(request)
    with ctx.pool.connection() as conn:
        store.record_centre_version(conn, centre_id, body.version, ctx.clock.now())
    return {"centre_id": centre_id, "version": body.version}
