"""Request dependencies of the hub: its context and the authenticated caller."""

from __future__ import annotations

from fastapi import Request

from core.errors import NotAuthenticated
from hub.accounts import HubPrincipal, principal_for_token
from hub.context import HubContext


def context(request: Request) -> HubContext:
    """The running hub's context."""
    ctx: HubContext = request.app.state.ctx
    return ctx


def bearer_token(request: Request) -> str:
    """The request's bearer token, or `NotAuthenticated`."""
    scheme, _, token = request.headers.get("authorization", "").partition(" ")
    if scheme.lower() != "bearer" or not token.strip():
        raise NotAuthenticated("Use 'Authorization: Bearer <token>'.")
    return token.strip()


def authenticate(request: Request) -> HubPrincipal:
    """The caller (looked up afresh on every request, so revocations apply at once).
    A plain function: FastAPI runs it in a worker thread."""
    ctx = context(request)
    token = bearer_token(request)
    with ctx.pool.connection() as conn:
        principal = principal_for_token(conn, token, ctx.clock.now())
    request.state.principal = principal
    return principal
