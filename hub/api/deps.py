"""Request dependencies of the hub: its context and the authenticated caller.

A caller authenticates as at a centre (`server.api.deps`): with a bearer token, or in
the browser with the session cookie, and then every change must carry the session's
CSRF token in `X-CSRF-Token`. A request marked `X-Rinda-Background: 1` (a page
refreshing itself) and the event stream do not keep a session alive.
"""

from __future__ import annotations

from fastapi import Request

from core.errors import Forbidden, NotAuthenticated
from hub.accounts import HubPrincipal
from hub.context import HubContext
from hub.sessions import needs_touch, principal_for_token, touch
from server.api.deps import BACKGROUND_HEADER, CSRF_HEADER, SAFE_METHODS

SESSION_COOKIE = "rinda_hub_session"
"""Not the centre's cookie name: cookies do not keep ports apart, and a hub and a
centre may share a host name."""


def context(request: Request) -> HubContext:
    """The running hub's context."""
    ctx: HubContext = request.app.state.ctx
    return ctx


def bearer_token(request: Request) -> str:
    """The request's credential: its bearer token, or else its session cookie; or
    `NotAuthenticated`."""
    header = request.headers.get("authorization", "")
    if header:
        scheme, _, token = header.partition(" ")
        if scheme.lower() != "bearer" or not token.strip():
            raise NotAuthenticated("Use 'Authorization: Bearer <token>'.")
        return token.strip()
    cookie = request.cookies.get(SESSION_COOKIE)
    if not cookie:
        raise NotAuthenticated("Sign in first.")
    return cookie


def lookup(request: Request, token: str) -> HubPrincipal:
    """The live session or centre holding `token`, or `NotAuthenticated`."""
    ctx = context(request)
    with ctx.pool.connection() as conn:
        return principal_for_token(conn, token, ctx.clock.now(), ctx.config.session_idle)


def note_use(request: Request, principal: HubPrincipal) -> None:
    """A request by a person (not marked as background) keeps the session alive; written
    at most once a minute."""
    ctx = context(request)
    now = ctx.clock.now()
    if request.headers.get(BACKGROUND_HEADER) == "1" or not needs_touch(principal, now):
        return
    with ctx.pool.connection() as conn:
        touch(conn, principal.credential, now)


def caller(request: Request, *, counts_as_use: bool = True) -> HubPrincipal:
    """The caller, from a bearer token or the session cookie (a change by cookie must
    carry the CSRF token)."""
    via_cookie = not request.headers.get("authorization")
    principal = lookup(request, bearer_token(request))
    if via_cookie and request.method not in SAFE_METHODS:
        sent = request.headers.get(CSRF_HEADER, "")
        if not sent or sent != principal.csrf_token:
            raise Forbidden("The request did not carry this session's CSRF token.")
    if counts_as_use:
        note_use(request, principal)
    request.state.principal = principal
    return principal


def authenticate(request: Request) -> HubPrincipal:
    """The caller (looked up afresh on every request, so revocations apply at once).
    A plain function: FastAPI runs it in a worker thread."""
    return caller(request)
