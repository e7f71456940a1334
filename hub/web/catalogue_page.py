"""The hub's national catalogue page (`/network/catalogue`): the current version and
every earlier one (who, when, why), what each changed in words, its services, which
version each centre runs; admins publish a new version (pasted or uploaded TOML, with
a note) and restore an earlier one. The same rules as the API (`hub.catalogue`)."""

from __future__ import annotations

import hmac
from typing import Any
from zoneinfo import ZoneInfo

from fastapi import APIRouter, File, Form, Request, UploadFile
from fastapi.responses import RedirectResponse, Response

from core.errors import RindaError
from core.national import parse_national
from hub import catalogue as store
from hub.accounts import HubPrincipal, HubRole
from hub.api.deps import context
from hub.web.pages import _require_reader
from hub.web.render import render
from server.api.errors import status_for

router = APIRouter(include_in_schema=False)
PAGE = "/network/catalogue"
NO_FILE = File(None)


def _centres(conn: Any, principal: HubPrincipal) -> list[dict[str, Any]]:
    rows = conn.execute(
        "SELECT id, name, municipality, catalogue_version, catalogue_applied_at FROM centres "
        "WHERE revoked_at IS NULL ORDER BY municipality, name, id"
    ).fetchall()
    return [
        {"id": r[0], "name": r[1], "municipality": r[2], "version": r[3], "applied_at": r[4]}
        for r in rows
        if principal.sees(r[2])
    ]


def _page(
    request: Request,
    principal: HubPrincipal,
    *,
    shown: int | None = None,
    error: str = "",
    draft: str | None = None,
    note: str = "",
    status_code: int = 200,
) -> Response:
    with context(request).pool.connection() as conn:
        history = store.versions(conn)
        centres = _centres(conn, principal)
        selected = None
        changes: list[str] = []
        if history:
            number = shown if shown in {v.version for v in history} else history[0].version
            selected = next(v for v in history if v.version == number)
            changes = store.changes(conn, number)
    services = []
    if selected is not None:
        national = parse_national(selected.data, f"version {selected.version}")
        names = {d.id: d.name for d in national.services.departments}
        services = [
            {
                "id": s.id,
                "name": s.name,
                "department": names[s.standard.department_id] if s.standard.department_id else None,
                "fee": s.standard.fee_amount,
                "withdrawn": s.withdrawn,
            }
            for s in national.services.services
        ]
    return render(
        request,
        "network_catalogue.html",
        status_code=status_code,
        user=principal,
        active="catalogue",
        history=history,
        current=history[0] if history else None,
        selected=selected,
        changes=changes,
        services=services,
        centres=centres,
        is_admin=principal.role is HubRole.ADMIN,
        tz=ZoneInfo(context(request).config.timezone),
        error=error,
        draft=draft if draft is not None else (history[0].document if history else ""),
        note=note,
        published=request.query_params.get("published", ""),
    )


@router.get(PAGE)
def catalogue_page(request: Request, version: int | None = None) -> Response:
    """The catalogue page (any reader; admins also see the publishing form)."""
    principal = _require_reader(request)
    if not isinstance(principal, HubPrincipal):
        return principal
    return _page(request, principal, shown=version)


@router.get(f"{PAGE}/export")
def export(request: Request, version: int | None = None) -> Response:
    """A version's TOML as a file (default: the current version)."""
    principal = _require_reader(request)
    if not isinstance(principal, HubPrincipal):
        return principal
    with context(request).pool.connection() as conn:
        chosen = store.version(conn, version) if version is not None else store.latest(conn)
    if chosen is None:
        return Response("Nothing has been published yet.\n", status_code=404)
    return Response(
        chosen.document,
        media_type="application/toml; charset=utf-8",
        headers={"Content-Disposition": f'attachment; filename="{_file_name(chosen.version)}"'},
    )


def _file_name(number: int) -> str:
    return f"national-catalogue-v{number}.toml"


def _admin(request: Request, csrf: str) -> HubPrincipal | Response:
    principal = _require_reader(request)
    if not isinstance(principal, HubPrincipal):
        return principal
    if principal.role is not HubRole.ADMIN:
        return render(request, "forbidden.html", status_code=403, user=None)
    if not principal.csrf_token or not hmac.compare_digest(principal.csrf_token, csrf):
        return RedirectResponse(PAGE, status_code=303)  # a form without the page's token
    return principal


@router.post(f"{PAGE}/publish")
async def publish(
    request: Request,
    csrf: str = Form(""),
    note: str = Form(""),
    document: str = Form(""),
    upload: UploadFile | None = NO_FILE,
) -> Response:
    """Publish the pasted (or uploaded) TOML as the next version."""
    principal = _admin(request, csrf)
    if not isinstance(principal, HubPrincipal):
        return principal
    source = "the form"
    if upload is not None and upload.filename:
        raw = await upload.read(store_limit())
        try:
            document = raw.decode("utf-8")
        except UnicodeDecodeError:
            return _page(
                request,
                principal,
                error=f"{upload.filename}: not UTF-8 text",
                note=note,
                status_code=422,
            )
        source = upload.filename
    ctx = context(request)
    try:
        with ctx.pool.connection() as conn:
            result = store.publish(
                conn, document, by=principal.name, note=note, now=ctx.clock.now(), source=source
            )
    except RindaError as exc:
        return _page(
            request,
            principal,
            error=exc.message,
            draft=document,
            note=note,
            status_code=status_for(exc),
        )
    number = result.version.version
    return RedirectResponse(f"{PAGE}?version={number}&published={number}", status_code=303)


@router.post(f"{PAGE}/rollback")
def rollback(
    request: Request, csrf: str = Form(""), version: int = Form(0), note: str = Form("")
) -> Response:
    """Restore an earlier version as the next one."""
    principal = _admin(request, csrf)
    if not isinstance(principal, HubPrincipal):
        return principal
    ctx = context(request)
    try:
        with ctx.pool.connection() as conn:
            result = store.rollback(
                conn, version, by=principal.name, note=note, now=ctx.clock.now()
            )
    except RindaError as exc:
        return _page(request, principal, error=exc.message, status_code=status_for(exc))
    number = result.version.version
    return RedirectResponse(f"{PAGE}?version={number}&published={number}", status_code=303)


def store_limit() -> int:
    """The largest catalogue file taken (bytes)."""
    return 2_000_000
