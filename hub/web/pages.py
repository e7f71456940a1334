"""The hub's pages: sign-in and out, the live view of the centres (`/network`), and the
quarterly monitoring report (`/network/reports`). Signing in follows a centre's pages
(`server.web.pages`): a form with its own CSRF cookie, then the session cookie; every
page asks the database for the session afresh."""

from __future__ import annotations

import hmac

from anyio import to_thread
from fastapi import APIRouter, Form, Query, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from pydantic import ValidationError

from core.errors import InvalidInput, NotAuthenticated, RindaError
from hub.accounts import HubPrincipal
from hub.api.deps import SESSION_COOKIE, context, lookup, note_use
from hub.api.network import visible
from hub.api.session import LoginIn, end_session, sign_in
from hub.web.render import render
from server.api.errors import status_for
from server.api.session import set_session_cookie
from server.ratelimit import TooManyAttempts
from server.web.signin_form import form_done, form_token_matches, local_path, login_form

router = APIRouter(include_in_schema=False)
LOGIN_CSRF_COOKIE = "rinda_hub_login_csrf"
HOME = "/network"
LIVE_TEXTS = (
    "network.",
    "console.live",
    "console.offline",
    "reports.",
    "manager.minutes",
    "catalogue.centre_running",
)


def _redirect(path: str) -> RedirectResponse:
    return RedirectResponse(path, status_code=303)


def page_principal(request: Request) -> HubPrincipal | None:
    """The user signed in with the session cookie, if any (opening a page is use)."""
    cookie = request.cookies.get(SESSION_COOKIE)
    if not cookie:
        return None
    try:
        principal = lookup(request, cookie)
    except NotAuthenticated:
        return None
    note_use(request, principal)
    return principal


def _require_reader(request: Request) -> HubPrincipal | Response:
    """The signed-in analyst or admin; else a redirect to sign in, or a 403 page."""
    principal = page_principal(request)
    if principal is None:
        return _redirect(f"/login?next={request.url.path}")
    if not principal.is_reader:
        return render(request, "forbidden.html", status_code=403, user=None)
    return principal


@router.get("/")
def home(request: Request) -> Response:
    return _redirect(HOME if page_principal(request) else "/login")


@router.get("/login")
async def login_page(request: Request, error: str = "", wait: str = "") -> HTMLResponse:
    return login_form(request, render, LOGIN_CSRF_COOKIE, error=error, wait=wait)


@router.post("/login")
async def login_submit(
    request: Request,
    username: str = Form(""),
    password: str = Form(""),
    csrf: str = Form(""),
    next: str = Form(""),
) -> Response:
    if not form_token_matches(request, LOGIN_CSRF_COOKIE, csrf):
        return _redirect("/login?error=csrf")
    try:
        body = LoginIn(username=username, password=password)
        token, _ = await to_thread.run_sync(sign_in, request, body)
    except (ValidationError, NotAuthenticated, InvalidInput):
        return _redirect("/login?error=failed")
    except TooManyAttempts as exc:
        return _redirect(f"/login?error=too_many&wait={exc.retry_after}")
    response = _redirect(local_path(next) or HOME)
    set_session_cookie(request, response, SESSION_COOKIE, token)
    return form_done(response, LOGIN_CSRF_COOKIE)


@router.post("/logout")
def logout_submit(request: Request, csrf: str = Form("")) -> Response:
    principal = page_principal(request)
    if principal is None:
        return _redirect("/login")
    if not principal.csrf_token or not hmac.compare_digest(principal.csrf_token, csrf):
        return _redirect(HOME)  # a sign-out without the page's token changes nothing
    end_session(request, request.cookies.get(SESSION_COOKIE, ""))
    response = _redirect("/login")
    response.delete_cookie(SESSION_COOKIE, path="/")
    return response


@router.get("/network")
def live_page(request: Request, municipality: str = "") -> Response:
    """The live view: every centre the reader may see, its link and its hall now."""
    principal = _require_reader(request)
    if not isinstance(principal, HubPrincipal):
        return principal
    places = sorted({c.municipality for c in visible(request, principal, None)})
    chosen = municipality if municipality in places else ""
    config = {
        "csrf": principal.csrf_token,
        "municipality": chosen or None,
        "timezone": context(request).config.timezone,
    }
    return render(
        request,
        "network.html",
        message_prefixes=LIVE_TEXTS,
        user=principal,
        active="live",
        config=config,
        municipalities=places,
        chosen=chosen,
    )


@router.get("/network/reports")
def reports_page(
    request: Request,
    quarter: str = "",
    municipality: str = "",
    start: str = Query(default="", alias="from"),
    end: str = Query(default="", alias="to"),
) -> Response:
    """The quarterly monitoring report (prints as the leadership's report)."""
    from hub.web.report import build_report

    principal = _require_reader(request)
    if not isinstance(principal, HubPrincipal):
        return principal
    places = sorted({c.municipality for c in visible(request, principal, None)})
    status_code = 200
    try:
        report = build_report(request, principal, quarter, start, end, municipality or None)
    except RindaError as exc:  # a bad period: the page says so
        fields = exc.fields if isinstance(exc, InvalidInput) else {}
        report = {"error": " ".join([*(f"{name}:" for name in fields), exc.message])}
        status_code = status_for(exc)
    return render(
        request,
        "network_reports.html",
        status_code=status_code,
        user=principal,
        active="reports",
        report=report,
        municipalities=places,
        chosen=municipality,
    )
