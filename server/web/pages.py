"""Page routes: sign-in and out, the clerk console, the manager view, admin, back office,
reports. (The public ticket page is in `ticket_page`.)"""

from __future__ import annotations

import hmac
from typing import Any

from anyio import to_thread
from fastapi import APIRouter, Form, Query, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from pydantic import ValidationError

from core.applications import STANDARD_FIELDS
from core.errors import InvalidInput, NotAuthenticated, NotFound, RindaError
from server.api.deps import SESSION_COOKIE, context
from server.api.errors import status_for
from server.api.schemas import LoginIn
from server.api.session import set_sign_in_cookies, sign_in
from server.auth import Permission, Principal
from server.ratelimit import TooManyAttempts
from server.sessions import bind_counter, logout
from server.store.writer import Transaction
from server.web.render import page_language, page_principal, render
from server.web.signin_form import form_done, form_token_matches, local_path, login_form

router = APIRouter(include_in_schema=False)
LOGIN_CSRF_COOKIE = "rinda_login_csrf"
CONSOLE_TEXTS = ("console.", "action.", "counter.", "status.", "web.")
HOME_BY_ROLE = {"clerk": "/console", "manager": "/manager", "admin": "/admin"}


def _redirect(path: str) -> RedirectResponse:
    return RedirectResponse(path, status_code=303)


def _require(request: Request, permission: Permission) -> Principal | Response:
    """The signed-in user if they hold `permission`; else a redirect or a 403 page."""
    principal = page_principal(request)
    if principal is None:
        return _redirect(f"/login?next={request.url.path}")
    if not principal.can(permission):
        return render(request, "forbidden.html", status_code=403, user=principal)
    return principal


@router.get("/")
async def home(request: Request) -> Response:
    principal = page_principal(request)
    if principal is None:
        return _redirect("/login")
    return _redirect(HOME_BY_ROLE.get(principal.role.value, "/console"))


@router.get("/login")
async def login_page(request: Request, error: str = "", wait: str = "") -> HTMLResponse:
    ctx = context(request)
    language = page_language(request)
    counters = [(c.id, c.name.get(language)) for c in ctx.catalogue.counters]
    return login_form(request, render, LOGIN_CSRF_COOKIE, error=error, wait=wait, counters=counters)


@router.post("/login")
async def login_submit(
    request: Request,
    username: str = Form(""),
    password: str = Form(""),
    counter_id: str = Form(""),
    csrf: str = Form(""),
    next: str = Form(""),
) -> Response:
    if not form_token_matches(request, LOGIN_CSRF_COOKIE, csrf):
        return _redirect("/login?error=csrf")
    try:
        body = LoginIn(username=username, password=password, counter_id=counter_id or None)
        signed_in = await sign_in(request, body)
    except (ValidationError, NotAuthenticated, NotFound, InvalidInput):
        return _redirect("/login?error=failed")
    except TooManyAttempts as exc:
        return _redirect(f"/login?error=too_many&wait={exc.retry_after}")
    home = HOME_BY_ROLE.get(signed_in.principal.role.value, "/console")
    response = _redirect(local_path(next) or home)
    set_sign_in_cookies(request, response, signed_in)
    return form_done(response, LOGIN_CSRF_COOKIE)


@router.post("/logout")
async def logout_submit(request: Request, csrf: str = Form("")) -> Response:
    principal = page_principal(request)
    token = request.cookies.get(SESSION_COOKIE, "")
    if (
        principal is not None
        and principal.csrf_token
        and hmac.compare_digest(principal.csrf_token, csrf)
    ):
        ctx = context(request)

        def command(tx: Transaction) -> None:
            logout(tx.db.conn, token)

        await ctx.writer.run(command, actor=f"user:{principal.name}")
        response = _redirect("/login")
        response.delete_cookie(SESSION_COOKIE, path="/")
        return response
    if principal is None:
        return _redirect("/login")
    # A sign-out without the page's token (e.g. a forged form) changes nothing.
    return _redirect(HOME_BY_ROLE.get(principal.role.value, "/console"))


def _catalogue_json(request: Request, language: str) -> dict[str, Any]:
    ctx = context(request)
    catalogue = ctx.catalogue
    return {
        "services": [
            {"id": s.id, "name": s.name.get(language), "prefix": s.prefix}
            for s in catalogue.services
        ],
        "counters": [
            {
                "id": c.id,
                "label": c.label,
                "name": c.name.get(language),
                "services": list(c.profile.service_ids),
            }
            for c in catalogue.counters
        ],
    }


@router.get("/console")
async def console_page(request: Request) -> Response:
    principal = _require(request, Permission.OPERATE)
    if not isinstance(principal, Principal):
        return principal
    language = page_language(request)
    counter_id = principal.counter_id
    if principal.can(Permission.OPERATE_ANY):
        counter_id = request.query_params.get("counter") or counter_id
    ctx = context(request)
    if counter_id is not None and counter_id not in ctx.catalogue.counters_by_id:
        counter_id = None
    config = {
        "counterId": counter_id,
        "csrf": principal.csrf_token,
        "lang": language,
        "user": principal.name,
        "messages": {},
        **_catalogue_json(request, language),
    }
    return render(
        request,
        "console.html",
        message_prefixes=CONSOLE_TEXTS,
        user=principal,
        config=config,
        counter_id=counter_id,
        counters=[(c.id, c.name.get(language)) for c in ctx.catalogue.counters],
    )


@router.post("/console/counter")
async def choose_counter(
    request: Request, counter_id: str = Form(""), csrf: str = Form("")
) -> Response:
    """A clerk who is not bound to a counter chooses one for this session."""
    principal = _require(request, Permission.OPERATE)
    if not isinstance(principal, Principal):
        return principal
    if not principal.csrf_token or not hmac.compare_digest(principal.csrf_token, csrf):
        return render(request, "forbidden.html", status_code=403, user=principal)
    ctx = context(request)
    if counter_id not in ctx.catalogue.counters_by_id:
        return _redirect("/console")
    if principal.can(Permission.OPERATE_ANY):
        return _redirect(f"/console?counter={counter_id}")
    token = request.cookies.get(SESSION_COOKIE, "")

    def command(tx: Transaction) -> None:
        bind_counter(tx.db.conn, token, counter_id)

    await ctx.writer.run(command, actor=f"user:{principal.name}")
    return _redirect("/console")


@router.get("/manager")
async def manager_page(request: Request) -> Response:
    principal = _require(request, Permission.MANAGE)
    if not isinstance(principal, Principal):
        return principal
    language = page_language(request)
    config = {"csrf": principal.csrf_token, "lang": language, **_catalogue_json(request, language)}
    return render(
        request,
        "manager.html",
        message_prefixes=(
            "manager.",
            "catalogue.centre_",
            "counter.",
            "status.",
            "web.",
            "console.",
            "admin.",
            "storage.",
        ),
        user=principal,
        config=config,
    )


@router.get("/admin")
async def admin_page(request: Request) -> Response:
    principal = _require(request, Permission.ADMIN)
    if not isinstance(principal, Principal):
        return principal
    language = page_language(request)
    ctx = context(request)
    config = {
        "csrf": principal.csrf_token,
        "lang": language,
        "self": principal.name,
        "tls": ctx.tls is not None,
        "departments": [
            {"id": d.id, "name": d.name.get(language)} for d in ctx.catalogue.departments
        ],
        **_catalogue_json(request, language),
    }
    return render(
        request,
        "admin.html",
        message_prefixes=("admin.", "manager.", "web."),
        user=principal,
        config=config,
    )


@router.get("/applications")
async def applications_page(request: Request) -> Response:
    """The back office: department inboxes of applications lodged at kiosks."""
    principal = _require(request, Permission.BACK_OFFICE)
    if not isinstance(principal, Principal):
        return principal
    from server.applications import departments_of

    language = page_language(request)
    ctx = context(request)
    allowed = departments_of(principal, ctx.catalogue)
    config = {
        "csrf": principal.csrf_token,
        "lang": language,
        "departments": [
            {"id": d.id, "name": d.name.get(language)}
            for d in ctx.catalogue.departments
            if d.id in allowed
        ],
        "types": {t.id: t.name.get(language) for t in ctx.catalogue.application_types},
        "fields": {name: spec.label.get(language) for name, spec in STANDARD_FIELDS.items()},
    }
    return render(
        request,
        "applications.html",
        message_prefixes=("inbox.", "app_status.", "apply.delivery.", "web.", "field_error."),
        user=principal,
        config=config,
    )


@router.get("/reports")
async def reports_page(
    request: Request,
    start: str = Query(default="", alias="from"),
    end: str = Query(default="", alias="to"),
    service: str = "",
) -> Response:
    """Manager reports: charts, tables, CSV links; prints as the quarterly report."""
    principal = _require(request, Permission.MANAGE)
    if not isinstance(principal, Principal):
        return principal
    from server.web.reports import build_report

    language = page_language(request)
    ctx = context(request)
    status_code = 200
    try:
        report = await to_thread.run_sync(
            lambda: build_report(ctx, language, start, end, service or None)
        )
    except RindaError as exc:  # a bad period or an unknown service: the page says so
        fields = exc.fields if isinstance(exc, InvalidInput) else {}
        report = {"error": " ".join([*(f"{name}:" for name in fields), exc.message])}
        status_code = status_for(exc)
    services = [(s.id, s.name.get(language)) for s in ctx.catalogue.services]
    return render(
        request,
        "reports.html",
        status_code=status_code,
        user=principal,
        report=report,
        services=services,
        chosen_service=service,
    )
